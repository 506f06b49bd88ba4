// Package sysmem reports how much memory the machine can still give a
// process, so that commands can refuse a job that would not fit with one
// clear line instead of being killed by the kernel half-way through.
//
// It reads Linux's /proc/meminfo (MemAvailable) and, when the process runs
// in a cgroup with a memory limit, the limit less the cgroup's usage; it is
// not a general system-information package.
package sysmem

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ErrUnknown means the available memory could not be determined (not
// Linux, or /proc is not mounted); callers should then not refuse work.
var ErrUnknown = errors.New("available memory unknown")

// Available returns the bytes of memory available to this process: the
// smaller of MemAvailable and the cgroup v2 limit's headroom.
func Available() (int64, error) {
	avail, err := memAvailable("/proc/meminfo")
	if err != nil {
		return 0, err
	}
	if room, ok := cgroupRoom("/sys/fs/cgroup"); ok && room < avail {
		avail = room
	}
	return avail, nil
}

// memAvailable parses the MemAvailable line (in kB) of a meminfo file.
func memAvailable(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrUnknown, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %s: MemAvailable %q", ErrUnknown, path, rest)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("%w: %s has no MemAvailable line", ErrUnknown, path)
}

// cgroupRoom is memory.max − memory.current of a cgroup v2 mount, when a
// limit is set.
func cgroupRoom(dir string) (int64, bool) {
	read := func(name string) (int64, bool) {
		b, err := os.ReadFile(dir + "/" + name)
		if err != nil {
			return 0, false
		}
		v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		return v, err == nil // "max" (no limit) does not parse
	}
	limit, ok := read("memory.max")
	if !ok {
		return 0, false
	}
	used, _ := read("memory.current")
	return max(limit-used, 0), true
}

// Format writes a byte count for people: "3.2 GiB", "512 MiB".
func Format(b int64) string {
	const gib, mib = 1 << 30, 1 << 20
	if b >= gib {
		return fmt.Sprintf("%.1f GiB", float64(b)/gib)
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/mib)
}
