/**
 * Decoding with iced-x86 into plain `Insn` records, one block at a time.
 *
 * A block ends at any instruction that changes control flow or is marked
 * `term` in the instruction table, at the end of a page, or after
 * MAX_BLOCK instructions. An instruction that straddles two pages is decoded
 * as a block of its own covering both pages.
 */
import iced from 'iced-x86';
import { Insn, BASE_RIP } from './insn.ts';
import { dispatchCase } from './dispatch.ts';
import { elideDeadFlags } from './flow.ts';
import { Block } from './block.ts';
import { REG_NUM } from './regnum.ts';
import { lookupInsn, lookupGates, codeName, type InsnDef } from '../insns/registry.ts';
import { ACC_FETCH } from '../memory/mmu.ts';
import { ud } from '../faults.ts';
import type { Cpu } from './cpu.ts';
import type { Handler } from './insn.ts';

const { Decoder, DecoderOptions, Instruction, OpKind, Register, MemorySizeExt, FlowControl, EncodingKind, Code } = iced;
const MAX_BLOCK = 32;
const tmp = new Instruction();

const OPK_REGISTER = OpKind.Register, OPK_MEMORY = OpKind.Memory;

function segNum(reg: number): number {
  return reg >= Register.ES && reg <= Register.GS ? reg - Register.ES : 3;
}

/** Decodes the instruction currently in `tmp` into a record. */
function toInsn(dec: InstanceType<typeof Decoder>, off: number): Insn {
  const i = new Insn();
  const t = tmp;
  i.code = t.code;
  i.len = t.length;
  i.off = off;
  const n = t.opCount;
  let memSeen = false;
  for (let k = 0; k < n && k < 5; k++) {
    const kind = t.opKind(k);
    if (kind === OPK_REGISTER) {
      const r = REG_NUM[t.opRegister(k)];
      if (k === 0) i.r0 = r; else if (k === 1) i.r1 = r; else if (k === 2) i.r2 = r; else if (k === 3) i.r3 = r;
    } else if (kind === OPK_MEMORY) {
      if (!memSeen) { i.memOp = k; memSeen = true; }
    } else if (kind >= OpKind.MemorySegSI && kind <= OpKind.MemoryESRDI) {
      // String operands ([RSI], ES:[RDI]): the kind carries the address size (67H → ESI/EDI).
      i.asz = kind === OpKind.MemorySegESI || kind === OpKind.MemorySegEDI || kind === OpKind.MemoryESEDI ? 32 : 64;
      // The implicit address register, so c.ea(i) gives the element address (MASKMOVDQU/MASKMOVQ use it).
      i.base = kind <= OpKind.MemorySegRSI ? 6 : 7;
      if (i.msize === 0) i.msize = MemorySizeExt.size(t.memorySize);
      i.seg = segNum(t.memorySegment);
    } else if (kind === OpKind.NearBranch64 || kind === OpKind.NearBranch32 || kind === OpKind.NearBranch16) {
      i.rel = Number(BigInt.asIntN(64, t.nearBranch64 - t.nextIP));
    } else if (kind === OpKind.Immediate8_2nd) {
      i.imm2 = t.immediate8_2nd;
    } else if (kind >= OpKind.Immediate8 && kind <= OpKind.Immediate32to64) {
      const v = BigInt.asUintN(64, t.immediate(k));
      i.imm = Number(BigInt.asIntN(32, v));
      i.immHi = Number(BigInt.asIntN(32, v >> 32n));
    }
  }
  if (memSeen) {
    const ms = t.memorySize;
    i.msize = MemorySizeExt.size(ms);
    i.seg = segNum(t.memorySegment);
    if (t.isIpRelMemoryOperand) {
      i.base = BASE_RIP;
      const d = Number(BigInt.asIntN(64, t.ipRelMemoryAddress - t.nextIP));
      i.dispLo = d >>> 0;
      i.dispHi = Math.floor(d / 4294967296) | 0;
    } else {
      const b = t.memoryBase, x = t.memoryIndex;
      i.base = b === Register.None ? -1 : REG_NUM[b];
      i.index = x === Register.None ? -1 : REG_NUM[x];
      i.scale = t.memoryIndexScale;
      i.scaleShift = 31 - Math.clz32(i.scale);
      const d = BigInt.asUintN(64, t.memoryDisplacementU64);
      i.dispLo = Number(d & 0xffffffffn);
      i.dispHi = Number(BigInt.asIntN(32, d >> 32n));
      if (b !== Register.None && b >= Register.EAX && b <= Register.R15D) i.asz = 32;
      else if (x !== Register.None && x >= Register.EAX && x <= Register.R15D && !t.isVsib) i.asz = 32;
      else if (b === Register.EIP) i.asz = 32;
    }
  }
  i.rep = t.hasRepePrefix || t.hasRepPrefix ? 1 : t.hasRepnePrefix ? 2 : 0;
  i.lock = t.hasLockPrefix;
  const enc = t.encoding;
  i.enc = enc;
  if (enc === EncodingKind.EVEX) {
    i.k = t.opMask === Register.None ? 0 : t.opMask - Register.K0;
    i.z = t.zeroingMasking;
    i.bcst = t.isBroadcast;
    i.er = t.roundingControl === 0 ? -1 : t.roundingControl - 1;
    i.sae = t.suppressAllExceptions;
  }
  i.osz = operandSize(t, n);
  if (enc === EncodingKind.VEX || enc === EncodingKind.EVEX) i.vl = vectorLength(t, n);
  return i;
}

