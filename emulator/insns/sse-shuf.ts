/**
 * Shuffles, packs, unpacks, blends and widening moves (SDM vol. 2):
 * PUNPCKL/H*, UNPCKL/H PS/PD, PACKSS/PACKUS, PSHUFB/PSHUFD/PSHUFLW/PSHUFHW,
 * SHUFPS/SHUFPD, PALIGNR, PBLENDW, BLENDPS/PD, BLENDVPS/PD, PBLENDVB, VPBLENDD,
 * MOVDDUP/MOVSHDUP/MOVSLDUP, PMOVSXxx/PMOVZXxx, PHADDx/PHSUBx, PHMINPOSUW,
 * MPSADBW, PCLMULQDQ.
 *
 * VEX.256 forms work on each 128-bit lane independently, as the SDM's
 * pseudo-code does (PMOVSX/ZX and the 256-bit PCLMUL excepted). Lane
 * functions that read other elements compute into VTMP3 first when the
 * destination may alias a source.
 */
import { defVec, type LaneFn } from './sse-core.ts';
import type { Cpu } from '../cpu/cpu.ts';

const T = 35; // scratch slot for alias-unsafe permutations

/** Generic per-128-bit-lane byte permutation built from an index function. */
function laneOp(w: number, pick: (k: number, imm: number) => number): LaneFn {
  // pick(k) returns the source element: 0..(16/w - 1) from a, 16/w.. from b, -1 for zero
  return (c, d, a, b, n, imm) => {
    const V = c.v8, per = 16 / w;
    for (let l = 0; l < n; l += 16) {
      for (let k = 0; k < per; k++) {
        const s = pick(k, imm), o = T * 64 + l + k * w;
        if (s < 0) { for (let j = 0; j < w; j++) V[o + j] = 0; continue; }
        const src = (s < per ? a : b) * 64 + l + (s % per) * w;
        for (let j = 0; j < w; j++) V[o + j] = V[src + j];
      }
    }
    V.copyWithin(d * 64, T * 64, T * 64 + n);
  };
}

// ---- unpacks ------------------------------------------------------------------------------
for (const [mn, w] of [['bw', 1], ['wd', 2], ['dq', 4], ['qdq', 8]] as const) {
  const per = 16 / w;
  defVec('Punpckl' + mn, laneOp(w, (k) => (k & 1 ? per : 0) + (k >> 1)));
  defVec('Punpckh' + mn, laneOp(w, (k) => (k & 1 ? per : 0) + per / 2 + (k >> 1)));
}
defVec('Unpcklps', laneOp(4, (k) => (k & 1 ? 4 : 0) + (k >> 1)));
defVec('Unpckhps', laneOp(4, (k) => (k & 1 ? 4 : 0) + 2 + (k >> 1)));
defVec('Unpcklpd', laneOp(8, (k) => (k & 1 ? 2 : 0)));
defVec('Unpckhpd', laneOp(8, (k) => (k & 1 ? 2 : 0) + 1));

// ---- shuffles with imm8 -------------------------------------------------------------------------
defVec('Pshufd', laneOp(4, (k, imm) => 4 + ((imm >> (2 * k)) & 3)));
defVec('Pshuflw', laneOp(2, (k, imm) => 8 + (k < 4 ? (imm >> (2 * k)) & 3 : k)));
defVec('Pshufhw', laneOp(2, (k, imm) => 8 + (k >= 4 ? 4 + ((imm >> (2 * (k - 4))) & 3) : k)));
defVec('Shufps', laneOp(4, (k, imm) => (k < 2 ? 0 : 4) + ((imm >> (2 * k)) & 3)));
// SHUFPD: bit (2*lane + k) of imm8 selects the element; the lane index is folded in below.
defVec('Shufpd', (c, d, a, b, n, imm) => {
  const V = c.v32, t = T * 16;
  for (let l = 0; l < n >> 4; l++) {
    const s0 = (imm >> (2 * l)) & 1, s1 = (imm >> (2 * l + 1)) & 1;
    const A = a * 16 + 4 * l + 2 * s0, B = b * 16 + 4 * l + 2 * s1;
    V[t + 4 * l] = V[A]; V[t + 4 * l + 1] = V[A + 1]; V[t + 4 * l + 2] = V[B]; V[t + 4 * l + 3] = V[B + 1];
  }
  c.v8.copyWithin(d * 64, T * 64, T * 64 + n);
});

defVec('Pshufb', (c, d, a, b, n) => {
  const V = c.v8, t = T * 64;
  for (let l = 0; l < n; l += 16) {
    for (let k = 0; k < 16; k++) { const x = V[b * 64 + l + k]; V[t + l + k] = x & 0x80 ? 0 : V[a * 64 + l + (x & 15)]; }
  }
  V.copyWithin(d * 64, t, t + n);
});

