package d4rl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead: any bytes read as a valid dataset or give an error, never a
// panic, and a dataset read is valid and writes back to the same data.
func FuzzRead(f *testing.F) {
	for _, n := range []int{0, 1, 3} {
		path := filepath.Join(f.TempDir(), "seed.npz")
		if err := sample(n).Write(path); err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, name := range []string{"numpy_bool.npz", "numpy_float64_uint8.npz"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := read(bytes.NewReader(data), int64(len(data)))
		if !checkRead(t, d, err) {
			return
		}
		path := filepath.Join(t.TempDir(), "back.npz")
		if err := d.Write(path); err != nil {
			t.Fatalf("write back: %v", err)
		}
		if _, err := Read(path); err != nil {
			t.Fatalf("read back: %v", err)
		}
	})
}

// checkRead checks what a reader gave: a one-line error, or a valid
// dataset. It reports whether there is a dataset.
func checkRead(t *testing.T, d *Dataset, err error) bool {
	t.Helper()
	if err != nil {
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("error %q spans lines; want one", err)
		}
		return false
	}
	if err := d.Validate(); err != nil {
		t.Fatalf("read a dataset that does not validate: %v", err)
	}
	return true
}

// FuzzReadObservations fuzzes one member's .npy bytes inside an archive
// whose CRC-32s are right, so that inputs get past the checksum to the
// array parser: header, dtype, shape and data.
func FuzzReadObservations(f *testing.F) {
	var buf bytes.Buffer
	d := sample(3)
	for _, e := range []struct {
		descr string
		shape []int
		data  any
	}{
		{"<f4", []int{3, 4}, d.Observations},
		{"<f4", []int{12}, d.Observations},
		{"<f4", []int{3, 4, 1}, d.Observations},
		{"|b1", []int{3}, d.Terminals},
	} {
		buf.Reset()
		if err := writeNPY(&buf, e.descr, e.shape, e.data); err != nil {
			f.Fatal(err)
		}
		f.Add(append([]byte(nil), buf.Bytes()...))
	}
	f.Add([]byte("\x93NUMPY\x01\x00\x46\x00{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 4), }\n"))
	f.Fuzz(func(t *testing.T, npy []byte) {
		e := goodEntries(3)
		e[KeyObservations] = npyEntry{"raw", nil, npy}
		d, err := Read(buildNPZ(t, e))
		checkRead(t, d, err)
	})
}
