// XCHG, XADD, CMPXCHG, CMPXCHG8B/16B: expected values by hand from the SDM
// pseudo-code; flags of XADD/CMPXCHG as ADD / CMP computed by hand.
import { describe, it, expect } from 'vitest';
import { ok, run, le, CF, PF, AF, ZF, SF, OF, ARITH, DATA } from './harness.ts';

describe('XCHG', () => {
  it('register forms of every width', () => {
    let r = ok({ asm: ['xchg al, ch'], regs: { rax: 0x11n, rcx: 0x2200n } });
    expect(r.reg('rax')).toBe(0x22n);
    expect(r.reg('rcx')).toBe(0x1100n);
    r = ok({ asm: ['xchg bx, r9w'], regs: { rbx: 0xaaaa1111n, r9: 0xbbbb2222n } });
    expect(r.reg('rbx')).toBe(0xaaaa2222n);
    expect(r.reg('r9')).toBe(0xbbbb1111n);
    // 32-bit: both registers zero-extended.
    r = ok({ asm: ['xchg ecx, edx'], regs: { rcx: 0xffffffff00000001n, rdx: 0xffffffff00000002n } });
    expect(r.reg('rcx')).toBe(2n);
    expect(r.reg('rdx')).toBe(1n);
    // 87 C0 (xchg eax, eax) is not a NOP: it clears bits 63:32 of RAX.
    r = ok({ bytes: [0x87, 0xc0], regs: { rax: 0xffffffff12345678n } });
    expect(r.reg('rax')).toBe(0x12345678n);
    // 41 90: xchg r8d, eax.
    r = ok({ bytes: [0x41, 0x90], regs: { rax: 0xffffffff00000001n, r8: 0xffffffff00000002n } });
    expect(r.reg('rax')).toBe(2n);
    expect(r.reg('r8')).toBe(1n);
    r = ok({ asm: ['xchg rax, r11'], regs: { rax: 1n, r11: 0x8000000000000000n } });
    expect(r.reg('rax')).toBe(0x8000000000000000n);
    expect(r.reg('r11')).toBe(1n);
  });
  it('memory forms; no flags', () => {
    let r = ok({ asm: ['xchg bpl, byte ptr [r11+rcx*1+0x66]'], regs: { rbp: 0x77n, r11: DATA - 0x66n, rcx: 0n }, mem: [{ addr: DATA, bytes: [0x99] }], flags: CF | OF });
    expect(r.reg('rbp')).toBe(0x99n);
    expect(r.mem(DATA, 1)).toEqual([0x77]);
    expect(r.flags & ARITH).toBe(CF | OF);
    r = ok({ asm: ['xchg qword ptr [rsi], rax'], regs: { rax: 0x0102030405060708n, rsi: DATA }, mem: [{ addr: DATA, bytes: le(0xaabbn, 8) }] });
    expect(r.reg('rax')).toBe(0xaabbn);
    expect(r.memVal(DATA, 8)).toBe(0x0102030405060708n);
  });
  it('needs write access even though it also reads: #PF(W) on a read-only page, nothing changed', () => {
    const r = run({ asm: ['xchg dword ptr [r11], eax'], regs: { r11: DATA, rax: 5n }, mem: [{ addr: DATA, bytes: [1, 2, 3, 4], perm: 'r' }] });
    expect(r.vector).toBe(14);
    expect(r.errorCode).toBe(7); // present | write | user
    expect(r.reg('rax')).toBe(5n);
  });
  it('LOCK: allowed with memory, #UD with a register destination', () => {
    const r = ok({ asm: ['lock xchg dword ptr [rsi], eax'], regs: { rsi: DATA, rax: 9n }, mem: [{ addr: DATA, bytes: [1, 0, 0, 0] }] });
    expect(r.reg('rax')).toBe(1n);
    expect(run({ bytes: [0xf0, 0x87, 0xc8] }).vector).toBe(6); // lock xchg eax, ecx
  });
});

