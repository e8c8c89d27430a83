/**
 * Instructions whose memory operand is implicit ES/DS:[rDI] (MASKMOVDQU,
 * MASKMOVQ) write where RDI points: the decoder gives them RDI as the base.
 */
import { describe, it, expect } from 'vitest';
import { mem, rdi, rax, xmm0, xmm1, mm0, mm1 } from '../../guest-kernel/asm/index.ts';
import { kernel, boot, exit, RESULT } from '../helpers/kernel.ts';

describe('implicit [rDI] destinations', () => {
  it('MASKMOVDQU stores the bytes whose mask byte has bit 7 set, at [RDI]', () => {
    const r = boot(kernel((a) => {
      a.lea(rax, mem.qword('data')); a.movdqu(xmm0, mem.xmmword(rax));
      a.lea(rax, mem.qword('mask')); a.movdqu(xmm1, mem.xmmword(rax));
      a.mov(rdi, RESULT + 16);
      a.maskmovdqu(xmm0, xmm1);
      exit(a, 0);
      a.section('rodata');
      a.label('data'); a.db([0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f]);
      a.label('mask'); a.db([0x80, 0, 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x81]);
    }));
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
    const got = [...r.m.mem.u8.subarray(RESULT + 16, RESULT + 32)];
    // Selected: bytes 0, 2 and 15 (mask bytes 0x80, 0xff, 0x81); 0x7f has bit 7 clear.
    expect(got).toEqual([0x10, 0, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1f]);
  });

  it('MASKMOVQ stores through [RDI] too', () => {
    const r = boot(kernel((a) => {
      a.mov(rax, 0x0807060504030201n); a.movq(mm0, rax);
      a.mov(rax, 0x8000000000000080n); a.movq(mm1, rax);
      a.mov(rdi, RESULT + 40);
      a.maskmovq(mm0, mm1);
      exit(a, 0);
    }));
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
    expect([...r.m.mem.u8.subarray(RESULT + 40, RESULT + 48)]).toEqual([1, 0, 0, 0, 0, 0, 0, 8]);
  });
});
