/**
 * x87 basic arithmetic (SDM vol. 2 FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR and their
 * P and I forms), plus the one-operand group FCHS, FABS, FSQRT, FRNDINT,
 * FSCALE, FXTRACT, FPREM, FPREM1. Results come from emulator/fpu (exact,
 * PC/RC honoured); the handlers apply the stack rules:
 * - an empty operand is stack underflow (IE, SF, C1 = 0): masked, the
 *   destination gets the QNaN indefinite (and a P form still pops);
 *   unmasked, nothing changes;
 * - F_NORESULT (unmasked IE/ZE/DE): destination and TOP unchanged;
 * - unmasked OE/UE: the library's bias-adjusted result is stored (and popped);
 * - C1 = rounded up (F_C1), else 0. C0, C2, C3 are undefined and left unchanged.
 *
 * Register forms: `Fop_st0_sti` is ST(0) ← ST(0) op ST(i); `Fop_sti_st0` and
 * `FopP_sti_st0` are ST(i) ← ST(i) op ST(0) (then pop); the R forms swap the
 * operands of op (FSUBR ST(i), ST(0): ST(i) ← ST(0) − ST(i)).
 */
import { x87Insn, stiOf } from './x87-ldst.ts';
import {
  readST, writeST, popST, isEmpty, raise, setC1, setCC, stackUnderflow, pushST, T0, T1, T2,
  FSW_C1, FSW_CC,
} from './x87-stack.ts';
import { type F80, setIndefinite, F_NORESULT, F_C1 } from '../fpu/f80-core.ts';
import { f80Add, f80Sub, f80Mul, f80Div, f80Sqrt, f80Abs, f80Chs } from '../fpu/f80-arith.ts';
import {
  f80ArithMem, MEM_F32, MEM_F64, MEM_I16, MEM_I32, OP_FADD, OP_FMUL, OP_FSUB, OP_FSUBR, OP_FDIV, OP_FDIVR,
} from '../fpu/f80-memop.ts';
import { f80Rndint, f80Scale, f80Xtract, f80Prem } from '../fpu/f80-misc.ts';
import type { Cpu } from '../cpu/cpu.ts';

type Bin = (fcw: number, a: F80, b: F80, r: F80) => number;

const OPS: [string, number, Bin, boolean][] = [
  ['Fadd', OP_FADD, f80Add, false],
  ['Fmul', OP_FMUL, f80Mul, false],
  ['Fsub', OP_FSUB, f80Sub, false],
  ['Fsubr', OP_FSUBR, f80Sub, true],
  ['Fdiv', OP_FDIV, f80Div, false],
  ['Fdivr', OP_FDIVR, f80Div, true],
];

/** Commits a result with status `fl` to ST(dst) (pop after when `pop`). */
export function storeResult(c: Cpu, fl: number, dst: number, r: F80, pop: boolean): void {
  raise(c, fl);
  setC1(c, fl & F_C1);
  if (fl & F_NORESULT) return;
  writeST(c, dst, r);
  if (pop) popST(c);
}

/** Masked-underflow response for destination ST(dst); returns false if unmasked. */
export function underflowTo(c: Cpu, dst: number, pop: boolean): void {
  if (!stackUnderflow(c)) return;
  setIndefinite(T2);
  writeST(c, dst, T2);
  if (pop) popST(c);
}

