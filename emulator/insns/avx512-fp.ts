/**
 * AVX-512 floating-point operations (EVEX forms), every lane computed by the
 * FP library (emulator/fpu/simd-fp*.ts) under MXCSR or the EVEX embedded
 * rounding / {sae} override: VADD/SUB/MUL/DIV/MIN/MAX/SQRT/SCALEF (PS/PD/SS/SD),
 * FMA (132/213/231, ADDSUB/SUBADD), VCMPPS/PD/SS/SD into opmasks (32
 * predicates), VFPCLASS, VGETEXP, VGETMANT, VRNDSCALE, VREDUCE, conversions
 * (VCVT* incl. unsigned, truncating, 64-bit integers, PH<->PS, scalar with
 * GPRs), VCOMISS/VUCOMISS. Masked-off lanes are not computed, so they raise
 * no exceptions. SDM vol. 2 per instruction.
 */
import * as fp from '../fpu/simd-fp.ts';
import type { FpEnv } from '../fpu/simd-fp.ts';
import { defineEvex, defineEvexWith, cmpHandler, fpBegin, fpEnd, evexGateOnly, Op, type LaneFn, type Shape } from './avx512-core.ts';
import { VTMP0 } from '../cpu/state.ts';
import type { Cpu } from '../cpu/cpu.ts';

const r32 = (c: Cpu, B: number, e: number) => c.v32[(B >> 2) + e];
const lo64 = (c: Cpu, B: number, e: number) => c.v32[(B >> 2) + 2 * e];
const hi64 = (c: Cpu, B: number, e: number) => c.v32[(B >> 2) + 2 * e + 1];
const w32 = (c: Cpu, R: number, e: number, v: number) => { c.v32[(R >> 2) + e] = v; };
const w64 = (c: Cpu, R: number, e: number, env: FpEnv) => { c.v32[(R >> 2) + 2 * e] = env.rlo; c.v32[(R >> 2) + 2 * e + 1] = env.rhi; };

type F32Bin = (env: FpEnv, a: number, b: number) => number;
type F64Bin = (env: FpEnv, alo: number, ahi: number, blo: number, bhi: number) => number;

const BIN: [string, F32Bin, F64Bin][] = [
  ['add', fp.addF32, fp.addF64], ['sub', fp.subF32, fp.subF64], ['mul', fp.mulF32, fp.mulF64],
  ['div', fp.divF32, fp.divF64], ['min', fp.minF32, fp.minF64], ['max', fp.maxF32, fp.maxF64],
  ['scalef', fp.scalefF32, fp.scalefF64],
];
for (const [op, f32, f64] of BIN) {
  const l32: LaneFn = (c, e, R, A, B, _D, _i, env) => w32(c, R, e, f32(env, r32(c, A, e), r32(c, B, e)));
  const l64: LaneFn = (c, e, R, A, B, _D, _i, env) => { f64(env, lo64(c, A, e), hi64(c, A, e), lo64(c, B, e), hi64(c, B, e)); w64(c, R, e, env); };
  defineEvex(`v${op}ps`, { esz: 4, fp: true, lane: l32 });
  defineEvex(`v${op}pd`, { esz: 8, fp: true, lane: l64 });
  defineEvex(`v${op}ss`, { esz: 4, fp: true, scalar: true, lane: l32 });
  defineEvex(`v${op}sd`, { esz: 8, fp: true, scalar: true, lane: l64 });
}

