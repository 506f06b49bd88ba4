package dynamics

import (
	"math"
	"testing"
)

func TestLinearScheduleMatchesClosedForm(t *testing.T) {
	for _, T := range []int{1000, 100, 50} {
		s, err := NewSchedule("linear", T)
		if err != nil {
			t.Fatal(err)
		}
		scale := 1000 / float64(T)
		lo, hi := 1e-4*scale, 2e-2*scale
		if s.T() != T || s.AlphaBar(0) != 1 {
			t.Fatalf("T=%d: T() = %d, ᾱ_0 = %g", T, s.T(), s.AlphaBar(0))
		}
		// β_1 = lo, β_T = hi; log ᾱ_T = Σ log(1 − β_i) with β linear.
		if math.Abs(s.Beta(1)-lo) > 1e-15 || math.Abs(s.Beta(T)-hi) > 1e-15 {
			t.Errorf("T=%d: β_1 = %g, β_T = %g, want %g, %g", T, s.Beta(1), s.Beta(T), lo, hi)
		}
		want := 0.0
		for i := range T {
			want += math.Log(1 - (lo + (hi-lo)*float64(i)/float64(T-1)))
		}
		// Relative 1e-12: the product of T ≤ 1000 factors in float64.
		if got := math.Log(s.AlphaBar(T)); math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("T=%d: log ᾱ_T = %.15g, want %.15g", T, got, want)
		}
	}
	// The DDPM schedule at T = 1000 ends at ᾱ_T ≈ 4.04e-5.
	s, _ := NewSchedule("linear", 1000)
	if got := s.AlphaBar(1000); math.Abs(got-4.0358e-5) > 1e-8 {
		t.Errorf("ᾱ_1000 = %g, want ≈ 4.0358e-5", got)
	}
}

func TestCosineScheduleMatchesClosedForm(t *testing.T) {
	const T, off = 1000, 0.008
	s, err := NewSchedule("cosine", T)
	if err != nil {
		t.Fatal(err)
	}
	f := func(k int) float64 {
		c := math.Cos((float64(k)/T + off) / (1 + off) * math.Pi / 2)
		return c * c
	}
	// Below the β clip (reached only in the last steps) ᾱ_k = f(k)/f(0).
	for _, k := range []int{0, 1, 10, 250, 500, 900} {
		if got, want := s.AlphaBar(k), f(k)/f(0); math.Abs(got-want) > 1e-12 {
			t.Errorf("ᾱ_%d = %.15g, want %.15g", k, got, want)
		}
	}
	if s.Beta(T) != 0.999 {
		t.Errorf("β_T = %g, want the clip 0.999", s.Beta(T))
	}
}

func TestScheduleRejectsUnknownKind(t *testing.T) {
	if _, err := NewSchedule("sigmoid", 10); err == nil {
		t.Error("accepted an unknown schedule")
	}
	if _, err := NewSchedule("linear", 10); err == nil { // β would exceed 1
		t.Error("accepted a linear schedule with β > 1")
	}
	if _, err := NewSchedule("linear", 0); err == nil {
		t.Error("accepted T = 0")
	}
}

func TestDiffusionIdentities(t *testing.T) {
	s, _ := NewSchedule("linear", 1000)
	const x0, eps = 0.7, -1.3
	for _, k := range []int{1, 10, 500, 1000} {
		xk := s.QSample(x0, eps, k)
		ab := s.AlphaBar(k)
		if want := math.Sqrt(ab)*x0 + math.Sqrt(1-ab)*eps; math.Abs(xk-want) > 1e-14 {
			t.Errorf("QSample k=%d = %g, want %g", k, xk, want)
		}
		if got := s.EpsFromX0(xk, x0, k); math.Abs(got-eps) > 1e-9 {
			t.Errorf("EpsFromX0 k=%d = %g, want %g", k, got, eps)
		}
		if got := s.X0FromEps(xk, eps, k); math.Abs(got-x0) > 1e-6 {
			t.Errorf("X0FromEps k=%d = %g, want %g", k, got, x0)
		}
		// DDIM with η = 0 and the true x0 lands exactly on the same noise
		// path at the lower level.
		for _, kn := range []int{0, k / 2} {
			want := s.QSample(x0, eps, kn)
			if got := s.DDIMStep(xk, x0, 0, k, kn, 0); math.Abs(got-want) > 1e-9 {
				t.Errorf("DDIMStep %d→%d = %g, want %g", k, kn, got, want)
			}
		}
	}
	if got := s.DDIMStep(0.3, 0.9, 0, 5, 5, 1); got != 0.3 {
		t.Errorf("DDIMStep with kNext = k changed the value: %g", got)
	}
	// η = 1 is DDPM's posterior variance: σ² = β̃ = (1−ᾱ')/(1−ᾱ)·β for one step.
	k := 400
	ab, abn := s.AlphaBar(k), s.AlphaBar(k-1)
	want := (1 - abn) / (1 - ab) * s.Beta(k)
	if got := s.DDIMSigma(k, k-1, 1); math.Abs(got*got-want) > 1e-15 {
		t.Errorf("σ² = %g, want posterior variance %g", got*got, want)
	}
}
