/**
 * The interpreter's inner loop over one block, with the hottest handlers
 * inlined as the cases of one `switch`.
 *
 * A call through `ins.exec` is megamorphic: V8 cannot inline it, and each
 * call reloads what the previous handler had in registers. The integer
 * instructions that dominate real code are generated from source templates
 * (emulator/insns/gen.ts), so this module pastes the very same template
 * bodies into one generated function as `case`s; every other instruction
 * takes `case 0`, the handler call. The semantics stay in one place — the
 * template — and single-stepping, traces and the REPL keep calling the
 * handler itself (cpu.ts), which runs the same source.
 *
 * RIP is stored only for instructions that may read it (Insn.needRip): an
 * inlined register-form instruction that does not end the block never does,
 * and if it faults the catch below stores its RIP before the fault is
 * delivered. The caller sets RIP after the block.
 *
 * The function stays well under V8's bytecode-size limit for optimisation
 * (about 60 KiB, ../shared/design/PERFORMANCE.md): MAX_SOURCE bounds the
 * inlined source, and test/core/dispatch.test.ts checks the bytecode length
 * V8 reports for it.
 */
import { lookupInsn, CodeEnum } from '../insns/registry.ts';
import { handlerSource } from '../insns/gen.ts';
import { ud } from '../faults.ts';
import type { Handler, Insn } from './insn.ts';
import type { Cpu } from './cpu.ts';

/** Runs insns[0..lim) of a block at linear address `base`; returns how many ran (fewer if a write hit cached code). */
export type ExecRange = (c: Cpu, insns: Insn[], base: number, lim: number) => number;

/**
 * The iced Codes whose handlers are inlined, most important first (the size
 * bound drops the tail): what compilers emit most, in 32- and 64-bit widths.
 */
const HOT: RegExp[] = [
  /^(Add|Or|And|Sub|Xor|Cmp|Test)_(r|rm)(32|64)_(r|rm)(32|64)$/,
  /^(Add|Or|And|Sub|Xor|Cmp|Test)_(rm32|rm64)_imm(8|32)$/,
  /^(Inc|Dec)_rm(32|64)$/,
  /^Mov_(r|rm)(32|64)_(r|rm|imm)(32|64)$/,
  /^(Push|Pop)_r64$/,
  /^(Call_rel32_64|Retnq|Jmp_rel(8|32)_64)$/,
  /^J[a-z]+_rel(8|32)_64$/,
  /^Lea_r(32|64)_m$/,
  /^(Movzx_r32_rm8|Movzx_r32_rm16|Movsxd_r64_rm32)$/,
  /^(Shl|Shr|Sar)_rm(32|64)_(1|imm8)$/,
  /^(Add|Sub|And|Cmp|Test)_(EAX|RAX)_imm32$/,
  /^(Adc|Sbb)_(r|rm)(32|64)_(r|rm)(32|64)$/,
  /^(Neg|Not)_rm(32|64)$/,
  /^Mov_r64_imm64$/,
  /^(Sete|Setne|Setb|Setae|Setbe|Seta|Setl|Setge|Setle|Setg)_rm8$/,
  /^Cmov[a-z]+_r(32|64)_rm(32|64)$/,
];

/** Upper bound on the inlined template source (characters), keeping the function's bytecode under V8's limit. */
const MAX_SOURCE = 48_000;

let cases: Map<Handler, number> | null = null;
let execRange: ExecRange | null = null;
let sourceChars = 0;

/** The switch case that runs handler `h` inline, or 0 (call the handler). */
export function dispatchCase(h: Handler): number {
  if (!cases) build();
  return cases!.get(h) ?? 0;
}

export function getExecRange(): ExecRange {
  if (!execRange) build();
  return execRange!;
}

/** Number of inlined handlers and their source size (for tests and tools/dispatch-info.ts). */
export function dispatchInfo(): { cases: number; sourceChars: number } {
  if (!cases) build();
  return { cases: cases!.size, sourceChars };
}

function build(): void {
  const env: Record<string, unknown> = { ud };
  const bodies: string[] = [];
  const map = new Map<Handler, number>();
  const take = (h: Handler | undefined): void => {
    if (!h || map.has(h)) return;
    const src = handlerSource(h);
    if (!src) return;
    const n = bodies.length + 1;
    // A template may end early with `return;`: inside the switch that leaves the case's labelled block.
    const body = src.body.replace(/\breturn\s*;/g, `break L${n};`);
    if (/\breturn\b|\bthis\b|\barguments\b/.test(body.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''"))) return;
    for (const [k, v] of Object.entries(src.env)) if (k in env && env[k] !== v) return;
    if (sourceChars + body.length > MAX_SOURCE) return;
    Object.assign(env, src.env);
    sourceChars += body.length;
    bodies.push(body);
    map.set(h, n);
  };
  // X86EMU_DISPATCH=0 turns the inlining off (every instruction calls its handler): for bisecting and A/B timing.
  const enabled = process.env.X86EMU_DISPATCH !== '0';
  const names = Object.keys(CodeEnum).filter((n) => isNaN(Number(n)));
  for (const re of enabled ? HOT : []) {
    for (const name of names) {
      if (!re.test(name)) continue;
      const def = lookupInsn(CodeEnum[name]);
      take(def?.exec);
      take(def?.flags?.nf);
      take(def?.mem);
    }
  }
  const keys = Object.keys(env);
  const src = `"use strict"; // x86emu dispatch
return function execRange(c, insns, base, lim) {
  const R = c.R;
  let k = 0;
  try {
    for (; k < lim; k++) {
      const i = insns[k];
      if (i.needRip) c.rip = base + i.off;
      switch (i.op) {
        case 0: i.exec(c, i); break;
${bodies.map((b, j) => `        case ${j + 1}: L${j + 1}: {\n${b}\n        } break;`).join('\n')}
      }
      if (c.smc) break;
    }
  } catch (e) {
    c.rip = base + insns[k].off;
    c.execK = k;
    throw e;
  }
  return k;
};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  execRange = new Function(...keys, src)(...keys.map((k) => env[k])) as ExecRange;
  cases = map;
}
