// Conversions: f32 <-> f64, f16 <-> f32, float -> int32/int64 (signed and
// AVX-512 unsigned; rounding by env.rc or truncating), int -> float.
//
// 64-bit integers and f64 values are (lo, hi) uint32 halves; 64-bit results go
// to env.rlo/env.rhi. 32-bit integer results are returned as uint32 numbers.
// Float -> int out of range / NaN / infinity: IE and the integer indefinite
// (0x80000000, 0x8000000000000000; unsigned forms 0xFFFFFFFF, 0xFFFF...FFFF).

import { FE_DE, FE_IE, FE_PE, RC_ZERO, raise, type FpEnv } from './simd-fp-env.ts';
import {
  F16, F32, F64, INF, QNAN, SNAN, ZERO, Unp, type Fmt, big64, infOf, lastInexactOf, roundPack, roundShift, setOut64, unpack, zeroOf,
} from './simd-fp-core.ts';

const f32s = new Float32Array(1);
const u32s = new Uint32Array(f32s.buffer);
const f64s = new Float64Array(1);
const u64s = new Uint32Array(f64s.buffer);
const TWO32 = 4294967296;
const U = new Unp();

// ---- float <-> float -----------------------------------------------------------
/**
 * Generic format conversion of `bits` from S to D: SNaN -> IE, NaNs keep sign and
 * the top payload bits (quieted); DE for a denormal source (DAZ = 0).
 */
export function convertFloat(env: FpEnv, S: Fmt, D: Fmt, bits: bigint, rc: number, daz = env.daz, de = true): bigint {
  const u = unpack(S, bits, daz, U);
  const sb = u.sign ? D.signBit : 0n;
  if (u.cls >= QNAN) {
    if (u.cls === SNAN) raise(env, FE_IE);
    const m = bits & S.mantMask;
    const pm = D.mb >= S.mb ? m << BigInt(D.mb - S.mb) : m >> BigInt(S.mb - D.mb);
    return sb | D.inf | D.quietBit | pm;
  }
  if (u.cls === INF) return infOf(D, u.sign);
  if (u.cls === ZERO) return zeroOf(D, u.sign);
  if (u.denorm && de) raise(env, FE_DE);
  return roundPack(env, D, u.sign, u.sig, u.exp, rc);
}

/** CVTSS2SD lane: result in env.rlo/rhi. */
export function cvtF32toF64(env: FpEnv, a: number): number {
  const e = (a >>> 23) & 0xff;
  if ((e - 1) >>> 0 < 254) { u32s[0] = a; f64s[0] = f32s[0]; env.rlo = u64s[0]; env.rhi = u64s[1]; return env.rhi; }
  return setOut64(env, convertFloat(env, F32, F64, BigInt(a >>> 0), env.rc));
}

/** CVTSD2SS lane. */
export function cvtF64toF32(env: FpEnv, lo: number, hi: number): number {
  if (env.rc === 0 && ((hi >>> 20) & 0x7ff) - 1 >>> 0 < 2046) {
    u64s[0] = lo; u64s[1] = hi;
    const x = f64s[0], r = Math.fround(x), m = Math.abs(r);
    if (m > 1.1754943508222875e-38 && m !== Infinity) {
      if (r !== x) raise(env, FE_PE);
      f32s[0] = r; return u32s[0];
    }
  }
  return Number(convertFloat(env, F64, F32, big64(lo, hi), env.rc));
}

/** VCVTPH2PS lane: f16 bits (low 16) -> f32 bits. Exact; f16 denormals are neither flushed (DAZ) nor reported (DE). */
export function cvtF16toF32(env: FpEnv, h: number): number {
  return Number(convertFloat(env, F16, F32, BigInt(h & 0xffff), env.rc, false, false));
}

/**
 * VCVTPS2PH lane: f32 -> f16 bits. imm8 bit 2 set: round per env.rc (MXCSR), else imm8[1:0].
 */
export function cvtF32toF16(env: FpEnv, a: number, imm: number): number {
  const rc = imm & 4 ? env.rc : imm & 3;
  const ftz = env.ftz;
  env.ftz = false; // FTZ does not apply to VCVTPS2PH results
  const r = Number(convertFloat(env, F32, F16, BigInt(a >>> 0), rc));
  env.ftz = ftz;
  return r;
}

