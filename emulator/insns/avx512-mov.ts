/**
 * AVX-512 EVEX moves: VMOVDQA32/64, VMOVDQU8/16/32/64, VMOVAPS/PD, VMOVUPS/PD
 * (masked loads/stores with memory fault suppression; aligned forms #GP on a
 * misaligned operand unless the effective mask selects no element, as captured on Zen 4/5), VMOVNTDQ/NTDQA/NTPS/NTPD, VMOVSS/SD,
 * VMOVD/VMOVQ, VMOVSLDUP/SHDUP/DDUP, VMOVLPS/HPS/LPD/HPD/HLPS/LHPS,
 * VPINSRx/VPEXTRx, VEXTRACTPS, VINSERTPS (SDM vol. 2 per instruction).
 */
import { defineEvex, defineEvexWith, loadMask, mbit, writeFull, alignCheck, evexGateOnly, type VecSpec } from './avx512-core.ts';
import { vecComponents } from './simd-state.ts';
import { VTMP0, VTMP1 } from '../cpu/state.ts';
import { ud } from '../faults.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const copyLane = (esz: number): VecSpec['lane'] => (c, e, R, A) => { c.v8.copyWithin(R + e * esz, A + e * esz, A + e * esz + esz); };

for (const [mn, esz, align] of [
  ['vmovdqa32', 4, true], ['vmovdqa64', 8, true], ['vmovdqu8', 1, false], ['vmovdqu16', 2, false],
  ['vmovdqu32', 4, false], ['vmovdqu64', 8, false], ['vmovaps', 4, true], ['vmovapd', 8, true],
  ['vmovups', 4, false], ['vmovupd', 8, false],
] as const) {
  defineEvex(mn, { esz, lane: copyLane(esz), align });
}
// Non-temporal: no masking, aligned.
for (const mn of ['vmovntdq', 'vmovntps', 'vmovntpd', 'vmovntdqa']) defineEvex(mn, { esz: 8, lane: copyLane(8), align: true, noMask: true });

// ---- VMOVSS / VMOVSD
for (const [sfx, esz] of [['ss', 4], ['sd', 8]] as const) {
  const W = esz * 8;
  defineEvex(`vmov${sfx}`, { esz, scalar: true, lane: (c, _e, R, _A, B) => { c.v8.copyWithin(R, B, B + esz); } }, (n) => /_xmm_k1z_xmm_xmm/.test(n));
  // load: element 0 from memory (suppressed when masked off), bits above zeroed
  defineEvexWith(`vmov${sfx}`, () => (c, i) => {
    evexGateOnly(c);
    loadMask(c, i, 1);
    const d = i.r0 * 64, v = c.v8;
    if (mbit(0)) c.rdBytes(c.ea(i), esz, v, VTMP0 * 64);
    if (mbit(0)) v.copyWithin(d, VTMP0 * 64, VTMP0 * 64 + esz); else if (i.z) v.fill(0, d, d + esz);
    v.fill(0, d + esz, d + 64);
    c.xmodified |= vecComponents(i.r0, 64);
  }, (n) => n.endsWith(`_xmm_k1z_m${W}`));
  defineEvexWith(`vmov${sfx}`, () => (c, i) => {
    evexGateOnly(c);
    if (i.z) throw ud('EVEX {z} with a memory destination');
    loadMask(c, i, 1);
    if (mbit(0)) c.wrBytes(c.ea(i), esz, c.v8, i.r1 * 64);
  }, (n) => n.includes(`_m${W}_k1_xmm`));
}

// ---- VMOVD / VMOVQ
function gprToVec(c: Cpu, i: Insn, bytes: number): void {
  const d = i.r0 * 64;
  if (i.memOp >= 0) c.rdBytes(c.ea(i), bytes, c.v8, VTMP0 * 64);
  else { c.vi32[VTMP0 * 16] = c.R[2 * i.r1]; c.vi32[VTMP0 * 16 + 1] = c.R[2 * i.r1 + 1]; }
  c.v8.copyWithin(d, VTMP0 * 64, VTMP0 * 64 + bytes);
  c.v8.fill(0, d + bytes, d + 64);
  c.xmodified |= vecComponents(i.r0, 64);
}
function vecToGpr(c: Cpu, i: Insn, bytes: number, off = 0): void {
  const s = i.r1 * 64 + off;
  if (i.memOp >= 0) { c.wrBytes(c.ea(i), bytes, c.v8, s); return; }
  const lo = bytes >= 4 ? c.vi32[s >> 2] : bytes === 2 ? c.v16[s >> 1] : c.v8[s];
  c.R[2 * i.r0] = lo;
  c.R[2 * i.r0 + 1] = bytes === 8 ? c.vi32[(s >> 2) + 1] : 0;
}
defineEvexWith('vmovd', () => (c, i) => { evexGateOnly(c); gprToVec(c, i, 4); }, (n) => n === 'EVEX_Vmovd_xmm_rm32');
defineEvexWith('vmovd', () => (c, i) => { evexGateOnly(c); vecToGpr(c, i, 4); }, (n) => n === 'EVEX_Vmovd_rm32_xmm');
defineEvexWith('vmovq', () => (c, i) => { evexGateOnly(c); gprToVec(c, i, 8); }, (n) => n === 'EVEX_Vmovq_xmm_rm64');
defineEvexWith('vmovq', () => (c, i) => { evexGateOnly(c); vecToGpr(c, i, 8); }, (n) => n === 'EVEX_Vmovq_rm64_xmm');
defineEvexWith('vmovq', () => (c, i) => {
  evexGateOnly(c);
  if (i.memOp >= 0) c.rdBytes(c.ea(i), 8, c.v8, VTMP0 * 64); else c.v8.copyWithin(VTMP0 * 64, i.r1 * 64, i.r1 * 64 + 8);
  writeFull(c, i.r0, VTMP0, 8);
}, (n) => n === 'EVEX_Vmovq_xmm_xmmm64');
defineEvexWith('vmovq', () => (c, i) => {
  evexGateOnly(c);
  if (i.memOp === 0) { c.wrBytes(c.ea(i), 8, c.v8, i.r1 * 64); return; }
  c.v8.copyWithin(VTMP0 * 64, i.r1 * 64, i.r1 * 64 + 8);
  writeFull(c, i.r0, VTMP0, 8);
}, (n) => n === 'EVEX_Vmovq_xmmm64_xmm');

