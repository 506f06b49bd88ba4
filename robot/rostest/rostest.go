// Package rostest starts a private ROS master for tests: a real rosmaster
// (Debian's python3-rosmaster) on a free loopback port, killed when the test
// ends. It is for tests only.
//
// The ROS tests are skipped with -short, and skipped with the reason when a
// tool is not on PATH or the message packages do not import in the tools'
// Python, unless DFPLAN_REQUIRE_ROS=1, when they fail: CI sets it so a
// missing package cannot turn the ROS tests green by skipping them. The
// tools' output is logged when they fail or the test does.
package rostest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bluenviron/goroslib/v2/pkg/apiparam"
)

// Packages are the Debian packages the ROS tests need.
const Packages = "python3-rosmaster python3-rostopic python3-rosparam python3-rospy python3-roslaunch python3-std-msgs python3-geometry-msgs python3-nav-msgs"

// messageImports is what the tools import to publish and echo the node's
// messages; a missing python3-geometry-msgs or python3-nav-msgs shows here
// rather than as a tool that fails late inside a test.
const messageImports = "import rospy, geometry_msgs.msg, nav_msgs.msg"

// Require skips the test with -short, and skips (or, with
// DFPLAN_REQUIRE_ROS=1, fails) it unless rosmaster and the named ROS
// command-line tools are on PATH and the message packages import.
func Require(t testing.TB, tools ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("ROS test: skipped with -short (it starts rosmaster and runs in real time)")
	}
	for _, tool := range append([]string{"rosmaster"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			unavailable(t, fmt.Sprintf("%s not on PATH", tool))
		}
	}
	if err := messagesImport(); err != nil {
		unavailable(t, err.Error())
	}
}

func unavailable(t testing.TB, why string) {
	t.Helper()
	msg := fmt.Sprintf("ROS test: %s; the ROS tests need Debian's %s (set DFPLAN_REQUIRE_ROS=1 to make this a failure)", why, Packages)
	if os.Getenv("DFPLAN_REQUIRE_ROS") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

var imports struct {
	once sync.Once
	err  error
}

// messagesImport runs `PYTHON -c 'import rospy, geometry_msgs.msg,
// nav_msgs.msg'` once per test binary, with the Python that rosmaster's
// script names on its #! line (Debian's /usr/bin/python3), since that is the
// Python the tools run in; a python3 earlier on PATH (pyenv, a venv) may not
// see Debian's packages.
func messagesImport() error {
	imports.once.Do(func() {
		py := toolPython("rosmaster")
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var stderr strings.Builder
		cmd := exec.CommandContext(ctx, py[0], append(py[1:], "-c", messageImports)...)
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			last := strings.TrimSpace(stderr.String())
			if i := strings.LastIndex(last, "\n"); i >= 0 {
				last = last[i+1:]
			}
			imports.err = fmt.Errorf("%s -c '%s': %v: %s", strings.Join(py, " "), messageImports, err, last)
		}
	})
	return imports.err
}

// toolPython returns the interpreter (and its arguments) on the #! line of
// the named tool's script, or python3 if it has none.
func toolPython(tool string) []string {
	path, err := exec.LookPath(tool)
	if err != nil {
		return []string{"python3"}
	}
	f, err := os.Open(path)
	if err != nil {
		return []string{"python3"}
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	if !strings.HasPrefix(line, "#!") {
		return []string{"python3"}
	}
	fields := strings.Fields(line[2:])
	if len(fields) == 0 {
		return []string{"python3"}
	}
	return fields
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Master starts rosmaster on a free loopback port, waits until it answers,
// points ROS_MASTER_URI (and ROS_IP, ROS_HOME) at it for the rest of the
// test and kills it on cleanup. It returns the master's host:port.
func Master(t testing.TB) string {
	t.Helper()
	Require(t)
	addr := fmt.Sprintf("127.0.0.1:%d", FreePort(t))
	StartMasterAt(t, addr)
	return addr
}

// StartMasterAt starts rosmaster listening on addr (host:port) as Master
// does, for tests that choose the port before the master exists. kill
// stops it before the test ends, as a crash would (SIGKILL), for tests of
// a master restart; cleanup kills it otherwise.
func StartMasterAt(t testing.TB, addr string) (kill func()) {
	t.Helper()
	Require(t)
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	logf, err := os.Create(filepath.Join(home, "rosmaster.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("rosmaster", "--core", "-p", port)
	cmd.Env = append(os.Environ(), "ROS_HOME="+home, "ROS_LOG_DIR="+home)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start rosmaster: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	kill = func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}
	t.Cleanup(func() {
		kill()
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("rosmaster on %s, its output:\n%s", addr, b)
		}
	})
	t.Setenv("ROS_MASTER_URI", "http://"+addr)
	t.Setenv("ROS_IP", "127.0.0.1")
	t.Setenv("ROS_HOME", home)
	c := apiparam.NewClient(addr, "/rostest", &http.Client{Timeout: time.Second})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := c.HasParam("/use_sim_time"); err == nil {
			return kill
		}
		select {
		case <-exited:
			b, _ := os.ReadFile(logf.Name())
			t.Fatalf("rosmaster exited at start:\n%s", b)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("rosmaster on %s did not answer within 30 s", addr)
		}
	}
}

// Run runs a ROS command-line tool (rostopic, rosparam, ...) against the
// test's master, returning its combined output; it fails the test if the
// tool fails or takes longer than timeout.
func Run(t testing.TB, timeout time.Duration, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// Start starts a ROS command-line tool in the background; it is killed on
// cleanup. Its output goes to w (if not nil) and is logged on cleanup if the
// tool exited with an error before then or the test failed.
func Start(t testing.TB, w io.Writer, name string, args ...string) *exec.Cmd {
	t.Helper()
	var out Buffer
	cmd := exec.Command(name, args...)
	if w != nil {
		cmd.Stdout, cmd.Stderr = io.MultiWriter(w, &out), io.MultiWriter(w, &out)
	} else {
		cmd.Stdout, cmd.Stderr = &out, &out
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	var waitErr error
	done := make(chan struct{})
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		var failed error
		select {
		case <-done:
			failed = waitErr // exited by itself
		default:
		}
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		if failed != nil || t.Failed() {
			status := "killed at cleanup"
			if failed != nil {
				status = failed.Error()
			}
			t.Logf("%s %s (%s), its output:\n%s", name, strings.Join(args, " "), status, out.String())
		}
	})
	return cmd
}
