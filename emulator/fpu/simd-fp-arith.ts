// ADD/SUB/MUL/DIV/SQRT/MIN/MAX for f32 and f64 lanes (SSE..AVX-512 semantics).
//
// f32 lanes: uint32 bit patterns in and out. f64 lanes: (lo, hi) uint32 halves
// in; the result goes to env.rlo/env.rhi (the hi half is also returned).
//
// Fast path: round-to-nearest with normal (or zero) operands and a normal
// result is computed on JS doubles. f32: double rounding through a double is
// innocuous for + - * / sqrt (53 >= 2*24 + 2); inexactness is exact via
// TwoSum / the representable-product test. f64: TwoSum and Dekker's product
// give the exact error. Everything else (directed rounding, denormals, NaN,
// inf, zero divisors, tiny or huge results) takes the exact BigInt path.

import { FE_DE, FE_IE, FE_PE, FE_ZE, RC_DOWN, raise, type FpEnv } from './simd-fp-env.ts';
import {
  F32, F64, FINITE, INF, QNAN, SNAN, ZERO, Unp, type Fmt, big64, bitLength, infOf, quiet, roundPack, setOut64, unpack, zeroOf,
} from './simd-fp-core.ts';

const f32s = new Float32Array(1);
const u32s = new Uint32Array(f32s.buffer);
const f64s = new Float64Array(1);
const u64s = new Uint32Array(f64s.buffer);

const MIN_NORM32 = 1.1754943508222875e-38; // 2^-126
const MIN_NORM64 = 2.2250738585072014e-308; // 2^-1022
const SPLIT = 134217729; // 2^27 + 1
const LO_SAFE = 1.2882297539194267e-231; // 2^-766: products/quotients of error terms stay normal
const HI_SAFE = 6.696928794914171e+299; // 2^995: Veltkamp split cannot overflow

/** PE from a fast path; local so the hot code makes no cross-module reads */
function flagPE(env: FpEnv): void { if (!env.sae) env.flags |= 0x20; }

function f32(bits: number): number { u32s[0] = bits; return f32s[0]; }
function bitsF32(x: number): number { f32s[0] = x; return u32s[0]; }
function f64(lo: number, hi: number): number { u64s[0] = lo; u64s[1] = hi; return f64s[0]; }
function out64(env: FpEnv, x: number): number { f64s[0] = x; env.rlo = u64s[0]; env.rhi = u64s[1]; return env.rhi; }

/** normal or zero f32 encoding */
function plain32(a: number): boolean { const e = (a >>> 23) & 0xff; return (e - 1) >>> 0 < 254 || (a & 0x7fffffff) === 0; }
function plain64(hi: number, lo: number): boolean {
  const e = (hi >>> 20) & 0x7ff;
  return (e - 1) >>> 0 < 2046 || ((hi & 0x7fffffff) | lo) === 0;
}

