/** One-instruction disassembly from guest memory (iced-x86), for `disas`, `x/i`, stops and traces. */
import iced from 'iced-x86';
import type { Cpu } from '../cpu/cpu.ts';
import { laToBig } from '../msr.ts';
import { tryReadLinear, readLinear, MemError } from './memory.ts';

const { Decoder, DecoderOptions, Instruction, Formatter, FormatterSyntax, FlowControl, Code } = iced;

export const SYNTAXES: Record<string, number> = {
  intel: FormatterSyntax.Intel, gas: FormatterSyntax.Gas, nasm: FormatterSyntax.Nasm, masm: FormatterSyntax.Masm,
};
function makeFormatter(syntax: number) {
  const f = new Formatter(syntax);
  f.uppercaseHex = false;
  f.hexPrefix = '0x';
  f.hexSuffix = '';
  f.branchLeadingZeros = false;
  f.showBranchSize = false;
  f.spaceAfterOperandSeparator = true;
  return f;
}
let formatter = makeFormatter(FormatterSyntax.Intel);
export function setSyntax(name: string): void {
  formatter.free();
  formatter = makeFormatter(SYNTAXES[name]);
}

export interface Disasm {
  addr: number;
  len: number;
  bytes: Uint8Array;
  text: string;
  isCall: boolean;
  /** Near branch target or RIP-relative memory address, for a symbol comment. */
  target?: number;
  invalid: boolean;
}

/** Decodes the instruction at linear `la` (bytes read without side effects); null if unreadable. */
export function disasmOne(c: Cpu, la: number): Disasm | null {
  let bytes = tryReadLinear(c, la, 15);
  if (!bytes) {
    // Maybe it ends just before an unmapped page.
    const room = 4096 - (la & 4095);
    bytes = room < 15 ? tryReadLinear(c, la, room) : null;
    if (!bytes) return null;
  }
  return disasmBytes(bytes, la);
}

export function disasmBytes(bytes: Uint8Array, la: number): Disasm {
  const dec = new Decoder(64, bytes, DecoderOptions.None);
  dec.ip = laToBig(la);
  const ins = new Instruction();
  dec.decodeOut(ins);
  try {
    const invalid = ins.code === Code.INVALID;
    const len = invalid ? 1 : ins.length;
    const fc = ins.flowControl;
    let target: number | undefined;
    if (fc === FlowControl.Call || fc === FlowControl.UnconditionalBranch || fc === FlowControl.ConditionalBranch) {
      try { target = Number(BigInt.asIntN(64, ins.nearBranchTarget)); } catch { /* indirect */ }
      if (target === 0 && ins.nearBranchTarget === 0n && ins.opCount > 0 && ins.op0Kind !== iced.OpKind.NearBranch64 && ins.op0Kind !== iced.OpKind.NearBranch32) target = undefined;
    }
    if (target === undefined && ins.isIpRelMemoryOperand) target = Number(BigInt.asIntN(64, ins.ipRelMemoryAddress));
    return {
      addr: la, len, bytes: bytes.slice(0, len),
      text: invalid ? '(bad)' : formatter.format(ins),
      isCall: fc === FlowControl.Call || fc === FlowControl.IndirectCall,
      target, invalid,
    };
  } finally {
    ins.free();
    dec.free();
  }
}

/** Reads and decodes; throws MemError when the first byte is unmapped. */
export function disasmAt(c: Cpu, la: number): Disasm {
  const d = disasmOne(c, la);
  if (!d) { readLinear(c, la, 1); throw new MemError(`cannot access memory at 0x${laToBig(la).toString(16)}`); }
  return d;
}
