/**
 * AVX-512 F/BW/DQ/VL/CD integer element-wise operations (EVEX forms):
 * add/sub (wrapping and saturating), multiplies, min/max, abs, avg, logic,
 * VPTERNLOG, shifts (immediate, xmm count, variable), rotates, VPLZCNT,
 * VPCONFLICT, VPBLENDM, VPMADDWD/VPMADDUBSW/VPSADBW/VPMULHRSW, and the
 * compares into opmasks (VPCMP[U], VPCMPEQ/GT, VPTESTM/NM, VPMOV*2M).
 * SDM vol. 2 per instruction; each operation is one lane definition.
 */
import { defineEvex, defineEvexWith, cmpHandler, nlane, blane, viewOf, sv64, SIZE, evexGateOnly, Op, loadMask, writeK, type LaneFn, type View, type Shape, type VecSpec } from './avx512-core.ts';
import type { Cpu } from '../cpu/cpu.ts';

const sat = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
const SZ: Record<string, number> = { b: 1, w: 2, d: 4, q: 8 };
const U: Record<string, View> = { b: 'u8', w: 'u16', d: 'u32', q: 'u64' };
const S: Record<string, View> = { b: 'i8', w: 'i16', d: 'i32', q: 'i64' };

function intBin(mn: string, t: string, signed: boolean, f: (a: number, b: number) => number, g?: (a: bigint, b: bigint) => bigint): void {
  const esz = SZ[t];
  const lane: LaneFn = esz === 8 ? blane(signed, g!) : nlane(signed ? S[t] : U[t], f);
  defineEvex(mn, { esz, lane });
}

