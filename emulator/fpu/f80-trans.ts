// Transcendentals: F2XM1, FYL2X, FYL2XP1, FSIN, FCOS, FSINCOS, FPTAN, FPATAN.
//
// Accuracy: each result is computed with ~300-bit BigInt fixed-point series
// and then rounded once by FCW.RC to 64 bits (PC does not apply), so results
// are correctly rounded with respect to the function as the x87 defines it:
// FSIN/FCOS/FSINCOS/FPTAN reduce the argument with the 66-bit approximation of
// pi the x87 uses (pi66 = floor(pi * 2^64) / 2^64), which is what makes them
// agree with silicon for large arguments.  Real x87 silicon is NOT correctly
// rounded (it is within the SDM's 1-ulp claim), so results can differ from a
// given CPU by 1 ulp (and in the C1/PE details that follow from that); the
// tests measure that difference against this machine's vectors.  F2XM1 outside
// [-1, 1] and FYL2XP1 outside |x| < 1 - sqrt(2)/2 are undefined on the x87; we
// return the mathematically rounded value there.
import {
  type F80,
  Unpacked,
  W,
  roundPack,
  invalid,
  denormals,
  screen1,
  screen1Zero,
  screen2,
  screen2De,
  CONT,
  f80Copy,
  K_ZERO,
  K_INF,
  F_ZE,
  F_C2,
  F_NORESULT,
  BIAS,
  setZero,
  setOne,
  setInf,
} from './f80-core.ts';

const FRAC = 300n;
const ONE = 1n << FRAC;
const PI_F = 0x3243f6a8885a308d313198a2e03707344a4093822299f31d0082efa98ec4e6c89452821e638dn; // pi * 2^300
const LN2_F = 0xb17217f7d1cf79abc9e3b39803f2f6af40f343267298b62d8a0d175b8baafa2be7b876206den;
const LOG2E_F = 0x171547652b82fe1777d0ffda0d23a7d11d6aef551bad2b4b1164a2cd9a342648fbc3887eeaa2n;
/** floor(pi * 2^64): the 66-bit pi used by the x87 for argument reduction */
const P66 = 0x3243f6a8885a308d3n;

const UA = new Unpacked();
const UB = new Unpacked();

function mantOf(u: Unpacked): bigint {
  return (BigInt(u.m0) << 32n) | BigInt(u.m1);
}
/** exponent E such that |value| = mant * 2^E */
function expOf(u: Unpacked): number {
  return u.exp - BIAS - 63;
}
function bitLen(n: bigint): number {
  return n.toString(2).length;
}
function toFixed(m: bigint, e: number): bigint {
  const s = e + Number(FRAC);
  return s >= 0 ? m << BigInt(s) : m >> BigInt(-s);
}
function fmul(a: bigint, b: bigint): bigint {
  return (a * b) >> FRAC;
}

/**
 * Round |value| = mant * 2^e2 (mant > 0) to 64 bits and pack; `inexact`
 * marks an approximation (the true value lies strictly between mant and mant+1
 * in the last place, so it only feeds the sticky bit).
 */
function packBig(fcw: number, sign: number, mant: bigint, e2: number, inexact: boolean, r: F80): number {
  const L = bitLen(mant);
  let top: bigint;
  let sticky = inexact;
  if (L > 96) {
    const sh = BigInt(L - 96);
    top = mant >> sh;
    if (!sticky && (mant & ((1n << sh) - 1n)) !== 0n) sticky = true;
  } else top = mant << BigInt(96 - L);
  W.w0 = Number(top >> 64n) >>> 0;
  W.w1 = Number((top >> 32n) & 0xffffffffn) >>> 0;
  W.w2 = Number(top & 0xffffffffn) >>> 0;
  W.ws = sticky ? 1 : 0;
  const e = e2 + L - 1 + BIAS;
  return roundPack(fcw, sign, e, 64, r);
}


// ---------------------------------------------------------------- series

/**
 * sin(r)/r (odd = 1n) or cos(r) (odd = 0n) = sum (-1)^k r^2k/(2k+odd)!, r2 = r^2 fixed.
 * Strictly below ONE for r != 0.
 */
