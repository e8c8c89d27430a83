/**
 * x87 data transfer (SDM vol. 2; vol. 1 §8.3.3): FLD m32/m64/m80/ST(i),
 * FILD m16/m32/m64, FBLD, FST/FSTP m32/m64/m80/ST(i) (and the FSTP aliases
 * D9 D8+i, DF D0+i, DF D8+i), FIST/FISTP m16/m32/m64, FISTTP, FBSTP, FXCH (and
 * aliases DD C8+i, DF C8+i), FCMOVcc, and the constants FLD1/FLDL2T/FLDL2E/
 * FLDPI/FLDLG2/FLDLN2/FLDZ. Conversions and rounding come from emulator/fpu.
 *
 * Exception rules applied here (the library reports, these handlers commit):
 * - a push onto a full ST(7) is stack overflow (IE, SF, C1 = 1): masked, the
 *   QNaN indefinite is pushed; unmasked, nothing changes;
 * - reading an empty register is stack underflow (IE, SF, C1 = 0): masked,
 *   the destination gets the indefinite of its format; unmasked, nothing
 *   changes (no store, no pop);
 * - F_NORESULT from the library (unmasked IE/OE/UE on a store, unmasked IE on
 *   an SNaN load): neither the destination nor TOP changes;
 * - C1 = "rounded up" for stores and 0 otherwise; FLD m32/m64 of a denormal
 *   loads the value even with DE unmasked (as the library's silicon capture shows).
 */
import { defineInsn } from './registry.ts';
import {
  x87Begin, beginTrack, commitPtrs, readST, writeST, pushST, popST, isEmpty, raise, setC1,
  stackUnderflow, pushRoom, T0, T1, FSW_C1,
} from './x87-stack.ts';
import { type F80, f80Read, f80Write, setIndefinite, F_NORESULT, F_C1 } from '../fpu/f80-core.ts';
import {
  f80FromF32, f80FromF64, f80FromInt32, f80FromInt64, f80FromBcd, f80ToF32, f80ToF64, f80ToInt,
  f80ToBcd, f80Const, CONST_1, CONST_L2T, CONST_L2E, CONST_PI, CONST_LG2, CONST_LN2, CONST_Z,
} from '../fpu/f80-convert.ts';
import { PARITY } from '../cpu/flags.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

export const OWNER = 'x87';

/**
 * Defines a waiting, non-control x87 instruction: #NM/#MF prologue, then the
 * body, which returns the memory operand's address (NaN when none) for the
 * pointer update.
 */
export function x87Insn(names: string | string[], body: (c: Cpu, i: Insn) => number): void {
  defineInsn(names, {
    owner: OWNER,
    exec: (c, i) => {
      x87Begin(c);
      beginTrack();
      const la = body(c, i);
      commitPtrs(c, i, la);
    },
  });
}

const BUF = new Uint8Array(16);

/** Reads an m80 operand (FLD m80, FBLD). */
export function readM80(c: Cpu, la: number, r: F80): F80 {
  c.rdBytes(la, 10, BUF, 0);
  return f80Read(BUF, 0, r);
}

/** Writes a 10-byte image. */
export function writeM80(c: Cpu, la: number, v: F80): void {
  f80Write(BUF, 0, v);
  c.wrBytes(la, 10, BUF, 0);
}

/** The ST(i) operand number of a register-form instruction (`r1` for st0_sti codes, else `r0`). */
export function stiOf(i: Insn): number {
  return i.r1 >= 0 ? i.r1 : i.r0 >= 0 ? i.r0 : 1;
}

// ---------------------------------------------------------------- loads

/** Common tail of a load: `fl` from the conversion, value in T0. */
function pushLoaded(c: Cpu, fl: number): void {
  if (!pushRoom(c)) return;
  if (raise(c, fl) && fl & F_NORESULT) { setC1(c, 0); return; }
  setC1(c, 0);
  pushST(c, T0);
}

x87Insn('Fld_m32fp', (c, i) => {
  const la = c.ea(i);
  const bits = c.rd32(la);
  pushLoaded(c, f80FromF32(c.fcw, bits, T0));
  return la;
});

x87Insn('Fld_m64fp', (c, i) => {
  const la = c.ea(i);
  const lo = c.rd64(la), hi = c.mhi;
  pushLoaded(c, f80FromF64(c.fcw, hi, lo, T0));
  return la;
});

