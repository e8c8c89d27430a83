/**
 * Shared plumbing of every SSE/AVX/AVX-512/x87 handler: the fault gates of
 * each instruction class, vector-register access, and XSAVE bookkeeping.
 *
 * Vector register n occupies bytes [64n, 64n+64) of `cpu.vecBuf` (XMM in
 * bytes 0-15, the AVX upper half in 16-31, ZMM_Hi256 in 32-63); slots 32-35
 * are scratch (VTMP0..3) for memory operands and results.
 *
 * XSAVE bookkeeping: a handler that writes any part of state component i
 * (even with the value it already had) must OR bit i into `cpu.xmodified`
 * (the SDM's XMODIFIED; isa-ext/xsave derives the modified optimization from
 * it). The component of a vector write follows from what it touches:
 *   XMM0-15 bytes 0-15 → bit 1 (SSE); MXCSR → bit 1;
 *   YMM0-15 bytes 16-31 → bit 2 (AVX), also when a VEX/EVEX write zeroes them;
 *   ZMM0-15 bytes 32-63 → bit 6 (ZMM_Hi256), also when zeroed;
 *   any byte of ZMM16-31 → bit 7 (Hi16_ZMM); opmask k0-7 → bit 5;
 *   x87 registers or control/status/tag/pointers → bit 0; PKRU → bit 9.
 * `writeVec` below does this for vector destinations. XINUSE is not tracked
 * per instruction: isa-ext/xsave computes it from the register values.
 */
import { ud, nm } from '../faults.ts';
import { CR4_OSFXSR, CR4_OSXSAVE } from '../memory/mmu.ts';
import { VTMP0 } from '../cpu/state.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

export const CR0_EM = 1 << 2, CR0_TS = 1 << 3;

/** Legacy SSE (NP/66/F2/F3 0F ...): SDM vol. 2 table 2-18 class. */
export function sseGate(c: Cpu): void {
  if (c.cr0 & CR0_EM) throw ud('SSE instruction with CR0.EM=1');
  if (!(c.cr4 & CR4_OSFXSR)) throw ud('SSE instruction with CR4.OSFXSR=0');
  if (c.cr0 & CR0_TS) throw nm('SSE instruction with CR0.TS=1');
}

/** VEX-encoded: XCR0 must enable SSE and AVX state, CR4.OSXSAVE=1. */
export function vexGate(c: Cpu): void {
  if (!(c.cr4 & CR4_OSXSAVE)) throw ud('VEX instruction with CR4.OSXSAVE=0');
  if ((c.xcr0 & 6) !== 6) throw ud(`VEX instruction with XCR0[2:1]=${(c.xcr0 >> 1) & 3} (SSE and AVX state not enabled)`);
  if (c.cr0 & CR0_TS) throw nm('VEX instruction with CR0.TS=1');
}

/** EVEX-encoded: XCR0 must enable SSE, AVX, opmask, ZMM_Hi256 and Hi16_ZMM. */
export function evexGate(c: Cpu): void {
  if (!(c.cr4 & CR4_OSXSAVE)) throw ud('EVEX instruction with CR4.OSXSAVE=0');
  if ((c.xcr0 & 0xe6) !== 0xe6) throw ud(`EVEX instruction with XCR0=0x${c.xcr0.toString(16)} (needs bits 7:5 and 2:1)`);
  if (c.cr0 & CR0_TS) throw nm('EVEX instruction with CR0.TS=1');
}

/** Opmask instructions (VEX-encoded K*): the AVX-512 state check of EVEX. */
export const kGate = evexGate;

/** x87 floating point: #NM when CR0.EM or CR0.TS (pending #MF is checked by the x87 unit). */
export function x87Gate(c: Cpu): void {
  if (c.cr0 & (CR0_EM | CR0_TS)) throw nm(`x87 instruction with CR0.${c.cr0 & CR0_EM ? 'EM' : 'TS'}=1`);
}

/** Byte offset of vector register / scratch slot n. */
export const vo = (n: number) => n * 64;

/**
 * Loads the memory operand of `i` (`bytes` long) into scratch slot `slot`
 * and returns that slot's number. `align` > 0 demands alignment (#GP(0)).
 */
export function loadMem(c: Cpu, i: Insn, bytes: number, slot = VTMP0, align = 0): number {
  const la = c.ea(i);
  if (align && la % align !== 0) throw gpAlign(la, align);
  c.rdBytes(la, bytes, c.v8, slot * 64);
  return slot;
}

/** Stores `bytes` from slot/register `src` to the memory operand of `i`. */
export function storeMem(c: Cpu, i: Insn, src: number, bytes: number, align = 0): void {
  const la = c.ea(i);
  if (align && la % align !== 0) throw gpAlign(la, align);
  c.wrBytes(la, bytes, c.v8, src * 64);
}

import { gp } from '../faults.ts';
function gpAlign(la: number, align: number) {
  const a = BigInt.asUintN(64, BigInt(la)).toString(16);
  return gp(`misaligned ${align}-byte operand at 0x${a}`);
}

/**
 * Writes the `bytes`-long result held in slot `src` to vector register `dst`.
 * `zeroUpper`: VEX/EVEX rule (bytes above `bytes` up to 64 become 0); legacy
 * SSE passes false (bytes 16-63 keep their value). Sets XMODIFIED bits.
 */
export function writeVec(c: Cpu, dst: number, src: number, bytes: number, zeroUpper: boolean): void {
  const v = c.v8;
  const d = dst * 64, s = src * 64;
  if (d !== s) v.copyWithin(d, s, s + bytes);
  const top = zeroUpper ? 64 : bytes;
  if (top > bytes) v.fill(0, d + bytes, d + top);
  c.xmodified |= vecComponents(dst, top);
}

/** XSAVE components touched by writing bytes [0, top) of register n. */
export function vecComponents(n: number, top: number): number {
  if (n >= 16) return 1 << 7;
  return (top > 0 ? 2 : 0) | (top > 16 ? 4 : 0) | (top > 32 ? 64 : 0);
}
