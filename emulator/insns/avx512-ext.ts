/**
 * The AVX-512 extensions beyond F/BW/DQ/VL/CD that the genoa and
 * sapphire-rapids models advertise (EVEX forms), plus the VEX AVX-VNNI forms:
 *
 *   AVX512_VBMI      VPMULTISHIFTQB (VPERMB/VPERMI2B/VPERMT2B live in avx512-perm.ts)
 *   AVX512_VBMI2     VPSHLD/VPSHRD W/D/Q (imm8), VPSHLDV/VPSHRDV W/D/Q
 *                    (VPCOMPRESSB/W and VPEXPANDB/W live in avx512-perm.ts)
 *   AVX512_VNNI      VPDPBUSD(S), VPDPWSSD(S); AVX_VNNI: their VEX.128/256 forms
 *   AVX512_IFMA      VPMADD52LUQ, VPMADD52HUQ
 *   AVX512_BITALG    VPOPCNTB/W, VPSHUFBITQMB
 *   AVX512_VPOPCNTDQ VPOPCNTD/Q
 *
 * Each operation is one lane definition (SDM vol. 2, Operation section of the
 * instruction); avx512-core registers it for every EVEX Code of the mnemonic
 * (VL, masking, broadcast, memory fault suppression, XMODIFIED). GFNI is in gfni.ts.
 */
import { defineEvex, defineEvexWith, cmpHandler, viewOf } from './avx512-core.ts';
import { defVec, formsOf } from './sse-core.ts';
import { markImplemented } from '../models/features.ts';
import type { Cpu } from '../cpu/cpu.ts';

// ------------------------------------------------------------------ helpers
/** Number of set bits of a 32-bit value. */
export function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
const sat32 = (v: number) => (v > 0x7fffffff ? 0x7fffffff : v < -0x80000000 ? -0x80000000 : v);

// ------------------------------------------------------------------ VPOPCNTB/W/D/Q
defineEvex('vpopcntb', { esz: 1, lane: (c, e, R, A) => { c.v8[R + e] = popcnt32(c.v8[A + e]); } });
defineEvex('vpopcntw', { esz: 2, lane: (c, e, R, A) => { c.v16[(R >> 1) + e] = popcnt32(c.v16[(A >> 1) + e]); } });
defineEvex('vpopcntd', { esz: 4, lane: (c, e, R, A) => { c.v32[(R >> 2) + e] = popcnt32(c.v32[(A >> 2) + e]); } });
defineEvex('vpopcntq', {
  esz: 8, lane: (c, e, R, A) => {
    const v = c.v32, a = (A >> 2) + 2 * e, r = (R >> 2) + 2 * e;
    v[r] = popcnt32(v[a]) + popcnt32(v[a + 1]);
    v[r + 1] = 0;
  },
});

// ------------------------------------------------------------------ VPSHUFBITQMB
// k1[8q+j] = bit (SRC2.qword[q].byte[j] & 63) of SRC1.qword[q], ANDed with k2.
defineEvexWith('vpshufbitqmb', (s) => cmpHandler(s, 1, (c, e, A, B) => {
  const m = c.v8[B + e] & 63;
  return ((c.v8[A + (e & ~7) + (m >> 3)] >> (m & 7)) & 1) === 1;
}, false));

// ------------------------------------------------------------------ VPMULTISHIFTQB
// DEST.byte[8q+j] = 8 bits of SRC2.qword[q] starting at bit (SRC1.byte[8q+j] & 63), wrapping
// around bit 63 (i.e. the low byte of the qword rotated right by that amount). SRC2 may be a
// {1to*} qword broadcast while the mask granule is the byte, so the memory operand is read whole.
defineEvex('vpmultishiftqb', {
  esz: 1, elem: false, lane: (c, e, R, A, B) => {
    const q = (B >> 2) + 2 * (e >> 3);
    let lo = c.v32[q], hi = c.v32[q + 1], n = c.v8[A + e] & 63;
    if (n >= 32) { const t = lo; lo = hi; hi = t; n -= 32; }
    c.v8[R + e] = n === 0 ? lo : (lo >>> n) | (hi << (32 - n));
  },
});

