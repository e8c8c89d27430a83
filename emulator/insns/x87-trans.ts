/**
 * x87 transcendental instructions (SDM vol. 2): FSIN, FCOS, FSINCOS, FPTAN,
 * F2XM1, FYL2X, FYL2XP1, FPATAN. Values come from emulator/fpu/f80-trans.ts
 * (checked there against silicon); these handlers add the stack rules:
 * - empty operand: stack underflow (IE, SF, C1 = 0); masked, the destination
 *   gets the QNaN indefinite (FYL2X/FYL2XP1/FPATAN still pop);
 * - FSINCOS and FPTAN push: a full ST(7) is stack overflow (IE, SF, C1 = 1);
 *   masked, ST(0) becomes the indefinite and the indefinite is pushed;
 * - |x| >= 2^63 for FSIN/FCOS/FSINCOS/FPTAN: C2 = 1 and nothing else changes;
 *   otherwise C2 = 0. C1 = rounded up.
 * - F_NORESULT (unmasked IE/DE/ZE): no store, no push, no pop.
 */
import { x87Insn } from './x87-ldst.ts';
import { storeResult, underflowTo } from './x87-arith.ts';
import {
  readST, writeST, pushST, popST, isEmpty, raise, setC1, stackUnderflow, T0, T1, T2, T3, FSW_C2, FSW_C1,
  FSW_SF,
} from './x87-stack.ts';
import { type F80, setIndefinite, F_NORESULT, F_C1, F_C2, F_PE } from '../fpu/f80-core.ts';
import { f80Sin, f80Cos, f80SinCos, f80Tan, f80F2xm1, f80Yl2x, f80Yl2xp1, f80Patan } from '../fpu/f80-trans.ts';
import type { Cpu } from '../cpu/cpu.ts';

/** FSIN/FCOS/F2XM1: ST(0) ← f(ST(0)). `trig` handles the C2 range report. */
function unary(name: string, f: (fcw: number, a: F80, r: F80) => number, trig: boolean): void {
  x87Insn(name, (c) => {
    if (isEmpty(c, 0)) { underflowTo(c, 0, false); return NaN; }
    readST(c, 0, T0);
    const fl = f(c.fcw, T0, T2);
    if (trig) {
      if (fl & F_C2) { c.fsw |= FSW_C2; return NaN; }
      c.fsw &= ~FSW_C2;
    }
    storeResult(c, fl, 0, T2, false);
    return NaN;
  });
}
unary('Fsin', f80Sin, true);
unary('Fcos', f80Cos, true);
unary('F2xm1', f2xm1Silicon, false);

/**
 * F2XM1 outside its domain, as the host Zen 4 does it (test/x87/native-data.json):
 * a finite |x| > 1 is returned unchanged with PE (C1 = 0), x = +1.0 gives
 * 1.0 with PE and C1 set, x = -1.0 gives -0.5 with PE. Everything else goes to the library. (The library's
 * own |x| > 1 path does not terminate for huge exponents, so it is bypassed.)
 */
function f2xm1Silicon(fcw: number, a: F80, r: F80): number {
  const e = a.se & 0x7fff;
  if (e !== 0x7fff && e >= 0x3fff && a.mhi & 0x80000000) {
    const one = e === 0x3fff && a.mhi === 0x80000000 && a.mlo === 0;
    if (one && a.se & 0x8000) {
      // 2^-1 - 1 = -0.5, reported inexact
      r.se = 0x8000 | 0x3ffe; r.mhi = 0x80000000; r.mlo = 0;
      return F_PE;
    }
    r.se = a.se; r.mhi = a.mhi; r.mlo = a.mlo;
    return one ? F_PE | F_C1 : F_PE;
  }
  return f80F2xm1(fcw, a, r);
}

/** Stack checks of FSINCOS/FPTAN; returns false when the instruction is over. */
function pushOpCheck(c: Cpu): boolean {
  if (isEmpty(c, 0)) {
    if (!stackUnderflow(c)) return false;
    // masked: both results are the indefinite
    setIndefinite(T3);
    writeST(c, 0, T3);
    if (isEmpty(c, 7)) pushST(c, T3);
    return false;
  }
  if (!isEmpty(c, 7)) {
    c.fsw |= FSW_SF | FSW_C1;
    if (raise(c, 1)) return false;
    setIndefinite(T3);
    writeST(c, 0, T3);
    pushST(c, T3);
    return false;
  }
  return true;
}

/**
 * FSINCOS (ST(0) ← sin, push cos) and FPTAN (ST(0) ← tan, push 1.0 or the NaN
 * result, as the library says): both replace ST(0) and push a second result;
 * C2 = 1 (operand out of range) leaves the stack untouched.
 */
function replaceAndPush(name: string, op: (fcw: number, a: typeof T0, r1: typeof T1, r2: typeof T2) => number): void {
  x87Insn(name, (c) => {
    if (!pushOpCheck(c)) return NaN;
    readST(c, 0, T0);
    const fl = op(c.fcw, T0, T1, T2);
    if (fl & F_C2) { c.fsw |= FSW_C2; return NaN; }
    c.fsw &= ~FSW_C2;
    raise(c, fl);
    setC1(c, fl & F_C1);
    if (fl & F_NORESULT) return NaN;
    writeST(c, 0, T1);
    pushST(c, T2);
    return NaN;
  });
}
replaceAndPush('Fsincos', f80SinCos);
replaceAndPush('Fptan', f80Tan);

/** FYL2X/FYL2XP1/FPATAN: ST(1) ← f(x = ST(0), y = ST(1)), then pop. */
function binaryPop(name: string, f: (fcw: number, x: F80, y: F80, r: F80) => number): void {
  x87Insn(name, (c) => {
    if (isEmpty(c, 0) || isEmpty(c, 1)) { underflowTo(c, 1, true); return NaN; }
    readST(c, 0, T0);
    readST(c, 1, T1);
    storeResult(c, f(c.fcw, T0, T1, T2), 1, T2, true);
    return NaN;
  });
}
binaryPop('Fyl2x', f80Yl2x);
binaryPop('Fyl2xp1', f80Yl2xp1);
binaryPop('Fpatan', f80Patan);