/** error of p = a*b (Dekker), valid when the safety ranges hold */
function prodErr(a: number, b: number, p: number): number {
  let c = SPLIT * a; const ah = c - (c - a), al = a - ah;
  c = SPLIT * b; const bh = c - (c - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

// ---- exact slow path ---------------------------------------------------------
const A = new Unp(), B = new Unp();
const OP_ADD = 0, OP_SUB = 1, OP_MUL = 2, OP_DIV = 3;

/** Two NaN-or-not operands: IE on SNaN, first NaN quieted. */
function nan2(env: FpEnv, F: Fmt, a: Unp, b: Unp): bigint {
  if (a.cls === SNAN || b.cls === SNAN) raise(env, FE_IE);
  return quiet(F, a.cls >= QNAN ? a.bits : b.bits);
}

export function binSlow(env: FpEnv, F: Fmt, abits: bigint, bbits: bigint, op: number): bigint {
  const a = unpack(F, abits, env.daz, A), b = unpack(F, bbits, env.daz, B);
  if (a.cls >= QNAN || b.cls >= QNAN) return nan2(env, F, a, b);
  const rc = env.rc;
  let de = a.denorm || b.denorm;
  if (env.daz) de = false;
  let bs = b.sign;
  if (op === OP_SUB) bs ^= 1;
  if (op <= OP_SUB) {
    if (de) raise(env, FE_DE);
    if (a.cls === INF || b.cls === INF) {
      if (a.cls === INF && b.cls === INF && a.sign !== bs) { raise(env, FE_IE); return F.defaultNaN; }
      return infOf(F, a.cls === INF ? a.sign : bs);
    }
    if (a.cls === ZERO && b.cls === ZERO) return zeroOf(F, a.sign === bs ? a.sign : rc === RC_DOWN ? 1 : 0);
    if (a.cls === ZERO) return exactOrRound(env, F, bs, b.sig, b.exp, rc);
    if (b.cls === ZERO) return exactOrRound(env, F, a.sign, a.sig, a.exp, rc);
    const e = Math.min(a.exp, b.exp);
    let s = (a.sig << BigInt(a.exp - e)) * (a.sign ? -1n : 1n) + (b.sig << BigInt(b.exp - e)) * (bs ? -1n : 1n);
    if (s === 0n) return zeroOf(F, rc === RC_DOWN ? 1 : 0);
    const sign = s < 0n ? 1 : 0;
    if (sign) s = -s;
    return roundPack(env, F, sign, s, e, rc);
  }
  const sign = a.sign ^ b.sign;
  if (op === OP_MUL) {
    if ((a.cls === INF && b.cls === ZERO) || (a.cls === ZERO && b.cls === INF)) { raise(env, FE_IE); return F.defaultNaN; }
    if (de) raise(env, FE_DE);
    if (a.cls === INF || b.cls === INF) return infOf(F, sign);
    if (a.cls === ZERO || b.cls === ZERO) return zeroOf(F, sign);
    return roundPack(env, F, sign, a.sig * b.sig, a.exp + b.exp, rc);
  }
  // OP_DIV
  if ((a.cls === INF && b.cls === INF) || (a.cls === ZERO && b.cls === ZERO)) { raise(env, FE_IE); return F.defaultNaN; }
  if (b.cls === ZERO && a.cls === FINITE) { raise(env, FE_ZE); return infOf(F, sign); }
  if (de) raise(env, FE_DE);
  if (a.cls === INF) return infOf(F, sign);
  if (b.cls === ZERO) return infOf(F, sign);
  if (a.cls === ZERO || b.cls === INF) return zeroOf(F, sign);
  const k = Math.max(0, F.p + 2 + bitLength(b.sig) - bitLength(a.sig));
  const num = a.sig << BigInt(k);
  const q = num / b.sig;
  const sticky = num - q * b.sig !== 0n ? 1n : 0n;
  return roundPack(env, F, sign, (q << 1n) | sticky, a.exp - b.exp - k - 1, rc);
}

/** A finite operand passed through (x + 0): still subject to FTZ when denormal. */
function exactOrRound(env: FpEnv, F: Fmt, sign: number, sig: bigint, exp: number, rc: number): bigint {
  return roundPack(env, F, sign, sig, exp, rc);
}

/** floor(sqrt(n)) for n >= 0 */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  if (x === 0n) x = 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) {
      // x may still be one too large or small from the float guess
      while (x * x > n) x -= 1n;
      while ((x + 1n) * (x + 1n) <= n) x += 1n;
      return x;
    }
    x = y;
  }
}

export function sqrtSlow(env: FpEnv, F: Fmt, abits: bigint): bigint {
  const a = unpack(F, abits, env.daz, A);
  if (a.cls === SNAN) { raise(env, FE_IE); return quiet(F, a.bits); }
  if (a.cls === QNAN) return a.bits;
  if (a.cls === ZERO) return zeroOf(F, a.sign);
  if (a.sign) { raise(env, FE_IE); return F.defaultNaN; }
  if (a.denorm && !env.daz) raise(env, FE_DE);
  if (a.cls === INF) return F.inf;
  let sig = a.sig, exp = a.exp;
  if (exp & 1) { sig <<= 1n; exp -= 1; }
  let k = Math.max(0, Math.ceil((2 * (F.p + 2) - bitLength(sig)) / 2));
  const n = sig << BigInt(2 * k);
  const r = isqrt(n);
  const sticky = n - r * r !== 0n ? 1n : 0n;
  k += 1;
  return roundPack(env, F, 0, (r << 1n) | sticky, (exp >> 1) - k, env.rc);
}

// ---- f32 -----------------------------------------------------------------------
function slow32(env: FpEnv, a: number, b: number, op: number): number {
  return Number(binSlow(env, F32, BigInt(a >>> 0), BigInt(b >>> 0), op));
}

function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