/** Width in bits of the first sized operand (register or memory). */
function operandSize(t: InstanceType<typeof Instruction>, n: number): number {
  for (let k = 0; k < n; k++) {
    const kind = t.opKind(k);
    if (kind === OPK_REGISTER) {
      const r = t.opRegister(k);
      if (r >= Register.AL && r <= Register.R15) return r < Register.AX ? 8 : r < Register.EAX ? 16 : r < Register.RAX ? 32 : 64;
    } else if (kind === OPK_MEMORY) {
      const s = MemorySizeExt.size(t.memorySize);
      if (s) return s * 8;
    }
  }
  return 0;
}

function vectorLength(t: InstanceType<typeof Instruction>, n: number): number {
  let vl = 16;
  for (let k = 0; k < n; k++) {
    if (t.opKind(k) !== OPK_REGISTER) continue;
    const r = t.opRegister(k);
    if (r >= Register.ZMM0 && r <= Register.ZMM31) vl = Math.max(vl, 64);
    else if (r >= Register.YMM0 && r <= Register.YMM31) vl = Math.max(vl, 32);
  }
  return vl;
}

/** Binds the handler, wrapping it with the extensions' gates. */
function bind(i: Insn, def: InsnDef | undefined): void {
  if (!def) {
    const name = codeName(i.code);
    const why = i.code === Code.INVALID ? 'invalid encoding' : `x86emu has no handler for ${name}`;
    i.exec = i.full = () => { throw ud(why); };
    i.term = true;
    return;
  }
  if (i.lock && !(def.lockable && i.memOp === 0)) {
    const why = `LOCK prefix not allowed on ${codeName(i.code)}${def.lockable ? ' without a memory destination' : ''}`;
    i.exec = i.full = () => { throw ud(why); };
    i.term = true;
    return;
  }
  const h: Handler = i.memOp >= 0 && def.mem ? def.mem : def.exec;
  const gates = lookupGates(i.code);
  if (gates && gates.length) {
    i.exec = (c, ins) => { for (const g of gates) g(c, ins); h(c, ins); };
  } else {
    i.exec = h;
    i.op = dispatchCase(h);
  }
  i.term = def.term === true;
  i.full = i.exec;
}

const ENDS_BLOCK = new Set<number>([FlowControl.UnconditionalBranch, FlowControl.IndirectBranch,
  FlowControl.ConditionalBranch, FlowControl.Return, FlowControl.Call, FlowControl.IndirectCall,
  FlowControl.Interrupt, FlowControl.XbeginXabortXend, FlowControl.Exception]);

/**
 * Decodes the block starting at linear `la` (the current RIP). Translation
 * faults (#PF on fetch) propagate to the caller as for any instruction.
 */
export function decodeBlock(c: Cpu, la: number): Block {
  const pa = c.translate(la, ACC_FETCH);
  const pageOff = la & 4095;
  const avail = 4096 - pageOff;
  const bytes = new Uint8Array(avail);
  for (let k = 0; k < avail; k++) bytes[k] = c.mem.read(pa + k, 1);
  const insns: Insn[] = [];
  const defs: (InsnDef | undefined)[] = [];
  const dec = new Decoder(64, bytes, DecoderOptions.None);
  try {
    dec.ip = 0n;
    let off = 0;
    while (off < avail && insns.length < MAX_BLOCK) {
      dec.decodeOut(tmp);
      const len = tmp.length;
      if ((tmp.code === Code.INVALID && avail - off < 15) || off + len > avail) {
        if (insns.length === 0) return decodeStraddling(c, la, pa, bytes, avail);
        break;
      }
      const i = toInsn(dec, off);
      const def = lookupInsn(i.code);
      bind(i, def);
      const flow = tmp.flowControl;
      insns.push(i);
      defs.push(def);
      off += len;
      if (i.term || ENDS_BLOCK.has(flow)) { i.term = i.term || flow !== FlowControl.Next; break; }
    }
    const last = insns[insns.length - 1];
    elideDeadFlags(insns, defs);
    for (const i of insns) i.needRip = i.op === 0 || i.memOp >= 0 || i.term;
    return new Block(insns, last.off + last.len, pa, -1);
  } finally {
    dec.free();
  }
}

/** One instruction whose bytes continue on the next page. */
function decodeStraddling(c: Cpu, la: number, pa: number, first: Uint8Array, avail: number): Block {
  const next = la + avail;
  const pa2 = c.translate(next, ACC_FETCH);
  const bytes = new Uint8Array(avail + 15);
  bytes.set(first);
  for (let k = 0; k < 15; k++) bytes[avail + k] = c.mem.read(pa2 + k, 1);
  const i = decodeOne(bytes);
  // A block of its own; only control flow sets RIP itself (the loop advances past the rest).
  i.term = i.term || tmp.flowControl !== FlowControl.Next;
  return new Block([i], i.len, pa, Math.floor(pa2 / 4096));
}

/** Decodes the first instruction of `bytes` (`tmp` keeps iced's view of it), for straddling blocks and tools (disassembly, the REPL). */
export function decodeOne(bytes: Uint8Array): Insn {
  const dec = new Decoder(64, bytes, DecoderOptions.None);
  try {
    dec.ip = 0n;
    dec.decodeOut(tmp);
    const i = toInsn(dec, 0);
    bind(i, lookupInsn(i.code));
    return i;
  } finally {
    dec.free();
  }
}
