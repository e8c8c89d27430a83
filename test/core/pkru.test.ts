/** RDPKRU / WRPKRU (SDM vol. 2) and their effect on user-page accesses. */
import { describe, it, expect } from 'vitest';
import { mem, rax, rbx, rdx, eax, ecx, edx, cr4 } from '../../guest-kernel/asm/index.ts';
import { kernel, boot, exit, RESULT } from '../helpers/kernel.ts';

type A = Parameters<Parameters<typeof kernel>[0]>[0];
const enablePke = (a: A) => { a.mov(rax, cr4); a.or(eax, 1 << 22); a.mov(cr4, rax); };

describe('RDPKRU / WRPKRU', () => {
  it('WRPKRU then RDPKRU returns the value, EDX = 0', () => {
    const r = boot(kernel((a) => {
      enablePke(a);
      a.xor(ecx, ecx); a.xor(edx, edx); a.mov(eax, 0x5555000c); a.wrpkru();
      a.mov(edx, 0x77); a.xor(eax, eax); a.rdpkru();
      a.mov(mem.qword({ disp: RESULT, abs: true }), rax);
      a.mov(mem.qword({ disp: RESULT + 8, abs: true }), rdx);
      exit(a, 0);
    }));
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
    expect(r.q(RESULT)).toBe(0x5555000cn);
    expect(r.q(RESULT + 8)).toBe(0n);
    expect(r.m.cpus[0].xmodified & (1 << 9)).not.toBe(0);
  });

  it.each([
    ['RDPKRU with CR4.PKE=0 is #UD', (a: A) => { a.xor(ecx, ecx); a.rdpkru(); }, 6],
    ['WRPKRU with CR4.PKE=0 is #UD', (a: A) => { a.xor(ecx, ecx); a.xor(edx, edx); a.wrpkru(); }, 6],
    ['RDPKRU with ECX != 0 is #GP', (a: A) => { enablePke(a); a.mov(ecx, 1); a.rdpkru(); }, 13],
    ['WRPKRU with EDX != 0 is #GP', (a: A) => { enablePke(a); a.xor(ecx, ecx); a.mov(edx, 1); a.wrpkru(); }, 13],
  ])('%s', (_n, body, vector) => {
    const r = boot(kernel((a) => { body(a); exit(a, 1); }, { withIdt: true }));
    expect(r.stop).toEqual({ kind: 'exit', status: 0x40 + (vector as number) });
  });

  it('a supervisor read of a user page with PKRU.AD for key 0 faults with the PK bit (error code 0x21)', () => {
    const r = boot(kernel((a) => {
      enablePke(a);
      a.xor(ecx, ecx); a.xor(edx, edx); a.mov(eax, 1); a.wrpkru(); // AD for key 0
      a.mov(rbx, 0x400000);
      a.mov(rax, mem.qword(rbx));
      exit(a, 1);
    }, { withIdt: true }), { userPages: [0x400000] });
    expect(r.stop).toEqual({ kind: 'exit', status: 0x40 + 14 });
    expect(r.q(RESULT + 8)).toBe(0x21n); // P | PK, supervisor read
  });
});

