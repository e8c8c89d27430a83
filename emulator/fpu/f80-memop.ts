// Arithmetic and compares with a memory operand (FADD/FMUL/FSUB/FSUBR/FDIV/FDIVR
// and FCOM/FUCOM-style compares with m32fp, m64fp, m16int, m32int).
//
// The memory operand is widened exactly first.  An SNaN operand keeps its
// signalling status through the widening so that the usual two-operand NaN
// rules apply (a QNaN in ST(0) beats an SNaN operand); a denormal m32/m64
// operand raises DE (unmasked DE: no result), even though the widened value is
// normal in extended format.
import { type F80, F_DE, F_NORESULT, classify, K_QNAN, K_SNAN, K_UNSUPPORTED, K_ZERO } from './f80-core.ts';
import { f80Add, f80Sub, f80Mul, f80Div } from './f80-arith.ts';
import { f80Compare } from './f80-compare.ts';
import { f80FromF32, f80FromF64, f80FromInt32 } from './f80-convert.ts';

export const MEM_F32 = 0;
export const MEM_F64 = 1;
export const MEM_I16 = 2;
export const MEM_I32 = 3;

/** x87 ModRM reg-field numbering of the D8/DC/DA/DE arithmetic group. */
export const OP_FADD = 0;
export const OP_FMUL = 1;
export const OP_FSUB = 4;
export const OP_FSUBR = 5;
export const OP_FDIV = 6;
export const OP_FDIVR = 7;

const tmp: F80 = { se: 0, mhi: 0, mlo: 0 };

/**
 * Widen a memory operand into `r`: lo = low 32 bits of the memory image, hi =
 * high 32 bits (m64fp only).  Returns F_DE for a denormal m32/m64 (else 0).
 * SNaNs are NOT quieted and raise nothing here (the arithmetic does that).
 */
export function f80MemOperand(kind: number, lo: number, hi: number, r: F80): number {
  switch (kind) {
    case MEM_F32:
      return f80FromF32(-1, lo, r) & F_DE;
    case MEM_F64:
      return f80FromF64(-1, hi, lo, r) & F_DE;
    case MEM_I16:
      return f80FromInt32((lo << 16) >> 16, r);
    default:
      return f80FromInt32(lo | 0, r);
  }
}

/** ST(0) <- ST(0) op mem (FSUBR/FDIVR: mem op ST(0)).  Returns status; result in r. */
export function f80ArithMem(op: number, fcw: number, st0: F80, kind: number, lo: number, hi: number, r: F80): number {
  let de = f80MemOperand(kind, lo, hi, tmp);
  if (de) {
    // as with register operands: a NaN/unsupported ST(0) takes precedence over
    // DE, and x/0 reports only ZE
    const k = classify(st0);
    if (k === K_QNAN || k === K_SNAN || k === K_UNSUPPORTED || (op === OP_FDIVR && k === K_ZERO)) de = 0;
    else if (!(fcw & F_DE)) return F_DE | F_NORESULT;
  }
  let fl: number;
  switch (op) {
    case OP_FADD: fl = f80Add(fcw, st0, tmp, r); break;
    case OP_FMUL: fl = f80Mul(fcw, st0, tmp, r); break;
    case OP_FSUB: fl = f80Sub(fcw, st0, tmp, r); break;
    case OP_FSUBR: fl = f80Sub(fcw, tmp, st0, r); break;
    case OP_FDIV: fl = f80Div(fcw, st0, tmp, r); break;
    case OP_FDIVR: fl = f80Div(fcw, tmp, st0, r); break;
    default: throw new RangeError(`f80ArithMem: bad op ${op}`);
  }
  return fl | de;
}

/** FCOM/FICOM (quiet = false) or a quiet compare of ST(0) with a memory operand. */
export function f80CompareMem(fcw: number, st0: F80, kind: number, lo: number, hi: number, quiet: boolean): number {
  const de = f80MemOperand(kind, lo, hi, tmp);
  const k = classify(st0);
  return f80Compare(fcw, st0, tmp, quiet) | (k === K_QNAN || k === K_SNAN || k === K_UNSUPPORTED ? 0 : de);
}
