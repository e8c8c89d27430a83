/**
 * Registers every core instruction group (each module registers its
 * definitions when imported) and installs the ISA extensions' instructions
 * once per process.
 */
import './alu.ts';
import './mov.ts';
import './control.ts';
import './stack.ts';
import './misc.ts';
import './system.ts';
import './hints.ts';
import './muldiv.ts';
import './shift.ts';
import './bits.ts';
import './bmi.ts';
import './cond.ts';
import './xchg.ts';
import './string.ts';
import './convert.ts';
import './x87-ldst.ts';
import './x87-arith.ts';
import './x87-compare.ts';
import './x87-control.ts';
import './x87-trans.ts';
import './sse-mov.ts';
import './sse-int.ts';
import './sse-fp.ts';
import './sse-shuf.ts';
import './sse-str.ts';
import './avx-perm.ts';
import './avx-fma.ts';
import './avx-gather.ts';
import './sse-approx.ts';
import { EXTENSIONS } from '../../isa-ext/index.ts';
import type { IsaExtension } from '../extension.ts';

export const CORE_EXTENSIONS = EXTENSIONS;
const installed = new Set<IsaExtension>();

/** Registers the instructions of `exts` (default: isa-ext's) once each; returns them. */
export function registerAllInsns(exts: IsaExtension[] = EXTENSIONS): IsaExtension[] {
  for (const e of exts) {
    if (installed.has(e)) continue;
    installed.add(e);
    e.registerInsns?.();
  }
  return exts;
}
import './kmask.ts';
import './avx512-int.ts';
import './avx512-mov.ts';
import './avx512-perm.ts';
import './avx512-fp.ts';
import './avx512-gather.ts';
import './avx512-ext.ts';
import './gfni.ts';
import './mmx.ts';
import './aes.ts';
import './sha.ts';
import './sysdesc.ts';
