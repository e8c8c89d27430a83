// Shifts, rotates, SHLD/SHRD: expected values worked out by hand from the SDM
// pseudo-code ("SAL/SAR/SHL/SHR", "RCL/RCR/ROL/ROR", "SHLD", "SHRD").
// Undefined flags follow the rules in emulator/insns/shift.ts (AF = 1 for
// shifts; OF formulas for counts > 1), noted where a test depends on them.
import { describe, it, expect } from 'vitest';
import { ok, run, CF, PF, AF, ZF, SF, OF, ARITH, DATA } from './harness.ts';

describe('SHL/SHR/SAR', () => {
  it('SHL every width', () => {
    // 8-bit: 0x81 << 1 = 0x02, CF = old bit 7 = 1, OF = MSB(r) ^ CF = 1; PF(0x02) = odd -> 0.
    let r = ok({ asm: ['shl bl, 1'], regs: { rbx: 0x81n } });
    expect(r.reg('rbx')).toBe(0x02n);
    expect(r.flags & ARITH).toBe(CF | OF | AF);
    // 16-bit by CL = 17 (masked 17 > 16): result 0, CF = 0 (bit -1), ZF = PF = 1.
    r = ok({ asm: ['shl r15w, cl'], regs: { r15: 0xabcd0000n, rcx: 17n } });
    expect(r.reg('r15')).toBe(0xabcd0000n);
    expect(r.flags & (CF | ZF | PF | SF)).toBe(ZF | PF);
    // 32-bit by 4: 0x1234_5678 << 4 = 0x2345_6780, CF = bit 28 = 1; upper half cleared.
    r = ok({ asm: ['shl eax, 4'], regs: { rax: 0xffffffff12345678n } });
    expect(r.reg('rax')).toBe(0x23456780n);
    expect(r.flags & (CF | ZF | SF | PF)).toBe(CF); // 0x80 low byte: one bit -> PF = 0
    // 64-bit by 63 (imm 255 masked to 63): 3 << 63 = 0x8000000000000000, CF = bit 1 = 1, SF = 1.
    r = ok({ asm: ['shl rdx, 255'], regs: { rdx: 3n } });
    expect(r.reg('rdx')).toBe(0x8000000000000000n);
    expect(r.flags & (CF | SF | ZF)).toBe(CF | SF);
    // 64-bit by 32 in memory: 0x00000001_80000000 << 32 = 0x80000000_00000000, CF = bit 32 = 1.
    r = ok({ asm: ['shl qword ptr [rsi], 32'], regs: { rsi: DATA }, mem: [{ addr: DATA, bytes: [0, 0, 0, 0x80, 1, 0, 0, 0] }] });
    expect(r.memVal(DATA, 8)).toBe(0x8000000000000000n);
    expect(r.flags & CF).toBe(CF);
  });
  it('SHR every width', () => {
    // 8-bit AH: 0x41 >> 1 = 0x20, CF = 1, OF = MSB(original) = 0; PF(0x20) = 0.
    let r = ok({ asm: ['shr ah, 1'], regs: { rax: 0x4100n } });
    expect(r.reg('rax')).toBe(0x2000n);
    expect(r.flags & ARITH).toBe(CF | AF);
    // 8-bit: 0xc1 >> 1 = 0x60, CF = 1, OF = MSB(original) = 1, PF(0x60) = even -> 1.
    r = ok({ asm: ['shr cl, 1'], regs: { rcx: 0xc1n } });
    expect(r.reg('rcx')).toBe(0x60n);
    expect(r.flags & ARITH).toBe(CF | OF | PF | AF);
    // 16-bit by 15: 0x8000 >> 15 = 1, CF = bit 14 = 0. OF for count > 1: MSB(r) ^ MSB-1(r) = 0.
    r = ok({ asm: ['shr si, 15'], regs: { rsi: 0x8000n } });
    expect(r.reg('rsi')).toBe(1n);
    expect(r.flags & (CF | OF | ZF)).toBe(0);
    // 32-bit by CL = 36 (masked 4): 0xf000000f >> 4 = 0x0f000000, CF = bit 3 = 1.
    r = ok({ asm: ['shr edi, cl'], regs: { rdi: 0xf000000fn, rcx: 36n } });
    expect(r.reg('rdi')).toBe(0x0f000000n);
    expect(r.flags & CF).toBe(CF);
    // 64-bit by 33: 0x97a94ce757e86842 >> 33 = 0x4bd4a673, CF = bit 32 = 1 (0x97a94ce7 is odd).
    r = ok({ asm: ['shr rcx, 33'], regs: { rcx: 0x97a94ce757e86842n } });
    expect(r.reg('rcx')).toBe(0x4bd4a673n);
    expect(r.flags & (CF | SF | ZF)).toBe(CF);
  });
  it('SAR every width', () => {
    // 8-bit: 0x81 >> 1 (arith) = 0xc0, CF = 1, OF = 0, SF = 1, PF(0xc0) = 1.
    let r = ok({ asm: ['sar dl, 1'], regs: { rdx: 0x81n } });
    expect(r.reg('rdx')).toBe(0xc0n);
    expect(r.flags & ARITH).toBe(CF | SF | PF | AF);
    // 16-bit by 136 (masked 8): 0x8001 >> 8 = 0xff80, CF = bit 7 = 0.
    r = ok({ asm: ['sar r11w, 136'], regs: { r11: 0x8001n } });
    expect(r.reg('r11')).toBe(0xff80n);
    expect(r.flags & (CF | SF)).toBe(SF);
    // 16-bit by 17 (> width): all sign bits, CF = sign = 0 for 0x0068 -> result 0.
    r = ok({ asm: ['sar r9w, cl'], regs: { r9: 0x68n, rcx: 17n } });
    expect(r.reg('r9')).toBe(0n);
    expect(r.flags & (CF | ZF)).toBe(ZF);
    // 32-bit by 8: 0x001fffff >> 8 = 0x1fff, CF = bit 7 = 1.
    r = ok({ asm: ['sar ebp, cl'], regs: { rbp: 0x001fffffn, rcx: 200n } });
    expect(r.reg('rbp')).toBe(0x1fffn);
    expect(r.flags & CF).toBe(CF);
    // 64-bit by 65 (masked 1): 0x9d658272b7264d17 >> 1 = 0xceb2c1395b93268b, CF = 1, SF = 1, OF = 0.
    r = ok({ asm: ['sar r10, cl'], regs: { r10: 0x9d658272b7264d17n, rcx: 65n } });
    expect(r.reg('r10')).toBe(0xceb2c1395b93268bn);
    expect(r.flags & (CF | SF | OF)).toBe(CF | SF);
    // 64-bit by 40: 0x8000000000000000 >> 40 = 0xffffffffff800000, CF = bit 39 = 0.
    r = ok({ asm: ['sar r8, 40'], regs: { r8: 0x8000000000000000n } });
    expect(r.reg('r8')).toBe(0xffffffffff800000n);
    expect(r.flags & CF).toBe(0);
  });
  it('a masked count of 0 changes no flag; a 32-bit register is still zero-extended', () => {
    const all = CF | PF | AF | ZF | SF | OF;
    let r = ok({ asm: ['shr rcx, 0'], regs: { rcx: 0x97a94ce757e86842n }, flags: CF | PF | ZF });
    expect(r.reg('rcx')).toBe(0x97a94ce757e86842n);
    expect(r.flags & all).toBe(CF | PF | ZF);
    r = ok({ asm: ['shl eax, cl'], regs: { rax: 0xffffffff00000001n, rcx: 32n }, flags: SF | OF });
    expect(r.reg('rax')).toBe(1n);
    expect(r.flags & all).toBe(SF | OF);
    r = ok({ asm: ['rcr dl, cl'], regs: { rdx: 0xc3n, rcx: 0n }, flags: CF | ZF | SF });
    expect(r.reg('rdx')).toBe(0xc3n);
    expect(r.flags & all).toBe(CF | ZF | SF);
  });
});

