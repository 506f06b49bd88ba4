package planner

import (
	"errors"
	"maps"
	"slices"
	"testing"
)

// Both presets are valid configs that pick the pyramid schedule and write
// out every setting that costs compute (none left to DefaultConfig's
// zero-fills; open loop 0 is one token, the model's own); paper never costs less than realtime; every name listed
// has a preset and every preset a name; an unknown name is an error
// naming it and the valid ones.
func TestPreset(t *testing.T) {
	for _, name := range PresetNames {
		got, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		if got.SamplingSteps == 0 || got.HorizonTokens == 0 || got.MCGSamples == 0 || got.GuidanceScale == 0 {
			t.Errorf("%s: %+v leaves a setting to DefaultConfig's zero-fill", name, got)
		}
		if got.Schedule != Pyramid {
			t.Errorf("%s: schedule %q, want %q", name, got.Schedule, Pyramid)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if names := slices.Sorted(maps.Keys(presets)); !slices.Equal(names, slices.Sorted(slices.Values(PresetNames))) {
		t.Errorf("presets %v, PresetNames %v: want the same", names, PresetNames)
	}
	paper, _ := Preset(PresetPaper)
	rt, _ := Preset(PresetRealtime)
	if paper.SamplingSteps < rt.SamplingSteps || paper.MCGSamples < rt.MCGSamples || paper.HorizonTokens < rt.HorizonTokens {
		t.Errorf("paper %+v costs less than realtime %+v", paper, rt)
	}
	// The node's robots stop at their goal; the benchmark's df executes
	// its plans, as the paper's method does.
	if rt.Hold <= 0 || paper.Hold != 0 {
		t.Errorf("hold: realtime %g, paper %g; want realtime's > 0 and paper's 0", rt.Hold, paper.Hold)
	}
	_, err := Preset("fast")
	if want := `planner preset "fast": want paper or realtime`; err == nil || err.Error() != want {
		t.Errorf("unknown preset: error %v, want %q", err, want)
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
