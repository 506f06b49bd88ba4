package robot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/bluenviron/goroslib/v2"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/geometry_msgs"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/std_msgs"
	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/sim"
)

// EpisodeConf is a run of benchmark episodes through ROS (RunEpisodes).
type EpisodeConf struct {
	// MasterAddress is the ROS master's host:port; Host is how the nodes
	// are reached (defaults as in NodeConf).
	MasterAddress, Host string
	// Maze is the simulated world; Specs the episodes' starts and goals
	// (sim.EpisodeSpecs); Steps each episode's length in 0.01 s physics
	// steps (the maze's episode length, for D4RL's scores).
	Maze  *sim.Maze
	Specs []sim.EpisodeSpec
	Steps int
	// Policy, OpenLoop and Lookahead are the planning node's (NodeConf).
	Policy    planner.Policy
	OpenLoop  int
	Lookahead int
	// Log receives the nodes' warnings. It defaults to slog.Default().
	Log *slog.Logger
	// Progress, if set, is called after each episode.
	Progress func(done, total int)
}

// Episode is what one episode of RunEpisodes did.
type Episode struct {
	// Return is D4RL's sparse return: the physics steps that ended within
	// 0.5 of the goal.
	Return float64
	// FirstReach is the first such step (0-based), or -1.
	FirstReach int
	// Path is the position after every step, from the start.
	Path []r2.Point
}

// EpisodesResult is a run of RunEpisodes.
type EpisodesResult struct {
	Episodes []Episode
	// PlanTimes are the planning node's plan latencies (request to result),
	// in order, over the whole run (the last 16384), without the requests
	// cancelled by the end of an episode.
	PlanTimes []time.Duration
	// Skipped counts physics steps the simulator dropped because it fell
	// behind the wall clock; Node is the planning node's timing.
	Skipped int64
	Node    NodeStats
	Wall    time.Duration
}

// settle is how many physics steps an episode waits after moving the
// robot before it sends the goal (and then one tick more, for the
// odometry of the step that completes them to go out), so that the
// planning node plans from the new position: a plan from the old one
// would be a plan for another episode.
const settle = 3

// RunEpisodes runs episodes as a robot lives them: in real time, over ROS.
// A simulator node (SimNode) steps the maze at 100 Hz and publishes
// odometry; a planning node (Node) plans with conf.Policy in the
// background and publishes the plan's actions on cmd_vel at 100 Hz; goals
// arrive on its goal topic. The three nodes join the master under a
// private namespace, so they do not meet a robot's own topics.
//
// Each episode cancels the node's goal, moves the simulated robot to its
// start (SimNode.Reset), sends the goal about settle+1 steps later and
// counts Steps physics steps from the move, scoring each as dfplan bench
// does. The robot stands still until the first plan arrives, as on a
// robot.
func RunEpisodes(ctx context.Context, conf EpisodeConf) (*EpisodesResult, error) {
	if conf.Maze == nil || len(conf.Specs) == 0 || conf.Steps <= settle || conf.Policy == nil {
		return nil, fmt.Errorf("robot.EpisodeConf: want a maze, episodes, more than %d steps and a policy", settle)
	}
	log := conf.Log
	if log == nil {
		log = slog.Default()
	}
	ns := fmt.Sprintf("/dfplan_episodes_%d", os.Getpid())
	start := conf.Specs[0].Start
	sn, err := NewSimNode(SimNodeConf{Name: "sim", Namespace: ns, MasterAddress: conf.MasterAddress, Host: conf.Host,
		Maze: conf.Maze, Start: &r2.Point{X: start[0], Y: start[1]}, Log: log})
	if err != nil {
		return nil, err
	}
	defer sn.Close()
	node, err := NewNode(NodeConf{Name: "planner", Namespace: ns, MasterAddress: conf.MasterAddress, Host: conf.Host,
		Policy: conf.Policy, Map: conf.Maze, OpenLoop: conf.OpenLoop, Lookahead: conf.Lookahead, Log: log})
	if err != nil {
		return nil, err
	}
	defer node.Close()
	rc, err := rosNodeConf{"goals", ns, conf.MasterAddress, conf.Host}.withDefaults("goals")
	if err != nil {
		return nil, fmt.Errorf("robot.EpisodeConf: %w", err)
	}
	goals, err := newROSNode(rc, log, nil)
	if err != nil {
		return nil, err
	}
	defer goals.Close()
	pub, err := goroslib.NewPublisher(goroslib.PublisherConf{Node: goals, Topic: node.conf.GoalTopic, Msg: &geometry_msgs.PoseStamped{}})
	if err != nil {
		return nil, fmt.Errorf("goal publisher: %w", err)
	}
	defer pub.Close()
	if err := waitSubscribed(ctx, goals, ns+"/"+rc.Name, ns+"/"+node.conf.GoalTopic); err != nil {
		return nil, err
	}

	res := &EpisodesResult{}
	t0 := time.Now()
	skipped0 := sn.Skipped()
	for e, spec := range conf.Specs {
		ep, err := runEpisode(ctx, sn, node, pub, spec, conf.Steps)
		if err != nil {
			return nil, fmt.Errorf("episode %d: %w", e, err)
		}
		res.Episodes = append(res.Episodes, ep)
		if conf.Progress != nil {
			conf.Progress(e+1, len(conf.Specs))
		}
	}
	<-node.Cancel()
	res.Wall = time.Since(t0)
	res.Skipped = sn.Skipped() - skipped0
	res.Node = node.Stats()
	res.PlanTimes = node.replanTime.ordered()
	if int64(len(res.PlanTimes)) < res.Node.Replans {
		log.Warn("plan times: only the most recent are kept", "kept", len(res.PlanTimes), "replans", res.Node.Replans)
	}
	return res, nil
}

