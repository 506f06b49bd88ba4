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
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans lines; want one", err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("read a dataset that does not validate: %v", err)
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
