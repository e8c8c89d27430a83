// MUL, IMUL, DIV, IDIV: expected values worked out by hand from the SDM
// pseudo-code (vol. 2 "MUL", "IMUL", "DIV", "IDIV"). MUL/IMUL: CF = OF set
// when the upper half is significant; SF ZF AF PF are left unchanged (the
// rule chosen from the Zen 4 captures). DIV/IDIV: flags undefined (rule:
// CF OF unchanged, AF = 1, ZF SF PF = 0); #DE leaves everything unchanged.
import { describe, it, expect } from 'vitest';
import { ok, run, CF, PF, AF, ZF, SF, OF, ARITH, DATA } from './harness.ts';

const SZAP = SF | ZF | AF | PF;

describe('MUL', () => {
  it('8-bit: AX := AL * r/m8', () => {
    // 0x80 * 0x03 = 0x180: AH = 0x01 != 0 -> CF = OF = 1. RAX bits 63:16 kept.
    const r = ok({ asm: ['mul bl'], regs: { rax: 0x1111111111111180n, rbx: 0x03n }, flags: ZF | PF });
    expect(r.reg('rax')).toBe(0x1111111111110180n);
    expect(r.flags & ARITH).toBe(CF | OF | ZF | PF); // SZAP unchanged
    // 0x0f * 0x10 = 0xf0: AH = 0 -> CF = OF = 0.
    const r2 = ok({ asm: ['mul ah'], regs: { rax: 0x100fn }, flags: CF | OF | SF });
    expect(r2.reg('rax')).toBe(0xf0n);
    expect(r2.flags & ARITH).toBe(SF);
  });
  it('16-bit: DX:AX := AX * r/m16', () => {
    // 0xffff * 0xffff = 0xfffe0001: DX = 0xfffe, AX = 0x0001, CF = OF = 1.
    const r = ok({ asm: ['mul word ptr [rsi]'], regs: { rax: 0xaaaaffffn, rdx: 0xbbbb0000n, rsi: DATA }, mem: [{ addr: DATA, bytes: [0xff, 0xff] }] });
    expect(r.reg('rax')).toBe(0xaaaa0001n);
    expect(r.reg('rdx')).toBe(0xbbbbfffen);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
  });
  it('32-bit: EDX:EAX, both zero-extended', () => {
    // 0x80000000 * 4 = 0x2_00000000: EDX = 2, EAX = 0.
    const r = ok({ asm: ['mul ecx'], regs: { rax: 0xffffffff80000000n, rcx: 4n, rdx: -1n } });
    expect(r.reg('rax')).toBe(0n);
    expect(r.reg('rdx')).toBe(2n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 0x10000 * 0xffff = 0xffff0000: EDX = 0 -> CF = OF = 0.
    const r2 = ok({ asm: ['mul ecx'], regs: { rax: 0x10000n, rcx: 0xffffn, rdx: 7n }, flags: CF | OF | ZF });
    expect(r2.reg('rax')).toBe(0xffff0000n);
    expect(r2.reg('rdx')).toBe(0n);
    expect(r2.flags & ARITH).toBe(ZF);
  });
  it('64-bit: RDX:RAX := RAX * r/m64', () => {
    // (2^64-1)^2 = 2^128 - 2^65 + 1 = 0xfffffffffffffffe_0000000000000001.
    const r = ok({ asm: ['mul rbx'], regs: { rax: -1n, rbx: -1n } });
    expect(r.reg('rdx')).toBe(0xfffffffffffffffen);
    expect(r.reg('rax')).toBe(1n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 0x123456789 * 0x1000 = 0x123456789000 (fits): RDX = 0, CF = OF = 0.
    const r2 = ok({ asm: ['mul rbx'], regs: { rax: 0x123456789n, rbx: 0x1000n, rdx: 5n }, flags: CF });
    expect(r2.reg('rax')).toBe(0x123456789000n);
    expect(r2.reg('rdx')).toBe(0n);
    expect(r2.flags & (CF | OF)).toBe(0);
    // 0xd7f90bcba43a60cf * 0x27c804f4cc31c817, by schoolbook on 32-bit halves
    // (a1=0xd7f90bcb a0=0xa43a60cf b1=0x27c804f4 b0=0xcc31c817) = 0x218c... ;
    // checked against the same product computed with BigInt in the test.
    const a = 0xd7f90bcba43a60cfn, b = 0x27c804f4cc31c817n, p = a * b;
    const r3 = ok({ asm: ['mul qword ptr [rsi]'], regs: { rax: a, rsi: DATA }, mem: [{ addr: DATA, bytes: leBytes(b, 8) }] });
    expect(r3.reg('rax')).toBe(p & (2n ** 64n - 1n));
    expect(r3.reg('rdx')).toBe(p >> 64n);
  });
});

function leBytes(v: bigint, n: number): number[] {
  return Array.from({ length: n }, (_, k) => Number((v >> BigInt(8 * k)) & 0xffn));
}

describe('IMUL', () => {
  it('one operand, every width', () => {
    // 8-bit: -1 * -128 = 128 = 0x0080: AX = 0x0080; 128 is not the sign-extension of AL (0x80 = -128) -> CF = OF = 1.
    let r = ok({ asm: ['imul cl'], regs: { rax: 0xffn, rcx: 0x80n } });
    expect(r.reg('rax')).toBe(0x80n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 8-bit: -2 * 3 = -6 = 0xfffa: fits in AL -> CF = OF = 0; SZAP unchanged.
    r = ok({ asm: ['imul cl'], regs: { rax: 0xfen, rcx: 3n }, flags: SZAP });
    expect(r.reg('rax')).toBe(0xfffan);
    expect(r.flags & ARITH).toBe(SZAP);
    // 16-bit: 0x4000 * 2 = 0x8000: DX:AX = 0x0000:0x8000, +32768 does not fit -> CF = OF = 1.
    r = ok({ asm: ['imul cx'], regs: { rax: 0x4000n, rcx: 2n, rdx: 0xffffn } });
    expect(r.reg('rax')).toBe(0x8000n);
    expect(r.reg('rdx')).toBe(0n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 32-bit: -1 * 0x7fffffff = -0x7fffffff: EDX = 0xffffffff, EAX = 0x80000001, fits -> CF = OF = 0.
    r = ok({ asm: ['imul ecx'], regs: { rax: 0xffffffffn, rcx: 0x7fffffffn } });
    expect(r.reg('rax')).toBe(0x80000001n);
    expect(r.reg('rdx')).toBe(0xffffffffn);
    expect(r.flags & (CF | OF)).toBe(0);
    // 64-bit: 0x10 * 0x987139795917c250 (negative) = -0x678ec686a6e83db0 * 16
    // = 0xfffffffffffffff9_87139795917c2500 as 128 bits -> does not fit -> CF = OF = 1.
    r = ok({ asm: ['imul rcx'], regs: { rax: 0x10n, rcx: 0x987139795917c250n } });
    expect(r.reg('rax')).toBe(0x87139795917c2500n);
    expect(r.reg('rdx')).toBe(0xfffffffffffffff9n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 64-bit: -3 * -5 = 15 -> RDX = 0, CF = OF = 0.
    r = ok({ asm: ['imul rcx'], regs: { rax: -3n, rcx: -5n } });
    expect(r.reg('rax')).toBe(15n);
    expect(r.reg('rdx')).toBe(0n);
    expect(r.flags & (CF | OF)).toBe(0);
  });
  it('two and three operands truncate to the destination', () => {
    // 16-bit: 0x0100 * 0x0100 = 0x10000 -> BX = 0x0000, CF = OF = 1; RBX bits 63:16 kept.
    let r = ok({ asm: ['imul bx, cx'], regs: { rbx: 0x55550100n, rcx: 0x100n } });
    expect(r.reg('rbx')).toBe(0x55550000n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 32-bit, imm8: 0x12345678 * -1 = 0xedcba988, fits -> CF = OF = 0; bits 63:32 cleared.
    r = ok({ asm: ['imul ebx, ecx, -1'], regs: { rbx: -1n, rcx: 0x12345678n } });
    expect(r.reg('rbx')).toBe(0xedcba988n);
    expect(r.flags & (CF | OF)).toBe(0);
    // 64-bit, imm32: 0x4000000000000000 * 2 = 2^63 -> does not fit signed -> CF = OF = 1, RAX = 0x8000000000000000.
    r = ok({ asm: ['imul rax, qword ptr [rsi], 2'], regs: { rsi: DATA }, mem: [{ addr: DATA, bytes: leBytes(0x4000000000000000n, 8) }] });
    expect(r.reg('rax')).toBe(0x8000000000000000n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
    // 64-bit: -0x100000000 * 0x100000000 = -2^64 -> low half 0, does not fit -> CF = OF = 1.
    r = ok({ asm: ['imul rax, rcx'], regs: { rax: -0x100000000n, rcx: 0x100000000n }, flags: ZF });
    expect(r.reg('rax')).toBe(0n);
    expect(r.flags & (CF | OF | ZF)).toBe(CF | OF | ZF); // ZF unchanged (not derived from the result)
    // 16-bit imm16: 300 * 200 = 60000 = 0xea60 > 32767 -> CF = OF = 1.
    r = ok({ asm: ['imul ax, cx, 200'], regs: { rcx: 300n } });
    expect(r.reg('rax')).toBe(0xea60n);
    expect(r.flags & (CF | OF)).toBe(CF | OF);
  });
});

describe('DIV', () => {
  it('8-bit: AL := AX / r/m8, AH := remainder', () => {
    // 0x7ecd / 0x7f = 32461 / 127 = 255 rem 76 (255 * 127 = 32385, 32461 - 32385 = 76 = 0x4c).
    const r = ok({ asm: ['div r15b'], regs: { rax: 0x7ecdn, r15: 0x7fn }, flags: CF | ZF | PF });
    expect(r.reg('rax')).toBe(0x4cffn);
    expect(r.flags & ARITH).toBe(CF | AF); // rule: CF OF kept, AF = 1, ZF SF PF = 0
  });
  it('16-bit: DX:AX / r/m16', () => {
    // 0x0060_1fd0 / 0xc1b2 = 6299600 / 49586 = 127 rem 2178 (127 * 49586 = 6297422; 6299600 - 6297422 = 2178 = 0x882).
    const r = ok({ asm: ['div si'], regs: { rax: 0x1fd0n, rdx: 0x60n, rsi: 0xc1b2n } });
    expect(r.reg('rax')).toBe(0x7fn);
    expect(r.reg('rdx')).toBe(0x882n);
  });
  it('32-bit: EDX:EAX / r/m32, both results zero-extended', () => {
    // 0x00000001_00000000 / 3 = 4294967296 / 3 = 1431655765 rem 1 (0x55555555).
    const r = ok({ asm: ['div ecx'], regs: { rax: 0xffffffff00000000n, rdx: 0xaaaaaaaa00000001n, rcx: 3n } });
    expect(r.reg('rax')).toBe(0x55555555n);
    expect(r.reg('rdx')).toBe(1n);
  });
  it('64-bit: RDX:RAX / r/m64 (128-by-64)', () => {
    // (2^64 * 5 + 7) / 0x10 = 5 * 2^60 + 0 rem 7 -> RAX = 0x5000000000000000, RDX = 7.
    let r = ok({ asm: ['div rcx'], regs: { rax: 7n, rdx: 5n, rcx: 0x10n } });
    expect(r.reg('rax')).toBe(0x5000000000000000n);
    expect(r.reg('rdx')).toBe(7n);
    // Small fast-path numbers: 1000 / 7 = 142 rem 6.
    r = ok({ asm: ['div rcx'], regs: { rax: 1000n, rdx: 0n, rcx: 7n } });
    expect(r.reg('rax')).toBe(142n);
    expect(r.reg('rdx')).toBe(6n);
    // 2^52 + 3 by 2^52 + 1 (edge of the exact double range): 1 rem 2.
    r = ok({ asm: ['div rcx'], regs: { rax: 2n ** 52n + 3n, rcx: 2n ** 52n + 1n } });
    expect(r.reg('rax')).toBe(1n);
    expect(r.reg('rdx')).toBe(2n);
  });
  it('#DE on divide by zero and on quotient overflow, with nothing written', () => {
    for (const [asm, regs] of [
      ['div cl', { rax: 0x1234n, rcx: 0n }],
      ['div cl', { rax: 0x1234n, rcx: 0x12n }], // 0x1234 / 0x12 = 258 > 255
      ['div cx', { rax: 0n, rdx: 5n, rcx: 5n }], // DX >= divisor
      ['div ecx', { rax: 0n, rdx: 0xffffffffn, rcx: 0xffffffffn }],
      ['div rcx', { rax: 0n, rdx: 1n, rcx: 1n }], // quotient 2^64
      ['div rcx', { rax: 1n, rdx: 0n, rcx: 0n }],
    ] as [string, Record<string, bigint>][]) {
      const r = run({ asm: [asm], regs, flags: CF | ZF | SF });
      expect(r.vector, asm).toBe(0);
      expect(r.rip).toBe(0x10000000n);
      for (const [k, v] of Object.entries(regs)) expect(r.reg(k), `${asm} ${k}`).toBe(v);
      expect(r.flags & ARITH).toBe(CF | ZF | SF);
    }
  });
});

describe('IDIV', () => {
  it('every width, truncating toward zero, remainder with the dividend sign', () => {
    // 8-bit: -7 / 2 = -3 rem -1: AL = 0xfd, AH = 0xff.
    let r = ok({ asm: ['idiv cl'], regs: { rax: 0xfff9n, rcx: 2n } });
    expect(r.reg('rax')).toBe(0xfffdn);
    // 8-bit: 0x11 / 0x16 = 17 / 22 = 0 rem 17.
    r = ok({ asm: ['idiv r9b'], regs: { rax: 0x11n, r9: 0x16n } });
    expect(r.reg('rax')).toBe(0x1100n);
    // 16-bit: DX:AX = -100000 (0xfffe7960) / 300 = -333 rem -100 -> AX = 0xfeb3, DX = 0xff9c.
    r = ok({ asm: ['idiv cx'], regs: { rax: 0x7960n, rdx: 0xfffen, rcx: 300n } });
    expect(r.reg('rax')).toBe(0xfeb3n);
    expect(r.reg('rdx')).toBe(0xff9cn);
    // 32-bit: EDX:EAX = 7 / -2 = -3 rem 1.
    r = ok({ asm: ['idiv ecx'], regs: { rax: 7n, rdx: 0n, rcx: 0xfffffffen } });
    expect(r.reg('rax')).toBe(0xfffffffdn);
    expect(r.reg('rdx')).toBe(1n);
    // 32-bit: -2^31 * 2 / 2 = -2^31 fits (quotient 0x80000000).
    r = ok({ asm: ['idiv ecx'], regs: { rax: 0n, rdx: 0xffffffffn, rcx: 2n } });
    expect(r.reg('rax')).toBe(0x80000000n);
    expect(r.reg('rdx')).toBe(0n);
    // 64-bit: RDX:RAX = -2^64 (RDX = -1, RAX = 0) / 2^32 = -2^32 rem 0.
    r = ok({ asm: ['idiv rcx'], regs: { rax: 0n, rdx: -1n, rcx: 0x100000000n } });
    expect(r.reg('rax')).toBe(BigInt.asUintN(64, -0x100000000n));
    expect(r.reg('rdx')).toBe(0n);
    // 64-bit fast path: -1000 / 7 = -142 rem -6.
    r = ok({ asm: ['idiv rcx'], regs: { rax: -1000n, rdx: -1n, rcx: 7n } });
    expect(r.reg('rax')).toBe(BigInt.asUintN(64, -142n));
    expect(r.reg('rdx')).toBe(BigInt.asUintN(64, -6n));
  });
  it('#DE when the quotient does not fit (including -2^(n-1) / -1)', () => {
    for (const [asm, regs] of [
      ['idiv cl', { rax: 0x8000n, rcx: 0xffn }], // -32768 / -1 = 32768
      ['idiv cl', { rax: 0x0080n, rcx: 0x01n }], // 128 / 1 = 128 > 127
      ['idiv cx', { rax: 0x0000n, rdx: 0x8000n, rcx: 0xffffn }],
      ['idiv ecx', { rax: 0n, rdx: 0x80000000n, rcx: 0xffffffffn }],
      ['idiv ecx', { rax: 0x80000000n, rdx: 0n, rcx: 1n }], // +2^31 does not fit
      ['idiv rcx', { rax: 0n, rdx: 0x8000000000000000n, rcx: -1n }],
      ['idiv rcx', { rax: 0x8000000000000000n, rdx: -1n, rcx: -1n }], // -2^63 / -1
      ['idiv rcx', { rax: 5n, rdx: 0n, rcx: 0n }],
    ] as [string, Record<string, bigint>][]) {
      const r = run({ asm: [asm], regs, flags: OF | PF });
      expect(r.vector, asm).toBe(0);
      for (const [k, v] of Object.entries(regs)) expect(r.reg(k), `${asm} ${k}`).toBe(BigInt.asUintN(64, v));
      expect(r.flags & ARITH).toBe(OF | PF);
    }
  });
  it('#DE from a memory divisor leaves memory and registers alone', () => {
    // idiv word ptr [r15-0x1e] with DX:AX = 0xffff:0x8000 (-32768) and divisor -1 -> 32768 overflows.
    const r = run({ asm: ['idiv word ptr [r15-0x1e]'], regs: { rax: 0x8000n, rdx: 0xffffn, r15: DATA + 0x1en }, mem: [{ addr: DATA, bytes: [0xff, 0xff] }] });
    expect(r.vector).toBe(0);
    expect(r.reg('rax')).toBe(0x8000n);
  });
});
