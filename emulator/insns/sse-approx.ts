/**
 * RCPPS/RCPSS/RSQRTPS/RSQRTSS (+VEX) and the AMD SSE4a instructions
 * EXTRQ/INSERTQ/MOVNTSS/MOVNTSD.
 *
 * RCP/RSQRT: the SDM only bounds the error (|rel err| <= 1.5 * 2^-12) and the
 * exact tables differ between vendors and generations, so the result depends on
 * the CPU model's vendor:
 * - AMD models (genoa): bit-exact as Zen silicon computes them (fpu/approx-amd.ts,
 *   tables measured with tools/approx-oracle over every mantissa).
 * - Intel models (sapphire-rapids): the exact reciprocal (square root reciprocal)
 *   rounded to nearest at 12 significant bits, which meets the bound but is NOT
 *   bit-identical to Intel silicon (Intel's table differs from AMD's, and none has
 *   been measured here, so no table is better justified than the correctly rounded value).
 * Special operands are the same for both (SDM, and measured on AMD): no MXCSR flags
 * ever, DAZ/FTZ ignored; a denormal source is read as a zero of its sign (result
 * infinity), a result too small for a normal f32 is flushed to zero of its sign;
 * NaN → quieted NaN; RSQRT of a negative non-zero value → the QNaN indefinite.
 */
import { defVec, def, formsOf } from './sse-core.ts';
import { sseGate } from './simd-state.ts';
import type { LaneFn } from './sse-core.ts';
import type { Cpu } from '../cpu/cpu.ts';
import { amdRcp32, amdRsqrt32 } from '../fpu/approx-amd.ts';

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);

const f64 = new Float64Array(1), w64 = new Uint32Array(f64.buffer);
/** Rounds a positive finite double to 12 significant bits (nearest-even) and returns f32 bits. */
function round12(x: number, sign: number): number {
  f64[0] = x;
  let hi = w64[1];
  const rem = (hi & 0x1ff) * 4294967296 + w64[0], half = 1099511627776; // 2^40
  hi &= ~0x1ff;
  if (rem > half || (rem === half && (hi & 0x200))) hi += 0x200;
  w64[1] = hi; w64[0] = 0;
  const v = f64[0];
  if (v < 1.1754943508222875e-38) return sign >>> 0; // flushed to zero
  if (v > 3.4028234663852886e38) return (sign | 0x7f7ff000) >>> 0; // largest 12-bit-significand f32
  f32[0] = v;
  return (u32[0] | sign) >>> 0;
}

export function rcpLane(a: number): number {
  const sign = a & 0x80000000, e = (a >>> 23) & 0xff, m = a & 0x7fffff;
  if (e === 0xff) return m !== 0 ? (a | 0x400000) >>> 0 : sign >>> 0; // NaN quieted, 1/inf = 0
  if (e === 0) return (sign | 0x7f800000) >>> 0; // zero or denormal → infinity
  u32[0] = a & 0x7fffffff;
  return round12(1 / f32[0], sign);
}

export function rsqrtLane(a: number): number {
  const sign = a & 0x80000000, e = (a >>> 23) & 0xff, m = a & 0x7fffff;
  if (e === 0xff && m !== 0) return (a | 0x400000) >>> 0;
  if (e === 0) return (sign | 0x7f800000) >>> 0;
  if (sign) return 0xffc00000;
  if (e === 0xff) return 0;
  u32[0] = a;
  return round12(1 / Math.sqrt(f32[0]), 0);
}

const isAmd = (c: Cpu) => c.machine.model.vendor === 'amd';
function packed(intel: (a: number) => number, amd: (a: number) => number): LaneFn {
  return (c, d, _a, b, n) => {
    const V = c.v32, f = isAmd(c) ? amd : intel;
    for (let k = 0; k < n >> 2; k++) V[d * 16 + k] = f(V[b * 16 + k]);
  };
}
function scalar(intel: (a: number) => number, amd: (a: number) => number): LaneFn {
  return (c, d, _a, b) => { c.v32[d * 16] = (isAmd(c) ? amd : intel)(c.v32[b * 16]); };
}
defVec('Rcpps', packed(rcpLane, amdRcp32));
defVec('Rsqrtps', packed(rsqrtLane, amdRsqrt32));
defVec('Rcpss', scalar(rcpLane, amdRcp32), { scalar: true, unaligned: true });
defVec('Rsqrtss', scalar(rsqrtLane, amdRsqrt32), { scalar: true, unaligned: true });

// ---- SSE4a -------------------------------------------------------------------------------------------------
const lo64 = (V: Uint32Array, r: number) => (BigInt(V[r * 16 + 1]) << 32n) | BigInt(V[r * 16]);
/** Writes bits 63:0 and zeroes bits 127:64 (AMD documents them as undefined; Zen silicon zeroes them). */
const put64 = (V: Uint32Array, r: number, v: bigint) => {
  V[r * 16] = Number(v & 0xffffffffn); V[r * 16 + 1] = Number((v >> 32n) & 0xffffffffn); V[r * 16 + 2] = 0; V[r * 16 + 3] = 0;
};
const maskOf = (len: number) => (len === 0 ? (1n << 64n) - 1n : (1n << BigInt(len)) - 1n);

/** EXTRQ: dst[63:0] = (dst[63:0] >> index) & mask(length). */
function extrq(V: Uint32Array, d: number, len: number, idx: number): void {
  put64(V, d, (lo64(V, d) >> BigInt(idx)) & maskOf(len));
}
/** INSERTQ: the low `length` bits of src go to dst[index + length - 1 : index]. */
function insertq(V: Uint32Array, d: number, src: bigint, len: number, idx: number): void {
  const m = maskOf(len) << BigInt(idx);
  put64(V, d, ((lo64(V, d) & ~m) | ((src << BigInt(idx)) & m)) & ((1n << 64n) - 1n));
}
def('Extrq_xmm_imm8_imm8', (c, i) => { sseGate(c); extrq(c.v32, i.r0, i.imm & 63, i.imm2 & 63); c.xmodified |= 2; });
def('Extrq_xmm_xmm', (c, i) => { sseGate(c); const V = c.v32, s = i.r1 * 16; extrq(V, i.r0, V[s] & 63, (V[s] >>> 8) & 63); c.xmodified |= 2; });
def('Insertq_xmm_xmm_imm8_imm8', (c, i) => { sseGate(c); insertq(c.v32, i.r0, lo64(c.v32, i.r1), i.imm & 63, i.imm2 & 63); c.xmodified |= 2; });
def('Insertq_xmm_xmm', (c, i) => {
  sseGate(c);
  const V = c.v32, s = i.r1 * 16;
  insertq(V, i.r0, lo64(V, i.r1), V[s + 2] & 63, (V[s + 2] >>> 8) & 63);
  c.xmodified |= 2;
});
for (const [name, w] of [['Movntss_m32_xmm', 4], ['Movntsd_m64_xmm', 8]] as const) {
  def(name, (c, i) => { sseGate(c); c.wrBytes(c.ea(i), w, c.v8, i.r1 * 64); });
}
export { formsOf };
