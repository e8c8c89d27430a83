/**
 * The MMU against SDM vol. 3 §4.6 (access rights) and §4.7 (#PF error codes):
 * each case maps pages with known rights and checks the access result.
 */
import { describe, it, expect, beforeEach } from 'vitest';
import { Machine } from '../../emulator/machine.ts';
import { PageMapper } from '../../emulator/boot/paging.ts';
import { X86Fault } from '../../emulator/faults.ts';
import type { Cpu } from '../../emulator/cpu/cpu.ts';

let m: Machine, c: Cpu, pm: PageMapper;
const RO_USER = 0x10000000, RW_USER = 0x10001000, SUP = 0x10002000, NX_USER = 0x10003000, STRADDLE = 0x10004000;

function fault(fn: () => unknown): X86Fault {
  try { fn(); } catch (e) { if (e instanceof X86Fault) return e; throw e; }
  throw new Error('expected a fault');
}

beforeEach(() => {
  m = new Machine({ memSize: 4 * 1024 * 1024 });
  c = m.cpus[0];
  pm = new PageMapper(m.mem, 0x1000);
  pm.mapFresh(RO_USER, 4096, { write: false, user: true, exec: true });
  pm.mapFresh(RW_USER, 4096, { write: true, user: true, exec: false });
  pm.mapFresh(SUP, 4096, { write: true, user: false, exec: true });
  pm.mapFresh(NX_USER, 4096, { write: true, user: true, exec: false });
  pm.mapFresh(STRADDLE, 4096, { write: true, user: true, exec: false }); // the page after it is unmapped
  c.cr3 = pm.cr3;
  c.cr0 = 0x80010033; // WP=1
  c.cr4 = 0x620;
  c.efer = 0xd01;     // NXE
  c.flushTlb();
});

describe('#PF error codes (P W U RSVD I PK)', () => {
  it('user read of a supervisor page: P=1 U=1 → 5', () => {
    c.setCpl(3);
    const f = fault(() => c.rd32(SUP));
    expect([f.vector, f.errorCode]).toEqual([14, 5]);
    expect(f.addr).toBe(SUP);
  });
  it('user write to a read-only page: P=1 W=1 U=1 → 7', () => {
    c.setCpl(3);
    expect(fault(() => c.wr32(RO_USER + 8, 1)).errorCode).toBe(7);
  });
  it('supervisor write to a read-only page with CR0.WP=1 → 3; allowed with WP=0', () => {
    c.setCpl(0);
    expect(fault(() => c.wr8(RO_USER, 1)).errorCode).toBe(3);
    c.cr0 &= ~(1 << 16);
    c.flushTlb();
    c.wr8(RO_USER, 0x5a);
    expect(c.rd8(RO_USER)).toBe(0x5a);
  });
  it('read of an unmapped page: P=0 → 0 (CPL0), 4 (CPL3)', () => {
    c.setCpl(0);
    expect(fault(() => c.rd8(0x20000000)).errorCode).toBe(0);
    c.setCpl(3);
    expect(fault(() => c.rd8(0x20000000)).errorCode).toBe(4);
  });
  it('instruction fetch from an NX page with EFER.NXE: P=1 U=1 I=1 → 0x15', () => {
    c.setCpl(3);
    expect(fault(() => c.translate(NX_USER, 2)).errorCode).toBe(0x15);
  });
  it('SMEP: supervisor fetch from a user page → 0x11; SMAP: supervisor read of a user page → 1 unless RFLAGS.AC', () => {
    c.setCpl(0);
    c.cr4 |= 1 << 20;
    expect(fault(() => c.translate(RO_USER, 2)).errorCode).toBe(0x11);
    c.cr4 = 0x620 | (1 << 21);
    c.flushTlb();
    expect(fault(() => c.rd8(RW_USER)).errorCode).toBe(1);
    c.flagsRest |= 1 << 18; // AC
    expect(c.rd8(RW_USER)).toBe(0);
  });
  it('protection keys: PKRU.AD for the page key → PK bit (0x25 for a user read)', () => {
    // Give RW_USER protection key 1: PTE bits 62:59.
    const pte = findPte(RW_USER);
    m.mem.dv.setUint32(pte + 4, m.mem.dv.getUint32(pte + 4, true) | (1 << 27), true);
    c.cr4 |= 1 << 22;
    c.pkru = 1 << 2; // AD for key 1
    c.flushTlb();
    c.setCpl(3);
    expect(fault(() => c.rd8(RW_USER)).errorCode).toBe(0x25);
    c.pkru = 2 << 2; // WD for key 1: reads work, writes fault with PK|W|U|P = 0x27
    c.flushTlb();
    expect(c.rd8(RW_USER)).toBe(0);
    expect(fault(() => c.wr8(RW_USER, 1)).errorCode).toBe(0x27);
  });
  it('a reserved bit in a PTE → RSVD|P (9 for a supervisor read)', () => {
    const pte = findPte(SUP);
    m.mem.dv.setUint32(pte + 4, (m.mem.dv.getUint32(pte + 4, true) & ~(1 << 20)) | (1 << 19), true); // bit 51, above MAXPHYADDR 46
    c.setCpl(0);
    expect(fault(() => c.rd8(SUP)).errorCode).toBe(9);
  });
});

describe('accessed and dirty bits, straddling accesses, TLB', () => {
  it('a read sets A on the PTE, a write sets D', () => {
    const pte = findPte(RW_USER);
    m.mem.u8[pte] &= ~0x60;
    c.flushTlb();
    c.rd8(RW_USER);
    expect(m.mem.u8[pte] & 0x60).toBe(0x20);
    c.wr8(RW_USER, 1);
    expect(m.mem.u8[pte] & 0x60).toBe(0x60);
  });
  it('a write straddling into an unmapped page faults before writing anything', () => {
    const f = fault(() => c.wr64(STRADDLE + 4092, 0x11223344, 0x55667788));
    expect(f.vector).toBe(14);
    expect(f.addr).toBe(STRADDLE + 4096);
    for (let k = 0; k < 4; k++) expect(m.mem.u8[pm.phys(STRADDLE + 4092 + k)!]).toBe(0);
  });
  it('a straddling read across two mapped pages assembles the bytes in order', () => {
    c.wr32(RW_USER + 4094, 0x44332211 | 0); // RW_USER+4094..4097 spans into SUP? no: RW_USER+4096 = SUP
    expect(c.rd32(RW_USER + 4094)).toBe(0x44332211);
    expect(m.mem.u8[pm.phys(SUP)!]).toBe(0x33);
  });
  it('INVLPG and CR3 reloads drop stale translations', () => {
    c.rd8(RW_USER);
    const pte = findPte(RW_USER);
    const other = pm.allocPage();
    m.mem.u8[other] = 0x77;
    m.mem.dv.setUint32(pte, (other | 0x67) >>> 0, true);
    c.invlpg(RW_USER);
    expect(c.rd8(RW_USER)).toBe(0x77);
  });
});

/** Physical address of the PTE mapping `la` (walks the tables PageMapper built). */
function findPte(la: number): number {
  let table = pm.cr3;
  for (let level = 4; level > 1; level--) {
    const idx = Math.floor(la / 2 ** (12 + 9 * (level - 1))) % 512;
    table = m.mem.dv.getUint32(table + idx * 8, true) & 0xfffff000;
  }
  return table + (Math.floor(la / 4096) % 512) * 8;
}