describe('XADD', () => {
  it('DEST := DEST + SRC, SRC := old DEST; flags as ADD', () => {
    // 8-bit memory, locked: 0x1c + 0xff = 0x11b -> 0x1b, CF = 1, AF = (0xc + 0xf > 0xf) = 1,
    // OF = 0 (positive + negative), PF(0x1b = 4 ones) = 1, SF = ZF = 0.
    let r = ok({ asm: ['lock xadd byte ptr [rsi], r9b'], regs: { rsi: DATA, r9: 0xffn }, mem: [{ addr: DATA, bytes: [0x1c] }] });
    expect(r.mem(DATA, 1)).toEqual([0x1b]);
    expect(r.reg('r9')).toBe(0x1cn);
    expect(r.flags & ARITH).toBe(CF | AF | PF);
    // 16-bit: 0x7fff + 1 = 0x8000 -> OF = 1, SF = 1, AF = 1.
    r = ok({ asm: ['xadd ax, bx'], regs: { rax: 0x7fffn, rbx: 1n } });
    expect(r.reg('rax')).toBe(0x8000n);
    expect(r.reg('rbx')).toBe(0x7fffn);
    expect(r.flags & ARITH).toBe(OF | SF | AF | PF);
    // 32-bit: 0xffffffff + 1 = 0 -> ZF = CF = 1; both registers zero-extended.
    r = ok({ asm: ['xadd ecx, edx'], regs: { rcx: 0xffffffffffffffffn, rdx: 0xaaaaaaaa00000001n } });
    expect(r.reg('rcx')).toBe(0n);
    expect(r.reg('rdx')).toBe(0xffffffffn);
    expect(r.flags & ARITH).toBe(ZF | CF | PF | AF);
    // 64-bit, same register: 2 * x remains.
    r = ok({ asm: ['xadd rax, rax'], regs: { rax: 0x4000000000000000n } });
    expect(r.reg('rax')).toBe(0x8000000000000000n);
    expect(r.flags & (OF | SF)).toBe(OF | SF);
  });
  it('LOCK XADD with a register destination is #UD', () => {
    expect(run({ bytes: [0xf0, 0x0f, 0xc1, 0xc8] }).vector).toBe(6); // lock xadd eax, ecx
  });
});

describe('CMPXCHG', () => {
  it('equal: DEST := SRC, ZF = 1, the accumulator is not written', () => {
    // 16-bit: AX = BX = 0x27dd -> BX := R8W; flags of CMP 0x27dd, 0x27dd: ZF = PF = 1.
    let r = ok({ asm: ['cmpxchg bx, r8w'], regs: { rax: 0x04914b850cb927ddn, rbx: 0x855c85d9a0c427ddn, r8: 0x1234n }, flags: AF | OF });
    expect(r.reg('rbx')).toBe(0x855c85d9a0c41234n);
    expect(r.reg('rax')).toBe(0x04914b850cb927ddn);
    expect(r.flags & ARITH).toBe(ZF | PF);
    // 32-bit memory: equal -> store; RAX bits 63:32 untouched.
    r = ok({ asm: ['cmpxchg dword ptr [rsi], r13d'], regs: { rax: 0xa238deeef05deee0n, rsi: DATA, r13: 0x11223344n }, mem: [{ addr: DATA, bytes: le(0xf05deee0n, 4) }] });
    expect(r.memVal(DATA, 4)).toBe(0x11223344n);
    expect(r.reg('rax')).toBe(0xa238deeef05deee0n);
    expect(r.flags & ZF).toBe(ZF);
    // 32-bit register: equal -> DEST := SRC zero-extended.
    r = ok({ asm: ['cmpxchg ecx, edx'], regs: { rax: 5n, rcx: 0xffffffff00000005n, rdx: 0xffffffff00000009n } });
    expect(r.reg('rcx')).toBe(9n);
    // 64-bit.
    r = ok({ asm: ['cmpxchg rcx, rdx'], regs: { rax: -2n, rcx: -2n, rdx: 7n } });
    expect(r.reg('rcx')).toBe(7n);
  });
  it('not equal: accumulator := DEST, ZF = 0, other flags as CMP', () => {
    // 8-bit: AL = 0x13, R10B = 0x46: 0x13 - 0x46 = 0xcd with borrow -> CF = 1, SF = 1, AF = (3 < 6) = 1,
    // OF = 0, PF(0xcd = 5 ones) = 0 -> AL := 0x46.
    let r = ok({ asm: ['cmpxchg r10b, dil'], regs: { rax: 0x13n, r10: 0x46n, rdi: 0x99n } });
    expect(r.reg('rax')).toBe(0x46n);
    expect(r.reg('r10')).toBe(0x46n);
    expect(r.flags & ARITH).toBe(CF | SF | AF);
    // 32-bit register: EAX := DEST (RAX bits 63:32 cleared); DEST keeps bits 63:32 (Zen 4 rule).
    r = ok({ asm: ['cmpxchg ecx, edx'], regs: { rax: 0xaaaaaaaa00000001n, rcx: 0xbbbbbbbb00000002n, rdx: 3n } });
    expect(r.reg('rax')).toBe(2n);
    expect(r.reg('rcx')).toBe(0xbbbbbbbb00000002n);
    // 64-bit memory: RAX := m64, the memory written back unchanged.
    r = ok({ asm: ['cmpxchg qword ptr [rsi], rdx'], regs: { rax: 1n, rsi: DATA, rdx: 3n }, mem: [{ addr: DATA, bytes: le(0x8000000000000000n, 8) }] });
    expect(r.reg('rax')).toBe(0x8000000000000000n);
    expect(r.memVal(DATA, 8)).toBe(0x8000000000000000n);
    // 1 - 0x8000000000000000: OF = 1 (positive - negative = negative), CF = 1, SF = 1.
    expect(r.flags & (OF | CF | SF | ZF)).toBe(OF | CF | SF);
  });
  it('a memory destination needs write access even when not equal', () => {
    const r = run({ asm: ['cmpxchg dword ptr [rsi], edx'], regs: { rax: 1n, rsi: DATA }, mem: [{ addr: DATA, bytes: [2, 0, 0, 0], perm: 'r' }] });
    expect(r.vector).toBe(14);
    expect(r.reg('rax')).toBe(1n);
  });
  it('LOCK CMPXCHG with a register destination is #UD', () => {
    expect(run({ bytes: [0xf0, 0x0f, 0xb1, 0xd1] }).vector).toBe(6); // lock cmpxchg ecx, edx
  });
});

