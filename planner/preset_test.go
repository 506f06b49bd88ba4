package planner

import (
	"errors"
	"testing"
)

func TestPreset(t *testing.T) {
	base := DefaultConfig
	base.Schedule, base.Uncertainty = "", 2
	for _, c := range []struct {
		name     string
		schedule string
		u        float64
		mcg      int
	}{
		{PresetDF, Pyramid, 2, DefaultConfig.MCGSamples},
		{PresetDFNoMCG, Pyramid, 2, 1},
		{PresetFullSeq, FullSequence, 0, 1},
	} {
		got, err := Preset(c.name, base)
		if err != nil {
			t.Fatal(err)
		}
		if got.Schedule != c.schedule || got.Uncertainty != c.u || got.MCGSamples != c.mcg || got.GuidanceScale != base.GuidanceScale {
			t.Errorf("%s: %+v, want schedule %s, u %g, MCG %d, the rest the base's", c.name, got, c.schedule, c.u, c.mcg)
		}
	}
	if _, err := Preset("astar", base); err == nil {
		t.Error("unknown preset: want error")
	}
}

func TestDecodeConfig(t *testing.T) {
	got, err := DecodeConfig([]byte("sampling_steps: 10\nunstick: 3\n"), DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig
	want.SamplingSteps, want.Unstick = 10, 3
	if got != want {
		t.Errorf("overlay: %+v, want %+v", got, want)
	}
	_, err = DecodeConfig([]byte("mcg_samples: -3\n"), DefaultConfig)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "mcg_samples" || fe.Value != -3 {
		t.Errorf("bad value: error %v, want a FieldError for mcg_samples -3", err)
	}
	for _, removed := range []string{"warm_rows: 2\n", "stall: 20\n", "mcg_chain: true\n", "step_waiting: true\n"} {
		if _, err := DecodeConfig([]byte(removed), DefaultConfig); err == nil {
			t.Errorf("%q: a removed setting, want error", removed)
		}
	}
}
