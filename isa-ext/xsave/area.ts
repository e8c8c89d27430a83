/**
 * Memory access for XSAVE areas, allocation-free.
 *
 * Instructions first probe every byte range they will touch (precise faults:
 * nothing is written or loaded before every check passed, spec §5 step 6),
 * then move each component between the CPU and memory. A component that lies
 * inside one RAM page is read or written in place (`ramBuf` at its physical
 * address); one that straddles a page boundary, or hits MMIO or a page
 * holding decoded code, goes through the staging buffer and the byte-wise
 * accessors (which handle self-modifying code). Rows are only ever given an
 * 8-byte-aligned offset (anything else is staged, at offset 0).
 *
 * The common case, an area whose touched bytes all lie in one RAM page, is
 * recognised once per instruction by `areaPa`: one translation then stands for
 * every probe, and every component is at base + offset (`compPa`).
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import { ACC_WRITE } from '../../emulator/memory/mmu.ts';
import type { Geometry, XBuf, XstateRow } from './table.ts';
import type { XsaveVcpu } from './vcpu.ts';

/** An XBuf that carries its word view. */
export interface WordBuf extends XBuf {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
}

function buf(n: number): WordBuf {
  const u8 = new Uint8Array(n);
  return { u8, dv: new DataView(u8.buffer), i32: new Int32Array(u8.buffer), f64: new Float64Array(u8.buffer) };
}

/** Staging buffer for one component (the largest, XTILEDATA, is 8 KiB). */
export const STAGE: WordBuf = buf(16384);

/** Guest RAM as an XBuf (views cached on the vCPU state, rebuilt if `cpu.mem` changes). */
export function ramBuf(c: Cpu, v: XsaveVcpu): WordBuf {
  const mem = c.mem;
  let r = v.ram;
  if (r === null || v.ramOf !== mem) {
    r = { u8: mem.u8, dv: mem.dv, i32: mem.i32, f64: new Float64Array(mem.buf) };
    v.ram = r;
    v.ramOf = mem;
  }
  return r;
}

/**
 * Physical address for an in-place access to [la, la+len) (already probed),
 * or -1 when the access must be staged.
 */
export function directPa(c: Cpu, la: number, len: number, kind: number): number {
  if ((la & 4095) + len > 4096 || (la & 7) !== 0) return -1;
  const pa = c.translate(la, kind);
  if (!c.mem.isRam(pa, len)) return -1;
  if (kind === ACC_WRITE && c.mem.codePage[Math.floor(pa / 4096)]) return -1;
  return pa;
}

/**
 * When the bytes an instruction touches, [la, la+end), lie in one RAM page
 * (for writes: one holding no decoded code): the physical address of `la`;
 * else -1, and the caller probes range by range. `first` is the offset of the
 * instruction's first probe of this access kind, translated here so that a
 * #PF reports the same address. With one page that translation stands for all
 * of the instruction's probes of this kind: they would translate the same page
 * for the same access and succeed (repeating a walk changes nothing more).
 */
export function areaPa(c: Cpu, la: number, first: number, end: number, kind: number): number {
  if ((la & 4095) + end > 4096) return -1;
  const pa = c.translate(la + first, kind) - first;
  if (!c.mem.isRam(pa, end)) return -1;
  if (kind === ACC_WRITE && c.mem.codePage[Math.floor(pa / 4096)]) return -1;
  return pa;
}

/**
 * For reads: `base` (from `areaPa` for a smaller extent of the same area) if
 * [la, la+end) still lies in its RAM page, else -1. The page was translated
 * for reading already, so this stands for the probes of the larger extent too.
 */
export function extendArea(c: Cpu, base: number, la: number, end: number): number {
  if (base < 0 || (la & 4095) + end > 4096 || !c.mem.isRam(base, end)) return -1;
  return base;
}

/** End of the bytes of components `m` (2..30; bits 0-1 are the legacy region) at offsets `offs`, at least `end`. */
export function spanEnd(g: Geometry, offs: Int32Array, m: number, end: number): number {
  m &= ~3;
  while (m !== 0) {
    const k = 31 - Math.clz32(m);
    m &= ~(1 << k);
    const e = offs[k] + g.size[k];
    if (e > end) end = e;
  }
  return end;
}

/** Probes the bytes of each component k in `mask`, highest k first: [la + offs[k], la + offs[k] + size[k]). */
export function probeComponents(c: Cpu, la: number, offs: Int32Array, size: Int32Array, mask: number, kind: number): void {
  while (mask !== 0) {
    const k = 31 - Math.clz32(mask);
    mask &= ~(1 << k);
    c.probe(la + offs[k], size[k], kind);
  }
}

/** Physical address for an in-place access to bytes [off, off+len) of the area at `la`, or -1: from `areaPa`'s base when it has one. */
export function compPa(c: Cpu, base: number, la: number, off: number, len: number, kind: number): number {
  if (base >= 0) return (off & 7) !== 0 ? -1 : base + off;
  return directPa(c, la + off, len, kind);
}

/** Writes `row`'s current value at linear `la` (the component's start), `len` bytes long; `pa` from directPa/compPa. */
export function writeRow(c: Cpu, ram: XBuf, row: XstateRow, la: number, pa: number, len: number, opt: number): void {
  if (pa >= 0) { row.save(c, ram, pa, opt); return; }
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

/** Where to read [la, la+len) from: a physical address in guest RAM (≥ 0), or -1 after copying it to STAGE. */
export function readPa(c: Cpu, la: number, len: number): number {
  const pa = directPa(c, la, len, 0);
  if (pa >= 0) return pa;
  c.rdBytes(la, len, STAGE.u8, 0);
  return -1;
}

/** readPa for bytes [off, off+len) of the area at `la`, using `areaPa`'s base when it has one. */
export function readCompPa(c: Cpu, base: number, la: number, off: number, len: number): number {
  if (base >= 0 && (off & 7) === 0) return base + off;
  return readPa(c, la + off, len);
}

/** Reads the dword at bytes [off, off+4) of the area at `la` (in place when `areaPa` gave a base). */
export function read32(c: Cpu, ram: WordBuf, base: number, la: number, off: number): number {
  if (base >= 0 && (off & 3) === 0) return ram.i32[(base + off) >>> 2];
  return c.rd32(la + off);
}

/** Writes the qword hi:lo at bytes [off, off+8) of the area at `la` (in place when `areaPa` gave a base). */
export function write64(c: Cpu, ram: WordBuf, base: number, la: number, off: number, lo: number, hi: number): void {
  if (base >= 0 && (off & 3) === 0) {
    const q = (base + off) >>> 2;
    ram.i32[q] = lo;
    ram.i32[q + 1] = hi;
    return;
  }
  c.wr64(la + off, lo, hi);
}
