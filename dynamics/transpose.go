package dynamics

import (
	"bytes"
	"sync"
	"unsafe"
)

// transposes keeps Wᵀ of the layers inside the recurrence between backward
// passes. A plan pulls a gradient through the same weights once per
// sampling row, dozens of times, and transposing them anew each time cost
// a third of a plan (CPU profile of one realtime plan of the 513 k model).
// An entry serves only while the weights it was made from are bitwise the
// ones passed in; a training step or a load changes them, and the next
// pass makes the entry again. Safe for concurrent use: the passes of a
// split batch and of training's shards share it.
type transposes struct {
	mu      sync.Mutex
	entries map[transposeKey]transposed
}

// transposeKey names a weight matrix by its backing array and shape.
type transposeKey struct {
	w       *float32
	in, out int
}

// transposed is Wᵀ and the copy of W it was made from.
type transposed struct {
	src, wt []float32
}

// of returns l with Wᵀ kept beside W (nn.Dense.WithTranspose), made again
// only when W changed since the last call for the same matrix.
func (c *transposes) of(l dense) dense {
	if len(l.W) == 0 {
		return l
	}
	key := transposeKey{&l.W[0], l.In, l.Out}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok && bytes.Equal(floatBytes(e.src), floatBytes(l.W)) {
		l.WT = e.wt
		return l
	}
	l = l.WithTranspose()
	if c.entries == nil {
		c.entries = map[transposeKey]transposed{}
	}
	c.entries[key] = transposed{src: append([]float32(nil), l.W...), wt: l.WT}
	return l
}

// floatBytes views f's memory as bytes, for a bitwise comparison at
// memcmp's speed.
func floatBytes(f []float32) []byte {
	if len(f) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), len(f)*4)
}

// recurrent is l with the transposes of the layers inside the recurrence
// kept; pre.in's only when its whole input gradient is needed (wantX).
func (c *transposes) recurrent(l *layers, wantX bool) *layers {
	r := *l
	r.pre = make([][2]dense, len(l.pre))
	for j, b := range l.pre {
		r.pre[j] = [2]dense{c.of(b[0]), c.of(b[1])}
	}
	r.preOut, r.reset, r.upd = c.of(l.preOut), c.of(l.reset), c.of(l.upd)
	r.candIn, r.candH = c.of(l.candIn), c.of(l.candH)
	if wantX {
		r.preIn = c.of(l.preIn)
	}
	return &r
}
