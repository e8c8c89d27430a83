/**
 * Test harness: build a small kernel with the assembler, boot it with the
 * real boot protocol, run it, and look at the machine afterwards.
 *
 * `withIdt` installs an IDT whose 32 exception handlers store the vector, the
 * error code (0 for vectors without one) and the pushed RIP at RESULT and
 * exit through the exit device with status 0x40 + vector.
 */
import { Asm, mem, rax, rsi, rdi, rsp, eax, ax, al, type LinkResult } from '../../guest-kernel/asm/index.ts';
import { writeElf } from '../../guest-kernel/asm/elf-writer.ts';
import { Machine, type MachineOptions } from '../../emulator/machine.ts';
import { bootImage } from '../../emulator/boot/loader.ts';
import type { StopInfo } from '../../emulator/cpu/cpu.ts';

/** Physical/linear address where handlers store {vector, errorCode, rip, rsp, cr2} (u64 each). */
export const RESULT = 0x300000;
export const IDT = 0x301000;

/** Emits code that installs an interrupt gate for vector `v` → `label` (kernel CS, DPL `dpl`). */
export function gate(a: Asm, v: number, label: string, dpl = 0): void {
  const g = IDT + 16 * v;
  a.lea(rax, mem.qword(label));
  a.mov(mem.word({ disp: g, abs: true }), ax);          // offset 15:0
  a.mov(mem.word({ disp: g + 2, abs: true }), 0x10);     // kernel CS
  a.mov(mem.word({ disp: g + 4, abs: true }), 0x8e00 | (dpl << 13)); // P, DPL, 64-bit interrupt gate
  a.mov(mem.qword({ disp: RESULT + 0x100, abs: true }), rax);
  a.mov(ax, mem.word({ disp: RESULT + 0x102, abs: true }));
  a.mov(mem.word({ disp: g + 6, abs: true }), ax);      // offset 31:16
  a.mov(eax, mem.dword({ disp: RESULT + 0x104, abs: true }));
  a.mov(mem.dword({ disp: g + 8, abs: true }), eax);    // offset 63:32
  a.mov(mem.dword({ disp: g + 12, abs: true }), 0);
}

export interface Run { m: Machine; stop: StopInfo; out: string; q(addr: number): bigint }

export function kernel(body: (a: Asm) => void, opts: { withIdt?: boolean } = {}): LinkResult {
  const a = new Asm({ base: 0x200000n });
  a.label('_start');
  if (opts.withIdt) {
    // Fill 32 interrupt gates: selector 0x10, type 0xE, present, DPL 3 for vectors 3 and 4.
    for (let v = 0; v < 32; v++) gate(a, v, `exc${v}`, v === 3 || v === 4 ? 3 : 0);
    a.lea(rax, mem.qword('idtr'));
    a.lidt(mem.ptr(rax));
  }
  body(a);
  if (opts.withIdt) {
    const hasCode = new Set([8, 10, 11, 12, 13, 14, 17, 21]);
    for (let v = 0; v < 32; v++) {
      a.label(`exc${v}`);
      if (!hasCode.has(v)) a.push(0);
      a.mov(mem.qword({ disp: RESULT, abs: true }), v);
      a.pop(rax);
      a.mov(mem.qword({ disp: RESULT + 8, abs: true }), rax);
      a.mov(rax, mem.qword(rsp));
      a.mov(mem.qword({ disp: RESULT + 16, abs: true }), rax);
      a.mov(mem.qword({ disp: RESULT + 24, abs: true }), rsp);
      a.mov(eax, 0x40 + v);
      a.out(0xf4, al);
    }
    a.section('rodata');
    a.align(16);
    a.label('idtr');
    a.dw(256 * 16 - 1);
    a.dq(IDT);
  }
  return a.link();
}

export function boot(img: LinkResult, opts: MachineOptions & { maxInsns?: number; cmdline?: string; userPages?: number[] } = {}): Run {
  const bytes: number[] = [];
  const m = new Machine({ memSize: 16 * 1024 * 1024, consoleOut: (b) => bytes.push(b), ...opts });
  bootImage(m, writeElf(img), { cmdline: opts.cmdline });
  // Make the 2 MiB pages at these physical addresses user-accessible (the boot map is supervisor-only).
  for (const addr of opts.userPages ?? []) {
    const dv = m.mem.dv;
    const pml4 = m.cpus[0].cr3;
    const pdpt = dv.getUint32(pml4, true) & 0xfffff000;
    const pd = dv.getUint32(pdpt + 8 * Math.floor(addr / 2 ** 30), true) & 0xfffff000;
    const e = pd + 8 * (Math.floor(addr / 2 ** 21) % 512);
    dv.setUint32(e, dv.getUint32(e, true) | 4, true);
  }
  const stop = m.run(opts.maxInsns ?? 1_000_000);
  return { m, stop, out: Buffer.from(bytes).toString('latin1'), q: (addr) => m.mem.dv.getBigUint64(addr, true) };
}

/** Emits code that exits with status `s` (low 8 bits). */
export function exit(a: Asm, s: number | typeof rax = 0): void {
  if (typeof s === 'number') a.mov(eax, s); else a.mov(rax, s);
  a.out(0xf4, al);
}

export { rsi, rdi };
