package planner

import (
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzDecodeConfig: a plan file (YAML planner settings) decodes into a
// config that validates, or gives an error — never a panic — and what it
// decodes survives a round trip through YAML unchanged. The seed corpus is
// the shipped plan files and a few broken ones.
func FuzzDecodeConfig(f *testing.F) {
	shipped, _ := filepath.Glob("../models/shipped/*.plan.yaml")
	for _, p := range shipped {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", "sampling_steps: 10\n", "mcg_samples: -3\n", "open_loop: 2.5\n", "a: [\n",
		"sampling_steps: 4\n---\nsampling_steps: 6\n", "guidance_scale: .nan\n", "horizon_tokens: 99999999999\n",
		"schedule: pyramid\nuncertainty: 2\n", "stop_weight: 1\nguidance_scale: 0\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeConfig(data, DefaultConfig)
		if err != nil {
			if c != DefaultConfig {
				t.Fatalf("a refused file changed the base config: %+v", c)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("decoded a config that does not validate: %v", err)
		}
		b, err := yaml.Marshal(c)
		if err != nil {
			t.Fatalf("re-encode %+v: %v", c, err)
		}
		again, err := DecodeConfig(b, Config{})
		if err != nil {
			t.Fatalf("round trip of %+v: %v", c, err)
		}
		if again != c {
			t.Fatalf("round trip changed the config: %+v → %+v", c, again)
		}
	})
}
