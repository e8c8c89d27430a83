/**
 * Event delivery in 64-bit mode (SDM vol. 3 §6.14): exceptions, software
 * interrupts and external interrupts through the IDT, with the stack switch
 * to TSS.RSP0 or an IST stack, #DF on a fault during delivery, and a triple
 * fault that stops the machine.
 */
import { X86Fault, GP, NP, DF, PF, HAS_ERROR_CODE, VECTOR_NAMES, TS } from '../faults.ts';
import { getRflags, setRflags } from './flags.ts';
import { TF, NT, RF, VM, IF, SEG_CS, SEG_SS } from './state.ts';
import { EventKind, type Cpu } from './cpu.ts';

const P2_32 = 4294967296;

/** Reads a qword of a system structure (implicit supervisor access). */
export function sysRead64(c: Cpu, la: number): [number, number] {
  const pa = c.translateSys(la, 0);
  if ((la & 4095) > 4088) {
    const lo = sysRead32(c, la), hi = sysRead32(c, la + 4);
    return [lo, hi];
  }
  return [c.mem.read(pa, 4), c.mem.read(pa + 4, 4)];
}

export function sysRead32(c: Cpu, la: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) v |= c.mem.read(c.translateSys(la + k, 0), 1) << (8 * k);
  return v;
}

export function sysWrite64(c: Cpu, la: number, lo: number, hi: number): void {
  for (let k = 0; k < 8; k++) {
    const pa = c.translateSys(la + k, 1);
    c.mem.write(pa, 1, ((k < 4 ? lo : hi) >>> (8 * (k & 3))) & 0xff);
  }
}

/** A GDT code/data descriptor's attributes. */
export interface Descriptor { present: boolean; dpl: number; code: boolean; long: boolean; db: boolean; system: boolean; type: number }

export function readDescriptor(c: Cpu, sel: number, vec = GP): Descriptor {
  const idx = sel & ~7;
  if (sel & 4) throw new X86Fault(vec, sel & 0xfffc, `selector 0x${sel.toString(16)} refers to the LDT, which x86emu does not support`);
  if (idx + 7 > c.gdtLimit) throw new X86Fault(vec, sel & 0xfffc, `selector 0x${sel.toString(16)} beyond the GDT limit 0x${c.gdtLimit.toString(16)}`);
  const [, hi] = sysRead64(c, c.gdtBase + idx);
  return {
    present: (hi & 0x8000) !== 0,
    dpl: (hi >> 13) & 3,
    system: (hi & 0x1000) === 0,
    code: (hi & 0x1800) === 0x1800,
    long: (hi & 0x200000) !== 0,
    db: (hi & 0x400000) !== 0,
    type: (hi >> 8) & 15,
  };
}

/** Loads CS for a transfer to 64-bit code; #GP if the target is not a 64-bit code segment. */
export function checkCode64(c: Cpu, sel: number): Descriptor {
  if ((sel & ~3) === 0) throw new X86Fault(GP, 0, 'null code-segment selector');
  const d = readDescriptor(c, sel);
  if (!d.code || d.system) throw new X86Fault(GP, sel & 0xfffc, `selector 0x${sel.toString(16)} is not a code segment`);
  if (!d.long || d.db) throw new X86Fault(GP, sel & 0xfffc, `transfer to a non-64-bit code segment (selector 0x${sel.toString(16)}): compatibility and legacy modes are not emulated`);
  if (!d.present) throw new X86Fault(NP, sel & 0xfffc, `code segment 0x${sel.toString(16)} not present`);
  return d;
}

/**
 * Delivers `vector` through the IDT. `returnRip` is pushed; `ext` marks an
 * event not caused by the program (error-code bit 0).
 */
