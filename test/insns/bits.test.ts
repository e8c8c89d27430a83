// BT/BTS/BTR/BTC, BSF/BSR, TZCNT/LZCNT/POPCNT, BSWAP, MOVBE, CRC32: expected
// values by hand from the SDM. BT*: CF = the bit, other flags unchanged (rule
// from the Zen 4 captures). CRC32: CRC-32C (reflected polynomial 0x82F63B78).
import { describe, it, expect } from 'vitest';
import { ok, run, le, CF, PF, AF, ZF, SF, OF, ARITH, DATA } from './harness.ts';

describe('BT/BTS/BTR/BTC', () => {
  it('register destination: offset modulo the width', () => {
    // bt r13d, 165: 165 mod 32 = 5; 0x...20 has bit 5 set -> CF = 1; other flags unchanged.
    let r = ok({ asm: ['bt r13d, 165'], regs: { r13: 0x20n }, flags: AF | SF });
    expect(r.flags & ARITH).toBe(CF | AF | SF);
    // bts esi, 1 on 0: bit set, CF = 0; 32-bit write clears bits 63:32.
    r = ok({ asm: ['bts esi, 1'], regs: { rsi: 0xffffffff00000000n }, flags: CF | ZF });
    expect(r.reg('rsi')).toBe(2n);
    expect(r.flags & ARITH).toBe(ZF);
    // btr r14, 84: 84 mod 64 = 20 -> clears bit 20, CF = old bit = 1.
    r = ok({ asm: ['btr r14, 84'], regs: { r14: 0xfffffn << 8n } }); // bits 8..27 set
    expect(r.reg('r14')).toBe((0xfffffn << 8n) & ~(1n << 20n));
    expect(r.flags & CF).toBe(CF);
    // btc ax, cx with cx = 0x13: 19 mod 16 = 3 -> toggles bit 3; CF = 0; bits 63:16 kept.
    r = ok({ asm: ['btc ax, cx'], regs: { rax: 0x1234567800000000n, rcx: 0x13n } });
    expect(r.reg('rax')).toBe(0x1234567800000008n);
    expect(r.flags & CF).toBe(0);
    // bt rax, rcx with rcx = 63: bit 63 of 0x8000000000000000 -> CF = 1.
    r = ok({ asm: ['bt rax, rcx'], regs: { rax: 0x8000000000000000n, rcx: 63n } });
    expect(r.flags & CF).toBe(CF);
    // btc rbx, 40 toggles bit 40 of the high half.
    r = ok({ asm: ['btc rbx, 40'], regs: { rbx: 0n } });
    expect(r.reg('rbx')).toBe(1n << 40n);
  });
  it('memory destination with an immediate: offset modulo the width, no address change', () => {
    // bt word ptr [r12], 118: 118 mod 16 = 6; word 0x0040 -> CF = 1.
    let r = ok({ asm: ['bt word ptr [r12], 118'], regs: { r12: DATA }, mem: [{ addr: DATA, bytes: [0x40, 0x00] }] });
    expect(r.flags & CF).toBe(CF);
    // bts dword ptr [rsi], 35: 35 mod 32 = 3 -> byte 0 becomes 0x08.
    r = ok({ asm: ['bts dword ptr [rsi], 35'], regs: { rsi: DATA }, mem: [{ addr: DATA, bytes: [0, 0, 0, 0, 0, 0, 0, 0] }] });
    expect(r.mem(DATA, 8)).toEqual([8, 0, 0, 0, 0, 0, 0, 0]);
    // btr qword ptr [rsi], 60 on all ones: byte 7 becomes 0xef.
    r = ok({ asm: ['btr qword ptr [rsi], 60'], regs: { rsi: DATA }, mem: [{ addr: DATA, bytes: Array(8).fill(0xff) }] });
    expect(r.mem(DATA, 8)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef]);
    expect(r.flags & CF).toBe(CF);
  });
  it('memory destination with a register offset: signed, may leave the operand', () => {
    const mem = [{ addr: DATA, bytes: Array(0x200).fill(0) }];
    // bts word ptr [r12+rcx], bx: bx = 680 -> word at EA + 2 * floor(680 / 16) = EA + 84, bit 8 -> byte EA+85 bit 0.
    let r = ok({ asm: ['bts word ptr [r12+rcx*1], bx'], regs: { r12: DATA + 0x100n, rcx: 0n, rbx: 680n }, mem });
    expect(r.mem(DATA + 0x100n + 84n, 2)).toEqual([0, 1]);
    // btr word ptr [r13d-0x41], bp: bp = -1 -> word at EA - 2, bit 15 -> byte EA-1 bit 7 (67H addressing).
    const m2 = [{ addr: DATA, bytes: Array(0x200).fill(0xff) }];
    r = ok({ asm: ['btr word ptr [r13d-0x41], bp'], regs: { r13: DATA + 0x141n, rbp: 0xffffn }, mem: m2 });
    expect(r.mem(DATA + 0xfen, 2)).toEqual([0xff, 0x7f]);
    expect(r.flags & CF).toBe(CF);
    // btc dword ptr [r9], r15d: r15d = -148 -> dword at EA + 4 * floor(-148 / 32) = EA - 20, bit 12 -> byte EA-19 bit 4.
    r = ok({ asm: ['btc dword ptr [r9], r15d'], regs: { r9: DATA + 0x100n, r15: BigInt.asUintN(32, -148n) }, mem });
    expect(r.mem(DATA + 0x100n - 19n, 1)).toEqual([0x10]);
    // btr qword ptr [rsi], rax: rax = 64 -> qword at EA + 8, bit 0.
    r = ok({ asm: ['btr qword ptr [rsi], rax'], regs: { rsi: DATA, rax: 64n }, mem: m2 });
    expect(r.mem(DATA + 8n, 1)).toEqual([0xfe]);
    // bt qword ptr [rsi], rax with rax = -1: qword at EA - 8, bit 63.
    r = ok({ asm: ['bt qword ptr [rsi], rax'], regs: { rsi: DATA + 0x100n, rax: -1n }, mem: [{ addr: DATA, bytes: [...Array(0xff).fill(0), 0x80] }] });
    expect(r.flags & CF).toBe(CF);
    // A huge 64-bit offset reaches a non-canonical address: #GP(0).
    r = run({ asm: ['bt qword ptr [rsi], rax'], regs: { rsi: DATA, rax: 1n << 62n }, mem });
    expect(r.vector).toBe(13);
  });
  it('LOCK is allowed with a memory destination only (BT never)', () => {
    let r = ok({ asm: ['lock bts dword ptr [rsi], 3'], regs: { rsi: DATA }, mem: [{ addr: DATA, bytes: [0, 0, 0, 0] }] });
    expect(r.mem(DATA, 1)).toEqual([8]);
    r = run({ bytes: [0xf0, 0x0f, 0xba, 0xe8, 0x03] }); // lock bts eax, 3
    expect(r.vector).toBe(6);
    r = run({ bytes: [0xf0, 0x0f, 0xa3, 0x06], regs: { rsi: DATA }, mem: [{ addr: DATA, bytes: [0, 0, 0, 0] }] }); // lock bt [rsi], eax
    expect(r.vector).toBe(6);
  });
});

