/**
 * AVX-512 data-movement operations (EVEX forms): VPERMD/Q/W/B/PS/PD,
 * VPERMI2*, VPERMT2*, VPERMILPS/PD, VPSHUFB/D/HW/LW, VSHUFPS/PD,
 * VSHUF[FI]32X4/64X2, VALIGND/Q, VPALIGNR, VDBPSADBW, VPUNPCK*, VUNPCK*,
 * VPACK*, broadcasts (VPBROADCAST*, VBROADCAST*, VPBROADCASTM*), VINSERT*,
 * VEXTRACT*, VPMOV* down-converts, VPMOVZX/SX, VPCOMPRESS/VPEXPAND
 * (VCOMPRESS/VEXPAND). SDM vol. 2 per instruction.
 */
import { defineEvex, defineEvexWith, loadMask, mbit, evexGateOnly, viewOf, Op, type WholeFn, type LaneFn, type Shape } from './avx512-core.ts';
import { vecComponents } from './simd-state.ts';
import { VTMP0, VTMP1, VTMP3 } from '../cpu/state.ts';
import { ud } from '../faults.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const SZ: Record<string, number> = { b: 1, w: 2, d: 4, q: 8, ps: 4, pd: 8 };
/** Copies element `from` (of size esz, at byte base S) to element `to` of R. */
function cp(c: Cpu, R: number, to: number, S: number, from: number, esz: number): void {
  c.v8.copyWithin(R + to * esz, S + from * esz, S + from * esz + esz);
}
/** Reads element e of size esz at base as an unsigned number (esz ≤ 4) or low 32 bits (esz 8). */
function idx(c: Cpu, base: number, e: number, esz: number): number {
  switch (esz) {
    case 1: return c.v8[base + e];
    case 2: return c.v16[(base >> 1) + e];
    default: return c.v32[(base + e * esz) >> 2];
  }
}

