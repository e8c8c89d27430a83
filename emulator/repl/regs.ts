/**
 * Registers by name, for expressions, `set reg`, completion and the gdb stub.
 * Values are unsigned BigInts of the register's width.
 */
import type { Cpu } from '../cpu/cpu.ts';
import { GPR_NAMES } from '../cpu/state.ts';
import { getRflags, setRflags } from '../cpu/flags.ts';
import { laToBig, bigToLa } from '../msr.ts';
import { leToBig, bigToLe } from './memory.ts';

export interface RegAccess {
  bits: number;
  get(c: Cpu): bigint;
  set(c: Cpu, v: bigint): void;
}

const SEGS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
const GPR32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const GPR16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
const GPR8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];

export const REGISTERS = new Map<string, RegAccess>();

function def(name: string, bits: number, get: (c: Cpu) => bigint, set: (c: Cpu, v: bigint) => void): void {
  REGISTERS.set(name, { bits, get, set: (c, v) => set(c, BigInt.asUintN(bits, v)) });
}

GPR_NAMES.forEach((n, k) => {
  def(n, 64, (c) => c.R64[k], (c, v) => { c.R64[k] = v; });
  def(GPR32[k], 32, (c) => c.R64[k] & 0xffffffffn, (c, v) => { c.R64[k] = v; });
  def(GPR16[k], 16, (c) => c.R64[k] & 0xffffn, (c, v) => { c.R64[k] = (c.R64[k] & ~0xffffn) | v; });
  def(GPR8[k], 8, (c) => c.R64[k] & 0xffn, (c, v) => { c.R64[k] = (c.R64[k] & ~0xffn) | v; });
});
def('rip', 64, (c) => laToBig(c.rip), (c, v) => { c.rip = bigToLa(v); });
def('pc', 64, (c) => laToBig(c.rip), (c, v) => { c.rip = bigToLa(v); });
def('rflags', 64, (c) => BigInt(getRflags(c)), (c, v) => setRflags(c, Number(v & 0xffffffffn)));
def('eflags', 32, (c) => BigInt(getRflags(c)), (c, v) => setRflags(c, Number(v)));
SEGS.forEach((n, k) => def(n, 16, (c) => BigInt(c.sel[k]), (c, v) => { c.sel[k] = Number(v); }));
def('fs_base', 64, (c) => laToBig(c.fsBase), (c, v) => { c.fsBase = bigToLa(v); });
def('gs_base', 64, (c) => laToBig(c.gsBase), (c, v) => { c.gsBase = bigToLa(v); });
def('kernel_gs_base', 64, (c) => laToBig(c.kernelGsBase), (c, v) => { c.kernelGsBase = bigToLa(v); });
def('cr0', 32, (c) => BigInt(c.cr0 >>> 0), (c, v) => { c.cr0 = Number(v) | 0; c.flushTlb(); });
def('cr2', 64, (c) => laToBig(c.cr2), (c, v) => { c.cr2 = bigToLa(v); });
def('cr3', 64, (c) => BigInt(c.cr3), (c, v) => { c.cr3 = Number(v); c.flushTlb(); });
def('cr4', 32, (c) => BigInt(c.cr4 >>> 0), (c, v) => { c.cr4 = Number(v) | 0; c.flushTlb(); });
def('cr8', 4, (c) => BigInt(c.cr8), (c, v) => { c.cr8 = Number(v); });
def('efer', 64, (c) => BigInt(c.efer), (c, v) => { c.efer = Number(v); c.flushTlb(); });
def('xcr0', 64, (c) => BigInt(c.xcr0 >>> 0), (c, v) => { c.xcr0 = Number(v & 0xffffffffn); });
def('mxcsr', 32, (c) => BigInt(c.mxcsr >>> 0), (c, v) => { c.mxcsr = Number(v); });
def('pkru', 32, (c) => BigInt(c.pkru >>> 0), (c, v) => { if ((c.pkru >>> 0) !== Number(v)) c.flushTlb(); c.pkru = Number(v); });
def('fcw', 16, (c) => BigInt(c.fcw & 0xffff), (c, v) => { c.fcw = Number(v); });
def('fsw', 16, (c) => BigInt(((c.fsw & ~0x3800) | ((c.ftop & 7) << 11)) & 0xffff), (c, v) => { c.fsw = Number(v) & ~0x3800; c.ftop = (Number(v) >> 11) & 7; });
def('ftw', 16, (c) => BigInt(c.ftw & 0xffff), (c, v) => { c.ftw = Number(v); });
def('cpl', 2, (c) => BigInt(c.cpl), (c, v) => c.setCpl(Number(v)));
for (let k = 0; k < 8; k++) {
  def(`k${k}`, 64, (c) => c.k64[k], (c, v) => { c.k64[k] = v; });
  def(`dr${k}`, 64, (c) => BigInt(c.dr[k]), (c, v) => { c.dr[k] = Number(v); });
  // ST(i) in stack order: physical register (TOP + i) mod 8, 80 bits.
  def(`st${k}`, 80, (c) => leToBig(c.st, 10 * ((c.ftop + k) & 7), 10), (c, v) => { c.st.set(bigToLe(v, 10), 10 * ((c.ftop + k) & 7)); });
}
for (let n = 0; n < 32; n++) {
  for (const [p, bytes] of [['xmm', 16], ['ymm', 32], ['zmm', 64]] as const) {
    def(`${p}${n}`, bytes * 8, (c) => leToBig(c.v8, 64 * n, bytes), (c, v) => { c.v8.set(bigToLe(v, bytes), 64 * n); });
  }
}

/** Register names for completion (64-bit GPRs, system and vector registers). */
export const REGISTER_NAMES = [...REGISTERS.keys()];

export function regAccess(name: string): RegAccess | undefined {
  return REGISTERS.get(name.toLowerCase().replace(/^\$/, ''));
}
