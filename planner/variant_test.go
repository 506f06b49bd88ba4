package planner

import (
	"math"
	"strings"
	"testing"
)

func TestVariant(t *testing.T) {
	base := DefaultConfig
	base.Schedule, base.Uncertainty = "", 2
	for _, c := range []struct {
		name     string
		schedule string
		u        float64
		mcg      int
	}{
		{VariantDF, Pyramid, 2, DefaultConfig.MCGSamples},
		{VariantDFNoMCG, Pyramid, 2, 1},
		{VariantFullSeq, FullSequence, 0, 1},
	} {
		got, err := Variant(c.name, base)
		if err != nil {
			t.Fatal(err)
		}
		if got.Schedule != c.schedule || got.Uncertainty != c.u || got.MCGSamples != c.mcg || got.GuidanceScale != base.GuidanceScale {
			t.Errorf("%s: %+v, want schedule %s, u %g, MCG %d, the rest the base's", c.name, got, c.schedule, c.u, c.mcg)
		}
	}
	if _, err := Variant("astar", base); err == nil {
		t.Error("unknown variant: want error")
	}
}

// lineField is the straight line as a guidance.Field.
type lineField struct{}

func (lineField) DistanceGrad(pg, grad []float64) []float64 {
	d := make([]float64, len(pg)/4)
	for i := range d {
		dx, dy := pg[4*i]-pg[4*i+2], pg[4*i+1]-pg[4*i+3]
		d[i] = math.Hypot(dx, dy)
		grad[2*i], grad[2*i+1] = dx/d[i], dy/d[i]
	}
	return d
}

func TestVariantDFTDNeedsAndKeepsTheDistance(t *testing.T) {
	base := DefaultConfig
	if _, err := Variant(VariantDFTD, base); err == nil || !strings.Contains(err.Error(), "distance") {
		t.Errorf("df-td without a distance: err = %v, want one naming the missing distance", err)
	}
	base.Distance = lineField{}
	got, err := Variant(VariantDFTD, base)
	if err != nil {
		t.Fatal(err)
	}
	df, _ := Variant(VariantDF, base)
	if got.Distance == nil || got.Schedule != df.Schedule || got.MCGSamples != df.MCGSamples {
		t.Errorf("df-td %+v: want df's settings with the distance", got)
	}
	for _, name := range []string{VariantDF, VariantDFNoMCG, VariantFullSeq} {
		if c, _ := Variant(name, base); c.Distance != nil {
			t.Errorf("%s keeps the learned distance: want the straight line", name)
		}
	}
}

// A config whose objective is learned keeps its distance in every variant
// (and needs one); fullseq stays fullseq.
func TestVariantObjectiveLearned(t *testing.T) {
	base := DefaultConfig
	base.Objective = ObjectiveLearned
	if _, err := Variant(VariantDFNoMCG, base); err == nil || !strings.Contains(err.Error(), "distance") {
		t.Errorf("objective learned without a distance: err = %v, want one naming the missing distance", err)
	}
	base.Distance = lineField{}
	for _, name := range []string{VariantDF, VariantDFNoMCG, VariantFullSeq} {
		c, err := Variant(name, base)
		if err != nil {
			t.Fatal(err)
		}
		if c.Distance == nil || c.DetourTo != DefaultDetour[1] {
			t.Errorf("%s with objective learned: distance %v, detour to %g: want the distance and the default blend", name, c.Distance, c.DetourTo)
		}
		if name == VariantFullSeq && c.Schedule != FullSequence {
			t.Errorf("fullseq with objective learned has schedule %s", c.Schedule)
		}
	}
	bad := DefaultConfig
	bad.Objective = "curvy"
	if err := bad.Validate(); err == nil {
		t.Error("objective curvy: want an error")
	}
}
