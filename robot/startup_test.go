package robot

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/goroslib/v2"
	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/robot/rostest"
)

// wantStoppedByROS checks that node n stopped on a shutdown request from
// caller: Done closed, Err naming the request, one log line.
func wantStoppedByROS(t *testing.T, n interface {
	Done() <-chan struct{}
	Err() error
}, caller string, logs *logBuffer) {
	t.Helper()
	select {
	case <-n.Done():
	case <-time.After(waitFor):
		t.Fatal("node still running after a shutdown request")
	}
	if err := n.Err(); !errors.Is(err, ErrShutdownRequested) || !strings.Contains(err.Error(), caller) {
		t.Errorf("Err() = %v, want ErrShutdownRequested naming the caller %s", err, caller)
	}
	if k := logs.count("ROS asked the node to shut down"); k != 1 {
		t.Errorf("shutdown logged %d times, want once", k)
	}
}

// TestShutdownWhileJoining: a shutdown request (rosnode kill) that arrives
// while a node is still registering its topics is a stop, not a start-up
// failure: NewNode and NewSimNode return the node stopped, Done closed and
// Err naming the request, and Close leaves the graph. The request is sent
// after each step of the start-up that the master sees (joined), so the
// next step fails: a registration goroslib refuses ("publish map: node
// terminated" was such a refusal, under load) or, after the last topic,
// the master watch reading a node that is leaving.
func TestShutdownWhileJoining(t *testing.T) {
	rostest.Require(t)
	master := rostest.Master(t)
	m := umaze(t)
	w, err := goroslib.NewNode(goroslib.NodeConf{Name: "test_killer", MasterAddress: master, Host: "127.0.0.1",
		LogDestinations: goroslib.LogDestinationCallback})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	type stopper interface {
		Done() <-chan struct{}
		Err() error
		Close()
	}
	cases := []struct {
		node   string
		stages []string
		start  func(log *slog.Logger) (stopper, error)
	}{
		{"/dfplan", []string{"node", "cmd_vel", "~action", "~plan", "odom", "move_base_simple/goal"},
			func(log *slog.Logger) (stopper, error) {
				return NewNode(NodeConf{Policy: WaypointPolicy{Maze: m}, Map: m, Log: log})
			}},
		{"/dfplan_sim", []string{"node", "odom", "map", "cmd_vel"},
			func(log *slog.Logger) (stopper, error) {
				return NewSimNode(SimNodeConf{Maze: m, Start: &r2.Point{X: 3, Y: 1}, Log: log})
			}},
	}
	for _, tc := range cases {
		for _, stage := range tc.stages {
			t.Run(tc.node+" "+stage, func(t *testing.T) {
				log, logs := testLogger(t)
				var kerr error
				killed := false
				joined = func(step string) {
					if step == stage && !killed {
						killed, kerr = true, w.NodeKill(tc.node)
					}
				}
				defer func() { joined = func(string) {} }()
				n, err := tc.start(log)
				if !killed || kerr != nil {
					t.Fatalf("kill %s after %s: sent %v, %v", tc.node, stage, killed, kerr)
				}
				if err != nil {
					t.Fatalf("start: %v; want the node returned stopped", err)
				}
				closed := false
				defer func() {
					if !closed {
						n.Close()
					}
				}()
				wantStoppedByROS(t, n, "/test_killer", logs)
				n.Close()
				closed = true
				if _, err := w.NodePing(tc.node); err == nil {
					t.Errorf("%s still answers after Close", tc.node)
				}
			})
		}
	}
}
