/**
 * AES-NI (SDM vol. 2: AESENC, AESENCLAST, AESDEC, AESDECLAST, AESIMC,
 * AESKEYGENASSIST) in the legacy and VEX.128 encodings, and VAES (the VEX.256
 * and EVEX.128/256/512 forms of the four round instructions, each 128-bit lane
 * an independent AES state).
 *
 * The state is the 16 bytes of a lane in FIPS-197 input order: byte k of the
 * register (bits 8k+7:8k) is state[k mod 4][k div 4], so a block loaded from
 * memory with MOVDQU is the FIPS-197 `in` array. The S-box and its inverse
 * are generated from their definition (FIPS-197 §5.1.1: multiplicative
 * inverse in GF(2^8) followed by the affine transformation).
 */
import iced from 'iced-x86';
import { defineInsn } from './registry.ts';
import { defVec, type LaneFn } from './sse-core.ts';
import { evexGate, loadMem, writeVec } from './simd-state.ts';
import { VTMP0, VTMP2 } from '../cpu/state.ts';
import { markImplemented } from '../models/features.ts';

// ---------------------------------------------------------------- tables

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
export function gmul(a: number, b: number): number {
  let p = 0;
  for (let k = 0; k < 8; k++) {
    if (b & 1) p ^= a;
    const hi = a & 0x80;
    a = (a << 1) & 0xff;
    if (hi) a ^= 0x1b;
    b >>= 1;
  }
  return p;
}

export const SBOX = new Uint8Array(256);
export const INV_SBOX = new Uint8Array(256);
{
  for (let x = 0; x < 256; x++) {
    let inv = 0;
    if (x) for (let y = 1; y < 256; y++) if (gmul(x, y) === 1) { inv = y; break; }
    // b'_i = b_i ^ b_(i+4) ^ b_(i+5) ^ b_(i+6) ^ b_(i+7) ^ c_i, c = 63h
    let s = inv;
    for (let r = 1; r <= 4; r++) s ^= ((inv << r) | (inv >>> (8 - r))) & 0xff;
    s ^= 0x63;
    SBOX[x] = s;
    INV_SBOX[s] = x;
  }
}

// ---------------------------------------------------------------- transformations on 16 bytes

const T = new Uint8Array(16);
const U = new Uint8Array(16);

/** ShiftRows: row r rotates left by r columns. */
function shiftRows(s: Uint8Array, o: Uint8Array, inv: boolean): void {
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) o[r + 4 * c] = s[r + 4 * ((inv ? c - r + 4 : c + r) & 3)];
  }
}

function mixColumns(s: Uint8Array, o: Uint8Array, inv: boolean): void {
  const [m0, m1, m2, m3] = inv ? [14, 11, 13, 9] : [2, 3, 1, 1];
  for (let c = 0; c < 4; c++) {
    const a0 = s[4 * c], a1 = s[4 * c + 1], a2 = s[4 * c + 2], a3 = s[4 * c + 3];
    o[4 * c] = gmul(a0, m0) ^ gmul(a1, m1) ^ gmul(a2, m2) ^ gmul(a3, m3);
    o[4 * c + 1] = gmul(a0, m3) ^ gmul(a1, m0) ^ gmul(a2, m1) ^ gmul(a3, m2);
    o[4 * c + 2] = gmul(a0, m2) ^ gmul(a1, m3) ^ gmul(a2, m0) ^ gmul(a3, m1);
    o[4 * c + 3] = gmul(a0, m1) ^ gmul(a1, m2) ^ gmul(a2, m3) ^ gmul(a3, m0);
  }
}

/**
 * One round on each 128-bit lane: dec selects the inverse transformations,
 * last omits (Inv)MixColumns. The round key is operand b.
 */
function round(dec: boolean, last: boolean): LaneFn {
  return (c, d, a, b, n) => {
    const V = c.v8;
    for (let l = 0; l < n; l += 16) {
      const A = a * 64 + l, B = b * 64 + l, D = d * 64 + l;
      for (let k = 0; k < 16; k++) U[k] = V[A + k];
      shiftRows(U, T, dec); // ShiftRows then SubBytes (they commute)
      const box = dec ? INV_SBOX : SBOX;
      for (let k = 0; k < 16; k++) T[k] = box[T[k]];
      if (!last) { mixColumns(T, U, dec); T.set(U); }
      for (let k = 0; k < 16; k++) V[D + k] = T[k] ^ V[B + k];
    }
  };
}

const aesimc: LaneFn = (c, d, _a, b) => {
  const V = c.v8;
  for (let k = 0; k < 16; k++) U[k] = V[b * 64 + k];
  mixColumns(U, T, true);
  V.set(T, d * 64);
};

/** AESKEYGENASSIST: SubWord of X1 and X3, RotWord (rotate right by 8 bits) XOR RCON = imm8. */
const aeskeygenassist: LaneFn = (c, d, _a, b, _n, imm) => {
  const V = c.v32;
  const sub = (w: number) => (SBOX[w & 255] | (SBOX[(w >>> 8) & 255] << 8) | (SBOX[(w >>> 16) & 255] << 16) | (SBOX[w >>> 24] << 24)) >>> 0;
  const rot = (w: number) => ((w >>> 8) | (w << 24)) >>> 0;
  const x1 = sub(V[b * 16 + 1]), x3 = sub(V[b * 16 + 3]);
  V[d * 16] = x1;
  V[d * 16 + 1] = (rot(x1) ^ imm) >>> 0;
  V[d * 16 + 2] = x3;
  V[d * 16 + 3] = (rot(x3) ^ imm) >>> 0;
};

// ---------------------------------------------------------------- registration

const OWNER = 'aes';
const ROUNDS: Array<[string, LaneFn]> = [
  ['Aesenc', round(false, false)], ['Aesenclast', round(false, true)],
  ['Aesdec', round(true, false)], ['Aesdeclast', round(true, true)],
];
for (const [mn, fn] of ROUNDS) defVec(mn, fn, { owner: OWNER }); // legacy, VEX.128, VEX.256 (VAES)
defVec('Aesimc', aesimc, { owner: OWNER });
defVec('Aeskeygenassist', aeskeygenassist, { owner: OWNER });

// VAES EVEX forms: no masking or broadcast (iced rejects them); unaligned memory; bits above VL zeroed.
for (const [mn, fn] of ROUNDS) {
  for (const name of Object.keys(iced.Code).filter((k) => k.startsWith(`EVEX_V${mn.toLowerCase()}_`))) {
    const vl = name.includes('_zmm_') ? 64 : name.includes('_ymm_') ? 32 : 16;
    defineInsn(name, {
      owner: OWNER,
      exec: (c, i) => {
        evexGate(c);
        const b = i.memOp >= 0 ? loadMem(c, i, vl, VTMP0) : i.r2;
        fn(c, VTMP2, i.r1, b, vl, 0, i);
        writeVec(c, i.r0, VTMP2, vl, true);
      },
    });
  }
}

markImplemented('aes', 'vaes');
