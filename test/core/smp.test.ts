/**
 * SMP: an AP started with INIT/SIPI through the x2APIC ICR, and determinism:
 * two runs of the same image give identical output and instruction counts.
 */
import { describe, it, expect } from 'vitest';
import { mem, rax, rbx, rcx, rdi, eax, ecx, edx, al, dx } from '../../guest-kernel/asm/index.ts';
import { kernel, boot, exit } from '../helpers/kernel.ts';

const COUNTER = 0x300000;

function image() {
  return kernel((a) => {
    // Copy the AP code to 0x80000 (SIPI vector 0x80).
    a.lea(rbx, mem.qword('ap'));
    a.mov(rdi, 0x80000);
    a.mov(ecx, 64);
    a.label('.copy');
    a.mov(al, mem.byte(rbx));
    a.mov(mem.byte(rdi), al);
    a.inc(rbx);
    a.inc(rdi);
    a.dec(ecx);
    a.jnz('.copy');
    // INIT (delivery mode 101, level assert) then SIPI (110) with vector 0x80, to APIC ID 1.
    a.mov(ecx, 0x830);
    a.mov(edx, 1);
    a.mov(eax, 0x4500);
    a.wrmsr();
    a.mov(eax, 0x4680);
    a.wrmsr();
    // Print 'B' while waiting for the AP to count to 3.
    a.mov(dx, 0x3f8);
    a.label('.wait');
    a.mov(al, 0x42);
    a.out(dx, al);
    a.cmp(mem.qword({ disp: COUNTER, abs: true }), 3);
    a.jne('.wait');
    exit(a, 0);
    // AP: count to 3 printing 'A' each time, then halt forever with interrupts off.
    a.label('ap');
    a.mov(dx, 0x3f8);
    a.mov(ecx, 3);
    a.label('.ap_loop');
    a.mov(al, 0x41);
    a.out(dx, al);
    a.lock().add(mem.qword({ disp: COUNTER, abs: true }), 1);
    a.dec(ecx);
    a.jnz('.ap_loop');
    a.label('.ap_halt');
    a.hlt();
    a.jmp('.ap_halt');
    void rax;
  });
}

describe('SMP', () => {
  it('the AP starts at vector × 4096 with RDI = its APIC ID and runs alongside the BSP', () => {
    const r = boot(image(), { smp: 2, quantum: 7 });
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
    expect(r.q(COUNTER)).toBe(3n);
    expect(r.out.replace(/B/g, '')).toBe('AAA');
    expect(r.m.cpus[1].R64[7]).toBe(1n); // RDI = APIC ID 1
  });

  it('is deterministic: identical console output and instruction counts on every run', () => {
    const runs = [0, 1, 2].map(() => boot(image(), { smp: 2, quantum: 5 }));
    for (const r of runs.slice(1)) {
      expect(r.out).toBe(runs[0].out);
      expect(r.m.cpus.map((c) => c.icount)).toEqual(runs[0].m.cpus.map((c) => c.icount));
    }
    expect(runs[0].out.match(/A/g)).toHaveLength(3);
  });
});
