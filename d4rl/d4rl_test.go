package d4rl

import (
	"archive/zip"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func sample(n int) *Dataset {
	d := &Dataset{N: n, ObsDim: 4, ActDim: 2,
		Observations: make([]float32, n*4), Actions: make([]float32, n*2),
		Rewards: make([]float32, n), Terminals: make([]bool, n), Timeouts: make([]bool, n),
		Goals: make([]float32, n*2)}
	for i := range d.Observations {
		d.Observations[i] = float32(i) * 0.25
	}
	for i := range d.Actions {
		d.Actions[i] = float32(i%3) - 1
	}
	for i := 0; i < n; i++ {
		d.Rewards[i] = float32(i % 2)
		d.Timeouts[i] = i%3 == 2
		d.Goals[2*i], d.Goals[2*i+1] = 1, 3
	}
	return d
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    *Dataset
	}{
		{"with goals", sample(7)},
		{"without goals", func() *Dataset { d := sample(3); d.Goals = nil; return d }()},
		{"empty", sample(0)},
		{"more than one write chunk", sample(20000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "d.npz")
			if err := tc.d.Write(path); err != nil {
				t.Fatal(err)
			}
			got, err := Read(path)
			if err != nil {
				t.Fatal(err)
			}
			if tc.d.N == 0 { // nil and empty slices are both fine
				if got.N != 0 || got.ObsDim != 4 || got.ActDim != 2 {
					t.Errorf("got N=%d dims %d,%d", got.N, got.ObsDim, got.ActDim)
				}
				return
			}
			if !reflect.DeepEqual(got, tc.d) {
				t.Errorf("round trip changed the dataset:\n got %+v\nwant %+v", got, tc.d)
			}
		})
	}
}

// TestReadNumpyFiles reads archives written by numpy itself
// (testdata/make_numpy_fixture.py): float64 arrays with uint8 flags and
// extra keys, and a compressed float32/bool archive without infos/goal.
func TestReadNumpyFiles(t *testing.T) {
	for _, tc := range []struct {
		file      string
		wantGoals bool
	}{
		{"numpy_float64_uint8.npz", true},
		{"numpy_bool.npz", false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			d, err := Read(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if d.N != 5 || d.ObsDim != 4 || d.ActDim != 2 {
				t.Fatalf("N=%d dims %d,%d, want 5, 4, 2", d.N, d.ObsDim, d.ActDim)
			}
			if got, want := d.Observations[6], float32(6.0/8.0); got != want {
				t.Errorf("observations[1][2] = %v, want %v", got, want)
			}
			if got, want := d.Actions[0], float32(-1); got != want {
				t.Errorf("actions[0][0] = %v, want %v", got, want)
			}
			if want := []bool{false, false, true, false, true}; !reflect.DeepEqual(d.Timeouts, want) {
				t.Errorf("timeouts = %v, want %v", d.Timeouts, want)
			}
			if (d.Goals != nil) != tc.wantGoals {
				t.Errorf("goals present = %v, want %v", d.Goals != nil, tc.wantGoals)
			}
			if tc.wantGoals && (d.Goals[8] != 1 || d.Goals[9] != 3) {
				t.Errorf("goal[4] = %v, want (1, 3)", d.Goals[8:10])
			}
		})
	}
}

