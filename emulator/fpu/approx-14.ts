/**
 * VRCP14SS/SD/PS/PD and VRSQRT14SS/SD/PS/PD, bit-exact.
 *
 * The SDM defines these by Intel's reference implementation ("a numerically exact
 * implementation of VRCP14xx can be found at ... recip14.c"). Measured on an AMD
 * EPYC (Zen 4) with tools/approx-oracle: the results follow that algorithm exactly,
 * with the coefficients of approx-tables.ts (derived from the measurements: one
 * integer pair per interval is the only one that reproduces it; they equal the
 * published reference values):
 *   VRCP14:   x = 2^E * 1.m, m != 0: f = top 16 bits of m, j = f >> 10, d = f - 1024j - 512,
 *             s = floor((256 P[j] - S[j] d) / 512) (17 bits, s/2^16 ~ 2/1.m),
 *             result 2^(-E-1) * s/2^16 (exactly 2^-E when m = 0).
 *   VRSQRT14: f = top 15 bits of m, the same with K = 128 and one table pair per
 *             parity of E; even E: 2^(-E/2-1) * s/2^16 (exactly 2^(-E/2) when m = 0),
 *             odd E: 2^(-(E-1)/2-1) * s/2^16 (s/2^16 ~ 2/sqrt(2 * 1.m)).
 *   The significand is truncated, never rounded. Denormal inputs are normalised
 *   (read as zero under MXCSR.DAZ); VRCP14 results below the normal range are
 *   denormal (exact: s shifted right by at most 2 places still fits), flushed to
 *   zero under MXCSR.FTZ; results above it are infinity. Zeros -> infinity of
 *   their sign; +-inf -> +-0 (VRCP14), +0 / default NaN (VRSQRT14); NaN -> quieted;
 *   VRSQRT14 of a negative non-zero value -> the default NaN. No flags are raised.
 * Vendor-independent (architecturally specified). Allocation-free.
 */
import { RCP14_P, RCP14_S, RSQRT14_E_P, RSQRT14_E_S, RSQRT14_O_P, RSQRT14_O_S } from './approx-tables.ts';

const rcpP = Int32Array.from(RCP14_P), rcpS = Int32Array.from(RCP14_S);
/** Both parities: 0-31 even E, 32-63 odd E. */
const rsqP = Int32Array.from([...RSQRT14_E_P, ...RSQRT14_O_P]), rsqS = Int32Array.from([...RSQRT14_E_S, ...RSQRT14_O_S]);

/** 17-bit significand (2^16 <= s <= 2^17) of 2/1.f for the top 16 fraction bits f16. */
function rcpSig(f16: number): number {
  const j = f16 >>> 10, d = f16 - (j << 10) - 512;
  return Math.floor((256 * rcpP[j] - rcpS[j] * d) / 512);
}
/** 17-bit significand of 2/sqrt(1.f) (odd = false) or 2/sqrt(2 * 1.f) (odd = true), top 15 fraction bits f15. */
function rsqSig(f15: number, odd: boolean): number {
  const j = (f15 >>> 10) + (odd ? 32 : 0), d = (f15 & 1023) - 512;
  return Math.floor((128 * rsqP[j] - rsqS[j] * d) / 512);
}

// Shared by the f32/f64 front ends: the unpacked operand and result (unbiased
// exponent E, 17-bit significand).
let uE = 0, uSig = 0;

/** 1/(2^E * 1.f): sets uE/uSig so that the result is 2^uE * uSig/2^16, uSig in [2^16, 2^17). */
function rcpCore(E: number, f16: number, exact: boolean): void {
  let s = exact ? 1 << 17 : rcpSig(f16), re = -E - 1;
  if (s === 1 << 17) { s = 1 << 16; re++; }
  uE = re; uSig = s;
}
function rsqCore(E: number, f15: number, exact: boolean): void {
  const odd = (E & 1) !== 0;
  let s = exact && !odd ? 1 << 17 : rsqSig(f15, odd), re = -((odd ? E - 1 : E) >> 1) - 1;
  if (s === 1 << 17) { s = 1 << 16; re++; }
  uE = re; uSig = s;
}

/** f32 bits from sign, unbiased exponent and 17-bit significand; denormal results are exact (shift <= 2), FTZ flushes them. */
function pack32(sign: number, E: number, s: number, ftz: boolean): number {
  const be = E + 127;
  if (be >= 255) return (sign | 0x7f800000) >>> 0;
  if (be >= 1) return (sign | (be << 23) | ((s - 0x10000) << 7)) >>> 0;
  if (ftz || be < -16) return sign >>> 0;
  return (sign | (be + 6 >= 0 ? s << (be + 6) : s >>> -(be + 6))) >>> 0;
}

/** Normalises a non-zero f32 denormal fraction: sets uE (unbiased exponent) and returns the 23-bit fraction. */
function norm32(m: number): number {
  const sh = Math.clz32(m) - 8; // shifts that bring the leading 1 to bit 23
  uE = -126 - sh;
  return (m << sh) & 0x7fffff;
}

