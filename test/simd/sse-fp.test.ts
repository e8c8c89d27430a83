// SSE/AVX floating point, FMA, F16C, gathers and masked moves.
// Expected values are derived by hand in the comments (IEEE 754 binary32/64 encodings,
// SDM vol. 1 §11.5 for MXCSR flags, vol. 2 pseudo-code for the instructions).
import { describe, it, expect } from 'vitest';
import { mem, rsi, xmm0, xmm1, xmm2, xmm3, ymm0, ymm1, ymm2, eax, rax, r12 } from '../../guest-kernel/asm/index.ts';
import { run, le, elems, fill, f32, DATA } from './sse-harness.ts';

const ONE = 0x3f800000, TWO = 0x40000000;

describe('packed and scalar arithmetic', () => {
  it('ADDSS: 1.5 + 2.25 = 3.75 (0x40700000); bits 127:32 from the destination', () => {
    const r = run((a) => a.addss(xmm0, xmm1), { v: { 0: le(4, [f32(1.5), 7, 8, 9]), 1: le(4, [f32(2.25), 1, 1, 1]) } });
    expect(elems(4, r.vec(0, 16))).toEqual([0x40700000n, 7n, 8n, 9n]);
    expect(r.c.mxcsr).toBe(0x1f80); // exact: no flags
  });
  it('VADDSS takes bits 127:32 from src1 and zeroes 255:128', () => {
    const r = run((a) => a.vaddss(xmm2, xmm0, xmm1), { v: { 0: le(4, [f32(1.5), 7, 8, 9]), 1: le(4, [f32(2.25), 1, 1, 1]), 2: fill(64, 0xaa) } });
    expect(elems(4, r.vec(2, 16))).toEqual([0x40700000n, 7n, 8n, 9n]);
    expect(r.vec(2).slice(16)).toEqual(fill(48, 0));
  });
  it('DIVPS 1/3 is inexact: PE (MXCSR bit 5) set; 1/0 → +inf with ZE (bit 2)', () => {
    const r = run((a) => a.divps(xmm0, xmm1), { v: { 0: le(4, [ONE, ONE, ONE, ONE]), 1: le(4, [f32(3), 0, ONE, ONE]) } });
    // 1/3 rounds to 0x3eaaaaab; 1/0 = +inf 0x7f800000
    expect(elems(4, r.vec(0, 16))).toEqual([0x3eaaaaabn, 0x7f800000n, BigInt(ONE), BigInt(ONE)]);
    expect(r.c.mxcsr).toBe(0x1f80 | 0x20 | 0x04);
  });
  it('SQRTSD 2.0 = 0x3FF6A09E667F3BCD (round to nearest), inexact', () => {
    const r = run((a) => a.sqrtsd(xmm0, xmm1), { v: { 1: le(8, [0x4000000000000000n, 0n]) } });
    expect(elems(8, r.vec(0, 8))).toEqual([0x3ff6a09e667f3bcdn]);
    expect(r.c.mxcsr & 0x3f).toBe(0x20);
  });
  it('HADDPS adds adjacent pairs: [a0+a1, a2+a3, b0+b1, b2+b3]', () => {
    const r = run((a) => a.haddps(xmm0, xmm1), { v: { 0: le(4, [f32(1), f32(2), f32(3), f32(4)]), 1: le(4, [f32(10), f32(20), f32(30), f32(40)]) } });
    expect(elems(4, r.vec(0, 16))).toEqual([f32(3), f32(7), f32(30), f32(70)].map(BigInt));
  });
  it('DPPS 0xf1: sum of the four products into element 0 only', () => {
    // 1*5 + 2*6 + 3*7 + 4*8 = 5 + 12 + 21 + 32 = 70
    const r = run((a) => a.dpps(xmm0, xmm1, 0xf1), { v: { 0: le(4, [1, 2, 3, 4].map(f32)), 1: le(4, [5, 6, 7, 8].map(f32)) } });
    expect(elems(4, r.vec(0, 16))).toEqual([BigInt(f32(70)), 0n, 0n, 0n]);
  });
  it('ROUNDPS imm 1 (floor) and imm 2 (ceil)', () => {
    const v = { 1: le(4, [-1.5, 1.5, 2.5, -0.25].map(f32)) };
    expect(elems(4, run((a) => a.roundps(xmm0, xmm1, 1), { v }).vec(0, 16))).toEqual([-2, 1, 2, -1].map((x) => BigInt(f32(x))));
    // ceil(-0.25) = -0.0 (0x80000000)
    expect(elems(4, run((a) => a.roundps(xmm0, xmm1, 2), { v }).vec(0, 16))).toEqual([BigInt(f32(-1)), BigInt(f32(2)), BigInt(f32(3)), 0x80000000n]);
  });
  it('MAXSS with a NaN returns the second operand (an SNaN unchanged) and sets IE', () => {
    const r = run((a) => a.maxss(xmm0, xmm1), { v: { 0: le(4, [ONE, 0, 0, 0]), 1: le(4, [0x7f800001, 0, 0, 0]) } });
    expect(elems(4, r.vec(0, 4))).toEqual([0x7f800001n]);
    expect(r.c.mxcsr & 1).toBe(1);
  });
});