/** Unary ops: packed forms read A, scalar forms read B (upper bits from A). */
function unary(mn: string, f32: (env: FpEnv, a: number, imm: number) => number, f64: (env: FpEnv, lo: number, hi: number, imm: number) => number): void {
  const p32 = (src: 'A' | 'B'): LaneFn => (c, e, R, A, B, _D, imm, env) => w32(c, R, e, f32(env, r32(c, src === 'A' ? A : B, e), imm));
  const p64 = (src: 'A' | 'B'): LaneFn => (c, e, R, A, B, _D, imm, env) => { const S = src === 'A' ? A : B; f64(env, lo64(c, S, e), hi64(c, S, e), imm); w64(c, R, e, env); };
  defineEvex(`${mn}ps`, { esz: 4, fp: true, lane: p32('A') });
  defineEvex(`${mn}pd`, { esz: 8, fp: true, lane: p64('A') });
  defineEvex(`${mn}ss`, { esz: 4, fp: true, scalar: true, lane: p32('B') });
  defineEvex(`${mn}sd`, { esz: 8, fp: true, scalar: true, lane: p64('B') });
}
unary('vsqrt', (env, a) => fp.sqrtF32(env, a), (env, lo, hi) => fp.sqrtF64(env, lo, hi));
unary('vgetexp', (env, a) => fp.getexpF32(env, a), (env, lo, hi) => fp.getexpF64(env, lo, hi));
unary('vgetmant', fp.getmantF32, fp.getmantF64);
unary('vrndscale', fp.rndscaleF32, fp.rndscaleF64);
unary('vreduce', fp.reduceF32, fp.reduceF64);
// VRCP14 / VRSQRT14 (AVX-512F): Intel's reference approximation, which AMD silicon reproduces bit for bit
// (emulator/fpu/approx-14.ts); they read DAZ/FTZ and raise no floating-point exception.
unary('vrcp14', (env, a) => fp.rcp14F32(env, a), (env, lo, hi) => fp.rcp14F64(env, lo, hi));
unary('vrsqrt14', (env, a) => fp.rsqrt14F32(env, a), (env, lo, hi) => fp.rsqrt14F64(env, lo, hi));

// ---- FMA: x = destination (D), y = second operand (A), z = third (B)
const KINDS: [string, number][] = [['fmadd', fp.FMA_MADD], ['fmsub', fp.FMA_MSUB], ['fnmadd', fp.FMA_NMADD], ['fnmsub', fp.FMA_NMSUB], ['fmaddsub', -1], ['fmsubadd', -2]];
const FORMS: [string, number][] = [['132', fp.FORM_132], ['213', fp.FORM_213], ['231', fp.FORM_231]];
for (const [kn, kind] of KINDS) {
  for (const [fn, form] of FORMS) {
    const kOf = (e: number) => kind === -1 ? (e & 1 ? fp.FMA_MADD : fp.FMA_MSUB) : kind === -2 ? (e & 1 ? fp.FMA_MSUB : fp.FMA_MADD) : kind;
    const l32: LaneFn = (c, e, R, A, B, D, _i, env) => w32(c, R, e, fp.fmaF32(env, r32(c, D, e), r32(c, A, e), r32(c, B, e), kOf(e), form));
    const l64: LaneFn = (c, e, R, A, B, D, _i, env) => { fp.fmaF64(env, lo64(c, D, e), hi64(c, D, e), lo64(c, A, e), hi64(c, A, e), lo64(c, B, e), hi64(c, B, e), kOf(e), form); w64(c, R, e, env); };
    defineEvex(`v${kn}${fn}ps`, { esz: 4, fp: true, lane: l32 });
    defineEvex(`v${kn}${fn}pd`, { esz: 8, fp: true, lane: l64 });
    if (kind >= 0) {
      defineEvex(`v${kn}${fn}ss`, { esz: 4, fp: true, scalar: true, upperFromDst: true, lane: l32 });
      defineEvex(`v${kn}${fn}sd`, { esz: 8, fp: true, scalar: true, upperFromDst: true, lane: l64 });
    }
  }
}

// ---- compares into opmasks
defineEvexWith('vcmpps', (s) => cmpHandler(s, 4, (c, e, A, B, imm, env) => fp.cmpF32(env, r32(c, A, e), r32(c, B, e), imm & 31), true));
defineEvexWith('vcmppd', (s) => cmpHandler(s, 8, (c, e, A, B, imm, env) => fp.cmpF64(env, lo64(c, A, e), hi64(c, A, e), lo64(c, B, e), hi64(c, B, e), imm & 31), true));
defineEvexWith('vcmpss', (s) => cmpHandler(s, 4, (c, e, A, B, imm, env) => fp.cmpF32(env, r32(c, A, e), r32(c, B, e), imm & 31), true, true));
defineEvexWith('vcmpsd', (s) => cmpHandler(s, 8, (c, e, A, B, imm, env) => fp.cmpF64(env, lo64(c, A, e), hi64(c, A, e), lo64(c, B, e), hi64(c, B, e), imm & 31), true, true));

