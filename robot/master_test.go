package robot

import (
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/goroslib/v2/pkg/apimaster"
	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/robot/rostest"
	"github.com/dfplan/dfplan/sim"
)

// await polls cond until it holds, failing the test after waitFor.
func await(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, waitFor)
		}
		time.Sleep(20 * time.Millisecond) // polling interval, not synchronisation
	}
}

// simAndNode starts the simulated robot at start and the planning node
// with the waypoint policy on maze m, on the test's master; both close on
// cleanup.
func simAndNode(t *testing.T, m *sim.Maze, start r2.Point, log *slog.Logger) (*SimNode, *Node) {
	t.Helper()
	sn, err := NewSimNode(SimNodeConf{Maze: m, Start: &start, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sn.Close)
	node, err := NewNode(NodeConf{Policy: WaypointPolicy{Maze: m}, Map: m, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(node.Close)
	return sn, node
}

// near reports whether the simulated robot is within 0.3 of (x, y).
func near(s *SimNode, x, y float64) func() bool {
	return func() bool {
		st := s.State()
		return math.Hypot(st[0]-x, st[1]-y) < 0.3
	}
}

// TestNodesSurviveMasterRestart kills the real rosmaster while the
// planning node drives the simulated robot to a goal, and restarts it on
// the same port: both nodes log the loss and the return once each, are
// listed by rosnode again with their parameters back, and a goal sent
// after the restart is received and reached.
func TestNodesSurviveMasterRestart(t *testing.T) {
	rostest.Require(t, "rostopic", "rosparam")
	addr := fmt.Sprintf("127.0.0.1:%d", rostest.FreePort(t))
	kill := rostest.StartMasterAt(t, addr)
	rostest.Run(t, waitFor, "rosparam", "set", "/dfplan/open_loop", "7")
	log, logs := testLogger(t)
	sn, _ := simAndNode(t, umaze(t), r2.Point{X: 3, Y: 1}, log)

	sendGoal(t, "3.0", "3.0")
	await(t, "robot on its way to the first goal (3, 3)", func() bool { return !near(sn, 3, 1)() })

	// The master dies while the goal is pursued; links between the nodes
	// keep carrying odometry and commands, so the robot goes on.
	kill()
	await(t, "both nodes log the lost master", func() bool { return logs.count("ROS master lost") == 2 })
	rostest.StartMasterAt(t, addr)
	await(t, "both nodes registered again", func() bool { return logs.count("ROS master restarted: registered this node again") == 2 })
	await(t, "robot at the first goal (3, 3)", near(sn, 3, 3))

	// The nodes rosnode list shows: those in the master's system state.
	state, err := apimaster.NewClient(addr, "/test", &http.Client{Timeout: waitFor}).GetSystemState()
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, entries := range [][]apimaster.SystemStateEntry{state.PublishedTopics, state.SubscribedTopics} {
		for _, e := range entries {
			for _, n := range e.Nodes {
				listed[n] = true
			}
		}
	}
	for _, n := range []string{"/dfplan", "/dfplan_sim"} {
		if !listed[n] {
			t.Errorf("nodes on the graph after the restart: %v; want %s", listed, n)
		}
	}
	if v := strings.TrimSpace(rostest.Run(t, waitFor, "rosparam", "get", "/dfplan/open_loop")); v != "7" {
		t.Errorf("~open_loop after the restart = %q, want 7", v)
	}

	sendGoal(t, "1.0", "1.0")
	await(t, "robot at the goal sent after the restart (1, 1)", near(sn, 1, 1))
	if n := logs.count("ROS master lost"); n != 2 {
		t.Errorf("master loss logged %d times, want once per node", n)
	}
}
