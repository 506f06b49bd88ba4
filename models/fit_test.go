package models

import (
	"strings"
	"testing"

	"github.com/dfplan/dfplan/sim"
)

// Each shipped model fits its own maze, and umaze's model does not fit
// large: its positions were normalized around another maze's cells.
func TestFitsMaze(t *testing.T) {
	for _, name := range Names() {
		m, _, err := For(name)
		if err != nil {
			t.Fatal(err)
		}
		maze, err := sim.LoadMaze(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := FitsMaze(m, maze); err != nil {
			t.Errorf("%s's model on %s: %v", name, name, err)
		}
	}
	m, _, err := For("umaze")
	if err != nil {
		t.Fatal(err)
	}
	large, err := sim.LoadMaze("large")
	if err != nil {
		t.Fatal(err)
	}
	if err := FitsMaze(m, large); err == nil || !strings.Contains(err.Error(), "trained on another maze") {
		t.Errorf("umaze's model on large: error %v, want one saying it was trained on another maze", err)
	}
}
