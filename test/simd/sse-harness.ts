/**
 * Harness of the SSE/AVX tests: assembles instructions with the project
 * assembler, runs them at CPL 3 in the conformance machine (genoa model,
 * XCR0 = 0xe7 unless told) with chosen vector/GPR/memory/control state, and
 * returns the CPU afterwards.
 */
import { Asm } from '../../guest-kernel/asm/index.ts';
import { setupCase } from '../../emulator/conform/setup.ts';
import type { Case } from '../../emulator/conform/format.ts';
import type { Cpu, StopInfo } from '../../emulator/cpu/cpu.ts';

export const CODE = 0x10000000n;
export const DATA = 0x20000000;

export interface Init {
  v?: Record<number, number[]>;
  r?: Record<number, bigint>;
  mem?: number[];
  mxcsr?: number;
  cr0?: number;
  cr4?: number;
  xcr0?: number;
  /** raw code bytes instead of an assembler callback */
  code?: number[];
}

export interface Result {
  c: Cpu;
  stop: StopInfo | null;
  vec(n: number, bytes?: number): number[];
  mem(addr: number, n: number): number[];
}

export function run(build: ((a: Asm) => void) | null, init: Init = {}): Result {
  let code: Uint8Array;
  if (build) {
    const a = new Asm({ base: CODE });
    build(a);
    a.int3();
    code = a.link().sections[0].bytes;
  } else code = Uint8Array.from([...(init.code ?? []), 0xcc]);
  const data = new Uint8Array(8192);
  if (init.mem) data.set(init.mem);
  const k: Case = {
    name: 'test', note: '', cpl: 3, xcr0: BigInt(init.xcr0 ?? 0xe7), xss: 0n, xfd: 0n,
    cr0: init.cr0 === undefined ? null : BigInt(init.cr0), cr4: init.cr4 === undefined ? null : BigInt(init.cr4),
    msrs: [], regs: new Map(), rflags: 0x202n, memory: [{ addr: BigInt(DATA), bytes: data, perm: 'rw' }],
    codeAddr: CODE, code,
    expect: { vector: 3, errorCode: null, errorCodeMask: null, rip: null, regs: new Map(), msrs: [], rflags: null, memory: [] },
  };
  const cm = setupCase(k, 'genoa');
  const c = cm.cpu;
  for (const [n, b] of Object.entries(init.v ?? {})) c.v8.set(b, Number(n) * 64);
  for (const [n, v] of Object.entries(init.r ?? {})) c.R64[Number(n)] = v;
  if (init.mxcsr !== undefined) c.mxcsr = init.mxcsr;
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

/** Little-endian bytes of elements of `size` bytes. */
export function le(size: number, vals: (number | bigint)[]): number[] {
  const out: number[] = [];
  for (const v of vals) {
    let x = BigInt.asUintN(size * 8, BigInt(v));
    for (let i = 0; i < size; i++) { out.push(Number(x & 0xffn)); x >>= 8n; }
  }
  return out;
}
/** Elements of `size` bytes read back from bytes (unsigned). */
export function elems(size: number, bytes: number[]): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i + size <= bytes.length; i += size) {
    let x = 0n;
    for (let j = size - 1; j >= 0; j--) x = (x << 8n) | BigInt(bytes[i + j]);
    out.push(x);
  }
  return out;
}
export const f32 = (x: number) => { const b = new Float32Array([x]); return new Uint32Array(b.buffer)[0]; };
export const fill = <T,>(n: number, v: T): T[] => new Array<T>(n).fill(v);
