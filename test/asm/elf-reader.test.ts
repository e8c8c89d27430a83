// The ELF reader refuses what it cannot load, with a message saying why.
// Header field offsets are those of the ELF64 header in the System V gABI:
// e_ident[EI_CLASS]=4, [EI_DATA]=5, e_type=16, e_machine=18, e_phoff=32,
// and Elf64_Phdr p_filesz at +32, p_memsz at +40.
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Asm, ElfError, readElf, writeElf, rax } from '../../guest-kernel/asm/index.ts';
import { run, withTmp } from './gnu.ts';

function good(): Uint8Array {
  const a = new Asm();
  a.label('_start');
  a.mov(rax, 60);
  a.syscall();
  a.data();
  a.dq(1);
  return writeElf(a.link());
}

const patched = (f: (v: DataView, b: Uint8Array) => void): Uint8Array => {
  const b = good();
  f(new DataView(b.buffer), b);
  return b;
};

function rejects(bytes: Uint8Array, message: RegExp): void {
  let err: unknown;
  try {
    readElf(bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ElfError);
  expect((err as Error).message).toMatch(message);
}

describe('readElf rejects bad input', () => {
  test('accepts the writer\'s output', () => {
    expect(readElf(good()).segments.map((s) => s.perms)).toEqual(['r-x', 'rw-']);
  });

  test('not an ELF', () => {
    rejects(new Uint8Array(0), /not an ELF file/);
    rejects(new TextEncoder().encode('#!/bin/sh\necho hi\n'), /not an ELF file \(bad magic/);
  });

  test('truncated header', () => {
    rejects(good().slice(0, 40), /truncated ELF header: 40 bytes, need 64/);
  });

  test('ELF32, big-endian, other machine', () => {
    rejects(patched((_, b) => { b[4] = 1; }), /not ELF64 \(EI_CLASS=1, ELF32\)/);
    rejects(patched((_, b) => { b[5] = 2; }), /not little-endian \(EI_DATA=2\)/);
    rejects(patched((v) => v.setUint16(18, 183, true)), /not x86-64 \(e_machine=183\)/); // EM_AARCH64
  });

  test('not ET_EXEC: a shared object, and a relocatable file from GNU as', () => {
    rejects(patched((v) => v.setUint16(16, 3, true)), /not ET_EXEC: e_type=3 \(ET_DYN\)/);
    const obj = withTmp((dir) => {
      writeFileSync(join(dir, 'x.s'), 'nop\n');
      run('as', ['--64', '-o', join(dir, 'x.o'), join(dir, 'x.s')]);
      return new Uint8Array(readFileSync(join(dir, 'x.o')));
    });
    rejects(obj, /not ET_EXEC: e_type=1 \(ET_REL\)/);
  });

  test('truncated program header table', () => {
    rejects(good().slice(0, 64 + 10), /truncated program header table/);
  });

  test('truncated segment data', () => {
    const b = good();
    const text = readElf(b).segments[0];
    // text = mov rax, 60 (48 C7 C0 imm32: 7 bytes) + syscall (0F 05): 9 bytes at file offset 0x1000
    rejects(b.slice(0, text.offset + 3), /truncated segment 0 data: needs bytes \[0x1000, 0x1009\) but the file has 4099 bytes/);
  });

  test('p_filesz larger than p_memsz', () => {
    rejects(patched((v) => v.setBigUint64(64 + 40, 1n, true)), /segment 0: p_filesz 9 exceeds p_memsz 1/);
  });

  test('section header table or symbol table out of bounds', () => {
    rejects(patched((v) => v.setBigUint64(40, 0xffffffn, true)), /truncated section header table/);
  });
});
