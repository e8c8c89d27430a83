/**
 * Descriptor queries (SDM vol. 2 / AMD APM vol. 3, 64-bit mode): LAR, LSL,
 * VERR, VERW. Each reads the descriptor the selector names and reports
 * success in ZF alone (the other flags are unchanged); a failed check never
 * faults and leaves the destination unchanged.
 *
 * A check fails (ZF = 0) when:
 *   - the selector is null (index 0 of the GDT), or names the LDT (x86emu keeps
 *     LDTR null: LLDT accepts only the null selector), or the descriptor lies
 *     beyond the GDT limit (all 16 bytes for a 64-bit system descriptor);
 *   - the descriptor is not a conforming code segment and CPL > DPL or RPL > DPL;
 *   - the type is not valid for the instruction. In 64-bit mode (SDM LAR/LSL
 *     type tables, IA-32e column; AMD APM LAR/LSL): LAR accepts code and data
 *     segments, LDT (2), available/busy 64-bit TSS (9, B) and 64-bit call gates
 *     (C); LSL the same without call gates; VERR readable segments (data, or
 *     code with R); VERW writable data segments; system descriptors never
 *     verify. A 16-byte system descriptor is valid only if bits 12:8 of its
 *     dword +12 are 0 (AMD APM, LAR/LSL).
 * The present bit is not checked.
 *
 * LAR returns bytes 4-7 of the descriptor masked with FF00H (16-bit operand)
 * or 00FFFF00H (32/64-bit, zero-extended; the SDM leaves bits 19:16 undefined,
 * AMD and Intel parts return the limit bits there). LSL returns the limit in
 * bytes (scaled by 4K, low 12 bits set, when G = 1): the low 16 bits for a
 * 16-bit operand, otherwise zero-extended.
 */
import { defineInsn } from './registry.ts';
import { sysRead64 } from '../cpu/events.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const OWNER = 'sysdesc';
const enum Kind { Lar, Lsl, Verr, Verw }

/** Descriptor bytes 0-3 and 4-7 of the last successful lookup. */
let dLo = 0, dHi = 0;

function selectorOf(c: Cpu, i: Insn, op: number): number {
  if (i.memOp >= 0) return c.rd16(c.ea(i));
  return c.R[2 * (op === 0 ? i.r0 : i.r1)] & 0xffff;
}

/** Runs the checks of `kind` on selector `sel`; true (and dLo/dHi set) when they pass. */
function check(c: Cpu, sel: number, kind: Kind): boolean {
  if (sel & 4) return false; // LDT: LDTR is null
  const idx = sel & 0xfff8;
  if (idx === 0 || idx + 7 > c.gdtLimit) return false;
  const la = c.gdtBase + idx;
  const [lo, hi] = sysRead64(c, la);
  const type = (hi >>> 8) & 15, s = (hi >>> 12) & 1, dpl = (hi >>> 13) & 3;
  const code = s === 1 && (type & 8) !== 0;
  const conforming = code && (type & 4) !== 0;
  if (!conforming && (c.cpl > dpl || (sel & 3) > dpl)) return false;
  if (s === 0) {
    if (kind === Kind.Verr || kind === Kind.Verw) return false;
    const ok = type === 2 || type === 9 || type === 11 || (type === 12 && kind === Kind.Lar);
    if (!ok) return false;
    if (idx + 15 > c.gdtLimit) return false;
    const [, hi2] = sysRead64(c, la + 8);
    if ((hi2 >>> 8) & 0x1f) return false;
  } else if (kind === Kind.Verr) {
    if (code && !(type & 2)) return false; // execute-only code
  } else if (kind === Kind.Verw) {
    if (code || !(type & 2)) return false; // code, or read-only data
  }
  dLo = lo;
  dHi = hi;
  return true;
}

/** Writes `v` (an unsigned 32-bit value) to GPR r with the operand size's rule. */
function writeDest(c: Cpu, r: number, v: number, osz: number): void {
  if (osz === 16) c.R[2 * r] = (c.R[2 * r] & ~0xffff) | (v & 0xffff);
  else { c.R[2 * r] = v | 0; c.R[2 * r + 1] = 0; }
}

for (const [name, osz] of [['Lar_r16_rm16', 16], ['Lar_r32_r32m16', 32], ['Lar_r64_r64m16', 64]] as const) {
  defineInsn(name, {
    owner: OWNER,
    exec: (c, i) => {
      const ok = check(c, selectorOf(c, i, 1), Kind.Lar);
      if (ok) writeDest(c, i.r0, osz === 16 ? dHi & 0xff00 : dHi & 0x00ffff00, osz);
      c.fz = ok ? 0 : 1;
    },
  });
}

for (const [name, osz] of [['Lsl_r16_rm16', 16], ['Lsl_r32_r32m16', 32], ['Lsl_r64_r64m16', 64]] as const) {
  defineInsn(name, {
    owner: OWNER,
    exec: (c, i) => {
      const ok = check(c, selectorOf(c, i, 1), Kind.Lsl);
      if (ok) {
        let limit = ((dHi & 0xf0000) | (dLo & 0xffff)) >>> 0;
        if (dHi & 0x800000) limit = limit * 4096 + 4095;
        writeDest(c, i.r0, limit, osz);
      }
      c.fz = ok ? 0 : 1;
    },
  });
}

for (const [mn, kind] of [['Verr', Kind.Verr], ['Verw', Kind.Verw]] as const) {
  defineInsn([`${mn}_rm16`, `${mn}_r32m16`, `${mn}_r64m16`], {
    owner: OWNER,
    exec: (c, i) => { c.fz = check(c, selectorOf(c, i, 0), kind) ? 0 : 1; },
  });
}
