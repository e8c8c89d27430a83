// Build-time errors name the builder call site (this file, the marked line).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Asm, AsmError, Code, defineStruct, mem, ah, eax, r8b, rax, rbx, zmm0, zmm1, zmm2, k1 } from '../../guest-kernel/asm/index.ts';

const FILE = 'test/asm/errors.test.ts';
const SOURCE = readFileSync(new URL(import.meta.url), 'utf8').split('\n');
/** `file:line` of the line carrying the marker comment. */
const at = (marker: string): string => `${FILE}:${SOURCE.findIndex((l) => l.includes(`// ${marker}`)) + 1}`;

function error(f: () => unknown): AsmError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AsmError);
    return e as AsmError;
  }
  throw new Error('expected an AsmError');
}

describe('errors name the call site', () => {
  test('undefined label: the referencing instruction', () => {
    const a = new Asm();
    a.jmp('nowhere'); // E-UNDEF
    const e = error(() => a.link());
    expect(e.site).toBe(at('E-UNDEF'));
    expect(e.message).toBe(`${at('E-UNDEF')}: jmp nowhere: undefined label 'nowhere'`);
  });

  test('undefined label in data and in a memory operand', () => {
    const a = new Asm();
    a.mov(rax, mem.qword('missing')); // E-UNDEF-MEM
    expect(error(() => a.link()).site).toBe(at('E-UNDEF-MEM'));
    const b = new Asm();
    b.dq('gone'); // E-UNDEF-DQ
    expect(error(() => b.link()).message).toMatch(new RegExp(`^${at('E-UNDEF-DQ')}: dq gone: undefined label 'gone'`));
  });

  test('duplicate label: the second definition, and where the first was', () => {
    const a = new Asm();
    a.label('x'); // E-DUP-1
    a.nop();
    const e = error(() => a.label('x')); // E-DUP-2
    expect(e.message).toBe(`${at('E-DUP-2')}: duplicate label 'x' (first defined at ${at('E-DUP-1')})`);
  });

  test('operands no form of the mnemonic takes', () => {
    const a = new Asm();
    const e = error(() => a.add(eax, rbx)); // E-OPS
    expect(e.site).toBe(at('E-OPS'));
    expect(e.message).toMatch(/add eax, rbx: no form of add takes \(r32, r64\); forms: .*ADD r\/m32, r32/);
  });

  test('operands iced refuses to encode (AH with a REX register)', () => {
    const a = new Asm();
    const e = error(() => a.mov(ah, r8b)); // E-ICED
    expect(e.site).toBe(at('E-ICED'));
    expect(e.message).toMatch(/mov ah, r8b: iced cannot encode it: .*/);
  });

  test('emit with a Code the operands do not fit', () => {
    const a = new Asm();
    const e = error(() => a.emit(Code.Add_rm64_imm8, rax, 1000)); // E-EMIT
    expect(e.site).toBe(at('E-EMIT'));
    expect(e.message).toMatch(/add rax, 0x3e8 \(Code\.Add_rm64_imm8\): iced cannot encode it/);
  });

  test('a memory operand of ambiguous size', () => {
    const a = new Asm();
    const e = error(() => a.inc(mem.ptr(rax))); // E-SIZE
    expect(e.message).toMatch(new RegExp(`^${at('E-SIZE')}: inc \\[rax\\]: the memory operand's size is ambiguous`));
  });

  test('EVEX decorations the instruction cannot take', () => {
    const a = new Asm();
    const e = error(() => a.add(rax.k(k1), rbx)); // E-MASK
    expect(e.site).toBe(at('E-MASK'));
    expect(() => a.vaddps(zmm0, zmm1.k(k1), zmm2)).toThrow(/may only decorate the first operand/);
  });

  test('unknown mnemonic, unknown condition code', () => {
    const a = new Asm();
    expect(error(() => a.inst('frobnicate', rax)).site).toBe(at('E-MN')); // E-MN
    expect(error(() => a.jcc('zz' as never, 'x')).message).toMatch(/unknown condition code 'zz'/);
  });

  test('struct with a misaligned or overlapping pinned field', () => {
    const e = error(() => defineStruct('bad', { a: 'u8', b: { type: 'u32', offset: 2 } })); // E-STRUCT
    expect(e.message).toBe(`${at('E-STRUCT')}: struct bad: field b at offset 2 is misaligned (needs 4-byte alignment)`);
    expect(() => defineStruct('overlap', { a: 'u64', b: { type: 'u32', offset: 4 } })).toThrow(/overlaps the previous field/);
    expect(() => defineStruct('small', { a: 'u64' }, { size: 4 })).toThrow(/size 4 is smaller than its fields/);
  });

  test('section overflow: the item that crosses the limit', () => {
    const a = new Asm({ sections: { text: { limit: 16 } } });
    a.mov(rax, 1).mov(rax, 2); // 14 bytes
    a.mov(rax, 3); // E-OVERFLOW
    const e = error(() => a.link());
    expect(e.message).toBe(`${at('E-OVERFLOW')}: section text overflows its limit of 16 bytes (needs 21)`);
  });

  test('sections placed on top of each other', () => {
    const a = new Asm({ sections: { data: { addr: 0x400004n } } });
    a.mov(rax, 1);
    a.data();
    a.dq(0); // E-OVERLAP
    expect(error(() => a.link()).message).toBe(`${at('E-OVERLAP')}: sections text [0x400000, 0x400007) and data [0x400004, 0x40000c) overlap`);
  });

  test('a prefix not followed by an instruction', () => {
    const a = new Asm();
    a.lock(); // E-PREFIX
    expect(error(() => a.label('x')).message).toBe(`${at('E-PREFIX')}: prefix lock is not followed by an instruction`);
  });

  test('a label address that does not fit a 32-bit field', () => {
    const a = new Asm({ base: 0x1_0000_0000n });
    a.label('hi');
    a.dd('hi'); // E-DD
    expect(error(() => a.link()).message).toBe(`${at('E-DD')}: dd hi: address 0x100000000 does not fit 32 bits`);
  });

  test('bad data values', () => {
    const a = new Asm();
    expect(error(() => a.db(256)).site).toBe(at('E-DB')); // E-DB
    expect(() => a.dw(0x10000)).toThrow(/does not fit 16 bits/);
    expect(() => a.dq(1.5)).toThrow(/is not an integer/);
    expect(() => a.align(3)).toThrow(/not a power of two/);
  });
});