// ---- float -> integer ---------------------------------------------------------------
/** round-half-even of a double */
export function rintEven(x: number): number {
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r;
}
function roundBy(x: number, rc: number): number {
  switch (rc) {
    case 0: return rintEven(x);
    case 1: return Math.floor(x);
    case 2: return Math.ceil(x);
    default: return Math.trunc(x);
  }
}

/**
 * Exact generic float -> integer. Returns the integer's two's-complement bits
 * (ibits wide) or the indefinite value with IE.
 */
export function floatToInt(env: FpEnv, F: Fmt, bits: bigint, ibits: number, unsigned: boolean, rc: number): bigint {
  const u = unpack(F, bits, env.daz, U);
  const indefinite = unsigned ? (1n << BigInt(ibits)) - 1n : 1n << BigInt(ibits - 1);
  if (u.cls >= INF) { raise(env, FE_IE); return indefinite; }
  if (u.cls === ZERO) return 0n;
  const v = roundShift(u.sig, -u.exp, u.sign, rc);
  const inexact = lastInexactOf();
  const lim = unsigned ? (u.sign ? 0n : 1n << BigInt(ibits)) - (u.sign ? 0n : 1n) : (1n << BigInt(ibits - 1)) - (u.sign ? 0n : 1n);
  if (v > lim) { raise(env, FE_IE); return indefinite; }
  if (inexact) raise(env, FE_PE);
  const mask = (1n << BigInt(ibits)) - 1n;
  return (u.sign ? -v : v) & mask;
}

/** CVT(T)SS2SI r32: trunc selects the truncating form. Returns uint32 bits. */
export function cvtF32toI32(env: FpEnv, a: number, trunc: boolean): number {
  const e = (a >>> 23) & 0xff;
  if ((e - 1) >>> 0 < 254 && e < 127 + 31) {
    u32s[0] = a;
    const x = f32s[0], r = roundBy(x, trunc ? RC_ZERO : env.rc);
    if (r !== x) raise(env, FE_PE);
    return r >>> 0;
  }
  return Number(floatToInt(env, F32, BigInt(a >>> 0), 32, false, trunc ? RC_ZERO : env.rc));
}

export function cvtF64toI32(env: FpEnv, lo: number, hi: number, trunc: boolean): number {
  const e = (hi >>> 20) & 0x7ff;
  if ((e - 1) >>> 0 < 2046 && e < 1023 + 31) {
    u64s[0] = lo; u64s[1] = hi;
    const x = f64s[0], r = roundBy(x, trunc ? RC_ZERO : env.rc);
    if (r <= 2147483647 && r >= -2147483648) {
      if (r !== x) raise(env, FE_PE);
      return r >>> 0;
    }
  }
  return Number(floatToInt(env, F64, big64(lo, hi), 32, false, trunc ? RC_ZERO : env.rc));
}

function outInt64(env: FpEnv, r: number): number {
  const h = Math.floor(r / TWO32);
  env.rlo = (r - h * TWO32) >>> 0;
  env.rhi = h >>> 0;
  return env.rhi;
}

export function cvtF32toI64(env: FpEnv, a: number, trunc: boolean): number {
  const e = (a >>> 23) & 0xff;
  if ((e - 1) >>> 0 < 254 && e < 127 + 63) {
    u32s[0] = a;
    const x = f32s[0], r = roundBy(x, trunc ? RC_ZERO : env.rc);
    if (r !== x) raise(env, FE_PE);
    return outInt64(env, r);
  }
  return setOut64(env, floatToInt(env, F32, BigInt(a >>> 0), 64, false, trunc ? RC_ZERO : env.rc));
}

export function cvtF64toI64(env: FpEnv, lo: number, hi: number, trunc: boolean): number {
  const e = (hi >>> 20) & 0x7ff;
  if ((e - 1) >>> 0 < 2046 && e < 1023 + 63) {
    u64s[0] = lo; u64s[1] = hi;
    const x = f64s[0], r = roundBy(x, trunc ? RC_ZERO : env.rc);
    if (r !== x) raise(env, FE_PE);
    return outInt64(env, r);
  }
  return setOut64(env, floatToInt(env, F64, big64(lo, hi), 64, false, trunc ? RC_ZERO : env.rc));
}