export function rcp14F32(a: number, daz: boolean, ftz: boolean): number {
  const sign = a & 0x80000000, e = (a >>> 23) & 0xff;
  let m = a & 0x7fffff;
  if (e === 0xff) return m !== 0 ? (a | 0x400000) >>> 0 : sign >>> 0;
  let E = e - 127;
  if (e === 0) {
    if (m === 0 || daz) return (sign | 0x7f800000) >>> 0;
    m = norm32(m); E = uE;
  }
  rcpCore(E, m >>> 7, m === 0);
  return pack32(sign, uE, uSig, ftz);
}

export function rsqrt14F32(a: number, daz: boolean): number {
  const sign = a & 0x80000000, e = (a >>> 23) & 0xff;
  let m = a & 0x7fffff;
  if (e === 0xff) return m !== 0 ? (a | 0x400000) >>> 0 : sign ? 0xffc00000 : 0;
  if (e === 0 && (m === 0 || daz)) return (sign | 0x7f800000) >>> 0;
  if (sign) return 0xffc00000;
  let E = e - 127;
  if (e === 0) { m = norm32(m); E = uE; }
  rsqCore(E, m >>> 8, m === 0);
  return pack32(0, uE, uSig, false);
}

// ---- f64: operands and results as (lo, hi) dword pairs; results in r64[0] (lo), r64[1] (hi) ----
/** Result of the last rcp14F64/rsqrt14F64: [lo, hi]. */
export const r64 = new Uint32Array(2);

function pack64(sign: number, E: number, s: number, ftz: boolean): void {
  const be = E + 1023;
  r64[0] = 0;
  if (be >= 2047) { r64[1] = (sign | 0x7ff00000) >>> 0; return; }
  if (be >= 1) { r64[1] = (sign | (be << 20) | ((s - 0x10000) << 4)) >>> 0; return; }
  if (ftz || be < -40) { r64[1] = sign >>> 0; return; }
  // denormal: fraction = s * 2^(be + 35) (53-bit field), i.e. hi = s * 2^(be + 3)
  const sh = be + 35;
  if (sh >= 32) { r64[1] = (sign | (s << (sh - 32))) >>> 0; return; }
  r64[1] = (sign | (s >>> (32 - sh))) >>> 0;
  r64[0] = (s << sh) >>> 0;
}

/** Normalises a non-zero f64 denormal fraction (hi 20 bits, lo 32): sets uE, returns the top 16 bits of the normalised fraction; sets fracZero. */
let fracZero = false;
function norm64(mh: number, lo: number): number {
  // leading-one position counted from fraction bit 51
  let sh: number;
  if (mh !== 0) sh = Math.clz32(mh) - 11;
  else sh = 20 + Math.clz32(lo) + 1;
  uE = -1022 - sh;
  // shift the 52-bit fraction left by sh, keep bits 51:0, then take the top 16 (bits 51:36)
  let h: number, l: number;
  if (sh >= 32) { h = lo << (sh - 32); l = 0; } else if (sh === 0) { h = mh; l = lo; } else { h = (mh << sh) | (lo >>> (32 - sh)); l = lo << sh; }
  h &= 0xfffff;
  fracZero = h === 0 && l === 0;
  return h >>> 4;
}

export function rcp14F64(lo: number, hi: number, daz: boolean, ftz: boolean): void {
  const sign = hi & 0x80000000, e = (hi >>> 20) & 0x7ff, mh = hi & 0xfffff;
  const mz = (mh | lo) === 0;
  if (e === 0x7ff) {
    if (!mz) { r64[0] = lo >>> 0; r64[1] = (hi | 0x80000) >>> 0; } else { r64[0] = 0; r64[1] = sign >>> 0; }
    return;
  }
  if (e === 0) {
    if (mz || daz) { r64[0] = 0; r64[1] = (sign | 0x7ff00000) >>> 0; return; }
    const f16 = norm64(mh, lo);
    rcpCore(uE, f16, fracZero);
  } else rcpCore(e - 1023, mh >>> 4, mz);
  pack64(sign, uE, uSig, ftz);
}

export function rsqrt14F64(lo: number, hi: number, daz: boolean): void {
  const sign = hi & 0x80000000, e = (hi >>> 20) & 0x7ff, mh = hi & 0xfffff;
  const mz = (mh | lo) === 0;
  if (e === 0x7ff) {
    if (!mz) { r64[0] = lo >>> 0; r64[1] = (hi | 0x80000) >>> 0; } else { r64[0] = 0; r64[1] = sign ? 0xfff80000 : 0; }
    return;
  }
  if (e === 0 && (mz || daz)) { r64[0] = 0; r64[1] = (sign | 0x7ff00000) >>> 0; return; }
  if (sign) { r64[0] = 0; r64[1] = 0xfff80000; return; }
  if (e === 0) {
    const f16 = norm64(mh, lo);
    rsqCore(uE, f16 >>> 1, fracZero);
  } else rsqCore(e - 1023, mh >>> 5, mz);
  pack64(0, uE, uSig, false);
}
