package d4rl

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"

	"github.com/dfplan/dfplan/internal/atomicfile"
)

// Dataset is a D4RL-style dataset of N consecutive transitions.
type Dataset struct {
	N              int
	ObsDim, ActDim int       // 4 and 2 for maze2d
	Observations   []float32 // N*ObsDim, row-major
	Actions        []float32 // N*ActDim, row-major
	Rewards        []float32 // N
	Terminals      []bool    // N: the episode ended in a terminal state (never in maze2d)
	Timeouts       []bool    // N: the episode was cut here (goal switch or time limit)
	Goals          []float32 // N*2 ("infos/goal"); nil if the file has none
}

// Key names in the archive (without numpy's ".npy" suffix).
const (
	KeyObservations = "observations"
	KeyActions      = "actions"
	KeyRewards      = "rewards"
	KeyTerminals    = "terminals"
	KeyTimeouts     = "timeouts"
	KeyGoals        = "infos/goal"
)

// Validate checks that the arrays have the lengths N and the dimensions
// imply and that every float is finite. The error names the key and row.
func (d *Dataset) Validate() error {
	if d.N < 0 || d.ObsDim <= 0 || d.ActDim <= 0 {
		return fmt.Errorf("invalid dimensions N=%d obs=%d act=%d", d.N, d.ObsDim, d.ActDim)
	}
	check := func(key string, v []float32, width int) error {
		if len(v) != d.N*width {
			return fmt.Errorf("%s: %d values, want %d×%d", key, len(v), d.N, width)
		}
		for i, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return fmt.Errorf("%s: row %d: non-finite value %v", key, i/width, x)
			}
		}
		return nil
	}
	if err := check(KeyObservations, d.Observations, d.ObsDim); err != nil {
		return err
	}
	if err := check(KeyActions, d.Actions, d.ActDim); err != nil {
		return err
	}
	if err := check(KeyRewards, d.Rewards, 1); err != nil {
		return err
	}
	if len(d.Terminals) != d.N {
		return fmt.Errorf("%s: %d values, want %d", KeyTerminals, len(d.Terminals), d.N)
	}
	if len(d.Timeouts) != d.N {
		return fmt.Errorf("%s: %d values, want %d", KeyTimeouts, len(d.Timeouts), d.N)
	}
	if d.Goals != nil {
		if err := check(KeyGoals, d.Goals, 2); err != nil {
			return err
		}
	}
	return nil
}

// Read loads a dataset from a .npz archive with the keys observations (N×D),
// actions (N×A), rewards (N), terminals (N), timeouts (N) and, optionally,
// infos/goal (N×2); other keys are ignored. Float arrays may be float32 or
// float64, flags bool or uint8 (0/1), so a D4RL hdf5 file converted with
// numpy (np.savez(out, **{k: f[k][()] for k in keys})) reads unchanged.
func Read(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read dataset: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read dataset %s: %w", path, err)
	}
	d, err := read(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("read dataset %s: %w", path, err)
	}
	return d, nil
}

// archive is an open .npz: npyio's reader for the arrays, and the zip
// members by key, for their sizes.
type archive struct {
	zr      *npz.Reader
	keys    map[string]string // key -> member name
	members map[string]*zip.File
}

func read(r io.ReaderAt, size int64) (*Dataset, error) {
	zr, err := npz.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a .npz archive: %w", err)
	}
	members, err := verifyMembers(r, size)
	if err != nil {
		return nil, err
	}
	a := &archive{zr: zr, keys: map[string]string{}, members: members}
	for _, k := range zr.Keys() {
		a.keys[strings.TrimSuffix(k, ".npy")] = k
	}
	var d Dataset

	obs, shape, err := readFloats(a, KeyObservations)
	if err != nil {
		return nil, err
	}
	if len(shape) != 2 {
		return nil, fmt.Errorf("%s: shape %v, want (N, obs_dim)", KeyObservations, shape)
	}
	d.N, d.ObsDim, d.Observations = shape[0], shape[1], obs

	act, shape, err := readFloats(a, KeyActions)
	if err != nil {
		return nil, err
	}
	if len(shape) != 2 || shape[0] != d.N {
		return nil, fmt.Errorf("%s: shape %v, want (%d, act_dim) to match %s", KeyActions, shape, d.N, KeyObservations)
	}
	d.ActDim, d.Actions = shape[1], act

	if d.Rewards, shape, err = readFloats(a, KeyRewards); err != nil {
		return nil, err
	}
	if !isVector(shape, d.N) {
		return nil, fmt.Errorf("%s: shape %v, want (%d,)", KeyRewards, shape, d.N)
	}
	for _, k := range []string{KeyTerminals, KeyTimeouts} {
		flags, shape, err := readFlags(a, k)
		if err != nil {
			return nil, err
		}
		if !isVector(shape, d.N) {
			return nil, fmt.Errorf("%s: shape %v, want (%d,)", k, shape, d.N)
		}
		if k == KeyTerminals {
			d.Terminals = flags
		} else {
			d.Timeouts = flags
		}
	}
	if _, ok := a.keys[KeyGoals]; ok {
		if d.Goals, shape, err = readFloats(a, KeyGoals); err != nil {
			return nil, err
		}
		if len(shape) != 2 || shape[0] != d.N || shape[1] != 2 {
			return nil, fmt.Errorf("%s: shape %v, want (%d, 2)", KeyGoals, shape, d.N)
		}
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// verifyMembers reads every member of the zip archive to its end, so that
// archive/zip checks its size and CRC-32. npyio alone does not: it reads
// exactly the bytes an array's header promises and stops short of the
// member's end, where archive/zip compares the checksum, so a flipped bit
// in the data would go unnoticed.
// It returns the members by name.
func verifyMembers(r io.ReaderAt, size int64) (map[string]*zip.File, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a .npz archive: %w", err)
	}
	members := map[string]*zip.File{}
	for _, f := range zr.File {
		if err := verifyMember(f); err != nil {
			if errors.Is(err, zip.ErrChecksum) {
				return nil, fmt.Errorf("member %s: CRC-32 mismatch: the file is corrupt", f.Name)
			}
			return nil, fmt.Errorf("member %s: %w", f.Name, err)
		}
		members[f.Name] = f
	}
	return members, nil
}