// ---- add / sub
for (const t of ['b', 'w', 'd', 'q']) {
  intBin(`vpadd${t}`, t, false, (a, b) => a + b, (a, b) => a + b);
  intBin(`vpsub${t}`, t, false, (a, b) => a - b, (a, b) => a - b);
}
for (const t of ['b', 'w']) {
  const bits = SZ[t] * 8, smax = 2 ** (bits - 1) - 1, smin = -(2 ** (bits - 1)), umax = 2 ** bits - 1;
  intBin(`vpadds${t}`, t, true, (a, b) => sat(a + b, smin, smax));
  intBin(`vpsubs${t}`, t, true, (a, b) => sat(a - b, smin, smax));
  intBin(`vpaddus${t}`, t, false, (a, b) => sat(a + b, 0, umax));
  intBin(`vpsubus${t}`, t, false, (a, b) => sat(a - b, 0, umax));
  intBin(`vpavg${t}`, t, false, (a, b) => (a + b + 1) >>> 1);
}
// ---- multiplies
intBin('vpmullw', 'w', false, (a, b) => Math.imul(a, b));
intBin('vpmulhw', 'w', true, (a, b) => (a * b) >> 16);
intBin('vpmulhuw', 'w', false, (a, b) => (a * b) >>> 16);
intBin('vpmulhrsw', 'w', true, (a, b) => (((a * b) >> 14) + 1) >> 1);
intBin('vpmulld', 'd', false, (a, b) => Math.imul(a, b));
intBin('vpmullq', 'q', false, () => 0, (a, b) => a * b);
intBin('vpmuldq', 'q', false, () => 0, (a, b) => BigInt.asIntN(32, a) * BigInt.asIntN(32, b));
intBin('vpmuludq', 'q', false, () => 0, (a, b) => BigInt.asUintN(32, a) * BigInt.asUintN(32, b));
// VPMADDWD/VPMADDUBSW: the memory source is read whole, no fault suppression (Zen 5 capture).
defineEvex('vpmaddwd', {
  esz: 4, elem: false,
  lane: (c, e, R, A, B) => {
    const v = viewOf(c, 'i16');
    const a = (A >> 1) + 2 * e, b = (B >> 1) + 2 * e;
    c.vi32[(R >> 2) + e] = (v[a] * v[b] + v[a + 1] * v[b + 1]) | 0;
  },
});
defineEvex('vpmaddubsw', {
  esz: 2, elem: false,
  lane: (c, e, R, A, B) => {
    const u = c.v8, s = viewOf(c, 'i8');
    const a = A + 2 * e, b = B + 2 * e;
    c.v16[(R >> 1) + e] = sat(u[a] * s[b] + u[a + 1] * s[b + 1], -32768, 32767);
  },
});
// VPSADBW has no masking: one sum of |a-b| over each 8 bytes into each qword.
defineEvex('vpsadbw', {
  esz: 8, noMask: true,
  lane: (c, e, R, A, B) => {
    const u = c.v8; let s = 0;
    for (let k = 0; k < 8; k++) s += Math.abs(u[A + 8 * e + k] - u[B + 8 * e + k]);
    c.v64[(R >> 3) + e] = BigInt(s);
  },
});
// ---- min / max
for (const t of ['b', 'w', 'd', 'q']) {
  intBin(`vpmins${t}`, t, true, (a, b) => Math.min(a, b), (a, b) => (a < b ? a : b));
  intBin(`vpmaxs${t}`, t, true, (a, b) => Math.max(a, b), (a, b) => (a > b ? a : b));
  intBin(`vpminu${t}`, t, false, (a, b) => Math.min(a, b), (a, b) => (a < b ? a : b));
  intBin(`vpmaxu${t}`, t, false, (a, b) => Math.max(a, b), (a, b) => (a > b ? a : b));
}
// ---- logic (the PS/PD forms of AVX512DQ are the same bitwise operations)
for (const [t, suffixes] of [['d', ['d', 'ps']], ['q', ['q', 'pd']]] as const) {
  const esz = SZ[t];
  const mk = (f: (a: number, b: number) => number): VecSpec => ({
    esz, lane: (c, e, R, A, B) => {
      const v = c.v32, n = esz >> 2;
      for (let k = 0; k < n; k++) v[(R >> 2) + e * n + k] = f(v[(A >> 2) + e * n + k], v[(B >> 2) + e * n + k]);
    },
  });
  for (const sfx of suffixes) {
    const p = sfx.length === 1 ? 'vp' : 'v';
    defineEvex(`${p}and${sfx}`, mk((a, b) => a & b));
    defineEvex(`${p}andn${sfx}`, mk((a, b) => ~a & b));
    defineEvex(`${p}or${sfx}`, mk((a, b) => a | b));
    defineEvex(`${p}xor${sfx}`, mk((a, b) => a ^ b));
  }
}
// VPTERNLOG: bit = imm8[(dst << 2) | (src2 << 1) | src3].
function ternlog32(d: number, a: number, b: number, imm: number): number {
  let r = 0;
  for (let x = 0; x < 8; x++) if ((imm >> x) & 1) r |= (x & 4 ? d : ~d) & (x & 2 ? a : ~a) & (x & 1 ? b : ~b);
  return r;
}
for (const t of ['d', 'q']) {
  const n = SZ[t] >> 2;
  defineEvex(`vpternlog${t}`, {
    esz: SZ[t], lane: (c, e, R, A, B, D, imm) => {
      const v = c.v32;
      for (let k = 0; k < n; k++) v[(R >> 2) + e * n + k] = ternlog32(v[(D >> 2) + e * n + k], v[(A >> 2) + e * n + k], v[(B >> 2) + e * n + k], imm);
    },
  });
}
// ---- abs, lzcnt
for (const t of ['b', 'w', 'd', 'q']) {
  defineEvex(`vpabs${t}`, { esz: SZ[t], lane: SZ[t] === 8 ? blane(true, (a) => (a < 0n ? -a : a)) : nlane(S[t], (a) => Math.abs(a)) });
}
defineEvex('vplzcntd', { esz: 4, lane: nlane('u32', (a) => Math.clz32(a)) });
defineEvex('vplzcntq', {
  esz: 8, lane: (c, e, R, A) => {
    const lo = c.v32[(A >> 2) + 2 * e], hi = c.v32[(A >> 2) + 2 * e + 1];
    c.v64[(R >> 3) + e] = BigInt(hi ? Math.clz32(hi) : 32 + Math.clz32(lo));
  },
});
// ---- VPCONFLICT: bit j of element e set iff j < e and src[j] == src[e].
for (const t of ['d', 'q']) {
  const esz = SZ[t];
  defineEvex(`vpconflict${t}`, {
    esz, whole: (c, _i, R, A, _B, _D, _imm, n) => {
      const v = c.v64, w = c.v32;
      for (let e = 0; e < n; e++) {
        let r = 0n;
        for (let j = 0; j < e; j++) {
          const eq = esz === 8 ? v[(A >> 3) + j] === v[(A >> 3) + e] : w[(A >> 2) + j] === w[(A >> 2) + e];
          if (eq) r |= 1n << BigInt(j);
        }
        if (esz === 8) v[(R >> 3) + e] = r; else w[(R >> 2) + e] = Number(r);
      }
    },
  });
}
// ---- VPBLENDM / VBLENDMP: dst = k ? src2 : (z ? 0 : src1); k0 selects src2 everywhere.
for (const [mn, t] of [['vpblendmb', 'b'], ['vpblendmw', 'w'], ['vpblendmd', 'd'], ['vpblendmq', 'q'], ['vblendmps', 'd'], ['vblendmpd', 'q']]) {
  const esz = SZ[t];
  defineEvex(mn, { esz, blend: true, lane: (c, e, R, _A, B) => { c.v8.copyWithin(R + e * esz, B + e * esz, B + e * esz + esz); } });
}

