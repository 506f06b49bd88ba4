package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// gen refuses, before allocating, a dataset larger than the available
// memory, with one line naming --steps, the estimate and what is
// available; and the probe's 10 G steps does not crash.
func TestGenRefusesBeyondMemory(t *testing.T) {
	old := memAvailable
	defer func() { memAvailable = old }()
	memAvailable = func() (float64, bool) { return 8e9, true }
	out := filepath.Join(t.TempDir(), "big.npz")
	for _, tc := range []struct {
		steps, want string
	}{
		{"10000000000", "--steps 10000000000: the dataset needs 380.0 GB in memory, and 8.0 GB is available"},
		{"300000000", "--steps 300000000: the dataset needs 11.4 GB in memory"},
		{"9223372036854775807", "--steps 9223372036854775807: the dataset needs"},
	} {
		r := runCLI(t, "", "gen", "--maze", "umaze", "--steps", tc.steps, "--out", out)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("gen --steps %s: exit %d, stderr %q; want 2 and one line with %q", tc.steps, r.code, r.stderr, tc.want)
		}
	}
	// Where the available memory is unknown, the address space still bounds it.
	memAvailable = func() (float64, bool) { return 0, false }
	r := runCLI(t, "", "gen", "--maze", "umaze", "--steps", "9223372036854775807", "--out", out)
	if r.code != 2 || !strings.Contains(r.stderr, "--steps 9223372036854775807: the dataset would need") {
		t.Errorf("exit %d, stderr %q; want 2 and a line naming --steps", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

// The memory gen needs is read from /proc/meminfo where there is one.
func TestMemAvailable(t *testing.T) {
	if _, err := os.Stat("/proc/meminfo"); err != nil {
		t.Skip("no /proc/meminfo")
	}
	if b, ok := memAvailable(); !ok || b <= 0 {
		t.Errorf("memAvailable() = %v, %v; want a positive number of bytes", b, ok)
	}
}

// Progress lines name what they count.
func TestProgressLineNamesUnit(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(old)
	for _, tc := range []struct {
		unit, want string
	}{
		{"", "steps_done=112 steps_total=300"},
		{"episodes", "episodes_done=112 episodes_total=300"},
	} {
		buf.Reset()
		p := newProgress(&bytes.Buffer{}, "job")
		if tc.unit != "" {
			p.Unit(tc.unit)
		}
		p.last = time.Now().Add(-time.Minute) // the last line is due
		p.Update(112, 300)
		if !strings.Contains(buf.String(), tc.want) {
			t.Errorf("unit %q: progress line %q, want it to contain %q", tc.unit, buf.String(), tc.want)
		}
	}
}

// A bad --model is refused at once, before the node waits for a master
// (none runs here): it wins over ~model, so nothing ROS says can save it.
func TestNodeChecksModelBeforeROS(t *testing.T) {
	t.Setenv("ROS_MASTER_URI", "http://127.0.0.1:1")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	withSignalContext(t, ctx)
	bad := writeTemp(t, "bad.safetensors", "not a checkpoint")
	for _, tc := range []struct {
		name, model, want string
	}{
		{"corrupt", bad, "--model: "},
		{"missing", filepath.Join(t.TempDir(), "absent.safetensors"), "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "", "node", "--model", tc.model)
			if r.code != 1 || strings.Contains(r.stderr, "master unreachable") || !strings.Contains(r.stderr, tc.want) ||
				!strings.Contains(r.stderr, tc.model) || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want 1 at once and one line naming %s and %q", r.code, r.stderr, tc.model, tc.want)
			}
		})
	}
}
