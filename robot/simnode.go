package robot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/bluenviron/goroslib/v2"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/geometry_msgs"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/nav_msgs"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/std_msgs"
	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/sim"
)

// SimStep is the simulator's physics step: D4RL maze2d's 0.01 s.
const SimStep = 10 * time.Millisecond

// maxCatchUp is the most physics steps one tick runs to catch up with the
// wall clock; beyond it the simulator drops the lost time rather than spiral.
const maxCatchUp = 10

// SimNodeConf is the configuration of a SimNode.
type SimNodeConf struct {
	// Name of the ROS node. It defaults to "dfplan_sim".
	Name string
	// Namespace of the node. It defaults to "/" (or ROS_NAMESPACE).
	Namespace string
	// MasterAddress is the ROS master's host:port. It defaults to the
	// host:port of ROS_MASTER_URI, else 127.0.0.1:11311.
	MasterAddress string
	// Host is the IP or hostname other nodes use to reach this one. It
	// defaults to ROS_IP, else ROS_HOSTNAME, else the local address on the
	// master's subnet.
	Host string

	// Maze is the simulated world. Required.
	Maze *sim.Maze
	// Start is the initial position (state coordinates, velocity zero). It
	// defaults to a draw from D4RL's reset distribution (a free cell plus
	// U(-0.1, 0.1) per axis, velocity N(0, 0.1²)) seeded by Seed.
	Start *r2.Point
	// Seed seeds the reset distribution (sim.NewRand). It defaults to 0.
	Seed int64
	// CmdTimeout is how long the last cmd_vel is held; after it the action
	// is zero. It defaults to 500 ms.
	CmdTimeout time.Duration
	// MapResolution is the cell size of the published occupancy grid, in
	// metres. It defaults to 0.05.
	MapResolution float64

	// OdomTopic (nav_msgs/Odometry out) defaults to "odom"; CmdVelTopic
	// (geometry_msgs/Twist in) to "cmd_vel"; MapTopic (nav_msgs/OccupancyGrid
	// out, latched) to "map".
	OdomTopic, CmdVelTopic, MapTopic string
	// Frame is the frame of odometry and map; it defaults to "odom".
	// ChildFrame is the robot's frame; it defaults to "base_link".
	Frame, ChildFrame string

	// Log receives the node's events. It defaults to slog.Default().
	Log *slog.Logger
}

// SimNode is a simulated maze2d robot on ROS: it applies cmd_vel as the
// action, steps the built-in simulator in real time at 100 Hz, publishes
// odometry and the maze as an occupancy grid.
//
// If ROS shuts the node down (rosnode kill, or another node taking its
// name), the simulation stops and Done is closed; its owner should then
// Close it.
type SimNode struct {
	conf SimNodeConf
	log  *slog.Logger

	ros     *goroslib.Node
	watch   *masterWatch
	subCmd  *goroslib.Subscriber
	pubOdom *goroslib.Publisher
	pubMap  *goroslib.Publisher

	mu      sync.Mutex
	state   sim.State
	cmd     sim.Action
	cmdAt   time.Time
	cmdBad  bool
	skipped int64 // physics steps dropped because the node fell behind
	observe func(sim.State) bool

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	stopState
}

