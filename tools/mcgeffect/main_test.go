package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/models"
	"github.com/dfplan/dfplan/robot"
)

func TestReadStatesKeepsGuidedPlansFromTheirState(t *testing.T) {
	trace := strings.Join([]string{
		`{"state":[1,1,0,0],"goal":[3,1],"unguided":0,"observations":[],"actions":[]}`,
		`{"state":[1,2,0,0],"goal":[3,1],"unguided":2,"observations":[],"actions":[]}`, // pinned: no guidance
		`{"state":[1,3,0,0],"goal":[3,1],"ahead":4,"observations":[],"actions":[]}`,    // planned from elsewhere
		`{"state":[2,1,0,0],"goal":[3,1],"observations":[],"actions":[]}`,
	}, "\n")
	got, err := readStates(strings.NewReader(trace), 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].obs[1] != 1 || got[1].obs[0] != 2 {
		t.Fatalf("states %v, want those of lines 1 and 4", got)
	}
	for _, bad := range []string{`{"state":[1,1],"goal":[3,1]}`, `{"state":[1,1,0,0],"goal":[3]}`, `not json`,
		`{"planner":"mppi","state":[1,1,0,0],"goal":[3,1]}`} {
		if _, err := readStates(strings.NewReader(trace+"\n"+bad), 4); err == nil || !strings.Contains(err.Error(), "line 5") {
			t.Errorf("%s: error %v, want one naming line 5", bad, err)
		}
	}
}

// The comparison rests on planners with one seed drawing the same initial
// noise whatever their guidance: then plain guidance from the same seed
// twice is the same plan, and MCG differs from it only by the average.
func TestSameSeedSameNoise(t *testing.T) {
	m, _, err := models.For("umaze")
	if err != nil {
		t.Fatal(err)
	}
	conf := robot.DFPlannerConfig
	conf.HorizonTokens, conf.SamplingSteps = 4, 3
	plain := conf
	plain.MCGSamples = 1
	states := []state{{obs: []float64{1, 1, 0, 0}, goal: []float64{3, 1}}, {obs: []float64{3, 3, 0, 0}, goal: []float64{1, 3}}}
	a, err := planAll(m, plain, 7, states)
	if err != nil {
		t.Fatal(err)
	}
	b, err := planAll(m, plain, 7, states)
	if err != nil {
		t.Fatal(err)
	}
	c, err := planAll(m, conf, 7, states)
	if err != nil {
		t.Fatal(err)
	}
	for i := range states {
		if !slices.EqualFunc(a[i].Actions, b[i].Actions, slices.Equal) {
			t.Fatalf("state %d: two plain plans from seed 7 differ", i)
		}
		if slices.EqualFunc(a[i].Actions, c[i].Actions, slices.Equal) || !(c[i].MCGShift > 0) {
			t.Errorf("state %d: MCG %d left the plan as plain guidance's (shift %g)", i, conf.MCGSamples, c[i].MCGShift)
		}
	}
}
