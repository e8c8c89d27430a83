/**
 * The instruction table: one definition per iced `Code`.
 *
 * Core instruction groups and extensions register definitions as data; the
 * decoder looks them up once per decoded instruction. Two owners claiming one
 * `Code` is a startup error, so no instruction has semantics in two places.
 */
import iced from 'iced-x86';
import type { Handler, Insn } from '../cpu/insn.ts';

export interface InsnDef {
  /** Register form (and memory form, when `mem` is absent). */
  exec: Handler;
  /** Memory form, when it differs. */
  mem?: Handler;
  /** Ends the block: the handler sets RIP itself (branches, CR/MSR writes, IF changes). */
  term?: boolean;
  /** LOCK is allowed when the destination (operand 0) is memory. */
  lockable?: boolean;
  /** Who registered it (core group or extension name). */
  owner: string;
  /**
   * For the register form only, when it cannot fault: the arithmetic flags its
   * results depend on and the ones it always writes (RFLAGS bit masks, or a
   * function of the decoded instruction; a flag it leaves alone is neither),
   * and optionally `nf`, the same form with no flag work,
   * which the decoder runs where every flag it writes is dead (flow.ts).
   * Absent: the instruction is a barrier (treated as reading every flag).
   */
  flags?: FlagInfo;
}

export interface FlagInfo {
  reads: number;
  writes: number | ((i: Insn) => number);
  nf?: Handler;
  /** The memory-operand form is covered too (LEA: it computes an address and accesses nothing). */
  memToo?: boolean;
}

/** A check run before the handler (an extension's #UD/#NM gate). */
export type Gate = Handler;

const table: (InsnDef | undefined)[] = [];
const gates: (Gate[] | undefined)[] = [];

export const CodeEnum = iced.Code as unknown as Record<string, number> & Record<number, string>;

export function codeName(code: number): string {
  return CodeEnum[code] ?? `Code#${code}`;
}

export function codeOf(name: string): number {
  const v = CodeEnum[name];
  if (typeof v !== 'number') throw new Error(`unknown iced Code name '${name}'`);
  return v;
}

/** Registers `def` for each code (numbers or iced Code names). */
export function defineInsn(codes: number | string | (number | string)[], def: InsnDef): void {
  for (const c of Array.isArray(codes) ? codes : [codes]) {
    const code = typeof c === 'string' ? codeOf(c) : c;
    const prev = table[code];
    if (prev) throw new Error(`${codeName(code)} claimed by both '${prev.owner}' and '${def.owner}'`);
    table[code] = def;
  }
}

export function addGate(codes: number | string | (number | string)[], gate: Gate): void {
  for (const c of Array.isArray(codes) ? codes : [codes]) {
    const code = typeof c === 'string' ? codeOf(c) : c;
    (gates[code] ??= []).push(gate);
  }
}

export function lookupInsn(code: number): InsnDef | undefined {
  return table[code];
}

export function lookupGates(code: number): Gate[] | undefined {
  return gates[code];
}

/** Every iced Code with a definition (for coverage listings). */
export function definedCodes(): number[] {
  const out: number[] = [];
  table.forEach((d, code) => { if (d) out.push(code); });
  return out;
}
