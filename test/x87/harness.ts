/**
 * Runs a small x87 program (built with the assembler) on a conformance-style
 * machine: 64-bit mode, CPL 3, code at CODE, a read/write data area at DATA
 * (DATA_SIZE bytes). The program must end with INT3 (or fault); the result
 * gives the stop, the vCPU and byte access to the data area.
 */
import { Asm, mem } from '../../guest-kernel/asm/index.ts';
import { parseCaseFile } from '../../emulator/conform/format.ts';
import { setupCase } from '../../emulator/conform/setup.ts';
import type { Cpu, StopInfo } from '../../emulator/cpu/cpu.ts';

export const CODE = 0x10000000;
export const DATA = 0x20000000;
export const DATA_SIZE = 0x2000;

export interface X87Run {
  stop: StopInfo;
  c: Cpu;
  /** Bytes at DATA + off. */
  bytes(off: number, n: number): Uint8Array;
  u16(off: number): number;
  u32(off: number): number;
  hex(off: number, n: number): string;
}

export interface RunOpts {
  cpu?: string;
  cr0?: number;
  rflags?: number;
  /** Initial data: [offset from DATA, bytes]. */
  data?: [number, Uint8Array | number[]][];
}

/** Absolute memory operand at DATA + off. */
export const at = (off: number) => ({ disp: DATA + off, abs: true as const });
export const m16 = (off: number) => mem.word(at(off));
export const m32 = (off: number) => mem.dword(at(off));
export const m64 = (off: number) => mem.qword(at(off));
export const m80 = (off: number) => mem.tbyte(at(off));
export const mptr = (off: number) => mem.ptr(at(off));

export function assemble(build: (a: Asm) => void): Uint8Array {
  const a = new Asm({ base: BigInt(CODE) });
  build(a);
  return a.link().sections[0].bytes;
}

export function runX87(build: (a: Asm) => void, opts: RunOpts = {}): X87Run {
  const code = assemble(build);
  const data = new Uint8Array(DATA_SIZE);
  for (const [off, b] of opts.data ?? []) data.set(b, off);
  const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
  const doc = {
    format: 'x86-conformance/1',
    cases: [{
      name: 'x87/test',
      ...(opts.cr0 !== undefined ? { cr0: '0x' + opts.cr0.toString(16) } : {}),
      rflags: '0x' + (opts.rflags ?? 0x202).toString(16),
      memory: [{ addr: '0x' + DATA.toString(16), hex: hex(data), perm: 'rw' }],
      code_addr: '0x' + CODE.toString(16),
      code: hex(code),
      expect: { stop: { vector: 3 } },
    }],
  };
  const k = parseCaseFile(JSON.stringify(doc), 'x87-test').cases[0];
  const cm = setupCase(k, opts.cpu ?? 'genoa');
  const stop = cm.m.run(10000);
  const c = cm.cpu;
  const bytes = (off: number, n: number) => {
    const out = new Uint8Array(n);
    for (let j = 0; j < n; j++) out[j] = cm.m.mem.u8[cm.mapper.phys(DATA + off + j)!];
    return out;
  };
  return {
    stop, c, bytes,
    u16: (off) => { const b = bytes(off, 2); return b[0] | (b[1] << 8); },
    u32: (off) => { const b = bytes(off, 4); return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0; },
    hex: (off, n) => hex(bytes(off, n)),
  };
}

/** 10-byte image of an 80-bit value given as se (sign|exponent) and the 64-bit significand. */
export function f80Bytes(se: number, sig: bigint): number[] {
  const out: number[] = [];
  for (let k = 0; k < 8; k++) out.push(Number((sig >> BigInt(8 * k)) & 0xffn));
  out.push(se & 0xff, (se >> 8) & 0xff);
  return out;
}

/** Little-endian bytes of an n-byte integer. */
export function le(v: bigint | number, n: number): number[] {
  let x = BigInt.asUintN(8 * n, BigInt(v));
  const out: number[] = [];
  for (let k = 0; k < n; k++) { out.push(Number(x & 0xffn)); x >>= 8n; }
  return out;
}

/** Hex (se then significand, 20 digits) of the 10 bytes at DATA + off, like the f80 fixtures. */
export function f80Hex(r: X87Run, off: number): string {
  const b = r.bytes(off, 10);
  let s = '';
  for (let k = 9; k >= 0; k--) s += b[k].toString(16).padStart(2, '0');
  return s;
}
