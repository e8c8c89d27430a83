/**
 * The boot protocol (README, "Boot protocol"): loads an ELF64 ET_EXEC image
 * (PT_LOAD segments at their physical addresses) or a raw binary, builds
 * identity page tables for all RAM, installs the GDT and TSS, writes the
 * boot-information block and enters the kernel at CPL 0 in 64-bit mode with
 * RDI pointing at that block. Application processors wait for INIT/SIPI.
 */
import { readElf, ElfError } from '../../guest-kernel/asm/elf-reader.ts';
import { PageMapper } from './paging.ts';
import { buildGdt, GDT_BYTES, KERNEL_CS, KERNEL_DS, TSS_SEL, TSS_BYTES, STAR_VALUE } from './gdt.ts';
import { BI, BOOT_MAGIC, BOOT_VERSION, MMAP_ENTRY, MODULE_ENTRY, MMAP_USABLE, MMAP_RESERVED, MMAP_KERNEL, MMAP_MODULE, MMAP_BOOT } from './bootinfo.ts';
import { SEG_CS, SEG_SS, SEG_DS, SEG_ES } from '../cpu/state.ts';
import { setRflags } from '../cpu/flags.ts';
import { EXIT_PORT } from '../devices/exit-port.ts';
import { COM1_BASE } from '../devices/serial.ts';
import type { Machine } from '../machine.ts';
import type { Cpu } from '../cpu/cpu.ts';

export class BootError extends Error {}

/** Physical layout of the boot area below 1 MiB. */
export const BOOT_AREA = {
  gdt: 0x1000, tss: 0x1100, info: 0x2000, cmdline: 0x3000, mmap: 0x4000, modules: 0x5000,
  stackTop: 0x10000, pageTables: 0x10000, pageTablesEnd: 0x80000,
  /** [0x80000, 0x100000) is left to the kernel, e.g. for AP trampolines (SIPI vectors 0x80-0xff). */
  free: 0x80000, end: 0x100000,
} as const;

export interface BootModule { name: string; data: Uint8Array }
export interface BootOptions {
  cmdline?: string;
  modules?: BootModule[];
  /** Raw binary instead of ELF: load and entry address. */
  rawLoadAddress?: number;
}

export interface LoadedImage { entry: number; segments: { addr: number; size: number }[]; symbols: Map<string, number> }