describe('CMPXCHG8B / CMPXCHG16B', () => {
  it('CMPXCHG8B: equal stores ECX:EBX; not equal loads EDX:EAX (zero-extended); ZF only', () => {
    let r = ok({ asm: ['lock cmpxchg8b qword ptr [rsi]'], regs: { rsi: DATA, rax: 0xff00000001n, rdx: 0xff00000002n, rbx: 0xaaaan, rcx: 0xbbbbn }, mem: [{ addr: DATA, bytes: le(0x0000000200000001n, 8) }], flags: CF | SF });
    expect(r.memVal(DATA, 8)).toBe(0x0000bbbb0000aaaan);
    expect(r.reg('rax')).toBe(0xff00000001n); // not written
    expect(r.flags & ARITH).toBe(ZF | CF | SF);
    r = ok({ asm: ['cmpxchg8b qword ptr [rsi]'], regs: { rsi: DATA, rax: 0xff00000001n, rdx: 0xff00000002n }, mem: [{ addr: DATA, bytes: le(0x1234567887654321n, 8) }], flags: ZF | PF });
    expect(r.reg('rax')).toBe(0x87654321n);
    expect(r.reg('rdx')).toBe(0x12345678n);
    expect(r.memVal(DATA, 8)).toBe(0x1234567887654321n);
    expect(r.flags & ARITH).toBe(PF);
  });
  it('CMPXCHG16B: RDX:RAX against m128; #GP(0) when not 16-byte aligned', () => {
    const m = [{ addr: DATA, bytes: [...le(0x1111n, 8), ...le(0x2222n, 8)] }];
    let r = ok({ asm: ['cmpxchg16b xmmword ptr [rdi]'], regs: { rdi: DATA, rax: 0x1111n, rdx: 0x2222n, rbx: 0x3333n, rcx: 0x4444n }, mem: m });
    expect(r.memVal(DATA, 8)).toBe(0x3333n);
    expect(r.memVal(DATA + 8n, 8)).toBe(0x4444n);
    expect(r.flags & ZF).toBe(ZF);
    r = ok({ asm: ['cmpxchg16b xmmword ptr [rdi]'], regs: { rdi: DATA, rax: 0x1111n, rdx: 0x2223n }, mem: m });
    expect(r.reg('rax')).toBe(0x1111n);
    expect(r.reg('rdx')).toBe(0x2222n);
    expect(r.flags & ZF).toBe(0);
    r = run({ asm: ['cmpxchg16b xmmword ptr [rdi+r11*4]'], regs: { rdi: DATA, r11: 1n }, mem: m });
    expect(r.vector).toBe(13);
    expect(r.errorCode).toBe(0);
  });
});
