package planner

import "fmt"

// The Diffusion Forcing planner and its ablations, by the names dfplan
// bench and dfplan node give them (Variant).
const (
	VariantDF      = "df"       // pyramid schedule, Monte Carlo Guidance
	VariantDFNoMCG = "df-nomcg" // pyramid schedule, plain guidance
	VariantFullSeq = "fullseq"  // full-sequence schedule, plain guidance: Diffuser-like
)

// Variant returns c as the named planner runs it. The method and its
// ablations differ only in schedule and Monte Carlo samples; everything
// else is c's.
func Variant(name string, c Config) (Config, error) {
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
		return c, fmt.Errorf("planner variant %q: want %s, %s or %s", name, VariantDF, VariantDFNoMCG, VariantFullSeq)
	}
	return c, nil
}