export function bootImage(m: Machine, image: Uint8Array, opts: BootOptions = {}): LoadedImage {
  const mem = m.mem;
  const ram = mem.size;
  if (ram < 2 * 1024 * 1024) throw new BootError('RAM must be at least 2 MiB to boot an image');
  const segments: { addr: number; size: number }[] = [];
  const symbols = new Map<string, number>();
  let entry: number;
  const place = (addr: number, size: number, what: string) => {
    if (addr < BOOT_AREA.end) throw new BootError(`${what} at 0x${addr.toString(16)} overlaps the boot area below 1 MiB`);
    if (addr + size > ram) throw new BootError(`${what} [0x${addr.toString(16)}, 0x${(addr + size).toString(16)}) is outside RAM (${ram / 1048576} MiB)`);
  };
  if (opts.rawLoadAddress !== undefined) {
    place(opts.rawLoadAddress, image.length, 'raw image');
    mem.u8.set(image, opts.rawLoadAddress);
    segments.push({ addr: opts.rawLoadAddress, size: image.length });
    entry = opts.rawLoadAddress;
  } else {
    let elf;
    try {
      elf = readElf(image);
    } catch (e) {
      if (e instanceof ElfError) throw new BootError(`not a bootable image: ${e.message}`);
      throw e;
    }
    for (const s of elf.segments) {
      const addr = Number(s.vaddr);
      const size = Number(s.memsz);
      place(addr, size, 'PT_LOAD segment');
      mem.u8.fill(0, addr, addr + size);
      mem.u8.set(s.data, addr);
      segments.push({ addr, size });
    }
    for (const sym of elf.symbols) symbols.set(sym.name, Number(sym.value));
    entry = Number(elf.entry);
  }
  // Modules after the image, page-aligned.
  let free = Math.ceil(Math.max(BOOT_AREA.end, ...segments.map((s) => s.addr + s.size)) / 4096) * 4096;
  const dv = mem.dv;
  const mods = opts.modules ?? [];
  let nameAt = BOOT_AREA.modules + MODULE_ENTRY * mods.length;
  mods.forEach((mod, k) => {
    place(free, mod.data.length, `module '${mod.name}'`);
    mem.u8.set(mod.data, free);
    const e = BOOT_AREA.modules + MODULE_ENTRY * k;
    const name = new TextEncoder().encode(mod.name);
    if (nameAt + name.length + 1 > BOOT_AREA.modules + 0x3000) throw new BootError('too many modules (their table does not fit the boot area)');
    mem.u8.set(name, nameAt);
    mem.u8[nameAt + name.length] = 0;
    dv.setBigUint64(e, BigInt(free), true);
    dv.setBigUint64(e + 8, BigInt(mod.data.length), true);
    dv.setBigUint64(e + 16, BigInt(nameAt), true);
    dv.setUint32(e + 24, name.length, true);
    segments.push({ addr: free, size: mod.data.length });
    nameAt += name.length + 1;
    free = Math.ceil((free + mod.data.length) / 4096) * 4096;
  });
  const cmd = new TextEncoder().encode(opts.cmdline ?? '');
  if (cmd.length >= 4096) throw new BootError('command line longer than 4095 bytes');
  mem.u8.set(cmd, BOOT_AREA.cmdline);
  mem.u8[BOOT_AREA.cmdline + cmd.length] = 0;
  // Page tables: identity map of all RAM with 2 MiB pages.
  const mapper = new PageMapper(mem, BOOT_AREA.pageTables, BOOT_AREA.pageTablesEnd);
  mapper.identity2m(ram);
  // GDT and TSS.
  buildGdt(dv, BOOT_AREA.gdt, BigInt(BOOT_AREA.tss));
  // Memory map.
  const kernelEnd = segments.length ? Math.max(...segments.slice(0, segments.length - mods.length).map((s) => s.addr + s.size)) : BOOT_AREA.end;
  const map: [number, number, number][] = [
    [0, BOOT_AREA.free, MMAP_BOOT],
    [BOOT_AREA.free, BOOT_AREA.end - BOOT_AREA.free, MMAP_USABLE],
    ...segments.slice(0, segments.length - mods.length).map((s) => [s.addr, s.size, MMAP_KERNEL] as [number, number, number]),
    ...segments.slice(segments.length - mods.length).map((s) => [s.addr, s.size, MMAP_MODULE] as [number, number, number]),
    [free, ram - free, MMAP_USABLE],
  ];
  if (free > ram) throw new BootError('image and modules do not fit in RAM');
  map.forEach(([base, len, type], k) => {
    const e = BOOT_AREA.mmap + MMAP_ENTRY * k;
    dv.setBigUint64(e, BigInt(base), true);
    dv.setBigUint64(e + 8, BigInt(len), true);
    dv.setUint32(e + 16, type, true);
  });
  void kernelEnd; void MMAP_RESERVED;
  // The boot-information block.
  const bi = BOOT_AREA.info;
  mem.u8.fill(0, bi, bi + BI.SIZE);
  dv.setBigUint64(bi + BI.magic, BOOT_MAGIC, true);
  dv.setUint32(bi + BI.version, BOOT_VERSION, true);
  dv.setUint32(bi + BI.size, BI.SIZE, true);
  dv.setUint32(bi + BI.vcpuCount, m.cpus.length, true);
  dv.setUint32(bi + BI.bspApicId, 0, true);
  dv.setBigUint64(bi + BI.memSize, BigInt(ram), true);
  dv.setBigUint64(bi + BI.mmapAddr, BigInt(BOOT_AREA.mmap), true);
  dv.setUint32(bi + BI.mmapCount, map.length, true);
  dv.setBigUint64(bi + BI.cmdlineAddr, BigInt(BOOT_AREA.cmdline), true);
  dv.setUint32(bi + BI.cmdlineLen, cmd.length, true);
  dv.setBigUint64(bi + BI.modulesAddr, BigInt(BOOT_AREA.modules), true);
  dv.setUint32(bi + BI.moduleCount, mods.length, true);
  dv.setUint16(bi + BI.serialPort, COM1_BASE, true);
  dv.setUint16(bi + BI.exitPort, EXIT_PORT, true);
  dv.setBigUint64(bi + BI.tscHz, 1000000000n, true);
  dv.setBigUint64(bi + BI.freeStart, BigInt(free), true);
  // vCPU state: every vCPU gets long mode with these tables; the BSP runs, APs wait for SIPI.
  for (const c of m.cpus) enterLongMode(c, mapper.cr3);
  const bsp = m.cpus[0];
  bsp.rip = entry;
  bsp.setRsp(BOOT_AREA.stackTop);
  bsp.R[14] = bi; bsp.R[15] = 0; // RDI
  bsp.halted = false;
  m.onSipi = (c, vector) => startAp(m, c, vector);
  return { entry, segments, symbols };
}

function enterLongMode(c: Cpu, cr3: number): void {
  c.cr0 = 0x80010033; // PG WP NE ET MP PE
  c.cr4 = 0x620;      // PAE OSFXSR OSXMMEXCPT
  c.efer = 0xd01;     // SCE LME LMA NXE
  c.cr3 = cr3;
  c.setCpl(0);
  c.flushTlb();
  c.gdtBase = BOOT_AREA.gdt; c.gdtLimit = GDT_BYTES - 1;
  c.idtBase = 0; c.idtLimit = 0;
  c.trSel = TSS_SEL; c.trBase = BOOT_AREA.tss; c.trLimit = TSS_BYTES - 1;
  c.sel[SEG_CS] = KERNEL_CS;
  c.sel[SEG_SS] = c.sel[SEG_DS] = c.sel[SEG_ES] = KERNEL_DS;
  c.star = STAR_VALUE;
  setRflags(c, 0x2);
}

/**
 * SIPI with vector V: the AP starts in 64-bit mode at CPL 0 at physical (and,
 * identity-mapped, linear) address V × 4096, with the BSP's current CR0, CR3,
 * CR4, EFER and GDTR, RSP = 0 and RDI = its APIC ID — real mode is not
 * emulated, so the trampoline a kernel puts there is 64-bit code.
 */
function startAp(m: Machine, c: Cpu, vector: number): void {
  const bsp = m.cpus[0];
  enterLongMode(c, bsp.cr3);
  c.cr0 = bsp.cr0; c.cr4 = bsp.cr4; c.efer = bsp.efer;
  c.gdtBase = bsp.gdtBase; c.gdtLimit = bsp.gdtLimit;
  c.R.fill(0);
  c.R[14] = c.id;
  c.rip = vector * 4096;
  c.halted = false;
  c.flushTlb();
}
