/**
 * Linear-to-physical translation and the guest's memory accessors.
 *
 * 4-level paging with 4 KiB, 2 MiB and 1 GiB pages; U/S, R/W, NX, CR0.WP,
 * SMEP, SMAP, protection keys, A/D bits, #PF error codes.
 *
 * A software TLB caches RAM translations in three direct-mapped arrays per
 * privilege (read, write, fetch), 256 entries each: the tag is the linear page
 * number (a double), the value the physical page base. An entry exists only if
 * the same access would succeed again with no side effect, so hits skip every
 * check. Writes to pages holding decoded code never hit the write TLB (their
 * entries are dropped when the page gains code), so the slow path sees them and
 * invalidates the decode cache. Accesses that straddle a page check both pages
 * before touching either (precise faults).
 *
 * Each entry also carries its tag as two int32s — bits 31:12 and 63:32 of the
 * linear address — and its page as an int32, for the fast paths that take an
 * address as the int32 halves the registers hold (`paH`): they hit
 * with integer operations only, where a double address costs a floor, a
 * truncation and checked conversions. A hit implies a canonical address
 * (entries are filled only for canonical ones), so those paths leave the
 * canonical check to their callers' slow paths. Pages at or above 2 GiB keep
 * only the double tag.
 */
import { CpuState, AC } from '../cpu/state.ts';
import { X86Fault, PF } from '../faults.ts';
import { PhysMemory } from './phys.ts';

export const ACC_READ = 0, ACC_WRITE = 1, ACC_FETCH = 2;
const KIND_NAMES = ['read', 'write', 'fetch'];
const TLB_ENTRIES = 256;
const TLB_PRIV = 3 * TLB_ENTRIES;
const P2_32 = 4294967296;
const P2_48 = 281474976710656;
/** An int32 tag high half no canonical address has (canonical halves lie in [-32768, 32767]). */
const NO_TAG_HI = 0x40000000;
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('x86emu needs a little-endian host');

/** CR0 / CR4 / EFER bits used by paging. */
export const CR0_WP = 1 << 16, CR0_PG = 1 << 31;
export const CR4_PSE = 1 << 4, CR4_PAE = 1 << 5, CR4_PGE = 1 << 7, CR4_OSFXSR = 1 << 9,
  CR4_OSXMMEXCPT = 1 << 10, CR4_UMIP = 1 << 11, CR4_LA57 = 1 << 12, CR4_FSGSBASE = 1 << 16,
  CR4_PCIDE = 1 << 17, CR4_OSXSAVE = 1 << 18, CR4_SMEP = 1 << 20, CR4_SMAP = 1 << 21,
  CR4_PKE = 1 << 22, CR4_CET = 1 << 23, CR4_UINTR = 1 << 25;
export const EFER_NXE = 1 << 11;

/** #PF error code bits. */
export const PF_P = 1, PF_W = 2, PF_U = 4, PF_RSVD = 8, PF_I = 16, PF_PK = 32;

export class CpuMem extends CpuState {
  mem: PhysMemory;
  dv: DataView;
  u8: Uint8Array;
  /** Physical address width (reserved-bit checks in page-table entries). */
  maxPhysBits = 46;
  readonly tlbTag = new Float64Array(2 * TLB_PRIV).fill(NaN);
  readonly tlbPa = new Float64Array(2 * TLB_PRIV);
  /** The same entries' tags as int32 halves (bits 31:12 of the address, bits 63:32) and page bases as int32. */
  readonly tlbTagLo = new Int32Array(2 * TLB_PRIV);
  readonly tlbTagHi = new Int32Array(2 * TLB_PRIV).fill(NO_TAG_HI);
  readonly tlbPaI = new Int32Array(2 * TLB_PRIV);
  i32: Int32Array;
  /** 0 while CPL < 3, TLB_PRIV at CPL 3: selects the TLB half. */
  tlbBase = 0;
  /** High half of the last 64-bit read. */
  mhi = 0;
  /** Set when a write hit cached code: the current block must stop. */
  smc = false;

  constructor(mem: PhysMemory) {
    super();
    this.mem = mem;
    this.dv = mem.dv;
    this.u8 = mem.u8;
    this.i32 = mem.i32;
  }

  setCpl(cpl: number): void {
    this.cpl = cpl;
    this.tlbBase = cpl === 3 ? TLB_PRIV : 0;
  }

  flushTlb(): void {
    this.tlbTag.fill(NaN);
    this.tlbTagHi.fill(NO_TAG_HI);
  }

  private dropEntry(i: number): void {
    this.tlbTag[i] = NaN;
    this.tlbTagHi[i] = NO_TAG_HI;
  }

