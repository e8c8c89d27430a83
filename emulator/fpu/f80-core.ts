// Core of the exact x87 80-bit extended-precision library: value type, flag
// bits, operand classification, and the single rounding/packing routine every
// arithmetic operation goes through.
//
// A value is { se, mhi, mlo }: se = sign (bit 15) | biased exponent (bits
// 14:0); mhi:mlo = the 64-bit significand including the explicit integer bit
// (mhi bit 31).  All functions are allocation-free: results are written into a
// caller-supplied F80 (which may alias an input) and the return value is a
// status word fragment (see the F_* constants).

export interface F80 {
  se: number;
  mhi: number;
  mlo: number;
}

export function f80(se = 0, mhi = 0, mlo = 0): F80 {
  return { se, mhi: mhi >>> 0, mlo: mlo >>> 0 };
}

// ---- status bits returned by every operation (FSW layout) ----
export const F_IE = 0x01;
export const F_DE = 0x02;
export const F_ZE = 0x04;
export const F_OE = 0x08;
export const F_UE = 0x10;
export const F_PE = 0x20;
export const F_EXC = 0x3f;
export const F_C0 = 0x100;
export const F_C1 = 0x200;
export const F_C2 = 0x400;
export const F_C3 = 0x4000;
/** Not an FSW bit: the destination must be left unchanged (unmasked IE/ZE/DE, or a masked-out store). */
export const F_NORESULT = 0x10000;

// ---- FCW fields ----
export const FCW_PC_24 = 0;
export const FCW_PC_53 = 2;
export const FCW_PC_64 = 3;
export const RC_NEAREST = 0;
export const RC_DOWN = 1;
export const RC_UP = 2;
export const RC_ZERO = 3;

export const BIAS = 16383;
export const UNMASKED_ADJUST = 24576;

/** Precision in bits selected by FCW.PC (the reserved encoding 01 behaves as 64 here). */
export function pcBits(fcw: number): number {
  const pc = (fcw >> 8) & 3;
  return pc === 0 ? 24 : pc === 2 ? 53 : 64;
}

// ---- buffer I/O (FXSAVE register layout: 8 bytes significand LE, then se LE) ----
export function f80Read(buf: Uint8Array, off: number, r: F80): F80 {
  r.mlo = (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24)) >>> 0;
  r.mhi = (buf[off + 4] | (buf[off + 5] << 8) | (buf[off + 6] << 16) | (buf[off + 7] << 24)) >>> 0;
  r.se = buf[off + 8] | (buf[off + 9] << 8);
  return r;
}

export function f80Write(buf: Uint8Array, off: number, v: F80): void {
  buf[off] = v.mlo & 0xff;
  buf[off + 1] = (v.mlo >>> 8) & 0xff;
  buf[off + 2] = (v.mlo >>> 16) & 0xff;
  buf[off + 3] = v.mlo >>> 24;
  buf[off + 4] = v.mhi & 0xff;
  buf[off + 5] = (v.mhi >>> 8) & 0xff;
  buf[off + 6] = (v.mhi >>> 16) & 0xff;
  buf[off + 7] = v.mhi >>> 24;
  buf[off + 8] = v.se & 0xff;
  buf[off + 9] = (v.se >>> 8) & 0xff;
}

export function f80Set(r: F80, se: number, mhi: number, mlo: number): F80 {
  r.se = se;
  r.mhi = mhi >>> 0;
  r.mlo = mlo >>> 0;
  return r;
}

export function f80Copy(r: F80, v: F80): F80 {
  r.se = v.se;
  r.mhi = v.mhi;
  r.mlo = v.mlo;
  return r;
}

/** ±0, ±1.0 and ±infinity (sign 0 or 1). */
export function setZero(r: F80, sign: number): void {
  r.se = sign << 15;
  r.mhi = 0;
  r.mlo = 0;
}
export function setOne(r: F80, sign: number): void {
  r.se = (sign << 15) | BIAS;
  r.mhi = 0x80000000;
  r.mlo = 0;
}
export function setInf(r: F80, sign: number): void {
  r.se = (sign << 15) | 0x7fff;
  r.mhi = 0x80000000;
  r.mlo = 0;
}

