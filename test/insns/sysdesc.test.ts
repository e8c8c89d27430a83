// LAR, LSL, VERR, VERW in 64-bit mode against a GDT built here. Expected values
// follow from the descriptor fields by hand (SDM vol. 2 LAR/LSL/VERR/VERW, the
// IA-32e columns of the LAR/LSL type tables; AMD APM vol. 3 for the 16-byte
// system-descriptor rule). Code is assembled by GNU as.
import { describe, it, expect } from 'vitest';
import { assemble } from './harness.ts';
import { setupCase } from '../../emulator/conform/setup.ts';
import '../../emulator/insns/index.ts';
import type { Case } from '../../emulator/conform/format.ts';

const DATA = 0x20000000n;
const ZF = 0x40, OTHERS = 0x8d5; // CF PF AF SF OF (and ZF's neighbours) must be unchanged

/** An 8-byte segment descriptor as (lo, hi) dwords. */
function desc(base: number, limit: number, access: number, flags: number): [number, number] {
  const lo = ((base & 0xffff) << 16 | (limit & 0xffff)) >>> 0;
  const hi = ((base >>> 24) << 24 | (flags & 0xf) << 20 | ((limit >>> 16) & 0xf) << 16 | (access & 0xff) << 8 | ((base >>> 16) & 0xff)) >>> 0;
  return [lo, hi];
}

// The GDT: selector → descriptor dwords.
const G: Array<[number, number[]]> = [
  [0x08, desc(0, 0xfffff, 0xfa, 0xa)], // 64-bit code, DPL 3, readable, G=1 L=1
  [0x10, desc(0x12345678, 0x0ffff, 0xf2, 0xc)], // data DPL 3 writable, G=1 D=1
  [0x18, desc(0, 0x12345, 0x92, 0x0)], // data DPL 0 writable, byte granular
  [0x20, desc(0, 0xfffff, 0x9c, 0xa)], // code DPL 0 conforming, execute-only
  [0x28, desc(0, 0xfffff, 0x9e, 0xa)], // code DPL 0 conforming, readable
  [0x30, desc(0, 0x00fff, 0xf0, 0x0)], // data DPL 3 read-only
  [0x38, desc(0, 0x00001, 0x72, 0x0)], // data DPL 3 writable, NOT present
  [0x40, [...desc(0x5000, 0x67, 0x89, 0), 0xffff8000, 0]], // 64-bit TSS available, DPL 0 (16 bytes)
  [0x50, [...desc(0, 0, 0xec, 0), 0, 0]], // 64-bit call gate, DPL 3
  [0x60, [...desc(0, 0, 0xee, 0), 0, 0]], // 64-bit interrupt gate, DPL 3
  [0x70, desc(0, 0x67, 0xe1, 0)], // type 1 (16-bit TSS): reserved in IA-32e mode
  [0x78, [...desc(0, 0x1f, 0xe2, 0), 0, 0x1f00]], // LDT, DPL 3, dword +12 bits 12:8 non-zero
  [0x88, [...desc(0, 0x1f, 0xe2, 0), 0, 0]], // LDT, DPL 3, valid
  [0x98, desc(0, 0xabcd, 0xeb, 0)], // busy TSS DPL 3 whose upper half is past the limit
];
const GDT_LIMIT = 0x9f;

