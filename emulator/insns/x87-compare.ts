/**
 * x87 comparisons and classification (SDM vol. 2): FCOM/FCOMP/FCOMPP with
 * m32fp, m64fp, ST(i) (and the aliases DC D0+i, DC D8+i, DE D0+i), FICOM/
 * FICOMP m16int/m32int, FUCOM/FUCOMP/FUCOMPP, FCOMI/FCOMIP/FUCOMI/FUCOMIP,
 * FTST, FXAM.
 *
 * - FCOM-style: C3 C2 C0 = 000 (ST0 > src), 001 (<), 100 (=), 111
 *   (unordered); C1 = 0. The ordered forms raise IE for any NaN, the U forms
 *   only for an SNaN (or an unsupported encoding).
 * - FCOMI-style: ZF PF CF take C3 C2 C0; OF SF AF are cleared; FSW's C0 C2 C3
 *   are left unchanged, C1 = 0.
 * - Empty operand: stack underflow (IE, SF, C1 = 0); the result is
 *   "unordered" (C3 C2 C0 = 111, or ZF PF CF = 111) even when IE is unmasked
 *   (as the host Zen 4 does; the SDM only describes the masked case); the P
 *   forms pop only when IE is masked.
 * - Unmasked IE or DE: the condition codes (or flags) are still written, as
 *   the library's silicon capture shows, but the P forms do not pop (SDM
 *   §8.5: TOP is unchanged when an unmasked IE/DE handler is invoked).
 * - FXAM never raises; C1 = sign bit of ST(0) even when it is empty.
 */
import { x87Insn, stiOf } from './x87-ldst.ts';
import {
  readST, popST, isEmpty, raise, setCC, stackUnderflow, T0, T1, FSW_C0, FSW_C2, FSW_C3, FSW_C1,
} from './x87-stack.ts';
import { F_IE, F_DE } from '../fpu/f80-core.ts';
import { f80Compare, f80Tst, f80Xam, XAM_EMPTY, CMP_UN } from '../fpu/f80-compare.ts';
import { f80CompareMem, MEM_F32, MEM_F64, MEM_I16, MEM_I32 } from '../fpu/f80-memop.ts';
import { setArithFlags } from '../cpu/flags.ts';
import { CF, PF, ZF } from '../cpu/state.ts';
import type { Cpu } from '../cpu/cpu.ts';

/** Commits an FCOM-style result; pops `pops` times unless an unmasked IE/DE occurred. */
function fcomCommit(c: Cpu, res: number, pops: number): void {
  const unmasked = raise(c, res & (F_IE | F_DE));
  setCC(c, res & (FSW_C0 | FSW_C2 | FSW_C3));
  if (unmasked) return;
  for (let k = 0; k < pops; k++) popST(c);
}

/** Masked empty-operand response of FCOM-style compares. */
function fcomUnderflow(c: Cpu, pops: number): void {
  const masked = stackUnderflow(c);
  // "unordered" even when IE is unmasked (host Zen 4, test/x87/native-data.json)
  setCC(c, CMP_UN);
  if (masked) for (let k = 0; k < pops; k++) popST(c);
}

function defFcomReg(names: string[], quiet: boolean, pops: number, fixed = -1): void {
  x87Insn(names, (c, i) => {
    const s = fixed >= 0 ? fixed : stiOf(i);
    if (isEmpty(c, 0) || isEmpty(c, s)) { fcomUnderflow(c, pops); return NaN; }
    readST(c, 0, T0);
    readST(c, s, T1);
    fcomCommit(c, f80Compare(c.fcw, T0, T1, quiet), pops);
    return NaN;
  });
}

defFcomReg(['Fcom_st0_sti', 'Fcom_st0_sti_DCD0'], false, 0);
defFcomReg(['Fcomp_st0_sti', 'Fcomp_st0_sti_DCD8', 'Fcomp_st0_sti_DED0'], false, 1);
defFcomReg(['Fcompp'], false, 2, 1);
defFcomReg(['Fucom_st0_sti'], true, 0);
defFcomReg(['Fucomp_st0_sti'], true, 1);
defFcomReg(['Fucompp'], true, 2, 1);

const MEMFORMS: [string, number][] = [
  ['Fcom_m32fp', MEM_F32], ['Fcom_m64fp', MEM_F64], ['Ficom_m16int', MEM_I16], ['Ficom_m32int', MEM_I32],
];
for (const [code, kind] of MEMFORMS) {
  for (const pop of [0, 1]) {
    const name = pop ? code.replace(/^F(i?)com/, 'F$1comp') : code;
    x87Insn(name, (c, i) => {
      const la = c.ea(i);
      let lo: number, hi = 0;
      if (kind === MEM_F64) { lo = c.rd64(la); hi = c.mhi; } else if (kind === MEM_I16) lo = c.rd16(la);
      else lo = c.rd32(la);
      if (isEmpty(c, 0)) { fcomUnderflow(c, pop); return la; }
      readST(c, 0, T0);
      fcomCommit(c, f80CompareMem(c.fcw, T0, kind, lo, hi, false), pop);
      return la;
    });
  }
}

// FCOMI family: result in ZF PF CF
function setCmpFlags(c: Cpu, res: number): void {
  setArithFlags(c, (res & FSW_C3 ? ZF : 0) | (res & FSW_C2 ? PF : 0) | (res & FSW_C0 ? CF : 0));
}

function defFcomi(name: string, quiet: boolean, pop: boolean): void {
  x87Insn(name, (c, i) => {
    const s = stiOf(i);
    c.fsw &= ~FSW_C1;
    if (isEmpty(c, 0) || isEmpty(c, s)) {
      const masked = stackUnderflow(c);
      setCmpFlags(c, CMP_UN);
      if (pop && masked) popST(c);
      return NaN;
    }
    readST(c, 0, T0);
    readST(c, s, T1);
    const res = f80Compare(c.fcw, T0, T1, quiet);
    const unmasked = raise(c, res & (F_IE | F_DE));
    setCmpFlags(c, res);
    if (pop && !unmasked) popST(c);
    return NaN;
  });
}
defFcomi('Fcomi_st0_sti', false, false);
defFcomi('Fcomip_st0_sti', false, true);
defFcomi('Fucomi_st0_sti', true, false);
defFcomi('Fucomip_st0_sti', true, true);

// FTST: compare ST(0) with +0.0
x87Insn('Ftst', (c) => {
  if (isEmpty(c, 0)) { fcomUnderflow(c, 0); return NaN; }
  readST(c, 0, T0);
  fcomCommit(c, f80Tst(c.fcw, T0), 0);
  return NaN;
});

// FXAM: class in C3 C2 C0, sign in C1
x87Insn('Fxam', (c) => {
  readST(c, 0, T0);
  if (isEmpty(c, 0)) setCC(c, XAM_EMPTY | (T0.se & 0x8000 ? FSW_C1 : 0));
  else setCC(c, f80Xam(T0));
  return NaN;
});
