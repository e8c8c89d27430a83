/**
 * Test harness for the SIMD tests (sse-harness.ts adapts it for the SSE/AVX
 * tests): assembles a few
 * instructions with the project assembler, runs them in the conformance
 * machine (CPL 3, XCR0 = 0xe7, the genoa model) with chosen vector/opmask/
 * memory state, and returns the CPU afterwards.
 */
import { Asm } from '../../guest-kernel/asm/index.ts';
import { setupCase } from '../../emulator/conform/setup.ts';
import type { Case } from '../../emulator/conform/format.ts';
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import type { StopInfo } from '../../emulator/cpu/cpu.ts';

export const CODE = 0x10000000n;
export const DATA = 0x20000000;

export interface Init {
  /** vector registers: bytes (up to 64) */
  v?: Record<number, number[] | Uint8Array>;
  /** opmask registers */
  k?: Record<number, bigint>;
  /** GPRs by number */
  r?: Record<number, bigint>;
  /** memory regions; default one 8 KiB rw region at DATA */
  mem?: { addr: number; bytes: Uint8Array; perm: 'r' | 'rw' }[];
  mxcsr?: number;
  /** start with XMODIFIED = 0 (the conformance setup starts it all ones) */
  clearXmodified?: boolean;
  xcr0?: bigint;
  /** CR0 / CR4 replacing the conformance machine's defaults */
  cr0?: number;
  cr4?: number;
}

export interface Result { c: Cpu; stop: StopInfo | null; vec(n: number, bytes?: number): number[]; mem(addr: number, n: number): number[] }

export function run(build: ((a: Asm) => void) | Uint8Array, init: Init = {}): Result {
  let code: Uint8Array;
  if (build instanceof Uint8Array) {
    code = new Uint8Array(build.length + 1);
    code.set(build);
    code[build.length] = 0xcc; // int3
  } else {
    const a = new Asm({ base: CODE });
    build(a);
    a.int3();
    code = a.link().sections[0].bytes;
  }
  const memory = (init.mem ?? [{ addr: DATA, bytes: new Uint8Array(8192), perm: 'rw' as const }])
    .map((m) => ({ addr: BigInt(m.addr), bytes: m.bytes, perm: m.perm }));
  const k: Case = {
    name: 'test', note: '', cpl: 3, xcr0: init.xcr0 ?? 0xe7n, xss: 0n, xfd: 0n,
    cr0: init.cr0 === undefined ? null : BigInt(init.cr0), cr4: init.cr4 === undefined ? null : BigInt(init.cr4), msrs: [],
    regs: new Map(), rflags: 0x202n, memory, codeAddr: CODE, code,
    expect: { vector: 3, errorCode: null, errorCodeMask: null, rip: null, regs: new Map(), msrs: [], rflags: null, memory: [] },
  };
  const cm = setupCase(k, 'genoa');
  const c = cm.cpu;
  for (const [n, b] of Object.entries(init.v ?? {})) c.v8.set(b, Number(n) * 64);
  for (const [n, v] of Object.entries(init.k ?? {})) c.k64[Number(n)] = v;
  for (const [n, v] of Object.entries(init.r ?? {})) c.R64[Number(n)] = v;
  if (init.mxcsr !== undefined) c.mxcsr = init.mxcsr;
  if (init.clearXmodified) c.xmodified = 0;
  cm.m.run(10000);
  return {
    c, stop: c.stop,
    vec: (n, bytes = 64) => Array.from(c.v8.subarray(n * 64, n * 64 + bytes)),
    mem: (addr, n) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push(cm.m.mem.u8[cm.mapper.phys(addr + i)!]);
      return out;
    },
  };
}

/** Bytes of little-endian elements of `size` bytes. */
export function le(size: number, vals: (number | bigint)[]): number[] {
  const out: number[] = [];
  for (const v of vals) {
    let x = BigInt.asUintN(size * 8, BigInt(v));
    for (let i = 0; i < size; i++) { out.push(Number(x & 0xffn)); x >>= 8n; }
  }
  return out;
}
export const seq = (n: number, f: (i: number) => number | bigint) => Array.from({ length: n }, (_, i) => f(i));
