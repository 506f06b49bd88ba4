package atomicfile

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesWholeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.bin")
	if err := WriteBytes(path, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(path, []byte("second")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "second" {
		t.Fatalf("read back %q, %v; want second", got, err)
	}
}

func TestWriteFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.bin")
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want wrapped boom", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("directory not empty after failed write: %v", entries)
	}
}

func TestWriteUnwritableDirectory(t *testing.T) {
	err := WriteBytes(filepath.Join(t.TempDir(), "missing", "out.bin"), []byte("x"))
	if err == nil {
		t.Fatal("want error for missing directory")
	}
}

func TestCheckLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := Check(filepath.Join(dir, "out.bin")); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("directory not empty after Check: %v", entries)
	}
	if err := Check(filepath.Join(dir, "missing", "out.bin")); err == nil {
		t.Fatal("missing directory: want error")
	}
}

// A write stopped through its context (a signal, in dfplan) fails with the
// context's cause and leaves neither the target nor a temporary file.
func TestWriteContextStopped(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.bin")
	interrupted := errors.New("interrupted by SIGTERM")
	ctx, cancel := context.WithCancelCause(context.Background())
	err := WriteContext(ctx, path, func(w io.Writer) error {
		if _, err := w.Write(make([]byte, 3<<20)); err != nil {
			return err
		}
		cancel(interrupted)
		_, err := w.Write(make([]byte, 3<<20))
		return err
	})
	if !errors.Is(err, interrupted) {
		t.Fatalf("err = %v, want the context's cause", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("directory not empty after a stopped write: %v", entries)
	}
}

// RemovePending removes the temporary file of a write under way, as a
// process exiting at once (a second Ctrl-C) does; the target is not
// created.
func TestRemovePending(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.bin")
	inFill, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- Write(path, func(w io.Writer) error {
			close(inFill)
			<-release
			_, err := w.Write([]byte("data"))
			return err
		})
	}()
	<-inFill
	if n := RemovePending(); n != 1 {
		t.Errorf("RemovePending removed %d files, want 1", n)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("directory not empty after RemovePending: %v", entries)
	}
	close(release)
	if err := <-done; err == nil {
		t.Error("the write succeeded after its temporary file was removed")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("target exists after RemovePending: %v", err)
	}
	if n := RemovePending(); n != 0 {
		t.Errorf("second RemovePending removed %d files, want 0", n)
	}
}
