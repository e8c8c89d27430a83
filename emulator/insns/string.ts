/**
 * MOVS, STOS, LODS, SCAS, CMPS (all widths), INS, OUTS with REP / REPE / REPNE, and XLAT
 * (SDM vol. 2, and "REP/REPE/REPZ/REPNE/REPNZ").
 *
 * - The source is [RSI] in DS or the overriding segment; the destination is
 *   ES:[RDI] (no override; ES has base 0 in 64-bit mode). After each element
 *   RSI/RDI move by the element size, up with DF = 0, down with DF = 1.
 * - 67H: ESI/EDI/ECX are used instead; the addresses wrap at 32 bits and the
 *   register updates are 32-bit writes (bits 63:32 cleared). The decoder
 *   records the address size of string operands in `Insn.asz`.
 * - REP: with a zero count nothing happens (no access, no flag written).
 *   Each iteration is an instruction boundary for faults: the registers are
 *   updated per completed iteration, so a fault in the middle leaves RCX, RSI
 *   and RDI describing what was done, with RIP on the instruction. REPE/REPNE
 *   (CMPS, SCAS) also stop when ZF = 0 / ZF = 1 after an iteration. F2 and F3
 *   both mean REP for MOVS, STOS and LODS. At most REP_CHUNK iterations run
 *   per call: the handler then returns with RIP still on the instruction, so
 *   it resumes (and pending events are seen in between).
 * - CMPS/SCAS flags are those of CMP [RSI], ES:[RDI] / CMP rAX, ES:[RDI].
 *   The others write no flags.
 * - INS/OUTS (port DX): #GP(0) when CPL > IOPL (checked before anything, as
 *   IN/OUT in system.ts do: no I/O permission bitmap). INS checks the
 *   destination for write access before it reads the port.
 * - REP MOVS/STOS with DF = 0 copy/fill page by page straight in RAM when
 *   neither page is MMIO or holds decoded code, with the same faults and the
 *   same result as element-by-element execution (overlapping forward copies
 *   included).
 */
import { defineInsn } from './registry.ts';
import { ACC_READ, ACC_WRITE } from '../memory/mmu.ts';
import { DF, IOPL, SEG_FS, SEG_GS, SEG_SS } from '../cpu/state.ts';
import { gp } from '../faults.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const owner = 'string';
const P2_32 = 4294967296;
/** Iterations per handler call before returning to the run loop. */
export const REP_CHUNK = 1 << 20;

type Size = 1 | 2 | 4 | 8;
const RCX = 1, RSI = 6, RDI = 7;

/** True when the instruction has a 67H prefix (the decoder records it in i.asz). */
function addr32(_c: Cpu, i: Insn): boolean {
  return i.asz === 32;
}

/** Register r as an address offset: 64-bit signed, or 32-bit unsigned. */
function regAddr(c: Cpu, r: number, a32: boolean): number {
  const R = c.R;
  return a32 ? R[2 * r] >>> 0 : R[2 * r + 1] * P2_32 + (R[2 * r] >>> 0);
}
/** Adds delta (a safe integer) to register r at the address size. */
function addReg(c: Cpu, r: number, delta: number, a32: boolean): void {
  const R = c.R;
  if (a32) { R[2 * r] = ((R[2 * r] >>> 0) + delta) % P2_32 | 0; R[2 * r + 1] = 0; return; }
  const lo = (R[2 * r] >>> 0) + delta;
  const carry = Math.floor(lo / P2_32);
  R[2 * r] = (lo - carry * P2_32) | 0;
  R[2 * r + 1] = (R[2 * r + 1] + carry) | 0;
}
function countZero(c: Cpu, a32: boolean): boolean {
  return a32 ? c.R[2] === 0 : (c.R[2] | c.R[3]) === 0;
}
/** Decrements the count register; returns true while it is not zero. */
function decCount(c: Cpu, a32: boolean): boolean {
  const R = c.R;
  if (a32) { R[2] = (R[2] - 1) | 0; R[3] = 0; return R[2] !== 0; }
  if (R[2] === 0) R[3] = (R[3] - 1) | 0;
  R[2] = (R[2] - 1) | 0;
  return (R[2] | R[3]) !== 0;
}
/** Count as a number (inexact above 2^53, where only its size matters). */
function countNum(c: Cpu, a32: boolean): number {
  const R = c.R;
  return a32 ? R[2] >>> 0 : (R[3] >>> 0) * P2_32 + (R[2] >>> 0);
}

