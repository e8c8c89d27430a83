// Picking an iced Code for a mnemonic and operands. Candidates whose operand
// kinds fit are encoded with iced's Encoder and the shortest wins (ties: the
// lower Code, which is the lower opcode: `mov rax, rbx` -> 89 /r as GNU as
// does). Branches to labels that have both rel8 and rel32 forms are left to
// link-time relaxation.
import { Code, Encoder, OpCodeOperandKind as K, Register } from 'iced-x86';
import { buildInstruction, type Extras, type Resolved } from './build.ts';
import type { CodeDesc } from './codes.ts';
import { Label, type Mem } from './operands.ts';
import { Reg, regOf, type RegClass } from './registers.ts';

/** An operand after label names are resolved to Label objects. */
export type POp =
  | { t: 'reg'; r: Reg }
  | { t: 'mem'; m: Mem }
  | { t: 'imm'; v: bigint }
  | { t: 'lab'; label: Label; addend: bigint };

const RM: Partial<Record<K, RegClass>> = {
  [K.r8_or_mem]: 'gpr8', [K.r16_or_mem]: 'gpr16', [K.r32_or_mem]: 'gpr32', [K.r32_or_mem_mpx]: 'gpr32',
  [K.r64_or_mem]: 'gpr64', [K.r64_or_mem_mpx]: 'gpr64', [K.mm_or_mem]: 'mm', [K.xmm_or_mem]: 'xmm',
  [K.ymm_or_mem]: 'ymm', [K.zmm_or_mem]: 'zmm', [K.bnd_or_mem_mpx]: 'bnd', [K.k_or_mem]: 'k',
};
const REG: Partial<Record<K, RegClass>> = {
  [K.r8_reg]: 'gpr8', [K.r8_opcode]: 'gpr8',
  [K.r16_reg]: 'gpr16', [K.r16_reg_mem]: 'gpr16', [K.r16_rm]: 'gpr16', [K.r16_opcode]: 'gpr16',
  [K.r32_reg]: 'gpr32', [K.r32_reg_mem]: 'gpr32', [K.r32_rm]: 'gpr32', [K.r32_opcode]: 'gpr32', [K.r32_vvvv]: 'gpr32',
  [K.r64_reg]: 'gpr64', [K.r64_reg_mem]: 'gpr64', [K.r64_rm]: 'gpr64', [K.r64_opcode]: 'gpr64', [K.r64_vvvv]: 'gpr64',
  [K.seg_reg]: 'seg', [K.k_reg]: 'k', [K.kp1_reg]: 'k', [K.k_rm]: 'k', [K.k_vvvv]: 'k',
  [K.mm_reg]: 'mm', [K.mm_rm]: 'mm',
  [K.xmm_reg]: 'xmm', [K.xmm_rm]: 'xmm', [K.xmm_vvvv]: 'xmm', [K.xmmp3_vvvv]: 'xmm', [K.xmm_is4]: 'xmm', [K.xmm_is5]: 'xmm',
  [K.ymm_reg]: 'ymm', [K.ymm_rm]: 'ymm', [K.ymm_vvvv]: 'ymm', [K.ymm_is4]: 'ymm', [K.ymm_is5]: 'ymm',
  [K.zmm_reg]: 'zmm', [K.zmm_rm]: 'zmm', [K.zmm_vvvv]: 'zmm', [K.zmmp3_vvvv]: 'zmm',
  [K.cr_reg]: 'cr', [K.dr_reg]: 'dr', [K.tr_reg]: 'tr', [K.bnd_reg]: 'bnd', [K.sti_opcode]: 'st',
  [K.tmm_reg]: 'tmm', [K.tmm_rm]: 'tmm', [K.tmm_vvvv]: 'tmm',
};
const FIXED: Partial<Record<K, Register>> = {
  [K.es]: Register.ES, [K.cs]: Register.CS, [K.ss]: Register.SS, [K.ds]: Register.DS, [K.fs]: Register.FS, [K.gs]: Register.GS,
  [K.al]: Register.AL, [K.cl]: Register.CL, [K.ax]: Register.AX, [K.dx]: Register.DX, [K.eax]: Register.EAX,
  [K.rax]: Register.RAX, [K.st0]: Register.ST0,
};
const VSIB: Partial<Record<K, RegClass>> = {
  [K.mem_vsib32x]: 'xmm', [K.mem_vsib64x]: 'xmm', [K.mem_vsib32y]: 'ymm', [K.mem_vsib64y]: 'ymm',
  [K.mem_vsib32z]: 'zmm', [K.mem_vsib64z]: 'zmm',
};
const PLAIN_MEM = new Set<K>([K.mem, K.mem_mpx, K.mem_mib, K.sibmem]);
export const BRANCH_KINDS = new Set<K>([K.br64_1, K.br64_4, K.xbegin_4]);

