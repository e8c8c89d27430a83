// Hand-derived cases from the SDM's rules (Vol. 1 ch. 4 and 8, Vol. 2 instruction pages).
// Expected values are worked out by hand here, not produced by the library.
import { describe, it, expect } from 'vitest';
import { hx, fmt } from '../fixtures/f80/fixtures.ts';
import { F_IE, F_DE, F_ZE, F_OE, F_UE, F_PE, F_C0, F_C1, F_C2, F_C3, F_NORESULT, type F80 } from '../../emulator/fpu/f80-core.ts';
import { f80Add, f80Sub, f80Mul, f80Div, f80Sqrt } from '../../emulator/fpu/f80-arith.ts';
import { f80Compare, f80Xam } from '../../emulator/fpu/f80-compare.ts';
import { f80ToInt, f80Const, f80FromF32, f80ToF32, f80ToBcd, f80FromBcd, CONST_PI } from '../../emulator/fpu/f80-convert.ts';
import { f80Prem, f80Scale, f80Xtract, f80Rndint } from '../../emulator/fpu/f80-misc.ts';

const CW = 0x037f; // all masked, extended precision, nearest
const cw = (rc: number, pc = 3, masks = 0x3f) => 0x40 | masks | (pc << 8) | (rc << 10);
const nv = (): F80 => ({ se: 0, mhi: 0, mlo: 0 });
const ONE = '3fff8000000000000000';
const TWO = '40008000000000000000';
const MAX = '7ffeffffffffffffffff';
const INF = '7fff8000000000000000';
const INDEF = 'ffffc000000000000000';

function bin(fn: (c: number, a: F80, b: F80, r: F80) => number, c: number, a: string, b: string): [string, number] {
  const r = nv();
  const f = fn(c, hx(a), hx(b), r);
  return [f & F_NORESULT ? 'none' : fmt(r), f & ~F_NORESULT & 0xffff | (f & F_NORESULT ? 0x10000 : 0)];
}

