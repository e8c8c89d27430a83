/**
 * x87 control instructions (SDM vol. 2; vol. 1 §8.1, §8.6) and stack/tag
 * management: FNINIT/FINIT, FLDCW, FNSTCW/FSTCW, FNSTSW/FSTSW (m16 and AX),
 * FNCLEX/FCLEX, FWAIT, FNSTENV/FSTENV and FLDENV (14/28-byte formats),
 * FNSAVE/FSAVE and FRSTOR (94/108-byte formats), FFREE, FFREEP, FINCSTP,
 * FDECSTP, FNOP, the 8087/287 leftovers FNENI/FNDISI/FNSETPM (no-ops), and EMMS.
 *
 * - Non-waiting (FNINIT, FNSTCW, FNSTSW, FNCLEX, FNSTENV, FNSAVE, FNENI...):
 *   only the #NM gate; they never raise #MF. Everything else here checks for
 *   a pending unmasked exception first (#MF). iced decodes 9B as its own FWAIT
 *   instruction, so FINIT/FSTENV/... arrive as FWAIT + the FN form; the
 *   combined Codes are registered too (wait check, then the FN semantics).
 * - Control instructions do not update FIP/FOP/FDP (SDM §8.1.8); FFREE,
 *   FFREEP, FINCSTP, FDECSTP and FNOP are non-control and do.
 * - ES and B are recomputed whenever FCW or FSW is loaded (FLDCW, FLDENV,
 *   FRSTOR, and the exception masking done by FNSTENV): set iff an exception
 *   flag is set whose mask bit is clear.
 * - FCW bit 6 reads as 1 and bits 15:13 as 0 whatever FLDCW loads.
 * - Environment image, 32-bit format (28 bytes) as this emulator writes it in
 *   64-bit mode: FCW, FSW (TOP merged), FTW (full, recomputed from the
 *   contents of each non-empty register), FIP[31:0], FCS | FOP << 16,
 *   FDP[31:0], FDS; each 16-bit field's upper half is written FFFFH, as the
 *   captured Zen 4 does. FCS/FDS are stored as 0 on models with
 *   FCS_FDS_DEPRECATED. 16-bit format (14 bytes, 66H prefix): FCW, FSW, FTW,
 *   FIP[15:0], FCS, FDP[15:0], FDS.
 */
import { defineInsn } from './registry.ts';
import { x87Insn, OWNER } from './x87-ldst.ts';
import {
  x87Begin, x87BeginNoWait, fswFull, setFswFull, updateES, tagOfPhys, tagOfPhysValue, setTagPhys,
  popST, phys, x87Rules, FSW_C1, FSW_EXC, FSW_SF, FSW_ES, FSW_B, TAG_EMPTY,
} from './x87-stack.ts';
import { CR0_EM, CR0_TS } from './simd-state.ts';
import { nm, ud, mf } from '../faults.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const CR0_MP = 1 << 1;

/** Defines a control instruction (no pointer update); `wait` selects the #MF check. */
function ctl(names: string | string[], wait: boolean, body: (c: Cpu, i: Insn) => void): void {
  defineInsn(names, {
    owner: OWNER,
    exec: wait
      ? (c, i) => { x87Begin(c); body(c, i); }
      : (c, i) => { x87BeginNoWait(c); body(c, i); },
  });
}

/** FNINIT: FCW = 037FH, FSW = 0 (TOP = 0), all tags empty, pointers and opcode 0; registers kept. */
export function fpuInit(c: Cpu): void {
  c.fcw = 0x37f;
  c.fsw = 0;
  c.ftop = 0;
  c.ftw = 0xffff;
  c.fop = 0;
  c.fip = 0;
  c.fcs = 0;
  c.fdp = 0;
  c.fds = 0;
  c.xmodified |= 1;
}

ctl('Fninit', false, fpuInit);
ctl('Finit', true, fpuInit);

function loadCw(c: Cpu, v: number): void {
  c.fcw = (v & 0x1f3f) | 0x40;
  updateES(c);
  c.xmodified |= 1;
}

ctl('Fldcw_m2byte', true, (c, i) => loadCw(c, c.rd16(c.ea(i))));

const stcw = (c: Cpu, i: Insn) => c.wr16(c.ea(i), c.fcw);
ctl('Fnstcw_m2byte', false, stcw);
ctl('Fstcw_m2byte', true, stcw);

