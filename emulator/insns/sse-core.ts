/**
 * The shared machinery of the SSE..SSE4.2 / AVX / AVX2 / FMA / F16C handlers.
 *
 * An operation is defined once as a lane function
 *   fn(c, d, a, b, n, imm, i)
 * over vector slots (register numbers or scratch slots): `d` receives the
 * result, `a` is the first source (the destination register itself for the
 * legacy two-operand forms, VEX.vvvv for the three-operand VEX forms), `b`
 * the second source (register or the memory operand loaded into VTMP0), `n`
 * the vector length in bytes (16 or 32) and `imm` the immediate.
 *
 * From that one definition `defVec` registers every iced Code of the
 * mnemonic: the legacy form (128-bit, bytes 16-63 preserved, 16-byte memory
 * operands aligned unless MXCSR.MM), the VEX.128 form (bytes 16-63 zeroed) and
 * the VEX.256 form (bytes 32-63 zeroed). Each Code gets its own compiled
 * driver (gen.ts `compile`) so the call of the lane function stays monomorphic.
 *
 * Floating-point operations run every lane into scratch with the shared
 * FpEnv, then `fpCommit` folds the flags into MXCSR and raises #XM (or #UD
 * when CR4.OSXMMEXCPT=0) before anything is written.
 */
import iced from 'iced-x86';
import { defineInsn, lookupInsn, codeOf } from './registry.ts';
import { compile } from './gen.ts';
import { sseGate, vexGate, loadMem, writeVec } from './simd-state.ts';
import { VTMP0, VTMP1, VTMP2 } from '../cpu/state.ts';
import { CR4_OSXMMEXCPT } from '../memory/mmu.ts';
import { gp, ud, xm } from '../faults.ts';
import { makeFpEnv, commitFpFlags, type FpEnv } from '../fpu/simd-fp.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn, Handler } from '../cpu/insn.ts';

export { VTMP0, VTMP1, VTMP2 };
export const VTMP3 = 35;

export const ALL_CODES = Object.keys(iced.Code).filter((k) => isNaN(Number(k)));

/** The shared FP environment of the SIMD handlers (one instruction at a time). */
export const ENV: FpEnv = makeFpEnv();

export type LaneFn = (c: Cpu, d: number, a: number, b: number, n: number, imm: number, i: Insn) => void;

/** MXCSR.MM (AMD misaligned SSE mode). */
export const MXCSR_MM = 1 << 17;

/** One iced Code of a mnemonic, with its operand tokens. */
export interface Form {
  name: string;
  vex: boolean;
  /** Vector length of the VEX form in bytes (16/32); 16 for legacy. */
  vl: number;
  ops: string[];
}

const isVecTok = (t: string) => /^(xmm|ymm)/.test(t);

/** Every legacy-XMM and VEX Code of mnemonic `mn` (iced spelling, e.g. 'Paddd'); `vexOnly` names without the V. */
export function formsOf(mn: string): Form[] {
  const out: Form[] = [];
  const leg = mn + '_', vex = 'VEX_V' + mn.toLowerCase() + '_';
  for (const name of ALL_CODES) {
    let vexForm: boolean;
    if (name.startsWith(leg)) vexForm = false;
    else if (name.toLowerCase().startsWith(vex.toLowerCase()) && name.startsWith('VEX_')) vexForm = true;
    else continue;
    const ops = name.slice(vexForm ? vex.length : leg.length).split('_');
    if (!ops.some(isVecTok)) continue; // MMX or string forms
    if (ops.some((t) => /^mm/.test(t))) continue; // MMX operands
    // Skip suffixed aliases (e.g. _0F11) only when they are not operand tokens.
    const vl = ops.some((t) => t.startsWith('ymm')) ? 32 : 16;
    out.push({ name, vex: vexForm, vl, ops });
  }
  return out;
}

/** Registers a handler unless the code was already claimed (used only for shared helpers). */
export function def(name: string, exec: Handler, mem?: Handler): void {
  defineInsn(name, { owner: 'sse-avx', exec, mem });
}

export function defIfFree(name: string, exec: Handler, mem?: Handler): void {
  if (lookupInsn(codeOf(name))) return;
  def(name, exec, mem);
}

// ------------------------------------------------------------------ helpers
export function gpAlign(la: number, align: number) {
  return gp(`misaligned ${align}-byte operand at 0x${BigInt.asUintN(64, BigInt(la)).toString(16)}`);
}

/** Legacy SSE alignment rule: 16-byte operands aligned unless MXCSR.MM (and the model has MM). */
export function legacyAlign(c: Cpu, explicit: boolean): number {
  if (!explicit && (c.mxcsr & MXCSR_MM)) return 0;
  return 16;
}

/** Loads the memory operand of `i` into VTMP0 with the form's alignment rule. */
export function loadOperand(c: Cpu, i: Insn, vex: boolean, alignedForm: boolean, explicit: boolean, slot = VTMP0): number {
  const n = i.msize;
  let align = 0;
  if (vex) { if (explicit) align = n; } else if (alignedForm && n === 16) align = legacyAlign(c, explicit);
  return loadMem(c, i, n, slot, align);
}

/** Folds ENV's flags into MXCSR; raises #XM/#UD on an unmasked exception (nothing else committed). */
export function fpCommit(c: Cpu): void {
  if (ENV.flags === 0) return;
  const r = commitFpFlags(ENV, c.mxcsr);
  if (r.mxcsr !== c.mxcsr) { c.mxcsr = r.mxcsr; c.xmodified |= 2; }
  if (r.fault) {
    if (c.cr4 & CR4_OSXMMEXCPT) throw xm(`unmasked SIMD floating-point exception (MXCSR=0x${c.mxcsr.toString(16)})`);
    throw ud(`unmasked SIMD floating-point exception with CR4.OSXMMEXCPT=0 (MXCSR=0x${c.mxcsr.toString(16)})`);
  }
}

