/**
 * XINUSE — decided for this project (spec §4, §21.9):
 *
 *   XINUSE[i] = (component i's current value differs from its initial
 *               configuration)
 *            OR (Intel models only: component i was loaded from memory by
 *               XRSTOR/XRSTORS and has not been initialized since).
 *
 * The "loaded" bits live in `cpu.xloaded`: set by XRSTOR/XRSTORS loads,
 * cleared by their initialization of the component, by VZEROUPPER/VZEROALL in
 * the core (AVX, ZMM_Hi256, and SSE for VZEROALL) and by `markInit`
 * (TILERELEASE / LDTILECFG palette 0 for AMX will call it).
 *
 * Reasons: AMD Zen 4 silicon follows register values (the genoa capture: an
 * XRSTOR of all-zero data with XSTATE_BV[i]=1 leaves XINUSE[i]=0), while the
 * SDM's Intel text says an XRSTOR load sets XINUSE[i]=1; both are
 * architecturally legal because XINUSE=1 for an initial value is always
 * allowed. Computing XINUSE from values, only when an XSAVE-family
 * instruction or XGETBV(1) needs it, keeps every SIMD/x87 handler free of
 * per-instruction tracking (they only OR bits into XMODIFIED).
 *
 * MXCSR is not part of XINUSE[1] (SDM 13.6); XGETBV(1) and XSAVEC/XSAVES
 * force bit 1 themselves while MXCSR ≠ 1F80H (§4, §8, §13).
 *
 * Starting state (RESET, a conformance case): every component holds its
 * initial value and no "loaded" bit is set, so XINUSE = 0 (spec §4).
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import { ROWS } from './table.ts';
import { vcpu } from './vcpu.ts';

/** XINUSE restricted to `mask` (bits without a row read 0). */
export function xinuse(c: Cpu, mask: number): number {
  const v = vcpu(c);
  let out = v.intel ? c.xloaded & mask : 0;
  let m = mask & ~out;
  while (m !== 0) {
    const i = 31 - Math.clz32(m);
    m &= ~(1 << i);
    const row = ROWS[i];
    if (row && !row.isInit(c)) out |= 1 << i;
  }
  return out;
}

/**
 * Hook for instructions that put components into their initial
 * configuration outside XRSTOR* (VZEROUPPER/VZEROALL: bit 2, and bit 6 where
 * they zero ZMM_Hi256; TILERELEASE / LDTILECFG palette 0: bits 17 and 18):
 * clears the Intel "loaded by XRSTOR" bits so XINUSE follows the values again.
 * The caller still ORs the bits into `cpu.xmodified` (it wrote the state).
 */
export function markInit(c: Cpu, mask: number): void {
  c.xloaded &= ~mask;
}
