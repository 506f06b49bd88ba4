//go:build amd64

package vecmath

import "golang.org/x/sys/cpu"

//go:generate go run gen_asm.go

func cpuOK() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }

// The assembly functions (vecmath_amd64.s) do what sigmoidGo, siluGo and
// siluBackGo do for the first n elements, n a positive multiple of 8; they
// read and write exactly those elements. Each 8-float block is loaded
// before it is stored, so an output may be the same array as an input.

//go:noescape
func sigmoidAsm(dst, x *float32, n int)

//go:noescape
func siluAsm(y, sig, x *float32, n int)

//go:noescape
func siluBackAsm(grad, x, sig *float32, n int)
