//go:build amd64

#include "textflag.h"

// One k step of the 6×16 tile: two 8-wide loads of the packed B row, six
// broadcasts of the packed A column, twelve fused multiply-adds into the
// accumulators Y4–Y15 (row r of the tile is Y(4+2r) for columns 0–7 and
// Y(5+2r) for columns 8–15). SI walks A (6 floats a step), DI walks B (R8
// bytes a step: 64 when B is packed, ldb·4 when B is read in place).
#define STEP \
	VMOVUPS      (DI), Y0;        \
	VMOVUPS      32(DI), Y1;      \
	VBROADCASTSS (SI), Y2;        \
	VBROADCASTSS 4(SI), Y3;       \
	VFMADD231PS  Y0, Y2, Y4;      \
	VFMADD231PS  Y1, Y2, Y5;      \
	VFMADD231PS  Y0, Y3, Y6;      \
	VFMADD231PS  Y1, Y3, Y7;      \
	VBROADCASTSS 8(SI), Y2;       \
	VBROADCASTSS 12(SI), Y3;      \
	VFMADD231PS  Y0, Y2, Y8;      \
	VFMADD231PS  Y1, Y2, Y9;      \
	VFMADD231PS  Y0, Y3, Y10;     \
	VFMADD231PS  Y1, Y3, Y11;     \
	VBROADCASTSS 16(SI), Y2;      \
	VBROADCASTSS 20(SI), Y3;      \
	VFMADD231PS  Y0, Y2, Y12;     \
	VFMADD231PS  Y1, Y2, Y13;     \
	VFMADD231PS  Y0, Y3, Y14;     \
	VFMADD231PS  Y1, Y3, Y15;     \
	ADDQ         $24, SI;         \
	ADDQ         R8, DI

// Adds one accumulated row (two registers) to the row of C at DX and moves
// DX to the next row.
#define ADDROW(lo, hi) \
	VADDPS  (DX), lo, lo;   \
	VADDPS  32(DX), hi, hi; \
	VMOVUPS lo, (DX);       \
	VMOVUPS hi, 32(DX);     \
	ADDQ    R9, DX

// func kern6x16(k int, a *float32, b *float32, ldb int, c *float32, ldc int)
TEXT ·kern6x16(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R8
	SHLQ $2, R8
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R9
	SHLQ $2, R9

	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15

	CMPQ CX, $4
	JL   tail

loop4:
	STEP
	STEP
	STEP
	STEP
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop4

tail:
	TESTQ CX, CX
	JE    store

loop1:
	STEP
	DECQ CX
	JNE  loop1

store:
	ADDROW(Y4, Y5)
	ADDROW(Y6, Y7)
	ADDROW(Y8, Y9)
	ADDROW(Y10, Y11)
	ADDROW(Y12, Y13)
	ADDROW(Y14, Y15)
	VZEROUPPER
	RET