// ---- full permutes
for (const t of ['b', 'w', 'd', 'q', 'ps', 'pd']) {
  const esz = SZ[t];
  // VPERM*: R[e] = table(B)[index(A)[e] mod n]
  const permVar: WholeFn = (c, _i, R, A, B, _D, _imm, n) => {
    for (let e = 0; e < n; e++) cp(c, R, e, B, idx(c, A, e, esz) & (n - 1), esz);
  };
  const permImm: WholeFn = (c, _i, R, A, _B, _D, imm, n) => {
    for (let e = 0; e < n; e++) cp(c, R, e, A, (e & ~3) + ((imm >> (2 * (e & 3))) & 3), esz);
  };
  defineEvex(`vperm${t}`, (s: Shape) => ({ esz, whole: s.ops[s.ops.length - 1] === Op.Imm ? permImm : permVar }));
  // VPERMI2*: index in dst (D); tables A (first) and B (second)
  defineEvex(`vpermi2${t}`, {
    esz, whole: (c, _i, R, A, B, D, _imm, n) => {
      for (let e = 0; e < n; e++) { const x = idx(c, D, e, esz); cp(c, R, e, x & n ? B : A, x & (n - 1), esz); }
    },
  });
  // VPERMT2*: table 1 in dst (D), index in A, table 2 in B
  defineEvex(`vpermt2${t}`, {
    esz, whole: (c, _i, R, A, B, D, _imm, n) => {
      for (let e = 0; e < n; e++) { const x = idx(c, A, e, esz); cp(c, R, e, x & n ? B : D, x & (n - 1), esz); }
    },
  });
}
// VPERMILPS/PD: within 128-bit lanes; variable (control in B) or immediate.
defineEvex('vpermilps', (s) => ({
  esz: 4, whole: s.ops[s.ops.length - 1] === Op.Imm
    ? (c, _i, R, A, _B, _D, imm, n) => { for (let e = 0; e < n; e++) cp(c, R, e, A, (e & ~3) + ((imm >> (2 * (e & 3))) & 3), 4); }
    : (c, _i, R, A, B, _D, _imm, n) => { for (let e = 0; e < n; e++) cp(c, R, e, A, (e & ~3) + (idx(c, B, e, 4) & 3), 4); },
}));
defineEvex('vpermilpd', (s) => ({
  esz: 8, whole: s.ops[s.ops.length - 1] === Op.Imm
    ? (c, _i, R, A, _B, _D, imm, n) => { for (let e = 0; e < n; e++) cp(c, R, e, A, (e & ~1) + ((imm >> (e & 7)) & 1), 8); }
    : (c, _i, R, A, B, _D, _imm, n) => { for (let e = 0; e < n; e++) cp(c, R, e, A, (e & ~1) + ((idx(c, B, e, 8) >> 1) & 1), 8); },
}));
defineEvex('vpshufd', { esz: 4, whole: (c, _i, R, A, _B, _D, imm, n) => { for (let e = 0; e < n; e++) cp(c, R, e, A, (e & ~3) + ((imm >> (2 * (e & 3))) & 3), 4); } });
defineEvex('vpshuflw', { esz: 2, whole: (c, _i, R, A, _B, _D, imm, n) => { for (let e = 0; e < n; e++) cp(c, R, e, A, (e & 7) < 4 ? (e & ~7) + ((imm >> (2 * (e & 3))) & 3) : e, 2); } });
defineEvex('vpshufhw', { esz: 2, whole: (c, _i, R, A, _B, _D, imm, n) => { for (let e = 0; e < n; e++) cp(c, R, e, A, (e & 7) >= 4 ? (e & ~7) + 4 + ((imm >> (2 * (e & 3))) & 3) : e, 2); } });
// No memory fault suppression on silicon (Zen 5 capture: a masked-off element on an unmapped page faults).
defineEvex('vpshufb', {
  esz: 1, elem: false, lane: (c, e, R, A, B) => { const x = c.v8[B + e]; c.v8[R + e] = x & 0x80 ? 0 : c.v8[A + (e & ~15) + (x & 15)]; },
});
defineEvex('vshufps', {
  esz: 4, whole: (c, _i, R, A, B, _D, imm, n) => {
    for (let e = 0; e < n; e++) cp(c, R, e, (e & 3) < 2 ? A : B, (e & ~3) + ((imm >> (2 * (e & 3))) & 3), 4);
  },
});
defineEvex('vshufpd', {
  esz: 8, whole: (c, _i, R, A, B, _D, imm, n) => {
    for (let e = 0; e < n; e++) cp(c, R, e, e & 1 ? B : A, (e & ~1) + ((imm >> (e & 7)) & 1), 8);
  },
});
for (const [mn, esz] of [['vshuff32x4', 4], ['vshuff64x2', 8], ['vshufi32x4', 4], ['vshufi64x2', 8]] as const) {
  defineEvex(mn, {
    esz, whole: (c, _i, R, A, B, _D, imm, n) => {
      const blocks = (n * esz) / 16, T = VTMP3 * 64;
      for (let b = 0; b < blocks; b++) {
        const sel = blocks === 2 ? (imm >> b) & 1 : (imm >> (2 * b)) & 3;
        const src = b < blocks / 2 ? A : B;
        c.v8.copyWithin(T + 16 * b, src + 16 * sel, src + 16 * sel + 16);
      }
      c.v8.copyWithin(R, T, T + blocks * 16);
    },
  });
}
for (const [mn, esz] of [['valignd', 4], ['valignq', 8]] as const) {
  defineEvex(mn, {
    esz, whole: (c, _i, R, A, B, _D, imm, n) => {
      const sh = imm & (n - 1);
      for (let e = 0; e < n; e++) { const k = e + sh; cp(c, R, e, k < n ? B : A, k < n ? k : k - n, esz); }
    },
  });
}
defineEvex('vpalignr', {
  esz: 1, whole: (c, _i, R, A, B, _D, imm, n) => {
    for (let l = 0; l < n; l += 16) for (let k = 0; k < 16; k++) {
      const j = k + imm;
      c.v8[R + l + k] = j < 16 ? c.v8[B + l + j] : j < 32 ? c.v8[A + l + j - 16] : 0;
    }
  },
});
// VDBPSADBW: per 128-bit lane select dwords of B by imm, then 4 SADs per qword over shifted windows.
defineEvex('vdbpsadbw', {
  esz: 2, whole: (c, _i, R, A, B, _D, imm, n) => {
    const u = c.v8, T = VTMP3 * 64;
    const bytes = n * 2;
    for (let l = 0; l < bytes; l += 16) for (let d = 0; d < 4; d++) u.copyWithin(T + l + 4 * d, B + l + 4 * ((imm >> (2 * d)) & 3), B + l + 4 * ((imm >> (2 * d)) & 3) + 4);
    const sad = (a: number, b: number) => { let s = 0; for (let k = 0; k < 4; k++) s += Math.abs(u[A + a + k] - u[T + b + k]); return s; };
    for (let q = 0; q < bytes; q += 8) {
      c.v16[(R + q) >> 1] = sad(q, q);
      c.v16[((R + q) >> 1) + 1] = sad(q, q + 1);
      c.v16[((R + q) >> 1) + 2] = sad(q + 4, q + 2);
      c.v16[((R + q) >> 1) + 3] = sad(q + 4, q + 3);
    }
  },
});

