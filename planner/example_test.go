package planner_test

import (
	"context"
	"fmt"

	"github.com/dfplan/dfplan/planner"
)

// The causal-uncertainty schedule for 3 sampling steps over 4 tokens: each
// row is one network pass; near tokens become clean first.
func ExampleSchedulingMatrix() {
	k, err := planner.SchedulingMatrix(planner.Pyramid, 3, 4, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, row := range k {
		fmt.Println(row)
	}
	// Output:
	// [3 3 3 3]
	// [2 3 3 3]
	// [1 2 3 3]
	// [0 1 2 3]
	// [0 0 1 2]
	// [0 0 0 1]
	// [0 0 0 0]
}

// A receding-horizon loop: plan, execute the first OpenLoop actions, replan.
// (Any planner.Policy works here; dfplan's Planner is built with
// planner.New(model, planner.Config{...}).)
func ExamplePolicy() {
	var policy planner.Policy = constant{}
	obs, goal := []float64{3, 1, 0, 0}, []float64{1, 1}
	for replan := 0; replan < 2; replan++ {
		plan, err := policy.Plan(context.Background(), obs, goal)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, a := range plan.Actions[:2] {
			obs = []float64{obs[0] + 0.1*a[0], obs[1] + 0.1*a[1], a[0], a[1]}
		}
	}
	fmt.Printf("x = %.1f\n", obs[0])
	// Output: x = 2.6
}

// constant plans a steady push toward negative x.
type constant struct{}

func (constant) Plan(_ context.Context, obs, _ []float64) (*planner.Plan, error) {
	return &planner.Plan{Actions: [][]float64{{-1, 0}, {-1, 0}}, Observations: [][]float64{obs, obs}}, nil
}

// The receding-horizon loop with an Executor: each tick, ask for a plan
// when one is due, hand it back when it arrives (here at once), and run
// the action for the tick. The benchmark and the ROS node drive the same
// executor; the node's plans arrive ticks later, from a planning
// goroutine.
func ExampleExecutor() {
	var policy planner.Policy = constant{}
	ex, err := planner.NewExecutor(planner.ExecutorConfFor(policy, 2, 0))
	if err != nil {
		fmt.Println(err)
		return
	}
	obs, goal := []float64{3, 1, 0, 0}, []float64{1, 1}
	for tick := range 4 {
		if ex.Due(tick) {
			ask := ex.Ask(tick, obs, goal)
			ex.Asked(ask)
			plan, err := policy.Plan(context.Background(), ask.From, ask.Goal)
			if err != nil {
				fmt.Println(err)
				return
			}
			if err := ex.Arrive(tick, ask, plan); err != nil {
				fmt.Println(err)
				return
			}
			fmt.Println("tick", tick, "replanned")
		}
		if a, ok := ex.Action(tick); ok {
			obs = []float64{obs[0] + 0.1*a[0], obs[1] + 0.1*a[1], a[0], a[1]}
		}
	}
	fmt.Printf("x = %.1f\n", obs[0])
	// Output:
	// tick 0 replanned
	// tick 2 replanned
	// x = 2.6
}
