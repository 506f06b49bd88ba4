package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/robot/rostest"
)

// cliResult is what one command line produced.
type cliResult struct {
	code           int
	stdout, stderr string
}

// writeTemp writes content to a file name in a fresh temporary directory
// and returns its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runCLI executes the dfplan command line in-process, like run, with stdin
// and captured stdout/stderr. The exit code follows run's rules.
func runCLI(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	root := newRootCmd()
	// The command's stderr is also the default logger's output, and a
	// command's goroutines may still log while the test reads it.
	var out, errb rostest.Buffer
	root.SetArgs(args)
	root.SetIn(io.Reader(strings.NewReader(stdin)))
	root.SetOut(&out)
	root.SetErr(&errb)
	code := 0
	if err := root.Execute(); err != nil {
		fmt.Fprintf(&errb, "dfplan: %s\n", message(err))
		code = exitCode(err)
	}
	return cliResult{code, out.String(), errb.String()}
}