/** QNaN floating-point indefinite (masked invalid-operation response). */
export function setIndefinite(r: F80): void {
  r.se = 0xffff;
  r.mhi = 0xc0000000;
  r.mlo = 0;
}

// ---- classification ----
export const K_ZERO = 0;
export const K_FINITE = 1; // normal, denormal or pseudo-denormal
export const K_INF = 2;
export const K_QNAN = 3;
export const K_SNAN = 4;
export const K_UNSUPPORTED = 5; // pseudo-NaN, pseudo-infinity, unnormal

export function classify(v: F80): number {
  const e = v.se & 0x7fff;
  const j = v.mhi >>> 31;
  if (e === 0x7fff) {
    if (!j) return K_UNSUPPORTED;
    if ((v.mhi & 0x7fffffff) === 0 && v.mlo === 0) return K_INF;
    return v.mhi & 0x40000000 ? K_QNAN : K_SNAN;
  }
  if (e === 0) return v.mhi === 0 && v.mlo === 0 ? K_ZERO : K_FINITE;
  return j ? K_FINITE : K_UNSUPPORTED;
}

/** Unpacked operand: finite values are normalized (m0 bit 31 set) with an unbounded exponent. */
export class Unpacked {
  k = 0;
  sign = 0;
  /** biased exponent of the normalized significand (may be < 1 for denormals) */
  exp = 0;
  m0 = 0;
  m1 = 0;
  /** operand was a denormal or pseudo-denormal (raises DE in arithmetic) */
  den = false;
}

export function unpack(v: F80, u: Unpacked): Unpacked {
  const k = classify(v);
  u.k = k;
  u.sign = (v.se >>> 15) & 1;
  u.exp = v.se & 0x7fff;
  u.m0 = v.mhi >>> 0;
  u.m1 = v.mlo >>> 0;
  u.den = false;
  if (k === K_FINITE && u.exp === 0) {
    u.den = true;
    u.exp = 1;
    normalizeU(u);
  }
  return u;
}

export function normalizeU(u: Unpacked): void {
  if (u.m0 === 0) {
    u.m0 = u.m1;
    u.m1 = 0;
    u.exp -= 32;
  }
  const s = Math.clz32(u.m0);
  if (s) {
    u.m0 = ((u.m0 << s) | (u.m1 >>> (32 - s))) >>> 0;
    u.m1 = (u.m1 << s) >>> 0;
    u.exp -= s;
  }
}

// ---- the working significand: W0 (bits 63..32), W1 (31..0), W2 (32 bits below), WS sticky ----
/** Working significand; `inexact`/`up` report the last rounding (inexact, magnitude rounded up). */
export const W = { w0: 0, w1: 0, w2: 0, ws: 0, inexact: false, up: false };

/** Shift W right by n bits, ORing everything shifted out of W2 into the sticky bit. */
export function shiftRightJam(n: number): void {
  if (n <= 0) return;
  if (n >= 96) {
    W.ws = W.w0 | W.w1 | W.w2 | W.ws ? 1 : 0;
    W.w0 = W.w1 = W.w2 = 0;
    return;
  }
  while (n >= 32) {
    if (W.w2) W.ws = 1;
    W.w2 = W.w1;
    W.w1 = W.w0;
    W.w0 = 0;
    n -= 32;
  }
  if (n) {
    if ((W.w2 << (32 - n)) !== 0) W.ws = 1;
    W.w2 = ((W.w2 >>> n) | (W.w1 << (32 - n))) >>> 0;
    W.w1 = ((W.w1 >>> n) | (W.w0 << (32 - n))) >>> 0;
    W.w0 = W.w0 >>> n;
  }
}

