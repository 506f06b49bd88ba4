//go:build !amd64

package gemm

// kern6x16 is never called off amd64 (cpuReason reports no kernel); it is
// the assembly kernel's contract in Go so that the package builds.
func kern6x16(k int, a *float32, b *float32, ldb int, c *float32, ldc int) {
	panic("gemm: no assembly kernel on this architecture")
}

func cpuReason() (ok bool, why string) { return false, "not amd64" }
