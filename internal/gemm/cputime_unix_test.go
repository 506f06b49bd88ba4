//go:build unix

package gemm

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time. The machine is shared, so besides
// wall-clock GFLOP/s the benchmarks report cpuGFLOP/s, the rate per second
// of CPU time this process got, which is what the code would reach on an
// idle core (with GOMAXPROCS=1 the process is one busy thread).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
