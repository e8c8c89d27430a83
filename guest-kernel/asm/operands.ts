// Operand types other than registers: labels, label+addend references,
// memory operands, and the EVEX rounding / SAE decorators.
import { Register, RoundingControl } from 'iced-x86';
import { Reg } from './registers.ts';

/** A position in the program; bound by `Asm.label()`/`Asm.bind()`. */
export class Label {
  readonly kind = 'label' as const;
  constructor(readonly id: number, readonly name: string | undefined) {}
  /** `label + n` as an operand (branch target, immediate, displacement or data). */
  plus(addend: number | bigint): LabelRef { return new LabelRef(this, BigInt(addend)); }
  toString(): string { return this.name ?? `.L${this.id}`; }
}

/** A label (object or name, resolved in the scope where it is used) plus an addend. */
export class LabelRef {
  readonly kind = 'labelref' as const;
  constructor(readonly target: Label | string, readonly addend: bigint) {}
  toString(): string {
    const a = this.addend;
    return `${this.target}${a === 0n ? '' : a > 0n ? `+${a}` : `${a}`}`;
  }
}

/** `ref('name', 8)`: the address of a label (object or name) plus an addend. */
export function ref(target: Label | string, addend: number | bigint = 0): LabelRef {
  return new LabelRef(target, BigInt(addend));
}

/** Anything that names an address: a label, its name, or label+addend. */
export type LabelLike = Label | LabelRef | string;

/** A struct field (from `defineStruct`) can stand for its offset. */
export interface HasOffset { offset: number }

export type Disp = number | bigint | HasOffset | LabelLike;

export interface MemOpts {
  base?: Reg;
  index?: Reg;
  scale?: 1 | 2 | 4 | 8;
  disp?: Disp;
  /** Segment override (fs/gs for TLS and per-CPU data). */
  seg?: Reg;
  /** EVEX embedded broadcast `{1toN}`; the size is the element size. */
  bcst?: boolean;
  /** A label displacement without base/index is RIP-relative unless `abs` is set. */
  abs?: boolean;
}

export const MEM_SIZE_NAMES: Record<number, string> = {
  0: '', 1: 'byte', 2: 'word', 4: 'dword', 6: 'fword', 8: 'qword', 10: 'tbyte', 16: 'xmmword', 32: 'ymmword', 64: 'zmmword',
};

/** A memory operand: `size` in bytes (0 = let the instruction decide). */
export class Mem {
  readonly kind = 'mem' as const;
  constructor(
    readonly size: number,
    readonly base: Register,
    readonly index: Register,
    readonly scale: number,
    /** numeric displacement (added to the label address when `label` is set) */
    readonly disp: bigint,
    readonly label: Label | string | undefined,
    readonly ripRel: boolean,
    readonly seg: Register,
    readonly bcst: boolean,
    readonly mask: Register = Register.None,
    readonly zeroing = false,
  ) {}
  private with(p: Partial<Pick<Mem, 'mask' | 'zeroing' | 'bcst' | 'label' | 'disp'>>): Mem {
    return new Mem(this.size, this.base, this.index, this.scale, p.disp ?? this.disp, 'label' in p ? p.label : this.label,
      this.ripRel, this.seg, p.bcst ?? this.bcst, p.mask ?? this.mask, p.zeroing ?? this.zeroing);
  }
  /** EVEX op-mask on a memory destination: `[rdi]{k1}`. */
  k(mask: Reg): Mem {
    if (mask.cls !== 'k' || mask.reg === Register.K0) throw new Error(`op mask must be k1..k7, got ${mask.name}`);
    return this.with({ mask: mask.reg });
  }
  get z(): Mem { return this.with({ zeroing: true }); }
  /** Embedded broadcast `{1toN}`. */
  get b(): Mem { return this.with({ bcst: true }); }
  /** @internal the same operand with its label replaced (scope resolution). */
  withLabel(label: Label): Mem { return this.with({ label }); }
  toString(): string {
    const parts: string[] = [];
    if (this.base !== Register.None) parts.push(Register[this.base].toLowerCase());
    if (this.index !== Register.None) parts.push(`${Register[this.index].toLowerCase()}${this.scale !== 1 ? `*${this.scale}` : ''}`);
    if (this.label !== undefined) parts.push(String(this.label));
    let s = parts.join('+');
    if (this.disp !== 0n || parts.length === 0) s += this.disp < 0n ? `-0x${(-this.disp).toString(16)}` : `${s ? '+' : ''}0x${this.disp.toString(16)}`;
    const seg = this.seg !== Register.None ? `${Register[this.seg].toLowerCase()}:` : '';
    const size = MEM_SIZE_NAMES[this.size] ?? `${this.size}-byte`;
    let out = `${size ? size + (this.bcst ? ' bcst ' : ' ptr ') : ''}${seg}[${s}]`;
    if (this.mask !== Register.None) out += `{${Register[this.mask].toLowerCase()}}`;
    if (this.zeroing) out += '{z}';
    return out;
  }
}

type MemArgs = [Reg | LabelLike | number | bigint | MemOpts, (Disp | MemOpts)?];