describe('ROL/ROR/RCL/RCR', () => {
  it('ROL every width; SF ZF AF PF unchanged', () => {
    // 8-bit by 17 (masked 17, mod 8 = 1): 0x10 -> 0x20, CF = LSB = 0, OF = MSB ^ CF = 0.
    let r = ok({ asm: ['rol r11b, 177'], regs: { r11: 0x10n }, flags: ZF | SF | OF });
    expect(r.reg('r11')).toBe(0x20n);
    expect(r.flags & ARITH).toBe(ZF | SF);
    // 8-bit by 8 (masked 8, mod 8 = 0): value unchanged but CF = LSB = 1, OF = MSB ^ CF = 1 ^ 1 = 0.
    r = ok({ asm: ['rol al, 8'], regs: { rax: 0x81n } });
    expect(r.reg('rax')).toBe(0x81n);
    expect(r.flags & (CF | OF)).toBe(CF);
    // 16-bit by 65 (masked 1): 0x0670 -> 0x0ce0, CF = 0, OF = 0 ^ 0.
    r = ok({ asm: ['rol r15w, cl'], regs: { r15: 0x670n, rcx: 65n }, flags: CF | PF | SF });
    expect(r.reg('r15')).toBe(0xce0n);
    expect(r.flags & ARITH).toBe(PF | SF);
    // 32-bit by 29: 0x8d1d468c rol 29 = ror 3 = 0x91a3a8d1, CF = 1, OF = 1 ^ 1 = 0.
    r = ok({ asm: ['rol ecx, 189'], regs: { rcx: 0x5ee69cb68d1d468cn } });
    expect(r.reg('rcx')).toBe(0x91a3a8d1n);
    expect(r.flags & (CF | OF)).toBe(CF);
    // 64-bit by 32 in memory: halves swapped; 0x4735e6f1f78a2d00 -> 0xf78a2d004735e6f1, CF = 1, OF = 1 ^ 1 = 0.
    r = ok({ asm: ['rol qword ptr [rsi], cl'], regs: { rsi: DATA, rcx: 32n }, mem: [{ addr: DATA, bytes: [0x00, 0x2d, 0x8a, 0xf7, 0xf1, 0xe6, 0x35, 0x47] }] });
    expect(r.memVal(DATA, 8)).toBe(0xf78a2d004735e6f1n);
    expect(r.flags & (CF | OF)).toBe(CF);
    // 64-bit by 4: 0x123456789abcdef0 -> 0x23456789abcdef01, CF = 1, OF = 0 ^ 1 = 1.
    r = ok({ asm: ['rol rbx, 4'], regs: { rbx: 0x123456789abcdef0n } });
    expect(r.reg('rbx')).toBe(0x23456789abcdef01n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
  });
  it('ROR every width', () => {
    // 8-bit by 3: 0x00 stays 0, CF = MSB = 0, OF = 0.
    let r = ok({ asm: ['ror r8b, cl'], regs: { rcx: 3n }, flags: ZF | OF });
    expect(r.flags & ARITH).toBe(ZF);
    // 16-bit by 1: 0x8000 -> 0x4000, CF = 0, OF = MSB ^ MSB-1 = 0 ^ 1 = 1.
    r = ok({ asm: ['ror ax, 1'], regs: { rax: 0x8000n } });
    expect(r.reg('rax')).toBe(0x4000n);
    expect(r.flags & (CF | OF)).toBe(OF);
    // 16-bit by 3: 0x6864 -> 0x8d0c, CF = 1, OF = 1 ^ 0 = 1.
    r = ok({ asm: ['ror r12w, cl'], regs: { r12: 0x6864n, rcx: 3n } });
    expect(r.reg('r12')).toBe(0x8d0cn);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 32-bit by 1: 1 -> 0x80000000, CF = 1, OF = 1 ^ 0 = 1.
    r = ok({ asm: ['ror edx, 1'], regs: { rdx: 0xffffffff00000001n } });
    expect(r.reg('rdx')).toBe(0x80000000n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 64-bit by 26 (218 masked): 0x80000000 -> 0x20, CF = 0, OF = 0.
    r = ok({ asm: ['ror rax, 218'], regs: { rax: 0x80000000n } });
    expect(r.reg('rax')).toBe(0x20n);
    expect(r.flags & (CF | OF)).toBe(0);
    // 64-bit by 36: 0x0000000f_00000000 -> 0xf0000000_00000000, CF = 1, OF = 1 ^ 1 = 0.
    r = ok({ asm: ['ror rbx, 36'], regs: { rbx: 0xf00000000n } });
    expect(r.reg('rbx')).toBe(0xf000000000000000n);
    expect(r.flags & (CF | OF)).toBe(CF);
  });
  it('RCL: 9-bit / 17-bit / 33-bit / 65-bit rotations through CF', () => {
    // 8-bit AH by 1, CF = 1: 0x00 -> 0x01, new CF = 0, OF = 0 ^ 0.
    let r = ok({ asm: ['rcl ah, 1'], regs: { rax: 0n }, flags: CF });
    expect(r.reg('rax')).toBe(0x100n);
    expect(r.flags & (CF | OF)).toBe(0);
    // 8-bit by 9 (mod 9 = 0): nothing moves, CF unchanged.
    r = ok({ asm: ['rcl bl, 9'], regs: { rbx: 0x5an }, flags: CF });
    expect(r.reg('rbx')).toBe(0x5an);
    expect(r.flags & CF).toBe(CF);
    // 8-bit by 10 (mod 9 = 1), CF = 0: 0x80 -> 0x00, CF = 1, OF = 0 ^ 1 = 1.
    r = ok({ asm: ['rcl bl, 10'], regs: { rbx: 0x80n } });
    expect(r.reg('rbx')).toBe(0n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 16-bit by 168 (masked 8, mod 17 = 8), CF = 1: 17-bit 1:acca rotated left 8 ->
    // (0xacca << 8 | 1 << 7 | 0xacca >> 9) & 0xffff = 0xca00 | 0x80 | 0x56 = 0xcad6, CF = bit 8 of 0xacca = 0.
    r = ok({ asm: ['rcl ax, 168'], regs: { rax: 0xaccan }, flags: CF });
    expect(r.reg('rax')).toBe(0xcad6n);
    expect(r.flags & CF).toBe(0);
    // 32-bit by 31, CF = 0: (x << 31) | (0 << 30) | (x >> 2) = 0x80000000 | 0x306de55c = 0xb06de55c, CF = bit 1 = 1.
    r = ok({ asm: ['rcl r13d, cl'], regs: { r13: 0xc1b79573n, rcx: 31n } });
    expect(r.reg('r13')).toBe(0xb06de55cn);
    expect(r.flags & CF).toBe(CF);
    // 64-bit by 1, CF = 0: 0x6bdc19c24d33fe78 << 1 = 0xd7b833849a67fcf0, CF = 0, OF = 1 ^ 0 = 1.
    r = ok({ asm: ['rcl rdi, cl'], regs: { rdi: 0x6bdc19c24d33fe78n, rcx: 1n } });
    expect(r.reg('rdi')).toBe(0xd7b833849a67fcf0n);
    expect(r.flags & (CF | OF)).toBe(OF);
    // 64-bit by 40, CF = 1: x = 0x8000000000000001 -> (x << 40) | (1 << 39) | (x >> 25)
    // = 0x0000010000000000 | 0x0000008000000000 | 0x0000004000000000 = 0x000001c000000000, CF = bit 24 = 0.
    r = ok({ asm: ['rcl rdx, 40'], regs: { rdx: 0x8000000000000001n }, flags: CF });
    expect(r.reg('rdx')).toBe(0x1c000000000n);
    expect(r.flags & CF).toBe(0);
  });
  it('RCR: rotations through CF', () => {
    // 16-bit by 3, CF = 0: 0x01bc -> (0x1bc >> 3) | (0 << 13) | (0x1bc << 14 & 0xffff) = 0x37, CF = bit 2 = 1.
    let r = ok({ asm: ['rcr bp, 3'], regs: { rbp: 0x1bcn } });
    expect(r.reg('rbp')).toBe(0x37n);
    expect(r.flags & (CF | OF)).toBe(CF);
    // 16-bit by 1, CF = 0 (memory): 0xffff -> 0x7fff, CF = 1, OF = MSB ^ MSB-1 = 0 ^ 1 = 1.
    r = ok({ asm: ['rcr word ptr [rsi], 1'], regs: { rsi: DATA }, mem: [{ addr: DATA, bytes: [0xff, 0xff] }] });
    expect(r.memVal(DATA, 2)).toBe(0x7fffn);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 8-bit by 9 (mod 9 = 0) with count != 0: value and CF unchanged.
    r = ok({ asm: ['rcr cl, 1', 'rcr dl, 9'], regs: { rcx: 0n, rdx: 0x33n } });
    expect(r.reg('rdx')).toBe(0x33n);
    // 32-bit by 1, CF = 0: 0xec76b622 -> 0x763b5b11, CF = 0, OF = 0 ^ 1 = 1.
    r = ok({ asm: ['rcr r15d, 1'], regs: { r15: 0xec76b622n }, flags: 0 });
    expect(r.reg('r15')).toBe(0x763b5b11n);
    expect(r.flags & (CF | OF)).toBe(OF);
    // 64-bit by 63, CF = 1: x = 3 -> (x >> 63) | (1 << 1) | (x << 2) = 0 | 2 | 0xc = 0xe, CF = bit 62 = 0.
    r = ok({ asm: ['rcr rax, 63'], regs: { rax: 3n }, flags: CF });
    expect(r.reg('rax')).toBe(0xen);
    expect(r.flags & CF).toBe(0);
  });
});

describe('SHLD/SHRD', () => {
  it('SHLD every width', () => {
    // 16-bit by 4: 0x1234:0xabcd -> 0x234a, CF = bit 12 of dest = 1.
    let r = ok({ asm: ['shld ax, bx, 4'], regs: { rax: 0x1234n, rbx: 0xabcdn } });
    expect(r.reg('rax')).toBe(0x234an);
    expect(r.flags & (CF | AF)).toBe(CF | AF);
    // 32-bit by 33 (masked 1): 0x84537557 <- 0xfffffffe: 0x08a6eaaf, CF = 1, OF = sign change 1 -> 0 = 1.
    r = ok({ asm: ['shld esi, r15d, cl'], regs: { rsi: 0x84537557n, r15: 0xfffffffen, rcx: 33n } });
    expect(r.reg('rsi')).toBe(0x08a6eaafn);
    expect(r.flags & (CF | OF | SF | ZF)).toBe(CF | OF);
    // 64-bit by 23 in memory: dest 0x800001, src 0xff -> (0x800001 << 23) | (0xff >> 41) = 0x400000800000.
    r = ok({ asm: ['shld qword ptr [rsi], r8, cl'], regs: { rsi: DATA, r8: 0xffn, rcx: 23n }, mem: [{ addr: DATA, bytes: [1, 0, 0x80, 0, 0, 0, 0, 0] }] });
    expect(r.memVal(DATA, 8)).toBe(0x400000800000n);
    expect(r.flags & (CF | ZF)).toBe(0);
    // 64-bit by 40: dest 0x0123456789abcdef, src 0xfedcba9876543210 -> (d << 40) | (s >> 24) = 0xabcdeffedcba9876, CF = bit 24 of d = 1.
    r = ok({ asm: ['shld rdx, rcx, 40'], regs: { rdx: 0x0123456789abcdefn, rcx: 0xfedcba9876543210n } });
    expect(r.reg('rdx')).toBe(0xabcdeffedcba9876n);
    expect(r.flags & (CF | SF)).toBe(CF | SF);
    // count 64 masked to 0 (16-bit, imm 64 & 31 = 0): nothing changes.
    r = ok({ asm: ['shld r12w, r10w, 64'], regs: { r12: 1n, r10: 0xf6e0n }, flags: PF | AF | ZF | SF });
    expect(r.reg('r12')).toBe(1n);
    expect(r.flags & ARITH).toBe(PF | AF | ZF | SF);
  });
  it('SHRD every width', () => {
    // 16-bit by 4: 0x1234 <- 0xabcd: (0x1234 >> 4) | (0xabcd << 12) = 0xd123, CF = bit 3 = 0.
    let r = ok({ asm: ['shrd ax, bx, 4'], regs: { rax: 0x1234n, rbx: 0xabcdn } });
    expect(r.reg('rax')).toBe(0xd123n);
    expect(r.flags & (CF | SF)).toBe(SF);
    // 32-bit by 1: 0x80000001 <- 0: 0x40000000, CF = 1, OF = sign change = 1.
    r = ok({ asm: ['shrd eax, edx, cl'], regs: { rax: 0xffffffff80000001n, rdx: 0n, rcx: 1n } });
    expect(r.reg('rax')).toBe(0x40000000n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 64-bit by 8: 0x1122334455667788 <- 0xaa..: 0xaa11223344556677, CF = bit 7 = 1.
    r = ok({ asm: ['shrd rbx, rcx, 8'], regs: { rbx: 0x1122334455667788n, rcx: 0xaan } });
    expect(r.reg('rbx')).toBe(0xaa11223344556677n);
    expect(r.flags & CF).toBe(CF);
    // 16-bit count 0 (imm): unchanged.
    r = ok({ asm: ['shrd cx, r14w, 0'], regs: { rcx: 0x9aean, r14: 0x3ffn }, flags: PF | AF | ZF | OF });
    expect(r.reg('rcx')).toBe(0x9aean);
    expect(r.flags & ARITH).toBe(PF | AF | ZF | OF);
  });
});

describe('LOCK', () => {
  it('shifts and rotates are not lockable: #UD even with a memory destination', () => {
    expect(run({ bytes: [0xf0, 0xd1, 0x26], regs: { rsi: DATA }, mem: [{ addr: DATA, bytes: [1, 0, 0, 0] }] }).vector).toBe(6); // lock shl dword [rsi], 1
    expect(run({ bytes: [0xf0, 0x0f, 0xa4, 0x06, 0x01], regs: { rsi: DATA }, mem: [{ addr: DATA, bytes: [1, 0, 0, 0] }] }).vector).toBe(6); // lock shld [rsi], eax, 1
  });
});
