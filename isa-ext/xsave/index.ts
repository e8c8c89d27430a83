/**
 * The XSAVE extension: the state-component table and every instruction that
 * moves extended state (spec xstate-uintr-pasid.md §1-15).
 *
 *   table.ts     registerXstateComponent, XstateRow, geometry (the component table)
 *   legacy.ts    rows 0 (x87) and 1 (SSE), MXCSR; the legacy region of FXSAVE/XSAVE
 *   builtin.ts   rows 2, 5, 6, 7, 9 and the plain-MSR supervisor rows 8, 11, 12, 15
 *   xinuse.ts    XINUSE (the project's decision) and markInit
 *   area.ts      allocation-free access to XSAVE areas in guest memory
 *   prologue.ts  the common fault prologue (§5)
 *   save.ts      XSAVE, XSAVEOPT, XSAVEC, XSAVES (+64)
 *   restore.ts   XRSTOR, XRSTORS (+64)
 *   fxsave.ts    FXSAVE, FXRSTOR (+64)
 *   xcr.ts       XGETBV, XSETBV, XCR0 validity
 *   msrs.ts      IA32_XSS, IA32_XFD, IA32_XFD_ERR
 *   vcpu.ts      per-vCPU state (XRSTOR_INFO, XFD, Intel "loaded" bits)
 *
 * Exports for other extensions: registerXstateComponent (AMX 17/18, PASID 10,
 * UINTR 14), markInit (VZEROUPPER/VZEROALL, TILERELEASE, LDTILECFG palette 0),
 * xinuse, xfdFault (AMX instructions' XFD #NM), msrBytes.
 */
import type { IsaExtension } from '../../emulator/extension.ts';
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import { defineInsn } from '../../emulator/insns/registry.ts';
import { nm, type X86Fault } from '../../emulator/faults.ts';
import { registerXstateComponent, registeredMask, ROWS } from './table.ts';
import { X87_ROW, SSE_ROW } from './legacy.ts';
import { registerBuiltinRows } from './builtin.ts';
import { xsaveStandard, xsaveCompacted } from './save.ts';
import { xrstor } from './restore.ts';
import { fxsave, fxrstor } from './fxsave.ts';
import { xgetbv, xsetbv } from './xcr.ts';
import { xsaveMsrs } from './msrs.ts';
import { resetVcpu, vcpu } from './vcpu.ts';

export { registerXstateComponent, xstateRow, registeredMask, geometry, OPT_REXW, OPT_XRSTORS } from './table.ts';
export type { XstateRow, XBuf, Geometry } from './table.ts';
export { xinuse, markInit } from './xinuse.ts';
export { msrBytes } from './builtin.ts';
export { vcpu as xsaveVcpu } from './vcpu.ts';
export { xcr0Problem } from './xcr.ts';

/**
 * For instructions that need XFD-capable components (AMX): if any bit of
 * `required` is enabled in XCR0 and disabled by IA32_XFD, writes IA32_XFD_ERR
 * := IA32_XFD AND required and returns the #NM to throw; otherwise null.
 */
export function xfdFault(c: Cpu, required: number, what: string): X86Fault | null {
  const v = vcpu(c);
  const hit = required & c.xcr0 & v.xfd;
  if (!hit) return null;
  v.xfdErr = v.xfd & required;
  return nm(`${what}: component(s) 0x${hit.toString(16)} disabled by IA32_XFD`);
}

const owner = 'xsave';

function registerInsns(): void {
  if (!ROWS[0]) registerXstateComponent(X87_ROW);
  if (!ROWS[1]) registerXstateComponent(SSE_ROW);
  registerBuiltinRows();
  const mem = (name: string, h: (c: Cpu, i: import('../../emulator/cpu/insn.ts').Insn) => void, term = false) =>
    defineInsn(name, { owner, exec: h, term });
  mem('Xsave_mem', (c, i) => xsaveStandard(c, i, false, false));
  mem('Xsave64_mem', (c, i) => xsaveStandard(c, i, true, false));
  mem('Xsaveopt_mem', (c, i) => xsaveStandard(c, i, false, true));
  mem('Xsaveopt64_mem', (c, i) => xsaveStandard(c, i, true, true));
  mem('Xsavec_mem', (c, i) => xsaveCompacted(c, i, false, false));
  mem('Xsavec64_mem', (c, i) => xsaveCompacted(c, i, true, false));
  mem('Xsaves_mem', (c, i) => xsaveCompacted(c, i, false, true));
  mem('Xsaves64_mem', (c, i) => xsaveCompacted(c, i, true, true));
  mem('Xrstor_mem', (c, i) => xrstor(c, i, false, false));
  mem('Xrstor64_mem', (c, i) => xrstor(c, i, true, false));
  // XRSTORS ends the block: a loaded UINTR component can make a user interrupt pending.
  mem('Xrstors_mem', (c, i) => { xrstor(c, i, false, true); c.eventPending = true; c.rip += i.len; }, true);
  mem('Xrstors64_mem', (c, i) => { xrstor(c, i, true, true); c.eventPending = true; c.rip += i.len; }, true);
  mem('Fxsave_m512byte', (c, i) => fxsave(c, i, false));
  mem('Fxsave64_m512byte', (c, i) => fxsave(c, i, true));
  mem('Fxrstor_m512byte', (c, i) => fxrstor(c, i, false));
  mem('Fxrstor64_m512byte', (c, i) => fxrstor(c, i, true));
  defineInsn('Xgetbv', { owner, exec: (c) => xgetbv(c) });
  defineInsn('Xsetbv', { owner, term: true, exec: (c, i) => xsetbv(c, i) });
}

export const XSAVE_EXTENSION: IsaExtension = {
  name: owner,
  // fxsr, xsave, osxsave, xsaveopt, xsavec, xgetbv_ecx1 and xsaves are in the starting set of
  // features.ts (not re-marked here, so a test or a --mask option can withdraw them: the handlers
  // then raise #UD). xstate_* are state-only capabilities (features.ts STATE_CAPABILITIES): the
  // supervisor components PT 8, CET_U 11, CET_S 12 and Arch LBR 15 exist as XSAVES state while
  // PT/CET/LBR stay unadvertised.
  features: ['xfd', 'xstate_pt', 'xstate_cet', 'xstate_arch_lbr'],
  registerInsns,
  msrs: xsaveMsrs,
  reset(c, m) {
    resetVcpu(c, m);
    for (let i = 0; i < 31; i++) if ((registeredMask() >>> i) & 1) ROWS[i]!.reset?.(c);
  },
};
