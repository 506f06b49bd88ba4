package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dfplan/dfplan/robot/rostest"
)

// These tests run the real binary, as a user's shell or a process manager
// does, and signal it.

// dfplanBinary builds the dfplan binary into the test's temporary
// directory.
func dfplanBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	path := filepath.Join(t.TempDir(), "dfplan")
	if out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return path
}

// started is a dfplan process whose stderr is watched line by line.
type started struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	lines  []string
	newErr chan struct{} // signalled on every stderr line
	exited chan struct{}
	code   int
}

// startDfplan starts the binary bin in dir with args.
func startDfplan(t *testing.T, bin, dir string, args ...string) *started {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &started{cmd: cmd, newErr: make(chan struct{}, 1), exited: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.mu.Lock()
			s.lines = append(s.lines, sc.Text())
			s.mu.Unlock()
			select {
			case s.newErr <- struct{}{}:
			default:
			}
		}
		cmd.Wait()
		s.code = cmd.ProcessState.ExitCode()
		close(s.exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.exited
	})
	return s
}

func (s *started) stderr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.lines, "\n")
}

// await waits until a stderr line contains want.
func (s *started) await(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	for !strings.Contains(s.stderr(), want) {
		select {
		case <-s.newErr:
		case <-s.exited:
			if !strings.Contains(s.stderr(), want) {
				t.Fatalf("dfplan exited with %d before logging %q; stderr:\n%s", s.code, want, s.stderr())
			}
		case <-deadline:
			t.Fatalf("no %q on stderr within 2 minutes; stderr:\n%s", want, s.stderr())
		}
	}
}

// wait returns the exit code.
func (s *started) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-s.exited:
		return s.code
	case <-time.After(2 * time.Minute):
		t.Fatalf("dfplan still running 2 minutes after the signal; stderr:\n%s", s.stderr())
		return 0
	}
}

// errorLines returns the lines the command ended with ("dfplan: ...").
func (s *started) errorLines() []string {
	var out []string
	for _, l := range strings.Split(s.stderr(), "\n") {
		if strings.HasPrefix(l, "dfplan: ") {
			out = append(out, l)
		}
	}
	return out
}

// leftovers lists the files in dir that the command left, besides keep.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !contains(keep, e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

var signals = []struct {
	name string
	sig  syscall.Signal
	code int
}{
	{"SIGTERM", syscall.SIGTERM, 143},
	{"SIGINT", syscall.SIGINT, 130},
}

// interrupt starts bin with args in a fresh directory, waits for ready on
// stderr, sends sig and waits for the exit. It returns the process, its
// exit status and the files it left in the directory, besides keep.
func interrupt(t *testing.T, bin string, sig syscall.Signal, ready string, keep []string, args ...string) (*started, int, []string) {
	t.Helper()
	dir := t.TempDir()
	s := startDfplan(t, bin, dir, args...)
	s.await(t, ready)
	s.cmd.Process.Signal(sig)
	code := s.wait(t)
	return s, code, leftovers(t, dir, keep...)
}

// checkInterrupted checks the end of an interrupted command: the exit
// status 128+signal, one line naming want and the signal, no stack trace
// and no file left behind.
func checkInterrupted(t *testing.T, s *started, code int, left []string, sigName string, wantCode int, want string) {
	t.Helper()
	lines := s.errorLines()
	if code != wantCode || len(lines) != 1 || !strings.Contains(lines[0], want) || !strings.Contains(lines[0], sigName) ||
		strings.Contains(s.stderr(), "goroutine ") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit %d and one line naming %q and %s", code, s.stderr(), wantCode, want, sigName)
	}
	if len(left) != 0 {
		t.Errorf("files left behind: %v", left)
	}
}

// gen stops on SIGTERM or SIGINT while generating, and removes the file
// it was writing.
func TestGenStopsOnSignal(t *testing.T) {
	bin := dfplanBinary(t)
	for _, sg := range signals {
		t.Run(sg.name, func(t *testing.T) {
			// 50 M steps: minutes of work, so the signal comes mid-run.
			s, code, left := interrupt(t, bin, sg.sig, "gen started", nil, "gen", "--maze", "large", "--steps", "50000000", "--out", "big.npz")
			checkInterrupted(t, s, code, left, sg.name, sg.code, "generate: stopped after")
		})
	}
}

// The ROS nodes stop on SIGTERM or SIGINT alike: robot stopped, off the
// graph, exit 128+signal with one line.
func TestNodesStopOnSignal(t *testing.T) {
	bin := dfplanBinary(t)
	rostest.Master(t)
	for _, tc := range []struct {
		args  []string
		ready string
	}{
		{[]string{"node", "--policy", "waypoint"}, "planning node started"},
		{[]string{"simnode", "--start", "3,1"}, "simulated robot started"},
	} {
		for _, sg := range signals {
			t.Run(tc.args[0]+"/"+sg.name, func(t *testing.T) {
				s, code, left := interrupt(t, bin, sg.sig, tc.ready, nil, tc.args...)
				checkInterrupted(t, s, code, left, sg.name, sg.code, "interrupted by")
			})
		}
	}
}

// train and bench stop on SIGTERM or SIGINT alike, exit non-zero with one
// line, and leave no temporary file; train's checkpoint, written
// atomically, may be there to resume from.
func TestTrainAndBenchStopOnSignal(t *testing.T) {
	bin := dfplanBinary(t)
	data := filepath.Join(t.TempDir(), "data.npz")
	g := startDfplan(t, bin, t.TempDir(), "gen", "--maze", "umaze", "--steps", "20000", "--out", data)
	if code := g.wait(t); code != 0 {
		t.Fatalf("gen: exit %d\n%s", code, g.stderr())
	}
	for _, tc := range []struct {
		name  string
		args  []string
		ready string
		keep  []string
	}{
		{"train", []string{"train", "--data", data, "--out", "m.safetensors", "--steps", "1000000", "--batch", "8"}, "msg=training", []string{"m.safetensors"}},
		{"bench", []string{"bench", "--maze", "umaze", "--planner", "df", "--episodes", "1000", "--batch", "4", "--json", "out.json"}, "planner settings", nil},
	} {
		for _, sg := range signals {
			t.Run(tc.name+"/"+sg.name, func(t *testing.T) {
				s, code, left := interrupt(t, bin, sg.sig, tc.ready, tc.keep, tc.args...)
				// train and bench also watch the signals themselves, so
				// their own error may win the race to the exit status: 1.
				if code == 1 {
					code = sg.code
				}
				checkInterrupted(t, s, code, left, "", sg.code, "")
			})
		}
	}
}
