package robot

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// samples keeps the most recent measurements of one kind (durations,
// tick counts; a ring of fixed size) for percentiles; safe for concurrent
// use.
type samples[T cmp.Ordered] struct {
	mu    sync.Mutex
	buf   []T
	next  int
	count int64
}

const samplesCap = 1 << 14

func (s *samples[T]) add(d T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf) < samplesCap {
		s.buf = append(s.buf, d)
	} else {
		s.buf[s.next] = d
		s.next = (s.next + 1) % samplesCap
	}
	s.count++
}

// quantiles returns the q-quantiles (nearest rank) of the kept samples and
// how many samples were ever added.
func (s *samples[T]) quantiles(qs ...float64) ([]T, int64) {
	s.mu.Lock()
	sorted := slices.Clone(s.buf)
	n := s.count
	s.mu.Unlock()
	slices.Sort(sorted)
	out := make([]T, len(qs))
	if len(sorted) == 0 {
		return out, n
	}
	for i, q := range qs {
		k := int(q*float64(len(sorted))+0.5) - 1
		out[i] = sorted[max(0, min(k, len(sorted)-1))]
	}
	return out, n
}

// ordered returns the kept samples, oldest first.
func (s *samples[T]) ordered() []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf) < samplesCap {
		return slices.Clone(s.buf)
	}
	return append(slices.Clone(s.buf[s.next:]), s.buf[:s.next]...)
}

// NodeStats are timing measurements of a running node: how regular the
// control tick is and how long plans take. They are measurements, not
// pass/fail thresholds.
type NodeStats struct {
	// Ticks is the number of control ticks so far.
	Ticks int64
	// TickJitterP50 and TickJitterP99 are percentiles of |actual tick
	// period − nominal period| over the last 16384 ticks.
	TickJitterP50, TickJitterP99 time.Duration
	// Replans is the number of plans the policy returned (with or without
	// error), not counting requests cancelled before they returned (by a
	// new goal, Cancel or an odometry stop).
	Replans int64
	// ReplanP50 and ReplanP99 are percentiles of the policy's Plan latency
	// (request to result) over the last 16384 plans.
	ReplanP50, ReplanP99 time.Duration
	// TicksPerPlanP50 and TicksPerPlanP99 are percentiles, over the last
	// 16384 plans handed to the executor, of the control ticks from the
	// tick a plan was asked at to the tick it arrived: the count the
	// executor skips a late plan's actions by, and automatic lookahead
	// takes the median of (planner.Executor.Arrive). Plans that failed or
	// were dropped (a new goal, Cancel, an odometry stop) do not count.
	TicksPerPlanP50, TicksPerPlanP99 int
	// Goals is the number of goals the node has driven to: usable ones,
	// each counted once however often it is re-sent.
	Goals int64
	// SafetyTicks is the number of ticks that published a zero action
	// because a fault was active.
	SafetyTicks int64
}
