/**
 * The common prologue of XSAVE, XSAVEOPT, XSAVEC, XSAVES, XRSTOR and XRSTORS
 * (spec §5), in order:
 *   1. #UD: CPUID.1:ECX.XSAVE=0; the instruction's own CPUID bit is 0; CR4.OSXSAVE=0
 *      (LOCK and 66/F2/F3 prefixes never reach a handler: the decoder turns them into #UD)
 *   2. #NM if CR0.TS=1 (IA32_XFD_ERR untouched)
 *   3. XSAVES/XRSTORS: #GP if CPL > 0
 *   4. the memory operand: #GP / #SS when non-canonical (Cpu.ea)
 *   5. #GP if not 64-byte aligned (CR0.AM=0 in every case here; #AC is never raised)
 * Step 6 (#PF on touched bytes) is done by each instruction after its header checks.
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import type { Insn } from '../../emulator/cpu/insn.ts';
import { gp, nm, ud } from '../../emulator/faults.ts';
import { CR4_OSXSAVE } from '../../emulator/memory/mmu.ts';
import { CR0_TS } from '../../emulator/insns/simd-state.ts';
import { vcpu } from './vcpu.ts';

export const enum Need { None = 0, Xsaveopt = 1, Xsavec = 2, Xsaves = 3 }

const NEED_NAMES = ['', 'XSAVEOPT (CPUID.(0DH,1):EAX[0])', 'XSAVEC (CPUID.(0DH,1):EAX[1])', 'XSAVES (CPUID.(0DH,1):EAX[3])'];

export function prologue(c: Cpu, i: Insn, need: Need, name: string): number {
  const v = vcpu(c);
  if (!v.hasXsave) throw ud(`${name} with CPUID.1:ECX.XSAVE=0`);
  const has = need === Need.None ? true : need === Need.Xsaveopt ? v.hasXsaveopt : need === Need.Xsavec ? v.hasXsavec : v.hasXsaves;
  if (!has) throw ud(`${name}: ${NEED_NAMES[need]} is not supported`);
  if (!(c.cr4 & CR4_OSXSAVE)) throw ud(`${name} with CR4.OSXSAVE=0`);
  if (c.cr0 & CR0_TS) throw nm(`${name} with CR0.TS=1`);
  if (need === Need.Xsaves && c.cpl !== 0) throw gp(`${name} at CPL ${c.cpl}`);
  const la = c.ea(i);
  if (la & 63) throw gp(`${name}: area address 0x${BigInt.asUintN(64, BigInt(la)).toString(16)} is not 64-byte aligned`);
  return la;
}