function segBase(c: Cpu, seg: number): number {
  return seg === SEG_FS ? c.fsBase : seg === SEG_GS ? c.gsBase : 0;
}
/** Linear address of the source element [RSI]. */
function srcLa(c: Cpu, i: Insn, a32: boolean): number {
  return c.canon(segBase(c, i.seg) + regAddr(c, RSI, a32), i.seg === SEG_SS, 'string source address');
}
/** Linear address of the destination element ES:[RDI]. */
function dstLa(c: Cpu, a32: boolean): number {
  return c.canon(regAddr(c, RDI, a32), false, 'string destination address');
}

function rdN(c: Cpu, la: number, s: Size): number {
  switch (s) {
    case 1: return c.rd8(la);
    case 2: return c.rd16(la);
    case 4: return c.rd32(la);
    default: return c.rd64(la);
  }
}
function wrN(c: Cpu, la: number, s: Size, lo: number, hi: number): void {
  switch (s) {
    case 1: c.wr8(la, lo); break;
    case 2: c.wr16(la, lo); break;
    case 4: c.wr32(la, lo); break;
    default: c.wr64(la, lo, hi);
  }
}
/** Writes the accumulator with the element's merge rule. */
function setAcc(c: Cpu, s: Size, lo: number, hi: number): void {
  const R = c.R;
  switch (s) {
    case 1: R[0] = (R[0] & -256) | lo; break;
    case 2: R[0] = (R[0] & -65536) | lo; break;
    case 4: R[0] = lo; R[1] = 0; break;
    default: R[0] = lo; R[1] = hi;
  }
}
function accLo(c: Cpu, s: Size): number {
  const v = c.R[0];
  return s === 1 ? v & 255 : s === 2 ? v & 0xffff : v;
}

/** Flags of CMP a, b for an element of size s (b's high half in bh for s = 8). */
function cmpFlags(c: Cpu, s: Size, al: number, ah: number, bl: number, bh: number): void {
  if (s === 8) {
    const lo = (al >>> 0) - (bl >>> 0), hs = (ah >>> 0) - (bh >>> 0) - (lo < 0 ? 1 : 0);
    const rl = lo | 0, rh = hs | 0;
    c.fa = (hs < 0 ? 1 : 0) | ((al ^ bl ^ rl) & 16) | (((ah ^ bh) & (ah ^ rh)) < 0 ? 2048 : 0);
    c.fz = rl | rh; c.fs = rh; c.fp = rl;
    return;
  }
  const sh = 32 - 8 * s;
  const d = (al >>> 0) - (bl >>> 0), r = s === 4 ? d | 0 : d & ((1 << (8 * s)) - 1);
  c.fa = (d < 0 ? 1 : 0) | ((al ^ bl ^ r) & 16) | ((((al ^ bl) & (al ^ r)) << sh) < 0 ? 2048 : 0);
  c.fz = c.fs = r << sh; c.fp = r;
}

type Op = 'Movs' | 'Stos' | 'Lods' | 'Scas' | 'Cmps' | 'Ins' | 'Outs';