// ---- unpacks
for (const [t, esz] of [['bw', 1], ['wd', 2], ['dq', 4], ['qdq', 8], ['ps', 4], ['pd', 8]] as const) {
  for (const hi of [false, true]) {
    const mn = t.length >= 2 && t !== 'ps' && t !== 'pd' ? `vpunpck${hi ? 'h' : 'l'}${t}` : `vunpck${hi ? 'h' : 'l'}${t}`;
    const m = 16 / esz;
    defineEvex(mn, {
      esz, whole: (c, _i, R, A, B, _D, _imm, n) => {
        for (let e = 0; e < n; e++) {
          const lane = e & ~(m - 1), k = (e & (m - 1)) >> 1;
          cp(c, R, e, e & 1 ? B : A, lane + k + (hi ? m / 2 : 0), esz);
        }
      },
    });
  }
}
// ---- packs (per 128-bit lane: A's elements then B's, saturated)
for (const [mn, sesz, signedOut] of [['vpacksswb', 2, true], ['vpackuswb', 2, false], ['vpackssdw', 4, true], ['vpackusdw', 4, false]] as const) {
  const desz = sesz / 2, bits = desz * 8;
  const lo = signedOut ? -(2 ** (bits - 1)) : 0, hi = signedOut ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const sv = sesz === 2 ? 'i16' : 'i32', dv = desz === 1 ? 'u8' : 'u16';
  defineEvex(mn, {
    esz: desz, whole: (c, _i, R, A, B, _D, _imm, n) => {
      const s = viewOf(c, sv), d = viewOf(c, dv), per = 16 / sesz;
      for (let e = 0; e < n; e++) {
        const lane = Math.floor(e / (2 * per)), k = e % (2 * per);
        const src = k < per ? A : B;
        const x = s[(src >> Math.log2(sesz)) + lane * per + (k % per)];
        d[(R >> Math.log2(desz)) + e] = x < lo ? lo : x > hi ? hi : x;
      }
    },
  });
}

