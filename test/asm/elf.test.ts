// An image written by writeElf, read back by our reader, by readelf, objdump
// and gdb, run on this (x86-64 Linux) host, and compared with GNU as + ld.
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Asm, mem, readElf, writeElf, eax, ecx, edi, edx, rax, rdi, rsi, type LinkResult } from '../../guest-kernel/asm/index.ts';
import { gasLink, hex, run, withTmp } from './gnu.ts';

function program(): Asm {
  const a = new Asm();
  a.label('_start');
  a.mov(eax, 1).mov(edi, 1).lea(rsi, mem.ptr('msg')).mov(edx, 13).syscall(); // write(1, msg, 13)
  a.lea(rdi, mem.ptr('counter')).mov(ecx, 5);
  a.label('.loop');
  a.inc(mem.qword(rdi)).dec(ecx).jnz('.loop');
  a.mov(rax, mem.qword('counter')); // 5
  a.lea(edi, mem.ptr(rax, 37)); // exit status 42
  a.mov(eax, 231).syscall(); // exit_group
  a.rodata();
  a.label('msg');
  a.ascii('hello, world\n');
  a.data();
  a.label('ptr');
  a.dq('_start');
  a.bss();
  a.label('counter');
  a.space(8);
  return a;
}

const GAS_PROGRAM = `
.text
.globl _start
_start:
  mov eax, 1
  mov edi, 1
  lea rsi, [rip+msg]
  mov edx, 13
  syscall
  lea rdi, [rip+counter]
  mov ecx, 5
loop_:
  inc QWORD PTR [rdi]
  dec ecx
  jnz loop_
  mov rax, QWORD PTR [rip+counter]
  lea edi, [rax+37]
  mov eax, 231
  syscall
.section .rodata
msg: .ascii "hello, world\\n"
.data
ptr: .quad _start
.bss
counter: .zero 8
`;

function build(): { img: LinkResult; elf: Uint8Array } {
  const img = program().link();
  return { img, elf: writeElf(img) };
}

function withElf<T>(elf: Uint8Array, f: (path: string) => T): T {
  return withTmp((dir) => {
    const p = join(dir, 'prog.elf');
    writeFileSync(p, elf);
    chmodSync(p, 0o755);
    return f(p);
  });
}