  /** Drops every TLB entry for the linear page of `la` (INVLPG). */
  invlpg(la: number): void {
    const vpn = Math.floor(la / 4096);
    const i = vpn & 255;
    for (let b = 0; b < 2 * TLB_PRIV; b += TLB_ENTRIES) if (this.tlbTag[b + i] === vpn) this.dropEntry(b + i);
  }

  /** Drops write-TLB entries that map physical page `ppn` (it now holds code). */
  dropWriteEntries(ppn: number): void {
    const base = ppn * 4096;
    for (const priv of [0, TLB_PRIV]) {
      const w = priv + TLB_ENTRIES;
      for (let i = 0; i < TLB_ENTRIES; i++) if (this.tlbPa[w + i] === base) this.dropEntry(w + i);
    }
  }

  // ---------------------------------------------------------------- fast paths on int32 halves
  /**
   * The physical address of the access of `last + 1` bytes at the linear
   * address with int32 halves (lo, hi) if the TLB of `kind` hits and the access
   * stays in the page, else -1 (the caller takes its checked path).
   */
  paH(lo: number, hi: number, kind: number, last: number): number {
    const p = lo >>> 12, t = this.tlbBase + kind * TLB_ENTRIES + (p & 255), off = lo & 4095;
    return this.tlbTagLo[t] === p && this.tlbTagHi[t] === hi && off + last <= 4095 ? this.tlbPaI[t] + off : -1;
  }

  /** Little-endian int32 at RAM address `pa` (an aligned word when it can). */
  ld32(pa: number): number {
    return (pa & 3) === 0 ? this.i32[pa >> 2] : this.dv.getInt32(pa, true);
  }

  st32(pa: number, v: number): void {
    if ((pa & 3) === 0) this.i32[pa >> 2] = v; else this.dv.setInt32(pa, v, true);
  }

  // ---------------------------------------------------------------- fast paths
  rd8(la: number): number {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + (vpn & 255);
    if (this.tlbTag[i] === vpn) return this.u8[this.tlbPa[i] + (la - vpn * 4096)];
    return this.rdSlow(la, 1, ACC_READ);
  }
  rd16(la: number): number {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + (vpn & 255);
    const off = la - vpn * 4096;
    if (this.tlbTag[i] === vpn && off <= 4094) return this.dv.getUint16(this.tlbPa[i] + off, true);
    return this.rdSlow(la, 2, ACC_READ);
  }
  rd32(la: number): number {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + (vpn & 255);
    const off = la - vpn * 4096;
    if (this.tlbTag[i] === vpn && off <= 4092) return this.dv.getInt32(this.tlbPa[i] + off, true);
    return this.rdSlow(la, 4, ACC_READ);
  }
  /** Returns bits 31:0; bits 63:32 are left in `mhi`. */
  rd64(la: number): number {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + (vpn & 255);
    const off = la - vpn * 4096;
    if (this.tlbTag[i] === vpn && off <= 4088) {
      const pa = this.tlbPa[i] + off;
      this.mhi = this.dv.getInt32(pa + 4, true);
      return this.dv.getInt32(pa, true);
    }
    return this.rd64Slow(la, ACC_READ);
  }
  wr8(la: number, v: number): void {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + TLB_ENTRIES + (vpn & 255);
    if (this.tlbTag[i] === vpn) { this.u8[this.tlbPa[i] + (la - vpn * 4096)] = v; return; }
    this.wrSlow(la, 1, v);
  }
  wr16(la: number, v: number): void {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + TLB_ENTRIES + (vpn & 255);
    const off = la - vpn * 4096;
    if (this.tlbTag[i] === vpn && off <= 4094) { this.dv.setUint16(this.tlbPa[i] + off, v, true); return; }
    this.wrSlow(la, 2, v);
  }
  wr32(la: number, v: number): void {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + TLB_ENTRIES + (vpn & 255);
    const off = la - vpn * 4096;
    if (this.tlbTag[i] === vpn && off <= 4092) { this.dv.setInt32(this.tlbPa[i] + off, v, true); return; }
    this.wrSlow(la, 4, v);
  }
  wr64(la: number, lo: number, hi: number): void {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + TLB_ENTRIES + (vpn & 255);
    const off = la - vpn * 4096;
    if (this.tlbTag[i] === vpn && off <= 4088) {
      const pa = this.tlbPa[i] + off;
      this.dv.setInt32(pa, lo, true);
      this.dv.setInt32(pa + 4, hi, true);
      return;
    }
    this.wr64Slow(la, lo, hi);
  }
  /**
   * Read-modify-write operands: read with write permission checked first. A
   * write-TLB hit proves both (its pages are RAM, writable, and hold no code).
   */
  rdw8(la: number): number {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + TLB_ENTRIES + (vpn & 255);
    if (this.tlbTag[i] === vpn) return this.u8[this.tlbPa[i] + (la - vpn * 4096)];
    this.probe(la, 1, ACC_WRITE);
    return this.rd8(la);
  }
  rdw16(la: number): number {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + TLB_ENTRIES + (vpn & 255);
    const off = la - vpn * 4096;
    if (this.tlbTag[i] === vpn && off <= 4094) return this.dv.getUint16(this.tlbPa[i] + off, true);
    this.probe(la, 2, ACC_WRITE);
    return this.rd16(la);
  }
  rdw32(la: number): number {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + TLB_ENTRIES + (vpn & 255);
    const off = la - vpn * 4096;
    if (this.tlbTag[i] === vpn && off <= 4092) return this.dv.getInt32(this.tlbPa[i] + off, true);
    this.probe(la, 4, ACC_WRITE);
    return this.rd32(la);
  }
  rdw64(la: number): number {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + TLB_ENTRIES + (vpn & 255);
    const off = la - vpn * 4096;
    if (this.tlbTag[i] === vpn && off <= 4088) {
      const pa = this.tlbPa[i] + off;
      this.mhi = this.dv.getInt32(pa + 4, true);
      return this.dv.getInt32(pa, true);
    }
    this.probe(la, 8, ACC_WRITE);
    return this.rd64(la);
  }

