// Labels, forward references, branch sizing, local labels, symbols and the
// source map. Expected bytes are worked out from the SDM encodings:
// JMP rel8 = EB cb, JMP rel32 = E9 cd, Jcc rel8 = 7x cb, Jcc rel32 = 0F 8x cd,
// CALL rel32 = E8 cd; the displacement is target - address of the next instruction.
import { readFileSync } from 'node:fs';
import { BlockEncoder, BlockEncoderOptions, Code, Instruction, Register } from 'iced-x86';
import { describe, expect, test } from 'vitest';
import { Asm, mem, ref, rax, rcx, rdi, rsi, eax, ecx } from '../../guest-kernel/asm/index.ts';
import { gasEncode, hex } from './gnu.ts';

const text = (a: Asm): Uint8Array => a.link().sections.find((s) => s.name === 'text')!.bytes;
const le32 = (v: number): string => hex(new Uint8Array(new Int32Array([v]).buffer));

describe('branch sizing', () => {
  test('forward jmp reaching 127 bytes is short: EB 7F', () => {
    const a = new Asm();
    a.jmp('t');
    a.space(127, 0x90);
    a.label('t');
    // next ip = 2, target = 2 + 127 = 129, disp = 127
    expect(hex(text(a).slice(0, 2))).toBe('eb7f');
  });

  test('forward jmp over 128 bytes is near: E9 80 00 00 00', () => {
    const a = new Asm();
    a.jmp('t');
    a.space(128, 0x90);
    a.label('t');
    // near form: next ip = 5, target = 5 + 128, disp = 128
    expect(hex(text(a).slice(0, 5))).toBe('e9' + le32(128));
  });

  test('backward jmp of -128 is short, -129 becomes near', () => {
    const a = new Asm();
    a.label('top');
    a.space(126, 0x90);
    a.jmp('top'); // at 126, next 128, disp -128 = 0x80
    expect(hex(text(a).slice(126))).toBe('eb80');
    const b = new Asm();
    b.label('top');
    b.space(127, 0x90);
    b.jmp('top'); // short would be disp -129; near: next = 127 + 5 = 132, disp = -132
    expect(hex(text(b).slice(127))).toBe('e9' + le32(-132));
  });

  test('jcc short and near: 75 cb / 0F 85 cd', () => {
    const a = new Asm();
    a.jnz('a');
    a.jcc('nz', 'b');
    a.space(100, 0x90);
    a.label('a');
    a.space(100, 0x90);
    a.label('b');
    // jnz a at 0 (2 bytes), jnz b at 2: short disp would be 204 - 4 > 127, so near (6 bytes)
    // a = 8 + 100 = 108: disp = 108 - 2 = 106 = 0x6a; b = 208: disp = 208 - 8 = 200
    expect(hex(text(a).slice(0, 8))).toBe('756a' + '0f85' + le32(200));
  });

  test('a branch that grows can push an earlier one out of range', () => {
    const a = new Asm();
    a.jmp('t1'); // would reach t1 only while the next jmp is short
    a.jmp('far');
    a.space(123, 0x90);
    a.label('t1');
    a.space(200, 0x90);
    a.label('far');
    // both near: t1 = 5 + 5 + 123 = 133, disp 128; far = 333, disp from 10 = 323
    expect(hex(text(a).slice(0, 10))).toBe('e9' + le32(128) + 'e9' + le32(323));
  });

  test('call is always rel32, to a label before or after', () => {
    const a = new Asm();
    a.label('f');
    a.ret();
    a.call('f'); // at 1, next 6, disp -6
    a.call('g'); // at 6, next 11, g = 11 + 1 (ret), disp 1
    a.ret();
    a.label('g');
    a.ret();
    expect(hex(text(a))).toBe('c3' + 'e8' + le32(-6) + 'e8' + le32(1) + 'c3c3');
  });

  test('loop to a label out of rel8 range is an error naming the call site', () => {
    const a = new Asm();
    a.label('top');
    a.space(200);
    a.loop('top'); // loop has only a rel8 form
    expect(() => a.link()).toThrow(/labels\.test\.ts:\d+: loop top: cannot encode/);
  });

  test('same bytes as GNU as for a program with loops and forward jumps', () => {
    const gas = [
      'xor eax, eax', 'mov ecx, 10', 'top:', 'add rax, rcx', 'dec ecx', 'jnz top', 'cmp rax, 55', 'je done',
      'call sub', '.fill 130, 1, 0x90', 'jmp top', 'done:', 'ret', 'sub:', 'ret',
    ];
    const [expected] = gasEncode([gas.join('\n')]);
    const a = new Asm();
    a.xor(eax, eax).mov(ecx, 10);
    a.label('top');
    a.add(rax, rcx).dec(ecx).jnz('top').cmp(rax, 55).je('done').call('sub');
    a.space(130, 0x90);
    a.jmp('top');
    a.label('done');
    a.ret();
    a.label('sub');
    a.ret();
    expect(hex(text(a))).toBe(hex(expected));
  });

  test('same bytes as iced BlockEncoder for a straight-line block of branches', () => {
    // BlockEncoder identifies branch targets by instruction IP; give each instruction a unique one.
    const be = new BlockEncoder(64, BlockEncoderOptions.None);
    const ip = (i: number): bigint => 0x1000n + BigInt(i);
    const seq: Instruction[] = [
      Instruction.createBranch(Code.Jne_rel8_64, ip(4)),
      Instruction.createBranch(Code.Jmp_rel8_64, ip(0)),
      Instruction.createRegReg(Code.Add_rm64_r64, Register.RAX, Register.RCX),
      Instruction.createBranch(Code.Call_rel32_64, ip(0)),
      ...Array.from({ length: 120 }, () => Instruction.create(Code.Nopd)),
      Instruction.createBranch(Code.Je_rel8_64, ip(2)),
    ];
    seq.forEach((ins, i) => { ins.ip = ip(i); be.add(ins); });
    const expected = be.encode(0x400000n);
    seq.forEach((ins) => ins.free());
    be.free();
    const a = new Asm();
    a.label('i0');
    a.jne('i4');
    a.label('i1');
    a.jmp('i0');
    a.label('i2');
    a.add(rax, rcx);
    a.call('i0');
    a.label('i4');
    a.space(120, 0x90);
    a.je('i2');
    expect(hex(text(a))).toBe(hex(expected));
  });
});

