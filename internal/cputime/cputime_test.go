package cputime

import (
	"runtime"
	"testing"
)

// Busy work advances the process's CPU time.
func TestProcessAdvances(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no CPU time on this platform")
	}
	start := Process()
	x := 0.0
	for i := range 50_000_000 {
		x += float64(i % 7)
	}
	if d := Process() - start; d <= 0 {
		t.Errorf("CPU time advanced by %v over 50 M additions (sum %v)", d, x)
	}
}
