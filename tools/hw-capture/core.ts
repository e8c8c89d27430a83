/**
 * Core of the hardware capture: case specs, code assembly (guest-kernel/asm),
 * the harness protocol (harness.c), masks (iced-x86 instruction info) and the
 * x86-conformance/1 output.
 */
import iced from 'iced-x86';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Asm, regByName, mem, Mem, Reg, type Operand } from '../../guest-kernel/asm/index.ts';

const { Decoder, DecoderOptions, Formatter, FormatterSyntax, RflagsBits, Code } = iced;

export const CODE_ADDR = 0x10000000n;
export const IN = 0x20000000;      // inputs (r)
export const OUT = 0x20010000;     // results stored by the case code (rw)
export const DATA = 0x20020000;    // memory operands (rw)
export const STACK = 0x20030000;   // stack (rw)
export const GPRS = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;
export type Gpr = (typeof GPRS)[number];

/** RFLAGS bits compared by default (as the organisers' capture): CF PF AF ZF SF TF DF OF NT AC ID. */
export const FLAGS_MASK = 0x244dd5n;
export const F = { CF: 1n, PF: 4n, AF: 0x10n, ZF: 0x40n, SF: 0x80n, OF: 0x800n, DF: 0x400n } as const;
const FLAG_NAMES: [bigint, string][] = [[F.CF, 'CF'], [F.PF, 'PF'], [F.AF, 'AF'], [F.ZF, 'ZF'], [F.SF, 'SF'], [F.OF, 'OF']];

// ---------------------------------------------------------------- randomness
let state = 0x9e3779b97f4a7c15n;
const M64 = (1n << 64n) - 1n;
export function seed(s: bigint): void { state = s & M64 || 1n; }
export function rnd64(): bigint {
  // xorshift64*
  state ^= state >> 12n; state ^= (state << 25n) & M64; state ^= state >> 27n;
  return (state * 0x2545f4914f6cdd1dn) & M64;
}
export function rint(n: number): number { return Number(rnd64() % BigInt(n)); }
export function pick<T>(a: readonly T[]): T { return a[rint(a.length)]; }
export function chance(p: number): boolean { return rint(1000000) < p * 1000000; }
export function mask(w: number): bigint { return (1n << BigInt(w)) - 1n; }
/** An operand value of `w` bits: edges half of the time. */
export function val(w: number): bigint {
  const m = mask(w), top = 1n << BigInt(w - 1);
  if (chance(0.5)) return pick([0n, 1n, m, top, top - 1n, top + 1n, 2n, m - 1n, 0x80n & m, 0x7fn & m, 0xffn & m, 0x100n & m]) & m;
  const r = rnd64() & m;
  return chance(0.2) ? r >> BigInt(rint(w)) : r;
}
export function randBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Number(rnd64() & 0xffn);
  return b;
}
export function le(v: bigint, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return b;
}
export function hex(b: Uint8Array): string { return Buffer.from(b).toString('hex'); }
export function h(v: bigint | number): string { return '0x' + BigInt(v).toString(16); }
/** Random arithmetic flags (CF PF AF ZF SF OF) with IF and the reserved bit 1. */
export function randFlags(): bigint { return 0x202n | (rnd64() & 0x8d5n); }

// ---------------------------------------------------------------- operands
export function R(name: string): Reg {
  const r = regByName(name);
  if (!r) throw new Error(`no register ${name}`);
  return r;
}
export const GPR_BY_W: Record<number, string[]> = {
  8: ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'],
  16: ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'],
  32: ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'],
  64: [...GPRS],
};
/** Name of GPR number `n` at width `w`. */
export function gname(n: number, w: number): string { return GPR_BY_W[w][n]; }
/** `k` distinct random GPR numbers, never RSP (4) unless allowed, avoiding `not`. */
export function gprs(k: number, not: number[] = [], allowRsp = false): number[] {
  const out: number[] = [];
  while (out.length < k) {
    const n = rint(16);
    if ((!allowRsp && n === 4) || out.includes(n) || not.includes(n)) continue;
    out.push(n);
  }
  return out;
}
export function sizedMem(size: number, base?: Reg, disp: number | bigint = 0, index?: Reg, scale?: 1 | 2 | 4 | 8): Mem {
  const o: Record<string, unknown> = { disp };
  if (base) o.base = base;
  if (index) { o.index = index; o.scale = scale ?? 1; }
  if (!base && !index) o.abs = true;
  return mem.sized(size, o as never);
}
export const absMem = (size: number, addr: number): Mem => mem.sized(size, { disp: addr, abs: true } as never);

// ---------------------------------------------------------------- cases
export interface Region { addr: number; bytes: Uint8Array; perm?: 'r' | 'rw' }
export interface MemMask { addr: number; len: number; bits?: number }
/** One instruction: mnemonic and operands (or raw bytes); `label` binds a label before it. */
export type Line = { mn: string; ops: Operand[]; prefix?: 'lock' | 'rep' | 'repne' } | { bytes: number[] } | { label: string };