/** Shift W0:W1:W2 left by n (0..95); sticky is kept as-is (caller ensures it is 0 or irrelevant). */
export function shiftLeft(n: number): void {
  while (n >= 32) {
    W.w0 = W.w1;
    W.w1 = W.w2;
    W.w2 = 0;
    n -= 32;
  }
  if (n) {
    W.w0 = ((W.w0 << n) | (W.w1 >>> (32 - n))) >>> 0;
    W.w1 = ((W.w1 << n) | (W.w2 >>> (32 - n))) >>> 0;
    W.w2 = (W.w2 << n) >>> 0;
  }
}

/** Leading zero count of W0:W1:W2 (96 if zero). */
export function clzW(): number {
  if (W.w0) return Math.clz32(W.w0);
  if (W.w1) return 32 + Math.clz32(W.w1);
  if (W.w2) return 64 + Math.clz32(W.w2);
  return 96;
}


/**
 * Round W0:W1 (an integer) using W2/WS as the fraction, per rc and sign.
 * Clears W2/WS.  Returns 1 if the integer overflowed 64 bits (W becomes 0).
 */
export function roundLow(rc: number, sign: number): number {
  const half = W.w2 >>> 31;
  const rest = (W.w2 & 0x7fffffff) | W.ws;
  const lsb = W.w1 & 1;
  W.w2 = 0;
  W.ws = 0;
  W.inexact = (half | rest) !== 0;
  let inc = false;
  if (W.inexact) {
    if (rc === RC_NEAREST) inc = half !== 0 && (rest !== 0 || lsb !== 0);
    else if (rc === RC_DOWN) inc = sign !== 0;
    else if (rc === RC_UP) inc = sign === 0;
  }
  W.up = inc;
  if (!inc) return 0;
  W.w1 = (W.w1 + 1) >>> 0;
  if (W.w1 !== 0) return 0;
  W.w0 = (W.w0 + 1) >>> 0;
  return W.w0 === 0 ? 1 : 0;
}

/**
 * Round W (normalized: W0 bit 31 set) to p significant bits in place.
 * Returns the exponent increment (0 or 1) caused by a carry out.
 */
export function roundToP(p: number, rc: number, sign: number, extraShift: number): number {
  const s = 64 - p + extraShift;
  shiftRightJam(s);
  const c = roundLow(rc, sign);
  if (s === 0) {
    if (c) {
      W.w0 = 0x80000000;
      W.w1 = 0;
      return 1;
    }
    return 0;
  }
  // after the right shift W < 2^(64-s) so no 64-bit carry; check for 2^(64-s+...)
  const back = 64 - p;
  if (back > 0) shiftLeft(back);
  if (extraShift === 0 && W.w0 === 0 && W.w1 === 0) {
    // rounded up to exactly 2^p << back == 2^64
    W.w0 = 0x80000000;
    return 1;
  }
  return 0;
}

/** Tininess is detected after rounding (with unbounded exponent) on this x87. */
const TININESS_AFTER_ROUNDING = true;

/**
 * Round and pack W (normalized, or zero) with biased exponent e into r using FCW
 * rounding control, precision p, and the x87 overflow/underflow responses.
 * Returns status bits (PE/UE/OE, C1 = rounded up).
 */