// NewSimNode validates conf, joins the ROS graph, publishes the map and
// starts the simulation. If ROS shuts the node down while it joins the
// graph, NewSimNode returns it stopped, as if the request had come just
// after: Done is closed and Err says who asked.
func NewSimNode(conf SimNodeConf) (*SimNode, error) {
	rc, err := rosNodeConf{conf.Name, conf.Namespace, conf.MasterAddress, conf.Host}.withDefaults("dfplan_sim")
	if err != nil {
		return nil, fmt.Errorf("robot.SimNodeConf: %w", err)
	}
	conf.Name, conf.Namespace, conf.MasterAddress, conf.Host = rc.Name, rc.Namespace, rc.MasterAddress, rc.Host
	if conf.Maze == nil {
		return nil, errors.New("robot.SimNodeConf: Maze: required")
	}
	if conf.Start != nil && (firstNonFinite([]float64{conf.Start.X, conf.Start.Y}) >= 0 || !conf.Maze.Bounds().ContainsPoint(*conf.Start)) {
		return nil, fmt.Errorf("robot.SimNodeConf: Start (%g, %g): outside maze %s (bounds %v)", conf.Start.X, conf.Start.Y, conf.Maze.Name(), conf.Maze.Bounds())
	}
	if conf.Start != nil && !conf.Maze.IsFree(*conf.Start) {
		return nil, fmt.Errorf("robot.SimNodeConf: Start (%g, %g): inside a wall of maze %s; want a point in free space", conf.Start.X, conf.Start.Y, conf.Maze.Name())
	}
	if conf.CmdTimeout == 0 {
		conf.CmdTimeout = DefaultOdomTimeout
	}
	if conf.CmdTimeout < 0 {
		return nil, fmt.Errorf("robot.SimNodeConf: CmdTimeout %v: want > 0", conf.CmdTimeout)
	}
	if conf.MapResolution == 0 {
		conf.MapResolution = 0.05
	}
	if !(conf.MapResolution > 0.001 && conf.MapResolution <= 1) {
		return nil, fmt.Errorf("robot.SimNodeConf: MapResolution %v m: want in (0.001, 1]", conf.MapResolution)
	}
	for _, s := range []struct {
		p   *string
		def string
	}{{&conf.OdomTopic, "odom"}, {&conf.CmdVelTopic, "cmd_vel"}, {&conf.MapTopic, "map"}, {&conf.Frame, "odom"}, {&conf.ChildFrame, "base_link"}} {
		if *s.p == "" {
			*s.p = s.def
		}
	}
	if conf.Log == nil {
		conf.Log = slog.Default()
	}
	s := &SimNode{conf: conf, log: conf.Log.With("node", conf.Name), stopState: newStopState()}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if conf.Start != nil {
		s.state = sim.State{conf.Start.X, conf.Start.Y, 0, 0}
	} else {
		s.state = conf.Maze.Reset(sim.NewRand(conf.Seed))
	}
	if err := s.connect(); err != nil {
		if s.Err() != nil {
			// ROS asked the node to shut down while it was joining the
			// graph, and goroslib refused the rest: a stop, not a failure.
			// Done is closed; Close releases what was made.
			return s, nil
		}
		s.cancel()
		s.closeROS()
		return nil, err
	}
	s.pubMap.Write(OccupancyGrid(conf.Maze, conf.MapResolution, conf.Frame, s.ros.TimeNow()))
	s.log.Info("simulated robot started", "maze", conf.Maze.Name(), "x", s.state[0], "y", s.state[1])
	s.wg.Add(1)
	go s.run()
	return s, nil
}

func (s *SimNode) connect() error {
	c := s.conf
	var err error
	s.ros, err = newROSNode(rosNodeConf{c.Name, c.Namespace, c.MasterAddress, c.Host}, s.log, s.onShutdown)
	if err != nil {
		return err
	}
	joined("node")
	if s.pubOdom, err = goroslib.NewPublisher(goroslib.PublisherConf{Node: s.ros, Topic: c.OdomTopic, Msg: &nav_msgs.Odometry{}}); err != nil {
		return fmt.Errorf("publish %s: %w", c.OdomTopic, err)
	}
	joined(c.OdomTopic)
	if s.pubMap, err = goroslib.NewPublisher(goroslib.PublisherConf{Node: s.ros, Topic: c.MapTopic, Msg: &nav_msgs.OccupancyGrid{}, Latch: true}); err != nil {
		return fmt.Errorf("publish %s: %w", c.MapTopic, err)
	}
	joined(c.MapTopic)
	if s.subCmd, err = goroslib.NewSubscriber(goroslib.SubscriberConf{Node: s.ros, Topic: c.CmdVelTopic, Callback: s.onCmd, QueueSize: 16}); err != nil {
		return fmt.Errorf("subscribe %s: %w", c.CmdVelTopic, err)
	}
	joined(c.CmdVelTopic)
	s.watch, err = watchMaster(rosNodeConf{c.Name, c.Namespace, c.MasterAddress, c.Host}, s.log)
	return err
}

func (s *SimNode) closeROS() {
	s.watch.Close()
	if s.subCmd != nil {
		s.subCmd.Close()
	}
	for _, p := range []*goroslib.Publisher{s.pubOdom, s.pubMap} {
		if p != nil {
			p.Close()
		}
	}
	if s.ros != nil {
		s.ros.Close()
	}
}

// onShutdown handles a shutdown request from ROS (on goroslib's API
// goroutine): it stops the simulation, logs once and closes Done.
func (s *SimNode) onShutdown(reason string) {
	s.shutdownRequested(reason, func() {
		s.log.Warn("ROS asked the node to shut down: stopping the simulation and leaving the ROS graph", "reason", reason)
		s.cancel()
	})
}

// Close stops the simulation and leaves the ROS graph.
func (s *SimNode) Close() {
	s.cancel()
	s.wg.Wait()
	s.closeROS()
	s.closeDone()
	s.mu.Lock()
	skipped := s.skipped
	s.mu.Unlock()
	s.log.Info("simulated robot stopped", "skipped_steps", skipped)
}

// State returns the simulator's current state.
func (s *SimNode) State() sim.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Reset moves the simulated robot to st and, if observe is not nil, calls
// it with the state after every physics step from then on, under the
// node's lock (it must be quick and must not call the SimNode), until it
// returns false. The move and the observer take effect together, so the
// observer sees every step from st and none before. A later Reset replaces
// the observer. The last cmd_vel is forgotten: the robot gets the zero
// action until the next one arrives.
func (s *SimNode) Reset(st sim.State, observe func(sim.State) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state, s.observe = st, observe
	s.cmd, s.cmdAt = sim.Action{}, time.Time{}
}