const stswM = (c: Cpu, i: Insn) => c.wr16(c.ea(i), fswFull(c));
ctl('Fnstsw_m2byte', false, stswM);
ctl('Fstsw_m2byte', true, stswM);
const stswAx = (c: Cpu) => { c.R[0] = (c.R[0] & ~0xffff) | fswFull(c); };
ctl('Fnstsw_AX', false, stswAx);
ctl('Fstsw_AX', true, stswAx);

/** FNCLEX: clears the exception flags, SF, ES and B (C0-C3 and TOP kept). */
const clex = (c: Cpu) => {
  c.fsw &= ~(FSW_EXC | FSW_SF | FSW_ES | FSW_B);
  c.xmodified |= 1;
};
ctl('Fnclex', false, clex);
ctl('Fclex', true, clex);

// FWAIT: #NM only when CR0.MP and CR0.TS are both set; then a pending unmasked exception → #MF.
defineInsn('Wait', {
  owner: OWNER,
  exec: (c) => {
    if ((c.cr0 & (CR0_MP | CR0_TS)) === (CR0_MP | CR0_TS)) throw nm('FWAIT with CR0.MP=1 and CR0.TS=1');
    if (c.fsw & FSW_ES) throw mf(`FWAIT: pending unmasked x87 exception (FSW=0x${fswFull(c).toString(16)})`);
  },
});

// 8087/287 instructions: ignored by the 387 and later.
ctl(['Fneni', 'Fndisi', 'Fnsetpm'], false, () => {});
ctl(['Feni', 'Fdisi', 'Fsetpm'], true, () => {});

// ---------------------------------------------------------------- tag/stack management (non-control)

x87Insn('Fnop', () => NaN);

x87Insn('Ffree_sti', (c, i) => {
  setTagPhys(c, phys(c, i.r0), TAG_EMPTY);
  return NaN;
});

// FFREEP (DF C0+i, documented by AMD): free ST(i), then pop
x87Insn('Ffreep_sti', (c, i) => {
  setTagPhys(c, phys(c, i.r0), TAG_EMPTY);
  popST(c);
  return NaN;
});

x87Insn('Fincstp', (c) => {
  c.ftop = (c.ftop + 1) & 7;
  c.fsw &= ~FSW_C1;
  return NaN;
});

x87Insn('Fdecstp', (c) => {
  c.ftop = (c.ftop - 1) & 7;
  c.fsw &= ~FSW_C1;
  return NaN;
});

// ---------------------------------------------------------------- environment and state images

/** The tag word as FNSTENV stores it: empty stays 11, the others follow the register contents. */
export function storedTagWord(c: Cpu): number {
  let tw = 0;
  for (let p = 0; p < 8; p++) {
    const t = tagOfPhys(c, p) === TAG_EMPTY ? TAG_EMPTY : tagOfPhysValue(c, p);
    tw |= t << (2 * p);
  }
  return tw;
}

const IMG = new Uint8Array(108);
const dv = new DataView(IMG.buffer);

/** Writes the environment into IMG at 0; returns its length (14 or 28). */
function envImage(c: Cpu, size32: boolean): number {
  const dep = x87Rules(c.machine?.model).fcsFdsDeprecated;
  const fcs = dep ? 0 : c.fcs & 0xffff, fds = dep ? 0 : c.fds & 0xffff;
  const fip = Number(BigInt.asUintN(32, BigInt(c.fip)));
  const fdp = Number(BigInt.asUintN(32, BigInt(c.fdp)));
  if (size32) {
    dv.setUint32(0, 0xffff0000 | c.fcw, true);
    dv.setUint32(4, 0xffff0000 | fswFull(c), true);
    dv.setUint32(8, 0xffff0000 | storedTagWord(c), true);
    dv.setUint32(12, fip, true);
    dv.setUint32(16, (fcs | ((c.fop & 0x7ff) << 16)) >>> 0, true);
    dv.setUint32(20, fdp, true);
    dv.setUint32(24, 0xffff0000 | fds, true);
    return 28;
  }
  dv.setUint16(0, c.fcw, true);
  dv.setUint16(2, fswFull(c), true);
  dv.setUint16(4, storedTagWord(c), true);
  dv.setUint16(6, fip & 0xffff, true);
  dv.setUint16(8, fcs, true);
  dv.setUint16(10, fdp & 0xffff, true);
  dv.setUint16(12, fds, true);
  return 14;
}

