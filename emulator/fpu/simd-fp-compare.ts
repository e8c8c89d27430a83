// CMPSS/CMPSD/VCMP* (all 32 predicates) and COMIS*/UCOMIS* for f32/f64 lanes.
//
// Relation of two operands: LT, EQ, GT or UN(ordered). A predicate is a 4-bit
// set of relations for which it is true; predicates 0-15 and 16-31 are the
// same tests with the opposite signalling behaviour. Every predicate signals
// IE on an SNaN operand; the "signalling" ones (LT_OS, LE_OS, NLT_US, ...)
// also on a QNaN. DE is reported for a denormal operand (DAZ = 0) when neither
// operand is a NaN; with DAZ a denormal compares as a signed zero.

import { FE_DE, FE_IE, raise, type FpEnv } from './simd-fp-env.ts';

const REL_LT = 1, REL_EQ = 2, REL_GT = 4, REL_UN = 8;

/** truth sets of predicates 0..15 (EQ_OQ, LT_OS, LE_OS, UNORD_Q, NEQ_UQ, NLT_US, NLE_US, ORD_Q,
 *  EQ_UQ, NGE_US, NGT_US, FALSE_OQ, NEQ_OQ, GE_OS, GT_OS, TRUE_UQ) */
const TRUTH = [2, 1, 3, 8, 13, 14, 12, 7, 10, 9, 11, 0, 5, 6, 4, 15];
/** bit i set: predicate i (0..31) signals IE on a QNaN operand */
const SIGNALS_QNAN = 0x6666 | (0x9999 << 16);

const f32s = new Float32Array(1);
const u32s = new Uint32Array(f32s.buffer);
const f64s = new Float64Array(1);
const u64s = new Uint32Array(f64s.buffer);

/** relation of a to b; raises IE/DE per `signalQNaN` */
function rel32(env: FpEnv, a: number, b: number, signalQNaN: boolean): number {
  const ea = a & 0x7f800000, eb = b & 0x7f800000, ma = a & 0x7fffff, mb = b & 0x7fffff;
  const na = ea === 0x7f800000 && ma !== 0, nb = eb === 0x7f800000 && mb !== 0;
  if (na || nb) {
    if (signalQNaN || (na && (ma & 0x400000) === 0) || (nb && (mb & 0x400000) === 0)) raise(env, FE_IE);
    return REL_UN;
  }
  if (ea === 0 && ma !== 0) { if (env.daz) a = 0; else raise(env, FE_DE); }
  if (eb === 0 && mb !== 0) { if (env.daz) b = 0; else raise(env, FE_DE); }
  u32s[0] = a; const x = f32s[0];
  u32s[0] = b; const y = f32s[0];
  return x < y ? REL_LT : x > y ? REL_GT : REL_EQ;
}

function rel64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number, signalQNaN: boolean): number {
  const ea = ahi & 0x7ff00000, eb = bhi & 0x7ff00000;
  const ma = (ahi & 0xfffff) | alo, mb = (bhi & 0xfffff) | blo;
  const na = ea === 0x7ff00000 && ma !== 0, nb = eb === 0x7ff00000 && mb !== 0;
  if (na || nb) {
    if (signalQNaN || (na && (ahi & 0x80000) === 0) || (nb && (bhi & 0x80000) === 0)) raise(env, FE_IE);
    return REL_UN;
  }
  if (ea === 0 && ma !== 0) { if (env.daz) { alo = 0; ahi = 0; } else raise(env, FE_DE); }
  if (eb === 0 && mb !== 0) { if (env.daz) { blo = 0; bhi = 0; } else raise(env, FE_DE); }
  u64s[0] = alo; u64s[1] = ahi; const x = f64s[0];
  u64s[0] = blo; u64s[1] = bhi; const y = f64s[0];
  return x < y ? REL_LT : x > y ? REL_GT : REL_EQ;
}

/** CMPSS/VCMPPS lane: predicate imm 0..31 (legacy CMPSS uses 0..7). */
export function cmpF32(env: FpEnv, a: number, b: number, pred: number): boolean {
  const r = rel32(env, a, b, ((SIGNALS_QNAN >>> pred) & 1) !== 0);
  return (TRUTH[pred & 15] & r) !== 0;
}

export function cmpF64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number, pred: number): boolean {
  const r = rel64(env, alo, ahi, blo, bhi, ((SIGNALS_QNAN >>> pred) & 1) !== 0);
  return (TRUTH[pred & 15] & r) !== 0;
}

const COMI_FLAGS = [0, 0x01, 0x40, 0, 0x00, 0, 0, 0, 0x45]; // by relation: CF, ZF, none, ZF|PF|CF

/**
 * COMISS (signalling: IE on any NaN) / UCOMISS (IE on SNaN only).
 * Returns the RFLAGS bits ZF (0x40), PF (0x04), CF (0x01); OF, SF, AF are cleared by the instruction.
 */
export function comiF32(env: FpEnv, a: number, b: number, signalling: boolean): number {
  return COMI_FLAGS[rel32(env, a, b, signalling)];
}

export function comiF64(env: FpEnv, alo: number, ahi: number, blo: number, bhi: number, signalling: boolean): number {
  return COMI_FLAGS[rel64(env, alo, ahi, blo, bhi, signalling)];
}