describe('labels', () => {
  test('local labels are scoped to the last global label', () => {
    const a = new Asm();
    a.label('f1');
    a.label('.loop');
    a.dec(ecx).jnz('.loop'); // f1.loop at 0: jnz at 2, next 4, disp -4
    a.jmp('.out'); // forward reference inside f1's scope
    a.label('.out');
    a.ret();
    a.label('f2');
    a.nop();
    a.label('.loop'); // a different label: f2.loop
    a.dec(ecx).jnz('.loop'); // f2.loop at 8: jnz at 10, next 12, disp -4
    a.jmp('f1.loop'); // qualified name from outside the scope: at 12, next 14, disp -14
    const img = a.link();
    expect(hex(img.sections[0].bytes)).toBe('ffc9' + '75fc' + 'eb00' + 'c3' + '90' + 'ffc9' + '75fc' + 'ebf2');
    const syms = Object.fromEntries(img.symbols.map((s) => [s.name, s]));
    expect(syms['f1.loop']).toMatchObject({ addr: 0x400000n, binding: 'local', kind: 'func' });
    expect(syms['f1.out']).toMatchObject({ addr: 0x400006n, binding: 'local' });
    expect(syms['f2.loop']).toMatchObject({ addr: 0x400008n, binding: 'local' });
    expect(syms['f1']).toMatchObject({ addr: 0x400000n, binding: 'global', size: 7 });
    expect(syms['f2']).toMatchObject({ addr: 0x400007n, binding: 'global', size: 7 });
  });

  test('newLabel/bind, here(), lookup, label objects as operands', () => {
    const a = new Asm();
    const done = a.newLabel();
    const back = a.here();
    a.jz(done); // 74 02 : next 2, done = 4
    a.jmp(back); // at 2, next 4, disp -4
    a.bind(done);
    a.ret();
    expect(hex(text(a))).toBe('7402' + 'ebfc' + 'c3');
    expect(a.lookup('nothing')).toBeUndefined();
    const n = a.newLabel('named');
    expect(a.lookup('named')).toBe(n);
  });

  test('RIP-relative operands, label immediates and label data', () => {
    const a = new Asm();
    a.lea(rsi, mem.ptr('msg')); // 48 8D 35 disp32: next ip 0x400007, msg at 0x401000
    a.mov(rax, mem.qword('tbl', 8)); // 48 8B 05 disp32: at 0x400007, next 0x40000e, target tbl + 8
    a.mov(rdi, 'msg'); // no 64-bit-safe 32-bit form is assumed: movabs 48 BF imm64
    a.mov(rax, mem.qword({ index: rcx, scale: 8, disp: 'tbl', abs: true })); // 48 8B 04 CD disp32
    a.rodata();
    a.label('msg');
    a.asciz('hi');
    a.data();
    a.label('tbl');
    a.dq('msg', ref('msg', 1));
    a.dd('tbl');
    const img = a.link();
    const [t, r, d] = img.sections;
    expect(r.addr).toBe(0x401000n);
    expect(d.addr).toBe(0x402000n);
    expect(hex(t.bytes)).toBe(
      '488d35' + le32(0x401000 - 0x400007) +
      '488b05' + le32(0x402008 - 0x40000e) +
      '48bf' + '0010400000000000' +
      '488b04cd' + le32(0x402000),
    );
    expect(hex(d.bytes)).toBe('0010400000000000' + '0110400000000000' + '00204000');
  });

  test('entry: _start by default, or as given', () => {
    const a = new Asm();
    a.nop();
    a.label('_start');
    a.ret();
    expect(a.link().entry).toBe(0x400001n);
    a.entry('other');
    a.label('other');
    a.ret();
    expect(a.link().entry).toBe(0x400002n);
  });

  test('symbol sizes: explicit, to the next global label, to the section end', () => {
    const a = new Asm();
    a.label('f', { size: 1 });
    a.nop().nop();
    a.label('.in');
    a.nop();
    a.label('g');
    a.ret();
    a.data();
    a.label('obj', { global: false });
    a.dq(1, 2);
    const s = Object.fromEntries(a.link().symbols.map((x) => [x.name, x]));
    expect(s.f.size).toBe(1);
    expect(s['f.in'].size).toBe(1);
    expect(s.g.size).toBe(1);
    expect(s.obj).toMatchObject({ size: 16, kind: 'object', binding: 'local', section: 'data' });
  });
});

describe('source map', () => {
  const lineOf = (marker: string): number =>
    readFileSync(new URL(import.meta.url), 'utf8').split('\n').findIndex((l) => l.includes(marker) && !l.includes('lineOf(')) + 1;

  test('each instruction records the file:line that emitted it', () => {
    const a = new Asm();
    a.mov(rax, 1); // SITE-A
    a.add(rax, rcx).ret(); // SITE-B
    const img = a.link();
    const f = 'test/asm/labels.test.ts';
    expect(img.sourceMap).toEqual([
      { addr: 0x400000n, length: 7, site: `${f}:${lineOf('SITE-A')}`, text: 'mov rax, 0x1' },
      { addr: 0x400007n, length: 3, site: `${f}:${lineOf('SITE-B')}`, text: 'add rax, rcx' },
      { addr: 0x40000an, length: 1, site: `${f}:${lineOf('SITE-B')}`, text: 'ret' },
    ]);
  });
});
