package robot

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/bluenviron/goroslib/v2"
	"github.com/bluenviron/goroslib/v2/pkg/apiparam"
)

// DefaultMasterAddress is where the ROS master is looked for when
// ROS_MASTER_URI is unset: roscore's default.
const DefaultMasterAddress = "127.0.0.1:11311"

// MasterFromEnv returns the ROS master's host:port from ROS_MASTER_URI
// (e.g. http://robot:11311/), or DefaultMasterAddress when it is unset.
func MasterFromEnv() (string, error) {
	v := os.Getenv("ROS_MASTER_URI")
	if v == "" {
		return DefaultMasterAddress, nil
	}
	return masterAddress(v)
}

func masterAddress(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		// Also accept a bare host:port.
		if _, _, err2 := net.SplitHostPort(uri); err2 == nil {
			return uri, nil
		}
		return "", fmt.Errorf("ROS_MASTER_URI %q: want http://HOST:PORT", uri)
	}
	if u.Port() == "" {
		return net.JoinHostPort(u.Hostname(), "11311"), nil
	}
	return u.Host, nil
}

// HostFromEnv returns the address other nodes should use to reach this
// one: ROS_IP, else ROS_HOSTNAME, else "" (goroslib then picks this
// machine's address on the master's subnet, 127.0.0.1 for a local master).
func HostFromEnv() string {
	if v := os.Getenv("ROS_IP"); v != "" {
		return v
	}
	return os.Getenv("ROS_HOSTNAME")
}

// NameFromArgs applies the ROS command-line conventions roslaunch and
// rosrun use: "__name:=NAME" renames the node and "__ns:=NS" sets its
// namespace (ROS_NAMESPACE otherwise). It returns the node name (def when
// not renamed), the namespace ("/" by default) and the arguments that are
// not "a:=b" remappings. Topic remappings (from:=to) are applied by
// goroslib itself.
func NameFromArgs(args []string, def string) (name, ns string, rest []string) {
	name, ns = def, os.Getenv("ROS_NAMESPACE")
	for _, a := range args {
		from, to, ok := strings.Cut(a, ":=")
		if !ok {
			rest = append(rest, a)
			continue
		}
		switch from {
		case "__name":
			name = to
		case "__ns":
			ns = to
		}
	}
	if ns == "" {
		ns = "/"
	}
	if !strings.HasPrefix(ns, "/") {
		ns = "/" + ns
	}
	if len(ns) > 1 {
		ns = strings.TrimSuffix(ns, "/")
	}
	return name, ns, rest
}

// privateName resolves a private name "~x" of node name in namespace ns to
// its global form "/ns/name/x" (goroslib does not resolve "~" itself).
func privateName(ns, name, rel string) string {
	rel = strings.TrimPrefix(rel, "~")
	if ns == "/" || ns == "" {
		return "/" + name + "/" + rel
	}
	return ns + "/" + name + "/" + rel
}

// Back-off between attempts to reach the ROS master: doubling from
// backoffMin up to backoffMax.
const (
	backoffMin = 250 * time.Millisecond
	backoffMax = 5 * time.Second
)

// WaitMaster blocks until the ROS master at address answers, retrying with
// exponential back-off (capped at 5 s) and logging one line per failed
// attempt, or until ctx ends (it then returns an error wrapping ctx.Err()).
func WaitMaster(ctx context.Context, address string, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	c := apiparam.NewClient(strings.TrimPrefix(address, "http://"), "/dfplan_probe", &http.Client{Timeout: 2 * time.Second})
	wait := backoffMin
	for attempt := 1; ; attempt++ {
		_, err := c.HasParam("/use_sim_time")
		if err == nil {
			if attempt > 1 {
				log.Info("ROS master reachable", "master", address)
			}
			return nil
		}
		log.Warn("ROS master unreachable; is roscore running and ROS_MASTER_URI right?",
			"master", address, "attempt", attempt, "retry_in", wait, "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for ROS master %s: %w", address, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, backoffMax)
	}
}

// Params are a node's private parameters on the ROS parameter server;
// a zero field means "not set".
type Params struct {
	Rate         float64       // ~rate, Hz
	OpenLoop     int           // ~open_loop, frames
	OdomTimeout  time.Duration // ~odom_timeout, seconds on the server
	PlanDeadline time.Duration // ~plan_deadline, seconds on the server
	CmdTimeout   time.Duration // ~cmd_timeout, seconds on the server (simnode)
	Model        string        // ~model (or ~checkpoint)
	Maze         string        // ~maze
	Policy       string        // ~policy
	Start        string        // ~start, "x,y" (simnode)
	Seed         int           // ~seed (simnode)
	Plan         string        // ~plan (node, df policy)
	Preset       string        // ~preset (node, df policy)
	StopWeight   *float64      // ~stop_weight (node, df policy); nil when unset, as 0 turns the term off
	Hold         *float64      // ~hold, m (node, df policy); nil when unset, as 0 turns it off
	Lookahead    *int          // ~lookahead, ticks (node): -1 automatic, 0 off; nil when unset
}

