// Opmask instructions: hand-derived results and flags (SDM vol. 2 K* pages).
import { describe, expect, test } from 'vitest';
import { mem, rdi, eax, rax, k1, k2, k3 } from '../../guest-kernel/asm/index.ts';
import { run, DATA } from './avx512-harness.ts';

const FLAGS = (c: { fa: number; fz: number; fs: number; fp: number }) => ({ cf: c.fa & 1, zf: c.fz === 0 ? 1 : 0, sf: c.fs < 0 ? 1 : 0, of: (c.fa >> 11) & 1 });

describe('KMOV zero-extension', () => {
  test('KMOVB k, r32 takes bits 7:0 and zeroes k[63:8]', () => {
    const r = run((a) => a.kmovb(k1, eax), { r: { 0: 0x12345678n }, k: { 1: -1n & 0xffffffffffffffffn } });
    expect(r.c.k64[1]).toBe(0x78n);
  });
  test('KMOVW r32, k zero-extends into the 64-bit GPR', () => {
    const r = run((a) => a.kmovw(eax, k1), { r: { 0: 0xffffffffffffffffn }, k: { 1: 0xabcdef0123n } });
    expect(r.c.R64[0]).toBe(0x0123n); // bits 15:0 of k1, zero-extended
  });
  test('KMOVQ k, r64 / KMOVD m32, k', () => {
    const r = run((a) => { a.kmovq(k2, rax); a.kmovd(mem.dword(rdi), k2); }, { r: { 0: 0x8000000180000001n, 7: BigInt(DATA) } });
    expect(r.c.k64[2]).toBe(0x8000000180000001n);
    expect(r.mem(DATA, 5)).toEqual([0x01, 0x00, 0x00, 0x80, 0x00]);
  });
});

describe('logic, add, shifts, unpack', () => {
  test('KANDNW = ~a & b over 16 bits, upper bits zeroed', () => {
    // a = 0xFFFF_00F0, b = 0x1234_0FFF → low 16: ~0x00F0 & 0x0FFF = 0x0F0F.
    const r = run((a) => a.kandnw(k3, k1, k2), { k: { 1: 0xffff00f0n, 2: 0x12340fffn } });
    expect(r.c.k64[3]).toBe(0x0f0fn);
  });
  test('KADDB wraps modulo 2^8', () => {
    // 0xF0 + 0x20 = 0x110 → 0x10.
    const r = run((a) => a.kaddb(k3, k1, k2), { k: { 1: 0xf0n, 2: 0x20n } });
    expect(r.c.k64[3]).toBe(0x10n);
  });
  test('KXNORD over 32 bits', () => {
    // ~(0xFFFF0000 ^ 0x0F0F0F0F) = ~0xF0F00F0F = 0x0F0FF0F0.
    const r = run((a) => a.kxnord(k3, k1, k2), { k: { 1: 0xffff0000n, 2: 0x0f0f0f0fn } });
    expect(r.c.k64[3]).toBe(0x0f0ff0f0n);
  });
  test('KSHIFTLW by more than 15 gives 0; KSHIFTRQ by 60 keeps the top nibble', () => {
    const r = run((a) => { a.kshiftlw(k2, k1, 16); a.kshiftrq(k3, k1, 60); }, { k: { 1: 0xf00000000000ffffn } });
    expect(r.c.k64[2]).toBe(0n);
    expect(r.c.k64[3]).toBe(0xfn);
  });
  test('KSHIFTLB shifts within 8 bits', () => {
    // 0x81 << 1 = 0x102 → 0x02 in 8 bits.
    const r = run((a) => a.kshiftlb(k2, k1, 1), { k: { 1: 0x81n } });
    expect(r.c.k64[2]).toBe(0x02n);
  });
  test('KUNPCKBW: dst[15:8] = src1[7:0], dst[7:0] = src2[7:0]', () => {
    const r = run((a) => a.kunpckbw(k3, k1, k2), { k: { 1: 0x1234n, 2: 0xabcdn } });
    expect(r.c.k64[3]).toBe(0x34cdn);
  });
});

describe('KORTEST / KTEST flags', () => {
  test('KORTESTW all ones over 16 bits: CF=1 ZF=0, OF SF cleared', () => {
    const r = run((a) => a.kortestw(k1, k2), { k: { 1: 0xff00n, 2: 0x00ffn } });
    expect(FLAGS(r.c)).toEqual({ cf: 1, zf: 0, sf: 0, of: 0 });
  });
  test('KORTESTB zero: ZF=1 CF=0 (bits above 8 ignored)', () => {
    const r = run((a) => a.kortestb(k1, k2), { k: { 1: 0xff00n, 2: 0x0100n } });
    expect(FLAGS(r.c)).toEqual({ cf: 0, zf: 1, sf: 0, of: 0 });
  });
  test('KTESTD: ZF = (a & b) == 0, CF = (~a & b) == 0', () => {
    // a = 0x0000FFFF, b = 0x000000F0: a & b ≠ 0 → ZF=0; ~a & b = 0 → CF=1.
    const r = run((a) => a.ktestd(k1, k2), { k: { 1: 0xffffn, 2: 0xf0n } });
    expect(FLAGS(r.c)).toEqual({ cf: 1, zf: 0, sf: 0, of: 0 });
  });
});

describe('gate', () => {
  test('#UD when XCR0 lacks the opmask state', () => {
    const r = run((a) => a.kmovw(k1, eax), { r: { 0: 1n }, xcr0: 0x7n });
    expect(r.stop?.vector).toBe(6);
    const r2 = run((a) => a.kmovw(k1, eax), { r: { 0: 1n } });
    expect(r2.stop?.vector).toBe(3);
  });
});