func verifyMember(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// read reads array name into v, turning a panic in npyio into an error.
func (a *archive) read(name string, v any) error {
	var err error
	if perr := catch(func() { err = a.zr.Read(name, v) }); perr != nil {
		return perr
	}
	return err
}

func isVector(shape []int, n int) bool {
	return (len(shape) == 1 && shape[0] == n) || (len(shape) == 2 && shape[0] == n && shape[1] == 1)
}

// itemSize is the size in bytes of one value of the dtypes read.
var itemSize = map[string]int64{"<f4": 4, "=f4": 4, "<f8": 8, "=f8": 8, "|b1": 1, "|u1": 1}

// header returns the member name, dtype and shape of array key, after
// checking that the member holds exactly the data its header describes,
// so that npyio allocates no more than the file holds.
func header(a *archive, key string) (string, string, []int, error) {
	name, ok := a.keys[key]
	if !ok {
		return "", "", nil, fmt.Errorf("missing key %q", key)
	}
	f := a.members[name]
	if f == nil {
		return "", "", nil, fmt.Errorf("%s: not a readable .npy array", key)
	}
	size := int64(f.UncompressedSize64)
	hdrEnd, err := npyHeaderEnd(f)
	if err != nil {
		return "", "", nil, fmt.Errorf("%s: not a readable .npy array: %w", key, err)
	}
	if hdrEnd > size {
		return "", "", nil, fmt.Errorf("%s: .npy header of %d bytes in a member of %d bytes", key, hdrEnd, size)
	}
	var h *npy.Header
	if err := catch(func() { h = a.zr.Header(name) }); err != nil {
		return "", "", nil, fmt.Errorf("%s: not a readable .npy array: %w", key, err)
	}
	if h == nil {
		return "", "", nil, fmt.Errorf("%s: not a readable .npy array", key)
	}
	if n, ok := itemSize[strings.Trim(h.Descr.Type, `'"`)]; ok {
		for _, dim := range h.Descr.Shape {
			if dim < 0 || (dim > 0 && n > size/int64(dim)) {
				n = size + 1 // more than the member holds, without overflow
				break
			}
			n *= int64(dim)
		}
		if n != size-hdrEnd {
			return "", "", nil, fmt.Errorf("%s: shape %v of %s does not match the %d bytes of data the member holds (truncated or corrupt)",
				key, h.Descr.Shape, strings.Trim(h.Descr.Type, `'"`), size-hdrEnd)
		}
	}
	if h.Descr.Fortran && len(h.Descr.Shape) > 1 && h.Descr.Shape[1] > 1 {
		return "", "", nil, fmt.Errorf("%s: Fortran-order array; save it with np.ascontiguousarray", key)
	}
	return name, strings.Trim(h.Descr.Type, `'"`), h.Descr.Shape, nil
}

// npyHeaderEnd returns where the .npy header of member f ends: magic (6),
// version (2), header length (2 bytes in version 1, 4 in 2 and 3), header.
func npyHeaderEnd(f *zip.File) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	var pre [12]byte
	if _, err := io.ReadFull(rc, pre[:10]); err != nil {
		return 0, fmt.Errorf("header: %w", err)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return 0, errors.New("no .npy magic")
	}
	switch pre[6] {
	case 1:
		return 10 + int64(binary.LittleEndian.Uint16(pre[8:10])), nil
	case 2, 3:
		if _, err := io.ReadFull(rc, pre[10:12]); err != nil {
			return 0, fmt.Errorf("header: %w", err)
		}
		return 12 + int64(binary.LittleEndian.Uint32(pre[8:12])), nil
	}
	return 0, fmt.Errorf(".npy version %d.%d", pre[6], pre[7])
}

// catch runs f and returns a panic in it as an error. npyio (v0.14.0)
// panics on some malformed headers (slice bounds out of range) rather than
// returning an error; a bad file must give an error, not a crash.
func catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed .npy header (%v)", r)
		}
	}()
	f()
	return nil
}

