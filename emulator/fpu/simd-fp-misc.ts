// DPPS/DPPD, VRANGE*, VFIXUPIMM*, and the approximate reciprocals RCP*/RSQRT*/VRCP14*/VRSQRT14*.

import { FE_DE, FE_IE, FE_ZE, type FpEnv, raise } from './simd-fp-env.ts';
import { addF32, addF64, mulF32, mulF64 } from './simd-fp-arith.ts';
import { amdRcp32, amdRsqrt32 } from './approx-amd.ts';
import * as A14 from './approx-14.ts';

// ---- DPPS / DPPD -----------------------------------------------------------------
/**
 * DPPS on one 128-bit block (VDPPS ymm: call once per block): lanes a[ai..ai+3],
 * b[bi..bi+3] (f32 bits), result into out[oi..oi+3] (a scratch: the caller
 * commits after checking flags). SDM order: products selected by imm8[7:4]
 * (unselected = +0.0, no flags), (p0+p1) + (p2+p3), stored where imm8[3:0] says.
 */
export function dppsBlock(env: FpEnv, a: Uint32Array, ai: number, b: Uint32Array, bi: number, imm: number, out: Uint32Array, oi: number): void {
  const p0 = imm & 0x10 ? mulF32(env, a[ai], b[bi]) : 0;
  const p1 = imm & 0x20 ? mulF32(env, a[ai + 1], b[bi + 1]) : 0;
  const p2 = imm & 0x40 ? mulF32(env, a[ai + 2], b[bi + 2]) : 0;
  const p3 = imm & 0x80 ? mulF32(env, a[ai + 3], b[bi + 3]) : 0;
  const s01 = addF32(env, p0, p1), s23 = addF32(env, p2, p3);
  const s = addF32(env, s01, s23);
  out[oi] = imm & 1 ? s : 0;
  out[oi + 1] = imm & 2 ? s : 0;
  out[oi + 2] = imm & 4 ? s : 0;
  out[oi + 3] = imm & 8 ? s : 0;
}

/** DPPD: a/b hold two f64 as dword pairs (lo, hi); imm8[5:4] select products, imm8[1:0] destinations. */
export function dppd(env: FpEnv, a: Uint32Array, ai: number, b: Uint32Array, bi: number, imm: number, out: Uint32Array, oi: number): void {
  let p0lo = 0, p0hi = 0, p1lo = 0, p1hi = 0;
  if (imm & 0x10) { mulF64(env, a[ai], a[ai + 1], b[bi], b[bi + 1]); p0lo = env.rlo; p0hi = env.rhi; }
  if (imm & 0x20) { mulF64(env, a[ai + 2], a[ai + 3], b[bi + 2], b[bi + 3]); p1lo = env.rlo; p1hi = env.rhi; }
  addF64(env, p0lo, p0hi, p1lo, p1hi);
  const slo = env.rlo, shi = env.rhi;
  out[oi] = imm & 1 ? slo : 0; out[oi + 1] = imm & 1 ? shi : 0;
  out[oi + 2] = imm & 2 ? slo : 0; out[oi + 3] = imm & 2 ? shi : 0;
}

// ---- VRANGE ------------------------------------------------------------------------
/**
 * VRANGESS/PS lane. imm8[1:0]: 0 min, 1 max, 2 min-magnitude, 3 max-magnitude;
 * imm8[3:2] sign: 0 sign of a, 1 sign of the selected value, 2 clear, 3 set.
 * SNaN operand: IE and that NaN quieted (a first); one QNaN: the other operand is
 * selected; two QNaNs: a (the sign control applies in both cases).
 * -0 < +0; magnitude forms break ties of equal magnitude by the signed order.
 * DE for denormal operands (DAZ = 0, no NaN present); DAZ flushes them to signed zeros.
 */
export function rangeF32(env: FpEnv, a: number, b: number, imm: number): number {
  a >>>= 0; b >>>= 0;
  const r = rangeBits(env, a, 0, b, 0, imm, 23, 8, false);
  return r >>> 0;
}
/** VRANGESD/PD lane; result in env.rlo/env.rhi. */
export function rangeF64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number, imm: number): number {
  rangeBits(env, ahi >>> 0, alo >>> 0, bhi >>> 0, blo >>> 0, imm, 20, 11, true);
  return env.rhi;
}

/** compare magnitudes of two (hi, lo) encodings: -1, 0, 1 */
function cmpMag(ah: number, al: number, bh: number, bl: number): number {
  const x = (ah & 0x7fffffff) >>> 0, y = (bh & 0x7fffffff) >>> 0;
  if (x !== y) return x < y ? -1 : 1;
  if (al >>> 0 !== bl >>> 0) return al >>> 0 < bl >>> 0 ? -1 : 1;
  return 0;
}