/** Zero bytes [n, 64) of register d (VEX rule) and mark XMODIFIED. */
export function finishVex(c: Cpu, d: number, n: number): void {
  const v = c.v32, base = d * 16;
  for (let k = base + (n >> 2); k < base + 16; k++) v[k] = 0;
  c.xmodified |= d >= 16 ? 128 : 0x46;
}

export function writeGpr32(c: Cpu, r: number, v: number): void {
  c.R[2 * r] = v; c.R[2 * r + 1] = 0;
}
export function writeGpr64(c: Cpu, r: number, lo: number, hi: number): void {
  c.R[2 * r] = lo; c.R[2 * r + 1] = hi;
}

// ------------------------------------------------------------------ defVec
export interface VecOpts {
  /** Lane function may write the destination directly (elementwise, alias-safe). */
  direct?: boolean;
  /** Floating point: runs with ENV loaded from MXCSR and commits flags before writing. */
  fp?: boolean;
  /** Scalar: result slot starts as a copy of source a's low 16 bytes. */
  scalar?: boolean;
  /** Legacy memory operand needs no alignment (unaligned moves, scalar ops). */
  unaligned?: boolean;
  /** Explicitly aligned form (MOVAPS, MOVDQA, MOVNT*): aligned even with MXCSR.MM, and for VEX. */
  explicit?: boolean;
  /** Result length override (bytes written) as a function of the form (e.g. narrowing conversions). */
  outBytes?: (f: Form) => number;
  /** Only VEX forms of this vector length (bytes) are accepted. */
  only?: number;
  /** Extra check run before anything (e.g. #UD conditions). */
  check?: (c: Cpu, i: Insn) => void;
  owner?: string;
}

/**
 * The lane function (and options) each Code registered through `defVec` runs,
 * by iced Code name. Other register files reuse an operation's one definition
 * from here (mmx.ts runs the XMM form's lane function over MMX operands).
 */
export const LANES = new Map<string, { fn: LaneFn; o: VecOpts }>();

/**
 * Registers every form of `mn` from one lane function. Operand shapes:
 * legacy [X, XM(, imm)] → a = dst, b = src; legacy [X(, imm)] → a = b = dst;
 * VEX [X, X, XM(, ...)] → a = vvvv, b = rm; VEX [X, XM(, imm)] → a = dst, b = rm.
 */
export function defVec(mn: string, fn: LaneFn, o: VecOpts = {}, forms = formsOf(mn)): void {
  if (forms.length === 0) throw new Error(`defVec: no forms for ${mn}`);
  for (const f of forms) {
    if (o.only && f.vex && f.vl !== o.only) continue;
    LANES.set(f.name, { fn, o });
    defineInsn(f.name, { owner: o.owner ?? 'sse-avx', exec: makeDriver(f, fn, o) });
  }
}

export function makeDriver(f: Form, fn: LaneFn, o: VecOpts): Handler {
  const vecIdx: number[] = [];
  f.ops.forEach((t, k) => { if (isVecTok(t) || /^m\d+$/.test(t)) vecIdx.push(k); });
  const reg = (k: number) => `i.r${k}`;
  let aExpr: string, bIdx: number;
  if (vecIdx.length >= 3) { aExpr = reg(vecIdx[1]); bIdx = vecIdx[2]; }
  else if (vecIdx.length === 2) { aExpr = reg(vecIdx[0]); bIdx = vecIdx[1]; }
  else { aExpr = reg(vecIdx[0]); bIdx = vecIdx[0]; }
  const n = f.vex ? f.vl : 16;
  const outN = o.outBytes ? o.outBytes(f) : n;
  const bIsRm = /^(xmm|ymm)m|^m\d/.test(f.ops[bIdx]);
  const env: Record<string, unknown> = {
    GATE: f.vex ? vexGate : sseGate, FN: fn, LOAD: loadOperand, FPENV: ENV, FPCOMMIT: fpCommit,
    WRITEVEC: writeVec, FINISH: finishVex, CHECK: o.check ?? null,
  };
  const direct = o.direct && !o.fp;
  const res = direct ? 'd' : '34';
  const alignedForm = !o.unaligned;
  let body = `GATE(c); ${o.check ? 'CHECK(c, i);' : ''}
    const d = i.r0, a = ${aExpr};
    const b = ${bIsRm ? `i.memOp >= 0 ? LOAD(c, i, ${f.vex}, ${alignedForm}, ${!!o.explicit}) : ${reg(bIdx)}` : reg(bIdx)};\n`;
  if (o.fp) body += `FPENV.rc = (c.mxcsr >>> 13) & 3; FPENV.daz = (c.mxcsr & 64) !== 0; FPENV.ftz = (c.mxcsr & 32768) !== 0; FPENV.masks = (c.mxcsr >>> 7) & 63; FPENV.sae = false; FPENV.flags = 0;\n`;
  if (o.scalar) body += `if (${res} !== a) c.v8.copyWithin(${res} * 64, a * 64, a * 64 + 16);\n`;
  body += `FN(c, ${res}, a, b, ${n}, i.imm & 255, i);\n`;
  if (o.fp) body += `FPCOMMIT(c);\n`;
  if (direct) body += f.vex ? `FINISH(c, d, ${outN});` : `c.xmodified |= 2;`;
  else body += `WRITEVEC(c, d, 34, ${outN}, ${f.vex});`;
  return compile(f.name, body, env);
}

/** Slot byte offset. */
export const O8 = (s: number) => s * 64;

export { VTMP0 as T0, VTMP1 as T1 };
export const T2 = VTMP2;
