package planner

import (
	"fmt"
	"math"
	"slices"

	"github.com/dfplan/dfplan/guidance"
)

// checkRequests refuses requests the model cannot plan for.
func (p *Planner) checkRequests(reqs []Request) error {
	for i, r := range reqs {
		if len(r.Obs) != p.mconf.ObsDim {
			return fmt.Errorf("plan: observation %d has %d values, model wants %d", i, len(r.Obs), p.mconf.ObsDim)
		}
		if len(r.Goal) != 2 {
			return fmt.Errorf("plan: goal %d has %d values, want x, y", i, len(r.Goal))
		}
		if v, bad := nonFinite(r.Obs, r.Goal); bad {
			return fmt.Errorf("plan: observation or goal %d contains %v", i, v)
		}
	}
	return nil
}

// normalizeObs returns the requests' observations, normalized, B × ObsDim.
func (p *Planner) normalizeObs(reqs []Request) []float32 {
	od := p.mconf.ObsDim
	obs0 := make([]float32, len(reqs)*od)
	for i, r := range reqs {
		p.norm.NormalizeObs(obs0[i*od:(i+1)*od], r.Obs)
	}
	return obs0
}

// objectiveGoals returns the goals the objective sees: each request's goal,
// with the stop weight for a robot within StopGate of it when StopWeight
// is set, expressed in the frame the model's positions are in. The
// objective unnormalizes a position as x·Std + Mean, and a position held
// relative to o_0 (dynamics.Config.RelativeDims) is off by o_0's
// normalized position times Std, so the goal moves by that instead.
func (p *Planner) objectiveGoals(reqs []Request, obs0 []float32) []guidance.Goal {
	out := make([]guidance.Goal, len(reqs))
	for i, r := range reqs {
		g := guidance.Goal{X: r.Goal[0], Y: r.Goal[1]}
		if p.conf.StopWeight > 0 && math.Hypot(r.Obs[0]-r.Goal[0], r.Obs[1]-r.Goal[1]) < p.conf.StopGate {
			g.Stop = p.conf.StopWeight
		}
		rel := min(p.mconf.RelativeDims, 2)
		if rel > 0 {
			g.Origin[0] = float64(obs0[i*p.mconf.ObsDim]) * p.norm.Std[0]
		}
		if rel > 1 {
			g.Origin[1] = float64(obs0[i*p.mconf.ObsDim+1]) * p.norm.Std[1]
		}
		g.X -= g.Origin[0]
		g.Y -= g.Origin[1]
		out[i] = g
	}
	return out
}

// decode unnormalizes clean tokens into per-frame plans, clipping actions
// to [-1, 1]. obs0 holds the normalized observations planned from.
func (p *Planner) decode(x, obs0 []float32) []*Plan {
	fs, od, ad := p.mconf.FrameStack, p.mconf.ObsDim, p.mconf.ActDim
	fd := od + ad
	frames := p.conf.HorizonTokens * fs
	plans := make([]*Plan, len(obs0)/od)
	for i := range plans {
		pl := &Plan{Observations: make([][]float64, frames), Actions: make([][]float64, frames)}
		for f := 0; f < frames; f++ {
			frame := slices.Clone(x[(i*frames+f)*fd : (i*frames+f+1)*fd])
			p.mconf.FromRelative(frame[:od], obs0[i*od:(i+1)*od])
			o, a := make([]float64, od), make([]float64, ad)
			p.norm.UnnormalizeFrame(o, a, frame)
			for j := range a {
				a[j] = min(max(a[j], -1), 1)
			}
			pl.Observations[f], pl.Actions[f] = o, a
		}
		plans[i] = pl
	}
	return plans
}

// nonFinite returns the first NaN or infinite value in vs, if any.
func nonFinite(vs ...[]float64) (float64, bool) {
	for _, v := range vs {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return x, true
			}
		}
	}
	return 0, false
}