x87Insn('Fld_m80fp', (c, i) => {
  const la = c.ea(i);
  readM80(c, la, T0);
  pushLoaded(c, 0);
  return la;
});

x87Insn('Fild_m16int', (c, i) => {
  const la = c.ea(i);
  const v = (c.rd16(la) << 16) >> 16;
  pushLoaded(c, f80FromInt32(v, T0));
  return la;
});

x87Insn('Fild_m32int', (c, i) => {
  const la = c.ea(i);
  pushLoaded(c, f80FromInt32(c.rd32(la), T0));
  return la;
});

x87Insn('Fild_m64int', (c, i) => {
  const la = c.ea(i);
  const lo = c.rd64(la), hi = c.mhi;
  pushLoaded(c, f80FromInt64(lo, hi, T0));
  return la;
});

x87Insn('Fbld_m80bcd', (c, i) => {
  const la = c.ea(i);
  readM80(c, la, T1);
  pushLoaded(c, f80FromBcd(T1, T0));
  return la;
});

x87Insn('Fld_sti', (c, i) => {
  const s = i.r0;
  if (isEmpty(c, s)) {
    // source empty: underflow; the masked response pushes the indefinite
    if (!isEmpty(c, 7)) { pushRoom(c); return NaN; }
    if (stackUnderflow(c)) { setIndefinite(T0); pushST(c, T0); }
    return NaN;
  }
  readST(c, s, T0);
  pushLoaded(c, 0);
  return NaN;
});

const CONSTS: [string, number][] = [
  ['Fld1', CONST_1], ['Fldl2t', CONST_L2T], ['Fldl2e', CONST_L2E], ['Fldpi', CONST_PI],
  ['Fldlg2', CONST_LG2], ['Fldln2', CONST_LN2], ['Fldz', CONST_Z],
];
for (const [name, k] of CONSTS) {
  x87Insn(name, (c) => {
    pushLoaded(c, f80Const(c.fcw, k, T0));
    return NaN;
  });
}

// ---------------------------------------------------------------- stores

type StoreKind = 'm32' | 'm64' | 'm80' | 'i16' | 'i32' | 'i64' | 'bcd';

/** Converts ST(0) (T0) for a store of `kind`; image in T1; returns the library status. */
function convert(c: Cpu, kind: StoreKind, trunc: boolean): number {
  switch (kind) {
    case 'm32': return f80ToF32(c.fcw, T0, T1);
    case 'm64': return f80ToF64(c.fcw, T0, T1);
    case 'm80': T1.se = T0.se; T1.mhi = T0.mhi; T1.mlo = T0.mlo; return 0;
    case 'i16': return f80ToInt(c.fcw, T0, 16, trunc, T1);
    case 'i32': return f80ToInt(c.fcw, T0, 32, trunc, T1);
    case 'i64': return f80ToInt(c.fcw, T0, 64, trunc, T1);
    case 'bcd': return f80ToBcd(c.fcw, T0, T1);
  }
}

/** The masked stack-underflow image of each destination format. */
function indefiniteImage(kind: StoreKind, r: F80): void {
  r.se = 0; r.mhi = 0; r.mlo = 0;
  switch (kind) {
    case 'm32': r.mlo = 0xffc00000; break;
    case 'm64': r.mhi = 0xfff80000; break;
    case 'm80': setIndefinite(r); break;
    case 'i16': r.mlo = 0x8000; break;
    case 'i32': r.mlo = 0x80000000; break;
    case 'i64': r.mhi = 0x80000000; break;
    case 'bcd': r.se = 0xffff; r.mhi = 0xc0000000; break;
  }
}

function writeImage(c: Cpu, la: number, kind: StoreKind, v: F80): void {
  switch (kind) {
    case 'm32': case 'i32': c.wr32(la, v.mlo | 0); break;
    case 'i16': c.wr16(la, v.mlo & 0xffff); break;
    case 'm64': case 'i64': c.wr64(la, v.mlo | 0, v.mhi | 0); break;
    case 'm80': case 'bcd': writeM80(c, la, v); break;
  }
}

