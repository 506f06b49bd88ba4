package models

import (
	"bytes"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/planner"
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
		if meta.Kind != dynamics.KindModel {
			t.Errorf("%s: a %s; the binary should carry weights only (dfplan model export)", name, meta.Kind)
		}
	}
}

func TestNoModelForOtherMazes(t *testing.T) {
	if _, _, err := For("open"); !errors.Is(err, ErrNoModel) {
		t.Fatalf("For(open) error %v, want ErrNoModel", err)
	}
}

// Every planner settings file shipped belongs to a shipped model, has only
// planner keys, and makes a planner that model accepts.
func TestShippedPlanSettings(t *testing.T) {
	entries, err := fs.Glob(files, "shipped/*.plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(strings.TrimPrefix(e, "shipped/"), ".plan.yaml")
		m, _, err := For(name)
		if err != nil {
			t.Errorf("%s: settings for a maze without a model: %v", e, err)
			continue
		}
		// Over the node's defaults, as dfplan bench and node apply them.
		c := planner.DefaultConfig
		dec := yaml.NewDecoder(bytes.NewReader(PlanFor(name)))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil {
			t.Errorf("%s: %v", e, err)
			continue
		}
		if _, err := planner.New(m, c); err != nil {
			t.Errorf("%s: %v", e, err)
		}
	}
	if PlanFor("open") != nil {
		t.Error("PlanFor(open): settings for a maze without a model")
	}
}

// Every shipped distance model loads and says how it was trained; a maze
// without one gets an error naming the way to make one.
func TestShippedDistances(t *testing.T) {
	entries, err := fs.Glob(files, "shipped/*"+distanceSuffix)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(strings.TrimPrefix(e, "shipped/"), distanceSuffix)
		d, err := DistanceFor(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s := d.Summary; s == nil || s.Steps == 0 || s.DataSHA256 == "" || !strings.Contains(s.Command, "train-distance") {
			t.Errorf("%s: training summary incomplete: %+v", name, s)
		}
		if slices.Contains(Names(), name+".distance") {
			t.Errorf("Names lists the distance model %s as a dynamics model", e)
		}
	}
	if _, err := DistanceFor("open"); err == nil || !strings.Contains(err.Error(), "train-distance") {
		t.Errorf("DistanceFor(open): err = %v, want one naming dfplan train-distance", err)
	}
}