// TestNumpyReadsOurFiles checks that numpy loads what Write produces, when a
// python3 with numpy is on the machine.
func TestNumpyReadsOurFiles(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	if exec.Command(py, "-c", "import numpy").Run() != nil {
		t.Skip("numpy not installed")
	}
	path := filepath.Join(t.TempDir(), "d.npz")
	if err := sample(4).Write(path); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", `
import numpy as np, sys
d = np.load(sys.argv[1])
print(d["observations"].shape, d["observations"].dtype, d["timeouts"].dtype, d["infos/goal"].shape, float(d["observations"][3, 1]))
`, path).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "(4, 4) float32 bool (4, 2) 3.25"; got != want {
		t.Errorf("numpy sees %q, want %q", got, want)
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *Dataset)
		want   string
	}{
		{"NaN observation", func(d *Dataset) { d.Observations[9] = float32(math.NaN()) }, "observations: row 2"},
		{"Inf reward", func(d *Dataset) { d.Rewards[3] = float32(math.Inf(1)) }, "rewards: row 3"},
		{"Inf goal", func(d *Dataset) { d.Goals[5] = float32(math.Inf(-1)) }, "infos/goal: row 2"},
		{"short actions", func(d *Dataset) { d.Actions = d.Actions[:4] }, "actions: 4 values"},
		{"short timeouts", func(d *Dataset) { d.Timeouts = d.Timeouts[:1] }, "timeouts: 1 values"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := sample(5)
			tc.change(d)
			err := d.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want error containing %q", err, tc.want)
			}
			path := filepath.Join(t.TempDir(), "bad.npz")
			if err := d.Write(path); err == nil {
				t.Errorf("Write accepted an invalid dataset")
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("Write left %s behind", path)
			}
		})
	}
}

// buildNPZ writes an archive with the given entries (key → .npy via
// writeNPY), to make broken files.
func buildNPZ(t *testing.T, entries map[string]npyEntry) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.npz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for k, e := range entries {
		w, err := zw.Create(k + ".npy")
		if err != nil {
			t.Fatal(err)
		}
		if e.descr == "raw" { // bytes as they are
			_, err = w.Write(e.data.([]byte))
		} else {
			err = writeNPY(w, e.descr, e.shape, e.data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

type npyEntry struct {
	descr string
	shape []int
	data  any
}

func goodEntries(n int) map[string]npyEntry {
	d := sample(n)
	return map[string]npyEntry{
		KeyObservations: {"<f4", []int{n, 4}, d.Observations},
		KeyActions:      {"<f4", []int{n, 2}, d.Actions},
		KeyRewards:      {"<f4", []int{n}, d.Rewards},
		KeyTerminals:    {"|b1", []int{n}, d.Terminals},
		KeyTimeouts:     {"|b1", []int{n}, d.Timeouts},
		KeyGoals:        {"<f4", []int{n, 2}, d.Goals},
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.npz")
	os.WriteFile(junk, []byte("hello"), 0o644)
	with := func(change func(map[string]npyEntry)) string {
		e := goodEntries(4)
		change(e)
		return buildNPZ(t, e)
	}
	set := func(key string, entry npyEntry) string {
		return with(func(e map[string]npyEntry) { e[key] = entry })
	}
	nan := float32(math.NaN())
	tests := []struct {
		name string
		path string
		want string
	}{
		{"no such file", filepath.Join(dir, "absent.npz"), "no such file"},
		{"not a zip", junk, "not a .npz archive"},
		{"missing timeouts", with(func(e map[string]npyEntry) { delete(e, KeyTimeouts) }), `missing key "timeouts"`},
		{"missing observations", with(func(e map[string]npyEntry) { delete(e, KeyObservations) }), `missing key "observations"`},
		{"actions rows mismatch", with(func(e map[string]npyEntry) {
			e[KeyActions] = npyEntry{"<f4", []int{3, 2}, make([]float32, 6)}
		}), "actions: shape [3 2], want (4, act_dim)"},
		{"observations 1-D", with(func(e map[string]npyEntry) {
			e[KeyObservations] = npyEntry{"<f4", []int{16}, make([]float32, 16)}
		}), "observations: shape [16]"},
		{"goal width 3", with(func(e map[string]npyEntry) {
			e[KeyGoals] = npyEntry{"<f4", []int{4, 3}, make([]float32, 12)}
		}), "infos/goal: shape [4 3]"},
		// Members that claim more (or less) than they hold: no allocation
		// beyond the file, no panic in npyio.
		{"shape beyond the data", set(KeyObservations, npyEntry{"<f4", []int{1000000000000, 4}, make([]float32, 16)}),
			"observations: shape [1000000000000 4] of <f4 does not match the 64 bytes of data"},
		{"shape short of the data", set(KeyRewards, npyEntry{"<f4", []int{3}, make([]float32, 4)}),
			"rewards: shape [3] of <f4 does not match the 16 bytes"},
		{"header longer than the member", set(KeyActions, npyEntry{"raw", nil, []byte("\x93NUMPY\x02\x00\xff\xff\xff\x7f{'descr'")}),
			"actions: .npy header of 2147483659 bytes in a member of 20 bytes"},
		{"header that makes npyio panic", set(KeyActions, npyEntry{"raw", nil, []byte("\x93NUMPY\x01\x00\x04\x00abcd")}),
			"actions: not a readable .npy array: malformed .npy header"},
		{"NaN observation", with(func(e map[string]npyEntry) {
			o := make([]float32, 16)
			o[13] = nan
			e[KeyObservations] = npyEntry{"<f4", []int{4, 4}, o}
		}), "observations: row 3: non-finite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Read = %v, want error containing %q", err, tc.want)
			}
		})
	}
}

// flipDataBit flips the lowest bit of byte off of member key's array data
// in the stored (uncompressed) archive at path, as a bad disk or transfer
// would, leaving the archive's structure intact.
func flipDataBit(t *testing.T, path, key string, off int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.Index(string(b), key+".npy") // the local header's name comes first
	magic := strings.Index(string(b[name:]), "\x93NUMPY")
	if name < 0 || magic < 0 {
		t.Fatalf("%s: no member %s.npy", path, key)
	}
	start := name + magic
	hlen := int(b[start+8]) | int(b[start+9])<<8
	b[start+10+hlen+off] ^= 1
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A flipped bit in any member's data is refused by name, even where the
// changed value is itself valid (a finite float, a 0/1 flag): only the
// CRC-32 tells. numpy refuses such a file too.
func TestReadRefusesCorruptMember(t *testing.T) {
	for _, tc := range []struct {
		key string
		off int
	}{
		{KeyObservations, 4*9 + 2}, // a mantissa bit of observation 2, x: still finite
		{KeyTimeouts, 0},           // flag 0 becomes 1
		{KeyGoals, 5},
	} {
		t.Run(tc.key, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "flipped.npz")
			if err := sample(8).Write(path); err != nil {
				t.Fatal(err)
			}
			flipDataBit(t, path, tc.key, tc.off)
			d, err := Read(path)
			want := "member " + tc.key + ".npy: CRC-32 mismatch"
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Read = %v, %v; want an error naming %s and %q", d, err, path, want)
			}
		})
	}
}