  // ---------------------------------------------------------------- bytes
  /**
   * Copies `n` bytes at linear `la` into `dst[off..]`; all pages checked first.
   * Fast path: one page, a TLB hit, copied as int32 words when the target is
   * the vector register file at a 4-byte-aligned offset (vector loads).
   */
  rdBytes(la: number, n: number, dst: Uint8Array, off: number): void {
    const vpn = Math.floor(la / 4096);
    const t = this.tlbBase + (vpn & 255);
    const po = la - vpn * 4096;
    if (this.tlbTag[t] === vpn && po + n <= 4096) {
      const pa = this.tlbPa[t] + po;
      if (dst === this.v8 && ((pa | off | n) & 7) === 0) {
        // Into the vector file, 8-byte aligned: qword copies (they keep every bit).
        const v = this.vf64, m = this.mem.f64, o = off >> 3, q = pa / 8;
        for (let k = 0; k < n >> 3; k++) v[o + k] = m[q + k];
      } else if (dst === this.v8 && ((off | n) & 3) === 0) {
        const v = this.vi32, dv = this.dv, o = off >> 2;
        for (let k = 0; k < n >> 2; k++) v[o + k] = dv.getInt32(pa + 4 * k, true);
      } else {
        const u8 = this.u8;
        for (let k = 0; k < n; k++) dst[off + k] = u8[pa + k];
      }
      return;
    }
    if (po + n <= 4096) {
      const pa = this.translate(la, ACC_READ);
      if (this.mem.isRam(pa, n)) { for (let k = 0; k < n; k++) dst[off + k] = this.u8[pa + k]; return; }
      for (let k = 0; k < n; k++) dst[off + k] = this.mem.read(pa + k, 1);
      return;
    }
    this.probe(la, n, ACC_READ);
    for (let k = 0; k < n; k++) dst[off + k] = this.rd8(la + k);
  }
  /** Writes `n` bytes from `src[off..]` to linear `la`; all pages checked first. Fast path as rdBytes. */
  wrBytes(la: number, n: number, src: Uint8Array, off: number): void {
    const vpn = Math.floor(la / 4096);
    const t = this.tlbBase + TLB_ENTRIES + (vpn & 255);
    const po = la - vpn * 4096;
    if (this.tlbTag[t] === vpn && po + n <= 4096) {
      const pa = this.tlbPa[t] + po;
      if (src === this.v8 && ((pa | off | n) & 7) === 0) {
        const v = this.vf64, m = this.mem.f64, o = off >> 3, q = pa / 8;
        for (let k = 0; k < n >> 3; k++) m[q + k] = v[o + k];
      } else if (src === this.v8 && ((off | n) & 3) === 0) {
        const v = this.vi32, dv = this.dv, o = off >> 2;
        for (let k = 0; k < n >> 2; k++) dv.setInt32(pa + 4 * k, v[o + k], true);
      } else {
        const u8 = this.u8;
        for (let k = 0; k < n; k++) u8[pa + k] = src[off + k];
      }
      return;
    }
    this.probe(la, n, ACC_WRITE);
    for (let k = 0; k < n; k++) this.wr8(la + k, src[off + k]);
  }

