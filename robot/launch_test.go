package robot

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dfplan/dfplan/robot/rostest"
)

// TestLaunchFileResolves checks that roslaunch parses launch/dfplan_sim.launch
// and finds both nodes through launch/package.xml, with the command lines
// docs/ros.md promises.
func TestLaunchFileResolves(t *testing.T) {
	rostest.Require(t, "roslaunch")
	dir, err := filepath.Abs("../launch")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("ROS_PACKAGE_PATH", dir)
	t.Setenv("ROS_HOME", t.TempDir())
	file := filepath.Join(dir, "dfplan_sim.launch")
	for node, want := range map[string]string{
		"dfplan_sim": "scripts/dfplan simnode __name:=dfplan_sim",
		"dfplan":     "scripts/dfplan node __name:=dfplan",
	} {
		out := rostest.Run(t, 30*time.Second, "roslaunch", "--args", node, file)
		if !strings.Contains(out, want) {
			t.Errorf("roslaunch --args %s: %q, want it to contain %q", node, out, want)
		}
	}
	out := rostest.Run(t, 30*time.Second, "roslaunch", "--nodes", file, "rviz:=true")
	if !strings.Contains(out, "/rviz") {
		t.Errorf("roslaunch --nodes with rviz:=true: %q, want /rviz", out)
	}
	// ~stop_weight, ~open_loop and ~lookahead are set only when asked
	// for: unset, the node takes the planner settings' (a shipped open
	// loop of 3 or 5 must not be overridden by the launch file) and its
	// own default lookahead; 0 turns the term or the lookahead off.
	out = rostest.Run(t, 30*time.Second, "roslaunch", "--dump-params", file)
	for _, p := range []string{"stop_weight", "open_loop", "lookahead"} {
		if strings.Contains(out, p) {
			t.Errorf("roslaunch --dump-params: %q, want no %s by default", out, p)
		}
	}
	if out := rostest.Run(t, 30*time.Second, "roslaunch", "--dump-params", file, "open_loop:=7"); !strings.Contains(out, "/dfplan/open_loop: 7") {
		t.Errorf("roslaunch --dump-params open_loop:=7: %q, want /dfplan/open_loop: 7", out)
	}
	if out := rostest.Run(t, 30*time.Second, "roslaunch", "--dump-params", file, "stop_weight:=0"); !strings.Contains(out, "/dfplan/stop_weight: 0") {
		t.Errorf("roslaunch --dump-params stop_weight:=0: %q, want /dfplan/stop_weight: 0", out)
	}
	if out := rostest.Run(t, 30*time.Second, "roslaunch", "--dump-params", file); !strings.Contains(out, "/dfplan/preset: realtime") {
		t.Errorf("roslaunch --dump-params: %q, want /dfplan/preset: realtime", out)
	}
	if out := rostest.Run(t, 30*time.Second, "roslaunch", "--dump-params", file, "preset:=paper"); !strings.Contains(out, "/dfplan/preset: paper") {
		t.Errorf("roslaunch --dump-params preset:=paper: %q, want /dfplan/preset: paper", out)
	}
	if out := rostest.Run(t, 30*time.Second, "roslaunch", "--dump-params", file, "lookahead:=0"); !strings.Contains(out, "/dfplan/lookahead: 0") {
		t.Errorf("roslaunch --dump-params lookahead:=0: %q, want /dfplan/lookahead: 0", out)
	}
}