// ReadParams reads the private parameters of node name in namespace ns
// from the master at address. Unset parameters stay zero; a parameter of
// the wrong type, a non-finite or huge duration and a fractional
// ~open_loop or ~seed are errors naming the parameter.
func ReadParams(address, ns, name string) (Params, error) {
	c := apiparam.NewClient(strings.TrimPrefix(address, "http://"), privateName(ns, name, ""), &http.Client{Timeout: 5 * time.Second})
	var p Params
	var firstErr error
	key := func(k string) (string, bool) {
		full := privateName(ns, name, k)
		ok, err := c.HasParam(full)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("read parameter %s: %w", full, err)
		}
		return full, ok
	}
	num := func(k string) float64 {
		full, ok := key(k)
		if !ok {
			return 0
		}
		// roslaunch stores "100" as an int and "0.5" as a double.
		if v, err := c.GetParamFloat64(full); err == nil {
			return v
		}
		v, err := c.GetParamInt(full)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("parameter %s: want a number: %w", full, err)
		}
		return float64(v)
	}
	str := func(k string) string {
		full, ok := key(k)
		if !ok {
			return ""
		}
		v, err := c.GetParamString(full)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("parameter %s: want a string: %w", full, err)
		}
		return v
	}
	seconds := func(k string) time.Duration {
		d, err := secondsParam(privateName(ns, name, k), num(k))
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return d
	}
	whole := func(k string) int {
		v, err := wholeParam(privateName(ns, name, k), num(k))
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return v
	}
	p.Rate = num("rate")
	p.OpenLoop = whole("open_loop")
	p.OdomTimeout = seconds("odom_timeout")
	p.PlanDeadline = seconds("plan_deadline")
	p.CmdTimeout = seconds("cmd_timeout")
	p.Model = str("model")
	if p.Model == "" {
		p.Model = str("checkpoint")
	}
	p.Maze = str("maze")
	p.Policy = str("policy")
	p.Start = str("start")
	p.Seed = whole("seed")
	p.Plan = str("plan")
	p.Preset = str("preset")
	if _, ok := key("lookahead"); ok {
		k := whole("lookahead")
		p.Lookahead = &k
	}
	if _, ok := key("stop_weight"); ok {
		w := num("stop_weight")
		p.StopWeight = &w
	}
	if _, ok := key("hold"); ok {
		h := num("hold")
		p.Hold = &h
	}
	return p, firstErr
}

// maxSeconds is the longest duration parameter accepted, in seconds: well
// inside time.Duration's range (about 292 years).
const maxSeconds = 1e9

// secondsParam converts parameter full's value v, in seconds, to a
// duration. A NaN, an infinity or a value beyond ±maxSeconds is an error
// (converting it would give an arbitrary duration); the sign is left for
// the caller to judge.
func secondsParam(full string, v float64) (time.Duration, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > maxSeconds {
		return 0, fmt.Errorf("parameter %s = %v: want a finite number of seconds", full, v)
	}
	return time.Duration(v * float64(time.Second)), nil
}

// wholeParam converts parameter full's value v to an int; a fractional or
// non-finite value is an error rather than silently truncated.
func wholeParam(full string, v float64) (int, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v != math.Trunc(v) || math.Abs(v) > 1<<53 {
		return 0, fmt.Errorf("parameter %s = %v: want a whole number", full, v)
	}
	return int(v), nil
}

// rosNodeConf is what NewNode and NewSimNode need to join the ROS graph.
type rosNodeConf struct {
	Name, Namespace, MasterAddress, Host string
}

func (c rosNodeConf) withDefaults(name string) (rosNodeConf, error) {
	if c.Name == "" {
		c.Name = name
	}
	if strings.ContainsRune(c.Name, '/') {
		return c, fmt.Errorf("Name %q: must not contain '/' (use Namespace)", c.Name)
	}
	if c.Namespace == "" {
		c.Namespace = "/"
	}
	if c.MasterAddress == "" {
		a, err := MasterFromEnv()
		if err != nil {
			return c, fmt.Errorf("MasterAddress: %w", err)
		}
		c.MasterAddress = a
	}
	if c.Host == "" {
		c.Host = HostFromEnv()
	}
	return c, nil
}

// shutdownPrefix starts the line goroslib logs (at Info) when the master or
// another node calls this node's shutdown API: rosnode kill, or a second
// node registering under the same name. goroslib then cancels the node
// itself; it offers no other signal of it.
const shutdownPrefix = "got shutdown request"

// newROSNode joins the ROS graph, quietly: goroslib logs to our slog logger,
// never to stdout; its errors and warnings at warning level, anything else
// at debug level. A shutdown request is not logged but handed to
// onShutdown (with goroslib's line, naming who asked and why), on
// goroslib's API goroutine, before goroslib cancels the node: onShutdown
// may still publish, briefly.
func newROSNode(c rosNodeConf, log *slog.Logger, onShutdown func(reason string)) (*goroslib.Node, error) {
	n, err := goroslib.NewNode(goroslib.NodeConf{
		Name:            c.Name,
		Namespace:       c.Namespace,
		MasterAddress:   c.MasterAddress,
		Host:            c.Host,
		LogLevel:        goroslib.LogLevelInfo, // the shutdown request is an Info line
		LogDestinations: goroslib.LogDestinationCallback,
		OnLog:           rosLogger(log, onShutdown),
	})
	if err != nil {
		return nil, fmt.Errorf("join ROS graph at master %s as %s: %w", c.MasterAddress, c.Name, err)
	}
	return n, nil
}

// rosLogger is newROSNode's goroslib log callback.
func rosLogger(log *slog.Logger, onShutdown func(reason string)) func(goroslib.LogLevel, string) {
	return func(l goroslib.LogLevel, msg string) {
		shutdown := strings.HasPrefix(msg, shutdownPrefix)
		if shutdown && onShutdown != nil {
			onShutdown(msg)
			return
		}
		level := slog.LevelWarn
		switch {
		case shutdown:
		case l < goroslib.LogLevelWarn:
			level = slog.LevelDebug
		case strings.HasSuffix(msg, ": EOF"):
			// goroslib reports a peer that went away (rostopic pub -1
			// exiting, a node restarting) as an error; it is routine.
			level = slog.LevelDebug
		}
		log.Log(context.Background(), level, "goroslib: "+msg)
	}
}
