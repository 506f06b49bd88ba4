package planner

import "slices"

// latents carries the network's latent over tokens that have not changed
// since their last pass. The network is causal, so a pass over tokens
// t0…H−1 that starts from the latent after token t0−1 predicts what a pass
// over every token would: the sampler saves the passes' prefixes.
type latents struct {
	b, h, zd int
	z        []float32 // latest latent after every token, B × H × ZDim
	dirty    []bool    // token changed since its last pass
	// every is the granularity of the offsets passes start at: at most 4
	// distinct offsets (and so graph shapes) per pass kind, since every
	// offset is a separately compiled graph and memory grows with their
	// number. Restarting earlier than needed is exact, just less saving.
	every int
	// recompute disables carrying latents (tests).
	recompute bool
}

func (p *Planner) newLatents(b int) *latents {
	h, zd := p.conf.HorizonTokens, p.mconf.ZDim
	l := &latents{b: b, h: h, zd: zd, z: make([]float32, b*h*zd), dirty: make([]bool, h), every: p.carryEvery, recompute: p.recompute}
	for t := range l.dirty {
		l.dirty[t] = true
	}
	return l
}

// start returns the token the next pass starts at (H: nothing changed, no
// pass needed, never with a valid scheduling matrix).
func (l *latents) start() int {
	t0 := slices.Index(l.dirty, true)
	if t0 < 0 {
		t0 = l.h
	}
	t0 = t0 / l.every * l.every
	if l.recompute {
		t0 = 0
	}
	return t0
}

// before returns the B latents after token t0−1, to start a pass at t0
// from (nil for t0 = 0: the pass encodes the observation).
func (l *latents) before(t0 int) []float32 {
	if t0 == 0 {
		return nil
	}
	z0 := make([]float32, l.b*l.zd)
	for i := 0; i < l.b; i++ {
		copy(z0[i*l.zd:(i+1)*l.zd], l.z[(i*l.h+t0-1)*l.zd:(i*l.h+t0)*l.zd])
	}
	return z0
}

// put stores the latents of a pass over tokens t0…H−1, which are now
// current.
func (l *latents) put(z []float32, t0 int) {
	putTokens(l.z, z, l.b, l.h, t0, l.zd)
	for t := t0; t < l.h; t++ {
		l.dirty[t] = false
	}
}

// changed marks token t as changed since its last pass.
func (l *latents) changed(t int) { l.dirty[t] = true }

// sliceTokens copies tokens t0…H−1 of each of b sequences (H tokens of
// width w each) into a new b × (H−t0) × w array.
func sliceTokens(all []float32, b, h, t0, w int) []float32 {
	hh := h - t0
	out := make([]float32, b*hh*w)
	for i := 0; i < b; i++ {
		copy(out[i*hh*w:(i+1)*hh*w], all[(i*h+t0)*w:(i+1)*h*w])
	}
	return out
}

// putTokens writes a b × (H−t0) × w array back over tokens t0…H−1.
func putTokens(all, part []float32, b, h, t0, w int) {
	hh := h - t0
	for i := 0; i < b; i++ {
		copy(all[(i*h+t0)*w:(i+1)*h*w], part[i*hh*w:(i+1)*hh*w])
	}
}