function trigSeries(r2: bigint, odd: bigint): bigint {
  let t = ONE, sum = ONE;
  for (let k = 1n; ; k++) {
    t = fmul(t, r2) / ((2n * k - 1n + odd) * (2n * k + odd));
    if (t === 0n) break;
    sum += k & 1n ? -t : t;
  }
  return sum === ONE ? ONE - 1n : sum;
}
const sinOverX = (r2: bigint): bigint => trigSeries(r2, 1n);
const cosF = (r2: bigint): bigint => trigSeries(r2, 0n);

/**
 * atanh(z)/z = sum z^2k/(2k+1) (alt false) or atan(z)/z = sum (-1)^k z^2k/(2k+1)
 * (alt true), z2 fixed; kept strictly off ONE (above for atanh, below for atan).
 */
function arcSeries(z2: bigint, alt: boolean): bigint {
  let p = ONE, sum = ONE;
  for (let k = 1n; ; k++) {
    p = fmul(p, z2);
    if (p === 0n) break;
    const t = p / (2n * k + 1n);
    sum += alt && k & 1n ? -t : t;
  }
  if (sum !== ONE) return sum;
  return alt ? ONE - 1n : ONE + 1n;
}
const atanhOverX = (z2: bigint): bigint => arcSeries(z2, false);
const atanOverX = (z2: bigint): bigint => arcSeries(z2, true);
/** (e^y - 1)/y = sum y^k/(k+1)!, y fixed (signed). */
function expm1OverX(y: bigint): bigint {
  let t = ONE, sum = ONE;
  for (let k = 2n; ; k++) {
    t = fmul(t, y) / k;
    if (t === 0n) break;
    sum += t;
  }
  if (sum === ONE) return y < 0n ? ONE - 1n : ONE + 1n;
  return sum;
}
function isqrtBig(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLen(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

// ---------------------------------------------------------------- trig

// reduced argument: |r| = RM * 2^RE with sign RS, quadrant Q (mod 4)
let RM = 0n, RE = 0, RS = 0, Q = 0;

/** Reduce x (finite, |x| < 2^63; a zero reduces to RM = 0) by pi66/2. */
function reduce(u: Unpacked): void {
  const M = mantOf(u);
  const E = expOf(u);
  RS = u.sign;
  // |x| < 0.75 < pi/4-ish region: only reduce when |x| >= pi/4
  if (E + 63 < -1 || (E + 63 === -1 && M <= 0xc90fdaa22168c234n)) {
    RM = M;
    RE = E;
    Q = 0;
    return;
  }
  const N = M << BigInt(E + 65); // |x| * 2^65, exact
  const k = (2n * N + P66) / (2n * P66);
  let rn = N - k * P66; // r * 2^65
  let q = Number(k & 3n);
  if (u.sign) q = (4 - q) & 3;
  if (rn < 0n) {
    rn = -rn;
    RS ^= 1;
  }
  RM = rn;
  RE = -65;
  Q = q;
}

// results of sincos on the reduced argument: sin = SM * 2^SE (sign SS); cos = C fixed (>0)
let SM = 0n, SE = 0, CF = 0n;
function sinCosReduced(): void {
  const rf = toFixed(RM, RE);
  const r2 = fmul(rf, rf);
  SM = RM * sinOverX(r2);
  SE = RE - Number(FRAC);
  CF = RM === 0n ? ONE : cosF(r2);
}

/**
 * Operand screening and argument reduction of FSIN/FCOS/FSINCOS/FPTAN: the
 * final status, or CONT | flags with the reduced operand (a zero reduces to RM = 0).
 * `second` (the other output of FSINCOS/FPTAN, or null) gets a copy of a NaN result.
 */
function trigScreen(fcw: number, a: F80, r: F80, second: F80 | null): number {
  let s = screen1(fcw, a, UA, r);
  if (s < 0 && UA.k === K_INF) s = invalid(fcw, r);
  if (s >= 0) {
    if (second && !(s & F_NORESULT)) f80Copy(second, r);
    return s;
  }
  if (UA.k !== K_ZERO && UA.exp - BIAS >= 63) return F_C2 | F_NORESULT;
  const f = denormals(fcw, UA.den);
  if (f & F_NORESULT) return f;
  reduce(UA);
  sinCosReduced();
  return f | CONT;
}

/**
 * Write sin or cos of the reduced argument (which: 0 = sin, 1 = cos) with quadrant
 * rotation.  RM = 0 only for a zero operand: sin = ±0 and cos = 1 exactly.
 */
function emitTrig(fcw: number, which: number, r: F80): number {
  const q = (Q + which) & 3; // cos(x) = sin(x + pi/2)
  const neg = q >= 2 ? 1 : 0;
  if (q & 1) return packBig(fcw, neg, CF, -Number(FRAC), RM !== 0n, r);
  if (RM === 0n) {
    setZero(r, RS ^ neg);
    return 0;
  }
  return packBig(fcw, RS ^ neg, SM, SE, true, r);
}

/** FSIN.  |x| >= 2^63: returns F_C2 | F_NORESULT (operand unchanged). */
export function f80Sin(fcw: number, a: F80, r: F80): number {
  const s = trigScreen(fcw, a, r, null);
  if (s >= 0) return s;
  return (s & ~CONT) | emitTrig(fcw, 0, r);
}

/** FCOS. */
export function f80Cos(fcw: number, a: F80, r: F80): number {
  const s = trigScreen(fcw, a, r, null);
  if (s >= 0) return s;
  return (s & ~CONT) | emitTrig(fcw, 1, r);
}

/**
 * FSINCOS: sin -> sinR (ends in ST(1)), cos -> cosR (pushed, ends in ST(0)).
 * Status ORs both roundings; C1 reports the rounding of the sine, as silicon does.
 * NaN/invalid: both outputs get the NaN.
 */
export function f80SinCos(fcw: number, a: F80, sinR: F80, cosR: F80): number {
  const s = trigScreen(fcw, a, sinR, cosR);
  if (s >= 0) return s;
  const fl = s & ~CONT;
  const f1 = emitTrig(fcw, 0, sinR);
  const f2 = emitTrig(fcw, 1, cosR);
  // C1 reflects the rounding of the sine (checked against silicon)
  return fl | ((f1 | f2) & ~0x200) | (f1 & 0x200);
}

/**
 * FPTAN: tan(x) into r (stored over ST(0)); `push` receives the value the
 * instruction then pushes: 1.0, or a copy of r when r is a NaN (masked invalid
 * or NaN operand), as the silicon does.  |x| >= 2^63: F_C2 | F_NORESULT.
 */
export function f80Tan(fcw: number, a: F80, r: F80, push: F80): number {
  setOne(push, 0);
  const s = trigScreen(fcw, a, r, push);
  if (s >= 0) return s;
  const fl = s & ~CONT;
  const K = 400;
  if (Q & 1) {
    // -cot(r) = -cos/sin
    const mant = (CF << BigInt(K)) / SM;
    return fl | packBig(fcw, RS ^ 1, mant, -Number(FRAC) - SE - K, true, r);
  }
  if (RM === 0n) {
    setZero(r, RS);
    return fl;
  }
  const mant = (SM << BigInt(K)) / CF;
  return fl | packBig(fcw, RS, mant, SE - K + Number(FRAC), true, r);
}

// ---------------------------------------------------------------- exp / log

/** F2XM1: 2^x - 1 (defined for -1 <= x <= 1). */
export function f80F2xm1(fcw: number, a: F80, r: F80): number {
  const s = screen1Zero(fcw, a, UA, r);
  if (s >= 0) return s;
  if (UA.k === K_INF) {
    if (UA.sign) setOne(r, 1);
    else setInf(r, 0);
    return 0;
  }
  const fl = denormals(fcw, UA.den);
  if (fl & F_NORESULT) return fl;
  const M = mantOf(UA);
  const E = expOf(UA);
  if (UA.exp - BIAS >= 0 && UA.exp - BIAS < 64 && (M & ((1n << BigInt(-E)) - 1n)) === 0n) {
    // integer x: exact 2^n - 1
    const n = Number(M >> BigInt(-E)) * (UA.sign ? -1 : 1);
    if (n >= 0 && n < 64) {
      const v = (1n << BigInt(n)) - 1n;
      return fl | (v === 0n ? (setZero(r, 0), 0) : packBig(fcw, 0, v, 0, false, r));
    }
    if (n < 0 && n > -64) {
      // 2^n - 1 = -(2^-n - 1) * 2^n
      const v = (1n << BigInt(-n)) - 1n;
      return fl | packBig(fcw, 1, v, n, false, r);
    }
  }
  if (UA.exp - BIAS >= 0) {
    // |x| > 1: outside the x87's defined domain; return the rounded 2^x - 1
    if (UA.sign) {
      if (UA.exp - BIAS >= 8) return fl | packBig(fcw, 1, ONE - 1n, -Number(FRAC), true, r);
    } else if (UA.exp - BIAS >= 15) {
      W.w0 = 0x80000000; W.w1 = 0; W.w2 = 0; W.ws = 1;
      return fl | roundPack(fcw, 0, 0x7fff + 0x8000, 64, r);
    }
    // x = n + f with integer n, |f| < 1: 2^x - 1 = 2^n * (expm1(f ln2) + 1) - 1
    const sh = BigInt(-E);
    let n = M >> sh;
    let fm = M & ((1n << sh) - 1n); // fraction * 2^-E
    if (UA.sign) { n = -n; fm = -fm; }
    const ff = toFixed(fm < 0n ? -fm : fm, E) * (fm < 0n ? -1n : 1n);
    const y = fmul(ff, LN2_F);
    const p2 = ONE + fmul(y, expm1OverX(y)); // 2^f, fixed
    const nn = Number(n);
    // 2^n * p2 - 1 in fixed point scaled by 2^(FRAC - min(n, 0))
    const sc = nn < 0 ? -nn : 0;
    const v = (nn >= 0 ? p2 << BigInt(nn) : p2) - (ONE << BigInt(sc));
    const neg = v < 0n ? 1 : 0;
    return fl | packBig(fcw, neg, neg ? -v : v, -Number(FRAC) - sc, true, r);
  }
  // y = x ln2 (signed fixed), result = x * ln2 * expm1(y)/y
  const xf = toFixed(M, E) * (UA.sign ? -1n : 1n);
  const y = fmul(xf, LN2_F);
  const g = expm1OverX(y); // > 0
  const mant = M * LN2_F * g;
  return fl | packBig(fcw, UA.sign, mant, E - 2 * Number(FRAC), true, r);
}

/**
 * ex + log2(v / one) as fixed point, for one <= v < 2 one: with m = v / one
 * taken into [sqrt2/2, sqrt2], ln(m) = 2 atanh((m - 1)/(m + 1)).
 */
function log2Norm(ex: number, v: bigint, one: bigint): bigint {
  let num: bigint, den: bigint;
  if (v * v > one * one * 2n) {
    ex += 1;
    num = v - 2n * one;
    den = v + 2n * one;
  } else {
    num = v - one;
    den = v + one;
  }
  const z = (num << FRAC) / den;
  const z2 = fmul(z, z);
  const lnm = 2n * fmul(z, atanhOverX(z2));
  return BigInt(ex) * ONE + fmul(lnm, LOG2E_F);
}

/** log2 of a finite positive value: fixed point (signed), or exact integer when a power of two. */
let LOG_EXACT = false;
function log2Fixed(u: Unpacked): bigint {
  const M = mantOf(u);
  const ex = u.exp - BIAS;
  LOG_EXACT = M === 1n << 63n;
  if (LOG_EXACT) return BigInt(ex) * ONE;
  return log2Norm(ex, M, 1n << 63n);
}

/** FYL2X: y * log2(x), x = ST(0), y = ST(1); the caller pops and stores into the new ST(0). */
export function f80Yl2x(fcw: number, x: F80, y: F80, r: F80): number {
  const s = screen2(fcw, x, UA, y, UB, r);
  if (s >= 0) return s;
  const kx = UA.k, ky = UB.k;
  if (UA.sign && kx !== K_ZERO) return invalid(fcw, r);
  if (kx === K_ZERO) {
    // like division by zero: ZE only, a denormal y does not add DE
    if (ky === K_ZERO) return invalid(fcw, r);
    if (ky === K_INF) {
      setInf(r, UB.sign ^ 1);
      return 0;
    }
    if (!(fcw & F_ZE)) return F_ZE | F_NORESULT;
    setInf(r, UB.sign ^ 1);
    return F_ZE;
  }
  const fl = denormals(fcw, UA.den || UB.den);
  if (fl & F_NORESULT) return fl;
  if (kx === K_INF) {
    if (ky === K_ZERO) return invalid(fcw, r);
    setInf(r, UB.sign);
    return fl;
  }
  // x finite positive
  const isOne = UA.exp === BIAS && UA.m0 === 0x80000000 && UA.m1 === 0;
  if (ky === K_INF) {
    if (isOne) return invalid(fcw, r);
    setInf(r, UB.sign ^ (UA.exp < BIAS ? 1 : 0));
    return fl;
  }
  const L = log2Fixed(UA);
  if (ky === K_ZERO || L === 0n) {
    setZero(r, UB.sign ^ (L < 0n ? 1 : 0));
    return fl;
  }
  return fl | timesLog2(fcw, L, r);
}

/** y (finite, in UB) times the fixed-point log2 L, rounded into r (exact when LOG_EXACT). */
function timesLog2(fcw: number, L: bigint, r: F80): number {
  const lneg = L < 0n ? 1 : 0;
  const aL = lneg ? -L : L;
  return packBig(fcw, UB.sign ^ lneg, mantOf(UB) * aL, expOf(UB) - Number(FRAC), !LOG_EXACT, r);
}

/** FYL2XP1: y * log2(x + 1), x = ST(0), y = ST(1). */
export function f80Yl2xp1(fcw: number, x: F80, y: F80, r: F80): number {
  const s = screen2De(fcw, x, UA, y, UB, r);
  if (s >= 0) return s;
  const fl = s & ~CONT;
  const kx = UA.k, ky = UB.k;
  if (kx === K_INF) {
    if (UA.sign || ky === K_ZERO) return invalid(fcw, r);
    setInf(r, UB.sign);
    return fl;
  }
  if (kx === K_ZERO) {
    if (ky === K_INF) return invalid(fcw, r);
    setZero(r, UA.sign ^ UB.sign);
    return fl;
  }
  // x finite nonzero; 1 + x must be > 0
  const Mx = mantOf(UA);
  const Ex = expOf(UA);
  if (UA.sign && UA.exp - BIAS >= 0) {
    // x <= -1
    if (UA.exp === BIAS && Mx === 1n << 63n) {
      if (ky === K_ZERO) return invalid(fcw, r);
      if (!(fcw & F_ZE)) return F_ZE | F_NORESULT;
      setInf(r, UB.sign ^ 1);
      return fl | F_ZE;
    }
    return invalid(fcw, r);
  }
  if (ky === K_INF) {
    setInf(r, UB.sign ^ UA.sign);
    return fl;
  }
  if (ky === K_ZERO) {
    setZero(r, UA.sign ^ UB.sign);
    return fl;
  }
  if (Ex >= -64) {
    // moderate x: log2(1+x) via the general path on 1+x computed exactly
    // 1 + x = (2^-Ex + sx*Mx) * 2^Ex  (Ex < 0 here since |x| < 1 or x > 0 large)
    let L: bigint;
    if (Ex >= 0) {
      const v = Mx * (1n << BigInt(Ex)) + 1n;
      L = log2OfInt(v, 0);
    } else {
      const v = (1n << BigInt(-Ex)) + (UA.sign ? -Mx : Mx);
      L = log2OfInt(v, Ex);
    }
    return fl | timesLog2(fcw, L, r);
  }
  // tiny x: ln(1+x) = 2 atanh(x / (2 + x)), z = Mx / (2^(1-Ex) +- Mx)
  const My = mantOf(UB);
  const Ey = expOf(UB);
  const den = (1n << BigInt(1 - Ex)) + (UA.sign ? -Mx : Mx);
  const K = 1 - Ex + 260;
  const Zq = (Mx << BigInt(K)) / den; // z = Zq * 2^-K
  const z2 = (Zq * Zq) >> BigInt(2 * K - Number(FRAC));
  const t = atanhOverX(z2);
  const mant = My * Zq * t * LOG2E_F * 2n;
  return fl | packBig(fcw, UB.sign ^ UA.sign, mant, Ey - K - 2 * Number(FRAC), true, r);
}

/** log2(v * 2^e) for a positive BigInt v, fixed point; sets LOG_EXACT. */
function log2OfInt(v: bigint, e: number): bigint {
  const L = bitLen(v);
  // normalize to 64-bit mantissa (rounding would lose exactness: use a wide unpacked value)
  const extra = L - 64;
  if (extra <= 0) {
    const m = v << BigInt(-extra);
    const u = tmpU;
    u.m0 = Number(m >> 32n) >>> 0;
    u.m1 = Number(m & 0xffffffffn) >>> 0;
    u.exp = e + L - 1 + BIAS;
    return log2Fixed(u);
  }
  // wider than 64 bits: compute directly in fixed point
  LOG_EXACT = false;
  return log2Norm(e + L - 1, v, 1n << BigInt(L - 1));
}
const tmpU = new Unpacked();

// ---------------------------------------------------------------- atan

/** atan(z) fixed for 0 <= z <= 1 given as fixed point. */
function atanFixed(z: bigint): bigint {
  let h = 0n;
  while (z > ONE / 4n) {
    // atan(z) = 2 atan(z / (1 + sqrt(1 + z^2)))
    const s = isqrtBig((ONE + fmul(z, z)) << FRAC);
    z = (z << FRAC) / (ONE + s);
    h++;
  }
  return fmul(z, atanOverX(fmul(z, z))) << h;
}

/** FPATAN: atan2(y, x) with y = ST(1), x = ST(0); the caller pops and stores into the new ST(0). */
export function f80Patan(fcw: number, x: F80, y: F80, r: F80): number {
  const s = screen2De(fcw, x, UA, y, UB, r);
  if (s >= 0) return s;
  const fl = s & ~CONT;
  const kx = UA.k, ky = UB.k;
  const sy = UB.sign;
  const xneg = UA.sign;
  const PI2 = PI_F >> 1n;
  let t: bigint; // fixed result magnitude, or use relative path
  if (ky === K_ZERO) {
    if (!xneg) {
      setZero(r, sy);
      return fl;
    }
    t = PI_F;
  } else if (ky === K_INF) {
    if (kx === K_INF) t = xneg ? PI_F - (PI_F >> 2n) : PI_F >> 2n;
    else t = PI2;
  } else if (kx === K_ZERO) {
    t = PI2;
  } else if (kx === K_INF) {
    if (!xneg) {
      setZero(r, sy);
      return fl;
    }
    t = PI_F;
  } else {
    const Mx = mantOf(UA), Ex = expOf(UA);
    const My = mantOf(UB), Ey = expOf(UB);
    const yLeX = Ey + bitLen(My) < Ex + bitLen(Mx) || (Ey === Ex && My <= Mx);
    if (yLeX) {
      // z = |y| / |x| <= 1
      const K = 400;
      const Zq = (My << BigInt(K)) / Mx; // z = Zq * 2^(Ey - Ex - K)
      const ze = Ey - Ex - K;
      const zf = toFixed(Zq, ze);
      if (!xneg) {
        if (zf < ONE >> 8n) {
          // small z: keep relative precision
          const mant = Zq * atanOverX(fmul(zf, zf));
          return fl | packBig(fcw, sy, mant, ze - Number(FRAC), true, r);
        }
        t = atanFixed(zf);
      } else t = PI_F - atanFixed(zf);
    } else {
      const K = 400;
      const Zq = (Mx << BigInt(K)) / My;
      const zf = toFixed(Zq, Ex - Ey - K);
      const a = atanFixed(zf);
      t = xneg ? PI2 + a : PI2 - a;
    }
  }
  return fl | packBig(fcw, sy, t, -Number(FRAC), true, r);
}
