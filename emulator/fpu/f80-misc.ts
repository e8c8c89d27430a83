// FRNDINT, FSCALE, FXTRACT, FPREM, FPREM1.
import {
  type F80,
  Unpacked,
  unpack,
  normalizeU,
  W,
  shiftRightJam,
  shiftLeft,
  roundLow,
  roundPack,
  invalid,
  propagateNaN1,
  denormals,
  screen1Zero,
  screen2,
  f80Copy,
  isNaNKind,
  setIndefinite,
  K_ZERO,
  K_INF,
  K_UNSUPPORTED,
  F_IE,
  F_ZE,
  F_PE,
  F_C0,
  F_C1,
  F_C2,
  F_C3,
  F_NORESULT,
  BIAS,
  setZero,
  setInf,
} from './f80-core.ts';

const UA = new Unpacked();
const UB = new Unpacked();


/** FRNDINT: round to an integral value by FCW.RC (PC does not apply). PE when inexact, C1 when rounded up. */
export function f80Rndint(fcw: number, a: F80, r: F80): number {
  const s = screen1Zero(fcw, a, UA, r);
  if (s >= 0) return s;
  if (UA.k === K_INF) {
    setInf(r, UA.sign);
    return 0;
  }
  let flags = denormals(fcw, UA.den);
  if (flags & F_NORESULT) return flags;
  const ue = UA.exp - BIAS;
  if (ue >= 63) {
    r.se = (UA.sign << 15) | UA.exp;
    r.mhi = UA.m0;
    r.mlo = UA.m1;
    return flags;
  }
  W.w0 = UA.m0;
  W.w1 = UA.m1;
  W.w2 = 0;
  W.ws = 0;
  shiftRightJam(63 - ue);
  const carry = roundLow((fcw >> 10) & 3, UA.sign);
  if (W.inexact) flags |= F_PE;
  if (W.up) flags |= F_C1;
  if (carry) {
    // only possible for ue = 63 which is excluded above; kept for safety
    r.se = (UA.sign << 15) | (BIAS + 64);
    r.mhi = 0x80000000;
    r.mlo = 0;
    return flags;
  }
  if ((W.w0 | W.w1) === 0) {
    setZero(r, UA.sign);
    return flags;
  }
  UB.m0 = W.w0;
  UB.m1 = W.w1;
  UB.exp = BIAS + 63;
  normalizeU(UB);
  r.se = (UA.sign << 15) | UB.exp;
  r.mhi = UB.m0;
  r.mlo = UB.m1;
  return flags;
}

/**
 * FSCALE: a * 2^trunc(b) (a = ST(0), b = ST(1)).  Rounding only happens on
 * underflow (64-bit precision, FCW.RC; PC does not apply).
 */
export function f80Scale(fcw: number, a: F80, b: F80, r: F80): number {
  const s = screen2(fcw, a, UA, b, UB, r);
  if (s >= 0) return s;
  const ka = UA.k, kb = UB.k;
  if (kb === K_INF) {
    if (UB.sign === 0 ? ka === K_ZERO : ka === K_INF) return invalid(fcw, r);
    const f = denormals(fcw, UA.den);
    if (f & F_NORESULT) return f;
    if (UB.sign === 0) setInf(r, UA.sign);
    else setZero(r, UA.sign);
    return f;
  }
  const flags = denormals(fcw, UA.den || UB.den);
  if (flags & F_NORESULT) return flags;
  if (ka === K_INF || ka === K_ZERO) {
    f80Copy(r, a);
    return flags;
  }
  // n = trunc(b), clamped (anything beyond +-2^17 saturates the result anyway)
  let n = 0;
  if (kb !== K_ZERO) {
    const ue = UB.exp - BIAS;
    if (ue >= 17) n = 0x20000;
    else if (ue >= 0) n = Math.floor((UB.m0 >>> 0) / 2 ** (31 - ue));
    if (UB.sign) n = -n;
  }
  W.w0 = UA.m0;
  W.w1 = UA.m1;
  W.w2 = 0;
  W.ws = 0;
  return flags | roundPack(fcw, UA.sign, UA.exp + n, 64, r);
}

/**
 * FXTRACT: sig <- significand of a (exponent forced to 0, i.e. biased 0x3FFF,
 * same sign); exp <- unbiased exponent as a value.  Caller stores exp into
 * ST(0) and pushes sig.  Zero: ZE, exp = -inf, sig = zero (same sign).
 * Infinity: sig = inf (same sign), exp = +inf.  NaN: both get the (quieted) NaN.
 * Unmasked IE/ZE/DE: F_NORESULT.
 */
