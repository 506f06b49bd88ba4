package robot

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/bluenviron/goroslib/v2/pkg/apimaster"
	"github.com/bluenviron/goroslib/v2/pkg/apiparam"
	"github.com/bluenviron/goroslib/v2/pkg/apislave"
)

// A ROS master keeps its registry in memory: restarted, it knows no node,
// topic or parameter, and goroslib (v2.1.5) neither notices nor registers
// again. Peer links made before the restart keep running, but the node is
// off the graph: rosnode list does not show it and new peers (a goal sent
// with rostopic, a restarted simulator) never reach it. A masterWatch
// closes that gap from outside goroslib: it records what the master knows
// of the node, polls the master, and when a master answers that no longer
// knows the node, registers it again under the same slave API URI, so
// goroslib's servers, publishers and subscribers carry on untouched.

// masterPoll is how often the master is polled.
const masterPoll = time.Second

// registration is what a master knew of one node.
type registration struct {
	uri        string            // the node's slave API
	pubs, subs map[string]string // topic → message type
	params     map[string]any    // private parameter → bool, int, float64 or string
}

// masterWatch keeps one node registered with the master at its address.
type masterWatch struct {
	addr, name string // master host:port, node's absolute name
	log        *slog.Logger
	http       *http.Client
	master     *apimaster.Client
	param      *apiparam.Client
	reg        registration
	cancel     context.CancelFunc
	done       chan struct{}
}

// watchMaster records what the master knows of the node c names (call it
// once the node's publishers and subscribers exist) and starts watching.
// Close stops it; it must be closed before the goroslib node is.
func watchMaster(c rosNodeConf, log *slog.Logger) (*masterWatch, error) {
	name := strings.TrimSuffix(privateName(c.Namespace, c.Name, ""), "/")
	hc := &http.Client{Timeout: time.Second}
	w := &masterWatch{
		addr: c.MasterAddress, name: name, log: log, http: hc,
		master: apimaster.NewClient(c.MasterAddress, name, hc),
		param:  apiparam.NewClient(c.MasterAddress, name, hc),
		done:   make(chan struct{}),
	}
	reg, err := w.record()
	if err != nil {
		return nil, fmt.Errorf("read this node's registration from ROS master %s: %w", c.MasterAddress, err)
	}
	w.reg = reg
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	go w.run(ctx)
	return w, nil
}

// Close stops watching. It is safe on a nil watch.
func (w *masterWatch) Close() {
	if w == nil {
		return
	}
	w.cancel()
	<-w.done
}

// record reads the node's registration from the master.
func (w *masterWatch) record() (registration, error) {
	r := registration{pubs: map[string]string{}, subs: map[string]string{}, params: map[string]any{}}
	var err error
	if r.uri, err = w.master.LookupNode(w.name); err != nil {
		return r, fmt.Errorf("lookup node %s: %w", w.name, err)
	}
	state, err := w.master.GetSystemState()
	if err != nil {
		return r, fmt.Errorf("system state: %w", err)
	}
	types, err := w.master.GetTopicTypes()
	if err != nil {
		return r, fmt.Errorf("topic types: %w", err)
	}
	typeOf := map[string]string{}
	for _, t := range types {
		typeOf[t.Name] = t.Type
	}
	mine := func(entries []apimaster.SystemStateEntry, into map[string]string) {
		for _, e := range entries {
			if slices.Contains(e.Nodes, w.name) {
				into[e.Name] = typeOf[e.Name]
			}
		}
	}
	mine(state.PublishedTopics, r.pubs)
	mine(state.SubscribedTopics, r.subs)
	names, err := w.param.GetParamNames()
	if err != nil {
		return r, fmt.Errorf("parameter names: %w", err)
	}
	prefix := w.name + "/"
	for _, k := range names {
		if strings.HasPrefix(k, prefix) {
			if v, ok := w.getParam(k); ok {
				r.params[k] = v
			}
		}
	}
	return r, nil
}

// getParam reads a scalar parameter with its type.
func (w *masterWatch) getParam(k string) (any, bool) {
	if v, err := w.param.GetParamInt(k); err == nil {
		return v, true
	}
	if v, err := w.param.GetParamFloat64(k); err == nil {
		return v, true
	}
	if v, err := w.param.GetParamBool(k); err == nil {
		return v, true
	}
	if v, err := w.param.GetParamString(k); err == nil {
		return v, true
	}
	return nil, false
}

func (w *masterWatch) setParam(k string, v any) error {
	switch v := v.(type) {
	case int:
		return w.param.SetParamInt(k, v)
	case float64:
		return w.param.SetParamFloat64(k, v)
	case bool:
		return w.param.SetParamBool(k, v)
	case string:
		return w.param.SetParamString(k, v)
	}
	return fmt.Errorf("parameter %s: unsupported type %T", k, v)
}

// run polls the master until ctx ends: a master that does not answer is
// lost (logged once); one that answers but no longer knows the node has
// restarted, and the node is registered again (logged once it is).
func (w *masterWatch) run(ctx context.Context) {
	defer close(w.done)
	t := time.NewTicker(masterPoll)
	defer t.Stop()
	lost, failing := false, false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := w.master.GetURI(); err != nil {
			if !lost {
				lost = true
				w.log.Warn("ROS master lost: links to peers keep running and the watchdog stops the robot if odometry stops; registering again when the master returns",
					"master", w.addr, "err", err)
			}
			continue
		}
		uri, err := w.master.LookupNode(w.name)
		if err == nil {
			if uri == w.reg.uri && lost {
				w.log.Info("ROS master reachable again; this node is still registered", "master", w.addr)
			}
			// Another URI: a node took this name, and the master asked
			// this one to shut down (onShutdown).
			lost = false
			continue
		}
		if ctx.Err() != nil {
			return
		}
		if err := w.register(); err != nil {
			if !failing {
				failing = true
				w.log.Warn("ROS master restarted, and registering this node again failed; retrying", "master", w.addr, "err", err)
			}
			continue
		}
		w.log.Info("ROS master restarted: registered this node again", "master", w.addr,
			"publishers", len(w.reg.pubs), "subscribers", len(w.reg.subs), "parameters", len(w.reg.params))
		lost, failing = false, false
	}
}

// register registers the recorded parameters, publishers and subscribers
// with the master; subscribers learn of publishers that registered first.
func (w *masterWatch) register() error {
	for k, v := range w.reg.params {
		if err := w.setParam(k, v); err != nil {
			return fmt.Errorf("set parameter %s: %w", k, err)
		}
	}
	for topic, typ := range w.reg.pubs {
		if _, err := w.master.RegisterPublisher(topic, typ, w.reg.uri); err != nil {
			return fmt.Errorf("register publisher of %s: %w", topic, err)
		}
	}
	u, err := url.Parse(w.reg.uri)
	if err != nil {
		return fmt.Errorf("node URI %q: %w", w.reg.uri, err)
	}
	self := apislave.NewClient(u.Host, w.name, w.http)
	for topic, typ := range w.reg.subs {
		pubs, err := w.master.RegisterSubscriber(topic, typ, w.reg.uri)
		if err != nil {
			return fmt.Errorf("register subscriber of %s: %w", topic, err)
		}
		// goroslib drops links to publishers missing from an update, and
		// the master lists only publishers that registered again: an
		// empty list would cut links that still carry messages.
		if len(pubs) > 0 {
			if err := self.PublisherUpdate(topic, pubs); err != nil {
				return fmt.Errorf("update publishers of %s: %w", topic, err)
			}
		}
	}
	return nil
}
