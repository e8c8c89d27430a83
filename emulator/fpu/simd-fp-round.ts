// ROUNDSS/SD/PS/PD, VRNDSCALE*, VREDUCE*, VGETEXP*, VGETMANT*, VSCALEF*.
//
// imm8 of ROUND*/VRNDSCALE/VREDUCE: [1:0] rounding control, [2] use MXCSR.RC
// instead, [3] suppress the precision exception, [7:4] M (VRNDSCALE/VREDUCE:
// round to a multiple of 2^-M; ROUND* ignores [7:4] -- pass imm & 15).
// f32 lanes take and return uint32 bits; f64 lanes take (lo, hi) and write
// env.rlo/env.rhi.

import { FE_DE, FE_IE, FE_PE, RC_DOWN, raise, ueMasked, type FpEnv } from './simd-fp-env.ts';
import {
  F32, F64, INF, QNAN, SNAN, ZERO, Unp, type Fmt, big64, bitLength, infOf, lastInexactOf, quiet, roundPack, roundShift, setOut64, unpack, zeroOf,
} from './simd-fp-core.ts';
import { rintEven } from './simd-fp-convert.ts';

const U = new Unp(), V = new Unp();
const f32s = new Float32Array(1);
const u32s = new Uint32Array(f32s.buffer);
const f64s = new Float64Array(1);
const u64s = new Uint32Array(f64s.buffer);

function roundBy(x: number, rc: number): number {
  switch (rc) {
    case 0: return rintEven(x);
    case 1: return Math.floor(x);
    case 2: return Math.ceil(x);
    default: return Math.trunc(x);
  }
}

/**
 * Generic VRNDSCALE / ROUND* on format F (ROUND* = VRNDSCALE with M = 0).
 * No DE is reported for a denormal source (it is rounded, or flushed by DAZ).
 */
export function rndscaleSlow(env: FpEnv, F: Fmt, bits: bigint, imm: number): bigint {
  const rc = imm & 4 ? env.rc : imm & 3;
  const M = (imm >>> 4) & 15;
  const u = unpack(F, bits, env.daz, U);
  if (u.cls === SNAN) { raise(env, FE_IE); return quiet(F, bits); }
  if (u.cls === QNAN || u.cls === INF) return bits;
  if (u.cls === ZERO) return zeroOf(F, u.sign);
  const sh = -M - u.exp; // bits below 2^-M
  if (sh <= 0) return bits;
  const q = roundShift(u.sig, sh, u.sign, rc);
  if (lastInexactOf() && !(imm & 8)) raise(env, FE_PE);
  if (q === 0n) return zeroOf(F, u.sign);
  return roundPack(env, F, u.sign, q, -M, rc);
}

/**
 * VREDUCE on format F: x - round(x * 2^M) * 2^-M. The difference is always
 * exact unless x is so large that 2^-M*round(..) has more bits than the format;
 * as on this silicon, PE reflects only the final result (never the internal
 * rounding; imm8[3] suppresses it), FTZ flushes a tiny result with PE but no
 * UE, exact-zero results (also for +-0 sources) are +0, or -0 when rounding
 * down, and +-inf reduce to +0.
 */
export function reduceSlow(env: FpEnv, F: Fmt, bits: bigint, imm: number): bigint {
  const rc = imm & 4 ? env.rc : imm & 3;
  const M = (imm >>> 4) & 15;
  const u = unpack(F, bits, env.daz, U);
  if (u.cls === SNAN) { raise(env, FE_IE); return quiet(F, bits); }
  if (u.cls === QNAN) return bits;
  const zero = zeroOf(F, rc === RC_DOWN ? 1 : 0);
  if (u.cls === INF) return 0n;
  if (u.cls === ZERO) return zero;
  const sh = -M - u.exp;
  if (sh <= 0) return zero;
  const q = roundShift(u.sig, sh, u.sign, rc);
  let d = u.sig - (q << BigInt(sh));
  if (d === 0n) return zero;
  let sign = u.sign;
  if (d < 0n) { d = -d; sign ^= 1; }
  if (u.exp + bitLength(d) - 1 < F.emin) { // tiny, exact
    if (env.ftz && ueMasked(env)) { if (!(imm & 8)) raise(env, FE_PE); return zeroOf(F, sign); }
    return (sign ? F.signBit : 0n) | (d << BigInt(u.exp - (F.emin - F.mb)));
  }
  // a large x with a small M can still need rounding (x - 2^k with 2^k above x's precision)
  const keep = env.flags;
  const r = roundPack(env, F, sign, d, u.exp, rc);
  if (imm & 8) env.flags = keep | (env.flags & ~FE_PE);
  return r;
}

