package robot

import (
	"fmt"
	"sync"
)

// stopState is how a node stops: by Close, or by itself when ROS asks it
// to shut down. Node and SimNode embed it.
type stopState struct {
	stopOnce sync.Once     // the shutdown request is handled once
	done     chan struct{} // closed by a shutdown request or Close
	doneOnce sync.Once
	errMu    sync.Mutex
	err      error // why the node stopped by itself; guarded by errMu
}

func newStopState() stopState { return stopState{done: make(chan struct{})} }

// Done returns a channel that is closed when the node has stopped: after
// ROS shut it down (Err then says why; the node still needs Close) or
// after Close.
func (s *stopState) Done() <-chan struct{} { return s.done }

// Err returns nil, or once ROS has shut the node down, an error wrapping
// ErrShutdownRequested that names who asked and why.
func (s *stopState) Err() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

// shutdownRequested runs stop once for the first shutdown request: it
// records why, calls stop, then closes Done.
func (s *stopState) shutdownRequested(reason string, stop func()) {
	s.stopOnce.Do(func() {
		s.errMu.Lock()
		s.err = fmt.Errorf("%w: %s", ErrShutdownRequested, reason)
		s.errMu.Unlock()
		stop()
		s.closeDone()
	})
}

func (s *stopState) closeDone() { s.doneOnce.Do(func() { close(s.done) }) }

// joined is called by a node joining the ROS graph after each step that
// the master sees (the node itself, then each topic): tests
// send a shutdown request there, to stop a node part-way through its
// start-up.
var joined = func(step string) {}
