// Conversions: FLD m32/m64, FST(P) m32/m64, FILD, FIST(P)/FISTTP, FBLD/FBSTP,
// and the FLDxx constants.
//
// Memory images are returned in an F80 used as a 10-byte little-endian image:
// r.mlo = bytes 0-3, r.mhi = bytes 4-7, r.se = bytes 8-9.  So an m32 result is
// r.mlo, an m64/int64 result is r.mhi:r.mlo, an int16 result is r.mlo & 0xffff,
// and a packed-BCD image uses all 10 bytes (f80Write() stores any of them).
import {
  type F80,
  Unpacked,
  unpack,
  normalizeU,
  W,
  shiftRightJam,
  roundLow,
  roundToP,
  K_ZERO,
  K_INF,
  K_QNAN,
  K_SNAN,
  K_UNSUPPORTED,
  F_IE,
  F_DE,
  F_OE,
  F_UE,
  F_PE,
  F_C1,
  F_NORESULT,
  RC_NEAREST,
  RC_UP,
  RC_DOWN,
  RC_ZERO,
  BIAS,
} from './f80-core.ts';

const U = new Unpacked();

function setImage(r: F80, se: number, hi: number, lo: number): void {
  r.se = se;
  r.mhi = hi >>> 0;
  r.mlo = lo >>> 0;
}

// ------------------------------------------------------------------ loads

/**
 * FLD m32: exact.  SNaN -> IE (masked: quieted; unmasked: no result, nothing
 * pushed).  Denormal -> DE (the value is still loaded, even when DE is unmasked).
 */
export function f80FromF32(fcw: number, bits: number, r: F80): number {
  const sign = (bits >>> 31) & 1;
  const e = (bits >>> 23) & 0xff;
  const frac = bits & 0x7fffff;
  if (e === 0xff) {
    if (frac === 0) {
      setImage(r, (sign << 15) | 0x7fff, 0x80000000, 0);
      return 0;
    }
    const snan = !(frac & 0x400000);
    if (fcw < 0) {
      // raw operand conversion for arithmetic (f80-memop): keep the SNaN signalling
      setImage(r, (sign << 15) | 0x7fff, 0x80000000 | (frac << 8), 0);
      return 0;
    }
    if (snan && !(fcw & F_IE)) return F_IE | F_NORESULT;
    setImage(r, (sign << 15) | 0x7fff, 0xc0000000 | (frac << 8), 0);
    return snan ? F_IE : 0;
  }
  if (e === 0) {
    if (frac === 0) {
      setImage(r, sign << 15, 0, 0);
      return 0;
    }
    U.sign = sign;
    U.exp = BIAS - 126;
    U.m0 = frac << 8;
    U.m1 = 0;
    normalizeU(U);
    setImage(r, (sign << 15) | U.exp, U.m0, 0);
    return F_DE;
  }
  setImage(r, (sign << 15) | (e - 127 + BIAS), 0x80000000 | (frac << 8), 0);
  return 0;
}

/** FLD m64 (hi:lo are the two 32-bit halves of the bit pattern).  Same rules as f80FromF32. */
export function f80FromF64(fcw: number, hi: number, lo: number, r: F80): number {
  const sign = (hi >>> 31) & 1;
  const e = (hi >>> 20) & 0x7ff;
  const fhi = hi & 0xfffff;
  lo >>>= 0;
  const m0 = (fhi << 11) | (lo >>> 21);
  const m1 = (lo << 11) >>> 0;
  if (e === 0x7ff) {
    if ((fhi | lo) === 0) {
      setImage(r, (sign << 15) | 0x7fff, 0x80000000, 0);
      return 0;
    }
    const snan = !(fhi & 0x80000);
    if (fcw < 0) {
      setImage(r, (sign << 15) | 0x7fff, 0x80000000 | m0, m1);
      return 0;
    }
    if (snan && !(fcw & F_IE)) return F_IE | F_NORESULT;
    setImage(r, (sign << 15) | 0x7fff, 0xc0000000 | m0, m1);
    return snan ? F_IE : 0;
  }
  if (e === 0) {
    if ((fhi | lo) === 0) {
      setImage(r, sign << 15, 0, 0);
      return 0;
    }
    U.sign = sign;
    U.exp = BIAS - 1022;
    U.m0 = m0 >>> 0;
    U.m1 = m1;
    normalizeU(U);
    setImage(r, (sign << 15) | U.exp, U.m0, U.m1);
    return F_DE;
  }
  setImage(r, (sign << 15) | (e - 1023 + BIAS), 0x80000000 | m0, m1);
  return 0;
}