export function roundPack(fcw: number, sign: number, e: number, p: number, r: F80): number {
  const rc = (fcw >> 10) & 3;
  let flags = 0;
  if ((W.w0 | W.w1 | W.w2 | W.ws) === 0) {
    r.se = sign << 15;
    r.mhi = 0;
    r.mlo = 0;
    return 0;
  }
  if (e < 1) {
    let tiny = true;
    if (TININESS_AFTER_ROUNDING && e === 0) {
      const s0 = W.w0, s1 = W.w1, s2 = W.w2, ss = W.ws;
      if (roundToP(p, rc, sign, 0)) tiny = false;
      W.w0 = s0; W.w1 = s1; W.w2 = s2; W.ws = ss;
    }
    if (tiny && !(fcw & F_UE)) {
      // unmasked underflow: normalized rounded result with the exponent bias-adjusted
      e += roundToP(p, rc, sign, 0);
      flags |= F_UE;
      if (W.inexact) flags |= F_PE;
      if (W.up) flags |= F_C1;
      e += UNMASKED_ADJUST;
      if (e < 1) {
        // still out of range after the bias adjustment (only FSCALE gets here): signed zero
        r.se = sign << 15;
        r.mhi = 0;
        r.mlo = 0;
        return F_UE | F_PE;
      }
      r.se = (sign << 15) | (e & 0x7fff);
      r.mhi = W.w0;
      r.mlo = W.w1;
      return flags;
    }
    if (tiny) {
      roundToP(p, rc, sign, 1 - e);
      if (W.inexact) flags |= F_PE | F_UE;
      if (W.up) flags |= F_C1;
      r.se = (sign << 15) | (W.w0 >>> 31);
      r.mhi = W.w0;
      r.mlo = W.w1;
      return flags;
    }
  }
  e += roundToP(p, rc, sign, 0);
  if (W.inexact) flags |= F_PE;
  if (W.up) flags |= F_C1;
  if (e < 1) {
    // only reachable with TININESS_AFTER_ROUNDING false
    e = 1;
  }
  if (e >= 0x7fff) {
    if (!(fcw & F_OE)) {
      flags |= F_OE;
      e -= UNMASKED_ADJUST;
      if (e >= 0x7fff) {
        // still out of range after the bias adjustment (only FSCALE gets here): infinity
        r.se = (sign << 15) | 0x7fff;
        r.mhi = 0x80000000;
        r.mlo = 0;
        return F_OE | F_PE | F_C1;
      }
      r.se = (sign << 15) | (e & 0x7fff);
      r.mhi = W.w0;
      r.mlo = W.w1;
      return flags;
    }
    return flags | overflowResult(fcw, sign, p, r);
  }
  r.se = (sign << 15) | e;
  r.mhi = W.w0;
  r.mlo = W.w1;
  return flags;
}

/** Masked overflow response: infinity or the largest finite value of precision p. */
export function overflowResult(fcw: number, sign: number, p: number, r: F80): number {
  const rc = (fcw >> 10) & 3;
  const toInf = rc === RC_NEAREST || (rc === RC_UP && !sign) || (rc === RC_DOWN && sign);
  if (toInf) {
    r.se = (sign << 15) | 0x7fff;
    r.mhi = 0x80000000;
    r.mlo = 0;
    return F_OE | F_PE | F_C1;
  }
  r.se = (sign << 15) | 0x7ffe;
  setTopOnes(p, r);
  return F_OE | F_PE;
}

function setTopOnes(p: number, r: F80): void {
  if (p >= 64) {
    r.mhi = 0xffffffff;
    r.mlo = 0xffffffff;
  } else if (p > 32) {
    r.mhi = 0xffffffff;
    r.mlo = (0xffffffff << (64 - p)) >>> 0;
  } else {
    r.mhi = (0xffffffff << (32 - p)) >>> 0;
    r.mlo = 0;
  }
}

/** Load an Unpacked finite value into W (W2 = WS = 0). */
export function loadW(u: Unpacked): void {
  W.w0 = u.m0;
  W.w1 = u.m1;
  W.w2 = 0;
  W.ws = 0;
}

/**
 * Invalid-operation response: masked -> QNaN indefinite; unmasked -> no result.
 */
export function invalid(fcw: number, r: F80): number {
  if (!(fcw & F_IE)) return F_IE | F_NORESULT;
  setIndefinite(r);
  return F_IE;
}

/**
 * NaN propagation for two operands (at least one is a NaN, neither unsupported).
 * SNaN operands raise IE; unmasked IE gives no result.
 */
