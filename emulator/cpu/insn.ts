/**
 * The decoded-instruction record the interpreter runs.
 *
 * iced-x86 decodes each instruction once (decode.ts); its operands are copied
 * into this plain object so the hot loop never touches a wasm object or a
 * BigInt. Every field is set in the constructor with its final type so V8
 * keeps one hidden class for all records.
 */
import type { Cpu } from './cpu.ts';

export type Handler = (c: Cpu, i: Insn) => void;

/** `base` value meaning RIP-relative addressing. */
export const BASE_RIP = 16;

export class Insn {
  exec: Handler = noHandler;
  /** The dispatch switch's case that runs `exec` inline (dispatch.ts), 0 = call `exec`. */
  op = 0;
  /** The dispatch switch stores RIP before running it (dispatch.ts): false only for inlined register forms that do not end the block. */
  needRip = true;
  /** The exact handler: `exec` may be a variant that skips dead flag work (flow.ts). */
  full: Handler = noHandler;
  /** iced `Code`. */
  code = 0;
  /** Length in bytes. */
  len = 0;
  /** Offset of the instruction from the start of its block. */
  off = 0;
  /** Operand size in bits (8, 16, 32, 64) of the main operand. */
  osz = 0;
  /** Register operands in Intel order (numbers from decode.ts regNum), -1 if absent. */
  r0 = -1;
  r1 = -1;
  r2 = -1;
  r3 = -1;
  /** Index of the memory operand among the operands, or -1. */
  memOp = -1;
  /** Immediate: bits 31:0 (int32) and 63:32 (sign-extension when the immediate is narrower). */
  imm = 0;
  immHi = 0;
  /** Second immediate (ENTER's nesting level, EXTRQ ...). */
  imm2 = 0;
  /** Memory operand: base/index register numbers (-1 none, BASE_RIP), scale multiplier. */
  base = -1;
  index = -1;
  scale = 1;
  /** log2(scale). */
  scaleShift = 0;
  /** Displacement bits 31:0 as an unsigned number and bits 63:32 as int32. */
  dispLo = 0;
  dispHi = 0;
  /** Effective segment of the memory operand (SEG_*). */
  seg = 3;
  /** Address size in bits (64, or 32 with a 67H prefix). */
  asz = 64;
  /** Near-branch displacement relative to the next instruction. */
  rel = 0;
  /** REP/REPE = 1, REPNE = 2. */
  rep = 0;
  lock = false;
  /** EVEX: opmask register (0 = none), zeroing, broadcast, rounding override (-1 none), SAE. */
  k = 0;
  z = false;
  bcst = false;
  er = -1;
  sae = false;
  /** Vector length in bytes for VEX/EVEX instructions (16, 32, 64), 0 otherwise. */
  vl = 0;
  /** Encoding: 0 legacy, 1 VEX, 2 EVEX, 3 XOP... (iced EncodingKind). */
  enc = 0;
  /** Memory operand size in bytes (iced MemorySize), 0 if none. */
  msize = 0;
  /** Ends its block: the handler sets RIP itself. */
  term = false;
  /** Free slot a handler family may use for a pre-computed constant. */
  aux = 0;

  constructor() {
    // dispLo holds values up to 2^32 - 1: the Double representation from the start (see CpuState's constructor).
    this.dispLo = 0.5;
    this.dispLo = 0;
  }
}

function noHandler(): void {
  throw new Error('Insn executed before decoding completed');
}