/** FILD m16/m32: v is the sign-extended integer (any int32).  Exact, no exceptions. */
export function f80FromInt32(v: number, r: F80): number {
  v |= 0;
  if (v === 0) {
    setImage(r, 0, 0, 0);
    return 0;
  }
  const sign = v < 0 ? 1 : 0;
  const mag = sign ? -v >>> 0 : v;
  const z = Math.clz32(mag);
  setImage(r, (sign << 15) | (BIAS + 31 - z), (mag << z) >>> 0, 0);
  return 0;
}

/** FILD m64: hi:lo two's-complement halves.  Exact, no exceptions. */
export function f80FromInt64(lo: number, hi: number, r: F80): number {
  lo >>>= 0;
  hi >>>= 0;
  if ((lo | hi) === 0) {
    setImage(r, 0, 0, 0);
    return 0;
  }
  const sign = hi >>> 31;
  if (sign) {
    // negate
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  U.sign = sign;
  U.exp = BIAS + 63;
  U.m0 = hi;
  U.m1 = lo;
  normalizeU(U);
  setImage(r, (sign << 15) | U.exp, U.m0, U.m1);
  return 0;
}

/** FBLD: the 10-byte packed BCD image (as an F80 image) to an exact value.  No exceptions. */
export function f80FromBcd(bcd: F80, r: F80): number {
  const sign = (bcd.se >>> 15) & 1;
  let v = 0n;
  const hiByte = bcd.se & 0xff;
  const digits = [hiByte >>> 4, hiByte & 15];
  for (let i = 28; i >= 0; i -= 4) digits.push((bcd.mhi >>> i) & 15);
  for (let i = 28; i >= 0; i -= 4) digits.push((bcd.mlo >>> i) & 15);
  for (const d of digits) v = v * 10n + BigInt(d);
  if (v === 0n) {
    setImage(r, sign << 15, 0, 0);
    return 0;
  }
  U.sign = sign;
  U.exp = BIAS + 63;
  U.m0 = Number(v >> 32n) >>> 0;
  U.m1 = Number(v & 0xffffffffn) >>> 0;
  normalizeU(U);
  setImage(r, (sign << 15) | U.exp, U.m0, U.m1);
  return 0;
}

// ------------------------------------------------------------------ stores

/**
 * Round a finite nonzero value (in U) to a binary format with p significand
 * bits and exponent bias `tb` (max biased exponent `emax`).  Leaves the packed
 * pieces in W (significand aligned at the top) and returns the target biased
 * exponent field minus one for normal results, or -1 for denormal/zero results
 * (the integer bit of W then lands on the exponent LSB).  Status in lastFlags.
 */
let lastFlags = 0;
function roundToFormat(fcw: number, p: number, tb: number, emax: number): number {
  const rc = (fcw >> 10) & 3;
  const sign = U.sign;
  let te = U.exp - BIAS + tb;
  W.w0 = U.m0;
  W.w1 = U.m1;
  W.w2 = 0;
  W.ws = 0;
  lastFlags = 0;
  if (te < 1) {
    let tiny = true;
    if (te === 0) {
      const s0 = W.w0, s1 = W.w1;
      if (roundToP(p, rc, sign, 0)) tiny = false;
      W.w0 = s0; W.w1 = s1; W.w2 = 0; W.ws = 0;
    }
    if (tiny) {
      if (!(fcw & F_UE)) {
        lastFlags = F_UE | F_NORESULT;
        return 0;
      }
      roundToP(p, rc, sign, 1 - te);
      if (W.inexact) lastFlags |= F_PE | F_UE;
      if (W.up) lastFlags |= F_C1;
      return -1;
    }
  }
  te += roundToP(p, rc, sign, 0);
  if (W.inexact) lastFlags |= F_PE;
  if (W.up) lastFlags |= F_C1;
  if (te >= emax) {
    if (!(fcw & F_OE)) {
      lastFlags = F_OE | F_NORESULT;
      return 0;
    }
    const toInf = rc === RC_NEAREST || (rc === RC_UP && !sign) || (rc === RC_DOWN && sign);
    lastFlags = F_OE | F_PE | (toInf ? F_C1 : 0);
    if (toInf) return -2;
    // largest finite
    W.w0 = 0xffffffff;
    W.w1 = 0xffffffff;
    return emax - 2;
  }
  return te - 1;
}

/**
 * FST/FSTP m32: rounded by FCW.RC (PC not applied).  Returns status; the
 * image is r.mlo.  Unmasked IE/OE/UE: F_NORESULT (memory not written).
 */
export function f80ToF32(fcw: number, a: F80, r: F80): number {
  unpack(a, U);
  const s31 = (U.sign << 31) >>> 0;
  switch (U.k) {
    case K_ZERO:
      setImage(r, 0, 0, s31);
      return 0;
    case K_INF:
      setImage(r, 0, 0, s31 | 0x7f800000);
      return 0;
    case K_UNSUPPORTED:
      if (!(fcw & F_IE)) return F_IE | F_NORESULT;
      setImage(r, 0, 0, 0xffc00000);
      return F_IE;
    case K_QNAN:
    case K_SNAN:
      if (U.k === K_SNAN && !(fcw & F_IE)) return F_IE | F_NORESULT;
      setImage(r, 0, 0, s31 | 0x7fc00000 | ((a.mhi >>> 8) & 0x3fffff));
      return U.k === K_SNAN ? F_IE : 0;
  }
  const ef = roundToFormat(fcw, 24, 127, 0xff);
  if (lastFlags & F_NORESULT) return lastFlags;
  let bits: number;
  if (ef === -2) bits = s31 | 0x7f800000;
  else if (ef === -1) bits = s31 | (W.w0 >>> 8);
  else bits = s31 | ((ef << 23) + (W.w0 >>> 8));
  setImage(r, 0, 0, bits);
  return lastFlags;
}

/** FST/FSTP m64: as f80ToF32; the image is r.mhi:r.mlo. */
export function f80ToF64(fcw: number, a: F80, r: F80): number {
  unpack(a, U);
  const s31 = (U.sign << 31) >>> 0;
  switch (U.k) {
    case K_ZERO:
      setImage(r, 0, s31, 0);
      return 0;
    case K_INF:
      setImage(r, 0, s31 | 0x7ff00000, 0);
      return 0;
    case K_UNSUPPORTED:
      if (!(fcw & F_IE)) return F_IE | F_NORESULT;
      setImage(r, 0, 0xfff80000, 0);
      return F_IE;
    case K_QNAN:
    case K_SNAN:
      if (U.k === K_SNAN && !(fcw & F_IE)) return F_IE | F_NORESULT;
      setImage(r, 0, s31 | 0x7ff80000 | ((a.mhi >>> 11) & 0x7ffff), ((a.mhi << 21) | (a.mlo >>> 11)) >>> 0);
      return U.k === K_SNAN ? F_IE : 0;
  }
  const ef = roundToFormat(fcw, 53, 1023, 0x7ff);
  if (lastFlags & F_NORESULT) return lastFlags;
  const lo = ((W.w0 << 21) | (W.w1 >>> 11)) >>> 0;
  let hi: number;
  if (ef === -2) {
    setImage(r, 0, s31 | 0x7ff00000, 0);
    return lastFlags;
  }
  if (ef === -1) hi = s31 | (W.w0 >>> 11);
  else hi = s31 | ((ef << 20) + (W.w0 >>> 11));
  setImage(r, 0, hi, lo);
  return lastFlags;
}

/**
 * Round a finite value in U to an integer using rc; the magnitude ends up in
 * W.w0:W.w1.  Returns false if the magnitude does not fit in 64 bits.
 */
function roundToInteger(rc: number): boolean {
  const ue = U.exp - BIAS; // value = m * 2^(ue - 63)
  if (ue > 63) return false;
  W.w0 = U.m0;
  W.w1 = U.m1;
  W.w2 = 0;
  W.ws = 0;
  shiftRightJam(63 - ue);
  return roundLow(rc, U.sign) === 0;
}

/**
 * FIST/FISTP (truncate = false: FCW.RC) and FISTTP (truncate = true) to a
 * `size`-bit integer (16, 32 or 64).  Image in r.mhi:r.mlo (two's complement;
 * int16/int32 in the low bits of r.mlo, upper bits zero).  NaN, infinity,
 * unsupported or out of range -> IE; masked response is the integer
 * indefinite (0x8000...), unmasked gives F_NORESULT.  PE when inexact, C1 when
 * the magnitude was rounded up.
 */
export function f80ToInt(fcw: number, a: F80, size: 16 | 32 | 64, truncate: boolean, r: F80): number {
  unpack(a, U);
  if (U.k === K_ZERO) {
    setImage(r, 0, 0, 0);
    return 0;
  }
  if (U.k !== K_INF && U.k !== K_QNAN && U.k !== K_SNAN && U.k !== K_UNSUPPORTED) {
    const rc = truncate ? RC_ZERO : (fcw >> 10) & 3;
    if (roundToInteger(rc)) {
      const hi = W.w0, lo = W.w1;
      let ok: boolean;
      if (size === 64) ok = hi < 0x80000000 || (U.sign === 1 && hi === 0x80000000 && lo === 0);
      else if (size === 32) ok = hi === 0 && (lo < 0x80000000 || (U.sign === 1 && lo === 0x80000000));
      else ok = hi === 0 && (lo < 0x8000 || (U.sign === 1 && lo === 0x8000));
      if (ok) {
        let flags = 0;
        if (W.inexact) flags |= F_PE;
        if (W.up) flags |= F_C1;
        let rl = lo, rh = hi;
        if (U.sign) {
          rl = (~lo + 1) >>> 0;
          rh = (~hi + (rl === 0 ? 1 : 0)) >>> 0;
        }
        if (size === 16) setImage(r, 0, 0, rl & 0xffff);
        else if (size === 32) setImage(r, 0, 0, rl);
        else setImage(r, 0, rh, rl);
        return flags;
      }
    }
  }
  if (!(fcw & F_IE)) return F_IE | F_NORESULT;
  if (size === 16) setImage(r, 0, 0, 0x8000);
  else if (size === 32) setImage(r, 0, 0, 0x80000000);
  else setImage(r, 0, 0x80000000, 0);
  return F_IE;
}

/**
 * FBSTP: round by FCW.RC to an integer and store as 18-digit packed BCD (10
 * byte image in r).  |value| > 999999999999999999, NaN, infinity or
 * unsupported -> IE; masked response is the BCD indefinite (FFFF C000 0000
 * 0000 0000), unmasked gives F_NORESULT.
 */
export function f80ToBcd(fcw: number, a: F80, r: F80): number {
  unpack(a, U);
  if (U.k === K_ZERO) {
    setImage(r, U.sign << 15, 0, 0);
    return 0;
  }
  if (U.k !== K_INF && U.k !== K_QNAN && U.k !== K_SNAN && U.k !== K_UNSUPPORTED) {
    if (roundToInteger((fcw >> 10) & 3)) {
      const v = (BigInt(W.w0) << 32n) | BigInt(W.w1);
      if (v <= 999999999999999999n) {
        let flags = 0;
        if (W.inexact) flags |= F_PE;
        if (W.up) flags |= F_C1;
        let lo = 0, hi = 0, top = 0;
        let t = v;
        for (let i = 0; i < 18; i++) {
          const d = Number(t % 10n);
          t /= 10n;
          if (i < 8) lo |= d << (4 * i);
          else if (i < 16) hi |= d << (4 * (i - 8));
          else top |= d << (4 * (i - 16));
        }
        setImage(r, (U.sign << 15) | top, hi, lo);
        return flags;
      }
    }
  }
  if (!(fcw & F_IE)) return F_IE | F_NORESULT;
  setImage(r, 0xffff, 0xc0000000, 0);
  return F_IE;
}

// ------------------------------------------------------------------ constants

export const CONST_1 = 0;
export const CONST_L2T = 1;
export const CONST_L2E = 2;
export const CONST_PI = 3;
export const CONST_LG2 = 4;
export const CONST_LN2 = 5;
export const CONST_Z = 6;

// se, then the first 96 bits of the exact significand (all of these are irrational: sticky beyond).
const CONSTS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0x3fff, 0x80000000, 0x00000000, 0x00000000],
  [0x4000, 0xd49a784b, 0xcd1b8afe, 0x492bf6ff], // log2(10)
  [0x3fff, 0xb8aa3b29, 0x5c17f0bb, 0xbe87fed0], // log2(e)
  [0x4000, 0xc90fdaa2, 0x2168c234, 0xc4c6628b], // pi
  [0x3ffd, 0x9a209a84, 0xfbcff798, 0x8f8959ac], // log10(2)
  [0x3ffe, 0xb17217f7, 0xd1cf79ab, 0xc9e3b398], // ln(2)
  [0x0000, 0, 0, 0],
];

/**
 * FLD1/FLDL2T/FLDL2E/FLDPI/FLDLG2/FLDLN2/FLDZ.  The constant is rounded to 64
 * bits by FCW.RC (PC does not apply).  No exception flags and no C1: the x87
 * reports neither for constant loads.
 */
export function f80Const(fcw: number, which: number, r: F80): number {
  const c = CONSTS[which];
  if (!c) throw new RangeError(`f80Const: bad constant ${which}`);
  W.w0 = c[1];
  W.w1 = c[2];
  W.w2 = c[3];
  W.ws = which === CONST_1 || which === CONST_Z ? 0 : 1;
  const carry = roundLow((fcw >> 10) & 3, 0);
  setImage(r, c[0] + carry, carry ? 0x80000000 : W.w0, W.w1);
  return 0;
}