describe('BSF/BSR/TZCNT/LZCNT/POPCNT', () => {
  it('BSF/BSR: index of the lowest/highest set bit; zero source leaves the destination', () => {
    // bsr rdx, r14 with r14 = 2^46 -> 46 (0b101110: four ones -> PF = 1), ZF = 0, CF OF SF AF = 0.
    let r = ok({ asm: ['bsr rdx, r14'], regs: { rdx: -1n, r14: 1n << 46n }, flags: CF | ZF | SF | OF | AF });
    expect(r.reg('rdx')).toBe(46n);
    expect(r.flags & ARITH).toBe(PF);
    // bsf ax, cx with cx = 0x0100 -> 8; bits 63:16 kept.
    r = ok({ asm: ['bsf ax, cx'], regs: { rax: 0x1111222233334444n, rcx: 0x100n } });
    expect(r.reg('rax')).toBe(0x1111222233330008n);
    // bsf r32: zero-extended result; bsr ecx, ecx of 0x80000000 = 31.
    r = ok({ asm: ['bsr ecx, ecx'], regs: { rcx: 0xffffffff80000000n } });
    expect(r.reg('rcx')).toBe(31n);
    r = ok({ asm: ['bsf rax, qword ptr [rsi]'], regs: { rsi: DATA }, mem: [{ addr: DATA, bytes: le(1n << 50n, 8) }] });
    expect(r.reg('rax')).toBe(50n);
    // Zero source: ZF = 1, the destination (all 64 bits, even for r32) is unchanged.
    r = ok({ asm: ['bsf eax, ebx'], regs: { rax: 0xdeadbeefcafef00dn, rbx: 0xffffffff00000000n } });
    expect(r.reg('rax')).toBe(0xdeadbeefcafef00dn);
    expect(r.flags & ZF).toBe(ZF);
    r = ok({ asm: ['bsr si, di'], regs: { rsi: 0x1234n, rdi: 0xffff0000n } });
    expect(r.reg('rsi')).toBe(0x1234n);
    expect(r.flags & ZF).toBe(ZF);
  });
  it('TZCNT/LZCNT: count with the width for zero; CF = (source = 0), ZF = (count = 0)', () => {
    // tzcnt r9w, bx of 0x8000 = 15; CF = ZF = 0; SF AF PF cleared (rule), OF unchanged.
    let r = ok({ asm: ['tzcnt r9w, bx'], regs: { r9: 0xaaaa0000n, rbx: 0x8000n }, flags: PF | ZF | SF | OF });
    expect(r.reg('r9')).toBe(0xaaaa000fn);
    expect(r.flags & ARITH).toBe(OF);
    // tzcnt esi, r8d of 0 = 32, CF = 1.
    r = ok({ asm: ['tzcnt esi, r8d'], regs: { rsi: -1n } });
    expect(r.reg('rsi')).toBe(32n);
    expect(r.flags & (CF | ZF)).toBe(CF);
    // tzcnt r11, rsi of 1 = 0 -> ZF = 1.
    r = ok({ asm: ['tzcnt r11, rsi'], regs: { rsi: 1n, r11: 5n } });
    expect(r.reg('r11')).toBe(0n);
    expect(r.flags & (CF | ZF)).toBe(ZF);
    // tzcnt of 2^40 (64-bit) = 40.
    r = ok({ asm: ['tzcnt rax, rbx'], regs: { rbx: 1n << 40n } });
    expect(r.reg('rax')).toBe(40n);
    // lzcnt r12d, r11d of 0xffffffff = 0 -> ZF = 1.
    r = ok({ asm: ['lzcnt r12d, r11d'], regs: { r11: 0xffffffffn } });
    expect(r.reg('r12')).toBe(0n);
    expect(r.flags & (CF | ZF)).toBe(ZF);
    // lzcnt of 0x00001000 (16-bit) = 3; lzcnt of 0 (64-bit) = 64 with CF = 1; lzcnt rdx of 0xdc51.. = 0.
    r = ok({ asm: ['lzcnt ax, cx'], regs: { rcx: 0x1000n } });
    expect(r.reg('rax')).toBe(3n);
    r = ok({ asm: ['lzcnt rax, rcx'], regs: { rcx: 0n } });
    expect(r.reg('rax')).toBe(64n);
    expect(r.flags & CF).toBe(CF);
    r = ok({ asm: ['lzcnt rax, rcx'], regs: { rcx: 0x1ffffffffn } });
    expect(r.reg('rax')).toBe(31n);
  });
  it('POPCNT: number of ones; ZF = (source = 0), other flags cleared', () => {
    let r = ok({ asm: ['popcnt si, r12w'], regs: { r12: 0xffffn, rsi: 0x7777000000000000n }, flags: CF | PF | AF | SF | OF });
    expect(r.reg('rsi')).toBe(0x7777000000000010n);
    expect(r.flags & ARITH).toBe(0);
    r = ok({ asm: ['popcnt r13d, dword ptr [rcx]'], regs: { rcx: DATA, r13: -1n }, mem: [{ addr: DATA, bytes: [0, 0, 0, 0] }] });
    expect(r.reg('r13')).toBe(0n);
    expect(r.flags & ARITH).toBe(ZF);
    // 0xf0f0f0f0f0f0f0f1 has 8 * 4 + 1 = 33 ones.
    r = ok({ asm: ['popcnt rax, rbx'], regs: { rbx: 0xf0f0f0f0f0f0f0f1n } });
    expect(r.reg('rax')).toBe(33n);
  });
});

