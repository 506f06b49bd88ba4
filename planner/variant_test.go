package planner

import "testing"

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