// ------------------------------------------------------------------ VPSHLD / VPSHRD / VPSHLDV / VPSHRDV
// All four are a funnel shift: the element-sized field of (HI:LO) starting at bit `pos`.
//   VPSHLD  DEST, SRC2, SRC3, imm8: tmp = (SRC2:SRC3) << s, DEST = upper half → HI=SRC2, LO=SRC3, pos = w - s
//   VPSHRD  DEST, SRC2, SRC3, imm8: tmp = (SRC3:SRC2) >> s, DEST = lower half → HI=SRC3, LO=SRC2, pos = s
//   VPSHLDV DEST, SRC2, SRC3: tmp = (DEST:SRC2) << s, upper half            → HI=DEST, LO=SRC2, pos = w - s
//   VPSHRDV DEST, SRC2, SRC3: tmp = (SRC2:DEST) >> s, lower half            → HI=SRC2, LO=DEST, pos = s
// with s = imm8 (or SRC3 element) modulo the element width w.
function funnel(c: Cpu, esz: number, e: number, R: number, HI: number, LO: number, sh: number, left: boolean): void {
  const w = esz * 8, s = sh & (w - 1), pos = left ? w - s : s;
  if (esz === 2) {
    const x = ((c.v16[(HI >> 1) + e] << 16) | c.v16[(LO >> 1) + e]) >>> 0;
    c.v16[(R >> 1) + e] = x >>> pos;
  } else if (esz === 4) {
    const hi = c.v32[(HI >> 2) + e], lo = c.v32[(LO >> 2) + e];
    c.v32[(R >> 2) + e] = pos === 0 ? lo : pos === 32 ? hi : (lo >>> pos) | (hi << (32 - pos));
  } else {
    const v = c.v32, h = (HI >> 2) + 2 * e, l = (LO >> 2) + 2 * e;
    const wd = [v[l], v[l + 1], v[h], v[h + 1], 0];
    const k = pos >>> 5, b = pos & 31;
    v[(R >> 2) + 2 * e] = b === 0 ? wd[k] : (wd[k] >>> b) | (wd[k + 1] << (32 - b));
    v[(R >> 2) + 2 * e + 1] = b === 0 ? wd[k + 1] : (wd[k + 1] >>> b) | (wd[k + 2] << (32 - b));
  }
}
/** Shift count of element e of a count vector at base B (only the low bits matter). */
function countAt(c: Cpu, esz: number, B: number, e: number): number {
  return esz === 2 ? c.v16[(B >> 1) + e] : c.v32[(B + e * esz) >> 2];
}
for (const [t, esz] of [['w', 2], ['d', 4], ['q', 8]] as const) {
  defineEvex(`vpshld${t}`, { esz, lane: (c, e, R, A, B, _D, imm) => funnel(c, esz, e, R, A, B, imm, true) });
  defineEvex(`vpshrd${t}`, { esz, lane: (c, e, R, A, B, _D, imm) => funnel(c, esz, e, R, B, A, imm, false) });
  defineEvex(`vpshldv${t}`, { esz, lane: (c, e, R, A, B, D) => funnel(c, esz, e, R, D, A, countAt(c, esz, B, e), true) });
  defineEvex(`vpshrdv${t}`, { esz, lane: (c, e, R, A, B, D) => funnel(c, esz, e, R, A, D, countAt(c, esz, B, e), false) });
}

