/**
 * AVX-512 gathers and scatters (SDM vol. 2 "VPGATHERDD/VPGATHERDQ",
 * "VPGATHERQD/VPGATHERQQ", "VGATHERDPS/...", "VPSCATTERDD/...",
 * "VSCATTERDPS/..."): EVEX VSIB addressing with a write mask that is also
 * the completion mask.
 *
 * Elements are processed from lowest to highest; each completed element is
 * committed at once (destination element, or memory for scatters) and its
 * mask bit cleared, so a fault leaves the partially updated destination and
 * mask for a restart, as the SDM requires. On completion the whole mask
 * register is 0. #UD when the mask is k0, and for gathers when the
 * destination is the index register.
 */
import { defineEvexWith, evexGateOnly, type Shape } from './avx512-core.ts';
import { vecComponents } from './simd-state.ts';
import { BASE_RIP } from '../cpu/insn.ts';
import { SEG_FS } from '../cpu/state.ts';
import { ud, X86Fault, GP, SS } from '../faults.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const SZ: Record<string, number> = { d: 4, q: 8, s: 4 };

/** Linear address of element j: base + sext(index[j]) * scale + disp (+ FS/GS base), canonical-checked. */
function elemAddr(c: Cpu, i: Insn, isz: number, j: number): number {
  let a = BigInt.asIntN(64, (BigInt(i.dispHi) << 32n) | BigInt(i.dispLo));
  if (i.base >= 0 && i.base !== BASE_RIP) a += (BigInt(c.R[2 * i.base + 1]) << 32n) | BigInt(c.R[2 * i.base] >>> 0);
  const X = i.index * 64;
  const x = isz === 4 ? BigInt(c.vi32[(X >> 2) + j]) : BigInt.asIntN(64, c.v64[(X >> 3) + j]);
  a += x * BigInt(i.scale);
  a = i.asz === 32 ? BigInt.asUintN(32, a) : BigInt.asIntN(64, a);
  if (i.seg >= SEG_FS) a = BigInt.asIntN(64, a + BigInt(i.seg === SEG_FS ? c.fsBase : c.gsBase));
  const la = Number(a);
  if (la < -140737488355328 || la >= 140737488355328) throw new X86Fault(i.seg === 2 ? SS : GP, 0, `non-canonical gather/scatter address 0x${BigInt.asUintN(64, a).toString(16)}`);
  return la;
}

function clearBit(c: Cpu, k: number, j: number): void {
  if (j < 32) c.k32[2 * k] &= ~(1 << j); else c.k32[2 * k + 1] &= ~(1 << (j - 32));
}
function bit(c: Cpu, k: number, j: number): number {
  return j < 32 ? (c.k32[2 * k] >>> j) & 1 : (c.k32[2 * k + 1] >>> (j - 32)) & 1;
}

function gatherH(s: Shape, isz: number, dsz: number) {
  // element count: the smaller of the index count and the data count
  const idxW = s.name.includes('vm32z') || s.name.includes('vm64z') ? 64 : s.name.includes('vm32y') || s.name.includes('vm64y') ? 32 : 16;
  const n = Math.min(idxW / isz, s.dstW / dsz);
  return (c: Cpu, i: Insn): void => {
    evexGateOnly(c);
    if (i.k === 0) throw ud('gather with k0 as the mask');
    if (i.r0 === i.index) throw ud('gather destination is also the index register');
    const d = i.r0 * 64;
    for (let j = 0; j < n; j++) {
      if (!bit(c, i.k, j)) continue;
      const la = elemAddr(c, i, isz, j);
      c.rdBytes(la, dsz, c.v8, d + j * dsz);
      c.xmodified |= vecComponents(i.r0, 64) | (1 << 5);
      clearBit(c, i.k, j);
    }
    c.k32[2 * i.k] = 0; c.k32[2 * i.k + 1] = 0;
    c.v8.fill(0, d + n * dsz, d + 64);
    c.xmodified |= vecComponents(i.r0, 64) | (1 << 5);
  };
}
function scatterH(s: Shape, isz: number, dsz: number) {
  const idxW = s.name.includes('vm32z') || s.name.includes('vm64z') ? 64 : s.name.includes('vm32y') || s.name.includes('vm64y') ? 32 : 16;
  const n = Math.min(idxW / isz, s.w[1] / dsz);
  return (c: Cpu, i: Insn): void => {
    evexGateOnly(c);
    if (i.k === 0) throw ud('scatter with k0 as the mask');
    const S = i.r1 * 64;
    for (let j = 0; j < n; j++) {
      if (!bit(c, i.k, j)) continue;
      const la = elemAddr(c, i, isz, j);
      c.wrBytes(la, dsz, c.v8, S + j * dsz);
      clearBit(c, i.k, j);
      c.xmodified |= 1 << 5;
    }
    c.k32[2 * i.k] = 0; c.k32[2 * i.k + 1] = 0;
    c.xmodified |= 1 << 5;
  };
}
for (const ix of ['d', 'q']) {
  for (const [dt, dsz] of [['d', 4], ['q', 8], ['ps', 4], ['pd', 8]] as const) {
    const p = dt.length === 1 ? 'vp' : 'v';
    defineEvexWith(`${p}gather${ix}${dt}`, (s) => gatherH(s, SZ[ix], dsz));
    defineEvexWith(`${p}scatter${ix}${dt}`, (s) => scatterH(s, SZ[ix], dsz));
  }
}