const inRange = (v: bigint, lo: bigint, hi: bigint): boolean => v >= lo && v <= hi;
const sext = (v: bigint, bits: number): bigint => BigInt.asIntN(bits, v);
/** `v` written for an N-bit operand: accepted as signed or unsigned N-bit. */
const fitsN = (v: bigint, bits: number): boolean => inRange(v, -(1n << BigInt(bits - 1)), (1n << BigInt(bits)) - 1n);

export function immFits(k: K, v: bigint): boolean {
  switch (k) {
    case K.imm8: return fitsN(v, 8);
    case K.imm8_const_1: return v === 1n;
    case K.imm4_m2z: return inRange(v, 0n, 15n);
    case K.imm8sex16: return fitsN(v, 16) && inRange(sext(v, 16), -128n, 127n);
    case K.imm8sex32: return fitsN(v, 32) && inRange(sext(v, 32), -128n, 127n);
    case K.imm8sex64: return fitsN(v, 64) && inRange(sext(v, 64), -128n, 127n);
    case K.imm16: return fitsN(v, 16);
    case K.imm32: return fitsN(v, 32);
    case K.imm32sex64: return fitsN(v, 64) && inRange(sext(v, 64), -(1n << 31n), (1n << 31n) - 1n);
    case K.imm64: return fitsN(v, 64);
    default: return false;
  }
}

/** The immediate as iced wants it for kind `k` (sign-extended kinds as signed values). */
export function immValue(k: K, v: bigint): bigint {
  switch (k) {
    case K.imm8sex16: return sext(v, 16);
    case K.imm8sex32: return sext(v, 32);
    case K.imm8sex64: case K.imm32sex64: return sext(v, 64);
    case K.imm8: return BigInt.asUintN(8, v);
    case K.imm16: return BigInt.asUintN(16, v);
    case K.imm32: return BigInt.asUintN(32, v);
    default: return v;
  }
}

/** Label immediates: widest first so that any address fits; 32-bit forms only if no 64-bit one exists. */
const LABEL_IMM_WIDE = new Set<K>([K.imm64]);
const LABEL_IMM_32 = new Set<K>([K.imm32, K.imm32sex64]);

function memFits(k: K, m: Mem, d: CodeDesc): boolean {
  if (m.bcst) {
    if (!d.bcstSize || (m.size !== 0 && m.size !== d.bcstSize)) return false;
  } else if (m.size !== 0 && d.memSize !== 0 && m.size !== d.memSize) return false;
  const vsib = VSIB[k];
  const idx = m.index === Register.None ? undefined : regClassOf(m.index);
  if (vsib) return idx === vsib;
  if (idx !== undefined && idx !== 'gpr64' && idx !== 'gpr32') return false;
  return PLAIN_MEM.has(k) || RM[k] !== undefined;
}

const classCache = new Map<Register, RegClass>();
function regClassOf(r: Register): RegClass {
  let c = classCache.get(r);
  if (!c) { c = regOf(r).cls; classCache.set(r, c); }
  return c;
}

export function kindAccepts(k: K, op: POp, d: CodeDesc, wideLabels: boolean): boolean {
  switch (op.t) {
    case 'reg': {
      const fixed = FIXED[k];
      if (fixed !== undefined) return op.r.reg === fixed;
      return (REG[k] ?? RM[k]) === op.r.cls;
    }
    case 'mem':
      return memFits(k, op.m, d);
    case 'imm':
      return BRANCH_KINDS.has(k) || immFits(k, op.v);
    case 'lab':
      return BRANCH_KINDS.has(k) || (wideLabels ? LABEL_IMM_WIDE : LABEL_IMM_32).has(k);
  }
}

function decorationsFit(d: CodeDesc, x: Extras, ops: POp[]): boolean {
  if (x.mask !== Register.None && !d.canMask) return false;
  if (x.zeroing && !d.canZero) return false;
  if (x.rc !== 0 && !d.canRc) return false;
  if (x.sae && !d.canSae) return false;
  if (ops.some((o) => o.t === 'mem' && o.m.bcst) && !d.bcstSize) return false;
  return true;
}

/** Candidates whose kinds accept the operands. */
export function filterCandidates(cands: CodeDesc[], ops: POp[], x: Extras): CodeDesc[] {
  const pass = (wide: boolean): CodeDesc[] =>
    cands.filter((d) => {
      if (d.implicitMem && ops.length === 0) return decorationsFit(d, x, ops);
      if (d.ops.length !== ops.length) return false;
      return d.ops.every((k, i) => kindAccepts(k, ops[i], d, wide)) && decorationsFit(d, x, ops);
    });
  let out = pass(true);
  if (out.length === 0 && ops.some((o) => o.t === 'lab')) out = pass(false);
  // Without a 16-bit operand to ask for it, never pick a 66h-prefixed 16-bit form
  // over a 32/64-bit one (push imm, push fs, ret imm16, enter ...).
  if (out.some((d) => d.operandSize !== 16) && !ops.some((o) => (o.t === 'reg' && o.r.cls === 'gpr16') || (o.t === 'mem' && o.m.size === 2))) {
    out = out.filter((d) => d.operandSize !== 16);
  }
  return out;
}

