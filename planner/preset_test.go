package planner

import (
	"errors"
	"testing"
)

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
