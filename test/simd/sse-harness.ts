/**
 * Harness of the SSE/AVX tests: assembles instructions with the project
 * assembler, runs them at CPL 3 in the conformance machine (genoa model,
 * XCR0 = 0xe7 unless told) with chosen vector/GPR/memory/control state, and
 * returns the CPU afterwards.
 */
import { run as runVec, le, CODE, DATA, type Result } from './avx512-harness.ts';
import type { Asm } from '../../guest-kernel/asm/index.ts';

export { le, CODE, DATA, type Result };

export interface Init {
  v?: Record<number, number[]>;
  r?: Record<number, bigint>;
  /** bytes of the 8 KiB read-write region at DATA */
  mem?: number[];
  mxcsr?: number;
  cr0?: number;
  cr4?: number;
  xcr0?: number;
  /** raw code bytes instead of an assembler callback */
  code?: number[];
}

export function run(build: ((a: Asm) => void) | null, init: Init = {}): Result {
  const data = new Uint8Array(8192);
  if (init.mem) data.set(init.mem);
  return runVec(build ?? Uint8Array.from(init.code ?? []), {
    v: init.v, r: init.r, mxcsr: init.mxcsr, cr0: init.cr0, cr4: init.cr4,
    xcr0: init.xcr0 === undefined ? undefined : BigInt(init.xcr0),
    mem: [{ addr: DATA, bytes: data, perm: 'rw' }],
  });
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