defVec('Palignr', (c, d, a, b, n, imm) => {
  const V = c.v8, t = T * 64;
  for (let l = 0; l < n; l += 16) {
    for (let k = 0; k < 16; k++) {
      const s = k + imm; // over the 32-byte concatenation a:b (b low)
      V[t + l + k] = s < 16 ? V[b * 64 + l + s] : s < 32 ? V[a * 64 + l + s - 16] : 0;
    }
  }
  V.copyWithin(d * 64, t, t + n);
});

// ---- blends (elementwise: alias-safe) ---------------------------------------------------------------
function blendImm(w: number, bitOf: (k: number) => number): LaneFn {
  return (c, d, a, b, n, imm) => {
    const V = c.v8;
    for (let k = 0; k < n / w; k++) {
      const src = (imm >> bitOf(k)) & 1 ? b : a;
      if (src !== d) for (let j = 0; j < w; j++) V[d * 64 + k * w + j] = V[src * 64 + k * w + j];
    }
  };
}
defVec('Pblendw', blendImm(2, (k) => k & 7), { direct: true });
defVec('Blendps', blendImm(4, (k) => k & 7), { direct: true });
defVec('Blendpd', blendImm(8, (k) => k & 3), { direct: true });
defVec('Pblendd', blendImm(4, (k) => k & 7), { direct: true });

/** Variable blends: selector = sign bit of each element of XMM0 (legacy) or the is4 register (VEX). */
function blendVar(w: number): LaneFn {
  return (c, d, a, b, n, _imm, i) => {
    const V = c.v8, m = i.enc === 0 ? 0 : i.r3;
    for (let k = 0; k < n / w; k++) {
      const src = V[m * 64 + k * w + w - 1] & 0x80 ? b : a;
      if (src !== d) for (let j = 0; j < w; j++) V[d * 64 + k * w + j] = V[src * 64 + k * w + j];
    }
  };
}
defVec('Pblendvb', blendVar(1), { direct: true });
defVec('Blendvps', blendVar(4), { direct: true });
defVec('Blendvpd', blendVar(8), { direct: true });

// ---- duplicates --------------------------------------------------------------------------------------
defVec('Movddup', laneOp(8, () => 2), { unaligned: true });
defVec('Movshdup', laneOp(4, (k) => 4 + (k | 1)));
defVec('Movsldup', laneOp(4, (k) => 4 + (k & ~1)));

// ---- packs -------------------------------------------------------------------------------------------
function pack(srcW: 2 | 4, signedOut: boolean): LaneFn {
  const lo = signedOut ? (srcW === 2 ? -128 : -32768) : 0;
  const hi = signedOut ? (srcW === 2 ? 127 : 32767) : srcW === 2 ? 255 : 65535;
  return (c, d, a, b, n) => {
    const V = c.v8, t = T * 64, per = 16 / srcW, ow = srcW / 2;
    for (let l = 0; l < n; l += 16) {
      for (let k = 0; k < 2 * per; k++) {
        const s = (k < per ? a : b) * 64 + l + (k % per) * srcW;
        let x = srcW === 2 ? ((V[s] | (V[s + 1] << 8)) << 16) >> 16 : V[s] | (V[s + 1] << 8) | (V[s + 2] << 16) | (V[s + 3] << 24);
        x = x < lo ? lo : x > hi ? hi : x;
        const o = t + l + k * ow;
        V[o] = x & 255; if (ow === 2) V[o + 1] = (x >> 8) & 255;
      }
    }
    V.copyWithin(d * 64, t, t + n);
  };
}
defVec('Packsswb', pack(2, true));
defVec('Packssdw', pack(4, true));
defVec('Packuswb', pack(2, false));
defVec('Packusdw', pack(4, false));

// ---- PMOVSX / PMOVZX: widen the low elements of the source across the whole destination ------------------
for (const [sfx, sw, dw] of [['bw', 1, 2], ['bd', 1, 4], ['bq', 1, 8], ['wd', 2, 4], ['wq', 2, 8], ['dq', 4, 8]] as const) {
  for (const sx of [true, false]) {
    defVec((sx ? 'Pmovsx' : 'Pmovzx') + sfx, (c, d, _a, b, n) => {
      const V = c.v8, t = T * 64, e = n / dw;
      for (let k = 0; k < e; k++) {
        const s = b * 64 + k * sw;
        let x = V[s]; if (sw >= 2) x |= V[s + 1] << 8; if (sw === 4) x |= (V[s + 2] << 16) | (V[s + 3] << 24);
        const neg = sx && (V[s + sw - 1] & 0x80) !== 0;
        const o = t + k * dw;
        for (let j = 0; j < dw; j++) V[o + j] = j < sw ? (x >>> (8 * j)) & 255 : neg ? 255 : 0;
      }
      V.copyWithin(d * 64, t, t + n);
    }, { unaligned: true });
  }
}