// ---- duplicating moves
defineEvex('vmovsldup', { esz: 4, lane: (c, e, R, A) => { c.v32[(R >> 2) + e] = c.v32[(A >> 2) + (e & ~1)]; }, elem: false });
defineEvex('vmovshdup', { esz: 4, lane: (c, e, R, A) => { c.v32[(R >> 2) + e] = c.v32[(A >> 2) + (e | 1)]; }, elem: false });
defineEvex('vmovddup', { esz: 8, lane: (c, e, R, A) => { c.v64[(R >> 3) + e] = c.v64[(A >> 3) + (e & ~1)]; }, elem: false });

// ---- 64-bit half moves (no masking)
function halfMove(c: Cpu, i: Insn, lo: [number, number], hi: [number, number]): void {
  const R = VTMP1 * 64;
  c.v8.copyWithin(R, lo[0] + lo[1] * 8, lo[0] + lo[1] * 8 + 8);
  c.v8.copyWithin(R + 8, hi[0] + hi[1] * 8, hi[0] + hi[1] * 8 + 8);
  writeFull(c, i.r0, VTMP1, 16);
}
for (const t of ['ps', 'pd']) {
  defineEvexWith(`vmovl${t}`, () => (c, i) => { evexGateOnly(c); c.rdBytes(c.ea(i), 8, c.v8, VTMP0 * 64); halfMove(c, i, [VTMP0 * 64, 0], [i.r1 * 64, 1]); }, (n) => n.includes('_xmm_xmm_m64'));
  defineEvexWith(`vmovh${t}`, () => (c, i) => { evexGateOnly(c); c.rdBytes(c.ea(i), 8, c.v8, VTMP0 * 64); halfMove(c, i, [i.r1 * 64, 0], [VTMP0 * 64, 0]); }, (n) => n.includes('_xmm_xmm_m64'));
  defineEvexWith(`vmovl${t}`, () => (c, i) => { evexGateOnly(c); c.wrBytes(c.ea(i), 8, c.v8, i.r1 * 64); }, (n) => n.includes('_m64_xmm'));
  defineEvexWith(`vmovh${t}`, () => (c, i) => { evexGateOnly(c); c.wrBytes(c.ea(i), 8, c.v8, i.r1 * 64 + 8); }, (n) => n.includes('_m64_xmm'));
}
defineEvexWith('vmovhlps', () => (c, i) => { evexGateOnly(c); halfMove(c, i, [i.r2 * 64, 1], [i.r1 * 64, 1]); });
defineEvexWith('vmovlhps', () => (c, i) => { evexGateOnly(c); halfMove(c, i, [i.r1 * 64, 0], [i.r2 * 64, 0]); });

// ---- VPINSRx / VPEXTRx / VEXTRACTPS / VINSERTPS
for (const [t, esz] of [['b', 1], ['w', 2], ['d', 4], ['q', 8]] as const) {
  defineEvexWith(`vpinsr${t}`, () => (c, i) => {
    evexGateOnly(c);
    const R = VTMP1 * 64;
    c.v8.copyWithin(R, i.r1 * 64, i.r1 * 64 + 16);
    const at = R + ((i.imm & (16 / esz - 1)) * esz);
    if (i.memOp >= 0) c.rdBytes(c.ea(i), esz, c.v8, VTMP0 * 64);
    else { c.vi32[VTMP0 * 16] = c.R[2 * i.r2]; c.vi32[VTMP0 * 16 + 1] = c.R[2 * i.r2 + 1]; }
    c.v8.copyWithin(at, VTMP0 * 64, VTMP0 * 64 + esz);
    writeFull(c, i.r0, VTMP1, 16);
  });
  defineEvexWith(`vpextr${t}`, () => (c, i) => {
    evexGateOnly(c);
    vecToGpr(c, i, esz, (i.imm & (16 / esz - 1)) * esz);
  });
}
defineEvexWith('vextractps', () => (c, i) => { evexGateOnly(c); vecToGpr(c, i, 4, (i.imm & 3) * 4); });
defineEvexWith('vinsertps', () => (c, i) => {
  evexGateOnly(c);
  const imm = i.imm & 255, R = VTMP1 * 64;
  let src: number;
  if (i.memOp >= 0) { c.rdBytes(c.ea(i), 4, c.v8, VTMP0 * 64); src = c.v32[VTMP0 * 16]; } else src = c.v32[i.r2 * 16 + ((imm >> 6) & 3)];
  c.v8.copyWithin(R, i.r1 * 64, i.r1 * 64 + 16);
  c.v32[(R >> 2) + ((imm >> 4) & 3)] = src;
  for (let k = 0; k < 4; k++) if ((imm >> k) & 1) c.v32[(R >> 2) + k] = 0;
  writeFull(c, i.r0, VTMP1, 16);
});
void alignCheck;