// ---- shifts
type ShiftKind = 'll' | 'rl' | 'ra';
function shiftN(kind: ShiftKind, bits: number, a: number, n: number): number {
  if (kind === 'ra') { const sh = 32 - bits; const s = (a << sh) >> sh; return n >= bits ? s >> 31 : s >> n; }
  if (n >= bits) return 0;
  return kind === 'll' ? a << n : (a >>> 0) >>> n;
}
function shiftQ(kind: ShiftKind, a: bigint, n: bigint): bigint {
  if (kind === 'ra') return BigInt.asIntN(64, a) >> (n > 63n ? 63n : n);
  if (n > 63n) return 0n;
  return kind === 'll' ? a << n : a >> n;
}
/** Count from the low 64 bits of the count operand (unsigned; any value ≥ width saturates). */
function countOf(c: Cpu, B: number): number {
  const lo = c.v32[B >> 2], hi = c.v32[(B >> 2) + 1];
  return hi !== 0 || lo > 255 ? 255 : lo;
}
for (const [kind, nm] of [['ll', 'sll'], ['rl', 'srl'], ['ra', 'sra']] as const) {
  for (const t of ['w', 'd', 'q']) {
    const esz = SZ[t], bits = esz * 8;
    const imm = (n: number, a: number | bigint) => n;
    void imm;
    const laneImm: LaneFn = esz === 8
      ? (c, e, R, A, _B, _D, im) => { c.v64[(R >> 3) + e] = BigInt.asUintN(64, shiftQ(kind, c.v64[(A >> 3) + e], BigInt(im))); }
      : (c, e, R, A, _B, _D, im) => { const v = viewOf(c, U[t]); const sh = Math.log2(esz); v[(R >> sh) + e] = shiftN(kind, bits, v[(A >> sh) + e], im); };
    const laneCnt: LaneFn = esz === 8
      ? (c, e, R, A, B) => { c.v64[(R >> 3) + e] = BigInt.asUintN(64, shiftQ(kind, c.v64[(A >> 3) + e], BigInt(countOf(c, B)))); }
      : (c, e, R, A, B) => { const v = viewOf(c, U[t]); const sh = Math.log2(esz); v[(R >> sh) + e] = shiftN(kind, bits, v[(A >> sh) + e], countOf(c, B)); };
    defineEvex(`vp${nm}${t}`, (s: Shape) => s.ops[s.ops.length - 1] === Op.Imm ? { esz, lane: laneImm } : { esz, lane: laneCnt, elem: false });
    // variable shifts
    const laneV: LaneFn = esz === 8
      ? (c, e, R, A, B) => { c.v64[(R >> 3) + e] = BigInt.asUintN(64, shiftQ(kind, c.v64[(A >> 3) + e], c.v64[(B >> 3) + e])); }
      : (c, e, R, A, B) => { const v = viewOf(c, U[t]); const sh = Math.log2(esz); const n = v[(B >> sh) + e] >>> 0; v[(R >> sh) + e] = shiftN(kind, bits, v[(A >> sh) + e], n > 255 ? 255 : n); };
    defineEvex(`vp${nm}v${t}`, { esz, lane: laneV });
  }
}
// ---- byte shifts (no masking): VPSLLDQ / VPSRLDQ per 128-bit lane
for (const [mn, left] of [['vpslldq', true], ['vpsrldq', false]] as const) {
  defineEvex(mn, {
    esz: 1, noMask: true, whole: (c, _i, R, A, _B, _D, imm, n) => {
      const u = c.v8, sh = imm > 16 ? 16 : imm;
      for (let l = 0; l < n; l += 16) for (let k = 0; k < 16; k++) {
        const src = left ? k - sh : k + sh;
        u[R + l + k] = src >= 0 && src < 16 ? u[A + l + src] : 0;
      }
    },
  });
}
// ---- rotates
function rot32(a: number, n: number, left: boolean): number {
  n &= 31; if (!left) n = (32 - n) & 31;
  return n === 0 ? a : (a << n) | (a >>> (32 - n));
}
function rot64(a: bigint, n: number, left: boolean): bigint {
  n &= 63; if (!left) n = (64 - n) & 63;
  return n === 0 ? a : BigInt.asUintN(64, (a << BigInt(n)) | (a >> BigInt(64 - n)));
}
for (const left of [true, false]) {
  const d = left ? 'l' : 'r';
  defineEvex(`vpro${d}d`, { esz: 4, lane: (c, e, R, A, _B, _D, imm) => { c.v32[(R >> 2) + e] = rot32(c.v32[(A >> 2) + e], imm, left); } });
  defineEvex(`vpro${d}q`, { esz: 8, lane: (c, e, R, A, _B, _D, imm) => { c.v64[(R >> 3) + e] = rot64(c.v64[(A >> 3) + e], imm, left); } });
  defineEvex(`vpro${d}vd`, { esz: 4, lane: (c, e, R, A, B) => { c.v32[(R >> 2) + e] = rot32(c.v32[(A >> 2) + e], c.v32[(B >> 2) + e] & 31, left); } });
  defineEvex(`vpro${d}vq`, { esz: 8, lane: (c, e, R, A, B) => { c.v64[(R >> 3) + e] = rot64(c.v64[(A >> 3) + e], Number(c.v64[(B >> 3) + e] & 63n), left); } });
}

