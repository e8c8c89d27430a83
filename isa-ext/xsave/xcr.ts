/**
 * XGETBV (spec §13) and XSETBV (§14), and the XCR0 validity rules.
 *
 * XGETBV: #UD if XSAVE is not advertised or CR4.OSXSAVE=0 (LOCK and 66/F2/F3
 * prefixes are #UD from the decoder); any CPL. ECX[31:0] = 0 → XCR0;
 * ECX = 1 (with CPUID.(0DH,1):EAX[2]) → XCR0 AND XINUSE, bit 1 forced to 1
 * while XCR0[1] = 1 and MXCSR ≠ 1F80H; any other ECX → #GP(0).
 *
 * Decision for spec §21.2 (XFD and XGETBV(1)): XFD does not change XGETBV(1);
 * it reports XINUSE of XFD-disabled components like any other. Reason: SDM
 * 13.14 lists what XFD changes (the #NM of instructions that use a disabled
 * component, XSAVE* treating it as init, XRSTOR* faulting when it would be
 * loaded) and XGETBV is not among them; XINUSE describes the register state,
 * which XFD does not touch.
 *
 * Decision for the x87 bit of XGETBV(1) (spec §13, §21.9): real tracking, not
 * forced to 1 ([IX] forces it; the SDM allows either for a component in its
 * initial configuration, and the value model of xinuse.ts is what XSAVEC uses
 * too, so XGETBV(1) and XSTATE_BV agree).
 *
 * XSETBV: #UD as XGETBV; #GP if CPL ≠ 0; #GP if ECX ≠ 0; #GP if the value is
 * invalid (xcr0Problem); then XCR0 := EDX:EAX. It ends the block (`term`) and
 * flushes nothing else: every gate reads `cpu.xcr0` when it runs.
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import type { Insn } from '../../emulator/cpu/insn.ts';
import { gp, ud } from '../../emulator/faults.ts';
import { CR4_OSXSAVE } from '../../emulator/memory/mmu.ts';
import { xcr0Supported } from '../../emulator/models/index.ts';
import { registeredMask } from './table.ts';
import { xinuse } from './xinuse.ts';
import { vcpu } from './vcpu.ts';

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

function gate(c: Cpu, name: string): void {
  if (!vcpu(c).hasXsave) throw ud(`${name} with CPUID.1:ECX.XSAVE=0`);
  if (!(c.cr4 & CR4_OSXSAVE)) throw ud(`${name} with CR4.OSXSAVE=0`);
}

export function xgetbv(c: Cpu): void {
  gate(c, 'XGETBV');
  const ecx = c.R[2] >>> 0;
  let lo: number;
  if (ecx === 0) lo = c.xcr0;
  else if (ecx === 1 && vcpu(c).hasXgetbv1) {
    lo = xinuse(c, c.xcr0);
    if ((c.xcr0 & 2) && c.mxcsr !== 0x1f80) lo |= 2;
  } else throw gp(`XGETBV with ECX=${hex(ecx)}`);
  c.R[0] = lo; c.R[1] = 0; // RAX = XCR0-bits 31:0, upper half cleared
  c.R[4] = 0; c.R[5] = 0; // RDX = bits 63:32 (always 0 here)
}

/** XCR0 bits XSETBV may set on this machine: CPUID.(0DH,0).EDX:EAX restricted to components with a row. */
export function xcr0Settable(c: Cpu): number {
  return Number(xcr0Supported(c.machine.model) & 0x7fffffffn) & (registeredMask() | 3);
}

/** Why `lo:hi` is not a valid XCR0 (spec §14), or null. */
export function xcr0Problem(lo: number, hi: number, settable: number): string | null {
  if (hi !== 0 || (lo & ~settable)) return `sets bits outside CPUID.(0DH,0).EDX:EAX (${hex(settable)})`;
  if (!(lo & 1)) return 'clears bit 0 (x87)';
  if ((lo & 6) === 4) return 'sets bit 2 (AVX) without bit 1 (SSE)';
  const z = lo & 0xe0;
  if (z !== 0 && z !== 0xe0) return 'sets some but not all of bits 7:5 (AVX-512)';
  if (z !== 0 && !(lo & 4)) return 'sets bits 7:5 (AVX-512) without bit 2 (AVX)';
  if (((lo >>> 17) & 1) !== ((lo >>> 18) & 1)) return 'sets only one of bits 18:17 (AMX)';
  if (((lo >>> 3) & 1) !== ((lo >>> 4) & 1)) return 'sets only one of bits 4:3 (MPX)';
  return null;
}

export function xsetbv(c: Cpu, i: Insn): void {
  gate(c, 'XSETBV');
  if (c.cpl !== 0) throw gp(`XSETBV at CPL ${c.cpl}`);
  const ecx = c.R[2] >>> 0;
  if (ecx !== 0) throw gp(`XSETBV with ECX=${hex(ecx)} (only XCR0 is writable)`);
  const lo = c.R[0], hi = c.R[4];
  const why = xcr0Problem(lo, hi, xcr0Settable(c));
  if (why) throw gp(`XSETBV ${hex(hi)}_${hex(lo)}: ${why}`);
  c.xcr0 = lo;
  c.rip += i.len;
}
