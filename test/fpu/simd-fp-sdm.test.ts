// Hand-derived cases from the SDM rules (expected values worked out by hand,
// not produced by the library).
import { describe, expect, it } from 'vitest';
import * as L from '../../emulator/fpu/simd-fp.ts';

const { FE_IE, FE_DE, FE_ZE, FE_OE, FE_UE, FE_PE } = L;
const env = (mxcsr = 0x1f80): L.FpEnv => L.makeFpEnv(mxcsr);
const hex = (v: number): string => (v >>> 0).toString(16);
const F1 = 0x3f800000, F2 = 0x40000000, F2_5 = 0x40200000, NEG1 = 0xbf800000;
const QNAN = 0x7fc12345, SNAN = 0x7f812345, MAXF = 0x7f7fffff, INF = 0x7f800000;

describe('simd-fp: SDM rules by hand', () => {
  it('invalid operations give the negative default NaN and IE', () => {
    let e = env();
    expect(hex(L.divF32(e, 0, 0))).toBe('ffc00000'); expect(e.flags).toBe(FE_IE);
    e = env();
    expect(hex(L.subF32(e, INF, INF))).toBe('ffc00000'); expect(e.flags).toBe(FE_IE);
    e = env();
    expect(hex(L.sqrtF32(e, NEG1))).toBe('ffc00000'); expect(e.flags).toBe(FE_IE);
    e = env();
    L.mulF64(e, 0, 0, 0, 0x7ff00000);
    expect([hex(e.rhi), hex(e.rlo)]).toEqual(['fff80000', '0']); expect(e.flags).toBe(FE_IE);
  });

  it('divide by zero: ZE and a signed infinity', () => {
    const e = env();
    expect(hex(L.divF32(e, NEG1, 0))).toBe('ff800000');
    expect(e.flags).toBe(FE_ZE);
  });

  it('NaN propagation: first operand NaN (quieted) wins, SNaN raises IE', () => {
    let e = env();
    expect(hex(L.addF32(e, SNAN, QNAN))).toBe('7fc12345'); expect(e.flags).toBe(FE_IE);
    e = env();
    expect(hex(L.addF32(e, F1, SNAN))).toBe('7fc12345'); expect(e.flags).toBe(FE_IE);
    e = env();
    expect(hex(L.mulF32(e, QNAN, 0xffc00001))).toBe('7fc12345'); expect(e.flags).toBe(0);
  });

  it('MIN/MAX return the second operand for NaNs (IE even for QNaN) and for two zeros', () => {
    let e = env();
    expect(hex(L.minF32(e, 0, 0x80000000))).toBe('80000000');
    expect(hex(L.maxF32(e, 0x80000000, 0))).toBe('0'); expect(e.flags).toBe(0);
    e = env();
    expect(hex(L.maxF32(e, QNAN, F1))).toBe('3f800000'); expect(e.flags).toBe(FE_IE);
    e = env();
    expect(hex(L.minF32(e, F1, SNAN))).toBe('7f812345'); expect(e.flags).toBe(FE_IE); // not quieted
  });

  it('rounding modes and overflow responses', () => {
    // MAX_FLOAT * 2 overflows: RN -> inf, RZ -> MAX_FLOAT, RD -> MAX_FLOAT (positive)
    for (const [rc, want] of [[0, INF], [1, MAXF], [2, INF], [3, MAXF]] as const) {
      const e = env(0x1f80 | (rc << 13));
      expect(hex(L.mulF32(e, MAXF, F2))).toBe(hex(want));
      expect(e.flags).toBe(FE_OE | FE_PE);
    }
    // 1 + 2^-24 is a tie: RN to even (1.0), RU up to 1 + 2^-23
    let e = env();
    expect(hex(L.addF32(e, F1, 0x33800000))).toBe('3f800000'); expect(e.flags).toBe(FE_PE);
    e = env(0x1f80 | (2 << 13));
    expect(hex(L.addF32(e, F1, 0x33800000))).toBe('3f800001');
    // exact cancellation: +0, but -0 when rounding down
    e = env(0x1f80 | (1 << 13));
    expect(hex(L.subF32(e, F1, F1))).toBe('80000000');
  });

  it('DAZ reads denormals as signed zeros without DE; without DAZ, DE', () => {
    let e = env(0x1f80 | 0x40);
    expect(hex(L.addF32(e, 0x80000001, 0x80000000))).toBe('80000000'); expect(e.flags).toBe(0);
    e = env();
    expect(hex(L.addF32(e, 1, 1))).toBe('2'); expect(e.flags).toBe(FE_DE);
  });

  it('underflow: masked needs tiny and inexact; FTZ flushes with UE|PE; unmasked UE reports exact tiny results', () => {
    // 2^-100 * 2^-30 = 2^-130: an exact denormal (0x00080000)
    const a = 0x0d800000, b = 0x30800000; // 2^-100, 2^-30
    let e = env();
    expect(hex(L.mulF32(e, a, b))).toBe('80000'); expect(e.flags).toBe(0);
    e = env(0x1f80 | 0x8000);
    expect(hex(L.mulF32(e, a, b))).toBe('0'); expect(e.flags).toBe(FE_UE | FE_PE);
    e = env(0x1f80 & ~0x800); // UE unmasked
    L.mulF32(e, a, b);
    expect(e.flags).toBe(FE_UE);
  });

  it('commitFpFlags: an unmasked pre-computation exception hides post-computation flags', () => {
    const e = env();
    e.flags = FE_DE | FE_PE;
    let r = L.commitFpFlags(e, 0x1f80 & ~0x100); // DE unmasked
    expect(r.fault).toBe(true); expect(r.mxcsr & 0x3f).toBe(FE_DE);
    r = L.commitFpFlags(e, 0x1f80);
    expect(r.fault).toBe(false); expect(r.mxcsr & 0x3f).toBe(FE_DE | FE_PE);
  });

  it('{sae} and embedded rounding suppress all flags', () => {
    const e = env();
    L.setEmbeddedRounding(e, 3);
    expect(hex(L.mulF32(e, MAXF, F2))).toBe(hex(MAXF));
    expect(hex(L.divF32(e, F1, 0))).toBe('7f800000');
    expect(e.flags).toBe(0);
  });

  it('VCMP predicates: signalling ones raise IE on QNaN, quiet ones only on SNaN', () => {
    let e = env();
    expect(L.cmpF32(e, QNAN, F1, 1)).toBe(false); expect(e.flags).toBe(FE_IE); // LT_OS
    e = env();
    expect(L.cmpF32(e, QNAN, F1, 17)).toBe(false); expect(e.flags).toBe(0); // LT_OQ
    expect(L.cmpF32(e, QNAN, F1, 4)).toBe(true); // NEQ_UQ
    expect(L.cmpF32(e, F1, F2, 13)).toBe(false); // GE_OS
    expect(L.cmpF32(e, F2, F2, 29)).toBe(true); // GE_OQ
    expect(L.cmpF32(e, 0, 0x80000000, 0)).toBe(true); // +0 == -0
    e = env();
    expect(L.comiF32(e, QNAN, F1, false)).toBe(0x45); expect(e.flags).toBe(0);
    expect(L.comiF32(e, F1, F2, true)).toBe(0x01);
    expect(L.comiF32(e, F2, F1, true)).toBe(0x00);
    expect(L.comiF32(e, F1, F1, true)).toBe(0x40);
  });

  it('conversions to integers: rounding, truncation and the integer indefinite', () => {
    let e = env();
    expect(L.cvtF32toI32(e, F2_5, false)).toBe(2); expect(e.flags).toBe(FE_PE); // ties to even
    e = env(0x1f80 | (2 << 13));
    expect(L.cvtF32toI32(e, F2_5, false)).toBe(3);
    expect(L.cvtF32toI32(e, F2_5, true)).toBe(2);
    e = env();
    expect(hex(L.cvtF32toI32(e, QNAN, true))).toBe('80000000'); expect(e.flags).toBe(FE_IE);
    e = env();
    expect(hex(L.cvtF32toI32(e, 0x4f000000, false))).toBe('80000000'); expect(e.flags).toBe(FE_IE); // 2^31
    e = env();
    expect(hex(L.cvtF32toI32(e, 0xcf000000, false))).toBe('80000000'); expect(e.flags).toBe(0); // -2^31 fits
    e = env();
    expect(hex(L.cvtF32toU32(e, NEG1, true))).toBe('ffffffff'); expect(e.flags).toBe(FE_IE);
    e = env();
    expect(hex(L.cvtF32toU32(e, 0xbf000000, true))).toBe('0'); expect(e.flags).toBe(FE_PE); // -0.5 truncates to 0
    e = env();
    L.cvtF64toI64(e, 0, 0x43e00000, true); // 2^63
    expect([hex(e.rhi), hex(e.rlo)]).toEqual(['80000000', '0']); expect(e.flags).toBe(FE_IE);
  });

  it('int -> float rounding and f16 conversion', () => {
    let e = env();
    expect(hex(L.cvtI32toF32(e, 16777217))).toBe('4b800000'); expect(e.flags).toBe(FE_PE); // 2^24+1 -> 2^24
    e = env();
    expect(hex(L.cvtU64toF32(e, 0xffffffff, 0xffffffff))).toBe('5f800000'); // 2^64-1 -> 2^64
    e = env();
    expect(hex(L.cvtF32toF16(e, 0x477ff000, 0))).toBe('7c00'); expect(e.flags).toBe(FE_OE | FE_PE); // 65520 -> inf
    e = env();
    expect(hex(L.cvtF32toF16(e, 0x477ff000, 3))).toBe('7bff'); // RZ -> 65504
    e = env();
    expect(hex(L.cvtF16toF32(e, 0x7c01))).toBe('7fc02000'); expect(e.flags).toBe(FE_IE); // SNaN quieted, payload kept
  });

  it('FMA rounds once (f32 and f64)', () => {
    // (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly; an unfused product would give 0
    let e = env();
    expect(hex(L.fmaF32(e, 0x3f7ffffe, 0x3f800001, 0xbf800000, L.FMA_MADD, L.FORM_213))).toBe('a8800000');
    expect(e.flags).toBe(0);
    // f64: (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 (form 231: y*z + x)
    e = env();
    L.fmaF64(e, 0, 0xbff00000, 1, 0x3ff00000, 0xfffffffe, 0x3fefffff, L.FMA_MADD, L.FORM_231);
    expect([hex(e.rhi), hex(e.rlo)]).toEqual(['b9700000', '0']);
    // fnmsub: -(2*3) - 1 = -7
    e = env();
    expect(hex(L.fmaF32(e, F1, F2, 0x40400000, L.FMA_NMSUB, L.FORM_231))).toBe('c0e00000');
  });

  it('ROUND/VRNDSCALE imm8, VGETEXP, VGETMANT', () => {
    let e = env();
    expect(hex(L.rndscaleF32(e, F2_5, 0x9))).toBe('40000000'); expect(e.flags).toBe(0); // floor, PE suppressed
    e = env();
    expect(hex(L.rndscaleF32(e, F2_5, 0x2))).toBe('40400000'); expect(e.flags).toBe(FE_PE); // ceil
    e = env();
    expect(hex(L.rndscaleF32(e, 0x3fa00000, 0x10))).toBe('3f800000'); // 1.25 to halves: 2.5 ties to 2 -> 1.0
    expect(e.flags).toBe(FE_PE);
    e = env();
    expect(hex(L.getexpF32(e, 0))).toBe('ff800000'); // log2(0) = -inf
    expect(hex(L.getexpF32(e, 0x41000000))).toBe('40400000'); // 8.0 -> 3.0
    expect(hex(L.getmantF32(e, 0xc0400000, 0))).toBe('bfc00000'); // -3.0 -> -1.5 in [1,2), sign kept
    expect(hex(L.getmantF32(e, 0xc0400000, 4))).toBe('3fc00000'); // sign control 1: positive
    expect(e.flags).toBe(0);
  });

  it('DPPS follows the SDM summation order', () => {
    const e = env();
    const a = new Uint32Array([F1, F2, 0x40400000, 0x40800000]);
    const b = new Uint32Array([F1, F1, F1, F1]);
    const out = new Uint32Array(4);
    L.dppsBlock(e, a, 0, b, 0, 0xf5, out, 0);
    expect([...out].map(hex)).toEqual(['41200000', '0', '41200000', '0']); // 10.0 in lanes 0 and 2
  });
});
