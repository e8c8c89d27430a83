/**
 * x87 FPU plumbing shared by every x87-*.ts module: register stack and tag
 * management, exception signalling (sticky flags, ES/B summary, stack
 * faults), the #MF check of waiting instructions, and the last-instruction
 * pointers (FIP/FCS/FOP/FDP/FDS) with their per-model rules.
 *
 * State (emulator/cpu/state.ts): `st` holds the eight *physical* registers
 * R0-R7, 10 bytes each in FXSAVE byte order; ST(i) is R[(TOP + i) & 7].
 * `fsw` is the status word without TOP (bits 13:11 are kept in `ftop`);
 * `ftw` is the full tag word (2 bits per physical register: 00 valid,
 * 01 zero, 10 special, 11 empty). Every write of a register recomputes its tag
 * from the value, so FNSTENV/FNSAVE can store `ftw` as it is.
 *
 * Pointer rules (SDM vol. 1 §8.1.8-8.1.10, checked against the captures of
 * shared/conformance where they are not masked):
 * - Non-control instructions (everything except FNINIT/FINIT, FLDCW, FNSTCW,
 *   FNSTSW, FNCLEX, FNSTENV/FLDENV, FNSAVE/FRSTOR, FWAIT) set FIP = RIP of the
 *   instruction (first prefix byte), FCS = CS selector, FOP = bits 10:0 of
 *   (first opcode byte & 7) << 8 | ModRM. Instructions with a memory operand
 *   set FDP = the operand's linear address and FDS = the selector of its
 *   segment register; register-only instructions leave FDP/FDS unchanged.
 * - Model with CPUID.(7,0):EBX[13] FCS_FDS_DEPRECATED (sapphire-rapids): FCS
 *   and FDS are never updated (kept 0) and are stored as 0000H.
 * - Model with CPUID.(7,0):EBX[6] FDP_EXCPTN_ONLY (sapphire-rapids): FDP/FDS
 *   are updated only by an instruction that signals an unmasked exception.
 * - genoa (Zen 4) has neither: FCS/FDS and FDP follow every non-control
 *   instruction as above. (Its FXSAVE/XSAVE storing FIP/FDP/FOP as 0 when
 *   FSW.ES = 0 is the XSAVE module's business; FNSTENV/FNSAVE always store them.)
 * - Pointers are committed only when the instruction completes (a #PF or #MF
 *   leaves them unchanged); an instruction that signals an unmasked exception
 *   still completes and updates them (that is what the handler inspects).
 */
import { mf } from '../faults.ts';
import { x87Gate } from './simd-state.ts';
import { ACC_FETCH } from '../memory/mmu.ts';
import { SEG_CS } from '../cpu/state.ts';
import { type F80, f80Read, f80Write, setIndefinite } from '../fpu/f80-core.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';
import type { CpuModel } from '../models/index.ts';

// ---- FSW bits ----
export const FSW_IE = 0x1, FSW_DE = 0x2, FSW_ZE = 0x4, FSW_OE = 0x8, FSW_UE = 0x10, FSW_PE = 0x20;
export const FSW_SF = 0x40, FSW_ES = 0x80, FSW_C0 = 0x100, FSW_C1 = 0x200, FSW_C2 = 0x400;
export const FSW_C3 = 0x4000, FSW_B = 0x8000;
export const FSW_CC = FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3;
export const FSW_EXC = 0x3f;

export const TAG_VALID = 0, TAG_ZERO = 1, TAG_SPECIAL = 2, TAG_EMPTY = 3;

/** Scratch values (handlers run one at a time; never held across calls that reuse them). */
export const T0: F80 = { se: 0, mhi: 0, mlo: 0 };
export const T1: F80 = { se: 0, mhi: 0, mlo: 0 };
export const T2: F80 = { se: 0, mhi: 0, mlo: 0 };
export const T3: F80 = { se: 0, mhi: 0, mlo: 0 };

// ---------------------------------------------------------------- model rules

export interface X87ModelRules {
  /** CPUID.(7,0):EBX[13]: FCS and FDS deprecated (stored as 0). */
  fcsFdsDeprecated: boolean;
  /** CPUID.(7,0):EBX[6]: FDP updated only on unmasked exceptions. */
  fdpExcptnOnly: boolean;
}