/** ROUNDSS / ROUNDPS lane (imm & 15) and VRNDSCALESS/PS lane (full imm8). */
export function rndscaleF32(env: FpEnv, a: number, imm: number): number {
  const e = (a >>> 23) & 0xff;
  if ((imm & 0xf0) === 0 && (e - 1) >>> 0 < 254) {
    u32s[0] = a;
    const x = f32s[0], r = roundBy(x, imm & 4 ? env.rc : imm & 3);
    if (r !== x && !(imm & 8)) raise(env, FE_PE);
    f32s[0] = r; return u32s[0];
  }
  return Number(rndscaleSlow(env, F32, BigInt(a >>> 0), imm));
}

export function rndscaleF64(env: FpEnv, lo: number, hi: number, imm: number): number {
  const e = (hi >>> 20) & 0x7ff;
  if ((imm & 0xf0) === 0 && (e - 1) >>> 0 < 2046) {
    u64s[0] = lo; u64s[1] = hi;
    const x = f64s[0], r = roundBy(x, imm & 4 ? env.rc : imm & 3);
    if (r !== x && !(imm & 8)) raise(env, FE_PE);
    f64s[0] = r; env.rlo = u64s[0]; env.rhi = u64s[1]; return env.rhi;
  }
  return setOut64(env, rndscaleSlow(env, F64, big64(lo, hi), imm));
}

/** VREDUCESS/PS lane: a - round(a * 2^M) * 2^-M. */
export function reduceF32(env: FpEnv, a: number, imm: number): number {
  return Number(reduceSlow(env, F32, BigInt(a >>> 0), imm));
}
export function reduceF64(env: FpEnv, lo: number, hi: number, imm: number): number {
  return setOut64(env, reduceSlow(env, F64, big64(lo, hi), imm));
}

// ---- VGETEXP --------------------------------------------------------------------
/** floor(log2(|x|)) as a float; 0 -> -inf, inf -> +inf; exact. */
export function getexpSlow(env: FpEnv, F: Fmt, bits: bigint): bigint {
  const u = unpack(F, bits, env.daz, U);
  if (u.cls === SNAN) { raise(env, FE_IE); return quiet(F, bits); }
  if (u.cls === QNAN) return bits;
  if (u.cls === INF) return F.inf;
  if (u.cls === ZERO) return infOf(F, 1);
  if (u.denorm) raise(env, FE_DE);
  const e = u.exp + bitLength(u.sig) - 1;
  if (e === 0) return 0n;
  return roundPack(env, F, e < 0 ? 1 : 0, BigInt(Math.abs(e)), 0, 0);
}
export function getexpF32(env: FpEnv, a: number): number { return Number(getexpSlow(env, F32, BigInt(a >>> 0))); }
export function getexpF64(env: FpEnv, lo: number, hi: number): number { return setOut64(env, getexpSlow(env, F64, big64(lo, hi))); }

// ---- VGETMANT ---------------------------------------------------------------------
/**
 * imm8[1:0] interval: 0 [1,2), 1 [1/2,2), 2 [1/2,1), 3 [3/4,3/2);
 * imm8[3:2] sign control: 0 sign of source, 1 positive, 2/3 negative source -> IE + default NaN.
 */
