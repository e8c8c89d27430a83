/** The register dump printed on a triple fault, --max-insns, and by the REPL. */
import { GPR_NAMES } from '../cpu/state.ts';
import { getRflags } from '../cpu/flags.ts';
import { laToBig } from '../msr.ts';
import type { Cpu } from '../cpu/cpu.ts';

const h = (v: bigint, w = 16) => v.toString(16).padStart(w, '0');

export function registerDump(c: Cpu): string {
  const lines: string[] = [`vCPU ${c.id}: rip=${h(laToBig(c.rip))} rflags=${h(BigInt(getRflags(c)), 8)} cpl=${c.cpl} icount=${c.icount}`];
  for (let r = 0; r < 16; r += 4) {
    lines.push(GPR_NAMES.slice(r, r + 4).map((n, k) => `${n.padStart(3)}=${h(c.R64[r + k])}`).join(' '));
  }
  lines.push(`cr0=${h(BigInt(c.cr0 >>> 0), 8)} cr2=${h(laToBig(c.cr2))} cr3=${h(BigInt(c.cr3))} cr4=${h(BigInt(c.cr4 >>> 0), 8)} efer=${h(BigInt(c.efer), 4)}`);
  lines.push(`cs=${h(BigInt(c.sel[1]), 4)} ss=${h(BigInt(c.sel[2]), 4)} fs.base=${h(laToBig(c.fsBase))} gs.base=${h(laToBig(c.gsBase))} xcr0=${h(BigInt(c.xcr0 >>> 0), 8)}`);
  if (c.lastFault) lines.push(`last fault: ${c.lastFault}`);
  return lines.join('\n');
}
