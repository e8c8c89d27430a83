/**
 * Exception delivery through the 64-bit IDT (SDM vol. 3 §6.14): the frame,
 * error codes, #DF and the triple fault.
 */
import { describe, it, expect } from 'vitest';
import { mem, rax, rbx, rsp, eax } from '../../guest-kernel/asm/index.ts';
import { kernel, boot, exit, RESULT } from '../helpers/kernel.ts';

describe('exception delivery', () => {
  it('#UD from UD2: vector 6, no error code, RIP of the faulting instruction', () => {
    const r = boot(kernel((a) => { a.label('fault'); a.ud2(); exit(a, 1); }, { withIdt: true }));
    expect(r.stop).toEqual({ kind: 'exit', status: 0x46 });
    expect(r.q(RESULT)).toBe(6n);
    const img = kernel((a) => { a.label('fault'); a.ud2(); exit(a, 1); }, { withIdt: true });
    const faultAt = img.symbols.find((s) => s.name === 'fault')!.addr;
    expect(r.q(RESULT + 16)).toBe(faultAt);
  });

  it('#GP(0) for a non-canonical address, with error code 0', () => {
    const r = boot(kernel((a) => {
      a.mov(rbx, 0x0000800000000000n); // first non-canonical address above the lower half
      a.mov(rax, mem.qword(rbx));
      exit(a, 1);
    }, { withIdt: true }));
    expect(r.stop).toEqual({ kind: 'exit', status: 0x40 + 13 });
    expect(r.q(RESULT + 8)).toBe(0n);
  });

  it('#PF error code and CR2 for a read of an unmapped page', () => {
    // RAM is 16 MiB, identity-mapped with 2 MiB pages; 1 GiB is not mapped at all.
    const r = boot(kernel((a) => {
      a.mov(rbx, 0x40000000);
      a.mov(rax, mem.qword(rbx, 8));
      exit(a, 1);
    }, { withIdt: true }));
    expect(r.stop).toEqual({ kind: 'exit', status: 0x40 + 14 });
    expect(r.q(RESULT + 8)).toBe(0n);            // supervisor read, not present: P=0 W=0 U=0
    expect(BigInt(r.m.cpus[0].cr2)).toBe(0x40000008n);
  });

  it('INT3 pushes the address after the INT3; the handler runs with IF=0', () => {
    const img = kernel((a) => { a.sti(); a.int3(); a.label('after'); exit(a, 1); }, { withIdt: true });
    const r = boot(img);
    expect(r.stop).toEqual({ kind: 'exit', status: 0x43 });
    expect(r.q(RESULT + 16)).toBe(img.symbols.find((s) => s.name === 'after')!.addr);
    expect(r.m.cpus[0].flagsRest & 0x200).toBe(0);
  });

  it('the frame is aligned to 16 bytes and holds SS, RSP, RFLAGS, CS, RIP', () => {
    const r = boot(kernel((a) => {
      a.mov(rsp, 0x400008); // misaligned by 8: the CPU aligns before pushing
      a.ud2();
    }, { withIdt: true }));
    // After alignment RSP=0x400000; 5 qwords pushed (no error code) → 0x3fffd8; the handler pushed 0 (+8) then popped it.
    expect(r.q(RESULT + 24)).toBe(0x3fffd8n);
    expect(r.q(0x3fffd8 + 8)).toBe(0x10n);       // CS
    expect(r.q(0x3fffd8 + 24)).toBe(0x400008n);  // old RSP
    expect(r.q(0x3fffd8 + 32)).toBe(0x18n);      // old SS
  });

  it('a fault with no IDT becomes a triple fault that stops the machine', () => {
    const r = boot(kernel((a) => { a.ud2(); }));
    expect(r.stop.kind).toBe('triple-fault');
    expect(r.stop.reason).toMatch(/triple fault/);
  });

  it('#DF when delivering a #GP finds a not-present gate', () => {
    const r = boot(kernel((a) => {
      a.mov(mem.byte({ disp: 0x301000 + 16 * 13 + 5, abs: true }), 0x0e); // clear P of the #GP gate
      a.mov(rbx, 0x0000800000000000n);
      a.mov(eax, mem.dword(rbx));
    }, { withIdt: true }));
    expect(r.stop).toEqual({ kind: 'exit', status: 0x40 + 8 });
    expect(r.q(RESULT + 8)).toBe(0n); // #DF pushes error code 0
  });
});