// ------------------------------------------------------------------ VNNI
// VPDPBUSD(S): DEST.dword[i] += Σk ZX(SRC1.byte[4i+k]) * SX(SRC2.byte[4i+k]), wrapping or
// signed-saturated (the S forms saturate the whole sum ORIGDEST + p0 + p1 + p2 + p3).
// VPDPWSSD(S): DEST.dword[i] += SX(SRC1.word[2i]) * SX(SRC2.word[2i]) + the same for 2i+1.
// Every intermediate fits a double exactly (|sum| < 2^33).
function dpbusd(c: Cpu, e: number, A: number, B: number, D: number): number {
  const u = c.v8, s = viewOf(c, 'i8'), a = A + 4 * e, b = B + 4 * e;
  return c.vi32[(D >> 2) + e] + u[a] * s[b] + u[a + 1] * s[b + 1] + u[a + 2] * s[b + 2] + u[a + 3] * s[b + 3];
}
function dpwssd(c: Cpu, e: number, A: number, B: number, D: number): number {
  const s = viewOf(c, 'i16'), a = (A >> 1) + 2 * e, b = (B >> 1) + 2 * e;
  return c.vi32[(D >> 2) + e] + s[a] * s[b] + s[a + 1] * s[b + 1];
}
const VNNI: Array<[string, (c: Cpu, e: number, A: number, B: number, D: number) => number, boolean]> = [
  ['vpdpbusd', dpbusd, false], ['vpdpbusds', dpbusd, true], ['vpdpwssd', dpwssd, false], ['vpdpwssds', dpwssd, true],
];
for (const [mn, f, s] of VNNI) {
  defineEvex(mn, { esz: 4, lane: (c, e, R, A, B, D) => { const v = f(c, e, A, B, D); c.vi32[(R >> 2) + e] = s ? sat32(v) : v | 0; } });
  // AVX-VNNI (VEX.128/256, no masking): DEST is the accumulator, SRC1 = VEX.vvvv, SRC2 = r/m.
  defVec(mn.slice(1).replace(/^./, (x) => x.toUpperCase()), (c, d, a, b, n, _imm, i) => {
    const D = i.r0 * 64, A = a * 64, B = b * 64;
    for (let e = 0; e < n >> 2; e++) { const v = f(c, e, A, B, D); c.vi32[d * 16 + e] = s ? sat32(v) : v | 0; }
  }, { owner: 'avx-vnni' }, formsOf(mn.slice(1).replace(/^./, (x) => x.toUpperCase())).filter((fm) => fm.vex));
}

// ------------------------------------------------------------------ IFMA
// VPMADD52LUQ / VPMADD52HUQ DEST, SRC2, SRC3: the 104-bit product of the low 52 bits of
// SRC2.qword and SRC3.qword; DEST.qword += its bits 51:0 (LUQ) or 103:52 (HUQ), mod 2^64.
// Without BigInt: each factor is split into 26-bit halves a = a1·2^26 + a0, and the product
// a1b1·2^52 + (a1b0 + a0b1)·2^26 + a0b0 is carried through four 26-bit digits d0..d3
// (every partial sum < 2^53, exact in a double).
const T26 = 0x4000000, M26 = 0x3ffffff;
function madd52(c: Cpu, e: number, R: number, A: number, B: number, D: number, high: boolean): void {
  const v = c.v32, a = (A >> 2) + 2 * e, b = (B >> 2) + 2 * e, d = (D >> 2) + 2 * e;
  const a0 = v[a] & M26, a1 = ((v[a] >>> 26) | ((v[a + 1] & 0xfffff) << 6)) >>> 0;
  const b0 = v[b] & M26, b1 = ((v[b] >>> 26) | ((v[b + 1] & 0xfffff) << 6)) >>> 0;
  const p0 = a0 * b0, pm = a1 * b0 + a0 * b1, p2 = a1 * b1;
  const d0 = p0 % T26;
  const t1 = Math.floor(p0 / T26) + (pm % T26);
  const d1 = t1 % T26;
  const t2 = Math.floor(t1 / T26) + Math.floor(pm / T26) + (p2 % T26);
  const d2 = t2 % T26;
  const d3 = Math.floor(t2 / T26) + Math.floor(p2 / T26);
  const x = high ? d3 * T26 + d2 : d1 * T26 + d0; // < 2^52
  const xlo = x % 0x100000000, xhi = Math.floor(x / 0x100000000);
  const lo = v[d] + xlo;
  const r = (R >> 2) + 2 * e;
  v[r] = lo; // stored mod 2^32
  v[r + 1] = v[d + 1] + xhi + (lo >= 0x100000000 ? 1 : 0);
}
defineEvex('vpmadd52luq', { esz: 8, lane: (c, e, R, A, B, D) => madd52(c, e, R, A, B, D, false) });
defineEvex('vpmadd52huq', { esz: 8, lane: (c, e, R, A, B, D) => madd52(c, e, R, A, B, D, true) });

markImplemented('avx512vbmi', 'avx512_vbmi2', 'avx512_vnni', 'avx512ifma', 'avx512_bitalg', 'avx512_vpopcntdq', 'avx_vnni');