// ---- VFPCLASS: imm8 bit per category (0 QNaN, 1 +0, 2 -0, 3 +Inf, 4 -Inf, 5 denormal, 6 finite negative, 7 SNaN)
// MXCSR.DAZ makes a denormal classify as a zero of its sign (Zen 5 capture: sweep-vec
// EVEX_Vfpclassps_kr_k1_zmmm512b32_imm8-rk-03, 0x807FFFFF with DAZ is -0; EVEX_Vfpclasssd_kr_k1_xmmm64_imm8-mfsk-02).
let fpcDaz = false;
function fpclass(sign: boolean, expAll: boolean, expZero: boolean, manZero: boolean, quietBit: boolean, imm: number): boolean {
  let cat = 0;
  if (expAll) cat = manZero ? (sign ? 1 << 4 : 1 << 3) : quietBit ? 1 : 1 << 7;
  else if (expZero && (manZero || fpcDaz)) cat = sign ? 1 << 2 : 1 << 1;
  else { if (expZero) cat |= 1 << 5; if (sign) cat |= 1 << 6; }
  return (cat & imm) !== 0;
}
defineEvexWith('vfpclassps', (s) => cmpHandler(s, 4, (c, e, A, _B, imm) => { const a = r32(c, A, e); fpcDaz = (c.mxcsr & 0x40) !== 0; return fpclass(a < 0 || (a >>> 31) === 1, ((a >>> 23) & 255) === 255, ((a >>> 23) & 255) === 0, (a & 0x7fffff) === 0, (a & 0x400000) !== 0, imm); }, false));
defineEvexWith('vfpclassss', (s) => cmpHandler(s, 4, (c, e, A, _B, imm) => { const a = r32(c, A, e); fpcDaz = (c.mxcsr & 0x40) !== 0; return fpclass((a >>> 31) === 1, ((a >>> 23) & 255) === 255, ((a >>> 23) & 255) === 0, (a & 0x7fffff) === 0, (a & 0x400000) !== 0, imm); }, false, true));
const pc64 = (c: Cpu, e: number, A: number, imm: number) => { const lo = lo64(c, A, e), hi = hi64(c, A, e), ex = (hi >>> 20) & 0x7ff; fpcDaz = (c.mxcsr & 0x40) !== 0; return fpclass((hi >>> 31) === 1, ex === 0x7ff, ex === 0, (hi & 0xfffff) === 0 && lo === 0, (hi & 0x80000) !== 0, imm); };
defineEvexWith('vfpclasspd', (s) => cmpHandler(s, 8, (c, e, A, _B, imm) => pc64(c, e, A, imm), false));
defineEvexWith('vfpclasssd', (s) => cmpHandler(s, 8, (c, e, A, _B, imm) => pc64(c, e, A, imm), false, true));