describe('BSWAP/MOVBE/CRC32', () => {
  it('BSWAP', () => {
    let r = ok({ asm: ['bswap eax'], regs: { rax: 0xffffffff11223344n } });
    expect(r.reg('rax')).toBe(0x44332211n);
    r = ok({ asm: ['bswap r9'], regs: { r9: 0x0102030405060708n } });
    expect(r.reg('r9')).toBe(0x0807060504030201n);
    // BSWAP r16 (66 0F C8): undefined result; this emulator writes 0 to the 16-bit register.
    r = ok({ bytes: [0x66, 0x0f, 0xc8], regs: { rax: 0x12345678n } });
    expect(r.reg('rax')).toBe(0x12340000n);
  });
  it('MOVBE loads and stores with the bytes reversed; the register form is #UD', () => {
    const mem = [{ addr: DATA, bytes: [1, 2, 3, 4, 5, 6, 7, 8] }];
    let r = ok({ asm: ['movbe ax, word ptr [rsi]'], regs: { rsi: DATA, rax: 0xffffffffffffffffn }, mem });
    expect(r.reg('rax')).toBe(0xffffffffffff0102n);
    r = ok({ asm: ['movbe eax, dword ptr [rsi]'], regs: { rsi: DATA, rax: -1n }, mem });
    expect(r.reg('rax')).toBe(0x01020304n);
    r = ok({ asm: ['movbe rax, qword ptr [rsi]'], regs: { rsi: DATA }, mem });
    expect(r.reg('rax')).toBe(0x0102030405060708n);
    r = ok({ asm: ['movbe word ptr [rsi], cx'], regs: { rsi: DATA, rcx: 0xaabbn }, mem });
    expect(r.mem(DATA, 8)).toEqual([0xaa, 0xbb, 3, 4, 5, 6, 7, 8]);
    r = ok({ asm: ['movbe dword ptr [rsi], ecx'], regs: { rsi: DATA, rcx: 0x11223344n }, mem });
    expect(r.mem(DATA, 8)).toEqual([0x11, 0x22, 0x33, 0x44, 5, 6, 7, 8]);
    r = ok({ asm: ['movbe qword ptr [rax+0x52], r14'], regs: { rax: DATA - 0x52n, r14: 0x1122334455667788n }, mem });
    expect(r.mem(DATA, 8)).toEqual([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
    expect(run({ bytes: [0x0f, 0x38, 0xf0, 0xc1] }).vector).toBe(6);
  });
  it('CRC32 (CRC-32C) of 1, 2, 4 and 8 bytes', () => {
    // Bitwise CRC-32C, written out here independently of the emulator's table:
    // for each byte, crc ^= b; 8 times: crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1.
    const ref = (crc: number, bytes: number[]) => {
      for (const b of bytes) {
        crc ^= b;
        for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
      }
      return BigInt(crc >>> 0);
    };
    // Known value: CRC-32C of "123456789" with init 0xffffffff and final xor = 0xe3069283.
    expect(ref(0xffffffff, [...'123456789'].map((ch) => ch.charCodeAt(0))) ^ 0xffffffffn).toBe(0xe3069283n);
    let r = ok({ asm: ['crc32 eax, bl'], regs: { rax: 0xffffffff00000000n, rbx: 0x31n } });
    expect(r.reg('rax')).toBe(ref(0, [0x31]));
    r = ok({ asm: ['crc32 eax, cx'], regs: { rax: 0xffffffffn, rcx: 0x3231n } });
    expect(r.reg('rax')).toBe(ref(0xffffffff, [0x31, 0x32]));
    r = ok({ asm: ['crc32 eax, dword ptr [rsi]'], regs: { rax: 0x12345678n, rsi: DATA }, mem: [{ addr: DATA, bytes: [1, 2, 3, 4] }] });
    expect(r.reg('rax')).toBe(ref(0x12345678, [1, 2, 3, 4]));
    // 64-bit: 8 bytes of the source, starting from EAX; the result is zero-extended.
    r = ok({ asm: ['crc32 rax, rdx'], regs: { rax: 0xaaaaaaaa00000001n, rdx: 0x0807060504030201n } });
    expect(r.reg('rax')).toBe(ref(1, [1, 2, 3, 4, 5, 6, 7, 8]));
    r = ok({ asm: ['crc32 eax, ah'], regs: { rax: 0x3100n } });
    expect(r.reg('rax')).toBe(ref(0x3100, [0x31]));
  });
});