// ---- broadcasts
const bcastWhole = (esz: number, block: number): WholeFn => (c, _i, R, A, _B, _D, _imm, n) => {
  const per = block / esz;
  for (let e = 0; e < n; e++) cp(c, R, e, A, e % per, esz);
};
for (const [mn, esz, block] of [
  ['vpbroadcastb', 1, 1], ['vpbroadcastw', 2, 2], ['vpbroadcastd', 4, 4], ['vpbroadcastq', 8, 8],
  ['vbroadcastss', 4, 4], ['vbroadcastsd', 8, 8],
  ['vbroadcastf32x2', 4, 8], ['vbroadcasti32x2', 4, 8], ['vbroadcastf32x4', 4, 16], ['vbroadcasti32x4', 4, 16],
  ['vbroadcastf64x2', 8, 16], ['vbroadcasti64x2', 8, 16], ['vbroadcastf32x8', 4, 32], ['vbroadcasti32x8', 4, 32],
  ['vbroadcastf64x4', 8, 32], ['vbroadcasti64x4', 8, 32],
] as const) {
  defineEvex(mn, { esz, whole: bcastWhole(esz, block), memBlock: block / esz });
}
for (const [mn, esz, kbits] of [['vpbroadcastmb2q', 8, 8], ['vpbroadcastmw2d', 4, 16]] as const) {
  defineEvexWith(mn, (s) => (c, i) => {
    evexGateOnly(c);
    const v = c.k32[2 * i.r1] & (kbits === 8 ? 0xff : 0xffff), n = s.dstW / esz, d = i.r0 * 64;
    for (let e = 0; e < n; e++) { c.v32[(d >> 2) + e * (esz >> 2)] = v; if (esz === 8) c.v32[(d >> 2) + 2 * e + 1] = 0; }
    c.v8.fill(0, d + s.dstW, d + 64);
    c.xmodified |= vecComponents(i.r0, 64);
  });
}

// ---- insert / extract of 128/256-bit blocks
for (const fi of ['f', 'i']) {
  for (const [g, esz, block] of [['32x4', 4, 16], ['64x2', 8, 16], ['32x8', 4, 32], ['64x4', 8, 32]] as const) {
    defineEvex(`vinsert${fi}${g}`, {
      esz, whole: (c, _i, R, A, B, _D, imm, n) => {
        const bytes = n * esz, nb = bytes / block, at = (imm & (nb - 1)) * block;
        c.v8.copyWithin(R, A, A + bytes);
        c.v8.copyWithin(R + at, B, B + block);
      },
    });
    // A masked store to memory faults on the whole m128/m256 even when elements are masked off
    // (Zen 5 capture: sweep-vec EVEX_Vextracti32x4_xmmm128_k1z_ymm_imm8-mxk-01, k = 0, operand across the page end: #PF).
    defineEvex(`vextract${fi}${g}`, {
      esz, storeWhole: true, whole: (c, _i, R, A, _B, _D, imm, _n, s) => {
        const nb = s.srcW / block, at = (imm & (nb - 1)) * block;
        c.v8.copyWithin(R, A + at, A + at + block);
      },
    });
  }
}

