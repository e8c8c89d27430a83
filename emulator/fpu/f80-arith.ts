// Basic arithmetic on 80-bit values: FADD/FSUB/FMUL/FDIV (and reversed forms
// via argument order), FSQRT.  No BigInt except in sqrt.
import {
  type F80,
  Unpacked,
  W,
  shiftRightJam,
  shiftLeft,
  clzW,
  roundPack,
  pcBits,
  invalid,
  denormals,
  screen1Zero,
  screen2,
  screen2De,
  CONT,
  K_ZERO,
  K_INF,
  F_ZE,
  F_NORESULT,
  RC_DOWN,
  BIAS,
  setZero,
  setInf,
} from './f80-core.ts';

const UA = new Unpacked();
const UB = new Unpacked();

/** a + b (negB = 1: a - b).  Result to r; returns status bits. */
export function f80Add(fcw: number, a: F80, b: F80, r: F80): number {
  return addSub(fcw, a, b, 0, r);
}
/** a - b.  FSUBR st0,st(i) = f80Sub(fcw, st(i), st0). */
export function f80Sub(fcw: number, a: F80, b: F80, r: F80): number {
  return addSub(fcw, a, b, 1, r);
}

function addSub(fcw: number, a: F80, b: F80, negB: number, r: F80): number {
  const s = screen2De(fcw, a, UA, b, UB, r);
  if (s >= 0) return s;
  const flags = s & ~CONT;
  UB.sign ^= negB;
  const rc = (fcw >> 10) & 3;
  if (UA.k === K_INF || UB.k === K_INF) {
    if (UA.k === K_INF && UB.k === K_INF && UA.sign !== UB.sign) return flags | invalid(fcw, r);
    setInf(r, UA.k === K_INF ? UA.sign : UB.sign);
    return flags;
  }
  if (UA.k === K_ZERO && UB.k === K_ZERO) {
    setZero(r, UA.sign === UB.sign ? UA.sign : rc === RC_DOWN ? 1 : 0);
    return flags;
  }
  const p = pcBits(fcw);
  if (UA.k === K_ZERO || UB.k === K_ZERO) {
    const u = UA.k === K_ZERO ? UB : UA;
    W.w0 = u.m0; W.w1 = u.m1; W.w2 = 0; W.ws = 0;
    return flags | roundPack(fcw, u.sign, u.exp, p, r);
  }
  // order by magnitude exponent
  let x = UA, y = UB;
  if (y.exp > x.exp) { x = UB; y = UA; }
  const d = x.exp - y.exp;
  // y shifted into W
  W.w0 = y.m0; W.w1 = y.m1; W.w2 = 0; W.ws = 0;
  shiftRightJam(d);
  let e = x.exp;
  let sign = x.sign;
  if (x.sign === y.sign) {
    let t = W.w1 + x.m1;
    W.w1 = t >>> 0;
    t = W.w0 + x.m0 + (t > 0xffffffff ? 1 : 0);
    W.w0 = t >>> 0;
    if (t > 0xffffffff) {
      shiftRightJam(1);
      W.w0 = (W.w0 | 0x80000000) >>> 0;
      e++;
    }
  } else {
    // x - y (|x| may still be < |y| when d == 0)
    let g0 = x.m0, g1 = x.m1, g2 = 0;
    let h0 = W.w0, h1 = W.w1, h2 = W.w2;
    if (W.ws) {
      // x - (y + eps) = (x - y - 1ulp96) + (1ulp96 - eps)
      h2 += 1;
    }
    if (d === 0 && (h0 > g0 || (h0 === g0 && h1 > g1))) {
      const t0 = g0, t1 = g1;
      g0 = h0; g1 = h1; g2 = 0;
      h0 = t0; h1 = t1; h2 = 0;
      sign = y.sign;
    }
    let t = g2 - h2;
    let borrow = t < 0 ? 1 : 0;
    W.w2 = (t + (borrow ? 0x100000000 : 0)) >>> 0;
    t = g1 - h1 - borrow;
    borrow = t < 0 ? 1 : 0;
    W.w1 = (t + (borrow ? 0x100000000 : 0)) >>> 0;
    W.w0 = (g0 - h0 - borrow) >>> 0;
    if ((W.w0 | W.w1 | W.w2) === 0 && !W.ws) {
      setZero(r, rc === RC_DOWN ? 1 : 0);
      return flags;
    }
    const z = clzW();
    if (z) {
      shiftLeft(z);
      e -= z;
    }
  }
  return flags | roundPack(fcw, sign, e, p, r);
}