export function addF32(env: FpEnv, a: number, b: number): number {
  if (env.rc === 0 && plain32(a) && plain32(b)) {
    const x = f32(a), y = f32(b), s = x + y, r = Math.fround(s), m = Math.abs(r);
    if (m > MIN_NORM32 && m !== Infinity) {
      if (r !== s || twoSumErr(x, y, s) !== 0) flagPE(env);
      return bitsF32(r);
    }
    if (s === 0) return bitsF32(s);
  }
  return slow32(env, a, b, OP_ADD);
}

export function subF32(env: FpEnv, a: number, b: number): number {
  if (env.rc === 0 && plain32(a) && plain32(b)) {
    const x = f32(a), y = f32(b), s = x - y, r = Math.fround(s), m = Math.abs(r);
    if (m > MIN_NORM32 && m !== Infinity) {
      if (r !== s || twoSumErr(x, -y, s) !== 0) flagPE(env);
      return bitsF32(r);
    }
    if (s === 0) return bitsF32(s);
  }
  return slow32(env, a, b, OP_SUB);
}

export function mulF32(env: FpEnv, a: number, b: number): number {
  if (env.rc === 0 && plain32(a) && plain32(b)) {
    const x = f32(a), y = f32(b), s = x * y, r = Math.fround(s), m = Math.abs(r);
    if (m > MIN_NORM32 && m !== Infinity) {
      if (r !== s) flagPE(env);
      return bitsF32(r);
    }
    if (s === 0) return bitsF32(s);
  }
  return slow32(env, a, b, OP_MUL);
}

export function divF32(env: FpEnv, a: number, b: number): number {
  if (env.rc === 0 && plain32(a) && plain32(b) && (b & 0x7fffffff) !== 0) {
    const x = f32(a), y = f32(b), q = x / y, r = Math.fround(q), m = Math.abs(r);
    if (m > MIN_NORM32 && m !== Infinity) {
      if (r !== q || r * y !== x) flagPE(env);
      return bitsF32(r);
    }
    if (x === 0) return bitsF32(q);
  }
  return slow32(env, a, b, OP_DIV);
}

export function sqrtF32(env: FpEnv, a: number): number {
  if (env.rc === 0 && ((a >>> 23) - 1) >>> 0 < 254) { // positive normal
    const x = f32(a), s = Math.sqrt(x), r = Math.fround(s);
    if (r !== s || r * r !== x) flagPE(env);
    return bitsF32(r);
  }
  return Number(sqrtSlow(env, F32, BigInt(a >>> 0)));
}

// ---- f64 -----------------------------------------------------------------------
function slow64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number, op: number): number {
  return setOut64(env, binSlow(env, F64, big64(alo, ahi), big64(blo, bhi), op));
}

export function addF64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): number {
  if (env.rc === 0 && plain64(ahi, alo) && plain64(bhi, blo)) {
    const x = f64(alo, ahi), y = f64(blo, bhi), s = x + y, m = Math.abs(s);
    if ((m >= MIN_NORM64 && m !== Infinity) || s === 0) {
      if (s !== 0 && twoSumErr(x, y, s) !== 0) flagPE(env);
      return out64(env, s);
    }
  }
  return slow64(env, alo, ahi, blo, bhi, OP_ADD);
}

export function subF64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): number {
  if (env.rc === 0 && plain64(ahi, alo) && plain64(bhi, blo)) {
    const x = f64(alo, ahi), y = f64(blo, bhi), s = x - y, m = Math.abs(s);
    if ((m >= MIN_NORM64 && m !== Infinity) || s === 0) {
      if (s !== 0 && twoSumErr(x, -y, s) !== 0) flagPE(env);
      return out64(env, s);
    }
  }
  return slow64(env, alo, ahi, blo, bhi, OP_SUB);
}

export function mulF64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): number {
  if (env.rc === 0 && plain64(ahi, alo) && plain64(bhi, blo)) {
    const x = f64(alo, ahi), y = f64(blo, bhi), p = x * y, m = Math.abs(p);
    if (m >= LO_SAFE && m < HI_SAFE && Math.abs(x) < HI_SAFE && Math.abs(y) < HI_SAFE) {
      if (prodErr(x, y, p) !== 0) flagPE(env);
      return out64(env, p);
    }
    if (x === 0 || y === 0) return out64(env, p);
  }
  return slow64(env, alo, ahi, blo, bhi, OP_MUL);
}