// ---- horizontal integer add/sub ---------------------------------------------------------------------------
function hInt(w: 2 | 4, f: (x: number, y: number) => number): LaneFn {
  return (c, d, a, b, n) => {
    const t = T * (64 / w), per = 16 / w;
    if (w === 2) {
      const V = c.v16;
      for (let l = 0; l < n / w; l += per) {
        for (let k = 0; k < per; k++) {
          const src = (k < per / 2 ? a : b) * 32 + l + 2 * (k % (per / 2));
          V[t + l + k] = f((V[src] << 16) >> 16, (V[src + 1] << 16) >> 16);
        }
      }
    } else {
      const V = c.vi32;
      for (let l = 0; l < n / w; l += per) {
        for (let k = 0; k < per; k++) {
          const src = (k < per / 2 ? a : b) * 16 + l + 2 * (k % (per / 2));
          V[t + l + k] = f(V[src], V[src + 1]);
        }
      }
    }
    c.v8.copyWithin(d * 64, T * 64, T * 64 + n);
  };
}
const s16 = (v: number) => (v > 32767 ? 32767 : v < -32768 ? -32768 : v);
defVec('Phaddw', hInt(2, (x, y) => x + y));
defVec('Phaddd', hInt(4, (x, y) => (x + y) | 0));
defVec('Phaddsw', hInt(2, (x, y) => s16(x + y)));
defVec('Phsubw', hInt(2, (x, y) => x - y));
defVec('Phsubd', hInt(4, (x, y) => (x - y) | 0));
defVec('Phsubsw', hInt(2, (x, y) => s16(x - y)));

defVec('Phminposuw', (c, d, _a, b) => {
  const V = c.v16;
  let m = V[b * 32], idx = 0;
  for (let k = 1; k < 8; k++) if (V[b * 32 + k] < m) { m = V[b * 32 + k]; idx = k; }
  for (let k = 0; k < 8; k++) V[T * 32 + k] = 0;
  V[T * 32] = m; V[T * 32 + 1] = idx;
  c.v8.copyWithin(d * 64, T * 64, T * 64 + 16);
});

defVec('Mpsadbw', (c, d, a, b, n, imm) => {
  const V = c.v8, W = c.v16;
  for (let l = 0; l < n; l += 16) {
    const ctl = l === 0 ? imm : imm >> 3;
    const ao = a * 64 + l + ((ctl >> 2) & 1) * 4, bo = b * 64 + l + (ctl & 3) * 4;
    for (let k = 0; k < 8; k++) {
      let s = 0;
      for (let j = 0; j < 4; j++) { const x = V[ao + k + j] - V[bo + j]; s += x < 0 ? -x : x; }
      W[T * 32 + (l >> 1) + k] = s;
    }
  }
  V.copyWithin(d * 64, T * 64, T * 64 + n);
});

// ---- PCLMULQDQ --------------------------------------------------------------------------------------------
/** Carry-less 64x64 → 128 multiply of (alo, ahi) and (blo, bhi) into out[0..3] (uint32 words). */
export function clmul(alo: number, ahi: number, blo: number, bhi: number, out: Uint32Array, o: number): void {
  let r0 = 0, r1 = 0, r2 = 0, r3 = 0;
  for (let k = 0; k < 64; k++) {
    const bit = k < 32 ? (blo >>> k) & 1 : (bhi >>> (k - 32)) & 1;
    if (!bit) continue;
    // a << k over 128 bits
    let s0 = 0, s1 = 0, s2 = 0;
    const sh = k & 31;
    if (sh === 0) { s0 = alo; s1 = ahi; s2 = 0; } else { s0 = alo << sh; s1 = (ahi << sh) | (alo >>> (32 - sh)); s2 = ahi >>> (32 - sh); }
    if (k < 32) { r0 ^= s0; r1 ^= s1; r2 ^= s2; } else { r1 ^= s0; r2 ^= s1; r3 ^= s2; }
  }
  out[o] = r0; out[o + 1] = r1; out[o + 2] = r2; out[o + 3] = r3;
}
defVec('Pclmulqdq', (c: Cpu, d, a, b, n, imm) => {
  const V = c.v32;
  for (let l = 0; l < n >> 2; l += 4) {
    const A = a * 16 + l + (imm & 1 ? 2 : 0), B = b * 16 + l + (imm & 16 ? 2 : 0);
    clmul(V[A], V[A + 1], V[B], V[B + 1], V, T * 16 + l);
  }
  c.v8.copyWithin(d * 64, T * 64, T * 64 + n);
});