describe('ELF64 writer', () => {
  const { img, elf } = build();
  const byName = (n: string) => img.sections.find((s) => s.name === n)!;

  test('our reader gets back entry, segments and symbols', () => {
    const r = readElf(elf);
    expect(r.entry).toBe(0x400000n);
    expect(r.segments.map((s) => [s.vaddr, s.perms, s.filesz, s.memsz, hex(s.data)])).toEqual(
      img.sections.map((s) => [s.addr, s.flags, s.nobits ? 0 : s.memSize, s.memSize, hex(s.bytes)]),
    );
    for (const s of r.segments) expect(Number(s.vaddr % 4096n)).toBe(s.offset % 4096);
    const mine = img.symbols.map((s) => [s.name, s.addr, s.size, s.kind, s.binding, `.${s.section}`]);
    const back = r.symbols.map((s) => [s.name, s.value, s.size, s.type, s.bind, s.section]);
    // locals come first in an ELF symbol table
    expect(back).toEqual([...mine.filter((s) => s[4] === 'local'), ...mine.filter((s) => s[4] === 'global')]);
  });

  test('readelf -S -l -s reads the headers and symbols', () => {
    const { stdout, stderr } = withElf(elf, (p) => spawnSync('readelf', ['-W', '-S', '-l', '-s', p], { encoding: 'utf8' }));
    expect(stderr).toBe('');
    const sections = stdout.split('\n').filter((l) => /^\s*\[\s*\d+\]\s+\./.test(l)).map((l) => {
      // Name Type Address Off Size ES [Flg] Lk Inf Al
      const t = l.replace(/^\s*\[\s*\d+\]\s+/, '').trim().split(/\s+/);
      return [t[0], t[1], BigInt('0x' + t[2]), parseInt(t[4], 16), t.length === 10 ? t[6] : ''];
    });
    expect(sections).toEqual([
      ['.text', 'PROGBITS', byName('text').addr, byName('text').memSize, 'AX'],
      ['.rodata', 'PROGBITS', byName('rodata').addr, 13, 'A'],
      ['.data', 'PROGBITS', byName('data').addr, 8, 'WA'],
      ['.bss', 'NOBITS', byName('bss').addr, 8, 'WA'],
      ['.symtab', 'SYMTAB', 0n, 24 * (img.symbols.length + 1), ''],
      ['.strtab', 'STRTAB', 0n, expect.any(Number), ''],
      ['.shstrtab', 'STRTAB', 0n, expect.any(Number), ''],
    ]);
    expect(stdout).toMatch(/Elf file type is EXEC/);
    expect(stdout).toMatch(/Entry point 0x400000/);
    const loads = [...stdout.matchAll(/^\s*LOAD\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x[0-9a-f]+ 0x([0-9a-f]+) 0x([0-9a-f]+) (.{3}) 0x1000$/gm)]
      .map((m) => [BigInt('0x' + m[2]), parseInt(m[3], 16), parseInt(m[4], 16), m[5]]);
    expect(loads).toEqual([
      [0x400000n, byName('text').memSize, byName('text').memSize, 'R E'],
      [0x401000n, 13, 13, 'R  '],
      [0x402000n, 8, 8, 'RW '],
      [0x403000n, 0, 8, 'RW '],
    ]);
    const syms = [...stdout.matchAll(/^\s*\d+: ([0-9a-f]{16})\s+(\d+) (\w+)\s+(\w+)\s+DEFAULT\s+(\d+) (\S+)$/gm)]
      .map((m) => [m[6], BigInt('0x' + m[1]), Number(m[2]), m[3], m[4]]);
    const expected = img.symbols.map((s) => [s.name, s.addr, s.size, s.kind === 'func' ? 'FUNC' : 'OBJECT', s.binding.toUpperCase()]);
    expect(syms).toEqual([...expected.filter((s) => s[4] === 'LOCAL'), ...expected.filter((s) => s[4] === 'GLOBAL')]);
  });

  test('objdump -d disassembles exactly the instructions the builder recorded', () => {
    const out = withElf(elf, (p) => run('objdump', ['-d', '-w', p]));
    const insns = [...out.matchAll(/^\s+([0-9a-f]+):\t((?:[0-9a-f]{2} )+)\s*\t?(.*)$/gm)].map((m) => [BigInt('0x' + m[1]), m[2].replace(/ /g, '')]);
    const text = byName('text');
    expect(insns).toEqual(img.sourceMap.map((e) => {
      const off = Number(e.addr - text.addr);
      return [e.addr, hex(text.bytes.slice(off, off + e.length))];
    }));
    const labels = [...out.matchAll(/^([0-9a-f]{16}) <(\S+)>:$/gm)].map((m) => [m[2], BigInt('0x' + m[1])]);
    expect(labels).toEqual(img.symbols.filter((s) => s.section === 'text').map((s) => [s.name, s.addr]));
    expect(out).toMatch(/lea\s+0x[0-9a-f]+\(%rip\),%rsi\s+# 401000 <msg>/);
  });

  test('gdb reads the symbols and disassembles', () => {
    const out = withElf(elf, (p) => run('gdb', ['-nx', '-batch', '-ex', 'info symbol 0x400005', '-ex', 'x/2i _start', '-ex', 'info address counter', p]));
    expect(out).toMatch(/_start \+ 5 in section \.text/);
    expect(out).toMatch(/0x400000 <_start>:\s+mov\s+\$0x1,%eax/);
    expect(out).toMatch(/0x400005 <_start\+5>:\s+mov\s+\$0x1,%edi/);
    expect(out).toMatch(/Symbol "counter" is at 0x403000/);
  });

  test('runs on this x86-64 Linux host: prints and exits with 5 + 37', () => {
    const r = withElf(elf, (p) => spawnSync(p, [], { encoding: 'utf8' }));
    expect(r.stdout).toBe('hello, world\n');
    expect(r.status).toBe(42);
  });

  test('same section bytes as GNU as + ld at the same addresses', () => {
    const ld = readElf(gasLink(GAS_PROGRAM, { text: 0x400000n, rodata: 0x401000n, data: 0x402000n, bss: 0x403000n }));
    const seg = (addr: bigint) => ld.segments.find((s) => s.vaddr === addr)!;
    expect(ld.entry).toBe(0x400000n);
    expect(hex(seg(0x400000n).data)).toBe(hex(byName('text').bytes));
    expect(hex(seg(0x401000n).data)).toBe(hex(byName('rodata').bytes));
    expect(hex(seg(0x402000n).data)).toBe(hex(byName('data').bytes));
    // ld puts .bss in the data segment: memsz = 0x403000 + 8 - 0x402000
    expect(seg(0x402000n).memsz).toBe(0x1008);
    expect(ld.symbols.find((s) => s.name === 'counter')?.value).toBe(0x403000n);
  });
});