export function divF64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): number {
  if (env.rc === 0 && plain64(ahi, alo) && plain64(bhi, blo) && ((bhi & 0x7fffffff) | blo) !== 0) {
    const x = f64(alo, ahi), y = f64(blo, bhi), q = x / y, m = Math.abs(q), ay = Math.abs(y);
    if (m >= LO_SAFE && m < HI_SAFE && ay >= LO_SAFE && ay < HI_SAFE) {
      const p = q * y;
      if (x - p !== prodErr(q, y, p)) flagPE(env);
      return out64(env, q);
    }
    if (x === 0) return out64(env, q);
  }
  return slow64(env, alo, ahi, blo, bhi, OP_DIV);
}

export function sqrtF64(env: FpEnv, lo: number, hi: number): number {
  if (env.rc === 0 && ((hi >>> 20) - 1) >>> 0 < 2046) { // positive normal
    const x = f64(lo, hi);
    if (x >= LO_SAFE) {
      const s = Math.sqrt(x), p = s * s;
      if (p !== x || prodErr(s, s, p) !== 0) flagPE(env);
      return out64(env, s);
    }
  }
  return setOut64(env, sqrtSlow(env, F64, big64(lo, hi)));
}

// ---- MIN / MAX -------------------------------------------------------------------
// x86: if either operand is a NaN (QNaN included: IE) or both are zeros, the
// SECOND operand is returned unchanged (an SNaN stays signalling). DE for a
// denormal operand when DAZ = 0; with DAZ a denormal compares as zero.

/** -1 a<b, 0 equal, 1 a>b on two non-NaN f32 encodings (after DAZ) */
function minmax32(env: FpEnv, a: number, b: number, max: boolean): number {
  const ea = a & 0x7f800000, eb = b & 0x7f800000;
  // DAZ flushes the operands themselves: the returned operand is the signed zero
  if (ea === 0 && (a & 0x7fffff) !== 0) { if (env.daz) a &= 0x80000000; else if (eb !== 0x7f800000 || (b & 0x7fffff) === 0) raise(env, FE_DE); }
  if (eb === 0 && (b & 0x7fffff) !== 0) { if (env.daz) b &= 0x80000000; else if (ea !== 0x7f800000 || (a & 0x7fffff) === 0) raise(env, FE_DE); }
  const na = ea === 0x7f800000 && (a & 0x7fffff) !== 0, nb = eb === 0x7f800000 && (b & 0x7fffff) !== 0;
  if (na || nb) { raise(env, FE_IE); return b >>> 0; }
  const x = f32(a), y = f32(b);
  if (max ? x > y : x < y) return a >>> 0;
  return b >>> 0;
}
export function minF32(env: FpEnv, a: number, b: number): number { return minmax32(env, a, b, false); }
export function maxF32(env: FpEnv, a: number, b: number): number { return minmax32(env, a, b, true); }

function minmax64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number, max: boolean): number {
  const ea = ahi & 0x7ff00000, eb = bhi & 0x7ff00000;
  const na = ea === 0x7ff00000 && ((ahi & 0xfffff) | alo) !== 0, nb = eb === 0x7ff00000 && ((bhi & 0xfffff) | blo) !== 0;
  if (ea === 0 && ((ahi & 0xfffff) | alo) !== 0) { if (env.daz) { ahi &= 0x80000000; alo = 0; } else if (!nb) raise(env, FE_DE); }
  if (eb === 0 && ((bhi & 0xfffff) | blo) !== 0) { if (env.daz) { bhi &= 0x80000000; blo = 0; } else if (!na) raise(env, FE_DE); }
  env.rlo = blo >>> 0; env.rhi = bhi >>> 0;
  if (na || nb) { raise(env, FE_IE); return env.rhi; }
  const x = f64(alo, ahi), y = f64(blo, bhi);
  if (max ? x > y : x < y) { env.rlo = alo >>> 0; env.rhi = ahi >>> 0; }
  return env.rhi;
}
export function minF64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): number { return minmax64(env, alo, ahi, blo, bhi, false); }
export function maxF64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number): number { return minmax64(env, alo, ahi, blo, bhi, true); }

// re-exported for FMA / other files that need the generic slow path
export { OP_ADD, OP_SUB, OP_MUL, OP_DIV };
export { f32 as f32FromBits, bitsF32, f64 as f64FromBits, out64 as setF64FromNumber };
