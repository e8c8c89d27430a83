// Fused multiply-add (VFMADD/VFMSUB/VFNMADD/VFNMSUB 132/213/231, and the
// FMADDSUB/FMSUBADD lanes, which are MADD/MSUB per lane) with one rounding.
//
// Operands are given in Intel operand order: x = operand 1 (the destination,
// also a source), y = operand 2, z = operand 3; `form` says which product:
//   FORM_132: x*z + y    FORM_213: y*x + z    FORM_231: y*z + x
// and `kind` the signs: MADD a*b+c, MSUB a*b-c, NMADD -(a*b)+c, NMSUB -(a*b)-c.
// NaN results: the first NaN among (a, b, c) -- the multiplicands, then the
// addend -- quieted; IE if any operand is an SNaN; inf*0 with a QNaN addend
// returns the QNaN without IE; inf*0 otherwise is IE and the default NaN.
//
// f32 round-to-nearest with normal operands: the product is exact in a double;
// the sum is formed in double with round-to-odd (TwoSum error as sticky), which
// then rounds correctly to f32 (53 >= 24 + 2). Everything else, and all f64
// lanes, use exact BigInt arithmetic.

import { FE_DE, FE_IE, FE_PE, RC_DOWN, raise, type FpEnv } from './simd-fp-env.ts';
import { F32, F64, INF, QNAN, SNAN, ZERO, Unp, type Fmt, big64, infOf, quiet, roundPack, setOut64, unpack, zeroOf } from './simd-fp-core.ts';

export const FMA_MADD = 0, FMA_MSUB = 1, FMA_NMADD = 2, FMA_NMSUB = 3;
export const FORM_132 = 0, FORM_213 = 1, FORM_231 = 2;

const UA = new Unp(), UB = new Unp(), UC = new Unp();

/** exact (-1)^negP * a*b + (-1)^negC * c, rounded once */
export function fmaSlow(env: FpEnv, F: Fmt, ab: bigint, bb: bigint, cb: bigint, negP: boolean, negC: boolean): bigint {
  const a = unpack(F, ab, env.daz, UA), b = unpack(F, bb, env.daz, UB), c = unpack(F, cb, env.daz, UC);
  if (a.cls >= QNAN || b.cls >= QNAN || c.cls >= QNAN) {
    // (inf*0 + QNaN does not signal IE on this silicon)
    if (a.cls === SNAN || b.cls === SNAN || c.cls === SNAN) raise(env, FE_IE);
    return quiet(F, a.cls >= QNAN ? a.bits : b.cls >= QNAN ? b.bits : c.bits);
  }
  if ((a.cls === INF && b.cls === ZERO) || (a.cls === ZERO && b.cls === INF)) { raise(env, FE_IE); return F.defaultNaN; }
  const ps = a.sign ^ b.sign ^ (negP ? 1 : 0);
  const cs = c.sign ^ (negC ? 1 : 0);
  const pInf = a.cls === INF || b.cls === INF;
  if (pInf && c.cls === INF && ps !== cs) { raise(env, FE_IE); return F.defaultNaN; }
  if (!env.daz && (a.denorm || b.denorm || c.denorm)) raise(env, FE_DE);
  if (pInf) return infOf(F, ps);
  if (c.cls === INF) return infOf(F, cs);
  const rc = env.rc;
  const pZero = a.cls === ZERO || b.cls === ZERO;
  if (pZero) {
    if (c.cls === ZERO) return zeroOf(F, ps === cs ? ps : rc === RC_DOWN ? 1 : 0);
    return roundPack(env, F, cs, c.sig, c.exp, rc);
  }
  const psig = a.sig * b.sig, pexp = a.exp + b.exp;
  if (c.cls === ZERO) return roundPack(env, F, ps, psig, pexp, rc);
  const e = Math.min(pexp, c.exp);
  let s = (psig << BigInt(pexp - e)) * (ps ? -1n : 1n) + (c.sig << BigInt(c.exp - e)) * (cs ? -1n : 1n);
  if (s === 0n) return zeroOf(F, rc === RC_DOWN ? 1 : 0);
  const sign = s < 0n ? 1 : 0;
  if (sign) s = -s;
  return roundPack(env, F, sign, s, e, rc);
}

const f32s = new Float32Array(1);
const u32s = new Uint32Array(f32s.buffer);
const f64s = new Float64Array(1);
const u64s = new Uint32Array(f64s.buffer);

function normal32(v: number): boolean { return (((v >>> 23) & 0xff) - 1) >>> 0 < 254; }

/** f32 a*b + c (signs already applied) in round-to-nearest, or -1 if the fast path does not apply */
function fastFma32(env: FpEnv, a: number, b: number, c: number): number {
  u32s[0] = a; const x = f32s[0];
  u32s[0] = b; const y = f32s[0];
  u32s[0] = c; const z = f32s[0];
  const p = x * y; // exact: 48 bits, within double range
  let s = p + z;
  const bb = s - p, err = (p - (s - bb)) + (z - bb);
  if (err !== 0) {
    // round to odd: make the last bit of s sticky toward the true value
    f64s[0] = s;
    if ((u64s[0] & 1) === 0) {
      const away = (err > 0) === (s > 0);
      if (away) u64s[0] = u64s[0] + 1; // even: no carry
      else { if (u64s[0] === 0) u64s[1] = u64s[1] - 1; u64s[0] = u64s[0] - 1; }
      s = f64s[0];
    }
  }
  const r = Math.fround(s), m = Math.abs(r);
  if (!(m > 1.1754943508222875e-38 && m !== Infinity)) return -1;
  if (err !== 0 || r !== s) raise(env, FE_PE);
  f32s[0] = r;
  return u32s[0];
}

/** Scalar/packed f32 FMA lane. x, y, z in Intel operand order (see file header). */
export function fmaF32(env: FpEnv, x: number, y: number, z: number, kind: number, form: number): number {
  let a: number, b: number, c: number;
  if (form === FORM_132) { a = x; b = z; c = y; } else if (form === FORM_213) { a = y; b = x; c = z; } else { a = y; b = z; c = x; }
  const negP = kind >= FMA_NMADD, negC = (kind & 1) === 1;
  if (env.rc === 0 && normal32(a) && normal32(b) && normal32(c)) {
    const r = fastFma32(env, negP ? a ^ 0x80000000 : a, b, negC ? c ^ 0x80000000 : c);
    if (r >= 0) return r;
  }
  return Number(fmaSlow(env, F32, BigInt(a >>> 0), BigInt(b >>> 0), BigInt(c >>> 0), negP, negC));
}

/** f64 FMA lane; result in env.rlo/env.rhi. */
export function fmaF64(env: FpEnv, xlo: number, xhi: number, ylo: number, yhi: number, zlo: number, zhi: number, kind: number, form: number): number {
  const X = big64(xlo, xhi), Y = big64(ylo, yhi), Z = big64(zlo, zhi);
  let a: bigint, b: bigint, c: bigint;
  if (form === FORM_132) { a = X; b = Z; c = Y; } else if (form === FORM_213) { a = Y; b = X; c = Z; } else { a = Y; b = Z; c = X; }
  return setOut64(env, fmaSlow(env, F64, a, b, c, kind >= FMA_NMADD, (kind & 1) === 1));
}
