// BMI1/BMI2/ADX: expected values by hand from the SDM pseudo-code. AF/PF of
// ANDN/BLS*/BZHI and AF/SF/PF of BEXTR are undefined; the rules used are in
// emulator/insns/bmi.ts and are asserted only where noted.
import { describe, it, expect } from 'vitest';
import { ok, le, CF, PF, AF, ZF, SF, OF, ARITH, DATA } from './harness.ts';

describe('BMI1', () => {
  it('ANDN: NOT src1 AND src2; SF ZF, CF = OF = 0', () => {
    // 32-bit: ~0x0000ffff & 0x8000ff00 = 0x80000000 -> SF = 1; bits 63:32 cleared.
    let r = ok({ asm: ['andn eax, ebx, ecx'], regs: { rax: -1n, rbx: 0xffffn, rcx: 0x8000ff00n }, flags: CF | OF });
    expect(r.reg('rax')).toBe(0x80000000n);
    expect(r.flags & (CF | OF | SF | ZF)).toBe(SF);
    // 64-bit, memory: ~x & x = 0 -> ZF = 1.
    r = ok({ asm: ['andn rax, rbx, qword ptr [rsi]'], regs: { rbx: 0x123456789n, rsi: DATA }, mem: [{ addr: DATA, bytes: le(0x123456789n, 8) }] });
    expect(r.reg('rax')).toBe(0n);
    expect(r.flags & (ZF | SF)).toBe(ZF);
  });
  it('BLSI / BLSMSK / BLSR', () => {
    // blsi edx, r13d: 0xffff & -0xffff = 1; CF = (src != 0) = 1, ZF = SF = 0, OF = 0.
    let r = ok({ asm: ['blsi edx, r13d'], regs: { r13: 0xffffn, rdx: -1n } });
    expect(r.reg('rdx')).toBe(1n);
    expect(r.flags & (CF | ZF | SF | OF)).toBe(CF);
    // blsi of 0 -> 0, CF = 0, ZF = 1.
    r = ok({ asm: ['blsi rax, rbx'], regs: { rbx: 0n } });
    expect(r.reg('rax')).toBe(0n);
    expect(r.flags & (CF | ZF)).toBe(ZF);
    // blsi rax of 2^63 -> 2^63, SF = 1.
    r = ok({ asm: ['blsi rax, rbx'], regs: { rbx: 1n << 63n } });
    expect(r.reg('rax')).toBe(1n << 63n);
    expect(r.flags & (CF | SF)).toBe(CF | SF);
    // blsmsk ebx, eax: 0x7197981f -> (x - 1) ^ x = 0x7197981e ^ 0x7197981f = 1; CF = 0, ZF = 0, SF = 0.
    r = ok({ asm: ['blsmsk ebx, eax'], regs: { rax: 0x7197981fn } });
    expect(r.reg('rbx')).toBe(1n);
    expect(r.flags & (CF | ZF | SF | OF)).toBe(0);
    // blsmsk of 0: (0 - 1) ^ 0 = all ones, CF = 1, SF = 1, ZF = 0.
    r = ok({ asm: ['blsmsk r12, r11'], regs: { r11: 0n } });
    expect(r.reg('r12')).toBe(0xffffffffffffffffn);
    expect(r.flags & (CF | ZF | SF)).toBe(CF | SF);
    // blsmsk of 0x100000000 (64-bit): mask up to bit 32 = 0x1ffffffff.
    r = ok({ asm: ['blsmsk r12, r11'], regs: { r11: 0x100000000n } });
    expect(r.reg('r12')).toBe(0x1ffffffffn);
    // blsr r10, [r14+rax]: 0x39c46f1dc20a39d2 & (x - 1) = 0x39c46f1dc20a39d0; CF = 0, ZF = 0.
    r = ok({ asm: ['blsr r10, qword ptr [r14+rax*1]'], regs: { r14: DATA, rax: 0n }, mem: [{ addr: DATA, bytes: le(0x39c46f1dc20a39d2n, 8) }] });
    expect(r.reg('r10')).toBe(0x39c46f1dc20a39d0n);
    expect(r.flags & (CF | ZF | SF | OF)).toBe(0);
    // blsr of 0 -> 0, CF = 1, ZF = 1; of 0x80000000 (32-bit) -> 0, ZF = 1, CF = 0.
    r = ok({ asm: ['blsr eax, ecx'], regs: { rcx: 0n, rax: -1n } });
    expect(r.reg('rax')).toBe(0n);
    expect(r.flags & (CF | ZF)).toBe(CF | ZF);
    r = ok({ asm: ['blsr eax, ecx'], regs: { rcx: 0x80000000n } });
    expect(r.flags & (CF | ZF)).toBe(ZF);
  });
  it('BEXTR: START = src2[7:0], LEN = src2[15:8]', () => {
    // 64-bit: 0x1a2a >> 0x80 (start 128 >= 64) -> 0, ZF = 1, CF = OF = 0. AF = 1, SF = 0, PF = 1 (rule).
    let r = ok({ asm: ['bextr rbp, r11, rsi'], regs: { r11: 0x1a2an, rsi: 0x80n }, flags: CF | OF });
    expect(r.reg('rbp')).toBe(0n);
    expect(r.flags & ARITH).toBe(ZF | AF | PF);
    // 32-bit: 0x12345678, start 4, len 16 -> 0x4567.
    r = ok({ asm: ['bextr eax, ebx, ecx'], regs: { rbx: 0x12345678n, rcx: 0x1004n, rax: -1n } });
    expect(r.reg('rax')).toBe(0x4567n);
    expect(r.flags & (ZF | CF | OF)).toBe(0);
    // 64-bit: start 60, len 200 (more than remains) -> the top nibble 0xf.
    r = ok({ asm: ['bextr rax, rbx, rcx'], regs: { rbx: 0xf000000000000000n, rcx: 0xc83cn } });
    expect(r.reg('rax')).toBe(0xfn);
    // 64-bit: start 8, len 40 -> bits 47:8.
    r = ok({ asm: ['bextr rax, qword ptr [rsi], rcx'], regs: { rsi: DATA, rcx: 0x2808n }, mem: [{ addr: DATA, bytes: le(0x0123456789abcdefn, 8) }] });
    expect(r.reg('rax')).toBe(0x456789abcdn);
    // len 0 -> 0.
    r = ok({ asm: ['bextr eax, ebx, ecx'], regs: { rbx: -1n, rcx: 0x0003n } });
    expect(r.reg('rax')).toBe(0n);
  });
});