function defStore(name: string, kind: StoreKind, pop: boolean, trunc = false): void {
  x87Insn(name, (c, i) => {
    const la = c.ea(i);
    if (isEmpty(c, 0)) {
      // decide first, write (which may #PF), then commit the status
      if (!(c.fcw & 1)) { stackUnderflow(c); return la; }
      indefiniteImage(kind, T1);
      writeImage(c, la, kind, T1);
      stackUnderflow(c);
      if (pop) popST(c);
      return la;
    }
    readST(c, 0, T0);
    const fl = convert(c, kind, trunc);
    if (fl & F_NORESULT) {
      raise(c, fl);
      setC1(c, 0);
      return la;
    }
    writeImage(c, la, kind, T1);
    raise(c, fl);
    setC1(c, fl & F_C1);
    if (pop) popST(c);
    return la;
  });
}

defStore('Fst_m32fp', 'm32', false);
defStore('Fstp_m32fp', 'm32', true);
defStore('Fst_m64fp', 'm64', false);
defStore('Fstp_m64fp', 'm64', true);
defStore('Fstp_m80fp', 'm80', true);
defStore('Fist_m16int', 'i16', false);
defStore('Fistp_m16int', 'i16', true);
defStore('Fist_m32int', 'i32', false);
defStore('Fistp_m32int', 'i32', true);
defStore('Fistp_m64int', 'i64', true);
defStore('Fisttp_m16int', 'i16', true, true);
defStore('Fisttp_m32int', 'i32', true, true);
defStore('Fisttp_m64int', 'i64', true, true);
defStore('Fbstp_m80bcd', 'bcd', true);

/** FST/FSTP ST(i): copies ST(0) unchanged (no conversion, so no IE for an SNaN). */
function defStoreSt(names: string[], pop: boolean): void {
  x87Insn(names, (c, i) => {
    const d = i.r0;
    if (isEmpty(c, 0)) {
      if (!stackUnderflow(c)) return NaN;
      setIndefinite(T0);
    } else {
      readST(c, 0, T0);
      setC1(c, 0);
    }
    writeST(c, d, T0);
    if (pop) popST(c);
    return NaN;
  });
}
defStoreSt(['Fst_sti'], false);
defStoreSt(['Fstp_sti', 'Fstpnce_sti', 'Fstp_sti_DFD0', 'Fstp_sti_DFD8'], true);

// ---------------------------------------------------------------- FXCH, FCMOVcc

x87Insn(['Fxch_st0_sti', 'Fxch_st0_sti_DDC8', 'Fxch_st0_sti_DFC8'], (c, i) => {
  const s = stiOf(i);
  const e0 = isEmpty(c, 0), es = isEmpty(c, s);
  if (e0 || es) {
    // masked underflow: the empty register(s) read as the indefinite, then the exchange
    if (!stackUnderflow(c)) return NaN;
    if (e0) setIndefinite(T0); else readST(c, 0, T0);
    if (es) setIndefinite(T1); else readST(c, s, T1);
  } else {
    readST(c, 0, T0);
    readST(c, s, T1);
    c.fsw &= ~FSW_C1;
  }
  writeST(c, 0, T1);
  writeST(c, s, T0);
  return NaN;
});

const FCMOV: [string, (c: Cpu) => boolean][] = [
  ['Fcmovb_st0_sti', (c) => (c.fa & 1) !== 0],
  ['Fcmove_st0_sti', (c) => c.fz === 0],
  ['Fcmovbe_st0_sti', (c) => (c.fa & 1) !== 0 || c.fz === 0],
  ['Fcmovu_st0_sti', (c) => PARITY[c.fp & 0xff] === 1],
  ['Fcmovnb_st0_sti', (c) => (c.fa & 1) === 0],
  ['Fcmovne_st0_sti', (c) => c.fz !== 0],
  ['Fcmovnbe_st0_sti', (c) => (c.fa & 1) === 0 && c.fz !== 0],
  ['Fcmovnu_st0_sti', (c) => PARITY[c.fp & 0xff] !== 1],
];
for (const [name, cond] of FCMOV) {
  x87Insn(name, (c, i) => {
    const s = stiOf(i);
    if (isEmpty(c, 0) || isEmpty(c, s)) {
      // SDM: #IS when either operand is empty; the masked response puts the
      // indefinite in ST(0) (whatever the condition)
      if (stackUnderflow(c)) { setIndefinite(T0); writeST(c, 0, T0); }
      return NaN;
    }
    c.fsw &= ~FSW_C1;
    if (cond(c)) { readST(c, s, T0); writeST(c, 0, T0); }
    return NaN;
  });
}
