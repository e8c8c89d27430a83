/**
 * MSRs of the XSAVE extension (spec §1.4, §15):
 *   IA32_XSS      DA0H  bits of CPUID.(0DH,1):EDX:ECX only (components with a row)
 *   IA32_XFD      1C4H  bit i only if CPUID.(0DH,i):ECX[2] = 1 (SPR: bit 18, once AMX is enabled)
 *   IA32_XFD_ERR  1C5H  the same writable mask; written by hardware on an XFD #NM
 * IA32_XSS exists when the model has XSAVES; the XFD pair only when the model
 * enumerates XFD (CPUID.(0DH,1):EAX[4]: sapphire-rapids, not genoa).
 * WRMSR/RDMSR themselves check CPL 0.
 */
import type { MsrDef } from '../../emulator/msr.ts';
import type { Machine } from '../../emulator/machine.ts';
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import { gp } from '../../emulator/faults.ts';
import { cpuid, xssSupported } from '../../emulator/models/index.ts';
import { registeredMask } from './table.ts';
import { vcpu } from './vcpu.ts';

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** IA32_XSS bits WRMSR accepts. */
export function xssSettable(m: Machine): number {
  return Number(xssSupported(m.model) & 0x7fffffffn) & registeredMask();
}

/** IA32_XFD / IA32_XFD_ERR bits WRMSR accepts: components whose CPUID.(0DH,i):ECX[2] is 1. */
export function xfdSettable(m: Machine): number {
  let mask = 0;
  const dyn = { xcr0: 1n, xss: 0n, cr4: 0, apicId: 0 };
  for (const comp of m.model.xsave.components) {
    if (comp.xfd && comp.index < 31 && (cpuid(m.model, 0xd, comp.index, dyn)[2] & 4)) mask |= 1 << comp.index;
  }
  return mask & registeredMask();
}

function maskedWrite(name: string, settable: () => number, set: (c: Cpu, v: number) => void) {
  return (c: Cpu, v: bigint): void => {
    const ok = BigInt(settable() >>> 0);
    if (v & ~ok) throw gp(`WRMSR ${name}: ${hex(v)} sets bits outside ${hex(ok)}`);
    set(c, Number(v));
  };
}

export function xsaveMsrs(m: Machine): MsrDef[] {
  const d1 = m.model.xsave.leafD1Eax;
  const defs: MsrDef[] = [];
  if (d1 & 8) {
    defs.push({
      index: 0xda0, name: 'IA32_XSS',
      read: (c) => BigInt(c.xss >>> 0),
      write: maskedWrite('IA32_XSS', () => xssSettable(m), (c, v) => { c.xss = v; }),
    });
  }
  if (d1 & 16) {
    defs.push({
      index: 0x1c4, name: 'IA32_XFD',
      read: (c) => BigInt(vcpu(c).xfd >>> 0),
      write: maskedWrite('IA32_XFD', () => xfdSettable(m), (c, v) => { vcpu(c).xfd = v; }),
    });
    defs.push({
      index: 0x1c5, name: 'IA32_XFD_ERR',
      read: (c) => BigInt(vcpu(c).xfdErr >>> 0),
      write: maskedWrite('IA32_XFD_ERR', () => xfdSettable(m), (c, v) => { vcpu(c).xfdErr = v; }),
    });
  }
  return defs;
}
