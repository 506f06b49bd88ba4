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
}
