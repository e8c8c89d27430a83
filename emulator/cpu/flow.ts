/**
 * Dead-flag elision, decided once per decoded block.
 *
 * Most arithmetic results' flags are overwritten before anything reads them
 * (`add; xor; …; cmp; jne`). Walking a block backwards, an instruction whose
 * register form declares its flag use (InsnDef.flags) and has a flag-free
 * variant runs that variant when every flag it writes is dead: overwritten
 * later in the block before any read.
 *
 * What keeps this exact:
 * - Every flag is live at the block's end, and before any instruction without
 *   a declaration, with a memory operand, or with gates or a LOCK wrapper:
 *   those may fault, and a fault (or a trap, or an interrupt taken at a block
 *   boundary) must see exact RFLAGS.
 * - The variant is only used when the whole block runs. The interpreter loop
 *   runs `Insn.full` (the exact handler) when it stops a block early (budget,
 *   interrupt shadow) and when it traces or single-steps (cpu.ts).
 * - A write that hits cached code ends the block after a memory instruction,
 *   which is a barrier: the flags before it were computed.
 */
import type { Insn } from './insn.ts';
import type { InsnDef } from '../insns/registry.ts';
import { dispatchCase } from './dispatch.ts';
import { ARITH_FLAGS as ALL } from './state.ts';

export function elideDeadFlags(insns: Insn[], defs: (InsnDef | undefined)[]): void {
  let live = ALL;
  for (let k = insns.length - 1; k >= 0; k--) {
    const i = insns[k], d = defs[k], f = d?.flags;
    if (!f || (i.memOp >= 0 && !f.memToo) || i.exec !== d!.exec) { live = ALL; continue; }
    const w = typeof f.writes === 'function' ? f.writes(i) : f.writes;
    if (f.nf && w !== 0 && (live & w) === 0) {
      // The variant writes no flag, and still reads what its result depends on (ADC/SBB: CF).
      i.exec = f.nf;
      i.op = dispatchCase(f.nf);
      live |= f.reads;
      continue;
    }
    live = (live & ~w) | f.reads;
  }
}