/** shared f32/f64 implementation on (hi word, lo word) with mb mantissa bits in the hi word */
function rangeBits(env: FpEnv, ah: number, al: number, bh: number, bl: number, imm: number, mbh: number, eb: number, is64: boolean): number {
  const emask = ((1 << eb) - 1) << mbh, mmask = (1 << mbh) - 1, qbit = 1 << (mbh - 1);
  const aNaN = (ah & emask) === emask && ((ah & mmask) | al) !== 0;
  const bNaN = (bh & emask) === emask && ((bh & mmask) | bl) !== 0;
  const out = (h: number, l: number): number => { if (is64) { env.rlo = l >>> 0; env.rhi = h >>> 0; } return h >>> 0; };
  if (aNaN && (ah & qbit) === 0) { raise(env, FE_IE); return out(ah | qbit, al); }
  if (bNaN && (bh & qbit) === 0) { raise(env, FE_IE); return out(bh | qbit, bl); }
  const aDen = (ah & emask) === 0 && ((ah & mmask) | al) !== 0;
  const bDen = (bh & emask) === 0 && ((bh & mmask) | bl) !== 0;
  if (env.daz) {
    if (aDen) { ah &= 0x80000000; al = 0; }
    if (bDen) { bh &= 0x80000000; bl = 0; }
  } else if ((aDen || bDen) && !aNaN && !bNaN) raise(env, FE_DE);
  const op = imm & 3, sc = (imm >>> 2) & 3;
  let aLE: boolean;
  const cm = cmpMag(ah, al, bh, bl);
  if (op >= 2 && cm !== 0) aLE = cm < 0; // by magnitude; equal magnitudes fall back to the signed order
  else {
    const sa = ah >>> 31, sb = bh >>> 31;
    aLE = sa !== sb ? sa === 1 : sa ? cm >= 0 : cm <= 0; // -0 < +0
  }
  // one QNaN: the other operand is selected (then the sign control applies)
  const pickA = bNaN ? true : aNaN ? false : (op & 1) === 0 ? aLE : !aLE;
  let h = pickA ? ah : bh;
  const l = pickA ? al : bl;
  if (sc === 0) h = (h & 0x7fffffff) | (ah & 0x80000000);
  else if (sc === 2) h &= 0x7fffffff;
  else if (sc === 3) h |= 0x80000000;
  return out(h, l);
}

// ---- approximate reciprocals --------------------------------------------------------
// RCP/RSQRT (rcpF32/rsqrtF32): vendor-neutral stand-in, not bit-exact: 1/x or
// 1/sqrt(x) evaluated in double precision and rounded to f32, within the SDM bound
// (1.5*2^-12 relative). The AMD (Zen) bit-exact functions are amdRcp32/amdRsqrt32
// (approx-amd.ts); the instruction handlers (insns/sse-approx.ts) pick by CPU vendor.
// Special values follow the SDM: 1/+-0 = +-inf, 1/+-inf = +-0, rsqrt(-x) = default NaN,
// rsqrt(-0) = -inf, NaN -> quieted NaN; no flags; denormal inputs read as zeros,
// denormal results flushed.
// VRCP14/VRSQRT14: bit-exact (Intel's reference algorithm, which AMD Zen 4 follows
// too, measured): approx-14.ts.
export { amdRcp32, amdRsqrt32 };

const f32s = new Float32Array(1);
const u32s = new Uint32Array(f32s.buffer);

function approx32(a: number, rsqrt: boolean): number {
  a >>>= 0;
  const e = a & 0x7f800000, m = a & 0x7fffff, sign = a & 0x80000000;
  if (e === 0x7f800000 && m !== 0) return a | 0x400000;
  if (e === 0) a = sign; // denormal input read as zero
  if ((a & 0x7fffffff) === 0) return (sign | 0x7f800000) >>> 0;
  if (rsqrt && sign) return 0xffc00000;
  if (e === 0x7f800000) return sign >>> 0;
  u32s[0] = a;
  const x = f32s[0];
  const r = Math.fround(rsqrt ? 1 / Math.sqrt(x) : 1 / x);
  f32s[0] = r;
  let bits = u32s[0];
  if ((bits & 0x7f800000) === 0) bits &= 0x80000000; // denormal result flushed
  return bits >>> 0;
}
export function rcpF32(_env: FpEnv, a: number): number { return approx32(a, false); }
export function rsqrtF32(_env: FpEnv, a: number): number { return approx32(a, true); }
export function rcp14F32(env: FpEnv, a: number): number { return A14.rcp14F32(a >>> 0, env.daz, env.ftz); }
export function rsqrt14F32(env: FpEnv, a: number): number { return A14.rsqrt14F32(a >>> 0, env.daz); }
/** Result in env.rlo/env.rhi; returns env.rhi. */
export function rcp14F64(env: FpEnv, lo: number, hi: number): number {
  A14.rcp14F64(lo, hi, env.daz, env.ftz);
  env.rlo = A14.r64[0]; env.rhi = A14.r64[1];
  return env.rhi;
}
export function rsqrt14F64(env: FpEnv, lo: number, hi: number): number {
  A14.rsqrt14F64(lo, hi, env.daz);
  env.rlo = A14.r64[0]; env.rhi = A14.r64[1];
  return env.rhi;
}