export function deliverIdt(c: Cpu, vector: number, errorCode: number, returnRip: number, kind: EventKind, addr: number): void {
  const ext = kind === EventKind.External || kind === EventKind.Fault ? 1 : 0;
  const idtErr = vector * 8 + 2 + ext;
  if (vector * 16 + 15 > c.idtLimit) throw new X86Fault(GP, idtErr, `vector ${vector} beyond the IDT limit 0x${c.idtLimit.toString(16)}`);
  const gateLa = c.idtBase + vector * 16;
  const [lo, hi] = sysRead64(c, gateLa);
  const [hi2] = sysRead64(c, gateLa + 8);
  const type = (hi >> 8) & 15, dpl = (hi >> 13) & 3, present = (hi & 0x8000) !== 0, ist = hi & 7;
  if (type !== 0xe && type !== 0xf) throw new X86Fault(GP, idtErr, `IDT entry ${vector} is not a 64-bit interrupt or trap gate (type ${type})`);
  if (kind === EventKind.SoftInt && dpl < c.cpl) throw new X86Fault(GP, idtErr, `INT ${vector} at CPL ${c.cpl} through a gate with DPL ${dpl}`);
  if (!present) throw new X86Fault(NP, idtErr, `IDT entry ${vector} not present`);
  const sel = (lo >>> 16) & 0xffff;
  const target = hi2 * P2_32 + ((hi & 0xffff0000) >>> 0) + (lo & 0xffff);
  const cs = checkCode64(c, sel);
  const newCpl = (cs.type & 4) ? c.cpl : cs.dpl; // conforming code keeps CPL
  if (newCpl > c.cpl) throw new X86Fault(GP, sel & 0xfffc, `interrupt gate to a less privileged code segment`);
  const oldRsp = c.getRsp();
  let rsp = oldRsp;
  if (ist) rsp = tssQword(c, 0x24 + 8 * (ist - 1), `IST${ist}`);
  else if (newCpl < c.cpl) rsp = tssQword(c, 4 + 8 * newCpl, `RSP${newCpl}`);
  rsp -= rsp % 16 === 0 ? 0 : ((rsp % 16) + 16) % 16;
  const tgt = c.canon(target, false, 'interrupt handler address');
  const flags = getRflags(c);
  const frame: number[] = [c.sel[SEG_SS], oldRsp, flags, c.sel[SEG_CS], returnRip];
  if (errorCode >= 0) frame.push(errorCode);
  // Write the frame with the new privilege (all-or-nothing: probe first).
  const oldCpl = c.cpl;
  c.setCpl(newCpl);
  try {
    const top = rsp - 8 * frame.length;
    c.canon(top, true, 'stack address');
    c.probe(top, 8 * frame.length, 1);
    for (let k = 0; k < frame.length; k++) {
      const v = frame[k];
      const vh = Math.floor(v / P2_32);
      c.wr64(top + 8 * (frame.length - 1 - k), (v - vh * P2_32) | 0, vh | 0);
    }
    rsp = top;
  } catch (e) {
    c.setCpl(oldCpl);
    throw e;
  }
  if (vector === PF && kind === EventKind.Fault) c.cr2 = addr;
  if (newCpl !== oldCpl) c.sel[SEG_SS] = newCpl;
  c.sel[SEG_CS] = (sel & ~3) | newCpl;
  c.setRsp(rsp);
  let f = flags & ~(TF | NT | RF | VM);
  if (type === 0xe) f &= ~IF;
  setRflags(c, f);
  c.rip = tgt;
  c.halted = false;
}

function tssQword(c: Cpu, off: number, what: string): number {
  if (off + 7 > c.trLimit) throw new X86Fault(TS, c.trSel & 0xfffc, `TSS too small for ${what}`);
  const [lo, hi] = sysRead64(c, c.trBase + off);
  return hi * P2_32 + (lo >>> 0);
}

/** Contributory exceptions (SDM vol. 3 table 6-4). */
const CONTRIBUTORY = new Set([0, 10, 11, 12, 13]);

/**
 * Delivers an event; a fault during delivery becomes #DF, and a fault during
 * #DF delivery a triple fault (the machine stops with a register dump).
 */
export function deliverEvent(c: Cpu, vector: number, errorCode: number, returnRip: number, kind: EventKind, reason: string, addr: number): void {
  c.excCount[vector]++;
  try {
    deliverIdt(c, vector, HAS_ERROR_CODE.has(vector) && kind === EventKind.Fault ? errorCode : -1, returnRip, kind, addr);
  } catch (e) {
    if (!(e instanceof X86Fault)) throw e;
    const first = VECTOR_NAMES[vector] ?? `vector ${vector}`;
    if (vector === DF) {
      c.stop = { kind: 'triple-fault', vector: e.vector, rip: c.rip, reason: `triple fault: ${e} while delivering #DF (${reason})` };
      return;
    }
    const c1 = CONTRIBUTORY.has(vector), p1 = vector === PF;
    const c2 = CONTRIBUTORY.has(e.vector), p2 = e.vector === PF;
    if (!((c1 && c2) || (p1 && (c2 || p2)))) {
      deliverEvent(c, e.vector, e.errorCode, c.rip, EventKind.Fault, `${e.reason} (while delivering ${first})`, e.addr);
      return;
    }
    deliverEvent(c, DF, 0, c.rip, EventKind.Fault, `double fault: ${e} while delivering ${first}: ${reason}`, 0);
  }
}