describe('compares', () => {
  it('CMPPS predicate 1 (LT): all-ones where a < b; VCMPPS predicate 13 (GE_OS)', () => {
    const v = { 0: le(4, [ONE, TWO, ONE, 0x7fc00000]), 1: le(4, [TWO, ONE, ONE, ONE]) };
    expect(elems(4, run((a) => a.cmpps(xmm0, xmm1, 1), { v }).vec(0, 16))).toEqual([0xffffffffn, 0n, 0n, 0n]);
    const r = run((a) => a.vcmpps(xmm2, xmm0, xmm1, 13), { v });
    // GE: 1>=2 no, 2>=1 yes, 1>=1 yes, QNaN unordered → false and IE (signalling predicate)
    expect(elems(4, r.vec(2, 16))).toEqual([0n, 0xffffffffn, 0xffffffffn, 0n]);
    expect(r.c.mxcsr & 1).toBe(1);
  });
  it('UCOMISS: unordered sets ZF PF CF; less-than sets CF only', () => {
    const un = run((a) => a.ucomiss(xmm0, xmm1), { v: { 0: le(4, [0x7fc00000]), 1: le(4, [ONE]) } });
    expect([un.c.fz, un.c.fa & 1]).toEqual([0, 1]);
    expect(un.c.mxcsr & 1).toBe(0); // QNaN: no IE for UCOMISS
    const lt = run((a) => a.comiss(xmm0, xmm1), { v: { 0: le(4, [ONE]), 1: le(4, [TWO]) } });
    expect([lt.c.fz !== 0, lt.c.fa & 1]).toEqual([true, 1]);
  });
});