describe('BMI2', () => {
  it('BZHI: zero the bits from INDEX up; CF = (INDEX > width - 1)', () => {
    // 32-bit, index 4 -> 0xff & 0xf = 0xf.
    let r = ok({ asm: ['bzhi eax, edx, ecx'], regs: { rdx: 0xffn, rcx: 0x104n } });
    expect(r.reg('rax')).toBe(0xfn);
    expect(r.flags & (CF | ZF | SF | OF)).toBe(0);
    // 32-bit, index 64 (> 31): source unchanged, CF = 1, SF from bit 31.
    r = ok({ asm: ['bzhi eax, edx, ecx'], regs: { rdx: 0x80000000n, rcx: 0x40n } });
    expect(r.reg('rax')).toBe(0x80000000n);
    expect(r.flags & (CF | SF)).toBe(CF | SF);
    // 64-bit, index 40.
    r = ok({ asm: ['bzhi rax, rdx, rcx'], regs: { rdx: -1n, rcx: 40n } });
    expect(r.reg('rax')).toBe((1n << 40n) - 1n);
    // 64-bit, index 0 -> 0, ZF = 1.
    r = ok({ asm: ['bzhi rax, qword ptr [rsi], rcx'], regs: { rsi: DATA, rcx: 0x100n }, mem: [{ addr: DATA, bytes: le(-1n, 8) }] });
    expect(r.reg('rax')).toBe(0n);
    expect(r.flags & (ZF | CF)).toBe(ZF);
  });
  it('SHLX / SARX / SHRX: count masked, no flags', () => {
    let r = ok({ asm: ['shlx eax, ebx, ecx'], regs: { rbx: 0x81n, rcx: 33n }, flags: CF | ZF });
    expect(r.reg('rax')).toBe(0x102n); // 33 & 31 = 1
    expect(r.flags & ARITH).toBe(CF | ZF);
    r = ok({ asm: ['sarx rax, rbx, rcx'], regs: { rbx: 0x8000000000000000n, rcx: 63n } });
    expect(r.reg('rax')).toBe(0xffffffffffffffffn);
    r = ok({ asm: ['shrx rax, qword ptr [rsi], rcx'], regs: { rsi: DATA, rcx: 68n }, mem: [{ addr: DATA, bytes: le(0x8000000000000000n, 8) }] });
    expect(r.reg('rax')).toBe(0x0800000000000000n); // 68 & 63 = 4
    r = ok({ asm: ['sarx edx, ecx, ebx'], regs: { rcx: 0x80000000n, rbx: 4n } });
    expect(r.reg('rdx')).toBe(0xf8000000n);
  });
  it('RORX: immediate rotation, no flags', () => {
    // 64-bit: 0x7f rorx 132 (masked 4) = 0xf000000000000007.
    let r = ok({ asm: ['rorx r12, rsi, 132'], regs: { rsi: 0x7fn }, flags: CF });
    expect(r.reg('r12')).toBe(0xf000000000000007n);
    expect(r.flags & ARITH).toBe(CF);
    r = ok({ asm: ['rorx eax, dword ptr [rsi], 8'], regs: { rsi: DATA }, mem: [{ addr: DATA, bytes: [0x44, 0x33, 0x22, 0x11] }] });
    expect(r.reg('rax')).toBe(0x44112233n);
  });
  it('PDEP / PEXT', () => {
    // pdep: source bits 0,1,... go to the mask's set bits in order. src 0b101, mask 0xf0 -> bits 4 and 6 -> 0x50.
    let r = ok({ asm: ['pdep eax, ebx, ecx'], regs: { rbx: 5n, rcx: 0xf0n } });
    expect(r.reg('rax')).toBe(0x50n);
    // pdep r14d, ebx, esi: src 0x92 = 0b10010010, mask 0xffff -> 0x92.
    r = ok({ asm: ['pdep r14d, ebx, esi'], regs: { rbx: 0x92n, rsi: 0xffffn } });
    expect(r.reg('r14')).toBe(0x92n);
    // 64-bit pdep across the halves: src all ones, mask 0x8000000100000001 -> the mask.
    r = ok({ asm: ['pdep rax, rbx, rcx'], regs: { rbx: -1n, rcx: 0x8000000100000001n } });
    expect(r.reg('rax')).toBe(0x8000000100000001n);
    // pdep with src 0b10, mask 0x8000000100000001: second mask bit (bit 32) gets 1.
    r = ok({ asm: ['pdep rax, rbx, rcx'], regs: { rbx: 2n, rcx: 0x8000000100000001n } });
    expect(r.reg('rax')).toBe(0x100000000n);
    // pext: gather the source bits at the mask's set bits. 0x199b4dad, mask 0x7fffffff -> 0x199b4dad.
    r = ok({ asm: ['pext ebx, ebp, edx'], regs: { rbp: 0x199b4dadn, rdx: 0x7fffffffn } });
    expect(r.reg('rbx')).toBe(0x199b4dadn);
    // pext 64: src 0xf0f0_0000_0000_000f, mask 0xff00_0000_0000_00ff -> low 8 bits from 0x0f, next 8 from 0xf0 -> 0xf00f.
    r = ok({ asm: ['pext rax, rbx, qword ptr [rsi]'], regs: { rbx: 0xf0f000000000000fn, rsi: DATA }, mem: [{ addr: DATA, bytes: le(0xff000000000000ffn, 8) }] });
    expect(r.reg('rax')).toBe(0xf00fn);
  });
  it('MULX: rDX * r/m, high to the first destination, no flags', () => {
    // 32-bit: 0xf711f92c * 0x2eaaffd5 = 0x2d2cb3ee_6a6c5e1c? computed: see below with BigInt arithmetic done here.
    const a = 0xf711f92cn, b = 0x2eaaffd5n, p = a * b;
    let r = ok({ asm: ['mulx ecx, r13d, r8d'], regs: { rdx: 0x8fa0423b00000000n | a, r8: b }, flags: ZF });
    expect(r.reg('rcx')).toBe(p >> 32n);
    expect(r.reg('r13')).toBe(p & 0xffffffffn);
    expect(r.flags & ARITH).toBe(ZF);
    // 64-bit: (2^64 - 1) * 2 = 2^65 - 2 -> high 1, low 0xfffffffffffffffe.
    r = ok({ asm: ['mulx rax, rbx, rcx'], regs: { rdx: -1n, rcx: 2n } });
    expect(r.reg('rax')).toBe(1n);
    expect(r.reg('rbx')).toBe(0xfffffffffffffffen);
    // Both destinations the same register: the high half remains.
    r = ok({ asm: ['mulx rax, rax, rcx'], regs: { rdx: 1n << 63n, rcx: 4n } });
    expect(r.reg('rax')).toBe(2n);
  });
});

