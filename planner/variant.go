package planner

import "fmt"

// The Diffusion Forcing planner and its ablations, by the names dfplan
// bench and dfplan node give them (Variant).
const (
	VariantDF      = "df"       // pyramid schedule, Monte Carlo Guidance
	VariantDFNoMCG = "df-nomcg" // pyramid schedule, plain guidance
	VariantFullSeq = "fullseq"  // full-sequence schedule, plain guidance: Diffuser-like
	// VariantDFTD is df guided by a learned temporal distance to the goal
	// (Config.Distance) instead of the straight line.
	VariantDFTD = "df-td"
)

// DefaultDetour is df-td's blend of the learned distance with the straight
// line (Config.DetourFrom, DetourTo): between these ratios of the learned
// distance to the straight line lie the pairs the straight line joins
// through open space and those it joins through a wall, on medium and large
// (experiments/distance, fieldcheck).
var DefaultDetour = [2]float64{1.3, 1.7}

// Variant returns c as the named planner runs it. The method and its
// ablations differ only in schedule and Monte Carlo samples, and df-td in
// its distance to the goal; everything else is c's. df-td, and every
// variant whose c.Objective is ObjectiveLearned, keep c.Distance and need
// one; the others drop it.
func Variant(name string, c Config) (Config, error) {
	if name == VariantDFTD || c.Objective == ObjectiveLearned {
		if c.Distance == nil {
			return c, fmt.Errorf("planner variant %s with the learned objective: needs a learned distance model (dfplan train-distance)", name)
		}
		c.Objective = ObjectiveLearned
		if c.DetourTo == 0 {
			// The learned distance where it says a wall is in the way,
			// the straight line elsewhere: the learned distance alone
			// scored −31.7 ± 11.9 on medium's multi-task goals (seed
			// 777), the blend −18.2 ± 8.2 (experiments/distance).
			c.DetourFrom, c.DetourTo = DefaultDetour[0], DefaultDetour[1]
		}
		if name == VariantDFTD {
			name = VariantDF
		}
	} else {
		c.Distance = nil
	}
	switch name {
	case VariantDF:
		if c.Schedule == "" {
			c.Schedule = Pyramid
		}
	case VariantDFNoMCG:
		if c.Schedule == "" {
			c.Schedule = Pyramid
		}
		c.MCGSamples = 1
	case VariantFullSeq:
		c.Schedule = FullSequence
		c.Uncertainty = 0
		c.MCGSamples = 1
	default:
		return c, fmt.Errorf("planner variant %q: want %s, %s, %s or %s", name, VariantDF, VariantDFNoMCG, VariantFullSeq, VariantDFTD)
	}
	return c, nil
}