describe('SDM masked/unmasked responses', () => {
  it('invalid: inf - inf gives the QNaN indefinite', () => {
    expect(bin(f80Sub, CW, INF, INF)).toEqual([INDEF, F_IE]);
    expect(bin(f80Sub, cw(0, 3, 0x3e), INF, INF)).toEqual(['none', F_IE | F_NORESULT]);
    expect(bin(f80Mul, CW, '00000000000000000000', INF)).toEqual([INDEF, F_IE]);
    expect(bin(f80Div, CW, '00000000000000000000', '80000000000000000000')).toEqual([INDEF, F_IE]);
  });
  it('zero divide: signed infinity when masked, no result when unmasked', () => {
    expect(bin(f80Div, CW, ONE, '80000000000000000000')).toEqual(['ffff8000000000000000', F_ZE]);
    expect(bin(f80Div, cw(0, 3, 0x3b), ONE, '00000000000000000000')).toEqual(['none', F_ZE | F_NORESULT]);
  });
  it('overflow: masked response depends on RC and sign', () => {
    expect(bin(f80Mul, cw(0), MAX, TWO)).toEqual([INF, F_OE | F_PE | F_C1]);
    expect(bin(f80Mul, cw(3), MAX, TWO)).toEqual([MAX, F_OE | F_PE]);
    expect(bin(f80Mul, cw(1), MAX, TWO)).toEqual([MAX, F_OE | F_PE]);
    expect(bin(f80Mul, cw(2), MAX, TWO)).toEqual([INF, F_OE | F_PE | F_C1]);
    expect(bin(f80Mul, cw(2), MAX, 'c0008000000000000000')).toEqual(['fffeffffffffffffffff', F_OE | F_PE]);
    // largest finite at 24-bit precision
    expect(bin(f80Mul, cw(3, 0), MAX, TWO)).toEqual(['7ffeffffff0000000000', F_OE | F_PE]);
  });
  it('overflow unmasked: exponent adjusted by -24576', () => {
    // MAX*2 = 1.11..1 * 2^16384 -> biased 0x7fff - 0x6000 = 0x1fff, exact
    expect(bin(f80Mul, cw(0, 3, 0x37), MAX, TWO)).toEqual(['1fffffffffffffffffff', F_OE]);
  });
  it('underflow: masked exact denormal raises nothing; unmasked adjusts by +24576', () => {
    const MINN = '00018000000000000000';
    expect(bin(f80Div, CW, MINN, TWO)).toEqual(['00004000000000000000', 0]);
    expect(bin(f80Div, cw(0, 3, 0x2f), MINN, TWO)).toEqual(['60008000000000000000', F_UE]);
    // inexact tiny: 2^-16382 * (1 + 2^-63) / 2 -> denormal, rounds to even
    expect(bin(f80Div, CW, '00018000000000000001', TWO)).toEqual(['00004000000000000000', F_UE | F_PE]);
  });
  it('precision control rounds the significand but keeps the exponent range', () => {
    // 1 + 2^-24 at PC=24 is a tie -> even (1.0)
    expect(bin(f80Add, cw(0, 0), ONE, '3fe78000000000000000')).toEqual([ONE, F_PE]);
    // 1 + 3*2^-25 -> 1 + 2^-23, rounded up
    expect(bin(f80Add, cw(0, 0), ONE, '3fe7c000000000000000')).toEqual(['3fff8000010000000000', F_PE | F_C1]);
    // at PC=53: 1 + 2^-53 tie -> 1.0; RC up -> 1 + 2^-52
    expect(bin(f80Add, cw(0, 2), ONE, '3fca8000000000000000')).toEqual([ONE, F_PE]);
    expect(bin(f80Add, cw(2, 2), ONE, '3fca8000000000000000')).toEqual(['3fff8000000000000800', F_PE | F_C1]);
    // exponent range stays extended at PC=24: 2^-200 * 2^-200 is not an underflow
    expect(bin(f80Mul, cw(0, 0), '3f378000000000000000', '3f378000000000000000')).toEqual(['3e6f8000000000000000', 0]);
  });
  it('NaN propagation', () => {
    // SNaN + number -> quieted SNaN
    expect(bin(f80Add, CW, '7fff8000000000001234', ONE)).toEqual(['7fffc000000000001234', F_IE]);
    // QNaN beats SNaN regardless of significands
    expect(bin(f80Add, CW, '7fffa000000000000000', 'ffffc000000000000001')).toEqual(['ffffc000000000000001', F_IE]);
    // two QNaNs -> larger significand
    expect(bin(f80Mul, CW, '7fffc000000000000001', 'ffffc000000000000002')).toEqual(['ffffc000000000000002', 0]);
    // QNaN operand does not raise anything, not even DE for a denormal partner
    expect(bin(f80Add, CW, '7fffc000000000000000', '00000000000000000001')).toEqual(['7fffc000000000000000', 0]);
  });
  it('unsupported encodings are invalid operands', () => {
    expect(bin(f80Add, CW, '7fff0000000000000000', ONE)).toEqual([INDEF, F_IE]); // pseudo-infinity
    expect(bin(f80Add, CW, '7fff0000000000000001', ONE)).toEqual([INDEF, F_IE]); // pseudo-NaN
    expect(bin(f80Mul, CW, '3fff4000000000000000', ONE)).toEqual([INDEF, F_IE]); // unnormal
  });
  it('denormal operand: DE, and no result when unmasked', () => {
    expect(bin(f80Add, CW, '00000000000000000001', '00000000000000000001')).toEqual(['00000000000000000002', F_DE]);
    expect(bin(f80Add, cw(0, 3, 0x3d), '00000000000000000001', ONE)).toEqual(['none', F_DE | F_NORESULT]);
    // pseudo-denormal is treated as 2^-16382
    expect(bin(f80Sub, CW, '00008000000000000000', '00018000000000000000')).toEqual(['00000000000000000000', F_DE]);
  });
  it('FSQRT of negatives and -0', () => {
    const r = nv();
    expect(f80Sqrt(CW, hx('bfff8000000000000000'), r)).toBe(F_IE);
    expect(fmt(r)).toBe(INDEF);
    expect(f80Sqrt(CW, hx('80000000000000000000'), r)).toBe(0);
    expect(fmt(r)).toBe('80000000000000000000');
    expect(f80Sqrt(CW, hx('40018000000000000000'), r)).toBe(0); // sqrt(4) = 2
    expect(fmt(r)).toBe(TWO);
  });
  it('exact zero sums: +0, or -0 when rounding down', () => {
    expect(bin(f80Sub, cw(0), ONE, ONE)).toEqual(['00000000000000000000', 0]);
    expect(bin(f80Sub, cw(1), ONE, ONE)).toEqual(['80000000000000000000', 0]);
  });
});

