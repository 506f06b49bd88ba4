// Package atomicfile writes files so that readers see either the old content
// or the complete new content, never a partial file: data goes to a temporary
// file in the same directory, which is synced and renamed over the target.
// A write can be stopped through a context, and a process that must exit at
// once removes the temporary files of the writes under way (RemovePending).
package atomicfile

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// pending holds the temporary files of the writes under way.
var pending struct {
	sync.Mutex
	files map[string]bool
}

func track(tmp string, on bool) {
	pending.Lock()
	defer pending.Unlock()
	if pending.files == nil {
		pending.files = map[string]bool{}
	}
	if on {
		pending.files[tmp] = true
	} else {
		delete(pending.files, tmp)
	}
}

// RemovePending removes the temporary files of all writes under way, for
// a process about to exit without waiting for them (a second Ctrl-C). The
// targets keep their old content. It returns the number removed.
func RemovePending() int {
	pending.Lock()
	defer pending.Unlock()
	n := 0
	for tmp := range pending.files {
		if os.Remove(tmp) == nil {
			n++
		}
		delete(pending.files, tmp)
	}
	return n
}

// Write creates path with the bytes that fill writes. If fill or any step of
// writing fails, the target is left untouched and no temporary file remains.
func Write(path string, fill func(w io.Writer) error) error {
	return WriteContext(context.Background(), path, fill)
}

// WriteContext is Write, stopped when ctx ends: the writes fill makes fail
// from then on with ctx's cause (context.Cause), and nothing is renamed
// over path. A write whose data is complete is finished.
func WriteContext(ctx context.Context, path string, fill func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	tmp := f.Name()
	track(tmp, true)
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
		track(tmp, false)
	}()
	bw := bufio.NewWriterSize(ctxWriter{ctx, f}, 1<<20)
	if err = fill(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", path, err)
	}
	return nil
}

// ctxWriter fails once its context has ended.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, context.Cause(c.ctx)
	}
	return c.w.Write(p)
}

// Check reports whether Write could create path later: it creates and
// removes a temporary file in path's directory. Commands call it before
// long work whose result goes to path, so a bad path fails at once.
func Check(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