function run(lines: string[], opts: { cpl?: 0 | 3; flags?: number; regs?: Record<string, bigint> } = {}) {
  const body = assemble(lines);
  const code = new Uint8Array(body.length + 1);
  code.set(body);
  code[body.length] = 0xcc;
  const gdt = new Uint8Array(4096);
  const dv = new DataView(gdt.buffer);
  for (const [sel, dws] of G) dws.forEach((d, k) => dv.setUint32(sel + 4 * k, d, true));
  gdt.set([0x18, 0x00, 0x4b, 0x00], 0x800); // selector words in memory for the m16 forms
  const regs = new Map<string, bigint>([['rsi', DATA + 0x800n]]);
  for (const [k, v] of Object.entries(opts.regs ?? {})) regs.set(k, BigInt.asUintN(64, v));
  const k: Case = {
    name: 'sysdesc', note: '', cpl: opts.cpl ?? 3, xcr0: 7n, xss: 0n, xfd: 0n, cr0: null, cr4: null,
    msrs: [], regs, rflags: BigInt(0x202 | (opts.flags ?? 0)), memory: [{ addr: DATA, bytes: gdt, perm: 'rw' }], codeAddr: 0x10000000n, code,
    expect: { vector: 3, errorCode: null, errorCodeMask: null, rip: null, regs: new Map(), msrs: [], rflags: null, memory: [] },
  };
  const cm = setupCase(k, 'genoa');
  const c = cm.cpu;
  c.gdtBase = Number(DATA);
  c.gdtLimit = GDT_LIMIT;
  const stop = cm.m.run(10000);
  expect(stop.vector).toBe(3);
  const rflags = () => { let f = 0; if (c.fz === 0) f |= ZF; return f; };
  return { c, zf: (rflags() & ZF) !== 0, reg: (n: number) => c.R64[n] };
}

/** LAR/LSL/VERR/VERW of one selector in rbx at the given CPL: [ZF, rax]. */
function q(insn: string, sel: number, cpl: 0 | 3 = 3, rax = 0xdeadbeefcafef00dn): [boolean, bigint] {
  const r = run([insn], { cpl, regs: { rbx: BigInt(sel), rax } });
  return [r.zf, r.reg(0)];
}

const KEEP = 0xdeadbeefcafef00dn;

describe('LAR', () => {
  it('code and data segments: access rights masked 00FxFF00H (32/64-bit) or FF00H (16-bit)', () => {
    // 64-bit code: bytes 4-7 = 00 fa af 00 → 00AFFA00H; bits 19:16 (limit 19:16) are not architectural
    const [z1, v1] = q('lar eax, ebx', 0x08);
    expect(z1).toBe(true);
    expect(v1 & ~0xf0000n).toBe(0x00a0fa00n); // zero-extended to 64 bits
    const [z2, v2] = q('lar rax, rbx', 0x13); // RPL 3 ≤ DPL 3; base bits 23:16 (34H) are masked off
    expect(z2).toBe(true);
    expect(v2 & ~0xf0000n).toBe(0x00c0f200n);
    const [z3, v3] = q('lar ax, bx', 0x10);
    expect(z3).toBe(true);
    expect(v3).toBe(0xdeadbeefcafef200n); // 16-bit: merge, F200H
  });
  it('the present bit is not checked; a conforming code segment needs no privilege', () => {
    const [z1, v1] = q('lar eax, ebx', 0x38);
    expect([z1, v1 & 0xff00n]).toEqual([true, 0x7200n]);
    const [z2, v2] = q('lar eax, ebx', 0x20); // conforming, DPL 0, at CPL 3
    expect([z2, v2 & 0xff00n]).toEqual([true, 0x9c00n]);
  });
  it('ZF=0 and the destination unchanged: null, LDT, beyond the limit, CPL/RPL > DPL', () => {
    for (const sel of [0x00, 0x03, 0x0c, 0xa0, 0xfff8]) expect(q('lar rax, rbx', sel)).toEqual([false, KEEP]);
    expect(q('lar rax, rbx', 0x18)).toEqual([false, KEEP]); // data DPL 0 at CPL 3
    expect(q('lar rax, rbx', 0x1b, 0)).toEqual([false, KEEP]); // RPL 3 > DPL 0 at CPL 0
    expect(q('lar rax, rbx', 0x18, 0)[0]).toBe(true);
  });
  it('system descriptors valid in IA-32e mode: LDT, 64-bit TSS, call gate; not interrupt gates or 16-bit TSS', () => {
    const [zt, vt] = q('lar eax, ebx', 0x40, 0);
    expect([zt, vt & 0xff00n]).toEqual([true, 0x8900n]);
    expect(q('lar eax, ebx', 0x40, 3)[0]).toBe(false); // TSS DPL 0 at CPL 3
    const [zg, vg] = q('lar eax, ebx', 0x50);
    expect([zg, vg & 0xff00n]).toEqual([true, 0xec00n]);
    expect(q('lar eax, ebx', 0x60)[0]).toBe(false); // interrupt gate
    expect(q('lar eax, ebx', 0x70)[0]).toBe(false); // type 1
    expect(q('lar eax, ebx', 0x88)[0]).toBe(true); // LDT
    expect(q('lar eax, ebx', 0x78)[0]).toBe(false); // upper half type bits set
    expect(q('lar eax, ebx', 0x98)[0]).toBe(false); // 16-byte descriptor crosses the GDT limit
  });
  it('only ZF changes; the selector may come from memory', () => {
    // flags in: CF PF AF SF OF set (0x8d5), ZF clear
    const r = run(['lar eax, WORD PTR [rsi]'], { cpl: 0, flags: OTHERS }); // [rsi] = 0018H
    expect(r.zf).toBe(true);
    expect(r.reg(0) & 0xff00n).toBe(0x9200n);
    expect([r.c.fa & 0x811, r.c.fs < 0]).toEqual([0x811, true]);
  });
});

