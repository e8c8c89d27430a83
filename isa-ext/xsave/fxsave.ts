/**
 * FXSAVE / FXSAVE64 and FXRSTOR / FXRSTOR64 (spec §12).
 *
 * Faults, in order: #UD if CPUID.1:EDX.FXSR=0 or CR0.EM=1 (SDM; LOCK is #UD
 * from the decoder); #NM if CR0.TS=1; #GP/#SS for a non-canonical address;
 * #GP if not 16-byte aligned; #PF on any of the 512 operand bytes (the whole
 * m512byte operand is checked before anything is written or loaded, as
 * observed on silicon); FXRSTOR: #GP if the MXCSR image sets bits outside
 * MXCSR_MASK.
 *
 * With CR4.OSFXSR=0 MXCSR and XMM0-15 are neither saved nor restored (the
 * SDM leaves it implementation-dependent). Bytes 416-511 are never written.
 * FXRSTOR writes components 0 and 1, so it sets XMODIFIED[1:0]; it is not an
 * XRSTOR, so it leaves XRSTOR_INFO and the Intel "loaded" bits alone.
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import type { Insn } from '../../emulator/cpu/insn.ts';
import { gp, nm, ud } from '../../emulator/faults.ts';
import { ACC_WRITE, CR4_OSFXSR } from '../../emulator/memory/mmu.ts';
import { CR0_EM, CR0_TS } from '../../emulator/insns/simd-state.ts';
import { MXCSR_OFF, OPT_REXW, SSE_OFF } from './table.ts';
import { loadX87, loadXmm, saveMxcsr, SSE_ROW, X87_ROW } from './legacy.ts';
import { STAGE, directPa, ramBuf, readPa, writeRow } from './area.ts';
import { vcpu } from './vcpu.ts';

function fxPrologue(c: Cpu, i: Insn, name: string): number {
  const v = vcpu(c);
  if (!v.hasFxsr) throw ud(`${name} with CPUID.1:EDX.FXSR=0`);
  if (c.cr0 & CR0_EM) throw ud(`${name} with CR0.EM=1`);
  if (c.cr0 & CR0_TS) throw nm(`${name} with CR0.TS=1`);
  const la = c.ea(i);
  if (la & 15) throw gp(`${name}: operand address 0x${BigInt.asUintN(64, BigInt(la)).toString(16)} is not 16-byte aligned`);
  return la;
}

export function fxsave(c: Cpu, i: Insn, rexw: boolean): void {
  const name = rexw ? 'FXSAVE64' : 'FXSAVE';
  const la = fxPrologue(c, i, name);
  c.probe(la, 512, ACC_WRITE);
  const ram = ramBuf(c, vcpu(c));
  writeRow(c, ram, X87_ROW, la, directPa(c, la, 160, ACC_WRITE), 160, rexw ? OPT_REXW : 0);
  if (c.cr4 & CR4_OSFXSR) {
    const pa = directPa(c, la + MXCSR_OFF, 8, ACC_WRITE);
    if (pa >= 0) saveMxcsr(c, ram, pa);
    else { c.wr32(la + MXCSR_OFF, c.mxcsr); c.wr32(la + MXCSR_OFF + 4, vcpu(c).mxcsrMask); }
    writeRow(c, ram, SSE_ROW, la + SSE_OFF, directPa(c, la + SSE_OFF, 256, ACC_WRITE), 256, 0);
  }
}

export function fxrstor(c: Cpu, i: Insn, rexw: boolean): void {
  const name = rexw ? 'FXRSTOR64' : 'FXRSTOR';
  const la = fxPrologue(c, i, name);
  c.probe(la, 512, 0);
  const sse = (c.cr4 & CR4_OSFXSR) !== 0;
  let mx = 0;
  if (sse) {
    mx = c.rd32(la + MXCSR_OFF) >>> 0;
    const bad = (mx & ~vcpu(c).mxcsrMask) >>> 0;
    if (bad) throw gp(`${name}: MXCSR image 0x${mx.toString(16)} sets reserved bits 0x${bad.toString(16)}`);
  }
  const ram = ramBuf(c, vcpu(c));
  let pa = readPa(c, la, 160);
  loadX87(c, pa >= 0 ? ram : STAGE, pa >= 0 ? pa : 0, rexw ? OPT_REXW : 0);
  if (sse) {
    c.mxcsr = mx;
    pa = readPa(c, la + SSE_OFF, 256);
    loadXmm(c, pa >= 0 ? ram : STAGE, pa >= 0 ? pa : 0);
  }
  c.xmodified |= sse ? 3 : 1;
}