// ---- VPMOV down-converts: truncate, signed saturate (S), unsigned saturate (US)
for (const [from, to] of [['q', 'b'], ['q', 'w'], ['q', 'd'], ['d', 'b'], ['d', 'w'], ['w', 'b']] as const) {
  const sesz = SZ[from], desz = SZ[to], dbits = desz * 8;
  for (const kind of ['', 's', 'us']) {
    const mn = `vpmov${kind}${from}${to}`;
    const lane: LaneFn = (c, e, R, A) => {
      let x: bigint;
      if (sesz === 8) x = kind === 's' ? BigInt.asIntN(64, c.v64[(A >> 3) + e]) : c.v64[(A >> 3) + e];
      else if (sesz === 4) x = BigInt(kind === 's' ? c.vi32[(A >> 2) + e] : c.v32[(A >> 2) + e]);
      else x = BigInt(kind === 's' ? viewOf(c, 'i16')[(A >> 1) + e] : c.v16[(A >> 1) + e]);
      if (kind === 's') { const mx = (1n << BigInt(dbits - 1)) - 1n, mi = -mx - 1n; x = x > mx ? mx : x < mi ? mi : x; }
      else if (kind === 'us') { const mx = (1n << BigInt(dbits)) - 1n; x = x > mx ? mx : x; }
      const u = Number(BigInt.asUintN(dbits, x));
      if (desz === 1) c.v8[R + e] = u; else if (desz === 2) c.v16[(R >> 1) + e] = u; else c.v32[(R >> 2) + e] = u;
    };
    defineEvex(mn, { esz: desz, count: (s) => s.srcW / sesz, lane, elem: false });
  }
}
// ---- VPMOVZX / VPMOVSX
for (const [from, to] of [['b', 'w'], ['b', 'd'], ['b', 'q'], ['w', 'd'], ['w', 'q'], ['d', 'q']] as const) {
  const sesz = SZ[from], desz = SZ[to];
  for (const sx of [false, true]) {
    const lane: LaneFn = (c, e, R, A) => {
      let x: number;
      if (sesz === 1) x = sx ? viewOf(c, 'i8')[A + e] : c.v8[A + e];
      else if (sesz === 2) x = sx ? viewOf(c, 'i16')[(A >> 1) + e] : c.v16[(A >> 1) + e];
      else x = sx ? c.vi32[(A >> 2) + e] : c.v32[(A >> 2) + e];
      if (desz === 2) c.v16[(R >> 1) + e] = x;
      else if (desz === 4) c.v32[(R >> 2) + e] = x;
      else { c.v32[(R >> 2) + 2 * e] = x; c.v32[(R >> 2) + 2 * e + 1] = x < 0 ? -1 : 0; }
    };
    defineEvex(`vpmov${sx ? 's' : 'z'}x${from}${to}`, { esz: desz, lane });
  }
}

// ---- compress / expand
function compressH(s: Shape, esz: number) {
  const n = s.w[1] / esz;
  return (c: Cpu, i: Insn): void => {
    evexGateOnly(c);
    if (i.z && i.memOp === 0) throw ud('EVEX {z} with a memory destination');
    loadMask(c, i, n);
    const S = i.r1 * 64, R = VTMP1 * 64;
    let k = 0;
    for (let e = 0; e < n; e++) if (mbit(e)) cp(c, R, k++, S, e, esz);
    if (i.memOp === 0) { if (k) c.wrBytes(c.ea(i), k * esz, c.v8, R); return; }
    const d = i.r0 * 64;
    c.v8.copyWithin(d, R, R + k * esz);
    if (i.z) c.v8.fill(0, d + k * esz, d + n * esz);
    c.v8.fill(0, d + n * esz, d + 64);
    c.xmodified |= vecComponents(i.r0, 64);
  };
}
function expandH(s: Shape, esz: number) {
  const n = s.dstW / esz;
  return (c: Cpu, i: Insn): void => {
    evexGateOnly(c);
    loadMask(c, i, n);
    let cnt = 0;
    for (let e = 0; e < n; e++) cnt += mbit(e);
    let S = i.r1 * 64;
    if (i.memOp === 1) { if (cnt) c.rdBytes(c.ea(i), cnt * esz, c.v8, VTMP0 * 64); S = VTMP0 * 64; }
    const d = i.r0 * 64, R = VTMP1 * 64;
    let k = 0;
    for (let e = 0; e < n; e++) {
      if (mbit(e)) cp(c, R, e, S, k++, esz);
      else if (i.z) c.v8.fill(0, R + e * esz, R + e * esz + esz);
      else cp(c, R, e, d, e, esz);
    }
    c.v8.copyWithin(d, R, R + n * esz);
    c.v8.fill(0, d + n * esz, d + 64);
    c.xmodified |= vecComponents(i.r0, 64);
  };
}
for (const [t, esz] of [['b', 1], ['w', 2], ['d', 4], ['q', 8]] as const) {
  defineEvexWith(`vpcompress${t}`, (s) => compressH(s, esz));
  defineEvexWith(`vpexpand${t}`, (s) => expandH(s, esz));
}
for (const [t, esz] of [['ps', 4], ['pd', 8]] as const) {
  defineEvexWith(`vcompress${t}`, (s) => compressH(s, esz));
  defineEvexWith(`vexpand${t}`, (s) => expandH(s, esz));
}