function isOpts(x: unknown): x is MemOpts {
  return typeof x === 'object' && x !== null && !(x instanceof Reg) && !(x instanceof Label) && !(x instanceof LabelRef) && !('offset' in x);
}

function makeMem(size: number, args: MemArgs): Mem {
  const [a, b] = args;
  let o: MemOpts;
  if (a instanceof Reg) o = isOpts(b) ? { ...b, base: a } : { base: a, disp: b as Disp | undefined };
  else if (isOpts(a)) o = a;
  else {
    // label or absolute address first; a number second is an addend
    if (b !== undefined && typeof b !== 'number' && typeof b !== 'bigint') throw new Error('memory: after a label or address only a numeric addend may follow');
    o = { disp: a as Disp };
    if (b !== undefined) {
      if (typeof a === 'number' || typeof a === 'bigint') o.disp = BigInt(a) + BigInt(b);
      else o.disp = a instanceof LabelRef ? new LabelRef(a.target, a.addend + BigInt(b)) : new LabelRef(a, BigInt(b));
    }
  }
  let base = o.base;
  const index = o.index;
  if (base && base.cls !== 'gpr64' && base.cls !== 'gpr32' && base.cls !== 'ip') throw new Error(`memory: ${base.name} cannot be a base register`);
  if (index && !['gpr64', 'gpr32', 'xmm', 'ymm', 'zmm'].includes(index.cls)) throw new Error(`memory: ${index.name} cannot be an index register`);
  const scale = o.scale ?? 1;
  if (![1, 2, 4, 8].includes(scale)) throw new Error(`memory: scale must be 1, 2, 4 or 8, got ${scale}`);
  if (o.scale !== undefined && !index) throw new Error('memory: scale given without an index register');
  let disp = 0n;
  let label: Label | string | undefined;
  const d = o.disp;
  if (typeof d === 'number') {
    if (!Number.isSafeInteger(d)) throw new Error(`memory: displacement ${d} is not an integer`);
    disp = BigInt(d);
  } else if (typeof d === 'bigint') disp = d;
  else if (typeof d === 'string' || d instanceof Label) label = d;
  else if (d instanceof LabelRef) { label = d.target; disp = d.addend; } else if (d !== undefined) disp = BigInt(d.offset);
  const isRip = base?.cls === 'ip';
  if (isRip && index) throw new Error('memory: RIP-relative addressing cannot have an index');
  const ripRel = isRip || (label !== undefined && !base && !index && !o.abs);
  if (ripRel) base = undefined;
  if (ripRel && label === undefined) throw new Error('memory: RIP-relative operand needs a label (an absolute target)');
  return new Mem(size, base?.reg ?? Register.None, index?.reg ?? Register.None, scale, disp, label, ripRel,
    o.seg?.reg ?? Register.None, o.bcst ?? false);
}

type MemFn = (...args: MemArgs) => Mem;
const sized = (n: number): MemFn => (...args) => makeMem(n, args);

/**
 * Memory operands. Forms: `mem.qword(rbp, -16)`, `mem.qword(rbp, {index: rcx, scale: 8, disp: -16})`,
 * `mem.qword({index: rcx, scale: 8, disp: 'table', abs: true})`, `mem.qword('label')` (RIP-relative),
 * `mem.qword('label', 8)`, `mem.qword(rax, {seg: fs})`, `mem.dword(rax, {bcst: true})`,
 * `mem.ptr(rdi)` (size left to the instruction: lea, xsave, fxsave, clflush ...).
 */
export const mem = {
  ptr: sized(0),
  byte: sized(1),
  word: sized(2),
  dword: sized(4),
  fword: sized(6),
  qword: sized(8),
  tbyte: sized(10),
  tword: sized(10),
  xmmword: sized(16),
  oword: sized(16),
  ymmword: sized(32),
  zmmword: sized(64),
  /** any size in bytes, e.g. `mem.sized(512, rdi)` for fxsave's m512byte */
  sized: (n: number, ...args: MemArgs): Mem => makeMem(n, args),
};

/** EVEX static rounding (implies SAE) and suppress-all-exceptions, written as a last operand. */
export class Decorator {
  readonly kind = 'decorator' as const;
  constructor(readonly name: string, readonly rc: RoundingControl, readonly sae: boolean) {}
  toString(): string { return `{${this.name}}`; }
}
export const rn_sae = new Decorator('rn-sae', RoundingControl.RoundToNearest, true);
export const rd_sae = new Decorator('rd-sae', RoundingControl.RoundDown, true);
export const ru_sae = new Decorator('ru-sae', RoundingControl.RoundUp, true);
export const rz_sae = new Decorator('rz-sae', RoundingControl.RoundTowardZero, true);
export const sae = new Decorator('sae', RoundingControl.None, true);

export type Imm = number | bigint;
export type Operand = Reg | Mem | Imm | LabelLike | Decorator;

export function fmtOperand(op: Operand): string {
  if (typeof op === 'number') return op < 0 ? `-0x${(-op).toString(16)}` : `0x${op.toString(16)}`;
  if (typeof op === 'bigint') return op < 0n ? `-0x${(-op).toString(16)}` : `0x${op.toString(16)}`;
  return String(op);
}
