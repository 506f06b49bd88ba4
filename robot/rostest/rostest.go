// Package rostest starts a private ROS master for tests: a real rosmaster
// (Debian's python3-rosmaster) on a free loopback port, killed when the test
// ends. It is for tests only.
//
// Without rosmaster on PATH the tests that need it are skipped, unless
// DFPLAN_REQUIRE_ROS=1, when they fail: CI sets it so a missing package
// cannot turn the ROS tests green by skipping them.
package rostest

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/bluenviron/goroslib/v2/pkg/apiparam"
	"net/http"
)

// Require skips (or, with DFPLAN_REQUIRE_ROS=1, fails) the test unless the
// named ROS command-line tools are on PATH.
func Require(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range append([]string{"rosmaster"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			msg := fmt.Sprintf("%s not on PATH: ROS tests need Debian's python3-rosmaster python3-rostopic python3-geometry-msgs python3-nav-msgs (set DFPLAN_REQUIRE_ROS=1 to make this a failure)", tool)
			if os.Getenv("DFPLAN_REQUIRE_ROS") == "1" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
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
// cleanup. Its output goes to w (if not nil).
func Start(t testing.TB, w io.Writer, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	})
	return cmd
}
