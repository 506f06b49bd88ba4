package dynamics

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadBytes: any bytes load as a checkpoint or give an error, never a
// panic; a loaded model has the parameter count its metadata states.
func FuzzLoadBytes(f *testing.F) {
	c := DefaultConfig()
	c.FrameStack, c.ZDim, c.Hidden, c.Layers, c.EncoderHidden, c.EmbedDim, c.DiffusionSteps = 2, 4, 8, 1, 4, 4, 100
	m, err := New(c, IdentityNormalization(c.FrameDim()), 1)
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "seed.safetensors")
	if err := m.Save(path, Provenance{Command: "fuzz seed"}); err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte("\x08\x00\x00\x00\x00\x00\x00\x00{}      "))
	f.Add([]byte("\x02\x00\x00\x00\x00\x00\x00\x00{}"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, meta, err := LoadBytes(data, "fuzz.safetensors")
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans lines; want one", err)
			}
			return
		}
		if m == nil || meta == nil {
			t.Fatal("no error and no model")
		}
		if meta.Parameters != m.NumParams() {
			t.Fatalf("metadata says %d parameters, the model has %d", meta.Parameters, m.NumParams())
		}
	})
}