export function f80Xtract(fcw: number, a: F80, sig: F80, exp: F80): number {
  unpack(a, UA);
  const k = UA.k;
  if (k === K_UNSUPPORTED) {
    if (!(fcw & F_IE)) return F_IE | F_NORESULT;
    setIndefinite(sig);
    setIndefinite(exp);
    return F_IE;
  }
  if (isNaNKind(k)) {
    const f = propagateNaN1(fcw, a, k, sig);
    if (f & F_NORESULT) return f;
    f80Copy(exp, sig);
    return f;
  }
  if (k === K_ZERO) {
    if (!(fcw & F_ZE)) return F_ZE | F_NORESULT;
    const s = UA.sign;
    setZero(sig, s);
    setInf(exp, 1);
    return F_ZE;
  }
  if (k === K_INF) {
    setInf(sig, UA.sign);
    setInf(exp, 0);
    return 0;
  }
  const flags = denormals(fcw, UA.den);
  if (flags & F_NORESULT) return flags;
  const e = UA.exp - BIAS;
  sig.se = (UA.sign << 15) | BIAS;
  sig.mhi = UA.m0;
  sig.mlo = UA.m1;
  // exact integer -> f80
  if (e === 0) setZero(exp, 0);
  else {
    const s = e < 0 ? 1 : 0;
    const mag = Math.abs(e);
    const z = Math.clz32(mag);
    exp.se = (s << 15) | (BIAS + 31 - z);
    exp.mhi = (mag << z) >>> 0;
    exp.mlo = 0;
  }
  return flags;
}

/**
 * FPREM (round = false: quotient truncated) and FPREM1 (round = true: IEEE
 * remainder, quotient rounded to nearest even).  a = ST(0) (dividend), b =
 * ST(1).  Result (exact) in r.  Status: C2 = incomplete (exponent difference
 * >= 64: partial reduction by 2^(D-N) with N = 32 + (D mod 32), as this
 * silicon does); when complete, C0 = Q2, C3 = Q1, C1 = Q0 of the quotient.
 */
export function f80Prem(fcw: number, a: F80, b: F80, r: F80, round: boolean): number {
  const s = screen2(fcw, a, UA, b, UB, r);
  if (s >= 0) return s;
  const ka = UA.k, kb = UB.k;
  if (ka === K_INF || kb === K_ZERO) return invalid(fcw, r);
  const flags = denormals(fcw, UA.den || UB.den);
  if (flags & F_NORESULT) return flags;
  if (kb === K_INF || ka === K_ZERO) {
    f80Copy(r, a);
    if (ka === K_ZERO) return flags;
    // a finite nonzero, b infinite: remainder a (normalized if denormal)
    if (UA.den) {
      W.w0 = UA.m0; W.w1 = UA.m1; W.w2 = 0; W.ws = 0;
      return flags | roundPack(fcw, UA.sign, UA.exp, 64, r);
    }
    return flags;
  }
  const ma = (BigInt(UA.m0) << 32n) | BigInt(UA.m1);
  const mb = (BigInt(UB.m0) << 32n) | BigInt(UB.m1);
  const D = UA.exp - UB.exp;
  let rem: bigint;
  let q: bigint;
  let scaleExp: number; // rem value = rem * 2^(scaleExp - BIAS - 63)
  let sign = UA.sign;
  let codes = 0;
  if (D >= 64) {
    const N = 32 + (D & 31);
    const A = ma << BigInt(N);
    q = A / mb;
    rem = A - q * mb;
    scaleExp = UA.exp - N;
    codes = F_C2;
  } else {
    let A: bigint, B: bigint;
    if (D >= 0) {
      A = ma << BigInt(D);
      B = mb;
      scaleExp = UB.exp;
    } else {
      A = ma;
      B = mb << BigInt(-D);
      scaleExp = UA.exp;
    }
    q = A / B;
    rem = A - q * B;
    if (round) {
      const twice = rem << 1n;
      if (twice > B || (twice === B && (q & 1n) === 1n)) {
        q += 1n;
        rem = B - rem;
        sign ^= 1;
      }
    }
    const q3 = Number(q & 7n);
    if (q3 & 4) codes |= F_C0;
    if (q3 & 2) codes |= F_C3;
    if (q3 & 1) codes |= F_C1;
  }
  if (rem === 0n) {
    setZero(r, UA.sign);
    return flags | codes;
  }
  // normalize rem (< 2^64 here) into W
  W.w0 = Number(rem >> 32n) >>> 0;
  W.w1 = Number(rem & 0xffffffffn) >>> 0;
  W.w2 = 0;
  W.ws = 0;
  let e = scaleExp;
  const z = W.w0 ? Math.clz32(W.w0) : 32 + Math.clz32(W.w1);
  shiftLeft(z);
  e -= z;
  return flags | codes | (roundPack(fcw, sign, e, 64, r) & ~F_C1);
}
