/**
 * GFNI: GF2P8MULB, GF2P8AFFINEQB, GF2P8AFFINEINVQB in their legacy SSE
 * (66 0F 38/3A), VEX.128/256 and EVEX.128/256/512 forms (SDM vol. 2).
 *
 * Arithmetic is in GF(2^8) with the reduction polynomial x^8 + x^4 + x^3 + x + 1
 * (0x11B, the AES field). The affine transform of byte x by the 8x8 bit matrix
 * held in a qword A, plus the vector b = imm8:
 *   result.bit[i] = parity(A.byte[7-i] AND x) XOR imm8.bit[i]
 * GF2P8AFFINEINVQB applies it to the multiplicative inverse of x (0 maps to 0).
 * Each byte of the first source is transformed by the matrix in the same qword
 * of the second source (which may be an EVEX {1to*} qword broadcast).
 */
import { defineEvex } from './avx512-core.ts';
import { defVec } from './sse-core.ts';
import { markImplemented } from '../models/features.ts';
import type { Cpu } from '../cpu/cpu.ts';

/** Product in GF(2^8) mod 0x11B (shift-and-add, reducing at each doubling). */
export function gfMul(a: number, b: number): number {
  let r = 0;
  for (let k = 0; k < 8; k++) {
    if (b & 1) r ^= a;
    b >>= 1;
    a = (a << 1) ^ (a & 0x80 ? 0x11b : 0);
  }
  return r & 255;
}
/** MUL[a*256+b] = a·b; INV[x] = x^254 (x^-1 for x ≠ 0, and 0 for 0); PAR[x] = parity of x. */
const MUL = new Uint8Array(65536), INV = new Uint8Array(256), PAR = new Uint8Array(256);
for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) MUL[a * 256 + b] = gfMul(a, b);
for (let x = 0; x < 256; x++) {
  let p = 1, y = x;
  for (let n = 254; n; n >>= 1) { if (n & 1) p = MUL[p * 256 + y]; y = MUL[y * 256 + y]; }
  INV[x] = x === 0 ? 0 : p;
  PAR[x] = popParity(x);
}
function popParity(x: number): number {
  let p = 0;
  while (x) { p ^= 1; x &= x - 1; }
  return p;
}
export const gfInv = (x: number) => INV[x & 255];

/** affine_byte: the matrix is the 8 bytes of memory at byte offset M (qword little-endian). */
function affine(u: Uint8Array, M: number, x: number, imm: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= (PAR[u[M + 7 - i] & x] ^ ((imm >> i) & 1)) << i;
  return r;
}
/** Byte e of the result: X = first source base, A = matrix source base (byte offsets). */
function affineAt(c: Cpu, e: number, X: number, A: number, imm: number, inv: boolean): number {
  const x = c.v8[X + e];
  return affine(c.v8, A + (e & ~7), inv ? INV[x] : x, imm);
}

// ---- EVEX (AVX512F/VL + GFNI): byte granule masking; the matrices may be a qword broadcast,
// so the memory operand of the affine forms is read whole (no per-byte fault suppression).
defineEvex('vgf2p8mulb', { esz: 1, lane: (c, e, R, A, B) => { c.v8[R + e] = MUL[c.v8[A + e] * 256 + c.v8[B + e]]; } });
for (const [mn, inv] of [['vgf2p8affineqb', false], ['vgf2p8affineinvqb', true]] as const) {
  defineEvex(mn, { esz: 1, elem: false, lane: (c, e, R, A, B, _D, imm) => { c.v8[R + e] = affineAt(c, e, A, B, imm, inv); } });
}

// ---- legacy SSE (16-byte memory operands aligned) and VEX.128/256
defVec('Gf2p8mulb', (c, d, a, b, n) => {
  const u = c.v8, D = d * 64, A = a * 64, B = b * 64;
  for (let e = 0; e < n; e++) u[D + e] = MUL[u[A + e] * 256 + u[B + e]];
}, { owner: 'gfni' });
for (const [mn, inv] of [['Gf2p8affineqb', false], ['Gf2p8affineinvqb', true]] as const) {
  defVec(mn, (c, d, a, b, n, imm) => {
    const D = d * 64, A = a * 64, B = b * 64;
    for (let e = 0; e < n; e++) c.v8[D + e] = affineAt(c, e, A, B, imm, inv);
  }, { owner: 'gfni' });
}

markImplemented('gfni');
