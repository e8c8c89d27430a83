/**
 * Guest memory as the debugger sees it: linear addresses translated through
 * the vCPU's page tables *without* side effects (no accessed/dirty bits, no
 * TLB fill, no permission checks beyond "present"), and physical RAM. MMIO is
 * never touched (a read could have side effects): it is reported as unreadable.
 */
import type { Cpu } from '../cpu/cpu.ts';
import type { PhysMemory } from '../memory/phys.ts';
import { CR0_PG } from '../memory/mmu.ts';
import { laToBig } from '../msr.ts';

export class MemError extends Error {}

const P2_32 = 4294967296;
const P2_48 = 281474976710656;

export const hexAddr = (la: number): string => `0x${laToBig(la).toString(16)}`;

export interface WalkStep { level: number; entryPa: number; entry: bigint }
export interface Walk { pa: number; pageSize: number; steps: WalkStep[]; writable: boolean; user: boolean; nx: boolean; error?: string }

/** A page walk for the debugger (4-level paging, as the MMU implements it). */
export function walk(c: Cpu, la: number): Walk {
  const steps: WalkStep[] = [];
  if (!(c.cr0 & CR0_PG)) return { pa: la, pageSize: 4096, steps, writable: true, user: true, nx: false };
  if (la < -140737488355328 || la >= 140737488355328) return { pa: -1, pageSize: 0, steps, writable: false, user: false, nx: false, error: 'non-canonical address' };
  const mem = c.mem;
  const l48 = la < 0 ? la + P2_48 : la;
  let table = Math.floor(c.cr3 / 4096) * 4096 % 4503599627370496;
  let rw = 1, us = 1, nx = 0;
  for (let level = 4; level >= 1; level--) {
    const shift = 12 + 9 * (level - 1);
    const idx = Math.floor(l48 / 2 ** shift) & 511;
    const ea = table + idx * 8;
    if (!mem.isRam(ea, 8)) return { pa: -1, pageSize: 0, steps, writable: false, user: false, nx: false, error: `level-${level} table entry at 0x${ea.toString(16)} is outside RAM` };
    const lo = mem.dv.getUint32(ea, true), hi = mem.dv.getUint32(ea + 4, true);
    steps.push({ level, entryPa: ea, entry: (BigInt(hi) << 32n) | BigInt(lo) });
    if (!(lo & 1)) return { pa: -1, pageSize: 0, steps, writable: false, user: false, nx: false, error: `not mapped (level-${level} entry at 0x${ea.toString(16)} not present)` };
    rw &= (lo >> 1) & 1; us &= (lo >> 2) & 1; nx |= hi >>> 31;
    const frame = (hi & 0xfffff) * P2_32 + (lo & 0xfffff000);
    const ps = (lo & 0x80) !== 0 && (level === 2 || level === 3);
    if (level === 1 || ps) {
      const size = 2 ** shift;
      const base = level === 1 ? frame : frame - (frame % size);
      return { pa: base + (l48 % size), pageSize: size, steps, writable: rw === 1, user: us === 1, nx: nx === 1 };
    }
    table = frame;
  }
  return { pa: -1, pageSize: 0, steps, writable: false, user: false, nx: false, error: 'not mapped' };
}

/** Physical address of linear `la`, or throws MemError with a one-line reason. */
export function translate(c: Cpu, la: number): number {
  const w = walk(c, la);
  if (w.pa < 0) throw new MemError(`cannot access memory at ${hexAddr(la)}: ${w.error}`);
  return w.pa;
}

/** Physical address or -1 (no throw). */
export function tryTranslate(c: Cpu, la: number): number {
  return walk(c, la).pa;
}

function checkPhys(mem: PhysMemory, pa: number, n: number, la?: number): void {
  if (!mem.isRam(pa, n)) {
    const what = la === undefined ? `physical 0x${pa.toString(16)}` : `${hexAddr(la)} (physical 0x${pa.toString(16)})`;
    throw new MemError(`cannot access memory at ${what}: outside RAM`);
  }
}

/** Reads `n` bytes at linear `la` (page by page); throws MemError if any byte is unmapped. */
export function readLinear(c: Cpu, la: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let k = 0;
  while (k < n) {
    const a = la + k;
    const pa = translate(c, a);
    const chunk = Math.min(n - k, 4096 - (pa & 4095));
    checkPhys(c.mem, pa, chunk, a);
    out.set(c.mem.u8.subarray(pa, pa + chunk), k);
    k += chunk;
  }
  return out;
}

/** Like readLinear but returns null instead of throwing. */
export function tryReadLinear(c: Cpu, la: number, n: number): Uint8Array | null {
  try { return readLinear(c, la, n); } catch (e) { if (e instanceof MemError) return null; throw e; }
}

export function readPhys(mem: PhysMemory, pa: number, n: number): Uint8Array {
  checkPhys(mem, pa, n);
  return mem.u8.slice(pa, pa + n);
}

/**
 * Writes bytes at linear `la`: every page is translated first (nothing is
 * written if any is unmapped); writes go through PhysMemory.write so decoded
 * code on the page is invalidated.
 */
export function writeLinear(c: Cpu, la: number, bytes: Uint8Array): void {
  const pas: number[] = [];
  for (let k = 0; k < bytes.length; k++) {
    const pa = translate(c, la + k);
    checkPhys(c.mem, pa, 1, la + k);
    pas.push(pa);
  }
  for (let k = 0; k < bytes.length; k++) c.mem.write(pas[k], 1, bytes[k]);
}

export function writePhys(mem: PhysMemory, pa: number, bytes: Uint8Array): void {
  checkPhys(mem, pa, bytes.length);
  for (let k = 0; k < bytes.length; k++) mem.write(pa + k, 1, bytes[k]);
}

export function u64le(b: Uint8Array, off = 0): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(b[off + k]);
  return v;
}

/** Little-endian bytes → unsigned BigInt. */
export function leToBig(b: Uint8Array, off = 0, n = b.length - off): bigint {
  let v = 0n;
  for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[off + k]);
  return v;
}

export function bigToLe(v: bigint, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = BigInt.asUintN(n * 8, v);
  for (let k = 0; k < n; k++) { out[k] = Number(x & 0xffn); x >>= 8n; }
  return out;
}