func readFloats(a *archive, key string) ([]float32, []int, error) {
	name, typ, shape, err := header(a, key)
	if err != nil {
		return nil, nil, err
	}
	switch typ {
	case "<f4", "=f4":
		var v []float32
		if err := a.read(name, &v); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", key, err)
		}
		return v, shape, nil
	case "<f8", "=f8":
		var v []float64
		if err := a.read(name, &v); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", key, err)
		}
		out := make([]float32, len(v))
		for i, x := range v {
			out[i] = float32(x)
		}
		return out, shape, nil
	}
	return nil, nil, fmt.Errorf("%s: dtype %s, want float32 or float64", key, typ)
}

func readFlags(a *archive, key string) ([]bool, []int, error) {
	name, typ, shape, err := header(a, key)
	if err != nil {
		return nil, nil, err
	}
	switch typ {
	case "|b1":
		var v []bool
		if err := a.read(name, &v); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", key, err)
		}
		return v, shape, nil
	case "|u1":
		var v []uint8
		if err := a.read(name, &v); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", key, err)
		}
		out := make([]bool, len(v))
		for i, x := range v {
			if x > 1 {
				return nil, nil, fmt.Errorf("%s: row %d: flag value %d, want 0 or 1", key, i, x)
			}
			out[i] = x == 1
		}
		return out, shape, nil
	}
	return nil, nil, fmt.Errorf("%s: dtype %s, want bool or uint8", key, typ)
}

// Write stores the dataset as an uncompressed .npz archive (what np.savez
// writes) with float32 arrays and bool flags. The file appears atomically:
// on error no partial file is left.
func (d *Dataset) Write(path string) error {
	return d.WriteContext(context.Background(), path)
}

// WriteContext is Write, stopped when ctx ends: then it fails with ctx's
// cause and leaves no file (atomicfile.WriteContext).
func (d *Dataset) WriteContext(ctx context.Context, path string) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("write dataset %s: %w", path, err)
	}
	return atomicfile.WriteContext(ctx, path, func(w io.Writer) error {
		zw := zip.NewWriter(w)
		entries := []struct {
			key   string
			descr string
			shape []int
			data  any
		}{
			{KeyObservations, "<f4", []int{d.N, d.ObsDim}, d.Observations},
			{KeyActions, "<f4", []int{d.N, d.ActDim}, d.Actions},
			{KeyRewards, "<f4", []int{d.N}, d.Rewards},
			{KeyTerminals, "|b1", []int{d.N}, d.Terminals},
			{KeyTimeouts, "|b1", []int{d.N}, d.Timeouts},
			{KeyGoals, "<f4", []int{d.N, 2}, d.Goals},
		}
		for _, e := range entries {
			if e.key == KeyGoals && d.Goals == nil {
				continue
			}
			fw, err := zw.CreateHeader(&zip.FileHeader{Name: e.key + ".npy", Method: zip.Store})
			if err != nil {
				return err
			}
			if err := writeNPY(fw, e.descr, e.shape, e.data); err != nil {
				return fmt.Errorf("%s: %w", e.key, err)
			}
		}
		return zw.Close()
	})
}

// writeNPY writes one array in NumPy's .npy format version 1.0: magic,
// header dict padded with spaces to a multiple of 64 bytes, raw
// little-endian C-order data. (npyio writes only 1-D slices and float64
// matrices, so 2-D float32 arrays are written here.)
func writeNPY(w io.Writer, descr string, shape []int, data any) error {
	dims := make([]string, len(shape))
	for i, s := range shape {
		dims[i] = fmt.Sprint(s)
	}
	shp := strings.Join(dims, ", ")
	if len(shape) == 1 {
		shp += ","
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, shp)
	const pre = 10 // magic (6) + version (2) + header length (2)
	pad := 64 - (pre+len(dict)+1)%64
	if pad == 64 {
		pad = 0
	}
	hdr := dict + strings.Repeat(" ", pad) + "\n"
	var buf bytes.Buffer
	buf.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&buf, binary.LittleEndian, uint16(len(hdr)))
	buf.WriteString(hdr)
	if _, err := w.Write(buf.Bytes()); err != nil {
		return err
	}
	// The data goes out in chunks, so writing needs no second copy of it.
	const chunk = 1 << 16 // values
	switch v := data.(type) {
	case []float32:
		b := make([]byte, 4*min(chunk, len(v)))
		for len(v) > 0 {
			n := min(chunk, len(v))
			for i, x := range v[:n] {
				binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
			}
			if _, err := w.Write(b[:4*n]); err != nil {
				return err
			}
			v = v[n:]
		}
		return nil
	case []bool:
		b := make([]byte, min(chunk, len(v)))
		for len(v) > 0 {
			n := min(chunk, len(v))
			for i, x := range v[:n] {
				b[i] = 0
				if x {
					b[i] = 1
				}
			}
			if _, err := w.Write(b[:n]); err != nil {
				return err
			}
			v = v[n:]
		}
		return nil
	}
	return errors.New("unsupported array type")
}
