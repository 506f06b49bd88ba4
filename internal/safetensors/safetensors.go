// Package safetensors reads and writes the safetensors format with F32
// tensors only: the file format of dfplan's models.
package safetensors

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
)

// The safetensors format (https://github.com/huggingface/safetensors):
//
//	8 bytes    little-endian uint64 N, the header length
//	N bytes    JSON object: tensor name → {"dtype", "shape", "data_offsets": [begin, end]},
//	           plus "__metadata__": string → string; padded with spaces
//	rest       the tensors' raw little-endian bytes, back to back
//
// Offsets are relative to the start of the data section. Only F32 tensors
// are written or accepted here.

// ErrFormat marks a file that is not a well-formed dfplan checkpoint.
var ErrFormat = errors.New("not a valid checkpoint")

// maxHeader bounds the JSON header (the reference implementation's limit).
const maxHeader = 100 << 20

// Tensor is one named F32 tensor.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

type stEntry struct {
	Dtype       string   `json:"dtype"`
	Shape       []int    `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// Write serializes tensors (in the given order) and metadata.
func Write(w io.Writer, tensors []Tensor, meta map[string]string) error {
	header := make(map[string]any, len(tensors)+1)
	var off int64
	for _, t := range tensors {
		n := int64(len(t.Data)) * 4
		header[t.Name] = stEntry{Dtype: "F32", Shape: t.Shape, DataOffsets: [2]int64{off, off + n}}
		off += n
	}
	if len(meta) > 0 {
		header["__metadata__"] = meta
	}
	hj, err := json.Marshal(header)
	if err != nil {
		return err
	}
	// Pad with spaces so the data section starts 8-byte aligned.
	for (8+len(hj))%8 != 0 {
		hj = append(hj, ' ')
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(hj)))
	if _, err := w.Write(lenBuf[:]); err != nil {
		return err
	}
	if _, err := w.Write(hj); err != nil {
		return err
	}
	_, err = w.Write(Bytes(tensors))
	return err
}

// Bytes is the data section: every tensor's little-endian float32s.
func Bytes(tensors []Tensor) []byte {
	n := 0
	for _, t := range tensors {
		n += len(t.Data) * 4
	}
	buf := make([]byte, 0, n)
	for _, t := range tensors {
		for _, v := range t.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
	}
	return buf
}

// Read parses a whole file held in memory. It checks that the
// header is well-formed, every tensor is F32 with offsets matching its shape,
// and the tensors exactly tile the data section. It returns the tensors in
// file order, the metadata and the raw data section.
func Read(b []byte) ([]Tensor, map[string]string, []byte, error) {
	if len(b) < 8 {
		return nil, nil, nil, fmt.Errorf("%w: %d bytes, shorter than the 8-byte header length", ErrFormat, len(b))
	}
	n := binary.LittleEndian.Uint64(b[:8])
	if n > maxHeader || n > uint64(len(b)-8) {
		return nil, nil, nil, fmt.Errorf("%w: header length %d does not fit a %d-byte file (truncated or not safetensors)", ErrFormat, n, len(b))
	}
	hb := bytes.TrimRight(b[8:8+n], " ")
	data := b[8+n:]
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(hb))
	if err := dec.Decode(&raw); err != nil {
		return nil, nil, nil, fmt.Errorf("%w: header is not a JSON object: %v", ErrFormat, err)
	}
	meta := map[string]string{}
	var tensors []Tensor
	type span struct {
		name       string
		begin, end int64
		shape      []int
	}
	var spans []span
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &meta); err != nil {
				return nil, nil, nil, fmt.Errorf("%w: __metadata__ is not a string map: %v", ErrFormat, err)
			}
			continue
		}
		var e stEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, nil, nil, fmt.Errorf("%w: tensor %q: %v", ErrFormat, name, err)
		}
		if e.Dtype != "F32" {
			return nil, nil, nil, fmt.Errorf("%w: tensor %q has dtype %s, want F32", ErrFormat, name, e.Dtype)
		}
		count := int64(1)
		for _, d := range e.Shape {
			if d < 0 || d > 1<<31 {
				return nil, nil, nil, fmt.Errorf("%w: tensor %q has shape %v", ErrFormat, name, e.Shape)
			}
			count *= int64(d)
		}
		if e.DataOffsets[0] < 0 || e.DataOffsets[1]-e.DataOffsets[0] != count*4 {
			return nil, nil, nil, fmt.Errorf("%w: tensor %q: offsets %v do not match shape %v", ErrFormat, name, e.DataOffsets, e.Shape)
		}
		spans = append(spans, span{name, e.DataOffsets[0], e.DataOffsets[1], e.Shape})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].begin < spans[j].begin })
	var at int64
	for _, s := range spans {
		if s.begin != at {
			return nil, nil, nil, fmt.Errorf("%w: tensor %q starts at byte %d, want %d (gap or overlap)", ErrFormat, s.name, s.begin, at)
		}
		at = s.end
	}
	if at != int64(len(data)) {
		return nil, nil, nil, fmt.Errorf("%w: tensors cover %d bytes but the data section has %d (truncated?)", ErrFormat, at, len(data))
	}
	for _, s := range spans {
		vals := make([]float32, (s.end-s.begin)/4)
		for i := range vals {
			vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[s.begin+int64(i)*4:]))
		}
		tensors = append(tensors, Tensor{Name: s.name, Shape: s.shape, Data: vals})
	}
	return tensors, meta, data, nil
}

// ChecksumKey is the metadata key under which dfplan's files record
// Checksum of their data section.
const ChecksumKey = "checksum"

// Checksum is "sha256:<hex>" of a data section (Bytes, or Read's raw).
func Checksum(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// VerifyChecksum reports, as ErrFormat, a data section raw whose Checksum
// differs from the one meta records.
func VerifyChecksum(raw []byte, meta map[string]string) error {
	if got, want := Checksum(raw), meta[ChecksumKey]; got != want {
		return fmt.Errorf("%w: checksum mismatch: data is %s, metadata says %q (file corrupted)", ErrFormat, got, want)
	}
	return nil
}