describe('LSL', () => {
  it('limits in bytes: byte granular, and 4K granular (limit*4096 + 0FFFH)', () => {
    expect(q('lsl eax, ebx', 0x18, 0)).toEqual([true, 0x12345n]);
    expect(q('lsl rax, rbx', 0x08)).toEqual([true, 0xffffffffn]); // fffff → ffffffff, zero-extended
    expect(q('lsl eax, ebx', 0x10)).toEqual([true, 0x0fffffffn]); // 0ffff*4096 + fff
    expect(q('lsl ax, bx', 0x30)).toEqual([true, (KEEP & ~0xffffn) | 0x0fffn]);
  });
  it('TSS and LDT are valid, call gates are not', () => {
    expect(q('lsl eax, ebx', 0x40, 0)).toEqual([true, 0x67n]);
    expect(q('lsl eax, ebx', 0x88)).toEqual([true, 0x1fn]);
    expect(q('lsl rax, rbx', 0x50)).toEqual([false, KEEP]);
    expect(q('lsl rax, rbx', 0x00)).toEqual([false, KEEP]);
    expect(q('lsl rax, rbx', 0x1b, 0)).toEqual([false, KEEP]);
  });
});

describe('VERR / VERW', () => {
  const v = (insn: string, sel: number, cpl: 0 | 3 = 3) => q(insn, sel, cpl)[0];
  it('VERR: readable data and code, conforming code at any CPL', () => {
    expect(v('verr bx', 0x08)).toBe(true); // readable code DPL 3
    expect(v('verr bx', 0x10)).toBe(true);
    expect(v('verr bx', 0x30)).toBe(true); // read-only data
    expect(v('verr bx', 0x28)).toBe(true); // conforming readable, DPL 0, CPL 3
    expect(v('verr bx', 0x20)).toBe(false); // execute-only
    expect(v('verr bx', 0x18)).toBe(false); // DPL 0 data at CPL 3
    expect(v('verr bx', 0x40, 0)).toBe(false); // system
    expect(v('verr bx', 0x00)).toBe(false);
    expect(v('verr bx', 0xa8)).toBe(false); // beyond the limit
  });
  it('VERW: writable data only', () => {
    expect(v('verw bx', 0x10)).toBe(true);
    expect(v('verw bx', 0x38)).toBe(true); // not present: not checked
    expect(v('verw bx', 0x18, 0)).toBe(true);
    expect(v('verw bx', 0x1b, 0)).toBe(false); // RPL 3 > DPL 0
    expect(v('verw bx', 0x30)).toBe(false); // read-only
    expect(v('verw bx', 0x08)).toBe(false); // code
    expect(v('verw bx', 0x50)).toBe(false); // gate
  });
  it('memory selector operand', () => {
    // [rsi] = 0018H (DPL 0 writable data): passes at CPL 0, fails at CPL 3
    expect(run(['verw WORD PTR [rsi]'], { cpl: 0 }).zf).toBe(true);
    expect(run(['verw WORD PTR [rsi]'], { cpl: 3, flags: ZF }).zf).toBe(false);
  });
});
