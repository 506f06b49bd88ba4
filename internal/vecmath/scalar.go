package vecmath

import "math"

// The pure-Go path: the scalar code of dynamics/native.go, which the
// assembly also uses for the last len(x) mod 8 elements.

func sigmoidGo(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = sigmoid(v)
	}
}

func siluGo(y, sig, x []float32) {
	y, sig = y[:len(x)], sig[:len(x)]
	for i, v := range x {
		s := sigmoid(v)
		sig[i] = s
		y[i] = v * s
	}
}

func siluBackGo(g, x, sig []float32) {
	g, sig = g[:len(x)], sig[:len(x)]
	for i, v := range x {
		s := sig[i]
		g[i] *= s * (1 + v*(1-s))
	}
}

// sigmoid is 1/(1+e^−x) with gorgonia's cut-offs: 0 below −88, 1 above 15.
// It evaluates exp32 only for arguments in [−15, 88]. NaN gives NaN.
func sigmoid(x float32) float32 {
	if x < -88 {
		return 0
	}
	if x > 15 {
		return 1
	}
	return 1 / (1 + exp32(-x))
}

// exp32 is e^x for float32 x in [−88, 88], within two
// units in the last place of the correctly rounded value: with
// n = round(x/ln 2) and r = x − n·ln 2 (|r| ≤ ln 2 / 2, ln 2 split in two
// parts so that n·ln2hi is exact), e^x = 2^n · e^r, and e^r is a degree-7
// Taylor polynomial, whose error at |r| = 0.347 is r^8/8! ≈ 5e-9 relative,
// below float32's 6e-8 step. It is several times faster than math.Exp,
// which computes in float64.
func exp32(x float32) float32 {
	const (
		log2e  = 1.44269504088896341
		ln2hi  = 0.693359375 // 8 significant bits: n·ln2hi is exact
		ln2lo  = -2.12194440e-4
		maxArg = 88.0
		// Adding 1.5·2^23 rounds a float32 of magnitude below 2^22 to an
		// integer, which then sits in the low mantissa bits.
		round = 12582912
	)
	if x > maxArg {
		x = maxArg
	}
	t := x*log2e + round
	n := t - round
	r := x - n*ln2hi - n*ln2lo
	p := float32(1.0 / 5040)
	p = p*r + 1.0/720
	p = p*r + 1.0/120
	p = p*r + 1.0/24
	p = p*r + 1.0/6
	p = p*r + 0.5
	p = p*r + 1
	p = p*r + 1
	ni := int32(math.Float32bits(t)) - 0x4b400000 // n as an integer
	// 2^n below float32's normal range: scale in two steps.
	if ni < -125 {
		return p * pow2(ni+64) * pow2(-64)
	}
	return p * pow2(ni)
}

// pow2 is 2^n for n in [−126, 127].
func pow2(n int32) float32 { return math.Float32frombits(uint32(n+127) << 23) }