describe('conversions', () => {
  it('CVTTSS2SI of 2.5e9 overflows int32: 0x80000000 and IE', () => {
    const r = run((a) => a.cvttss2si(eax, xmm1), { v: { 1: le(4, [f32(2.5e9)]) } });
    expect(r.c.R64[0]).toBe(0x80000000n);
    expect(r.c.mxcsr & 1).toBe(1);
  });
  it('CVTSS2SI rounds per MXCSR.RC: 2.5 → 2 (nearest-even), 3 with RC=up', () => {
    expect(run((a) => a.cvtss2si(rax, xmm1), { v: { 1: le(4, [f32(2.5)]) } }).c.R64[0]).toBe(2n);
    expect(run((a) => a.cvtss2si(rax, xmm1), { v: { 1: le(4, [f32(2.5)]) }, mxcsr: 0x5f80 }).c.R64[0]).toBe(3n);
  });
  it('CVTSI2SD from r64 -1 = 0xBFF0000000000000; VCVTPD2PS ymm → xmm zeroes 255:128', () => {
    const r = run((a) => a.cvtsi2sd(xmm0, rax), { r: { 0: 0xffffffffffffffffn } });
    expect(elems(8, r.vec(0, 8))).toEqual([0xbff0000000000000n]);
    const r2 = run((a) => a.vcvtpd2ps(xmm2, ymm1), { v: { 1: le(8, [0x3ff0000000000000n, 0x4000000000000000n, 0xbff0000000000000n, 0n]), 2: fill(64, 0xaa) } });
    expect(elems(4, r2.vec(2, 16))).toEqual([BigInt(ONE), BigInt(TWO), BigInt(f32(-1)), 0n]);
    expect(r2.vec(2).slice(16)).toEqual(fill(48, 0));
  });
  it('VCVTPS2PH / VCVTPH2PS: 1.0 ↔ 0x3C00, 65520 overflows f16 to inf (0x7C00) under RNE', () => {
    const r = run((a) => a.vcvtps2ph(xmm2, xmm1, 0), { v: { 1: le(4, [ONE, f32(65520), f32(-2), 0]) } });
    expect(elems(2, r.vec(2, 8))).toEqual([0x3c00n, 0x7c00n, 0xc000n, 0n]);
    const r2 = run((a) => a.vcvtph2ps(xmm2, xmm1), { v: { 1: le(2, [0x3c00, 0xc000, 0x7c00, 0]) } });
    expect(elems(4, r2.vec(2, 16))).toEqual([BigInt(ONE), BigInt(f32(-2)), 0x7f800000n, 0n]);
  });
});

describe('#XM: an unmasked exception leaves the destination unchanged', () => {
  it('ADDPS with PE unmasked (MXCSR 0x1f80 & ~0x1000): #XM, destination intact, PE flag set', () => {
    // 1 + 2^-30 is inexact in binary32
    const v = { 0: le(4, [ONE, ONE, ONE, ONE]), 1: le(4, [0x30800000, 0, 0, 0]) };
    const r = run((a) => a.addps(xmm0, xmm1), { v, mxcsr: 0x0f80 });
    expect(r.stop?.vector).toBe(19);
    expect(r.vec(0, 16)).toEqual(v[0]);
    expect(r.c.mxcsr).toBe(0x0f80 | 0x20);
  });
  it('with CR4.OSXMMEXCPT=0 the same exception is #UD', () => {
    const v = { 0: le(4, [ONE, ONE, ONE, ONE]), 1: le(4, [0x30800000, 0, 0, 0]) };
    expect(run((a) => a.addps(xmm0, xmm1), { v, mxcsr: 0x0f80, cr4: 0x40220 }).stop?.vector).toBe(6);
  });
  it('VFMADD231PS with ZE/IE unmasked: 0*inf is invalid → #XM, nothing written', () => {
    const v = { 0: fill(32, 0x11), 1: le(4, [0, 0, 0, 0, 0, 0, 0, 0]), 2: le(4, fill(8, 0x7f800000)) };
    const r = run((a) => a.vfmadd231ps(ymm0, ymm1, ymm2), { v, mxcsr: 0x1f00 });
    expect(r.stop?.vector).toBe(19);
    expect(r.vec(0, 32)).toEqual(fill(32, 0x11));
  });
});