  /** Checks that every page of [la, la+n) allows `kind`; faults otherwise. */
  probe(la: number, n: number, kind: number): void {
    if (n <= 0) return;
    let a = la;
    const end = la + n;
    while (a < end) {
      this.translate(a, kind);
      a = (Math.floor(a / 4096) + 1) * 4096;
    }
  }

  // ---------------------------------------------------------------- slow paths
  private rdSlow(la: number, size: number, kind: number): number {
    const off = la & 4095;
    if (off + size > 4096) {
      const pa1 = this.translate(la, kind);
      const pa2 = this.translate(la + (4096 - off), kind);
      let v = 0;
      for (let b = 0; b < size; b++) {
        const pa = b < 4096 - off ? pa1 + b : pa2 + (b - (4096 - off));
        v |= this.mem.read(pa, 1) << (8 * b);
      }
      return size === 4 ? v : v & ((1 << (size * 8)) - 1);
    }
    const pa = this.translate(la, kind);
    const v = this.mem.read(pa, size);
    return size === 4 ? v | 0 : v;
  }
  private rd64Slow(la: number, kind: number): number {
    const off = la & 4095;
    if (off + 8 > 4096) this.translate(la + (4096 - off), kind);
    const lo = this.rdSlow(la, 4, kind);
    this.mhi = this.rdSlow(la + 4, 4, kind);
    return lo;
  }
  private wrSlow(la: number, size: number, v: number): void {
    const off = la & 4095;
    if (off + size > 4096) {
      const pa1 = this.translate(la, ACC_WRITE);
      const pa2 = this.translate(la + (4096 - off), ACC_WRITE);
      for (let b = 0; b < size; b++) {
        const pa = b < 4096 - off ? pa1 + b : pa2 + (b - (4096 - off));
        this.writePhys(pa, 1, (v >>> (8 * b)) & 0xff);
      }
      return;
    }
    this.writePhys(this.translate(la, ACC_WRITE), size, v);
  }
  private wr64Slow(la: number, lo: number, hi: number): void {
    const off = la & 4095;
    if (off + 8 > 4096) { this.translate(la, ACC_WRITE); this.translate(la + (4096 - off), ACC_WRITE); }
    this.wrSlow(la, 4, lo);
    this.wrSlow(la + 4, 4, hi);
  }
  private writePhys(pa: number, size: number, v: number): void {
    const ppn = Math.floor(pa / 4096);
    if (this.mem.codePage[ppn]) this.smc = true;
    this.mem.write(pa, size, v);
  }

  // ---------------------------------------------------------------- translation
  /** Translates with the current privilege; fills the TLB for RAM pages. */
  translate(la: number, kind: number): number {
    const vpn = Math.floor(la / 4096);
    const i = this.tlbBase + kind * TLB_ENTRIES + (vpn & 255);
    if (this.tlbTag[i] === vpn) return this.tlbPa[i] + (la - vpn * 4096);
    return this.walk(la, kind, this.cpl === 3, true);
  }

  /** Implicit supervisor-mode access (descriptor tables, TSS, UPID, UITT). */
  translateSys(la: number, kind: number): number {
    return this.walk(la, kind, false, false, true);
  }

