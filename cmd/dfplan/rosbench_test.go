package main

import (
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dfplan/dfplan/robot/rostest"
)

// dfplan bench --ros drives the shipped umaze planner through a real
// master: the same episodes as the simulated benchmark, each path starting
// at its start, the robot moved by the node's cmd_vel, and the run's ROS
// timing in the JSON.
func TestBenchROS(t *testing.T) {
	rostest.Require(t)
	rostest.Master(t)
	dir := t.TempDir()
	js, ref := filepath.Join(dir, "ros.json"), filepath.Join(dir, "sim.json")
	const steps = 150
	// Light planner settings: the test is about the node driving the
	// robot, and umaze's shipped ones plan 8 ticks late on an idle 2-core
	// machine and slower when loaded, slow enough to leave the robots
	// near their starts in 1.5 s.
	r := runCLI(t, "", "bench", "--maze", "umaze", "--planner", "df", "--episodes", "2", "--steps", fmt.Sprint(steps), "--seed", "3",
		"--sampling-steps", "5", "--mcg-samples", "1", "--ros", "--json", js)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "through the ROS node in real time with its automatic lookahead") {
		t.Errorf("table header does not say the run went through ROS with lookahead:\n%s", r.stdout)
	}
	if r := runCLI(t, "", "bench", "--maze", "umaze", "--planner", "expert", "--episodes", "2", "--steps", "1", "--seed", "3", "--json", ref); r.code != 0 {
		t.Fatalf("reference run: exit %d: %s", r.code, r.stderr)
	}
	got, want := readJSONObject(t, js), readJSONObject(t, ref)
	for _, k := range []string{"start_xy", "goal_xy"} {
		if !reflect.DeepEqual(got[k], want[k]) {
			t.Errorf("%s = %v through ROS, %v in the simulated benchmark: not the same episodes", k, got[k], want[k])
		}
	}
	ros, ok := got["ros"].(map[string]any)
	if !ok {
		t.Fatalf("JSON lacks the ros object: %v", got)
	}
	if _, ok := ros["skipped_steps"]; !ok {
		t.Errorf("ros object lacks skipped_steps: %v", ros)
	}
	if k := ros["lookahead"]; k != -1.0 {
		t.Errorf("ros.lookahead = %v without --lookahead, want -1: the node's automatic lookahead, its default", k)
	}
	if p50 := got["plan_latency_ms"].(map[string]any)["p50"].(float64); p50 <= 0 {
		t.Errorf("plan latency p50 %g ms, want the node's plan times", p50)
	}
	if n := got["plans_per_call"].(float64); n != 1 {
		t.Errorf("plans per call %g, want 1 (the node plans for one robot)", n)
	}
	// Standing still from D4RL's reset velocity (σ 0.1) covers a few
	// centimetres in 1.5 s; a robot driven by its plans covers metres.
	moved := 0.0
	for e, f := range got["final_xy"].([]any) {
		s := want["start_xy"].([]any)[e].([]any)
		moved += math.Hypot(f.([]any)[0].(float64)-s[0].(float64), f.([]any)[1].(float64)-s[1].(float64))
	}
	if moved < 0.5 {
		t.Errorf("the robots moved %.2f m in all from their starts over %d steps each: the node did not drive them", moved, steps)
	}
}

// --lookahead=false turns the node's default lookahead off.
func TestBenchROSLookaheadOff(t *testing.T) {
	rostest.Require(t)
	rostest.Master(t)
	js := filepath.Join(t.TempDir(), "ros.json")
	r := runCLI(t, "", "bench", "--maze", "umaze", "--planner", "df", "--episodes", "1", "--steps", "20",
		"--sampling-steps", "2", "--mcg-samples", "1", "--ros", "--lookahead=false", "--json", js)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if k := readJSONObject(t, js)["ros"].(map[string]any)["lookahead"]; k != 0.0 {
		t.Errorf("ros.lookahead = %v with --lookahead=false, want 0", k)
	}
}

// Without a master --ros fails at once, naming the variable to fix.
func TestBenchROSNoMaster(t *testing.T) {
	t.Setenv("ROS_MASTER_URI", fmt.Sprintf("http://127.0.0.1:%d", rostest.FreePort(t)))
	old := rosMasterWait
	rosMasterWait = 300 * time.Millisecond
	t.Cleanup(func() { rosMasterWait = old })
	r := runCLI(t, "", "bench", "--maze", "umaze", "--episodes", "1", "--ros")
	if r.code != 1 || !strings.Contains(r.stderr, "--ros: no ROS master answers at") || !strings.Contains(r.stderr, "ROS_MASTER_URI") {
		t.Errorf("exit %d, stderr %q; want 1 and the missing master", r.code, r.stderr)
	}
}