describe('FMA3', () => {
  it('VFMADD231SS: 2*3 + 1 = 7; bits 127:32 from the destination', () => {
    const r = run((a) => a.vfmadd231ss(xmm0, xmm1, xmm2), { v: { 0: le(4, [ONE, 5, 6, 7]), 1: le(4, [TWO]), 2: le(4, [f32(3)]) } });
    expect(elems(4, r.vec(0, 16))).toEqual([BigInt(f32(7)), 5n, 6n, 7n]);
  });
  it('VFMSUB213SD rounds once: (1+2^-30)^2 - (1+2^-29) = 2^-60 exactly', () => {
    // x*y with x = y = 1 + 2^-30 is 1 + 2^-29 + 2^-60; a separate multiply would lose the 2^-60 term
    const x = 0x3ff0000000400000n; // 1 + 2^-30: fraction bit 52-30 = 22 → 0x400000
    const z = 0x3ff0000000800000n; // 1 + 2^-29: fraction bit 23
    const r = run((a) => a.vfmsub213sd(xmm0, xmm1, xmm2), { v: { 0: le(8, [x, 0n]), 1: le(8, [x, 0n]), 2: le(8, [z, 0n]) } });
    expect(elems(8, r.vec(0, 8))).toEqual([0x3c30000000000000n]); // 2^-60: exponent 1023-60 = 963 = 0x3c3
  });
  it('VFMADDSUB231PS: even elements subtract, odd elements add', () => {
    // dst = y*z -/+ dst: 2*3 - 1 = 5, 2*3 + 1 = 7
    const r = run((a) => a.vfmaddsub231ps(xmm0, xmm1, xmm2), { v: { 0: le(4, fill(4, ONE)), 1: le(4, fill(4, TWO)), 2: le(4, fill(4, f32(3))) } });
    expect(elems(4, r.vec(0, 16))).toEqual([5, 7, 5, 7].map((x) => BigInt(f32(x))));
  });
});

describe('gathers and masked moves', () => {
  const table = le(4, Array.from({ length: 16 }, (_, i) => 0x100 + i));
  it('VPGATHERDD gathers the selected elements, keeps the others, clears the mask', () => {
    const r = run((a) => a.vpgatherdd(xmm0, mem.dword(r12, { index: xmm1, scale: 4 }), xmm2), {
      mem: table, r: { 12: BigInt(DATA) },
      v: { 0: le(4, [7, 7, 7, 7]), 1: le(4, [3, 0, 15, 1]), 2: le(4, [-1, 0, -1, 0x80000000]) },
    });
    expect(elems(4, r.vec(0, 16))).toEqual([0x103n, 7n, 0x10fn, 0x101n]);
    expect(r.vec(2)).toEqual(fill(64, 0));
  });
  it('a fault on element 1 leaves element 0 done and its mask cleared (restartable)', () => {
    const r = run((a) => a.vpgatherdd(xmm0, mem.dword(r12, { index: xmm1, scale: 1 }), xmm2), {
      mem: table, r: { 12: BigInt(DATA) },
      v: { 0: le(4, [7, 7, 7, 7]), 1: le(4, [0, 0x100000, 4, 8]), 2: le(4, [-1, -1, -1, -1]) },
    });
    expect(r.stop?.vector).toBe(14);
    expect(elems(4, r.vec(0, 16))).toEqual([0x100n, 7n, 7n, 7n]);
    expect(elems(4, r.vec(2, 16))).toEqual([0n, 0xffffffffn, 0xffffffffn, 0xffffffffn]);
  });
  it('VPGATHERDD with the same register as destination and index: #UD', () => {
    expect(run((a) => a.vpgatherdd(xmm0, mem.dword(r12, { index: xmm0, scale: 1 }), xmm2), { r: { 12: BigInt(DATA) } }).stop?.vector).toBe(6);
  });
  it('VMASKMOVPS load skips masked-off elements (zero, no fault); store writes only selected ones', () => {
    const r = run((a) => a.vmaskmovps(xmm0, xmm1, mem.xmmword(rsi)), { r: { 6: BigInt(DATA + 8192 - 8) }, v: { 1: le(4, [-1, -1, 0, 0]) }, mem: fill(8192, 0x22) });
    expect(r.stop?.vector).toBe(3); // elements 2-3 would lie on the unmapped page
    expect(elems(4, r.vec(0, 16))).toEqual([0x22222222n, 0x22222222n, 0n, 0n]);
    const s = run((a) => a.vmaskmovps(mem.xmmword(rsi), xmm1, xmm0), { r: { 6: BigInt(DATA) }, v: { 0: le(4, [1, 2, 3, 4]), 1: le(4, [0, -1, 0, -1]) } });
    expect(elems(4, s.mem(DATA, 16))).toEqual([0n, 2n, 0n, 4n]);
  });
});

export { ymm0, ymm2, xmm3 };