/** Loads an environment image from IMG at 0 (tags of non-empty registers recomputed by the caller). */
function loadEnv(c: Cpu, size32: boolean): void {
  let cw: number, sw: number, tw: number;
  if (size32) {
    cw = dv.getUint16(0, true);
    sw = dv.getUint16(4, true);
    tw = dv.getUint16(8, true);
    c.fip = dv.getUint32(12, true);
    c.fcs = dv.getUint16(16, true);
    c.fop = dv.getUint16(18, true) & 0x7ff;
    c.fdp = dv.getUint32(20, true);
    c.fds = dv.getUint16(24, true);
  } else {
    cw = dv.getUint16(0, true);
    sw = dv.getUint16(2, true);
    tw = dv.getUint16(4, true);
    c.fip = dv.getUint16(6, true);
    c.fcs = dv.getUint16(8, true);
    c.fdp = dv.getUint16(10, true);
    c.fds = dv.getUint16(12, true);
    c.fop = 0;
  }
  if (x87Rules(c.machine?.model).fcsFdsDeprecated) { c.fcs = 0; c.fds = 0; }
  c.fcw = (cw & 0x1f3f) | 0x40;
  setFswFull(c, sw);
  c.ftw = tw;
  c.xmodified |= 1;
}

/** Recomputes the tags of the non-empty registers from their contents. */
function retag(c: Cpu): void {
  for (let p = 0; p < 8; p++) if (tagOfPhys(c, p) !== TAG_EMPTY) setTagPhys(c, p, tagOfPhysValue(c, p));
}

function stenv(size32: boolean) {
  return (c: Cpu, i: Insn) => {
    const la = c.ea(i);
    const n = envImage(c, size32);
    c.wrBytes(la, n, IMG, 0);
    // then all exceptions are masked
    c.fcw |= FSW_EXC;
    updateES(c);
    c.xmodified |= 1;
  };
}
ctl('Fnstenv_m28byte', false, stenv(true));
ctl('Fstenv_m28byte', true, stenv(true));
ctl('Fnstenv_m14byte', false, stenv(false));
ctl('Fstenv_m14byte', true, stenv(false));

function ldenv(size32: boolean) {
  return (c: Cpu, i: Insn) => {
    const la = c.ea(i);
    c.rdBytes(la, size32 ? 28 : 14, IMG, 0);
    loadEnv(c, size32);
    retag(c);
    updateES(c);
  };
}
ctl('Fldenv_m28byte', true, ldenv(true));
ctl('Fldenv_m14byte', true, ldenv(false));

function save(size32: boolean) {
  return (c: Cpu, i: Insn) => {
    const la = c.ea(i);
    const n = envImage(c, size32);
    // ST(0)..ST(7) in stack order
    for (let k = 0; k < 8; k++) IMG.set(c.st.subarray(phys(c, k) * 10, phys(c, k) * 10 + 10), n + 10 * k);
    c.wrBytes(la, n + 80, IMG, 0);
    fpuInit(c);
  };
}
ctl('Fnsave_m108byte', false, save(true));
ctl('Fsave_m108byte', true, save(true));
ctl('Fnsave_m94byte', false, save(false));
ctl('Fsave_m94byte', true, save(false));

function rstor(size32: boolean) {
  return (c: Cpu, i: Insn) => {
    const la = c.ea(i);
    const n = size32 ? 28 : 14;
    c.rdBytes(la, n + 80, IMG, 0);
    loadEnv(c, size32);
    for (let k = 0; k < 8; k++) c.st.set(IMG.subarray(n + 10 * k, n + 10 * k + 10), phys(c, k) * 10);
    retag(c);
    updateES(c);
  };
}
ctl('Frstor_m108byte', true, rstor(true));
ctl('Frstor_m94byte', true, rstor(false));

// ---------------------------------------------------------------- EMMS

// EMMS: all tags empty. #UD with CR0.EM, #NM with CR0.TS, #MF on a pending x87 exception.
defineInsn('Emms', {
  owner: OWNER,
  exec: (c) => {
    if (c.cr0 & CR0_EM) throw ud('EMMS with CR0.EM=1');
    if (c.cr0 & CR0_TS) throw nm('EMMS with CR0.TS=1');
    if (c.fsw & FSW_ES) throw mf(`EMMS: pending unmasked x87 exception (FSW=0x${fswFull(c).toString(16)})`);
    c.ftw = 0xffff;
    // AMD parts also reset TOP to 0 (captured on Zen 5: FLD x3; EMMS; FNSTENV shows TOP = 0);
    // Intel's EMMS leaves TOP alone (SDM: only the tag word is written).
    if (c.machine.model.vendor === 'amd') c.ftop = 0;
    c.xmodified |= 1;
  },
});
