/** Writes to code that has already run invalidate its decoded blocks. */
import { describe, it, expect } from 'vitest';
import { mem, rax, rbx, rcx, eax, ecx, Code } from '../../guest-kernel/asm/index.ts';
import { kernel, boot, exit } from '../helpers/kernel.ts';

describe('self-modifying code', () => {
  it('a patched immediate takes effect the next time the instruction runs', () => {
    // 'patch' is `mov eax, imm32` (B8 id): the immediate is at patch+1.
    const r = boot(kernel((a) => {
      a.xor(ecx, ecx);
      a.label('again');
      a.label('patch');
      a.emit(Code.Mov_r32_imm32, eax, 0x11);
      a.add(rcx, rax);                              // rcx accumulates 0x11, then 0x22
      a.cmp(rcx, 0x11);
      a.jne('done');
      a.lea(rbx, mem.qword('patch'));
      a.mov(mem.dword(rbx, 1), 0x22);               // rewrite the immediate of code that has run
      a.jmp('again');
      a.label('done');
      exit(a, rcx);
    }));
    expect(r.stop).toEqual({ kind: 'exit', status: 0x11 + 0x22 });
  });

  it('a store into the rest of the current block stops the stale block', () => {
    // The store overwrites the very next instruction (a 5-byte mov eax, 1) with mov eax, 2.
    const r = boot(kernel((a) => {
      a.lea(rbx, mem.qword('next'));
      a.mov(mem.dword(rbx, 1), 2);
      a.label('next');
      a.emit(Code.Mov_r32_imm32, eax, 1);
      exit(a, rax);
    }));
    expect(r.stop).toEqual({ kind: 'exit', status: 2 });
  });
});