/** AVX-512 unsigned forms (VCVT(T)SS2USI, VCVT(T)PS2UDQ, ...). */
export function cvtF32toU32(env: FpEnv, a: number, trunc: boolean): number {
  return Number(floatToInt(env, F32, BigInt(a >>> 0), 32, true, trunc ? RC_ZERO : env.rc));
}
export function cvtF64toU32(env: FpEnv, lo: number, hi: number, trunc: boolean): number {
  return Number(floatToInt(env, F64, big64(lo, hi), 32, true, trunc ? RC_ZERO : env.rc));
}
export function cvtF32toU64(env: FpEnv, a: number, trunc: boolean): number {
  return setOut64(env, floatToInt(env, F32, BigInt(a >>> 0), 64, true, trunc ? RC_ZERO : env.rc));
}
export function cvtF64toU64(env: FpEnv, lo: number, hi: number, trunc: boolean): number {
  return setOut64(env, floatToInt(env, F64, big64(lo, hi), 64, true, trunc ? RC_ZERO : env.rc));
}

// ---- integer -> float ----------------------------------------------------------------
/** exact integer magnitude (BigInt) -> format D per env.rc */
export function intToFloat(env: FpEnv, D: Fmt, v: bigint): bigint {
  if (v === 0n) return 0n;
  const sign = v < 0n ? 1 : 0;
  return roundPack(env, D, sign, sign ? -v : v, 0, env.rc);
}

export function cvtI32toF32(env: FpEnv, v: number): number {
  v |= 0;
  if (env.rc === 0) {
    const r = Math.fround(v);
    if (r !== v) raise(env, FE_PE);
    f32s[0] = r; return u32s[0];
  }
  return Number(intToFloat(env, F32, BigInt(v)));
}
export function cvtU32toF32(env: FpEnv, v: number): number {
  v >>>= 0;
  if (env.rc === 0) {
    const r = Math.fround(v);
    if (r !== v) raise(env, FE_PE);
    f32s[0] = r; return u32s[0];
  }
  return Number(intToFloat(env, F32, BigInt(v)));
}
/** int32 -> f64 is always exact */
export function cvtI32toF64(env: FpEnv, v: number): number {
  f64s[0] = v | 0; env.rlo = u64s[0]; env.rhi = u64s[1]; return env.rhi;
}
export function cvtU32toF64(env: FpEnv, v: number): number {
  f64s[0] = v >>> 0; env.rlo = u64s[0]; env.rhi = u64s[1]; return env.rhi;
}
function int64(lo: number, hi: number, unsigned: boolean): bigint {
  const b = big64(lo, hi);
  return !unsigned && b >= 1n << 63n ? b - (1n << 64n) : b;
}
export function cvtI64toF32(env: FpEnv, lo: number, hi: number): number {
  return Number(intToFloat(env, F32, int64(lo, hi, false)));
}
export function cvtU64toF32(env: FpEnv, lo: number, hi: number): number {
  return Number(intToFloat(env, F32, int64(lo, hi, true)));
}
function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}
export function cvtI64toF64(env: FpEnv, lo: number, hi: number): number {
  if (env.rc === 0) {
    const h = (hi | 0) * TWO32, l = lo >>> 0, s = h + l;
    if (twoSumErr(h, l, s) !== 0) raise(env, FE_PE);
    f64s[0] = s; env.rlo = u64s[0]; env.rhi = u64s[1]; return env.rhi;
  }
  return setOut64(env, intToFloat(env, F64, int64(lo, hi, false)));
}
export function cvtU64toF64(env: FpEnv, lo: number, hi: number): number {
  if (env.rc === 0) {
    const h = (hi >>> 0) * TWO32, l = lo >>> 0, s = h + l;
    if (twoSumErr(h, l, s) !== 0) raise(env, FE_PE);
    f64s[0] = s; env.rlo = u64s[0]; env.rhi = u64s[1]; return env.rhi;
  }
  return setOut64(env, intToFloat(env, F64, int64(lo, hi, true)));
}