describe('ADX', () => {
  it('ADCX: carry in and out through CF only', () => {
    // 0 + 0x8000000000000001 + CF(1) = 0x8000000000000002, no carry out -> CF = 0; SF OF AF kept.
    let r = ok({ asm: ['adcx rcx, r8'], regs: { rcx: 0n, r8: 0x8000000000000001n }, flags: CF | AF | SF | OF });
    expect(r.reg('rcx')).toBe(0x8000000000000002n);
    expect(r.flags & ARITH).toBe(AF | SF | OF);
    // 32-bit: 0xffffffff + 1 + 0 = 0 with carry out -> CF = 1, ZF untouched (still 0).
    r = ok({ asm: ['adcx eax, ebx'], regs: { rax: 0xffffffffffffffffn, rbx: 1n } });
    expect(r.reg('rax')).toBe(0n);
    expect(r.flags & ARITH).toBe(CF);
  });
  it('ADOX: carry in and out through OF only', () => {
    // 0x7f + 0x7f + OF(0) = 0xfe; CF PF ZF kept.
    let r = ok({ asm: ['adox r13d, dword ptr [r11]'], regs: { r13: 0x7fn, r11: DATA }, mem: [{ addr: DATA, bytes: [0x7f, 0, 0, 0] }], flags: CF | PF | ZF });
    expect(r.reg('r13')).toBe(0xfen);
    expect(r.flags & ARITH).toBe(CF | PF | ZF);
    // 64-bit with OF = 1: 0xffffffffffffffff + 0 + 1 = 0, OF = 1 (carry out).
    r = ok({ asm: ['adox rax, rbx'], regs: { rax: -1n, rbx: 0n }, flags: OF });
    expect(r.reg('rax')).toBe(0n);
    expect(r.flags & ARITH).toBe(OF);
  });
});
