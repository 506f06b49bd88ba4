//go:build !amd64

package gemm

// kernel is never called off amd64 (cpuReason reports no kernel); it is
// here so that the package builds.
func kernel(rows, k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha float32) {
	panic("gemm: no assembly kernel on this architecture")
}

func cpuReason() (ok bool, why string) { return false, "not amd64" }

func packBT16(dst *float32, src *float32, lds int, blocks int) {
	panic("gemm: no assembly kernel on this architecture")
}
