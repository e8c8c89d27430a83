// Runs a few instructions on a fresh machine (the conformance setup: 64-bit
// mode, CPL 3, 4-level paging) and exposes the state at the stop. Code is
// assembled by GNU as (test/asm/gnu.ts), an independent encoder, or given as
// raw bytes; an int3 is appended so a run ends with vector 3.
import { setupCase } from '../../emulator/conform/setup.ts';
import { getRflags } from '../../emulator/cpu/flags.ts';
import { GPR_NAMES } from '../../emulator/cpu/state.ts';
import type { Case } from '../../emulator/conform/format.ts';
import { gasEncode } from '../asm/gnu.ts';

export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;
/** The six arithmetic flags. */
export const ARITH = CF | PF | AF | ZF | SF | OF;
export const CODE = 0x10000000n;
export const DATA = 0x20000000n;

export interface MemIn { addr: bigint; bytes: ArrayLike<number>; perm?: 'r' | 'rw' }
export interface RunIn {
  /** Intel-syntax lines for GNU as, or raw bytes. */
  asm?: string[];
  bytes?: ArrayLike<number>;
  regs?: Record<string, bigint>;
  /** Initial RFLAGS (bit 1 and IF are added). */
  flags?: number;
  mem?: MemIn[];
  cpl?: 0 | 3;
}
export interface RunOut {
  vector: number;
  errorCode: number | undefined;
  /** Address of the stopping instruction (the int3, or the faulting one). */
  rip: bigint;
  flags: number;
  reg(name: string): bigint;
  mem(addr: bigint, n: number): number[];
  /** Little-endian integer of n bytes at addr. */
  memVal(addr: bigint, n: number): bigint;
  code: Uint8Array;
  /** Instructions retired. */
  icount: number;
}

const asmCache = new Map<string, Uint8Array>();
export function assemble(lines: string[]): Uint8Array {
  const key = lines.join('\n');
  let b = asmCache.get(key);
  if (!b) {
    const parts = gasEncode(lines);
    b = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { b.set(p, o); o += p.length; }
    asmCache.set(key, b);
  }
  return b;
}

/** Assembles many one-line programs with a single `as` run (fills the cache used by `run`). */
export function preassemble(lines: string[]): void {
  const todo = [...new Set(lines)].filter((l) => !asmCache.has(l));
  if (!todo.length) return;
  const parts = gasEncode(todo);
  todo.forEach((l, k) => asmCache.set(l, parts[k]));
}

export function run(input: RunIn): RunOut {
  const body = input.asm ? assemble(input.asm) : new Uint8Array(input.bytes ?? []);
  const code = new Uint8Array(body.length + 1);
  code.set(body);
  code[body.length] = 0xcc;
  const regs = new Map<string, bigint>();
  for (const [k, v] of Object.entries(input.regs ?? {})) {
    if (!GPR_NAMES.includes(k)) throw new Error(`unknown register ${k}`);
    regs.set(k, BigInt.asUintN(64, v));
  }
  const k: Case = {
    name: 'test', note: '', cpl: input.cpl ?? 3, xcr0: 0x7n, xss: 0n, xfd: 0n, cr0: null, cr4: null, msrs: [],
    regs, rflags: BigInt(0x202 | (input.flags ?? 0)),
    memory: (input.mem ?? []).map((m) => ({ addr: m.addr, bytes: Uint8Array.from(m.bytes), perm: m.perm ?? 'rw' })),
    codeAddr: CODE, code,
    expect: { vector: 3, errorCode: null, errorCodeMask: null, rip: null, regs: new Map(), msrs: [], rflags: null, memory: [] },
  };
  const cm = setupCase(k, 'genoa');
  const stop = cm.m.run(10_000_000);
  if (stop.kind !== 'exception') throw new Error(`run ended with ${stop.kind}: ${stop.reason ?? ''}`);
  const c = cm.cpu;
  const rd = (a: bigint) => {
    const pa = cm.mapper.phys(Number(BigInt.asIntN(64, a)));
    if (pa === undefined) throw new Error(`0x${a.toString(16)} is not mapped`);
    return cm.m.mem.u8[pa];
  };
  return {
    vector: stop.vector!,
    errorCode: stop.errorCode,
    rip: BigInt.asUintN(64, BigInt(stop.rip!)),
    flags: getRflags(c),
    reg: (name) => c.R64[GPR_NAMES.indexOf(name)],
    mem: (addr, n) => Array.from({ length: n }, (_, b) => rd(addr + BigInt(b))),
    memVal: (addr, n) => {
      let v = 0n;
      for (let b = n - 1; b >= 0; b--) v = (v << 8n) | BigInt(rd(addr + BigInt(b)));
      return v;
    },
    code: body,
    icount: c.icount,
  };
}

/** Little-endian bytes of v (n bytes). */
export function le(v: bigint, n: number): number[] {
  return Array.from({ length: n }, (_, b) => Number((BigInt.asUintN(64 * 2, v) >> BigInt(8 * b)) & 0xffn));
}

/** Runs and expects the int3 stop (no fault). */
export function ok(input: RunIn): RunOut {
  const r = run(input);
  if (r.vector !== 3) throw new Error(`expected the run to complete, got vector ${r.vector} at 0x${r.rip.toString(16)}`);
  return r;
}
