package dynamics

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/dfplan/dfplan/internal/atomicfile"
	"github.com/dfplan/dfplan/internal/safetensors"
)

// Checkpoint format: a safetensors file (readable by PyTorch's
// safetensors.torch.load_file) holding
//
//   - every weight under its layer name ("pre.in.weight", "gru.reset.bias",
//     ...). Linear weights are (in, out): a layer computes y = x @ W + b.
//   - when saved by a trainer, AdamW moments "optim.m.<name>" and
//     "optim.v.<name>".
//   - metadata (JSON strings): "format" = FormatVersion, "config",
//     "normalization", "provenance", "train_state" (trainer only) and
//     "checksum" = "sha256:<hex>" of the whole tensor data section, checked on
//     load.

// FormatVersion names the checkpoint layout; Load refuses any other.
const FormatVersion = "dfplan.dynamics/1"

// Provenance records how a checkpoint was made.
type Provenance struct {
	// Command is the command line that trained the model.
	Command string `json:"command,omitempty"`
	// Data is the training data file and DataSHA256 its SHA-256.
	Data       string `json:"data,omitempty"`
	DataSHA256 string `json:"data_sha256,omitempty"`
	// Init is the checkpoint whose weights this training started from
	// ('dfplan train --init'), and InitChecksum that file's tensor checksum;
	// empty for a model trained from scratch. Steps then counts the
	// fine-tuning steps only.
	Init         string `json:"init,omitempty"`
	InitChecksum string `json:"init_checksum,omitempty"`
	// Steps is the number of optimizer steps taken.
	Steps int `json:"steps"`
	// Tokens is the number of training tokens seen (Steps × batch × horizon).
	Tokens int64 `json:"tokens,omitempty"`
	// TrainLoss is the mean training loss over the last steps; ValLoss the
	// loss on the held-out segments (same weighting), NaN-free or 0 if none.
	TrainLoss float64 `json:"train_loss"`
	ValLoss   float64 `json:"val_loss"`
	// FirstLoss is the mean training loss over the first steps.
	FirstLoss float64 `json:"first_loss,omitempty"`
	// Seed is the training seed.
	Seed int64 `json:"seed"`
	// WallSeconds is the training wall time summed over all runs (resumes).
	WallSeconds float64 `json:"wall_seconds,omitempty"`
	// TokensPerSecond is the training throughput of the last run.
	TokensPerSecond float64 `json:"tokens_per_second,omitempty"`
	// Date is when the checkpoint was written (RFC 3339).
	Date string `json:"date,omitempty"`
	// Train is the training configuration.
	Train *TrainConfig `json:"train,omitempty"`
	// Summary is the human-readable summary printed at the end of training.
	Summary string `json:"summary,omitempty"`
}

// Meta is what a checkpoint says about itself (`dfplan model info`).
type Meta struct {
	Format        string        `json:"format"`
	Config        Config        `json:"config"`
	Normalization Normalization `json:"normalization"`
	Provenance    Provenance    `json:"provenance"`
	// Checksum is "sha256:<hex>" of the tensor data section.
	Checksum string `json:"checksum"`
	// Parameters is the number of trainable scalars.
	Parameters int `json:"parameters"`
	// Resumable reports whether the file carries optimizer state.
	Resumable bool `json:"resumable"`
	// Kind is KindCheckpoint for a file that carries optimizer state, or
	// KindModel for weights only (what the planner reads, and what ships).
	Kind string `json:"kind"`
}

// The kinds of checkpoint file (Meta.Kind).
const (
	KindCheckpoint = "checkpoint" // weights, normalization, provenance and the trainer's state: resumable
	KindModel      = "model"      // weights, normalization and provenance only
)

// Save writes the model atomically to path (see the format above).
func (m *Model) Save(path string, prov Provenance) error {
	return m.save(path, prov, nil)
}

func (m *Model) save(path string, prov Provenance, ts *trainState) error {
	m.mu.Lock()
	tensors := make([]safetensors.Tensor, 0, len(m.params))
	for _, p := range m.params {
		tensors = append(tensors, safetensors.Tensor{Name: p.name, Shape: p.shape, Data: append([]float32(nil), p.data...)})
	}
	m.mu.Unlock()
	meta := map[string]string{"format": FormatVersion}
	put := func(key string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("save %s: encode %s: %w", path, key, err)
		}
		meta[key] = string(b)
		return nil
	}
	if ts != nil {
		for i, p := range m.params {
			tensors = append(tensors, safetensors.Tensor{Name: "optim.m." + p.name, Shape: p.shape, Data: ts.adamM[i]})
		}
		for i, p := range m.params {
			tensors = append(tensors, safetensors.Tensor{Name: "optim.v." + p.name, Shape: p.shape, Data: ts.adamV[i]})
		}
		if err := put("train_state", ts.header); err != nil {
			return err
		}
	}
	for k, v := range map[string]any{"config": m.cfg, "normalization": m.norm, "provenance": prov} {
		if err := put(k, v); err != nil {
			return err
		}
	}
	meta[safetensors.ChecksumKey] = safetensors.Checksum(safetensors.Bytes(tensors))
	if err := atomicfile.Write(path, func(w io.Writer) error { return safetensors.Write(w, tensors, meta) }); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	return nil
}