export interface Spec {
  name: string;
  note: string;
  regs?: Partial<Record<Gpr, bigint>>;
  rflags?: bigint;
  memory?: Region[];
  code: Line[];
  /** registers not compared (SDM: undefined result), with the reason added to the note */
  ignoreRegs?: string[];
  ignoreWhy?: string;
  memMasks?: MemMask[];
  memMaskWhy?: string;
  /** extra RFLAGS bits not compared, beyond iced-x86's undefined flags */
  undefFlags?: bigint;
  undefWhy?: string;
  /** replaces iced's computation of undefined flags */
  flagsUndefExact?: bigint;
  /** result-bearing rw regions default to every rw region */
}

export interface Built { spec: Spec; code: Uint8Array; regs: Record<Gpr, bigint>; rflags: bigint; memory: Region[]; text: string }

export const ins = (mn: string, ...ops: Operand[]): Line => ({ mn, ops });
export const raw = (...bytes: number[]): Line => ({ bytes });

function assemble(lines: Line[]): Uint8Array {
  const a = new Asm({ base: CODE_ADDR });
  for (const l of lines) {
    if ('label' in l) a.label(l.label);
    else if ('bytes' in l) a.db(l.bytes);
    else {
      if (l.prefix === 'lock') a.lock();
      else if (l.prefix === 'rep') a.rep();
      else if (l.prefix === 'repne') a.repne();
      a.inst(l.mn, ...l.ops);
    }
  }
  a.db([0xcc]);
  const img = a.link();
  const text = img.sections.find((s) => s.name === 'text')!;
  return text.bytes;
}

const formatter = new Formatter(FormatterSyntax.Intel);
formatter.hexPrefix = '0x'; formatter.hexSuffix = ''; formatter.uppercaseHex = false;
formatter.spaceAfterOperandSeparator = true; formatter.branchLeadingZeros = false; formatter.showBranchSize = false;
formatter.ripRelativeAddresses = true;

export interface Decoded { text: string; undefFlags: bigint; codes: number[]; lens: number[] }
const ICED_FLAGS: [number, bigint][] = [[RflagsBits.OF, F.OF], [RflagsBits.SF, F.SF], [RflagsBits.ZF, F.ZF], [RflagsBits.AF, F.AF], [RflagsBits.CF, F.CF], [RflagsBits.PF, F.PF]];
function toRflags(b: number): bigint { let r = 0n; for (const [i, f] of ICED_FLAGS) if (b & i) r |= f; return r; }

/** Disassembles up to the final int3; undefined flags are those left undefined by the last writer of each flag. */
export function decode(code: Uint8Array): Decoded {
  const d = new Decoder(64, code, DecoderOptions.None);
  d.ip = CODE_ADDR;
  const parts: string[] = [], codes: number[] = [], lens: number[] = [];
  let undef = 0n;
  while (d.canDecode) {
    const i = d.decode();
    if (i.code === Code.Int3 && d.position === code.length) { i.free(); break; }
    codes.push(i.code); lens.push(i.length);
    if (i.code === Code.INVALID) parts.push(`.byte ${[...code.slice(d.position - i.length, d.position)].map((x) => '0x' + x.toString(16)).join(', ')}`);
    else parts.push(formatter.format(i));
    const def = toRflags(i.rflagsWritten | i.rflagsCleared | i.rflagsSet);
    undef = (undef & ~def) | toRflags(i.rflagsUndefined);
    i.free();
  }
  d.free();
  return { text: parts.join('; '), undefFlags: undef, codes, lens };
}

export function build(spec: Spec): Built {
  const code = assemble(spec.code);
  const regs = {} as Record<Gpr, bigint>;
  for (const g of GPRS) regs[g] = rnd64();
  Object.assign(regs, spec.regs ?? {});
  const rflags = spec.rflags ?? randFlags();
  const memory = (spec.memory ?? []).map((r) => ({ perm: 'rw' as const, ...r }));
  return { spec, code, regs, rflags, memory, text: decode(code).text };
}

// ---------------------------------------------------------------- harness
export interface Captured { vector: number; err: bigint; rip: bigint; rflags: bigint; regs: bigint[]; mem: Uint8Array[] }

export function harnessLine(id: number, b: Built): string {
  const parts = ['C', String(id), b.rflags.toString(16), ...GPRS.map((g) => (b.regs[g] & M64).toString(16)), hex(b.code), b.memory.length.toString(16)];
  for (const r of b.memory) parts.push(r.addr.toString(16), r.perm ?? 'rw', r.bytes.length ? hex(r.bytes) : '-', r.bytes.length.toString(16));
  return parts.join(' ');
}