export function isBranch(d: CodeDesc): boolean {
  return d.ops.length === 1 && BRANCH_KINDS.has(d.ops[0]);
}

const PLACEHOLDER_ADDR = 0x40_0000n;

/** Operands with every label replaced by `addrOf(label)`. */
export function resolveOps(d: CodeDesc, ops: POp[], addrOf: (l: Label) => bigint): Resolved[] {
  return ops.map((o, i): Resolved => {
    const k = d.ops[i];
    switch (o.t) {
      case 'reg': return { t: 'reg', reg: o.r.reg };
      case 'mem': {
        const value = (o.m.label instanceof Label ? addrOf(o.m.label) : 0n) + o.m.disp;
        if (o.m.label !== undefined && !o.m.ripRel && BigInt.asIntN(32, value) !== BigInt.asIntN(64, value)) {
          throw new Error(`address 0x${value.toString(16)} of ${o.m.label} does not fit a sign-extended disp32`);
        }
        return { t: 'mem', m: o.m, value };
      }
      case 'imm': return BRANCH_KINDS.has(k) ? { t: 'br', target: o.v } : { t: 'imm', v: immValue(k, o.v) };
      case 'lab': {
        const a = addrOf(o.label) + o.addend;
        if (!BRANCH_KINDS.has(k) && !immFits(k, a)) {
          throw new Error(`address 0x${a.toString(16)} of ${o.label} does not fit the ${K[k]} immediate`);
        }
        return BRANCH_KINDS.has(k) ? { t: 'br', target: a } : { t: 'imm', v: immValue(k, a) };
      }
    }
  });
}

let encoder: Encoder | undefined;
export function sharedEncoder(): Encoder {
  if (!encoder) encoder = new Encoder(64);
  return encoder;
}

/** Encodes at `rip`; returns the bytes. Throws iced's error. */
export function encodeOne(d: CodeDesc, ops: Resolved[], x: Extras, rip: bigint): Uint8Array {
  const ins = buildInstruction(d, ops, x);
  const enc = sharedEncoder();
  try {
    enc.encode(ins, rip);
    return enc.takeBuffer();
  } catch (e) {
    enc.takeBuffer();
    throw e;
  } finally {
    ins.free();
  }
}

/** Length of an instruction whose label operands are placeholders (branches: to itself). */
export function trialLength(d: CodeDesc, ops: POp[], x: Extras, rip = PLACEHOLDER_ADDR): number {
  const resolved = resolveOps(d, ops, () => PLACEHOLDER_ADDR);
  for (const r of resolved) {
    if (r.t === 'br') r.target = rip;
    if (r.t === 'mem' && r.m.ripRel) r.value = rip;
  }
  return encodeOne(d, resolved, x, rip).length;
}

export interface Choice {
  /** the chosen Code for a non-relaxed instruction */
  fixed?: { d: CodeDesc; length: number };
  /** a label branch: rel8 and/or rel32 forms with their lengths */
  branch?: { short?: { d: CodeDesc; length: number }; near?: { d: CodeDesc; length: number } };
  errors: string[];
  /** set when an unsized memory operand fits candidates of different sizes */
  ambiguous?: number[];
}

export function choose(cands: CodeDesc[], ops: POp[], x: Extras): Choice {
  const errors: string[] = [];
  const sized: { d: CodeDesc; length: number }[] = [];
  for (const d of cands) {
    try {
      sized.push({ d, length: trialLength(d, ops, x) });
    } catch (e) {
      errors.push(`${d.instructionString}: ${(e as Error).message ?? e}`);
    }
  }
  if (sized.length === 0) return { errors };
  if (ops.some((o) => o.t === 'mem' && o.m.size === 0 && !o.m.bcst)) {
    const sizes = [...new Set(sized.map((s) => s.d.memSize))];
    if (sizes.length > 1) return { errors, ambiguous: sizes.sort((a, b) => a - b) };
  }
  const br = sized.filter((s) => isBranch(s.d));
  if (br.length > 0 && br.length === sized.length && ops.length === 1 && (ops[0].t === 'lab' || ops[0].t === 'imm')) {
    const short = br.find((s) => s.d.ops[0] === K.br64_1);
    const near = br.find((s) => s.d.ops[0] === K.br64_4 || s.d.ops[0] === K.xbegin_4);
    return { branch: { short, near }, errors };
  }
  sized.sort((a, b) => a.length - b.length || a.d.prio - b.d.prio || a.d.code - b.d.code);
  return { fixed: sized[0], errors };
}

export { Code };
