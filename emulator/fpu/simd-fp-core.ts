// Exact binary floating-point core for the SIMD FP library: format descriptors,
// classification of bit patterns, NaN rules and one correctly-rounding pack
// routine. Everything here works on BigInt bit patterns and is used by the slow
// paths only; the hot f32/f64 paths live in simd-fp-arith.ts.
//
// Facts this file encodes (checked against the silicon vectors in
// test/fixtures/simd-fp, captured on an AMD EPYC / Zen 4):
// - tininess is detected AFTER rounding (rounding to the precision with an
//   unbounded exponent); underflow with UE masked needs tiny AND inexact;
// - FTZ (UE masked) replaces any tiny result, exact or not, by a signed zero
//   and sets UE|PE;
// - the default NaN is negative (0xFFC00000 / 0xFFF8000000000000);
// - NaN operands: IE if any is a signalling NaN; the result is the first NaN
//   operand in source order, quieted; no DE is reported when a NaN is present.

import { FE_OE, FE_PE, FE_UE, RC_DOWN, RC_NEAREST, RC_UP, RC_ZERO, raise, ueMasked, type FpEnv } from './simd-fp-env.ts';

export interface Fmt {
  readonly bits: number; // storage width
  readonly mb: number; // stored mantissa bits
  readonly eb: number; // exponent bits
  readonly bias: number;
  readonly p: number; // precision incl. hidden bit
  readonly emin: number; // 1 - bias
  readonly emax: number; // bias
  readonly expField: number; // all-ones exponent field value
  readonly signBit: bigint;
  readonly mantMask: bigint;
  readonly quietBit: bigint;
  readonly inf: bigint;
  readonly defaultNaN: bigint;
  readonly maxFinite: bigint;
  readonly hidden: bigint; // 2^(p-1)
}

function fmt(eb: number, mb: number): Fmt {
  const bits = 1 + eb + mb;
  const bias = (1 << (eb - 1)) - 1;
  const expField = (1 << eb) - 1;
  const signBit = 1n << BigInt(bits - 1);
  const mantMask = (1n << BigInt(mb)) - 1n;
  const inf = BigInt(expField) << BigInt(mb);
  return {
    bits, mb, eb, bias, p: mb + 1, emin: 1 - bias, emax: bias, expField, signBit, mantMask,
    quietBit: 1n << BigInt(mb - 1), inf, defaultNaN: signBit | inf | (1n << BigInt(mb - 1)),
    maxFinite: inf - 1n, hidden: 1n << BigInt(mb),
  };
}
export const F16 = fmt(5, 10);
export const F32 = fmt(8, 23);
export const F64 = fmt(11, 52);

// ---- classification --------------------------------------------------------
export const ZERO = 0, FINITE = 1, INF = 2, QNAN = 3, SNAN = 4;

/** An unpacked operand: value = (-1)^sign * sig * 2^exp for FINITE. */
export class Unp {
  cls = ZERO;
  sign = 0;
  sig = 0n;
  exp = 0;
  /** the encoding was a denormal (before DAZ) */
  denorm = false;
  bits = 0n;
}

/** Unpack `bits` of format F; with daz a denormal reads as a signed zero. */
export function unpack(F: Fmt, bits: bigint, daz: boolean, u: Unp): Unp {
  u.bits = bits;
  u.sign = (bits & F.signBit) !== 0n ? 1 : 0;
  const e = Number((bits >> BigInt(F.mb)) & BigInt(F.expField));
  const m = bits & F.mantMask;
  u.denorm = false;
  if (e === F.expField) {
    u.cls = m === 0n ? INF : (m & F.quietBit) !== 0n ? QNAN : SNAN;
    u.sig = 0n; u.exp = 0;
  } else if (e === 0) {
    if (m === 0n) { u.cls = ZERO; u.sig = 0n; u.exp = 0; }
    else {
      u.denorm = true;
      if (daz) { u.cls = ZERO; u.sig = 0n; u.exp = 0; }
      else { u.cls = FINITE; u.sig = m; u.exp = F.emin - F.mb; }
    }
  } else {
    u.cls = FINITE; u.sig = m | F.hidden; u.exp = e - F.bias - F.mb;
  }
  return u;
}

