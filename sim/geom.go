package sim

import (
	"math"

	"github.com/golang/geo/r1"
)

func r2Interval(lo, hi float64) r1.Interval { return r1.Interval{Lo: lo, Hi: hi} }

func floor(x float64) float64 { return math.Floor(x) }
func ceil(x float64) float64  { return math.Ceil(x) }

func roundHalfEven(x float64) float64 { return math.RoundToEven(x) }