// ---- compares into opmasks
function intCmp(pred: number, a: number | bigint, b: number | bigint): boolean {
  switch (pred & 7) {
    case 0: return a === b;
    case 1: return a < b;
    case 2: return a <= b;
    case 3: return false;
    case 4: return a !== b;
    case 5: return a >= b;
    case 6: return a > b;
    default: return true;
  }
}
function elemVal(c: Cpu, t: string, signed: boolean, base: number, e: number): number | bigint {
  if (t === 'q') return signed ? sv64(c)[(base >> 3) + e] : c.v64[(base >> 3) + e];
  const vw = signed ? S[t] : U[t];
  return viewOf(c, vw)[(base >> Math.log2(SIZE[vw])) + e];
}
for (const t of ['b', 'w', 'd', 'q']) {
  const esz = SZ[t];
  for (const [mn, signed] of [[`vpcmp${t}`, true], [`vpcmpu${t}`, false]] as const) {
    defineEvexWith(mn, (s) => cmpHandler(s, esz, (c, e, A, B, imm) => intCmp(imm, elemVal(c, t, signed, A, e), elemVal(c, t, signed, B, e)), false));
  }
  defineEvexWith(`vpcmpeq${t}`, (s) => cmpHandler(s, esz, (c, e, A, B) => elemVal(c, t, false, A, e) === elemVal(c, t, false, B, e), false));
  defineEvexWith(`vpcmpgt${t}`, (s) => cmpHandler(s, esz, (c, e, A, B) => elemVal(c, t, true, A, e) > elemVal(c, t, true, B, e), false));
  const nz = (c: Cpu, e: number, A: number, B: number) => {
    for (let k = 0; k < esz; k++) if (c.v8[A + e * esz + k] & c.v8[B + e * esz + k]) return true;
    return false;
  };
  defineEvexWith(`vptestm${t}`, (s) => cmpHandler(s, esz, (c, e, A, B) => nz(c, e, A, B), false));
  defineEvexWith(`vptestnm${t}`, (s) => cmpHandler(s, esz, (c, e, A, B) => !nz(c, e, A, B), false));
  // VPMOV*2M: mask bit = sign bit of each element (no write mask).
  defineEvexWith(`vpmov${t}2m`, (s) => (c, i) => {
    evexGateOnly(c);
    const n = s.srcW / esz, A = i.r1 * 64;
    let lo = 0, hi = 0;
    for (let e = 0; e < n; e++) if (c.v8[A + e * esz + esz - 1] & 0x80) { if (e < 32) lo |= 1 << e; else hi |= 1 << (e - 32); }
    writeK(c, i.r0, lo, hi);
  });
  // VPMOVM2*: each element = all ones if its mask bit is set.
  defineEvexWith(`vpmovm2${t}`, (s) => (c, i) => {
    evexGateOnly(c);
    const n = s.dstW / esz, d = i.r0 * 64;
    const lo = c.k32[2 * i.r1], hi = c.k32[2 * i.r1 + 1];
    for (let e = 0; e < n; e++) {
      const b = e < 32 ? (lo >>> e) & 1 : (hi >>> (e - 32)) & 1;
      c.v8.fill(b ? 255 : 0, d + e * esz, d + e * esz + esz);
    }
    c.v8.fill(0, d + n * esz, d + 64);
    c.xmodified |= vecComp(i.r0);
  });
}
void loadMask;
import { vecComponents } from './simd-state.ts';
const vecComp = (n: number) => vecComponents(n, 64);