// ---- conversions (element e of the source → element e of the destination)
type Rd = (c: Cpu, S: number, e: number, env: FpEnv) => void; // leaves the value in env.rlo/rhi (or V)
let V = 0;
const src32: Rd = (c, S, e) => { V = r32(c, S, e); };
const src64: Rd = (c, S, e, env) => { env.rlo = lo64(c, S, e); env.rhi = hi64(c, S, e); };
const src16: Rd = (c, S, e) => { V = c.v16[(S >> 1) + e]; };
interface Cv { s: number; d: number; rd: Rd; f: (env: FpEnv, imm: number) => void }
function conv(mn: string, cv: Cv, scalar = false): void {
  const lane: LaneFn = (c, e, R, A, B, _D, imm, env) => {
    cv.rd(c, scalar ? B : A, e, env);
    cv.f(env, imm);
    if (cv.d === 8) w64(c, R, e, env); else if (cv.d === 4) w32(c, R, e, V); else c.v16[(R >> 1) + e] = V;
  };
  if (scalar) defineEvex(mn, { esz: cv.d, fp: true, scalar: true, lane });
  else defineEvex(mn, { esz: cv.d, fp: true, lane, count: (s: Shape) => (s.ops[0] === Op.VecMem && s.srcW > s.dstW) || cv.s > cv.d ? s.srcW / cv.s : s.dstW / cv.d });
}
const I64 = (env: FpEnv) => [env.rlo, env.rhi] as const;
// float → integer
for (const t of [false, true]) {
  const T = t ? 't' : '';
  conv(`vcvt${T}ps2dq`, { s: 4, d: 4, rd: src32, f: (env) => { V = fp.cvtF32toI32(env, V, t); } });
  conv(`vcvt${T}ps2udq`, { s: 4, d: 4, rd: src32, f: (env) => { V = fp.cvtF32toU32(env, V, t); } });
  conv(`vcvt${T}ps2qq`, { s: 4, d: 8, rd: src32, f: (env) => { fp.cvtF32toI64(env, V, t); } });
  conv(`vcvt${T}ps2uqq`, { s: 4, d: 8, rd: src32, f: (env) => { fp.cvtF32toU64(env, V, t); } });
  conv(`vcvt${T}pd2dq`, { s: 8, d: 4, rd: src64, f: (env) => { const [l, h] = I64(env); V = fp.cvtF64toI32(env, l, h, t); } });
  conv(`vcvt${T}pd2udq`, { s: 8, d: 4, rd: src64, f: (env) => { const [l, h] = I64(env); V = fp.cvtF64toU32(env, l, h, t); } });
  conv(`vcvt${T}pd2qq`, { s: 8, d: 8, rd: src64, f: (env) => { const [l, h] = I64(env); fp.cvtF64toI64(env, l, h, t); } });
  conv(`vcvt${T}pd2uqq`, { s: 8, d: 8, rd: src64, f: (env) => { const [l, h] = I64(env); fp.cvtF64toU64(env, l, h, t); } });
}
// integer → float
conv('vcvtdq2ps', { s: 4, d: 4, rd: src32, f: (env) => { V = fp.cvtI32toF32(env, V); } });
conv('vcvtudq2ps', { s: 4, d: 4, rd: src32, f: (env) => { V = fp.cvtU32toF32(env, V); } });
conv('vcvtqq2ps', { s: 8, d: 4, rd: src64, f: (env) => { const [l, h] = I64(env); V = fp.cvtI64toF32(env, l, h); } });
conv('vcvtuqq2ps', { s: 8, d: 4, rd: src64, f: (env) => { const [l, h] = I64(env); V = fp.cvtU64toF32(env, l, h); } });
conv('vcvtdq2pd', { s: 4, d: 8, rd: src32, f: (env) => { fp.cvtI32toF64(env, V); } });
conv('vcvtudq2pd', { s: 4, d: 8, rd: src32, f: (env) => { fp.cvtU32toF64(env, V); } });
conv('vcvtqq2pd', { s: 8, d: 8, rd: src64, f: (env) => { const [l, h] = I64(env); fp.cvtI64toF64(env, l, h); } });
conv('vcvtuqq2pd', { s: 8, d: 8, rd: src64, f: (env) => { const [l, h] = I64(env); fp.cvtU64toF64(env, l, h); } });
// float ↔ float
conv('vcvtps2pd', { s: 4, d: 8, rd: src32, f: (env) => { fp.cvtF32toF64(env, V); } });
conv('vcvtpd2ps', { s: 8, d: 4, rd: src64, f: (env) => { const [l, h] = I64(env); V = fp.cvtF64toF32(env, l, h); } });
conv('vcvtph2ps', { s: 2, d: 4, rd: src16, f: (env) => { V = fp.cvtF16toF32(env, V); } });
conv('vcvtps2ph', { s: 4, d: 2, rd: src32, f: (env, imm) => { V = fp.cvtF32toF16(env, V, imm); } });
conv('vcvtss2sd', { s: 4, d: 8, rd: src32, f: (env) => { fp.cvtF32toF64(env, V); } }, true);
conv('vcvtsd2ss', { s: 8, d: 4, rd: src64, f: (env) => { const [l, h] = I64(env); V = fp.cvtF64toF32(env, l, h); } }, true);
// GPR/memory integer → scalar float (the integer source is in B: VTMP2 for a GPR, VTMP0 for memory)
for (const [mn, d, f] of [
  ['vcvtsi2ss', 4, (env: FpEnv, l: number, h: number, w: number) => { V = w === 8 ? fp.cvtI64toF32(env, l, h) : fp.cvtI32toF32(env, l); }],
  ['vcvtusi2ss', 4, (env: FpEnv, l: number, h: number, w: number) => { V = w === 8 ? fp.cvtU64toF32(env, l, h) : fp.cvtU32toF32(env, l); }],
  ['vcvtsi2sd', 8, (env: FpEnv, l: number, h: number, w: number) => { if (w === 8) fp.cvtI64toF64(env, l, h); else fp.cvtI32toF64(env, l); }],
  ['vcvtusi2sd', 8, (env: FpEnv, l: number, h: number, w: number) => { if (w === 8) fp.cvtU64toF64(env, l, h); else fp.cvtU32toF64(env, l); }],
] as const) {
  defineEvex(mn, (s) => {
    const w = s.w[2];
    return {
      esz: d, fp: true, scalar: true, lane: (c, _e, R, _A, B, _D, _i, env) => {
        f(env, c.v32[B >> 2], c.v32[(B >> 2) + 1], w);
        if (d === 8) w64(c, R, 0, env); else w32(c, R, 0, V);
      },
    };
  });
}
// scalar float → GPR
for (const [sfx, esz] of [['ss', 4], ['sd', 8]] as const) {
  for (const [kind, trunc, uns] of [['', false, false], ['t', true, false], ['', false, true], ['t', true, true]] as const) {
    const mn = `vcvt${kind}${sfx}2${uns ? 'usi' : 'si'}`;
    defineEvexWith(mn, (s) => (c, i) => {
      evexGateOnly(c);
      let S = i.r1 * 64;
      if (i.memOp === 1) { c.rdBytes(c.ea(i), esz, c.v8, VTMP0 * 64); S = VTMP0 * 64; }
      const env = fpBegin(c, i), w = s.w[0];
      let lo: number, hi = 0;
      const a = c.v32[S >> 2], ah = c.v32[(S >> 2) + 1];
      if (w === 4) {
        lo = esz === 4 ? (uns ? fp.cvtF32toU32(env, a, trunc) : fp.cvtF32toI32(env, a, trunc)) : (uns ? fp.cvtF64toU32(env, a, ah, trunc) : fp.cvtF64toI32(env, a, ah, trunc));
      } else {
        if (esz === 4) { if (uns) fp.cvtF32toU64(env, a, trunc); else fp.cvtF32toI64(env, a, trunc); }
        else { if (uns) fp.cvtF64toU64(env, a, ah, trunc); else fp.cvtF64toI64(env, a, ah, trunc); }
        lo = env.rlo; hi = env.rhi;
      }
      fpEnd(c);
      c.R[2 * i.r0] = lo; c.R[2 * i.r0 + 1] = hi;
    });
  }
}
// VCOMISS/VUCOMISS/VCOMISD/VUCOMISD: ZF PF CF from the relation, OF SF AF cleared.
for (const [mn, esz, sig] of [['vcomiss', 4, true], ['vucomiss', 4, false], ['vcomisd', 8, true], ['vucomisd', 8, false]] as const) {
  defineEvexWith(mn, () => (c, i) => {
    evexGateOnly(c);
    let S = i.r1 * 64;
    if (i.memOp === 1) { c.rdBytes(c.ea(i), esz, c.v8, VTMP0 * 64); S = VTMP0 * 64; }
    const A = i.r0 * 64, env = fpBegin(c, i);
    const f = esz === 4 ? fp.comiF32(env, c.v32[A >> 2], c.v32[S >> 2], sig) : fp.comiF64(env, c.v32[A >> 2], c.v32[(A >> 2) + 1], c.v32[S >> 2], c.v32[(S >> 2) + 1], sig);
    fpEnd(c);
    c.fz = f & 0x40 ? 0 : 1;
    c.fs = 0;
    c.fp = f & 0x04 ? 0 : 1;
    c.fa = f & 1;
  });
}