export function isNaNCls(c: number): boolean { return c >= QNAN; }
export function quiet(F: Fmt, bits: bigint): bigint { return bits | F.quietBit; }

export function bitLength(x: bigint): number {
  // x > 0
  let n = 0;
  let hi = x;
  while (hi >= 0x100000000n) { hi >>= 32n; n += 32; }
  return n + (32 - Math.clz32(Number(hi)));
}

/** Signed zero / infinity / max-finite encodings. */
export function zeroOf(F: Fmt, sign: number): bigint { return sign ? F.signBit : 0n; }
export function infOf(F: Fmt, sign: number): bigint { return sign ? F.signBit | F.inf : F.inf; }

/** Round x / 2^sh (sh may be <= 0: exact left shift) per rc; sets lastInexact. */
let lastInexact = false;
/** inexactness of the last roundShift() */
export function lastInexactOf(): boolean { return lastInexact; }
export function roundShift(x: bigint, sh: number, sign: number, rc: number): bigint {
  if (sh <= 0) { lastInexact = false; return x << BigInt(-sh); }
  const s = BigInt(sh);
  let q = x >> s;
  const rem = x - (q << s);
  lastInexact = rem !== 0n;
  if (rem === 0n) return q;
  switch (rc) {
    case RC_NEAREST: {
      const half = 1n << (s - 1n);
      if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
      break;
    }
    case RC_DOWN: if (sign) q += 1n; break;
    case RC_UP: if (!sign) q += 1n; break;
    case RC_ZERO: break;
  }
  return q;
}

/** Overflowed result per rounding mode. */
export function overflowResult(F: Fmt, sign: number, rc: number): bigint {
  const toInf = rc === RC_NEAREST || (rc === RC_UP && !sign) || (rc === RC_DOWN && sign);
  return (sign ? F.signBit : 0n) | (toInf ? F.inf : F.maxFinite);
}

/**
 * Round (-1)^sign * sig * 2^exp (sig > 0, exact) to format F with rounding
 * control rc, applying FTZ/underflow/overflow rules and raising PE/UE/OE.
 * Returns the result encoding.
 */
export function roundPack(env: FpEnv, F: Fmt, sign: number, sig: bigint, exp: number, rc: number): bigint {
  const n = bitLength(sig);
  let E = exp + n - 1; // exponent of the leading bit
  const sbits = sign ? F.signBit : 0n;
  if (E < F.emin) {
    // candidate tiny: tininess after rounding, i.e. with an unbounded exponent
    const m1 = roundShift(sig, n - F.p, sign, rc);
    const tiny = E + (m1 === (F.hidden << 1n) ? 1 : 0) < F.emin;
    const m = roundShift(sig, F.emin - F.mb - exp, sign, rc);
    const inexact = lastInexact;
    if (tiny) {
      if (ueMasked(env)) {
        if (env.ftz) { raise(env, FE_UE | FE_PE); return sbits; }
        if (inexact) raise(env, FE_UE | FE_PE);
      } else {
        raise(env, inexact ? FE_UE | FE_PE : FE_UE);
      }
    } else if (inexact) raise(env, FE_PE);
    return sbits | m; // m <= 2^(p-1): a denormal, zero, or the smallest normal
  }
  let m = roundShift(sig, n - F.p, sign, rc);
  const inexact = lastInexact;
  if (m === (F.hidden << 1n)) { m >>= 1n; E++; }
  if (E > F.emax) {
    raise(env, FE_OE | FE_PE);
    return overflowResult(F, sign, rc);
  }
  if (inexact) raise(env, FE_PE);
  return sbits | (BigInt(E + F.bias) << BigInt(F.mb)) | (m & F.mantMask);
}

// ---- bit-pattern plumbing ---------------------------------------------------
export function big64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
export function setOut64(env: FpEnv, v: bigint): number {
  env.rlo = Number(v & 0xffffffffn);
  env.rhi = Number((v >> 32n) & 0xffffffffn);
  return env.rhi;
}