describe('SDM instruction rules', () => {
  it('FCOM vs FUCOM with a QNaN', () => {
    expect(f80Compare(CW, hx(ONE), hx('7fffc000000000000000'), false)).toBe(F_C3 | F_C2 | F_C0 | F_IE);
    expect(f80Compare(CW, hx(ONE), hx('7fffc000000000000000'), true)).toBe(F_C3 | F_C2 | F_C0);
    expect(f80Compare(CW, hx('80000000000000000000'), hx('00000000000000000000'), false)).toBe(F_C3);
    expect(f80Compare(CW, hx(ONE), hx(TWO), false)).toBe(F_C0);
    expect(f80Compare(CW, hx(INF), hx(MAX), false)).toBe(0);
  });
  it('FXAM classes', () => {
    expect(f80Xam(hx('3fff4000000000000000'))).toBe(0); // unnormal: unsupported
    expect(f80Xam(hx('ffffc000000000000000'))).toBe(F_C1 | F_C0);
    expect(f80Xam(hx(ONE))).toBe(F_C2);
    expect(f80Xam(hx('ffff8000000000000000'))).toBe(F_C1 | F_C2 | F_C0);
    expect(f80Xam(hx('00000000000000000000'))).toBe(F_C3);
    expect(f80Xam(hx('00000000000000000001'))).toBe(F_C3 | F_C2);
  });
  it('FIST: round by RC, out of range gives the integer indefinite', () => {
    const r = nv();
    // 32767.5 rounds to 32768 -> out of int16 range
    expect(f80ToInt(CW, hx('400dffff000000000000'), 16, false, r)).toBe(F_IE);
    expect(r.mlo).toBe(0x8000);
    // -32768.25 truncated (FISTTP) -> -32768
    expect(f80ToInt(CW, hx('c00e8000400000000000'), 16, true, r)).toBe(F_PE);
    expect(r.mlo).toBe(0x8000);
    // 2.5 -> 2 (nearest even), 2.5 RC up -> 3 with C1
    expect(f80ToInt(CW, hx('4000a000000000000000'), 32, false, r)).toBe(F_PE);
    expect(r.mlo).toBe(2);
    expect(f80ToInt(cw(2), hx('4000a000000000000000'), 32, false, r)).toBe(F_PE | F_C1);
    expect(r.mlo).toBe(3);
    // -2^63 fits int64
    expect(f80ToInt(CW, hx('c03e8000000000000000'), 64, false, r)).toBe(0);
    expect([r.mhi, r.mlo]).toEqual([0x80000000, 0]);
  });
  it('FPREM/FPREM1 quotient bits', () => {
    const r = nv();
    const seven = '4001e000000000000000';
    // FPREM 7 rem 2: q = 3 (Q2=0,Q1=1,Q0=1) -> remainder 1, C3 and C1
    expect(f80Prem(CW, hx(seven), hx(TWO), r, false)).toBe(F_C3 | F_C1);
    expect(fmt(r)).toBe(ONE);
    // FPREM1: 7/2 = 3.5 -> q = 4 (even) -> remainder -1, C0
    expect(f80Prem(CW, hx(seven), hx(TWO), r, true)).toBe(F_C0);
    expect(fmt(r)).toBe('bfff8000000000000000');
    // divisor zero is invalid
    expect(f80Prem(CW, hx(seven), hx('00000000000000000000'), r, false)).toBe(F_IE);
    // exponent difference >= 64: incomplete (C2)
    expect(f80Prem(CW, hx('40ff8000000000000001'), hx('4000c000000000000000'), r, false) & F_C2).toBe(F_C2);
  });
  it('FSCALE truncates the scale factor', () => {
    const r = nv();
    expect(f80Scale(CW, hx(ONE), hx('4000b99999999999999a'), r)).toBe(0); // 2.9 -> 2
    expect(fmt(r)).toBe('40018000000000000000');
    expect(f80Scale(CW, hx('00000000000000000000'), hx(INF), r)).toBe(F_IE);
  });
  it('FXTRACT', () => {
    const s = nv(), e = nv();
    expect(f80Xtract(CW, hx('c005d000000000000000'), s, e)).toBe(0); // -104 = -1.625 * 2^6
    expect([fmt(s), fmt(e)]).toEqual(['bfffd000000000000000', '4001c000000000000000']);
    expect(f80Xtract(CW, hx('00000000000000000000'), s, e)).toBe(F_ZE);
    expect([fmt(s), fmt(e)]).toEqual(['00000000000000000000', 'ffff8000000000000000']);
  });
  it('FRNDINT by RC', () => {
    const r = nv();
    expect(f80Rndint(cw(0), hx('4000a000000000000000'), r)).toBe(F_PE); // 2.5 -> 2
    expect(fmt(r)).toBe(TWO);
    expect(f80Rndint(cw(1), hx('bffe8000000000000000'), r)).toBe(F_PE | F_C1); // -0.5 down -> -1
    expect(fmt(r)).toBe('bfff8000000000000000');
    expect(f80Rndint(cw(3), hx('bffe8000000000000000'), r)).toBe(F_PE); // -0.5 chop -> -0
    expect(fmt(r)).toBe('80000000000000000000');
  });
  it('constants are rounded by RC', () => {
    const r = nv();
    f80Const(cw(0), CONST_PI, r);
    expect(fmt(r)).toBe('4000c90fdaa22168c235');
    f80Const(cw(1), CONST_PI, r);
    expect(fmt(r)).toBe('4000c90fdaa22168c234');
    f80Const(cw(3), CONST_PI, r);
    expect(fmt(r)).toBe('4000c90fdaa22168c234');
  });
  it('m32 load/store', () => {
    const r = nv();
    expect(f80FromF32(CW, 0x00000001, r)).toBe(F_DE); // 2^-149
    expect(fmt(r)).toBe('3f6a8000000000000000');
    expect(f80FromF32(CW, 0x7f800001, r)).toBe(F_IE); // SNaN quieted
    expect(fmt(r)).toBe('7fffc000010000000000');
    expect(f80ToF32(CW, hx(ONE), r)).toBe(0);
    expect(r.mlo).toBe(0x3f800000);
    // 1 + 2^-24 is a tie -> 1.0f; RC up -> 1 + 2^-23
    expect(f80ToF32(CW, hx('3fff8000008000000000'), r)).toBe(F_PE);
    expect(r.mlo).toBe(0x3f800000);
    expect(f80ToF32(cw(2), hx('3fff8000008000000000'), r)).toBe(F_PE | F_C1);
    expect(r.mlo).toBe(0x3f800001);
    // too large for m32: masked -> inf; unmasked OE -> nothing stored
    expect(f80ToF32(CW, hx('40ff8000000000000000'), r)).toBe(F_OE | F_PE | F_C1);
    expect(r.mlo).toBe(0x7f800000);
    expect(f80ToF32(cw(0, 3, 0x37), hx('40ff8000000000000000'), r)).toBe(F_OE | F_NORESULT);
  });
  it('packed BCD', () => {
    const r = nv();
    expect(f80ToBcd(CW, hx('c005d000000000000000'), r)).toBe(0); // -104
    expect(fmt(r)).toBe('80000000000000000104');
    expect(f80FromBcd(hx('00000000000000000104'), r)).toBe(0);
    expect(fmt(r)).toBe('4005d000000000000000');
    expect(f80ToBcd(CW, hx('403b8000000000000000'), r)).toBe(F_IE); // 2^60 > 10^18-1
    expect(fmt(r)).toBe(INDEF);
  });
});

import { f80Read, f80Write } from '../../emulator/fpu/f80-core.ts';

describe('register-file byte layout', () => {
  it('f80Read/f80Write use the 10-byte little-endian FXSAVE layout', () => {
    const buf = new Uint8Array(16);
    f80Write(buf, 3, hx('c000c90fdaa22168c235'));
    expect(Array.from(buf.subarray(3, 13))).toEqual([0x35, 0xc2, 0x68, 0x21, 0xa2, 0xda, 0x0f, 0xc9, 0x00, 0xc0]);
    expect(fmt(f80Read(buf, 3, nv()))).toBe('c000c90fdaa22168c235');
  });
});
