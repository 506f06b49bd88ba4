package sysmem

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestMemAvailable(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good", "MemTotal:       24567890 kB\nMemFree:  100 kB\nMemAvailable:   23456789 kB\n")
	if got, err := memAvailable(good); err != nil || got != 23456789*1024 {
		t.Errorf("good: %d, %v", got, err)
	}
	for name, body := range map[string]string{
		"missing line": "MemTotal: 1 kB\n",
		"garbage":      "MemAvailable: lots kB\n",
	} {
		if _, err := memAvailable(write(name, body)); !errors.Is(err, ErrUnknown) {
			t.Errorf("%s: err %v, want ErrUnknown", name, err)
		}
	}
	if _, err := memAvailable(filepath.Join(dir, "none")); !errors.Is(err, ErrUnknown) {
		t.Errorf("no file: err %v, want ErrUnknown", err)
	}
}

func TestCgroupRoom(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "memory.max"), []byte("1000\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "memory.current"), []byte("300\n"), 0o644)
	if room, ok := cgroupRoom(dir); !ok || room != 700 {
		t.Errorf("limited: %d, %v; want 700, true", room, ok)
	}
	os.WriteFile(filepath.Join(dir, "memory.max"), []byte("max\n"), 0o644)
	if _, ok := cgroupRoom(dir); ok {
		t.Error(`memory.max "max": want no limit`)
	}
}

func TestFormat(t *testing.T) {
	for b, want := range map[int64]string{512 << 20: "512 MiB", 3 << 30: "3.0 GiB", 1536 << 20: "1.5 GiB"} {
		if got := Format(b); got != want {
			t.Errorf("Format(%d) = %q, want %q", b, got, want)
		}
	}
}