/** Runs every case `runs` times through the compiled harness; a case whose runs differ is reported in `unstable`. */
export function runHarness(bin: string, built: Built[], runs = 2): { results: (Captured | string)[]; unstable: number[] } {
  const input = built.map((b, k) => harnessLine(k, b)).join('\n') + '\n';
  const p = spawnSync(bin, [String(runs)], { input, maxBuffer: 1 << 30 });
  if (p.status !== 0) throw new Error(`harness failed: ${p.stderr}`);
  const byId: Map<number, string[]> = new Map();
  for (const line of p.stdout.toString().split('\n')) {
    if (!line) continue;
    const t = line.split(' ');
    const id = Number(t[1]);
    if (!byId.has(id)) byId.set(id, []);
    byId.get(id)!.push(t[0] === 'R' ? t.slice(3).join(' ') : 'E ' + t.slice(3).join(' '));
  }
  const results: (Captured | string)[] = [];
  const unstable: number[] = [];
  built.forEach((b, k) => {
    const rs = byId.get(k) ?? ['E no output'];
    if (new Set(rs).size !== 1) unstable.push(k);
    const r = rs[0];
    if (r.startsWith('E ')) { results.push(r); return; }
    const t = r.split(' ');
    const n = (s: string) => BigInt('0x' + s);
    results.push({
      vector: Number(n(t[0])), err: n(t[1]), rip: n(t[2]), rflags: n(t[3]), regs: t.slice(4, 20).map(n),
      mem: t.slice(20, 20 + b.memory.length).map((s) => (s === '-' ? new Uint8Array(0) : Uint8Array.from(Buffer.from(s, 'hex')))),
    });
  });
  return { results, unstable };
}

// ---------------------------------------------------------------- output
const HAS_ERR = new Set([8, 10, 11, 12, 13, 14, 17, 21]);

export function toCase(b: Built, c: Captured): Record<string, unknown> {
  const s = b.spec;
  const dec = decode(b.code);
  const undef = (s.flagsUndefExact ?? dec.undefFlags) | (s.undefFlags ?? 0n);
  const notes: string[] = [s.note, `code: ${b.text}`];
  if (undef) notes.push(`RFLAGS ${FLAG_NAMES.filter(([f]) => undef & f).map(([, n]) => n).join(' ')} not compared (undefined${s.undefWhy ? ': ' + s.undefWhy : ''})`);
  const ignore = new Set(s.ignoreRegs ?? []);
  if (ignore.size) notes.push(`${[...ignore].join(', ')} not compared (${s.ignoreWhy ?? 'undefined'})`);
  if (s.memMasks?.length) notes.push(`memory masked: ${s.memMaskWhy ?? 'undefined bytes'}`);
  const regs: Record<string, string> = {};
  for (const g of GPRS) regs[g] = h(b.regs[g]);
  const eregs: Record<string, string> = {};
  GPRS.forEach((g, k) => { if (!ignore.has(g)) eregs[g] = h(c.regs[k]); });
  const stop: Record<string, string | number> = { vector: c.vector, rip: h(c.rip) };
  if (HAS_ERR.has(c.vector)) stop.error_code = h(c.err);
  const emem: Record<string, string>[] = [];
  b.memory.forEach((r, k) => {
    if (r.perm === 'r') return;
    const m: Record<string, string> = { addr: h(r.addr), hex: hex(c.mem[k]) };
    const mk = new Uint8Array(r.bytes.length).fill(0xff);
    let masked = false;
    for (const mm of s.memMasks ?? []) {
      for (let a = mm.addr; a < mm.addr + mm.len; a++) {
        const o = a - r.addr;
        if (o >= 0 && o < mk.length) { mk[o] &= ~(mm.bits ?? 0xff) & 0xff; masked = true; }
      }
    }
    if (masked) m.mask = hex(mk);
    emem.push(m);
  });
  return {
    name: s.name, note: notes.filter(Boolean).join('. '), cpl: 3, xcr0: '0xe7', xss: '0x0', xfd: '0x0',
    regs, rflags: h(b.rflags),
    memory: b.memory.map((r) => ({ addr: h(r.addr), hex: hex(r.bytes), perm: r.perm ?? 'rw' })),
    code_addr: h(CODE_ADDR), code: hex(b.code),
    expect: { stop, regs: eregs, rflags: { value: h(c.rflags & ~0x10000n), mask: h(FLAGS_MASK & ~undef) }, memory: emem },
  };
}

export function hostModel(): string {
  const t = readFileSync('/proc/cpuinfo', 'utf8');
  const g = (k: string) => new RegExp(`^${k}\\s*:\\s*(.*)$`, 'm').exec(t)?.[1] ?? '?';
  return `${g('model name')}, family ${Number(g('cpu family')).toString(16)}h model ${Number(g('model')).toString(16)}h stepping ${g('stepping')}, microcode ${g('microcode')}`;
}