  /**
   * Walks the 4-level tables for `la`. Throws #PF with the SDM's error code;
   * on success sets A (and D for writes) and returns the physical address.
   */
  walk(la: number, kind: number, user: boolean, fill: boolean, implicit = false): number {
    const dv = this.dv;
    const l48 = la < 0 ? la + P2_48 : la;
    let table = Math.floor(this.cr3 / 4096) * 4096 % 4503599627370496;
    let us = 1, rw = 1, nx = 0;
    let level = 4;
    const entries: number[] = [];
    let pageBase = 0, pageSize = 0, pkey = 0;
    const physHiMask = ~((1 << (this.maxPhysBits - 32)) - 1) & 0xfffff; // bits 51:MAXPHYADDR (bits 62:52 are ignored or protection keys)
    while (true) {
      const shift = 12 + 9 * (level - 1);
      const idx = Math.floor(l48 / 2 ** shift) & 511;
      const ea = table + idx * 8;
      if (!this.mem.isRam(ea, 8)) throw this.pf(la, kind, user, PF_RSVD, `page-table entry at 0x${ea.toString(16)} outside RAM`);
      const lo = dv.getUint32(ea, true), hi = dv.getUint32(ea + 4, true);
      if (!(lo & 1)) throw this.pf(la, kind, user, 0, `not present (level ${level} entry 0x${ea.toString(16)})`);
      let rsvd = (hi & physHiMask) !== 0;
      if ((hi & 0x80000000) && !(this.efer & EFER_NXE)) rsvd = true;
      const ps = (lo & 0x80) !== 0;
      if (ps && level === 4) rsvd = true;
      if (ps && level === 3 && (lo & 0x3fffe000)) rsvd = true;
      if (ps && level === 2 && (lo & 0x1fe000)) rsvd = true;
      if (rsvd) throw this.pf(la, kind, user, PF_P | PF_RSVD, `reserved bit set in level ${level} entry 0x${ea.toString(16)}`);
      entries.push(ea);
      us &= (lo >> 2) & 1;
      rw &= (lo >> 1) & 1;
      nx |= hi >>> 31;
      const frame = (hi & 0xfffff) * P2_32 + (lo & 0xfffff000);
      if (level === 1 || ps) {
        pageSize = 2 ** shift;
        pageBase = level === 1 ? frame : frame - (frame % pageSize);
        pkey = (hi >>> 27) & 15;
        break;
      }
      table = frame;
      level--;
    }
    // Permission checks (SDM vol. 3 §4.6).
    const cr4 = this.cr4;
    const write = kind === ACC_WRITE, fetch = kind === ACC_FETCH;
    if (user) {
      if (!us) throw this.pf(la, kind, user, PF_P, 'user access to a supervisor page');
      if (write && !rw) throw this.pf(la, kind, user, PF_P, 'user write to a read-only page');
    } else {
      if (write && !rw && (this.cr0 & CR0_WP)) throw this.pf(la, kind, user, PF_P, 'supervisor write to a read-only page with CR0.WP=1');
      if (us && fetch && (cr4 & CR4_SMEP)) throw this.pf(la, kind, user, PF_P, 'SMEP: supervisor fetch from a user page');
      if (us && !fetch && (cr4 & CR4_SMAP) && (implicit || !(this.flagsRest & AC)))
        throw this.pf(la, kind, user, PF_P, 'SMAP: supervisor access to a user page');
    }
    if (fetch && nx && (this.efer & EFER_NXE)) throw this.pf(la, kind, user, PF_P, 'fetch from a no-execute page');
    if (us && !fetch && (cr4 & CR4_PKE)) {
      const ad = (this.pkru >>> (2 * pkey)) & 1, wd = (this.pkru >>> (2 * pkey + 1)) & 1;
      if (ad) throw this.pf(la, kind, user, PF_P | PF_PK, `protection key ${pkey}: access disabled (PKRU.AD)`);
      if (write && wd && (user || (this.cr0 & CR0_WP))) throw this.pf(la, kind, user, PF_P | PF_PK, `protection key ${pkey}: write disabled (PKRU.WD)`);
    }
    // Accessed and dirty bits.
    for (const ea of entries) dv.setUint8(ea, dv.getUint8(ea) | 0x20);
    if (write) { const leaf = entries[entries.length - 1]; dv.setUint8(leaf, dv.getUint8(leaf) | 0x40); }
    const pa = pageBase + (l48 % pageSize);
    const ppa = pa - (pa % 4096);
    // Fill the TLB only where a hit may skip all of the above.
    if (fill && this.mem.isRam(ppa, 4096) && !(write && this.mem.codePage[ppa / 4096])
        && !(!user && us && !fetch && (cr4 & CR4_SMAP)) && !(us && !fetch && (cr4 & CR4_PKE) && this.pkru !== 0)) {
      const vpn = Math.floor(la / 4096);
      const i = this.tlbBase + kind * TLB_ENTRIES + (vpn & 255);
      this.tlbTag[i] = vpn;
      this.tlbPa[i] = ppa;
      if (ppa + 4096 <= 2147483648) {
        const hi = Math.floor(vpn / 1048576);
        this.tlbTagLo[i] = vpn - hi * 1048576;
        this.tlbTagHi[i] = hi;
        this.tlbPaI[i] = ppa;
      } else {
        this.tlbTagHi[i] = NO_TAG_HI;
      }
    }
    return pa;
  }

  private pf(la: number, kind: number, user: boolean, bits: number, why: string): X86Fault {
    let ec = bits;
    if (kind === ACC_WRITE) ec |= PF_W;
    if (user) ec |= PF_U;
    if (kind === ACC_FETCH && ((this.efer & EFER_NXE) || (this.cr4 & CR4_SMEP))) ec |= PF_I;
    const hex = (la < 0 ? BigInt(la) + (1n << 64n) : BigInt(la)).toString(16);
    return new X86Fault(PF, ec, `${KIND_NAMES[kind]} at 0x${hex}: ${why}`, la);
  }
}
