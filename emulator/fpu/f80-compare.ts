// Comparisons and classification: FCOM/FCOMP/FCOMPP/FICOM, FUCOM*, FCOMI/FUCOMI
// (map C3->ZF, C2->PF, C0->CF), FTST, FXAM.
import {
  type F80,
  Unpacked,
  unpack,
  K_ZERO,
  K_FINITE,
  K_INF,
  K_QNAN,
  K_SNAN,
  K_UNSUPPORTED,
  F_IE,
  F_DE,
  F_C0,
  F_C1,
  F_C2,
  F_C3,
} from './f80-core.ts';

const UA = new Unpacked();
const UB = new Unpacked();

/** Condition codes of a comparison (FSW bit positions). */
export const CMP_GT = 0;
export const CMP_LT = F_C0;
export const CMP_EQ = F_C3;
export const CMP_UN = F_C3 | F_C2 | F_C0;

/**
 * Compare a with b.  Returns CMP_GT / CMP_LT / CMP_EQ / CMP_UN (C3,C2,C0 in FSW
 * positions, C1 = 0) ORed with IE/DE.  `quiet` selects the FUCOM rule (IE only
 * for SNaN or unsupported operands); the ordered compares (FCOM, FCOMI, FTST,
 * FICOM) raise IE for any NaN.  The condition codes are produced even when the
 * exception is unmasked (the x87 sets "unordered" for unmasked IE and still
 * compares for unmasked DE), so nothing here is F_NORESULT; whether FCOMIP and
 * friends still pop is the caller's business.
 */
export function f80Compare(fcw: number, a: F80, b: F80, quiet: boolean): number {
  void fcw;
  unpack(a, UA);
  unpack(b, UB);
  return compareU(UA, UB, quiet);
}

function compareU(x: Unpacked, y: Unpacked, quiet: boolean): number {
  const kx = x.k, ky = y.k;
  if (kx === K_UNSUPPORTED || ky === K_UNSUPPORTED) return CMP_UN | F_IE;
  const nx = kx === K_QNAN || kx === K_SNAN;
  const ny = ky === K_QNAN || ky === K_SNAN;
  if (nx || ny) {
    if (!quiet || kx === K_SNAN || ky === K_SNAN) return CMP_UN | F_IE;
    return CMP_UN;
  }
  const de = x.den || y.den ? F_DE : 0;
  return de | orderU(x, y);
}

/** Order two non-NaN unpacked values. */
function orderU(x: Unpacked, y: Unpacked): number {
  const zx = x.k === K_ZERO, zy = y.k === K_ZERO;
  if (zx && zy) return CMP_EQ;
  // sign of x - y
  const sx = zx ? 0 : x.sign ? -1 : 1;
  const sy = zy ? 0 : y.sign ? -1 : 1;
  if (sx !== sy) return sx < sy ? CMP_LT : CMP_GT;
  // same nonzero sign
  const mag = cmpMag(x, y);
  if (mag === 0) return CMP_EQ;
  return (mag > 0) !== (sx < 0) ? CMP_GT : CMP_LT;
}

function cmpMag(x: Unpacked, y: Unpacked): number {
  const ix = x.k === K_INF, iy = y.k === K_INF;
  if (ix || iy) return ix && iy ? 0 : ix ? 1 : -1;
  if (x.exp !== y.exp) return x.exp > y.exp ? 1 : -1;
  if (x.m0 !== y.m0) return x.m0 > y.m0 ? 1 : -1;
  if (x.m1 !== y.m1) return x.m1 > y.m1 ? 1 : -1;
  return 0;
}

/** FTST: compare a with +0.0 (ordered: IE for any NaN). */
export function f80Tst(fcw: number, a: F80): number {
  void fcw;
  unpack(a, UA);
  UB.k = K_ZERO;
  UB.sign = 0;
  UB.den = false;
  return compareU(UA, UB, false);
}

/**
 * FXAM classification of a non-empty register: C3,C2,C0 class and C1 = sign.
 * (For an empty register the caller reports C3=1, C0=1.)
 *   unsupported 000, NaN 001, normal 010, infinity 011, zero 100, denormal 110
 * Pseudo-denormals classify as denormal.
 */
export function f80Xam(a: F80): number {
  unpack(a, UA);
  const c1 = UA.sign ? F_C1 : 0;
  switch (UA.k) {
    case K_UNSUPPORTED:
      return c1;
    case K_QNAN:
    case K_SNAN:
      return c1 | F_C0;
    case K_INF:
      return c1 | F_C2 | F_C0;
    case K_ZERO:
      return c1 | F_C3;
    case K_FINITE:
      return c1 | (UA.den ? F_C3 | F_C2 : F_C2);
  }
  return c1;
}

/** FXAM result for an empty register. */
export const XAM_EMPTY = F_C3 | F_C0;
