// Package cputime reads the CPU time this process has used, for benchmarks
// on a shared machine: besides wall-clock rates they report the rate per
// second of CPU time the process actually got, which is what the code
// reaches on an idle core (with GOMAXPROCS=1 the process is one busy
// thread, plus the garbage collector's share).
package cputime

import "time"

// Process returns the user and system CPU time of this process so far, or
// 0 where the platform does not report it.
func Process() time.Duration { return process() }