// ---- VFIXUPIMM: classify src (A, DAZ applied), pick a 4-bit token from the table (B), respond.
// Classes j: 0 QNaN, 1 SNaN, 2 ±0, 3 +1.0, 4 -Inf, 5 +Inf, 6 negative, 7 positive.
interface FxFmt { bits: number; exp: number; man: number; one: bigint; c90: bigint; pi2: bigint; max: bigint; qind: bigint; half: bigint }
const FX32: FxFmt = { bits: 32, exp: 8, man: 23, one: 0x3f800000n, c90: 0x42b40000n, pi2: 0x3fc90fdbn, max: 0x7f7fffffn, qind: 0xffc00000n, half: 0x3f000000n };
const FX64: FxFmt = { bits: 64, exp: 11, man: 52, one: 0x3ff0000000000000n, c90: 0x4056800000000000n, pi2: 0x3ff921fb54442d18n, max: 0x7fefffffffffffffn, qind: 0xfff8000000000000n, half: 0x3fe0000000000000n };
function fixup(F: FxFmt, env: FpEnv, dest: bigint, src: bigint, tbl: number, imm: number): bigint {
  const B = BigInt(F.bits), sgnBit = 1n << (B - 1n), manMask = (1n << BigInt(F.man)) - 1n;
  const expAll = (1n << BigInt(F.exp)) - 1n;
  const ex = (src >> BigInt(F.man)) & expAll, man = src & manMask, neg = (src & sgnBit) !== 0n;
  if (ex === 0n && man !== 0n && env.daz) src = 0n;
  const isZero = (src & ~sgnBit) === 0n;
  let j: number;
  if (ex === expAll && man !== 0n) j = man & (1n << BigInt(F.man - 1)) ? 0 : 1;
  else if (isZero) j = 2;
  else if (src === F.one) j = 3;
  else if (ex === expAll) j = neg ? 4 : 5;
  else j = neg ? 6 : 7;
  let fl = 0;
  if (j === 2 && imm & 1) fl |= fp.FE_ZE;
  if (j === 2 && imm & 2) fl |= fp.FE_IE;
  if (j === 3 && imm & 4) fl |= fp.FE_ZE;
  if (j === 3 && imm & 8) fl |= fp.FE_IE;
  if (j === 1 && imm & 16) fl |= fp.FE_IE;
  if (j === 4 && imm & 32) fl |= fp.FE_IE;
  if (j === 6 && imm & 64) fl |= fp.FE_IE;
  if (j === 5 && imm & 128) fl |= fp.FE_IE;
  if (fl) fp.raise(env, fl);
  const inf = expAll << BigInt(F.man);
  switch ((tbl >>> (4 * j)) & 15) {
    case 0: return dest;
    case 1: return src;
    case 2: return src | (expAll << BigInt(F.man)) | (1n << BigInt(F.man - 1)); // silicon: exponent forced to all ones
    case 3: return F.qind;
    case 4: return inf | sgnBit;
    case 5: return inf;
    case 6: return (src & sgnBit) ? inf | sgnBit : inf;
    case 7: return sgnBit;
    case 8: return 0n;
    case 9: return F.one | sgnBit;
    case 10: return F.one;
    case 11: return F.half;
    case 12: return F.c90;
    case 13: return F.pi2;
    case 14: return F.max;
    default: return F.max | sgnBit;
  }
}
const fx32: LaneFn = (c, e, R, A, B, D, imm, env) => w32(c, R, e, Number(fixup(FX32, env, BigInt(r32(c, D, e)), BigInt(r32(c, A, e)), r32(c, B, e), imm)));
const fx64: LaneFn = (c, e, R, A, B, D, imm, env) => {
  const v = fixup(FX64, env, c.v64[(D >> 3) + e], c.v64[(A >> 3) + e], r32(c, B, 2 * e), imm);
  c.v64[(R >> 3) + e] = v;
};
defineEvex('vfixupimmps', { esz: 4, fp: true, lane: fx32 });
defineEvex('vfixupimmpd', { esz: 8, fp: true, lane: fx64 });
defineEvex('vfixupimmss', { esz: 4, fp: true, scalar: true, lane: fx32 });
defineEvex('vfixupimmsd', { esz: 8, fp: true, scalar: true, lane: fx64 });