// 32x32 -> 64 multiply, result in MH:ML
let MH = 0;
let ML = 0;
function mul32(a: number, b: number): void {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const mid = al * bh + ah * bl; // < 2^33
  const midLo = mid % 65536;
  const midHi = (mid - midLo) / 65536;
  const lo = al * bl + midLo * 65536; // < 2^33
  ML = lo >>> 0;
  MH = ah * bh + midHi + (lo - ML) / 4294967296;
}

/** a * b. */
export function f80Mul(fcw: number, a: F80, b: F80, r: F80): number {
  const s = screen2(fcw, a, UA, b, UB, r);
  if (s >= 0) return s;
  const sign = UA.sign ^ UB.sign;
  if ((UA.k === K_INF && UB.k === K_ZERO) || (UA.k === K_ZERO && UB.k === K_INF)) return invalid(fcw, r);
  const flags = denormals(fcw, UA.den || UB.den);
  if (flags & F_NORESULT) return flags;
  if (UA.k === K_INF || UB.k === K_INF) {
    setInf(r, sign);
    return flags;
  }
  if (UA.k === K_ZERO || UB.k === K_ZERO) {
    setZero(r, sign);
    return flags;
  }
  mulSig(UA.m0, UA.m1, UB.m0, UB.m1);
  let e = UA.exp + UB.exp - BIAS + 1;
  if (!(W.w0 & 0x80000000)) {
    shiftLeft(1);
    e--;
  }
  return flags | roundPack(fcw, sign, e, pcBits(fcw), r);
}

/** 64x64 -> 128 product into W (top 96 bits) + sticky. */
export function mulSig(a0: number, a1: number, b0: number, b1: number): void {
  mul32(a1, b1);
  const p0 = ML; // bits 0..31
  let c1 = MH; // into bits 32..
  mul32(a1, b0);
  let c1b = ML, c2 = MH;
  mul32(a0, b1);
  c1b += ML;
  c2 += MH;
  mul32(a0, b0);
  let c2b = ML, c3 = MH;
  // limb 1
  let t = c1 + c1b; // < 3*2^32
  const l1 = t % 4294967296;
  let carry = (t - l1) / 4294967296;
  t = c2 + c2b + carry;
  const l2 = t % 4294967296;
  carry = (t - l2) / 4294967296;
  const l3 = c3 + carry;
  W.w0 = l3 >>> 0;
  W.w1 = l2 >>> 0;
  W.w2 = l1 >>> 0;
  W.ws = p0 !== 0 ? 1 : 0;
}

/** a / b. */
export function f80Div(fcw: number, a: F80, b: F80, r: F80): number {
  const s = screen2(fcw, a, UA, b, UB, r);
  if (s >= 0) return s;
  const sign = UA.sign ^ UB.sign;
  if ((UA.k === K_INF && UB.k === K_INF) || (UA.k === K_ZERO && UB.k === K_ZERO)) return invalid(fcw, r);
  if (UA.k === K_INF) {
    const flags = denormals(fcw, UB.den);
    if (flags & F_NORESULT) return flags;
    setInf(r, sign);
    return flags;
  }
  if (UB.k === K_ZERO) {
    // finite nonzero / 0: ZE only (silicon does not report DE for a denormal dividend here)
    if (!(fcw & F_ZE)) return F_ZE | F_NORESULT;
    setInf(r, sign);
    return F_ZE;
  }
  const flags = denormals(fcw, UA.den || UB.den);
  if (flags & F_NORESULT) return flags;
  if (UB.k === K_INF || UA.k === K_ZERO) {
    setZero(r, sign);
    return flags;
  }
  divSig(UA.m0, UA.m1, UB.m0, UB.m1);
  let e = UA.exp - UB.exp + BIAS;
  if (!(W.w0 & 0x80000000)) {
    shiftLeft(1);
    e--;
  }
  return flags | roundPack(fcw, sign, e, pcBits(fcw), r);
}