export function propagateNaN2(fcw: number, a: F80, ka: number, b: F80, kb: number, r: F80): number {
  const snan = ka === K_SNAN || kb === K_SNAN;
  if (snan && !(fcw & F_IE)) return F_IE | F_NORESULT;
  const aNaN = ka === K_QNAN || ka === K_SNAN;
  const bNaN = kb === K_QNAN || kb === K_SNAN;
  let pick: F80;
  let se: number;
  if (aNaN && bNaN) {
    if (ka === K_QNAN && kb === K_SNAN) pick = a;
    else if (kb === K_QNAN && ka === K_SNAN) pick = b;
    else {
      // larger significand; equal significands -> positive sign preferred
      const c = (a.mhi & 0x7fffffff) - (b.mhi & 0x7fffffff) || a.mlo - b.mlo;
      pick = c > 0 ? a : c < 0 ? b : a.se & b.se & 0x8000 ? a : (a.se & 0x8000 ? b : a);
    }
  } else pick = aNaN ? a : b;
  se = pick.se;
  r.se = se;
  r.mhi = (pick.mhi | 0x40000000) >>> 0;
  r.mlo = pick.mlo;
  return snan ? F_IE : 0;
}

/** NaN propagation for one operand. */
export function propagateNaN1(fcw: number, a: F80, ka: number, r: F80): number {
  if (ka === K_SNAN) {
    if (!(fcw & F_IE)) return F_IE | F_NORESULT;
    r.se = a.se;
    r.mhi = (a.mhi | 0x40000000) >>> 0;
    r.mlo = a.mlo;
    return F_IE;
  }
  r.se = a.se;
  r.mhi = a.mhi;
  r.mlo = a.mlo;
  return 0;
}

export function isNaNKind(k: number): boolean {
  return k === K_QNAN || k === K_SNAN;
}

/** Raise DE for a denormal operand; returns F_DE|F_NORESULT when unmasked, F_DE when masked. */
export function denormalFlag(fcw: number): number {
  return fcw & F_DE ? F_DE : F_DE | F_NORESULT;
}

/** DE for the operands when `den` (one is denormal): 0, F_DE when masked, F_DE|F_NORESULT when unmasked. */
export function denormals(fcw: number, den: boolean): number {
  return den ? denormalFlag(fcw) : 0;
}

/** Bit 31 of a screened status: the operation goes on, the bits below are its flags so far (a final status is >= 0). */
export const CONT = -0x80000000;

/** Screen one operand (unpacked into u): unsupported -> invalid, NaN -> propagated; else CONT. */
export function screen1(fcw: number, a: F80, u: Unpacked, r: F80): number {
  const k = unpack(a, u).k;
  if (k === K_UNSUPPORTED) return invalid(fcw, r);
  if (isNaNKind(k)) return propagateNaN1(fcw, a, k, r);
  return CONT;
}

/** screen1 for operations that leave a zero as it is (FSQRT, F2XM1, FRNDINT): ±0 is the result, status 0. */
export function screen1Zero(fcw: number, a: F80, u: Unpacked, r: F80): number {
  const s = screen1(fcw, a, u, r);
  if (s >= 0 || u.k !== K_ZERO) return s;
  setZero(r, u.sign);
  return 0;
}

/** Screen two operands (unpacked into ua, ub): unsupported -> invalid, NaN -> propagated; else CONT. */
export function screen2(fcw: number, a: F80, ua: Unpacked, b: F80, ub: Unpacked, r: F80): number {
  const ka = unpack(a, ua).k;
  const kb = unpack(b, ub).k;
  if (ka === K_UNSUPPORTED || kb === K_UNSUPPORTED) return invalid(fcw, r);
  if (isNaNKind(ka) || isNaNKind(kb)) return propagateNaN2(fcw, a, ka, b, kb, r);
  return CONT;
}

/** screen2, then DE for a denormal operand: the final status, or CONT | the DE flag (0 or F_DE). */
export function screen2De(fcw: number, a: F80, ua: Unpacked, b: F80, ub: Unpacked, r: F80): number {
  const s = screen2(fcw, a, ua, b, ub, r);
  if (s >= 0) return s;
  const f = denormals(fcw, ua.den || ub.den);
  return f & F_NORESULT ? f : f | CONT;
}