for (const [name, memOp, fn, rev] of OPS) {
  // ST(0) ← ST(0) op ST(i)
  x87Insn(`${name}_st0_sti`, (c, i) => {
    const s = stiOf(i);
    if (isEmpty(c, 0) || isEmpty(c, s)) { underflowTo(c, 0, false); return NaN; }
    readST(c, 0, T0);
    readST(c, s, T1);
    const fl = rev ? fn(c.fcw, T1, T0, T2) : fn(c.fcw, T0, T1, T2);
    storeResult(c, fl, 0, T2, false);
    return NaN;
  });
  // ST(i) ← ST(i) op ST(0), and the popping form
  for (const pop of [false, true]) {
    const code = `${name}${pop ? 'p' : ''}_sti_st0`;
    x87Insn(code, (c, i) => {
      const d = i.r0;
      if (isEmpty(c, 0) || isEmpty(c, d)) { underflowTo(c, d, pop); return NaN; }
      readST(c, d, T0);
      readST(c, 0, T1);
      const fl = rev ? fn(c.fcw, T1, T0, T2) : fn(c.fcw, T0, T1, T2);
      storeResult(c, fl, d, T2, pop);
      return NaN;
    });
  }
  // ST(0) ← ST(0) op mem (m32fp, m64fp, m16int, m32int)
  const iname = 'Fi' + name.slice(1);
  const forms: [string, number][] = [
    [`${name}_m32fp`, MEM_F32], [`${name}_m64fp`, MEM_F64], [`${iname}_m16int`, MEM_I16], [`${iname}_m32int`, MEM_I32],
  ];
  for (const [code, kind] of forms) {
    x87Insn(code, (c, i) => {
      const la = c.ea(i);
      let lo: number, hi = 0;
      if (kind === MEM_F64) { lo = c.rd64(la); hi = c.mhi; } else if (kind === MEM_I16) lo = c.rd16(la);
      else lo = c.rd32(la);
      if (isEmpty(c, 0)) { underflowTo(c, 0, false); return la; }
      readST(c, 0, T0);
      const fl = f80ArithMem(memOp, c.fcw, T0, kind, lo, hi, T2);
      storeResult(c, fl, 0, T2, false);
      return la;
    });
  }
}

// ---------------------------------------------------------------- one-operand group

/** ST(0) ← f(ST(0)). */
function unary(name: string, f: (c: Cpu, a: F80, r: F80) => number): void {
  x87Insn(name, (c) => {
    if (isEmpty(c, 0)) { underflowTo(c, 0, false); return NaN; }
    readST(c, 0, T0);
    storeResult(c, f(c, T0, T2), 0, T2, false);
    return NaN;
  });
}

unary('Fchs', (_c, a, r) => f80Chs(a, r));
unary('Fabs', (_c, a, r) => f80Abs(a, r));
unary('Fsqrt', (c, a, r) => f80Sqrt(c.fcw, a, r));
unary('Frndint', (c, a, r) => f80Rndint(c.fcw, a, r));

// FSCALE: ST(0) ← ST(0) · 2^trunc(ST(1))
x87Insn('Fscale', (c) => {
  if (isEmpty(c, 0) || isEmpty(c, 1)) { underflowTo(c, 0, false); return NaN; }
  readST(c, 0, T0);
  readST(c, 1, T1);
  storeResult(c, f80Scale(c.fcw, T0, T1, T2), 0, T2, false);
  return NaN;
});

// FPREM / FPREM1: ST(0) ← partial remainder of ST(0) / ST(1); C0 C3 C1 = Q2 Q1 Q0, C2 = incomplete
for (const [name, round] of [['Fprem', false], ['Fprem1', true]] as const) {
  x87Insn(name, (c) => {
    if (isEmpty(c, 0) || isEmpty(c, 1)) { underflowTo(c, 0, false); return NaN; }
    readST(c, 0, T0);
    readST(c, 1, T1);
    const fl = f80Prem(c.fcw, T0, T1, T2, round);
    raise(c, fl);
    if (fl & F_NORESULT) return NaN;
    // the library reports the quotient bits (and C2) only for a computed remainder
    setCC(c, fl & FSW_CC);
    writeST(c, 0, T2);
    return NaN;
  });
}

// FXTRACT: ST(0) ← exponent, then push the significand
x87Insn('Fxtract', (c) => {
  if (isEmpty(c, 0)) {
    if (!stackUnderflow(c)) return NaN;
    // masked: both results are the indefinite (when there is room for the push)
    setIndefinite(T2);
    writeST(c, 0, T2);
    if (isEmpty(c, 7)) pushST(c, T2);
    return NaN;
  }
  if (!isEmpty(c, 7)) {
    // stack overflow (IE, SF, C1 = 1): masked, the indefinite replaces ST(0) and is pushed
    c.fsw |= 0x40 | FSW_C1;
    if (raise(c, 1)) return NaN;
    setIndefinite(T2);
    writeST(c, 0, T2);
    pushST(c, T2);
    return NaN;
  }
  readST(c, 0, T0);
  const fl = f80Xtract(c.fcw, T0, T1, T2);
  raise(c, fl);
  setC1(c, 0);
  if (fl & F_NORESULT) return NaN;
  writeST(c, 0, T2);
  pushST(c, T1);
  return NaN;
});