const rulesCache = new WeakMap<object, X87ModelRules>();

/** The pointer rules of a CPU model, from its (unmasked) CPUID leaf 7 EBX. */
export function x87Rules(model: CpuModel | undefined): X87ModelRules {
  if (!model) return { fcsFdsDeprecated: false, fdpExcptnOnly: false };
  let r = rulesCache.get(model);
  if (!r) {
    const l7 = model.leaves.get('7.0') ?? model.leaves.get('7');
    const ebx = l7 ? l7[1] : 0;
    r = { fcsFdsDeprecated: (ebx & (1 << 13)) !== 0, fdpExcptnOnly: (ebx & (1 << 6)) !== 0 };
    rulesCache.set(model, r);
  }
  return r;
}

function rulesOf(c: Cpu): X87ModelRules {
  return x87Rules(c.machine?.model);
}

// ---------------------------------------------------------------- prologues

/** Prologue of a waiting x87 instruction: #NM gate, then #MF on a pending unmasked exception. */
export function x87Begin(c: Cpu): void {
  x87Gate(c);
  if (c.fsw & FSW_ES) throw mf(`pending unmasked x87 exception (FSW=0x${fswFull(c).toString(16)})`);
}

/** Prologue of a non-waiting control instruction (FNINIT, FNSTENV, ...): only the #NM gate. */
export function x87BeginNoWait(c: Cpu): void {
  x87Gate(c);
}

// ---------------------------------------------------------------- registers

/** Physical register number of ST(i). */
export function phys(c: Cpu, i: number): number {
  return (c.ftop + i) & 7;
}

export function tagOfPhys(c: Cpu, p: number): number {
  return (c.ftw >>> (2 * p)) & 3;
}

export function isEmpty(c: Cpu, i: number): boolean {
  return tagOfPhys(c, (c.ftop + i) & 7) === TAG_EMPTY;
}

export function setTagPhys(c: Cpu, p: number, tag: number): void {
  c.ftw = (c.ftw & ~(3 << (2 * p))) | (tag << (2 * p));
}

/** The tag a value deserves (spec §3.1 / SDM 8.1.7). */
export function tagOfValue(v: F80): number {
  const e = v.se & 0x7fff;
  if (e === 0) return (v.mhi | v.mlo) === 0 ? TAG_ZERO : TAG_SPECIAL;
  if (e === 0x7fff || !(v.mhi & 0x80000000)) return TAG_SPECIAL;
  return TAG_VALID;
}

/** Tag from the bytes of physical register p. */
export function tagOfPhysValue(c: Cpu, p: number): number {
  return tagOfValue(f80Read(c.st, p * 10, T3));
}

export function readST(c: Cpu, i: number, r: F80): F80 {
  return f80Read(c.st, ((c.ftop + i) & 7) * 10, r);
}

/** ST(i) ← v, tag recomputed. */
export function writeST(c: Cpu, i: number, v: F80): void {
  const p = (c.ftop + i) & 7;
  f80Write(c.st, p * 10, v);
  setTagPhys(c, p, tagOfValue(v));
}

/** TOP-1, then ST(0) ← v. (Overflow must have been checked.) */
export function pushST(c: Cpu, v: F80): void {
  c.ftop = (c.ftop - 1) & 7;
  writeST(c, 0, v);
}

/** Marks ST(0) empty and increments TOP. */
export function popST(c: Cpu): void {
  setTagPhys(c, c.ftop, TAG_EMPTY);
  c.ftop = (c.ftop + 1) & 7;
}

/** FSW with TOP merged in (what FNSTSW stores). */
export function fswFull(c: Cpu): number {
  return (c.fsw & ~0x3800) | (c.ftop << 11);
}

/** Loads an FSW image: TOP goes to `ftop`, the rest to `fsw`. */
export function setFswFull(c: Cpu, v: number): void {
  c.ftop = (v >>> 11) & 7;
  c.fsw = v & 0xc7ff;
}

// ---------------------------------------------------------------- exceptions

/** Recomputes ES and B: set iff some exception flag is set and unmasked. */
export function updateES(c: Cpu): void {
  if (c.fsw & ~c.fcw & FSW_EXC) c.fsw |= FSW_ES | FSW_B;
  else c.fsw &= ~(FSW_ES | FSW_B);
}