// runEpisode plays one episode and returns what the robot did.
func runEpisode(ctx context.Context, sn *SimNode, node *Node, pub *goroslib.Publisher, spec sim.EpisodeSpec, steps int) (Episode, error) {
	ep := Episode{FirstReach: -1, Path: []r2.Point{{X: spec.Start[0], Y: spec.Start[1]}}}
	var mu sync.Mutex
	n := 0
	settled, done := make(chan struct{}), make(chan struct{})
	// The node stops driving first; a cmd_vel it sent before the cancel
	// has a tick to arrive, and Reset forgets it.
	select {
	case <-node.Cancel():
	case <-ctx.Done():
		return Episode{}, ctx.Err()
	}
	goals := node.Stats().Goals
	time.Sleep(SimStep)
	sn.Reset(spec.Start, func(s sim.State) bool {
		mu.Lock()
		defer mu.Unlock()
		pos := r2.Point{X: s[0], Y: s[1]}
		if r := sim.SparseReward(pos, spec.Goal); r > 0 {
			ep.Return += r
			if ep.FirstReach < 0 {
				ep.FirstReach = n
			}
		}
		ep.Path = append(ep.Path, pos)
		n++
		switch n {
		case settle:
			close(settled)
		case steps:
			close(done)
			return false
		}
		return true
	})
	// A stalled simulator (a dead master) must not hang the run: an
	// episode gets its real-time length twice over, and ten seconds more.
	limit := time.After(2*time.Duration(steps)*SimStep + 10*time.Second)
	wait := func(ch chan struct{}, what string) error {
		select {
		case <-ch:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-limit:
			return fmt.Errorf("the simulator did not reach %s in time", what)
		}
	}
	if err := wait(settled, "the goal's step"); err != nil {
		return Episode{}, err
	}
	time.Sleep(SimStep)
	pub.Write(&geometry_msgs.PoseStamped{Header: std_msgs.Header{FrameId: "odom", Stamp: time.Now()},
		Pose: geometry_msgs.Pose{Position: geometry_msgs.Point{X: spec.Goal.X, Y: spec.Goal.Y}, Orientation: geometry_msgs.Quaternion{W: 1}}})
	if err := wait(done, "the episode's end"); err != nil {
		return Episode{}, err
	}
	// A goal lost on the way would score the episode 0 unnoticed. One
	// still on its way when a short episode ends is not lost: wait for it,
	// so the next episode's cancel comes after it.
	if err := node.awaitGoals(ctx, goals+1, limit); err != nil {
		if ctx.Err() != nil {
			return Episode{}, err
		}
		return Episode{}, fmt.Errorf("the planning node did not take its goal (%g, %g): %w", spec.Goal.X, spec.Goal.Y, err)
	}
	mu.Lock()
	defer mu.Unlock()
	return ep, nil
}

// waitSubscribed waits until publisher node self (its absolute name)
// has a subscriber of topic connected, so that the first goal is not
// published into the void: a subscriber registered with the master is
// not yet connected, and goroslib drops what is written before.
func waitSubscribed(ctx context.Context, n *goroslib.Node, self, topic string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		conns, err := n.NodeGetConns(self)
		if err == nil {
			for _, c := range conns {
				if c.Topic == topic && c.Direction == 'o' && c.Connected {
					return nil
				}
			}
		}
		if time.Now().After(deadline) {
			return errors.New("the planning node never connected to its goal topic")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