// Load reads a checkpoint written by Save, verifying its checksum and that
// its weights match its config.
func Load(path string) (*Model, *Meta, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("load model: %w", err)
	}
	return LoadBytes(b, path)
}

// LoadBytes is Load for a checkpoint already in memory (go:embed); name
// appears in error messages.
func LoadBytes(data []byte, name string) (*Model, *Meta, error) {
	m, meta, _, err := loadBytes(data)
	if err != nil {
		return nil, nil, fmt.Errorf("load model %s: %w", name, err)
	}
	return m, meta, nil
}

func loadBytes(data []byte) (*Model, *Meta, *trainState, error) {
	tensors, md, raw, err := safetensors.Read(data)
	if err != nil {
		return nil, nil, nil, err
	}
	if md["format"] != FormatVersion {
		return nil, nil, nil, fmt.Errorf("%w: metadata format %q, want %q", ErrFormat, md["format"], FormatVersion)
	}
	if err := safetensors.VerifyChecksum(raw, md); err != nil {
		return nil, nil, nil, err
	}
	meta := &Meta{Format: md["format"], Checksum: md["checksum"]}
	for _, f := range []struct {
		key      string
		v        any
		required bool
	}{
		{"config", &meta.Config, true},
		{"normalization", &meta.Normalization, true},
		{"provenance", &meta.Provenance, false},
	} {
		s, ok := md[f.key]
		if !ok {
			if f.required {
				return nil, nil, nil, fmt.Errorf("%w: metadata has no %q", ErrFormat, f.key)
			}
			continue
		}
		dec := json.NewDecoder(strings.NewReader(s))
		dec.DisallowUnknownFields()
		if err := dec.Decode(f.v); err != nil {
			return nil, nil, nil, fmt.Errorf("%w: metadata %q: %v", ErrFormat, f.key, err)
		}
	}
	m, err := newModel(meta.Config, meta.Normalization)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	byName := make(map[string]safetensors.Tensor, len(tensors))
	for _, t := range tensors {
		byName[t.Name] = t
	}
	for _, p := range m.params {
		t, ok := byName[p.name]
		if !ok {
			return nil, nil, nil, fmt.Errorf("%w: config needs tensor %q, which the file lacks", ErrFormat, p.name)
		}
		if !slices.Equal(t.Shape, p.shape) {
			return nil, nil, nil, fmt.Errorf("%w: tensor %q has shape %v, config needs %v (config does not match weights)", ErrFormat, p.name, t.Shape, p.shape)
		}
		copy(p.data, t.Data)
	}
	known := len(m.params)
	var ts *trainState
	if s, ok := md["train_state"]; ok {
		ts = &trainState{}
		if err := json.Unmarshal([]byte(s), &ts.header); err != nil {
			return nil, nil, nil, fmt.Errorf("%w: metadata train_state: %v", ErrFormat, err)
		}
		for _, p := range m.params {
			tm, okm := byName["optim.m."+p.name]
			tv, okv := byName["optim.v."+p.name]
			if !okm || !okv || !slices.Equal(tm.Shape, p.shape) || !slices.Equal(tv.Shape, p.shape) {
				return nil, nil, nil, fmt.Errorf("%w: optimizer state for %q missing or misshapen", ErrFormat, p.name)
			}
			ts.adamM = append(ts.adamM, tm.Data)
			ts.adamV = append(ts.adamV, tv.Data)
		}
		known += 2 * len(m.params)
	}
	if len(tensors) != known {
		for _, t := range tensors {
			if _, ok := m.byName[strings.TrimPrefix(strings.TrimPrefix(t.Name, "optim.m."), "optim.v.")]; !ok {
				return nil, nil, nil, fmt.Errorf("%w: unexpected tensor %q for this config", ErrFormat, t.Name)
			}
		}
		return nil, nil, nil, fmt.Errorf("%w: %d tensors, want %d", ErrFormat, len(tensors), known)
	}
	meta.Parameters = m.NumParams()
	meta.Resumable = ts != nil
	meta.Kind = KindModel
	if meta.Resumable {
		meta.Kind = KindCheckpoint
	}
	return m, meta, ts, nil
}

// ErrFormat marks a file that is not a well-formed dfplan checkpoint
// (safetensors.ErrFormat).
var ErrFormat = safetensors.ErrFormat
