// Data directives, alignment, sections and their layout, structs.
import { describe, expect, test } from 'vitest';
import { Mnemonic } from 'iced-x86';
import { Asm, defineStruct, mem, rax, rdi } from '../../guest-kernel/asm/index.ts';
import { hex } from './gnu.ts';

const sec = (a: Asm, name: string) => a.link().sections.find((s) => s.name === name)!;

describe('data directives', () => {
  test('db: numbers, strings (UTF-8), arrays, byte arrays', () => {
    const a = new Asm();
    a.data();
    a.db(1, -1, 255, 'AB', [3, 4], new Uint8Array([5]), 'é'); // é = U+00E9 = C3 A9 in UTF-8
    expect(hex(sec(a, 'data').bytes)).toBe('01ffff' + '4142' + '0304' + '05' + 'c3a9');
  });

  test('dw/dd/dq little endian, negative values two\'s complement', () => {
    const a = new Asm();
    a.data();
    a.dw(0x1234, -1);
    a.dd(0xdeadbeef, -2);
    a.dq(0x1122334455667788n, -1, 0xffff_ffff_ffff_ffffn);
    expect(hex(sec(a, 'data').bytes)).toBe(
      '3412' + 'ffff' + 'efbeadde' + 'feffffff' + '8877665544332211' + 'ffffffffffffffff' + 'ffffffffffffffff',
    );
  });

  test('ascii, asciz, space with fill', () => {
    const a = new Asm();
    a.rodata();
    a.ascii('hi');
    a.asciz('yo');
    a.space(3, 0xaa);
    a.zero(2);
    expect(hex(sec(a, 'rodata').bytes)).toBe('6869' + '796f00' + 'aaaaaa' + '0000');
  });

  test('label addresses as data', () => {
    const a = new Asm();
    a.data();
    a.label('here');
    a.dq('here', 'there');
    a.dd('there');
    a.label('there');
    // here = 0x400000 (text and rodata are empty, data is first), there = here + 20
    expect(hex(sec(a, 'data').bytes)).toBe('0000400000000000' + '1400400000000000' + '14004000');
  });

  test('align: nop fill in code, zero in data, explicit fill', () => {
    const a = new Asm();
    a.ret();
    a.align(8);
    a.ret();
    a.align(4, 0xcc);
    a.align(4); // already aligned: nothing
    a.data();
    a.db(1);
    a.align(4);
    a.db(2);
    expect(hex(sec(a, 'text').bytes)).toBe('c3' + '90'.repeat(7) + 'c3' + 'cccccc');
    expect(hex(sec(a, 'data').bytes)).toBe('01000000' + '02');
  });
});

describe('sections', () => {
  test('page-aligned one after the other; bss has no file bytes', () => {
    const a = new Asm({ base: 0x800000n });
    a.space(0x1234, 0x90);
    a.rodata();
    a.db(1);
    a.data();
    a.space(0x1000);
    a.db(2);
    a.bss();
    a.label('buf');
    a.space(0x3000);
    const img = a.link();
    const brief = img.sections.map((s) => [s.name, s.addr, s.flags, s.memSize, s.bytes.length]);
    expect(brief).toEqual([
      ['text', 0x800000n, 'r-x', 0x1234, 0x1234],
      ['rodata', 0x802000n, 'r--', 1, 1], // 0x800000 + 0x1234 rounded up to 4 KiB
      ['data', 0x803000n, 'rw-', 0x1001, 0x1001],
      ['bss', 0x805000n, 'rw-', 0x3000, 0], // 0x803000 + 0x1001 rounded up
    ]);
  });

  test('fixed addresses and custom sections', () => {
    const a = new Asm({ sections: { data: { addr: 0x600000n } } });
    a.ret();
    a.data();
    a.label('d');
    a.dq(0);
    a.section('percpu', { flags: 'rw-', addr: 0x700000n });
    a.label('p');
    a.dd(0);
    a.rodata();
    a.db(9);
    const img = a.link();
    expect(img.sections.map((s) => [s.name, s.addr])).toEqual([
      ['text', 0x400000n], ['rodata', 0x401000n], ['data', 0x600000n], ['percpu', 0x700000n],
    ]);
    expect(img.symbols.find((s) => s.name === 'p')).toMatchObject({ addr: 0x700000n, section: 'percpu', kind: 'object' });
  });

  test('instructions and data are refused in bss; zero space is fine', () => {
    const a = new Asm();
    a.bss();
    expect(() => a.nop()).toThrow(/cannot hold instructions/);
    expect(() => a.db(1)).toThrow(/no file bytes/);
    expect(() => a.space(4, 1)).toThrow(/only hold zeros/);
    a.space(4);
    a.align(16);
    expect(a.link().sections[0]).toMatchObject({ name: 'bss', memSize: 16 }); // 4 bytes, then padding to 16
  });
});

