/**
 * Lazy arithmetic flags.
 *
 * Every flag-writing instruction stores four int32 words on the CPU:
 *   fz — zero iff ZF = 1        fs — negative iff SF = 1
 *   fp — PF = even parity of its low byte
 *   fa — CF (bit 0), AF (bit 4) and OF (bit 11), already computed
 * so a reader never needs to know which operation set them, and POPF/SAHF can
 * store any combination. The helpers here are the only writers.
 */
import { CpuState, CF, PF, AF, ZF, SF, OF, ARITH_FLAGS } from './state.ts';

const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let b = i, p = 1;
  while (b) { p ^= b & 1; b >>= 1; }
  PARITY[i] = p;
}

export function getRflags(c: CpuState): number {
  let f = c.flagsRest & ~ARITH_FLAGS;
  f |= c.fa & (CF | AF | OF);
  if (c.fz === 0) f |= ZF;
  if (c.fs < 0) f |= SF;
  f |= PARITY[c.fp & 0xff] << 2;
  return f | 2;
}

/** Stores RFLAGS arithmetic bits from an explicit value (POPF, SAHF, IRET, ...). */
export function setArithFlags(c: CpuState, f: number): void {
  c.fa = f & (CF | AF | OF);
  c.fz = f & ZF ? 0 : 1;
  c.fs = f & SF ? -1 : 0;
  c.fp = f & PF ? 0 : 1;
}

/** Stores the non-arithmetic part of RFLAGS; reserved bits forced. */
export function setRestFlags(c: CpuState, f: number): void {
  c.flagsRest = (f & 0x3f7fd5 & ~ARITH_FLAGS) | 2;
}

export function setRflags(c: CpuState, f: number): void {
  setArithFlags(c, f);
  setRestFlags(c, f);
}

export const cf = (c: CpuState) => c.fa & 1;
export const zf = (c: CpuState) => c.fz === 0;
export const sf = (c: CpuState) => c.fs < 0;
export const of = (c: CpuState) => (c.fa & OF) !== 0;
export const pf = (c: CpuState) => PARITY[c.fp & 0xff] === 1;

/** Condition codes in the encoding's order (0=O .. 15=G). */
export function cond(c: CpuState, cc: number): boolean {
  switch (cc) {
    case 0: return (c.fa & OF) !== 0;
    case 1: return (c.fa & OF) === 0;
    case 2: return (c.fa & 1) !== 0;
    case 3: return (c.fa & 1) === 0;
    case 4: return c.fz === 0;
    case 5: return c.fz !== 0;
    case 6: return (c.fa & 1) !== 0 || c.fz === 0;
    case 7: return (c.fa & 1) === 0 && c.fz !== 0;
    case 8: return c.fs < 0;
    case 9: return c.fs >= 0;
    case 10: return PARITY[c.fp & 0xff] === 1;
    case 11: return PARITY[c.fp & 0xff] === 0;
    case 12: return (c.fs < 0) !== ((c.fa & OF) !== 0);
    case 13: return (c.fs < 0) === ((c.fa & OF) !== 0);
    case 14: return c.fz === 0 || ((c.fs < 0) !== ((c.fa & OF) !== 0));
    default: return c.fz !== 0 && ((c.fs < 0) === ((c.fa & OF) !== 0));
  }
}

/** Sets ZF/SF/PF from a result of `bits` (8, 16, 32) held in an int32. */
export function szp(c: CpuState, r: number, bits: number): void {
  const s = r << (32 - bits);
  c.fz = s;
  c.fs = s;
  c.fp = r;
}

/** Sets ZF/SF/PF from a 64-bit result (lo, hi). */
export function szp64(c: CpuState, lo: number, hi: number): void {
  c.fz = lo | hi;
  c.fs = hi;
  c.fp = lo;
}

export { PARITY };

/** Source expressions of the 16 conditions (for generated handlers; PAR = PARITY). */
export const CC_SRC = [
  '(c.fa & 2048) !== 0', '(c.fa & 2048) === 0', '(c.fa & 1) !== 0', '(c.fa & 1) === 0',
  'c.fz === 0', 'c.fz !== 0', '((c.fa & 1) !== 0 || c.fz === 0)', '((c.fa & 1) === 0 && c.fz !== 0)',
  'c.fs < 0', 'c.fs >= 0', 'PAR[c.fp & 255] === 1', 'PAR[c.fp & 255] === 0',
  '((c.fs < 0) !== ((c.fa & 2048) !== 0))', '((c.fs < 0) === ((c.fa & 2048) !== 0))',
  '(c.fz === 0 || ((c.fs < 0) !== ((c.fa & 2048) !== 0)))', '(c.fz !== 0 && ((c.fs < 0) === ((c.fa & 2048) !== 0)))',
];
export const CC_NAMES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
