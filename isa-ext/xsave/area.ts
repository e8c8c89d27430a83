/**
 * Memory access for XSAVE areas, allocation-free.
 *
 * Instructions first probe every byte range they will touch (precise faults:
 * nothing is written or loaded before every check passed, spec §5 step 6),
 * then move each component between the CPU and memory. A component that lies
 * inside one RAM page is read or written in place (`c.mem` at its physical
 * address); one that straddles a page boundary, or hits MMIO or a page
 * holding decoded code, goes through the staging buffer and the byte-wise
 * accessors (which handle self-modifying code).
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import { ACC_WRITE } from '../../emulator/memory/mmu.ts';
import type { XBuf, XstateRow } from './table.ts';

function buf(n: number): XBuf {
  const u8 = new Uint8Array(n);
  return { u8, dv: new DataView(u8.buffer) };
}

/** Staging buffer for one component (the largest, XTILEDATA, is 8 KiB). */
export const STAGE: XBuf = buf(16384);

/**
 * Physical address for an in-place access to [la, la+len) (already probed),
 * or -1 when the access must be staged.
 */
export function directPa(c: Cpu, la: number, len: number, kind: number): number {
  if ((la & 4095) + len > 4096) return -1;
  const pa = c.translate(la, kind);
  if (!c.mem.isRam(pa, len)) return -1;
  if (kind === ACC_WRITE && c.mem.codePage[Math.floor(pa / 4096)]) return -1;
  return pa;
}

/** Writes `row`'s current value at linear `la` (the component's start), `len` bytes long. */
export function writeRow(c: Cpu, row: XstateRow, la: number, len: number, opt: number): void {
  const pa = directPa(c, la, len, ACC_WRITE);
  if (pa >= 0) { row.save(c, c.mem, pa, opt); return; }
  row.save(c, STAGE, 0, opt);
  flushStage(c, la, row.ranges, len);
}

/** Writes the initial configuration of `row` at `la` (XSAVE of an XFD-disabled component). */
export function writeRowInit(c: Cpu, row: XstateRow, la: number, len: number): void {
  const s = STAGE.u8;
  if (row.saveInit) row.saveInit(STAGE, 0);
  else for (let k = 0; k < len; k++) s[k] = 0;
  flushStage(c, la, row.ranges, len);
}

/** Copies the staged bytes of `ranges` (default [0, len)) to linear `la`. */
export function flushStage(c: Cpu, la: number, ranges: readonly number[] | undefined, len: number): void {
  const s = STAGE.u8;
  if (!ranges) { for (let k = 0; k < len; k++) c.wr8(la + k, s[k]); return; }
  for (let r = 0; r < ranges.length; r += 2) for (let k = ranges[r]; k < ranges[r + 1]; k++) c.wr8(la + k, s[k]);
}

/** Where to read [la, la+len) from: a physical address in `c.mem` (≥ 0), or -1 after copying it to STAGE. */
export function readPa(c: Cpu, la: number, len: number): number {
  const pa = directPa(c, la, len, 0);
  if (pa >= 0) return pa;
  c.rdBytes(la, len, STAGE.u8, 0);
  return -1;
}