/** One element of `op`; registers updated at the end (after every access succeeded). */
function step(c: Cpu, i: Insn, op: Op, s: Size, a32: boolean, delta: number): void {
  switch (op) {
    case 'Movs': {
      const lo = rdN(c, srcLa(c, i, a32), s), hi = c.mhi;
      wrN(c, dstLa(c, a32), s, lo, hi);
      addReg(c, RSI, delta, a32); addReg(c, RDI, delta, a32);
      break;
    }
    case 'Stos':
      wrN(c, dstLa(c, a32), s, c.R[0], c.R[1]);
      addReg(c, RDI, delta, a32);
      break;
    case 'Lods': {
      const lo = rdN(c, srcLa(c, i, a32), s);
      setAcc(c, s, lo, c.mhi);
      addReg(c, RSI, delta, a32);
      break;
    }
    case 'Scas': {
      const bl = rdN(c, dstLa(c, a32), s), bh = c.mhi;
      cmpFlags(c, s, accLo(c, s), c.R[1], bl, bh);
      addReg(c, RDI, delta, a32);
      break;
    }
    case 'Ins': {
      const la = dstLa(c, a32);
      c.probe(la, s, ACC_WRITE);
      wrN(c, la, s, c.machine.io.in(c.R[4] & 0xffff, s as 1 | 2 | 4), 0);
      addReg(c, RDI, delta, a32);
      break;
    }
    case 'Outs': {
      const v = rdN(c, srcLa(c, i, a32), s);
      c.machine.io.out(c.R[4] & 0xffff, s as 1 | 2 | 4, v >>> 0);
      addReg(c, RSI, delta, a32);
      break;
    }
    case 'Cmps': {
      const al = rdN(c, srcLa(c, i, a32), s), ah = c.mhi;
      const bl = rdN(c, dstLa(c, a32), s), bh = c.mhi;
      cmpFlags(c, s, al, ah, bl, bh);
      addReg(c, RSI, delta, a32); addReg(c, RDI, delta, a32);
      break;
    }
  }
}

/**
 * REP MOVS/STOS with DF = 0, page by page: returns the number of elements
 * done at once (0 when this chunk must go element by element).
 */
function fastChunk(c: Cpu, i: Insn, op: Op, s: Size, a32: boolean, limit: number): number {
  // Address checks in the order of the first element: source, then destination.
  const sla = op === 'Movs' ? srcLa(c, i, a32) : 0;
  const dla = dstLa(c, a32);
  let n = Math.min(limit, Math.floor((4096 - (dla & 4095)) / s));
  if (op === 'Movs') n = Math.min(n, Math.floor((4096 - (sla & 4095)) / s));
  if (n < 2) return 0;
  const bytes = n * s;
  const mem = c.mem;
  // Same order of checks as the first element: source read, then destination write.
  const spa = op === 'Movs' ? c.translate(sla, ACC_READ) : 0;
  const dpa = c.translate(dla, ACC_WRITE);
  if (!mem.isRam(dpa, bytes) || mem.codePage[Math.floor(dpa / 4096)]) return 0;
  const u8 = c.u8;
  if (op === 'Movs') {
    if (!mem.isRam(spa, bytes)) return 0;
    const d = dpa - spa;
    if (d > 0 && d < bytes) {
      if (d < s) return 0; // an element overlaps its own source: element by element
      for (let k = 0; k < bytes; k++) u8[dpa + k] = u8[spa + k]; // forward byte copy = element copy here
    } else {
      u8.copyWithin(dpa, spa, spa + bytes);
    }
    addReg(c, RSI, bytes, a32);
  } else {
    const R = c.R, dv = c.dv;
    switch (s) {
      case 1: u8.fill(R[0] & 255, dpa, dpa + bytes); break;
      case 2: for (let k = 0; k < bytes; k += 2) dv.setUint16(dpa + k, R[0], true); break;
      case 4: for (let k = 0; k < bytes; k += 4) dv.setInt32(dpa + k, R[0], true); break;
      default: for (let k = 0; k < bytes; k += 8) { dv.setInt32(dpa + k, R[0], true); dv.setInt32(dpa + k + 4, R[1], true); }
    }
  }
  addReg(c, RDI, bytes, a32);
  addReg(c, RCX, -n, a32);
  return n;
}