// Skipped is the number of physics steps dropped so far because the
// simulation fell behind the wall clock (more than 10 steps due at once).
func (s *SimNode) Skipped() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skipped
}

// SetState moves the simulated robot (for tests and resets).
func (s *SimNode) SetState(st sim.State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = st
}

func (s *SimNode) onCmd(m *geometry_msgs.Twist) {
	a := sim.Action{m.Linear.X, m.Linear.Y}
	s.mu.Lock()
	defer s.mu.Unlock()
	if firstNonFinite(a[:]) >= 0 {
		if !s.cmdBad {
			s.log.Warn("cmd_vel with NaN or Inf ignored; holding zero action", "x", a[0], "y", a[1])
		}
		s.cmdBad = true
		s.cmd, s.cmdAt = sim.Action{}, time.Now()
		return
	}
	s.cmdBad = false
	s.cmd, s.cmdAt = a, time.Now()
}

// run steps the physics in real time: every tick it runs as many 0.01 s
// steps as the wall clock demands (at most maxCatchUp) and publishes the
// resulting odometry.
func (s *SimNode) run() {
	defer s.wg.Done()
	ticker := time.NewTicker(SimStep)
	defer ticker.Stop()
	start := time.Now()
	var done int64 // physics steps taken since start
	timedOut := false
	for {
		select {
		case <-s.ctx.Done():
			return
		case now := <-ticker.C:
			due := int64(now.Sub(start)/SimStep) - done
			s.mu.Lock()
			if due > maxCatchUp {
				s.skipped += due - maxCatchUp
				done += due - maxCatchUp
				due = maxCatchUp
			}
			a := s.cmd
			if now.Sub(s.cmdAt) > s.conf.CmdTimeout {
				if !timedOut && !s.cmdAt.IsZero() {
					s.log.Info("no cmd_vel within timeout; holding zero action", "timeout", s.conf.CmdTimeout)
				}
				timedOut = true
				a = sim.Action{}
			} else {
				timedOut = false
			}
			for range due {
				s.state = s.conf.Maze.Step(s.state, a)
				if s.observe != nil && !s.observe(s.state) {
					s.observe = nil
				}
			}
			done += due
			st := s.state
			s.mu.Unlock()
			if due > 0 {
				s.publishOdom(st)
			}
		}
	}
}

func (s *SimNode) publishOdom(st sim.State) {
	s.pubOdom.Write(&nav_msgs.Odometry{
		Header:       std_msgs.Header{FrameId: s.conf.Frame, Stamp: s.ros.TimeNow()},
		ChildFrameId: s.conf.ChildFrame,
		Pose: geometry_msgs.PoseWithCovariance{Pose: geometry_msgs.Pose{
			Position:    geometry_msgs.Point{X: st[0], Y: st[1]},
			Orientation: geometry_msgs.Quaternion{W: 1},
		}},
		Twist: geometry_msgs.TwistWithCovariance{Twist: geometry_msgs.Twist{
			Linear: geometry_msgs.Vector3{X: st[2], Y: st[3]},
		}},
	})
}

// OccupancyGrid renders maze m as a ROS occupancy grid in frame, with cells
// of res metres, positioned so it overlays state coordinates: a grid cell
// is occupied (100) when its centre is inside one of m.WallRects, free (0)
// otherwise. Rows of the grid run along y, columns along x, as ROS expects.
func OccupancyGrid(m *sim.Maze, res float64, frame string, stamp time.Time) *nav_msgs.OccupancyGrid {
	b := m.Bounds()
	w := int(math.Ceil(b.X.Length()/res - 1e-9))
	h := int(math.Ceil(b.Y.Length()/res - 1e-9))
	walls := m.WallRects()
	data := make([]int8, w*h)
	for iy := range h {
		for ix := range w {
			p := r2.Point{X: b.X.Lo + (float64(ix)+0.5)*res, Y: b.Y.Lo + (float64(iy)+0.5)*res}
			for _, r := range walls {
				if r.ContainsPoint(p) {
					data[iy*w+ix] = 100
					break
				}
			}
		}
	}
	return &nav_msgs.OccupancyGrid{
		Header: std_msgs.Header{FrameId: frame, Stamp: stamp},
		Info: nav_msgs.MapMetaData{
			MapLoadTime: stamp,
			Resolution:  float32(res),
			Width:       uint32(w),
			Height:      uint32(h),
			Origin: geometry_msgs.Pose{
				Position:    geometry_msgs.Point{X: b.X.Lo, Y: b.Y.Lo},
				Orientation: geometry_msgs.Quaternion{W: 1},
			},
		},
		Data: data,
	}
}
