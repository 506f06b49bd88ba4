package robot

import (
	"math"
	"os"
	"testing"
	"time"

	"github.com/bluenviron/goroslib/v2"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/geometry_msgs"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/std_msgs"
	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/models"
	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/robot/rostest"
	"github.com/dfplan/dfplan/sim"
)

// TestMeasureTimeToGoal measures, with a real rosmaster, how long the
// simulated robot takes to get within 0.5 (D4RL's success radius) of the
// umaze goal (1, 1) from three fixed starts, and the node's tick jitter and
// replan latency. It is a measurement, not a check; it runs only with
// DFPLAN_MEASURE=1, with the waypoint policy or, with DFPLAN_MEASURE_POLICY=df,
// the Diffusion Forcing planner on the shipped umaze model:
//
//	DFPLAN_MEASURE=1 go test ./robot -run MeasureTimeToGoal -v
//	DFPLAN_MEASURE=1 DFPLAN_MEASURE_POLICY=df go test ./robot -run MeasureTimeToGoal -v -timeout 30m
func TestMeasureTimeToGoal(t *testing.T) {
	if os.Getenv("DFPLAN_MEASURE") != "1" {
		t.Skip("measurement; set DFPLAN_MEASURE=1 to run")
	}
	master := rostest.Master(t)
	m, err := sim.LoadMaze("umaze")
	if err != nil {
		t.Fatal(err)
	}
	log, _ := testLogger(t)
	sn, err := NewSimNode(SimNodeConf{Maze: m, Start: &r2.Point{X: 3, Y: 1}, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	var policy planner.Policy = WaypointPolicy{Maze: m}
	limit := waitFor
	if os.Getenv("DFPLAN_MEASURE_POLICY") == "df" {
		model, _, err := models.For("umaze")
		if err != nil {
			t.Fatal(err)
		}
		if policy, err = planner.New(model, planner.DefaultConfig); err != nil {
			t.Fatal(err)
		}
		limit = 3 * time.Minute
	}
	node, err := NewNode(NodeConf{Policy: policy, Map: m, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()
	c, err := goroslib.NewNode(goroslib.NodeConf{Name: "measure", MasterAddress: master, Host: "127.0.0.1",
		LogDestinations: goroslib.LogDestinationCallback})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pub, err := goroslib.NewPublisher(goroslib.PublisherConf{Node: c, Topic: "move_base_simple/goal", Msg: &geometry_msgs.PoseStamped{}})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	time.Sleep(time.Second) // let the node connect to the goal publisher
	for _, start := range []sim.State{{3, 1, 0, 0}, {3, 3, 0, 0}, {1, 3, 0, 0}} {
		sn.SetState(start)
		t0 := time.Now()
		pub.Write(&geometry_msgs.PoseStamped{Header: std_msgs.Header{FrameId: "odom", Stamp: t0},
			Pose: geometry_msgs.Pose{Position: geometry_msgs.Point{X: 1, Y: 1}, Orientation: geometry_msgs.Quaternion{W: 1}}})
		reached := false
		for !reached && time.Since(t0) <= limit {
			s := sn.State()
			reached = math.Hypot(s[0]-1, s[1]-1) <= 0.5
			time.Sleep(time.Millisecond)
		}
		if reached {
			t.Logf("umaze start (%g, %g) -> goal (1, 1): reached (within 0.5) after %v wall time", start[0], start[1], time.Since(t0).Round(time.Millisecond))
		} else {
			t.Logf("umaze start (%g, %g) -> goal (1, 1): not reached within %v", start[0], start[1], limit)
		}
	}
	st := node.Stats()
	t.Logf("node stats: ticks=%d tick_jitter p50=%v p99=%v replans=%d replan p50=%v p99=%v ticks per plan p50=%d p99=%d",
		st.Ticks, st.TickJitterP50, st.TickJitterP99, st.Replans, st.ReplanP50, st.ReplanP99, st.TicksPerPlanP50, st.TicksPerPlanP99)
}