// ---- VFIXUPIMM -----------------------------------------------------------------------
// Token of the value operand b: 0 QNaN, 1 SNaN, 2 +-0, 3 +1, 4 -inf, 5 +inf,
// 6 negative, 7 positive (DAZ reads denormals as zero). The response nibble
// table[4*token+3 : 4*token] (table = low dword of operand c) picks the result;
// imm8 bits raise ZE/IE for some tokens (SDM VFIXUPIMMPS). No DE is reported;
// response 2 (QNaN(src)) forces the exponent and quiet bit of any source.
const FIX32 = [0, 0, 0, 0xffc00000, 0xff800000, 0x7f800000, 0, 0x80000000, 0, 0xbf800000, 0x3f800000, 0x3f000000, 0x42b40000, 0x3fc90fdb, 0x7f7fffff, 0xff7fffff];
const FIX64HI = [0, 0, 0, 0xfff80000, 0xfff00000, 0x7ff00000, 0, 0x80000000, 0, 0xbff00000, 0x3ff00000, 0x3fe00000, 0x40568000, 0x3ff921fb, 0x7fefffff, 0xffefffff];
const FIX64LO = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x54442d18, 0xffffffff, 0xffffffff];

function fixupToken(isNaN: boolean, quietNaN: boolean, zero: boolean, one: boolean, inf: boolean, neg: boolean): number {
  if (isNaN) return quietNaN ? 0 : 1;
  if (zero) return 2;
  if (one) return 3;
  if (inf) return neg ? 4 : 5;
  return neg ? 6 : 7;
}
function fixupFlags(env: FpEnv, token: number, imm: number): void {
  let f = 0;
  if (token === 2) { if (imm & 1) f |= FE_ZE; if (imm & 2) f |= FE_IE; }
  else if (token === 3) { if (imm & 4) f |= FE_ZE; if (imm & 8) f |= FE_IE; }
  else if (token === 1) { if (imm & 0x10) f |= FE_IE; }
  else if (token === 4) { if (imm & 0x20) f |= FE_IE; }
  else if (token === 6) { if (imm & 0x40) f |= FE_IE; }
  else if (token === 5) { if (imm & 0x80) f |= FE_IE; }
  if (f) raise(env, f);
}

/** VFIXUPIMMSS/PS lane: a = destination (kept by response 0), b = value, c = response table. */
export function fixupimmF32(env: FpEnv, a: number, b: number, c: number, imm: number): number {
  b >>>= 0;
  const e = b & 0x7f800000, m = b & 0x7fffff;
  if (e === 0 && m !== 0 && env.daz) b &= 0x80000000; // (no DE is reported)
  const mag = b & 0x7fffffff, neg = b >>> 31 === 1;
  const token = fixupToken(e === 0x7f800000 && m !== 0, (m & 0x400000) !== 0, mag === 0, b === 0x3f800000, mag === 0x7f800000, neg);
  const resp = (c >>> (4 * token)) & 15;
  fixupFlags(env, token, imm);
  switch (resp) {
    case 0: return a >>> 0;
    case 1: return b >>> 0;
    case 2: return (b | 0x7fc00000) >>> 0; // QNaN(b): exponent and quiet bit forced, sign and payload kept
    case 6: return neg ? 0xff800000 : 0x7f800000;
    default: return FIX32[resp];
  }
}

/** VFIXUPIMMSD/PD lane; result in env.rlo/env.rhi. */
export function fixupimmF64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number, clo: number, imm: number): number {
  let h = bhi >>> 0, l = blo >>> 0;
  const e = h & 0x7ff00000, mz = ((h & 0xfffff) | l) === 0;
  if (e === 0 && !mz && env.daz) { h &= 0x80000000; l = 0; } // (no DE is reported)
  const neg = h >>> 31 === 1, magz = (h & 0x7fffffff) === 0 && l === 0;
  const token = fixupToken(e === 0x7ff00000 && !mz, (h & 0x80000) !== 0, magz, h === 0x3ff00000 && l === 0, (h & 0x7fffffff) === 0x7ff00000 && l === 0, neg);
  const resp = (clo >>> (4 * token)) & 15;
  fixupFlags(env, token, imm);
  let rh: number, rl: number;
  switch (resp) {
    case 0: rh = ahi; rl = alo; break;
    case 1: rh = h; rl = l; break;
    case 2: rh = h | 0x7ff80000; rl = l; break;
    case 6: rh = neg ? 0xfff00000 : 0x7ff00000; rl = 0; break;
    default: rh = FIX64HI[resp]; rl = FIX64LO[resp];
  }
  env.rlo = rl >>> 0; env.rhi = rh >>> 0;
  return env.rhi;
}
