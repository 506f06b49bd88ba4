package strictyaml

import (
	"errors"
	"strings"
	"testing"
)

type settings struct {
	Steps int     `yaml:"steps"`
	Scale float64 `yaml:"scale"`
}

func TestDecode(t *testing.T) {
	base := settings{Steps: 5, Scale: 3}
	for _, c := range []struct {
		name, in string
		want     settings
		err      string // in Describe's line; "" for none
	}{
		{"overlay", "steps: 7\n", settings{7, 3}, ""},
		{"empty keeps the base", "", base, ""},
		{"unknown key", "stepz: 7\n", base, "unknown key stepz"},
		{"two documents", "steps: 4\n---\nsteps: 6\n", base, "more than one YAML document"},
		{"fraction for an integer", "steps: 2.5\n", base, "steps: 2.5, want a whole number"},
		{"fraction for a float", "scale: 2.5\n", settings{5, 2.5}, ""},
	} {
		got := base
		err := Decode([]byte(c.in), &got)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.err == "" && got != c.want:
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		case c.err != "" && (err == nil || !strings.Contains(Describe(err, ""), c.err)):
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
		}
	}
	var fe *FractionError
	if err := Decode([]byte("steps: 1.5\n"), &settings{}); !errors.As(err, &fe) || fe.Key != "steps" {
		t.Errorf("fraction: error %v, want a *FractionError for steps", err)
	}
	if got := Describe(Decode([]byte("stepz: 1\n"), &settings{}), "model."); got != "unknown key model.stepz" {
		t.Errorf("Describe with a section: %q", got)
	}
}
