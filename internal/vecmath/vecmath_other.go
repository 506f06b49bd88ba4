//go:build !amd64

package vecmath

func cpuOK() bool { return false }

// The assembly functions are never called off amd64 (cpuOK reports false);
// they are here so that the package builds.

func sigmoidAsm(dst, x *float32, n int)        { panic("vecmath: no assembly on this architecture") }
func siluAsm(y, sig, x *float32, n int)        { panic("vecmath: no assembly on this architecture") }
func siluBackAsm(grad, x, sig *float32, n int) { panic("vecmath: no assembly on this architecture") }
