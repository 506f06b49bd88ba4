package rostest

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestToolPython(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		want         []string
	}{
		{"absolute interpreter", "#!/usr/bin/python3\nprint()\n", []string{"/usr/bin/python3"}},
		{"env and a flag", "#!/usr/bin/env python3 -u\n", []string{"/usr/bin/env", "python3", "-u"}},
		{"no #! line", "echo hi\n", []string{"python3"}},
		{"empty #! line", "#!\n", []string{"python3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "rosfake"), []byte(tc.script), 0o755); err != nil {
				t.Fatal(err)
			}
			t.Setenv("PATH", dir)
			if got := toolPython("rosfake"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("toolPython = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("not on PATH", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		if got := toolPython("rosfake"); !reflect.DeepEqual(got, []string{"python3"}) {
			t.Errorf("toolPython = %q, want python3", got)
		}
	})
}
