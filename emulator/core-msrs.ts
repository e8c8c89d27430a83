/**
 * The core's MSRs (SDM vol. 4): long-mode and SYSCALL MSRs, segment bases,
 * TSC, APIC base and the x2APIC register range. Extensions add their own.
 */
import type { MsrDef } from './msr.ts';
import { isCanonical, laToBig, bigToLa } from './msr.ts';
import { gp } from './faults.ts';
import type { Machine } from './machine.ts';
import type { Cpu } from './cpu/cpu.ts';

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** A canonical-address MSR backed by a numeric CPU field. */
function addrMsr(index: number, name: string, get: (c: Cpu) => number, set: (c: Cpu, v: number) => void, bits: () => number): MsrDef {
  return {
    index, name,
    read: (c) => laToBig(get(c)),
    write: (c, v) => {
      if (!isCanonical(v, bits())) throw gp(`WRMSR ${name}: ${hex(v)} is not canonical`);
      set(c, bigToLa(v));
    },
  };
}

export function coreMsrs(m: Machine): MsrDef[] {
  const bits = () => m.model.linearAddressBits;
  const defs: MsrDef[] = [
    {
      index: 0xc0000080, name: 'IA32_EFER',
      read: (c) => BigInt(c.efer),
      write: (c, v) => {
        // SCE(0) LME(8) LMA(10, read-only) NXE(11); long mode cannot be left in this emulator.
        if (v & ~0xd01n) throw gp(`WRMSR IA32_EFER: reserved bits in ${hex(v)}`);
        if (!(v & 0x100n)) throw gp('WRMSR IA32_EFER: clearing LME would leave long mode, which x86emu does not emulate');
        if (((v >> 11n) & 1n) !== BigInt((c.efer >> 11) & 1)) c.flushTlb();
        c.efer = Number(v) | 0x400;
      },
    },
    { index: 0xc0000081, name: 'IA32_STAR', read: (c) => c.star, write: (c, v) => { c.star = v; } },
    addrMsr(0xc0000082, 'IA32_LSTAR', (c) => c.lstar, (c, v) => { c.lstar = v; }, bits),
    addrMsr(0xc0000083, 'IA32_CSTAR', (c) => c.cstar, (c, v) => { c.cstar = v; }, bits),
    {
      index: 0xc0000084, name: 'IA32_FMASK',
      read: (c) => BigInt(c.sfmask >>> 0),
      write: (c, v) => { if (v >> 32n) throw gp(`WRMSR IA32_FMASK: reserved bits in ${hex(v)}`); c.sfmask = Number(v); },
    },
    addrMsr(0xc0000100, 'IA32_FS_BASE', (c) => c.fsBase, (c, v) => { c.fsBase = v; }, bits),
    addrMsr(0xc0000101, 'IA32_GS_BASE', (c) => c.gsBase, (c, v) => { c.gsBase = v; }, bits),
    addrMsr(0xc0000102, 'IA32_KERNEL_GS_BASE', (c) => c.kernelGsBase, (c, v) => { c.kernelGsBase = v; }, bits),
    {
      index: 0xc0000103, name: 'IA32_TSC_AUX',
      read: (c) => BigInt(c.tscAux >>> 0),
      write: (c, v) => { if (v >> 32n) throw gp(`WRMSR IA32_TSC_AUX: reserved bits in ${hex(v)}`); c.tscAux = Number(v); },
    },
    {
      index: 0x10, name: 'IA32_TIME_STAMP_COUNTER',
      read: (c) => BigInt(c.icount + c.tscOffset),
      write: (c, v) => { c.tscOffset = Number(v) - c.icount; },
    },
    {
      index: 0x1b, name: 'IA32_APIC_BASE',
      read: (c) => BigInt(c.apicBase) | (c.id === 0 ? 0x100n : 0n),
      write: (c, v) => {
        // x2APIC mode (EN|EXTD) is the only mode this emulator has.
        if ((v & 0xc00n) !== 0xc00n) throw gp('WRMSR IA32_APIC_BASE: leaving x2APIC mode is not supported');
        c.apicBase = Number(v & ~0x100n);
      },
    },
    { index: 0x277, name: 'IA32_PAT', read: (c) => c.pat, write: (c, v) => { c.pat = v; } },
    { index: 0x1a0, name: 'IA32_MISC_ENABLE', read: () => 1n, write: () => {} },
  ];
  // x2APIC registers 0x800-0x8FF go to the vCPU's own APIC.
  for (let index = 0x800; index <= 0x8ff; index++) {
    defs.push({
      index, name: `X2APIC_${index.toString(16).toUpperCase()}`,
      read: (c) => {
        const a = m.apics[c.id];
        const v = a.rdmsr(index);
        if (v === null) throw gp(`RDMSR x2APIC 0x${index.toString(16)}: ${a.lastFault ?? 'not readable'}`);
        return v;
      },
      write: (c, v) => {
        const why = m.apics[c.id].wrmsr(index, v);
        if (why !== null) throw gp(`WRMSR x2APIC 0x${index.toString(16)}: ${why}`);
        m.kick();
        c.yieldRequested = true; // the scheduler recomputes its round (a timer deadline may have moved)
      },
    });
  }
  return defs;
}
