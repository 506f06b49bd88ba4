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

// Variant returns c as the named planner runs it. The method and its
// ablations differ only in schedule and Monte Carlo samples, and df-td in
// its distance to the goal; everything else is c's. Only df-td keeps
// c.Distance, and it needs one.
func Variant(name string, c Config) (Config, error) {
	if name == VariantDFTD {
		if c.Distance == nil {
			return c, fmt.Errorf("planner variant %s: needs a learned distance model (dfplan train-distance)", name)
		}
		name = VariantDF
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
