/** External interrupts: the x2APIC timer wakes HLT and is delivered through the IDT. */
import { describe, it, expect } from 'vitest';
import { mem, rax, eax, ecx, edx, rsp } from '../../guest-kernel/asm/index.ts';
import { kernel, boot, exit, gate, RESULT } from '../helpers/kernel.ts';

function wrmsr(a: Parameters<Parameters<typeof kernel>[0]>[0], msr: number, v: number): void {
  a.mov(ecx, msr); a.mov(eax, v); a.xor(edx, edx); a.wrmsr();
}

describe('x2APIC timer interrupt', () => {
  const img = kernel((a) => {
    gate(a, 0x40, 'tick');
    wrmsr(a, 0x80f, 0x1ff);  // SVR: APIC software-enabled
    wrmsr(a, 0x83e, 0xb);    // divide by 1
    wrmsr(a, 0x832, 0x40);   // LVT timer: one-shot, vector 0x40
    wrmsr(a, 0x838, 5000);   // fires 5000 guest ns (= instructions) later
    a.sti();
    a.label('wait');
    a.hlt();
    a.label('after_hlt');
    exit(a, 1);
    a.label('tick');
    a.mov(rax, mem.qword(rsp));                        // pushed RIP
    a.mov(mem.qword({ disp: RESULT, abs: true }), rax);
    a.mov(rax, mem.qword(rsp, 16));                    // pushed RFLAGS
    a.mov(mem.qword({ disp: RESULT + 8, abs: true }), rax);
    wrmsr(a, 0x80b, 0);                                // EOI
    exit(a, 0x40);
  }, { withIdt: true });

  it('HLT waits for the timer; the handler sees RIP after HLT and IF=1 in the pushed RFLAGS', () => {
    const r = boot(img);
    expect(r.stop).toEqual({ kind: 'exit', status: 0x40 });
    expect(r.q(RESULT)).toBe(img.symbols.find((s) => s.name === 'after_hlt')!.addr);
    expect(r.q(RESULT + 8) & 0x200n).toBe(0x200n);
    expect(r.m.time).toBeGreaterThanOrEqual(5000); // guest time advanced to the deadline while halted
  });

  it('the interrupt arrives at its deadline to the instruction, not at the end of a scheduling round', () => {
    // Guest time is retired instructions (1 ns each), counted at block boundaries; with divide-by-1 and an
    // initial count of 5000 the timer expires 5000 instructions after the WRMSR that armed it. The check
    // allows one block (the emulator's time granularity, at most 32 instructions) either way; a round-sized
    // error (100000 instructions) fails it.
    const r = boot(kernel((a) => {
      gate(a, 0x40, 'tick');
      wrmsr(a, 0x80f, 0x1ff);
      wrmsr(a, 0x83e, 0xb);
      wrmsr(a, 0x832, 0x40);
      a.sti();
      wrmsr(a, 0x838, 5000);
      a.rdtsc();
      a.mov(mem.qword({ disp: RESULT, abs: true }), rax);
      a.label('spin');
      a.jmp('spin');
      a.label('tick');
      a.rdtsc();
      a.mov(mem.qword({ disp: RESULT + 8, abs: true }), rax);
      exit(a, 0x40);
    }, { withIdt: true }));
    expect(r.stop).toEqual({ kind: 'exit', status: 0x40 });
    const armed = r.q(RESULT) - 3n; // the WRMSR retired 3 instructions before the first RDTSC read (rdtsc itself, mov)
    const fired = r.q(RESULT + 8);
    expect(fired - armed).toBeGreaterThanOrEqual(5000n - 32n);
    expect(fired - armed).toBeLessThanOrEqual(5000n + 32n);
  });

  it('with IF=0 the interrupt stays pending and HLT never wakes: the machine reports it', () => {
    const r = boot(kernel((a) => {
      wrmsr(a, 0x80f, 0x1ff);
      wrmsr(a, 0x832, 0x40);
      wrmsr(a, 0x838, 100);
      a.hlt();
      exit(a, 1);
    }, { withIdt: true }));
    expect(r.stop.kind).toBe('halt');
    expect(r.m.apics[0].inIrr(0x40)).toBe(true);
  });
});