export function getmantSlow(env: FpEnv, F: Fmt, bits: bigint, imm: number): bigint {
  const interv = imm & 3, sc = (imm >>> 2) & 3;
  const u = unpack(F, bits, env.daz, U);
  if (u.cls === SNAN) { raise(env, FE_IE); return quiet(F, bits); }
  if (u.cls === QNAN) return bits;
  if (u.sign && sc >= 2 && u.cls !== ZERO) { raise(env, FE_IE); return F.defaultNaN; }
  const sign = sc & 1 ? 0 : u.sign;
  const one = (sign ? F.signBit : 0n) | (BigInt(F.bias) << BigInt(F.mb));
  if (u.cls === ZERO || u.cls === INF) return one;
  if (u.denorm) raise(env, FE_DE);
  // normalise to 1.f
  const n = bitLength(u.sig);
  const frac = (u.sig << BigInt(F.p - n)) & F.mantMask;
  const E = u.exp + n - 1;
  let ef = F.bias;
  if (interv === 1) ef = F.bias - (E & 1); // odd exponent: [1/2,1)
  else if (interv === 2) ef = F.bias - 1;
  else if (interv === 3) ef = F.bias - Number((frac >> BigInt(F.mb - 1)) & 1n);
  return (sign ? F.signBit : 0n) | (BigInt(ef) << BigInt(F.mb)) | frac;
}
export function getmantF32(env: FpEnv, a: number, imm: number): number { return Number(getmantSlow(env, F32, BigInt(a >>> 0), imm)); }
export function getmantF64(env: FpEnv, lo: number, hi: number, imm: number): number { return setOut64(env, getmantSlow(env, F64, big64(lo, hi), imm)); }

// ---- VSCALEF ------------------------------------------------------------------------
/** a * 2^floor(b), one rounding. */
export function scalefSlow(env: FpEnv, F: Fmt, abits: bigint, bbits: bigint): bigint {
  const a = unpack(F, abits, env.daz, U), b = unpack(F, bbits, env.daz, V);
  // silicon quirk (this AMD part): QNaN * 2^(+-inf) gives +inf / +0, no IE
  if (a.cls === QNAN && b.cls === INF) return b.sign ? 0n : F.inf;
  if (a.cls >= QNAN || b.cls >= QNAN) {
    if (a.cls === SNAN || b.cls === SNAN) raise(env, FE_IE);
    return quiet(F, a.cls >= QNAN ? abits : bbits);
  }
  if (!env.daz && a.denorm) raise(env, FE_DE); // a denormal exponent operand is not reported
  if (b.cls === INF) {
    if (b.sign) { // x * 2^-inf
      if (a.cls === INF) { raise(env, FE_IE); return F.defaultNaN; }
      return zeroOf(F, a.sign);
    }
    if (a.cls === ZERO) { raise(env, FE_IE); return F.defaultNaN; }
    return infOf(F, a.sign);
  }
  if (a.cls === INF) return infOf(F, a.sign);
  if (a.cls === ZERO) return zeroOf(F, a.sign);
  // floor(b), clamped: anything beyond +-4*(emax+p) over/underflows the same way
  let k: number;
  if (b.cls === ZERO) k = 0;
  else {
    const lim = 4 * (F.emax + F.p);
    const e = b.exp + bitLength(b.sig) - 1;
    if (e > 20) k = b.sign ? -lim : lim;
    else {
      const t = roundShift(b.sig, -b.exp, b.sign, 1 /* toward -inf */);
      k = Number(t) * (b.sign ? -1 : 1);
      k = Math.max(-lim, Math.min(lim, k));
    }
  }
  return roundPack(env, F, a.sign, a.sig, a.exp + k, env.rc);
}
export function scalefF32(env: FpEnv, a: number, b: number): number { return Number(scalefSlow(env, F32, BigInt(a >>> 0), BigInt(b >>> 0))); }
export function scalefF64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): number {
  return setOut64(env, scalefSlow(env, F64, big64(alo, ahi), big64(blo, bhi)));
}
