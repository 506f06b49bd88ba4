package models

import (
	"errors"
	"slices"
	"testing"
)

// Every shipped model loads (format and checksum verified) and records how
// it was trained.
func TestShippedModelsLoad(t *testing.T) {
	names := Names()
	for _, want := range []string{"umaze", "medium", "large"} {
		if !slices.Contains(names, want) {
			t.Errorf("no shipped model for %s (have %v)", want, names)
		}
	}
	for _, name := range names {
		m, meta, err := For(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c := m.Config(); c.ObsDim != 4 || c.ActDim != 2 {
			t.Errorf("%s: obs/act dims %d/%d, want 4/2", name, c.ObsDim, c.ActDim)
		}
		if meta.Provenance.Steps == 0 || meta.Provenance.Command == "" || meta.Provenance.DataSHA256 == "" {
			t.Errorf("%s: provenance incomplete: %+v", name, meta.Provenance)
		}
	}
}

func TestNoModelForOtherMazes(t *testing.T) {
	if _, _, err := For("open"); !errors.Is(err, ErrNoModel) {
		t.Fatalf("For(open) error %v, want ErrNoModel", err)
	}
}
