/**
 * Stack accesses shared by PUSH/POP, CALL/RET, ENTER/LEAVE and event delivery.
 * Each checks the address (#SS if non-canonical) and writes memory before RSP
 * is committed, so a fault leaves RSP unchanged.
 */
import type { Cpu } from '../cpu/cpu.ts';

const P2_32 = 4294967296;

export function getRsp(c: Cpu): number {
  return c.R[9] * P2_32 + (c.R[8] >>> 0);
}

export function setRsp(c: Cpu, v: number): void {
  const hi = Math.floor(v / P2_32);
  c.R[8] = (v - hi * P2_32) | 0;
  c.R[9] = hi | 0;
}

/** Pushes a 64-bit value; returns nothing, RSP committed after the write. */
export function push64(c: Cpu, lo: number, hi: number): void {
  const sp = getRsp(c) - 8;
  c.wr64(c.canon(sp, true, 'stack address'), lo, hi);
  setRsp(c, sp);
}

export function push16(c: Cpu, v: number): void {
  const sp = getRsp(c) - 2;
  c.wr16(c.canon(sp, true, 'stack address'), v);
  setRsp(c, sp);
}

/** Reads the qword at RSP + off without changing RSP (bits 63:32 in c.mhi). */
export function peek64(c: Cpu, off = 0): number {
  return c.rd64(c.canon(getRsp(c) + off, true, 'stack address'));
}

/** Pops a qword (bits 63:32 in c.mhi) and commits RSP. */
export function pop64(c: Cpu): number {
  const sp = getRsp(c);
  const lo = c.rd64(c.canon(sp, true, 'stack address'));
  setRsp(c, sp + 8);
  return lo;
}