/**
 * Quotient of two normalized 64-bit significands: 66 bits with weight 2^0 at
 * W bit 95, then sticky.
 */
export function divSig(a0: number, a1: number, b0: number, b1: number): void {
  let r0 = a0, r1 = a1, rt = 0; // 65-bit remainder rt:r0:r1
  let q0 = 0, q1 = 0, q2 = 0;
  for (let i = 0; i < 66; i++) {
    let bit = 0;
    if (rt || r0 > b0 || (r0 === b0 && r1 >= b1)) {
      let t = r1 - b1;
      const br = t < 0 ? 1 : 0;
      r1 = (t + (br ? 0x100000000 : 0)) >>> 0;
      r0 = (r0 - b0 - br) >>> 0;
      rt = 0;
      bit = 1;
    }
    // shift quotient left and add bit
    q0 = ((q0 << 1) | (q1 >>> 31)) >>> 0;
    q1 = ((q1 << 1) | (q2 >>> 31)) >>> 0;
    q2 = ((q2 << 1) | bit) >>> 0;
    // shift remainder left
    rt = r0 >>> 31;
    r0 = ((r0 << 1) | (r1 >>> 31)) >>> 0;
    r1 = (r1 << 1) >>> 0;
  }
  // 66 bits in q0:q1:q2 (low 66 bits); move so the 2^0 bit sits at bit 95
  W.w0 = q0;
  W.w1 = q1;
  W.w2 = q2;
  W.ws = 0;
  shiftLeft(30);
  W.ws = rt | r0 | r1 ? 1 : 0;
}

/** Integer square root of a BigInt (floor). */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  // Newton refinement to floor
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) {
      // x may be one too high/low; settle
      while (x * x > n) x--;
      while ((x + 1n) * (x + 1n) <= n) x++;
      return x;
    }
    x = y;
  }
}

/** sqrt(a). */
export function f80Sqrt(fcw: number, a: F80, r: F80): number {
  const s = screen1Zero(fcw, a, UA, r);
  if (s >= 0) return s;
  if (UA.sign) return invalid(fcw, r);
  if (UA.k === K_INF) {
    setInf(r, 0);
    return 0;
  }
  const flags = denormals(fcw, UA.den);
  if (flags & F_NORESULT) return flags;
  const E = UA.exp - BIAS;
  const par = E & 1;
  const m = (BigInt(UA.m0) << 32n) | BigInt(UA.m1);
  const X = m << BigInt(65 + par);
  const root = isqrt(X); // in [2^64, 2^65)
  const rem = X - root * root;
  W.w0 = Number((root >> 33n) & 0xffffffffn);
  W.w1 = Number((root >> 1n) & 0xffffffffn);
  W.w2 = Number(root & 1n) ? 0x80000000 : 0;
  W.ws = rem !== 0n ? 1 : 0;
  const e = (E - par) / 2 + BIAS;
  return flags | roundPack(fcw, 0, e, pcBits(fcw), r);
}

/** FABS: clears the sign; never raises exceptions (C1 is cleared by the caller). */
export function f80Abs(a: F80, r: F80): number {
  r.se = a.se & 0x7fff;
  r.mhi = a.mhi;
  r.mlo = a.mlo;
  return 0;
}

/** FCHS: complements the sign; never raises exceptions. */
export function f80Chs(a: F80, r: F80): number {
  r.se = (a.se ^ 0x8000) & 0xffff;
  r.mhi = a.mhi;
  r.mlo = a.mlo;
  return 0;
}

