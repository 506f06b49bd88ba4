package planner

import (
	"math"

	"github.com/dfplan/dfplan/guidance"
)

// diagnostics accumulates, per plan, the mean over sampling rows of what
// guidance reports (Plan.MCGShift); 0 where it reported none.
type diagnostics struct {
	shift    []float64
	n        []int
	unguided []bool // plans taking no guidance: skipped
}

func newDiagnostics(b int, unguided []bool) *diagnostics {
	return &diagnostics{shift: make([]float64, b), n: make([]int, b), unguided: unguided}
}

// add takes one row's estimate.
func (d *diagnostics) add(est *guidance.Result) {
	for i, v := range est.Shift {
		if !d.unguided[i] && !math.IsNaN(v) {
			d.shift[i] += v
			d.n[i]++
		}
	}
}

// means returns each plan's mean shift.
func (d *diagnostics) means() []float64 {
	for i := range d.shift {
		if d.n[i] > 0 {
			d.shift[i] /= float64(d.n[i])
		}
	}
	return d.shift
}
