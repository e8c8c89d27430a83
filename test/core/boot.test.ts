import { describe, it, expect } from 'vitest';
import { mem, rax, rbx, rcx, rdi, eax, ecx, al, dx } from '../../guest-kernel/asm/index.ts';
import { kernel, boot, exit } from '../helpers/kernel.ts';
import { BI, BOOT_MAGIC } from '../../emulator/boot/bootinfo.ts';
import { build as banner, BANNER } from '../../guest-kernel/banner.ts';

describe('boot protocol', () => {
  it('enters the kernel at CPL 0 in long mode with RDI = boot info', () => {
    const r = boot(kernel((a) => {
      a.mov(rax, mem.qword(rdi, { disp: BI.magic }));
      a.mov(mem.qword({ disp: 0x300000, abs: true }), rax);
      a.mov(eax, mem.dword(rdi, { disp: BI.vcpuCount }));
      a.mov(mem.qword({ disp: 0x300008, abs: true }), rax);
      a.mov(rax, mem.qword(rdi, { disp: BI.memSize }));
      a.mov(mem.qword({ disp: 0x300010, abs: true }), rax);
      exit(a, 7);
    }), { smp: 2 });
    expect(r.stop).toEqual({ kind: 'exit', status: 7 });
    expect(r.q(0x300000)).toBe(BOOT_MAGIC);
    expect(r.q(0x300008)).toBe(2n);
    expect(r.q(0x300010)).toBe(16n * 1024n * 1024n);
    const c = r.m.cpus[0];
    expect(c.cpl).toBe(0);
    expect(c.sel[1]).toBe(0x10);
    expect((c.cr0 & 0x80000001) >>> 0).toBe(0x80000001); // PG and PE
  });

  it('passes the command line', () => {
    const r = boot(kernel((a) => {
      a.mov(rbx, mem.qword(rdi, { disp: BI.cmdlineAddr }));
      a.movzx(eax, mem.byte(rbx, 1)); // second character
      exit(a, rax);
    }), { cmdline: 'hello' });
    expect(r.stop).toEqual({ kind: 'exit', status: 'e'.charCodeAt(0) });
  });

  it('the default image prints its banner on COM1 and exits 0', () => {
    const r = boot(banner());
    expect(r.out).toBe(BANNER);
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
  });

  it('console output goes through the 16550 transmit register', () => {
    const r = boot(kernel((a) => {
      a.mov(dx, 0x3f8);
      for (const ch of 'ok\n') { a.mov(al, ch.charCodeAt(0)); a.out(dx, al); }
      a.mov(ecx, 0);
      exit(a, 0);
    }));
    expect(r.out).toBe('ok\n');
    void rcx;
  });
});