describe('every iced mnemonic is a builder method', () => {
  test('all of them except iced\'s data pseudo-ops (db/dw/dd/dq are the builder\'s own)', () => {
    const a = new Asm() as unknown as Record<string, unknown>;
    const missing = Object.keys(Mnemonic)
      .filter((k) => Number.isNaN(Number(k)) && !['invalid', 'db', 'dw', 'dd', 'dq'].includes(k.toLowerCase()))
      .filter((k) => typeof a[k.toLowerCase()] !== 'function');
    expect(missing).toEqual([]);
    expect(typeof a.jz).toBe('function');
    expect(typeof a.setnae).toBe('function');
    expect(typeof a.cmovnz).toBe('function');
  });
});

describe('defineStruct', () => {
  test('C layout with natural alignment (offsets worked out by hand)', () => {
    const fpstate = defineStruct('fpstate', {
      size: 'u32', // 0
      user_size: 'u32', // 4
      xfeatures: 'u64', // 8
      user_xfeatures: 'u64', // 16
      xfd: 'u64', // 24
      is_valloc: 'u8', // 32
      is_guest: 'u8', // 33
      regs: { bytes: 4096, align: 64 }, // 34 rounded up to 64
    });
    expect(fpstate.size).toBe(64 + 4096); // 4160 = 65 * 64, already a multiple of the alignment
    expect(fpstate.align).toBe(64);
    expect(fpstate.off).toEqual({ size: 0, user_size: 4, xfeatures: 8, user_xfeatures: 16, xfd: 24, is_valloc: 32, is_guest: 33, regs: 64 });
    expect(fpstate.xfeatures).toBe(8);
    expect(fpstate.fields.regs).toEqual({ offset: 64, size: 4096, align: 64 });
    expect(fpstate.fields.size).toEqual({ offset: 0, size: 4, align: 4 });
    expect(fpstate.name).toBe('fpstate');
  });

  test('arrays, nested structs, tail padding, pinned offsets', () => {
    const inner = defineStruct('inner', { x: 'u8', y: 'u32' }); // y at 4, size 8, align 4
    const outer = defineStruct('outer', { a: 'u8', b: { type: 'u16', count: 3 }, c: inner, d: 'u8' });
    // a 0; b at 2 (6 bytes, ends 8); c at 8 (8 bytes); d at 16; size rounded to 4 -> 20
    expect([inner.size, inner.align, inner.y]).toEqual([8, 4, 4]);
    expect([outer.a, outer.b, outer.c, outer.d, outer.size, outer.align]).toEqual([0, 2, 8, 16, 20, 4]);
    const pinned = defineStruct('pinned', { a: 'u32', b: { type: 'u64', offset: 16 } }, { size: 32 });
    expect([pinned.b, pinned.size]).toEqual([16, 32]);
  });

  test('field offsets are displacements: mov rax, [rdi + fpstate.xfeatures] = 48 8B 47 08', () => {
    const fpstate = defineStruct('fpstate', { size: 'u32', xfeatures: 'u64' });
    const a = new Asm();
    a.mov(rax, mem.qword(rdi, fpstate.xfeatures));
    a.mov(mem.dword(rdi, fpstate.fields.size), 0); // C7 07 imm32: disp 0 needs no displacement byte
    expect(hex(sec(a, 'text').bytes)).toBe('488b4708' + 'c70700000000');
  });
});

describe('struct instances', () => {
  test('a.struct() writes field values at their offsets, label addresses included', () => {
    const desc = defineStruct('desc', { kind: 'u8', flags: 'u16', len: 'u32', next: 'ptr', tag: { bytes: 4 } });
    // kind 0, flags 2, len 4, next 8, tag 16 (4 bytes), size 20 rounded to 8 -> 24
    expect([desc.kind, desc.flags, desc.len, desc.next, desc.tag, desc.size]).toEqual([0, 2, 4, 8, 16, 24]);
    const a = new Asm();
    a.data();
    a.label('d0');
    a.struct(desc, { kind: 3, flags: 0xbeef, len: -1, next: 'd0', tag: new Uint8Array([1, 2]) });
    a.struct(desc);
    expect(hex(sec(a, 'data').bytes)).toBe(
      '03' + '00' + 'efbe' + 'ffffffff' + '0000400000000000' + '01020000' + '00000000' + '00'.repeat(24),
    );
    expect(() => a.struct(desc, { kind: 256 })).toThrow(/struct desc\.kind: 256 does not fit 8 bits/);
    expect(() => a.struct(desc, { nope: 1 } as never)).toThrow(/no field 'nope'/);
    expect(() => a.struct(desc, { flags: 'd0' })).toThrow(/needs a 4- or 8-byte field/);
  });
});
