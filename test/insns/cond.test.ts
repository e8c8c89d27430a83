// SETcc and CMOVcc: each condition evaluated by hand from the SDM's table
// (vol. 1 appendix B "EFLAGS Condition Codes") for a given RFLAGS.
import { describe, it, expect } from 'vitest';
import { ok, run, preassemble, CF, PF, ZF, SF, OF, DATA } from './harness.ts';

// [condition, flags that make it true, flags that make it false]
const CASES: [string, number, number][] = [
  ['o', OF, 0], ['no', 0, OF], ['b', CF, 0], ['ae', 0, CF], ['e', ZF, 0], ['ne', 0, ZF],
  ['be', ZF, 0], ['a', 0, CF], ['s', SF, 0], ['ns', 0, SF], ['p', PF, 0], ['np', 0, PF],
  ['l', SF, SF | OF], ['ge', SF | OF, OF], ['le', ZF | SF | OF, SF | OF], ['g', SF | OF, ZF],
];

const NAMES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
preassemble(NAMES.flatMap((cc) => [`set${cc} al`, `set${cc} byte ptr [rdi-0x1f]`, `cmov${cc} bx, r15w`, `cmov${cc} rbx, r15`, `cmov${cc} ebx, dword ptr [rsi]`]));

describe('SETcc', () => {
  it('all 16 conditions, register and memory forms', () => {
    for (const [cc, t, f] of CASES) {
      // SETcc writes only the byte: bits 63:8 of RAX stay.
      let r = ok({ asm: [`set${cc} al`], regs: { rax: 0x1234567890abcdffn }, flags: t });
      expect(r.reg('rax'), `set${cc} true`).toBe(0x1234567890abcd01n);
      r = ok({ asm: [`set${cc} al`], regs: { rax: 0x1234567890abcdffn }, flags: f });
      expect(r.reg('rax'), `set${cc} false`).toBe(0x1234567890abcd00n);
      expect(r.flags & 0x8d5, 'flags untouched').toBe(f);
      r = ok({ asm: [`set${cc} byte ptr [rdi-0x1f]`], regs: { rdi: DATA + 0x1fn }, flags: t, mem: [{ addr: DATA, bytes: [0xee, 0xee] }] });
      expect(r.mem(DATA, 2), `set${cc} m8`).toEqual([1, 0xee]);
    }
    // High-byte register: SETNE AH.
    const r = ok({ asm: ['setne ah'], regs: { rax: 0xffffn } });
    expect(r.reg('rax')).toBe(0x01ffn);
  });
});

describe('CMOVcc', () => {
  it('all 16 conditions, 16/32/64-bit', () => {
    for (const [cc, t, f] of CASES) {
      let r = ok({ asm: [`cmov${cc} bx, r15w`], regs: { rbx: 0x1111111111111111n, r15: 0xabcdn }, flags: t });
      expect(r.reg('rbx'), `cmov${cc} 16 true`).toBe(0x111111111111abcdn);
      r = ok({ asm: [`cmov${cc} rbx, r15`], regs: { rbx: 0x1111111111111111n, r15: 0x2222222222222222n }, flags: f });
      expect(r.reg('rbx'), `cmov${cc} 64 false`).toBe(0x1111111111111111n);
      r = ok({ asm: [`cmov${cc} ebx, dword ptr [rsi]`], regs: { rbx: 0x1111111111111111n, rsi: DATA }, flags: t, mem: [{ addr: DATA, bytes: [1, 2, 3, 4] }] });
      expect(r.reg('rbx'), `cmov${cc} 32 true`).toBe(0x04030201n);
    }
  });
  it('a 32-bit CMOV clears bits 63:32 even when the condition is false', () => {
    const r = ok({ asm: ['cmove eax, ecx'], regs: { rax: 0xffffffff12345678n, rcx: 5n }, flags: 0 });
    expect(r.reg('rax')).toBe(0x12345678n);
  });
  it('the memory source is read (and can fault) even when the condition is false', () => {
    const r = run({ asm: ['cmove rax, qword ptr [rsi]'], regs: { rsi: 0x30000000n }, flags: 0 });
    expect(r.vector).toBe(14);
  });
});
