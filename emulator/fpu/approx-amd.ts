/**
 * RCPPS/RCPSS/RSQRTPS/RSQRTSS (+VEX) as AMD Zen silicon computes them, bit for bit.
 *
 * Measured on an AMD EPYC (Zen 4) with tools/approx-oracle (every mantissa of
 * many exponents, every MXCSR DAZ/FTZ combination):
 * - The 12 result fraction bits (bits 22:11; bits 10:0 are always 0) are a function
 *   of the top 12 input fraction bits i (and, for RSQRT, of the exponent's parity)
 *   only. That function is a bipartite table: with i = a:b:c (4 bits each),
 *   f = BASE[a:b] - OFS[a:c] (tables in approx-tables.ts, 2 x 256 entries per function).
 * - RCP: x = 2^E * 1.m -> result 2^(-E-1) * 1.f, biased exponent 253 - e; results
 *   below the normal range (e >= 253) are +-0. RSQRT: biased exponent
 *   floor((380 - e) / 2), never out of range.
 * - Specials (MXCSR.DAZ/FTZ have no effect, no flags are raised): zero and denormal
 *   inputs -> infinity of the input's sign; +-inf -> +-0 (RCP), +0 (RSQRT +inf);
 *   NaN -> the input quieted; RSQRT of a negative non-zero, non-NaN value
 *   (including -inf) -> the default NaN 0xFFC00000; RSQRT(-0 or -denormal) = -inf.
 * Allocation-free; inputs and results are f32 bit patterns (uint32).
 */
import { RCP_BASE, RCP_OFS, RSQRT_E_BASE, RSQRT_E_OFS, RSQRT_O_BASE, RSQRT_O_OFS } from './approx-tables.ts';

const rcpBase = Int32Array.from(RCP_BASE), rcpOfs = Int32Array.from(RCP_OFS);
/** RSQRT tables of both parities: entries 0-255 even unbiased exponent (odd biased), 256-511 odd. */
const rsqBase = Int32Array.from([...RSQRT_E_BASE, ...RSQRT_O_BASE]);
const rsqOfs = Int32Array.from([...RSQRT_E_OFS, ...RSQRT_O_OFS]);

/** AMD RCPSS on one lane. */
export function amdRcp32(a: number): number {
  const sign = a & 0x80000000, e = (a >>> 23) & 0xff;
  if (e === 0xff) return (a & 0x7fffff) !== 0 ? (a | 0x400000) >>> 0 : sign >>> 0;
  if (e === 0) return (sign | 0x7f800000) >>> 0;
  const re = 253 - e;
  if (re <= 0) return sign >>> 0;
  const i = (a >>> 11) & 0xfff;
  return (sign | (re << 23) | ((rcpBase[i >>> 4] - rcpOfs[((i >>> 4) & 0xf0) | (i & 15)]) << 11)) >>> 0;
}

/** AMD RSQRTSS on one lane. */
export function amdRsqrt32(a: number): number {
  const sign = a & 0x80000000, e = (a >>> 23) & 0xff;
  if (e === 0xff && (a & 0x7fffff) !== 0) return (a | 0x400000) >>> 0;
  if (e === 0) return (sign | 0x7f800000) >>> 0;
  if (sign) return 0xffc00000;
  if (e === 0xff) return 0;
  const i = (a >>> 11) & 0xfff, p = (~e & 1) << 8; // odd unbiased exponent <=> even biased exponent
  return ((((380 - e) >> 1) << 23) | ((rsqBase[p | (i >>> 4)] - rsqOfs[p | ((i >>> 4) & 0xf0) | (i & 15)]) << 11)) >>> 0;
}