// ---- VRANGE: imm[1:0] min / max / min-abs / max-abs, imm[3:2] sign: src1, compare result, 0, 1.
function range(F: FxFmt, env: FpEnv, a: bigint, b: bigint, imm: number): bigint {
  const B = BigInt(F.bits), sgnBit = 1n << (B - 1n), manMask = (1n << BigInt(F.man)) - 1n, expAll = (1n << BigInt(F.exp)) - 1n;
  const q = 1n << BigInt(F.man - 1);
  const cls = (x: bigint) => { const ex = (x >> BigInt(F.man)) & expAll, m = x & manMask; return ex === expAll && m !== 0n ? (m & q ? 'q' : 's') : ex === 0n && m !== 0n ? 'd' : 'n'; };
  const ca = cls(a), cb = cls(b), sa = a & sgnBit;
  if (ca === 's' || cb === 's') { fp.raise(env, fp.FE_IE); return (ca === 's' ? a : b) | q; }
  // DAZ flushes a denormal source first, also when it is passed through opposite a QNaN (Zen 5 capture:
  // sweep-vec EVEX_Vrangeps_ymm_k1z_ymm_ymmm256b32_imm8-mukz-01, QNaN vs 0x00000122 with DAZ gives 0)
  if (env.daz) { if (ca === 'd') a &= sgnBit; if (cb === 'd') b &= sgnBit; }
  // one QNaN: the other operand is the result (both QNaN: src1); imm[3:2] then applies as usual, also to
  // a QNaN result (Zen 5 capture: sweep-vec EVEX_Vrangeps_zmm_k1z_zmm_zmmm512b32_imm8_sae-rk-02, 0xFFC00000 twice, imm 8: 0x7FC00000)
  if (ca === 'q' && cb === 'q') b = a;
  else if (ca === 'q') a = b;
  else if (cb === 'q') b = a;
  else if ((ca === 'd' || cb === 'd') && !env.daz) fp.raise(env, fp.FE_DE);
  // compare as sign-magnitude numbers
  const mag = (x: bigint) => x & ~sgnBit;
  const val = (x: bigint) => (x & sgnBit ? -mag(x) : mag(x)) * 2n + (x & sgnBit ? -1n : 0n); // -0 < +0
  const op = imm & 3;
  let r: bigint;
  if (op < 2) { const lt = val(a) < val(b); r = op === 0 ? (lt ? a : b) : (lt ? b : a); }
  else {
    const ma = mag(a), mb = mag(b);
    if (ma === mb) r = op === 2 ? (val(a) < val(b) ? a : b) : (val(a) < val(b) ? b : a);
    else r = op === 2 ? (ma < mb ? a : b) : (ma < mb ? b : a);
  }
  switch ((imm >> 2) & 3) {
    case 0: return (r & ~sgnBit) | sa;
    case 1: return r;
    case 2: return r & ~sgnBit;
    default: return r | sgnBit;
  }
}
const rg32: LaneFn = (c, e, R, A, B, _D, imm, env) => w32(c, R, e, Number(range(FX32, env, BigInt(r32(c, A, e)), BigInt(r32(c, B, e)), imm)));
const rg64: LaneFn = (c, e, R, A, B, _D, imm, env) => { c.v64[(R >> 3) + e] = range(FX64, env, c.v64[(A >> 3) + e], c.v64[(B >> 3) + e], imm); };
defineEvex('vrangeps', { esz: 4, fp: true, lane: rg32 });
defineEvex('vrangepd', { esz: 8, fp: true, lane: rg64 });
defineEvex('vrangess', { esz: 4, fp: true, scalar: true, lane: rg32 });
defineEvex('vrangesd', { esz: 8, fp: true, scalar: true, lane: rg64 });