function stringInsn(op: Op, s: Size) {
  const compares = op === 'Scas' || op === 'Cmps';
  const io = op === 'Ins' || op === 'Outs';
  return (c: Cpu, i: Insn) => {
    if (io && c.cpl > ((c.flagsRest & IOPL) >> 12)) throw gp(`${op.toUpperCase()} at CPL ${c.cpl} with IOPL ${(c.flagsRest & IOPL) >> 12} (no I/O bitmap)`);
    const a32 = addr32(c, i);
    const delta = c.flagsRest & DF ? -s : s;
    if (i.rep === 0) {
      step(c, i, op, s, a32, delta);
      c.rip += i.len;
      return;
    }
    if (countZero(c, a32)) { c.rip += i.len; return; }
    let left = REP_CHUNK;
    if ((op === 'Movs' || op === 'Stos') && delta > 0) {
      // Fast path; the element loop below finishes whatever it cannot do.
      while (left > 0) {
        const cnt = countNum(c, a32);
        if (cnt === 0) { c.rip += i.len; return; }
        const done = fastChunk(c, i, op, s, a32, Math.min(cnt, left));
        if (done === 0) {
          step(c, i, op, s, a32, delta);
          left--;
          if (!decCount(c, a32)) { c.rip += i.len; return; }
        } else {
          left -= done;
        }
      }
      return;
    }
    const repe = i.rep === 1;
    while (left-- > 0) {
      step(c, i, op, s, a32, delta);
      const more = decCount(c, a32);
      if (!more || (compares && (repe ? c.fz !== 0 : c.fz === 0))) { c.rip += i.len; return; }
    }
    // Chunk used up: RIP stays on the instruction, which resumes on the next run.
  };
}

const FORMS: [Op, Size, string][] = [
  ['Movs', 1, 'Movsb_m8_m8'], ['Movs', 2, 'Movsw_m16_m16'], ['Movs', 4, 'Movsd_m32_m32'], ['Movs', 8, 'Movsq_m64_m64'],
  ['Stos', 1, 'Stosb_m8_AL'], ['Stos', 2, 'Stosw_m16_AX'], ['Stos', 4, 'Stosd_m32_EAX'], ['Stos', 8, 'Stosq_m64_RAX'],
  ['Lods', 1, 'Lodsb_AL_m8'], ['Lods', 2, 'Lodsw_AX_m16'], ['Lods', 4, 'Lodsd_EAX_m32'], ['Lods', 8, 'Lodsq_RAX_m64'],
  ['Scas', 1, 'Scasb_AL_m8'], ['Scas', 2, 'Scasw_AX_m16'], ['Scas', 4, 'Scasd_EAX_m32'], ['Scas', 8, 'Scasq_RAX_m64'],
  ['Ins', 1, 'Insb_m8_DX'], ['Ins', 2, 'Insw_m16_DX'], ['Ins', 4, 'Insd_m32_DX'],
  ['Outs', 1, 'Outsb_DX_m8'], ['Outs', 2, 'Outsw_DX_m16'], ['Outs', 4, 'Outsd_DX_m32'],
  ['Cmps', 1, 'Cmpsb_m8_m8'], ['Cmps', 2, 'Cmpsw_m16_m16'], ['Cmps', 4, 'Cmpsd_m32_m32'], ['Cmps', 8, 'Cmpsq_m64_m64'],
];
for (const [op, s, name] of FORMS) defineInsn(name, { owner, term: true, exec: stringInsn(op, s) });

// D7: XLAT: AL := [rBX + zero-extended AL] (DS or the overriding segment).
defineInsn('Xlat_m8', {
  owner,
  exec: (c, i) => {
    const R = c.R, a32 = i.asz === 32;
    let off = regAddr(c, 3, a32) + (R[0] & 255);
    if (a32) off %= P2_32;
    const la = c.canon(segBase(c, i.seg) + off, i.seg === SEG_SS, 'XLAT address');
    R[0] = (R[0] & -256) | c.rd8(la);
  },
});
