// Turning (Code, resolved operands, prefixes) into an iced `Instruction`
// through iced's own `Instruction.create*` constructors.
import { Code, Instruction, MemoryOperand, Register, RepPrefixKind, RoundingControl } from 'iced-x86';
import type { CodeDesc } from './codes.ts';
import type { Mem } from './operands.ts';

/** An operand whose labels have been replaced by addresses. */
export type Resolved =
  | { t: 'reg'; reg: Register }
  | { t: 'mem'; m: Mem; /** label address + displacement, or the displacement */ value: bigint }
  | { t: 'imm'; v: bigint }
  | { t: 'br'; target: bigint };

export interface Extras {
  mask: Register;
  zeroing: boolean;
  rc: RoundingControl;
  sae: boolean;
  lock: boolean;
  rep: 'rep' | 'repne' | undefined;
  xacquire: boolean;
  xrelease: boolean;
}

export const NO_EXTRAS: Extras = {
  mask: Register.None, zeroing: false, rc: RoundingControl.None, sae: false, lock: false, rep: undefined, xacquire: false, xrelease: false,
};

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);

export function memoryOperand(r: Extract<Resolved, { t: 'mem' }>): MemoryOperand {
  const m = r.m;
  if (m.ripRel) return new MemoryOperand(Register.RIP, Register.None, 1, U64(r.value), 8, m.bcst, m.seg);
  const noRegs = m.base === Register.None && m.index === Register.None;
  // iced: 8 = 64-bit addressing with a disp32 when needed, 1 = shortest displacement, 0 = none
  const displSize = m.label !== undefined || noRegs ? 8 : r.value === 0n ? 0 : 1;
  return new MemoryOperand(m.base, m.index, m.scale, U64(r.value), displSize, m.bcst, m.seg);
}

type Creator = (code: Code, ...args: unknown[]) => Instruction;
const create = Instruction as unknown as Record<string, Creator>;

/** Builders for the string instructions, whose memory operands are implicit. */
const STRING_OPS: Record<string, (seg: Register) => Instruction> = {};
for (const [op, withSeg] of [['Movs', true], ['Cmps', true], ['Lods', true], ['Outs', true], ['Stos', false], ['Scas', false], ['Ins', false]] as const) {
  for (const sfx of ['b', 'w', 'd', 'q']) {
    const fn = create[`create${op}${sfx}`] as unknown as ((...a: unknown[]) => Instruction) | undefined;
    if (!fn) continue;
    const build = (seg: Register): Instruction =>
      withSeg ? fn.call(Instruction, 64, seg, RepPrefixKind.None) : fn.call(Instruction, 64, RepPrefixKind.None);
    STRING_OPS[`${op}${sfx}`] = build;
  }
}

function createImplicit(d: CodeDesc, ops: Resolved[]): Instruction {
  const stem = /^([A-Z][a-z]+?[bwdq])_/.exec(d.name)?.[1];
  if (stem && STRING_OPS[stem] && ops.length === 0) return STRING_OPS[stem](Register.None);
  const regs = ops.map((o) => (o.t === 'reg' ? o.reg : Register.None));
  if (d.code === Code.Maskmovq_rDI_mm_mm) return Instruction.createMaskmovq(64, regs[0], regs[1], Register.None);
  if (d.code === Code.Maskmovdqu_rDI_xmm_xmm) return Instruction.createMaskmovdqu(64, regs[0], regs[1], Register.None);
  if (d.code === Code.VEX_Vmaskmovdqu_rDI_xmm_xmm) return Instruction.createVmaskmovdqu(64, regs[0], regs[1], Register.None);
  if (d.code === Code.Xlat_m8) return Instruction.createMem(d.code, new MemoryOperand(Register.RBX, Register.AL, 1, 0n, 0, false, Register.None));
  throw new Error(`${d.name}: implicit operands not supported with ${ops.length} explicit operand(s)`);
}

const fitsI32 = (v: bigint): boolean => v >= -0x8000_0000n && v < 0x8000_0000n;

/** Creates the instruction; the caller frees it. Throws iced's error text. */
export function buildInstruction(d: CodeDesc, ops: Resolved[], x: Extras): Instruction {
  let ins: Instruction;
  if (d.implicitMem) ins = createImplicit(d, ops);
  else if (ops.length === 1 && ops[0].t === 'br') {
    ins = d.code === Code.Xbegin_rel32 || d.code === Code.Xbegin_rel16
      ? Instruction.createXbegin(64, ops[0].target)
      : Instruction.createBranch(d.code, ops[0].target);
  } else {
    const imms = ops.filter((o): o is Extract<Resolved, { t: 'imm' }> => o.t === 'imm');
    const allI32 = imms.every((o) => fitsI32(o.v));
    let name = 'create';
    const args: unknown[] = [];
    for (const o of ops) {
      switch (o.t) {
        case 'reg': name += 'Reg'; args.push(o.reg); break;
        case 'mem': name += 'Mem'; args.push(memoryOperand(o)); break;
        case 'br': throw new Error('a branch target must be the only operand');
        case 'imm':
          if (imms.length === 1 && !fitsI32(o.v) && !(o.v >= 0n && o.v < 0x1_0000_0000n)) {
            name += o.v < 0n ? 'I64' : 'U64';
            args.push(o.v);
          } else {
            name += allI32 ? 'I32' : 'U32';
            args.push(allI32 ? Number(o.v) : Number(BigInt.asUintN(32, o.v)));
          }
      }
    }
    const fn = create[name];
    if (!fn) throw new Error(`no iced constructor ${name} for ${d.name}`);
    ins = fn.call(Instruction, d.code, ...args);
  }
  try {
    if (x.mask !== Register.None) ins.opMask = x.mask;
    if (x.zeroing) ins.zeroingMasking = true;
    if (x.rc !== RoundingControl.None) ins.roundingControl = x.rc;
    if (x.sae) ins.suppressAllExceptions = true;
    if (x.lock) ins.hasLockPrefix = true;
    if (x.rep === 'rep') ins.hasRepPrefix = true;
    if (x.rep === 'repne') ins.hasRepnePrefix = true;
    if (x.xacquire) ins.hasXacquirePrefix = true;
    if (x.xrelease) ins.hasXreleasePrefix = true;
  } catch (e) {
    ins.free();
    throw e;
  }
  return ins;
}
