package dynamics

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/internal/safetensors"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	c := tinyConfig()
	norm := Normalization{Mean: []float64{1, 2, 3, 4, 5, 6}, Std: []float64{.5, 1, 2, 3, 4, 5}}
	m, err := New(c, norm, 3)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	prov := Provenance{Command: "dfplan train", Steps: 17, TrainLoss: 0.25}
	if err := m.Save(path, prov); err != nil {
		t.Fatal(err)
	}
	m2, meta, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if meta.Config != c || meta.Provenance.Steps != 17 || meta.Parameters != m.NumParams() || meta.Resumable {
		t.Fatalf("meta = %+v", meta)
	}
	if !strings.HasPrefix(meta.Checksum, "sha256:") {
		t.Errorf("checksum %q", meta.Checksum)
	}
	in := randomInput(c, 2, 3, rand.New(rand.NewPCG(1, 1)))
	a, _ := m.Predict(in)
	b, err := m2.Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.X0 {
		if a.X0[i] != b.X0[i] {
			t.Fatalf("loaded model predicts %g, saved one %g", b.X0[i], a.X0[i])
		}
	}
	if got := m2.Normalization(); got.Std[2] != 2 {
		t.Errorf("normalization %+v", got)
	}
}

// The file must be plain safetensors: parse it independently of the reader.
func TestCheckpointIsSafetensors(t *testing.T) {
	c := tinyConfig()
	m, _ := New(c, IdentityNormalization(c.FrameDim()), 1)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := m.Save(path, Provenance{}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	n := binary.LittleEndian.Uint64(b)
	if (8+n)%8 != 0 {
		t.Errorf("data section at byte %d is not 8-byte aligned", 8+n)
	}
	var header map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &header); err != nil {
		t.Fatal(err)
	}
	var meta map[string]string
	if err := json.Unmarshal(header["__metadata__"], &meta); err != nil {
		t.Fatalf("__metadata__ must map strings to strings: %v", err)
	}
	var w struct {
		Dtype   string   `json:"dtype"`
		Shape   []int    `json:"shape"`
		Offsets [2]int64 `json:"data_offsets"`
	}
	if err := json.Unmarshal(header["head.weight"], &w); err != nil {
		t.Fatal(err)
	}
	if w.Dtype != "F32" || len(w.Shape) != 2 || w.Shape[0] != c.Hidden || w.Shape[1] != c.TokenDim() ||
		w.Offsets[1]-w.Offsets[0] != int64(4*c.Hidden*c.TokenDim()) {
		t.Errorf("head.weight entry %+v", w)
	}
	if meta["format"] != FormatVersion {
		t.Errorf("format %q", meta["format"])
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	c := tinyConfig()
	m, _ := New(c, IdentityNormalization(c.FrameDim()), 1)
	dir := t.TempDir()
	good := filepath.Join(dir, "m.safetensors")
	if err := m.Save(good, Provenance{}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	n := binary.LittleEndian.Uint64(raw)
	flip := append([]byte(nil), raw...)
	flip[len(flip)-3] ^= 0x40
	// Same header, but a config that does not match the weights.
	other := tinyConfig()
	other.Hidden = 20
	om, _ := New(other, IdentityNormalization(c.FrameDim()), 1)
	otherPath := filepath.Join(dir, "o.safetensors")
	om.Save(otherPath, Provenance{})
	swapped := swapMetadata(t, raw, "config", mustJSON(t, other))
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "shorter than"},
		{"truncated", raw[:len(raw)-10], "truncated"},
		{"truncated header", raw[:8+n/2], "does not fit"},
		{"not safetensors", []byte("PK\x03\x04 this is a zip file, not a model"), "header length"},
		{"checksum mismatch", flip, "checksum mismatch"},
		{"config does not match weights", swapped, "config needs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := LoadBytes(tc.data, "x")
			if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrFormat mentioning %q", err, tc.want)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// swapMetadata rewrites one metadata entry, keeping the file otherwise valid.
func swapMetadata(t *testing.T, raw []byte, key, value string) []byte {
	tensors, meta, _, err := safetensors.Read(raw)
	if err != nil {
		t.Fatal(err)
	}
	meta[key] = value
	var sb strings.Builder
	if err := safetensors.Write(&sb, tensors, meta); err != nil {
		t.Fatal(err)
	}
	return []byte(sb.String())
}