/** Unmasked-exception tracking for the current instruction (for FDP_EXCPTN_ONLY). */
let unmaskedNow = false;

/** ORs exception flags (bits 5:0 of `flags`) into FSW; returns true if any is unmasked. */
export function raise(c: Cpu, flags: number): boolean {
  const e = flags & FSW_EXC;
  if (!e) return false;
  c.fsw |= e;
  if (e & ~c.fcw & FSW_EXC) {
    c.fsw |= FSW_ES | FSW_B;
    unmaskedNow = true;
    return true;
  }
  return false;
}

/** Sets C1 to `on`. */
export function setC1(c: Cpu, on: boolean | number): void {
  if (on) c.fsw |= FSW_C1;
  else c.fsw &= ~FSW_C1;
}

/** Sets C3 C2 C1 C0 from bits in FSW positions (others cleared). */
export function setCC(c: Cpu, cc: number): void {
  c.fsw = (c.fsw & ~FSW_CC) | (cc & FSW_CC);
}

/**
 * Stack underflow (an operand register is empty): IE + SF, C1 = 0.
 * Returns true when IE is masked (the caller stores the QNaN indefinite),
 * false when unmasked (the caller changes nothing else).
 */
export function stackUnderflow(c: Cpu): boolean {
  c.fsw = (c.fsw | FSW_IE | FSW_SF) & ~FSW_C1;
  return !raise(c, FSW_IE);
}

/**
 * Stack overflow (the register a push would fill is not empty): IE + SF,
 * C1 = 1. Masked: the caller pushes the QNaN indefinite. Returns masked?
 */
export function stackOverflow(c: Cpu): boolean {
  c.fsw |= FSW_IE | FSW_SF | FSW_C1;
  return !raise(c, FSW_IE);
}

/** Pushes v; on overflow pushes the indefinite (masked) or nothing (unmasked). Sets C1. */
export function pushChecked(c: Cpu, v: F80): void {
  if (!isEmpty(c, 7)) {
    if (stackOverflow(c)) {
      setIndefinite(v);
      pushST(c, v);
    }
    return;
  }
  c.fsw &= ~FSW_C1;
  pushST(c, v);
}

/** True when the push target ST(7) is free; otherwise signals overflow and (masked) pushes the indefinite. */
export function pushRoom(c: Cpu): boolean {
  if (isEmpty(c, 7)) return true;
  if (stackOverflow(c)) {
    setIndefinite(T3);
    pushST(c, T3);
  }
  return false;
}

// ---------------------------------------------------------------- pointers

/** The 11-bit FOP of the instruction at c.rip (computed once per decoded instruction, cached in i.aux). */
export function fopOf(c: Cpu, i: Insn): number {
  if (i.aux & 0x10000) return i.aux & 0x7ff;
  let la = c.rip;
  let op = -1, modrm = 0;
  for (let k = 0; k < 15; k++) {
    const b = c.mem.read(c.translate(la + k, ACC_FETCH), 1);
    if (op < 0) {
      if (b >= 0xd8 && b <= 0xdf) op = b & 7;
      else if (b === 0x0f) break; // 0F-map instruction (EMMS...): no x87 opcode
      continue;
    }
    modrm = b;
    break;
  }
  const fop = op < 0 ? 0 : (op << 8) | modrm;
  i.aux = 0x10000 | fop;
  return fop;
}

/** Starts tracking exceptions of a non-control instruction. */
export function beginTrack(): void {
  unmaskedNow = false;
}

/**
 * Commits FIP/FCS/FOP (and FDP/FDS when `la` is a memory operand address;
 * pass NaN for none) for a non-control instruction that completed.
 */
export function commitPtrs(c: Cpu, i: Insn, la: number): void {
  const r = rulesOf(c);
  c.fip = c.rip;
  c.fop = fopOf(c, i);
  c.fcs = r.fcsFdsDeprecated ? 0 : c.sel[SEG_CS];
  if (la === la && (!r.fdpExcptnOnly || unmaskedNow)) {
    c.fdp = la;
    c.fds = r.fcsFdsDeprecated ? 0 : c.sel[i.seg];
  }
  c.xmodified |= 1;
}

/** Whether the current instruction has signalled an unmasked exception. */
export function unmaskedSignalled(): boolean {
  return unmaskedNow;
}
