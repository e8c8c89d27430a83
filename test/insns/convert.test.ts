// CBW/CWDE/CDQE and CWD/CDQ/CQO: sign extension by hand (SDM vol. 2). No flags change.
import { describe, it, expect } from 'vitest';
import { ok, CF, ZF, OF, ARITH } from './harness.ts';

describe('CBW/CWDE/CDQE', () => {
  it('sign-extends into the wider accumulator', () => {
    // CBW: AL = 0x80 -> AX = 0xff80; bits 63:16 kept.
    let r = ok({ asm: ['cbw'], regs: { rax: 0x2fe3977b2fee2e80n }, flags: CF });
    expect(r.reg('rax')).toBe(0x2fe3977b2feeff80n);
    expect(r.flags & ARITH).toBe(CF);
    // CWDE: AX = 0xc5b9 -> EAX = 0xffffc5b9; bits 63:32 cleared (32-bit write).
    r = ok({ asm: ['cwde'], regs: { rax: 0x7eb2e8f57030c5b9n } });
    expect(r.reg('rax')).toBe(0xffffc5b9n);
    // CDQE: EAX = 0x7fffffff -> RAX = 0x7fffffff; EAX = 0x80000000 -> 0xffffffff80000000.
    r = ok({ asm: ['cdqe'], regs: { rax: 0xda3fda897fffffffn } });
    expect(r.reg('rax')).toBe(0x7fffffffn);
    r = ok({ asm: ['cdqe'], regs: { rax: 0x80000000n } });
    expect(r.reg('rax')).toBe(0xffffffff80000000n);
  });
});

describe('CWD/CDQ/CQO', () => {
  it('fills rDX with the sign of rAX', () => {
    // CWD: AX = 0x7fff -> DX = 0 (bits 63:16 of RDX kept); AX = 0xffff -> DX = 0xffff.
    let r = ok({ asm: ['cwd'], regs: { rax: 0x7fffn, rdx: 0x65766e1b678ef5aan }, flags: ZF | OF });
    expect(r.reg('rdx')).toBe(0x65766e1b678e0000n);
    expect(r.flags & ARITH).toBe(ZF | OF);
    r = ok({ asm: ['cwd'], regs: { rax: 0xffffn, rdx: 0x6a493dcafd3f560dn } });
    expect(r.reg('rdx')).toBe(0x6a493dcafd3fffffn);
    // CDQ: EAX negative -> EDX = 0xffffffff, RDX bits 63:32 cleared.
    r = ok({ asm: ['cdq'], regs: { rax: 0x80000000n, rdx: 0x1234567800000000n } });
    expect(r.reg('rdx')).toBe(0xffffffffn);
    r = ok({ asm: ['cdq'], regs: { rax: 0xffffffff7fffffffn, rdx: -1n } });
    expect(r.reg('rdx')).toBe(0n);
    // CQO: RAX = 0x7fffffffffffffff -> RDX = 0; RAX negative -> all ones.
    r = ok({ asm: ['cqo'], regs: { rax: 0x7fffffffffffffffn, rdx: 5n } });
    expect(r.reg('rdx')).toBe(0n);
    r = ok({ asm: ['cqo'], regs: { rax: 0x8000000000000000n } });
    expect(r.reg('rdx')).toBe(0xffffffffffffffffn);
  });
});
