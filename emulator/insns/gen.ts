/**
 * Handler generation from semantic templates.
 *
 * The hot integer instructions are defined once as small source templates
 * over named operands (`a`, `b` → `r` for 8/16/32-bit widths; `al, ah, bl, bh`
 * → `rl, rh` for 64-bit). This file wraps a template with the operand fetch
 * and store code of each form and compiles it with `new Function`, so every
 * (operation, width, form) gets its own optimisable function. The block
 * compiler will inline the same templates, which keeps one definition of
 * each instruction's semantics for both tiers.
 */
import type { Handler } from '../cpu/insn.ts';
import { ud } from '../faults.ts';

export type Width = 8 | 16 | 32 | 64;
export const WIDTHS: Width[] = [8, 16, 32, 64];

/** Constants a template may use: M mask, SH shift to bit 31, UMAX unsigned max. */
export function widthConsts(w: Width): string {
  if (w === 64) return '';
  return `const M = ${w === 32 ? -1 : (1 << w) - 1}, SH = ${32 - w}, UMAX = ${2 ** w - 1};`;
}

/** Source reading register operand `field` (i.r0 ...) of width w into `v` (or v+'l'/v+'h'). */
export function readReg(w: Width, field: string, v: string): string {
  switch (w) {
    case 8: return `const ${v} = ${field} < 16 ? R[2 * ${field}] & 255 : (R[2 * ${field} - 32] >> 8) & 255;`;
    case 16: return `const ${v} = R[2 * ${field}] & 65535;`;
    case 32: return `const ${v} = R[2 * ${field}];`;
    case 64: return `const ${v}l = R[2 * ${field}], ${v}h = R[2 * ${field} + 1];`;
  }
}

/** Source writing `v` (or vl/vh) to register operand `field` with the width's merge rule. */
export function writeReg(w: Width, field: string, v: string): string {
  switch (w) {
    case 8: return `if (${field} < 16) R[2 * ${field}] = (R[2 * ${field}] & -256) | (${v} & 255); else R[2 * ${field} - 32] = (R[2 * ${field} - 32] & -65281) | ((${v} & 255) << 8);`;
    case 16: return `R[2 * ${field}] = (R[2 * ${field}] & -65536) | (${v} & 65535);`;
    case 32: return `R[2 * ${field}] = ${v}; R[2 * ${field} + 1] = 0;`;
    case 64: return `R[2 * ${field}] = ${v}l; R[2 * ${field} + 1] = ${v}h;`;
  }
}

/** Source computing the memory operand's address as int32 halves: `la` (bits 31:0) and `lah` (bits 63:32). */
export const EA = 'const la = c.eaLo(i), lah = c.eah;';

/** Source reading memory at (la, lah) of width w; `rmw` checks write access first. */
export function readMem(w: Width, v: string, rmw: boolean): string {
  const p = rmw ? 'rdw' : 'rd';
  if (w === 64) return `const ${v}l = c.${p}64e(i, la, lah), ${v}h = c.mhi;`;
  return `const ${v} = c.${p}${w}e(i, la, lah);`;
}

export function writeMem(w: Width, v: string): string {
  if (w === 64) return `c.wr64e(i, la, lah, ${v}l, ${v}h);`;
  return `c.wr${w}e(i, la, lah, ${v});`;
}

/** Source for the immediate operand of width w. */
export function readImm(w: Width, v: string): string {
  switch (w) {
    case 8: return `const ${v} = i.imm & 255;`;
    case 16: return `const ${v} = i.imm & 65535;`;
    case 32: return `const ${v} = i.imm;`;
    case 64: return `const ${v}l = i.imm, ${v}h = i.immHi;`;
  }
}

/** The body and environment each compiled handler came from (the dispatch switch inlines them: emulator/cpu/dispatch.ts). */
export interface HandlerSource { body: string; env: Record<string, unknown> }
const sources = new WeakMap<Handler, HandlerSource>();
export function handlerSource(h: Handler): HandlerSource | undefined {
  return sources.get(h);
}

let serial = 0;
/**
 * Compiles a handler body. `name` becomes the function's name (stack traces,
 * profiles); a unique token keeps V8 from sharing code between handlers.
 */
export function compile(name: string, body: string, env: Record<string, unknown> = {}): Handler {
  const keys = Object.keys(env);
  const src = `"use strict"; // ${name} #${serial++}\nreturn function ${name.replace(/[^A-Za-z0-9_]/g, '_')}(c, i) {\n const R = c.R;\n${body}\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(...keys, 'ud', src);
  const h = factory(...keys.map((k) => env[k]), ud) as Handler;
  sources.set(h, { body, env });
  return h;
}

/**
 * A template without its flag work: drops the statements that assign the lazy
 * flag words (`c.fa = …;`, `c.fz = c.fs = …;`). What only fed them becomes dead
 * code for V8. For the decoder's dead-flag elision (emulator/cpu/flow.ts).
 */
export function noFlags(body: string): string {
  const out = body.replace(/c\.f[azsp] = [^;]*;/g, '');
  if (/c\.f[azsp] =/.test(out)) throw new Error(`noFlags: a flag assignment survived in: ${body}`);
  return out;
}

/** Source of the LOCK check for register destinations. */
export const NO_LOCK = ""; // the decoder rejects LOCK on non-lockable forms (InsnDef.lockable)
