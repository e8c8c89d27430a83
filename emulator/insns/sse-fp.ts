/**
 * SSE/AVX floating-point arithmetic, compares and conversions (SDM vol. 2):
 * ADD/SUB/MUL/DIV/MIN/MAX/SQRT PS/PD/SS/SD, ADDSUBPS/PD, HADD/HSUB PS/PD,
 * DPPS/DPPD, ROUNDPS/PD/SS/SD, CMPPS/PD/SS/SD (legacy predicates 0-7, VEX
 * 0-31), COMISS/COMISD/UCOMISS/UCOMISD, CVT* between f32/f64/int32/int64.
 *
 * Every lane goes through emulator/fpu/simd-fp (exact rounding, DAZ/FTZ,
 * NaN rules, MXCSR flags); results are computed into scratch and committed
 * only when no unmasked exception was raised (sse-core fpCommit).
 */
import { defVec, def, formsOf, ENV, fpCommit, loadOperand, finishVex, writeGpr32, writeGpr64, type LaneFn, type Form } from './sse-core.ts';
import { sseGate, vexGate, writeVec } from './simd-state.ts';
import { setArithFlags } from '../cpu/flags.ts';
import {
  addF32, subF32, mulF32, divF32, minF32, maxF32, sqrtF32, addF64, subF64, mulF64, divF64, minF64, maxF64, sqrtF64,
  cmpF32, cmpF64, comiF32, comiF64, rndscaleF32, rndscaleF64,
  cvtF32toF64, cvtF64toF32, cvtF32toI32, cvtF64toI32, cvtF32toI64, cvtF64toI64,
  cvtI32toF32, cvtI32toF64, cvtI64toF32, cvtI64toF64, loadMxcsr,
} from '../fpu/simd-fp.ts';
import type { FpEnv } from '../fpu/simd-fp.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

type F32Bin = (env: FpEnv, a: number, b: number) => number;
type F64Bin = (env: FpEnv, alo: number, ahi: number, blo: number, bhi: number) => number;

const FP = { fp: true } as const;
const FPS = { fp: true, scalar: true, unaligned: true } as const;

/** Packed/scalar f32 binary op over `cnt(n)` elements. */
function ps(f: F32Bin, scalar: boolean): LaneFn {
  return (c, d, a, b, n) => {
    const V = c.v32, e = scalar ? 1 : n >> 2;
    for (let k = 0; k < e; k++) V[d * 16 + k] = f(ENV, V[a * 16 + k], V[b * 16 + k]);
  };
}
function pd(f: F64Bin, scalar: boolean): LaneFn {
  return (c, d, a, b, n) => {
    const V = c.v32, e = scalar ? 1 : n >> 3;
    for (let k = 0; k < 2 * e; k += 2) {
      f(ENV, V[a * 16 + k], V[a * 16 + k + 1], V[b * 16 + k], V[b * 16 + k + 1]);
      V[d * 16 + k] = ENV.rlo; V[d * 16 + k + 1] = ENV.rhi;
    }
  };
}
const BIN: Array<[string, F32Bin, F64Bin]> = [
  ['Add', addF32, addF64], ['Sub', subF32, subF64], ['Mul', mulF32, mulF64], ['Div', divF32, divF64],
  ['Min', minF32, minF64], ['Max', maxF32, maxF64],
];
for (const [mn, f32, f64] of BIN) {
  defVec(mn + 'ps', ps(f32, false), FP);
  defVec(mn + 'pd', pd(f64, false), FP);
  defVec(mn + 'ss', ps(f32, true), FPS);
  defVec(mn + 'sd', pd(f64, true), FPS);
}
const sq32: F32Bin = (env, _a, b) => sqrtF32(env, b);
const sq64: F64Bin = (env, _al, _ah, bl, bh) => sqrtF64(env, bl, bh);
defVec('Sqrtps', ps(sq32, false), FP);
defVec('Sqrtpd', pd(sq64, false), FP);
defVec('Sqrtss', ps(sq32, true), FPS);
defVec('Sqrtsd', pd(sq64, true), FPS);

// ---- ADDSUB, horizontal add/sub ------------------------------------------------------------
defVec('Addsubps', (c, d, a, b, n) => {
  const V = c.v32;
  for (let k = 0; k < n >> 2; k++) V[d * 16 + k] = (k & 1 ? addF32 : subF32)(ENV, V[a * 16 + k], V[b * 16 + k]);
}, FP);
defVec('Addsubpd', (c, d, a, b, n) => {
  const V = c.v32;
  for (let k = 0; k < n >> 2; k += 2) {
    (k & 2 ? addF64 : subF64)(ENV, V[a * 16 + k], V[a * 16 + k + 1], V[b * 16 + k], V[b * 16 + k + 1]);
    V[d * 16 + k] = ENV.rlo; V[d * 16 + k + 1] = ENV.rhi;
  }
}, FP);
function hps(f: F32Bin): LaneFn {
  return (c, d, a, b, n) => {
    const V = c.v32;
    for (let l = 0; l < n >> 2; l += 4) {
      const A = a * 16 + l, B = b * 16 + l, D = d * 16 + l;
      const r0 = f(ENV, V[A], V[A + 1]), r1 = f(ENV, V[A + 2], V[A + 3]);
      const r2 = f(ENV, V[B], V[B + 1]), r3 = f(ENV, V[B + 2], V[B + 3]);
      V[D] = r0; V[D + 1] = r1; V[D + 2] = r2; V[D + 3] = r3;
    }
  };
}
function hpd(f: F64Bin): LaneFn {
  return (c, d, a, b, n) => {
    const V = c.v32;
    for (let l = 0; l < n >> 2; l += 4) {
      const A = a * 16 + l, B = b * 16 + l, D = d * 16 + l;
      f(ENV, V[A], V[A + 1], V[A + 2], V[A + 3]); const l0 = ENV.rlo, h0 = ENV.rhi;
      f(ENV, V[B], V[B + 1], V[B + 2], V[B + 3]);
      V[D] = l0; V[D + 1] = h0; V[D + 2] = ENV.rlo; V[D + 3] = ENV.rhi;
    }
  };
}
defVec('Haddps', hps(addF32), FP);
defVec('Hsubps', hps(subF32), FP);
defVec('Haddpd', hpd(addF64), FP);
defVec('Hsubpd', hpd(subF64), FP);

// ---- DPPS / DPPD ------------------------------------------------------------------------------
defVec('Dpps', (c, d, a, b, n, imm) => {
  const V = c.v32;
  for (let l = 0; l < n >> 2; l += 4) {
    const p = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) if (imm & (16 << k)) p[k] = mulF32(ENV, V[a * 16 + l + k], V[b * 16 + l + k]);
    const t1 = addF32(ENV, p[0], p[1]), t2 = addF32(ENV, p[2], p[3]);
    const s = addF32(ENV, t1, t2);
    for (let k = 0; k < 4; k++) V[d * 16 + l + k] = imm & (1 << k) ? s : 0;
  }
}, FP);
defVec('Dppd', (c, d, a, b, _n, imm) => {
  const V = c.v32;
  let l0 = 0, h0 = 0, l1 = 0, h1 = 0;
  if (imm & 16) { mulF64(ENV, V[a * 16], V[a * 16 + 1], V[b * 16], V[b * 16 + 1]); l0 = ENV.rlo; h0 = ENV.rhi; }
  if (imm & 32) { mulF64(ENV, V[a * 16 + 2], V[a * 16 + 3], V[b * 16 + 2], V[b * 16 + 3]); l1 = ENV.rlo; h1 = ENV.rhi; }
  addF64(ENV, l0, h0, l1, h1);
  const rl = ENV.rlo, rh = ENV.rhi;
  V[d * 16] = imm & 1 ? rl : 0; V[d * 16 + 1] = imm & 1 ? rh : 0;
  V[d * 16 + 2] = imm & 2 ? rl : 0; V[d * 16 + 3] = imm & 2 ? rh : 0;
}, FP);

// ---- ROUND ------------------------------------------------------------------------------------
defVec('Roundps', (c, d, _a, b, n, imm) => { const V = c.v32; for (let k = 0; k < n >> 2; k++) V[d * 16 + k] = rndscaleF32(ENV, V[b * 16 + k], imm & 15); }, FP);
defVec('Roundpd', (c, d, _a, b, n, imm) => {
  const V = c.v32;
  for (let k = 0; k < n >> 2; k += 2) { rndscaleF64(ENV, V[b * 16 + k], V[b * 16 + k + 1], imm & 15); V[d * 16 + k] = ENV.rlo; V[d * 16 + k + 1] = ENV.rhi; }
}, FP);
defVec('Roundss', (c, d, _a, b, _n, imm) => { c.v32[d * 16] = rndscaleF32(ENV, c.v32[b * 16], imm & 15); }, FPS);
defVec('Roundsd', (c, d, _a, b, _n, imm) => { rndscaleF64(ENV, c.v32[b * 16], c.v32[b * 16 + 1], imm & 15); c.v32[d * 16] = ENV.rlo; c.v32[d * 16 + 1] = ENV.rhi; }, FPS);

// ---- CMP --------------------------------------------------------------------------------------
const pred = (i: Insn, imm: number) => (i.enc === 0 ? imm & 7 : imm & 31);
function cmpps(scalar: boolean): LaneFn {
  return (c, d, a, b, n, imm, i) => {
    const V = c.v32, p = pred(i, imm), e = scalar ? 1 : n >> 2;
    for (let k = 0; k < e; k++) V[d * 16 + k] = cmpF32(ENV, V[a * 16 + k], V[b * 16 + k], p) ? 0xffffffff : 0;
  };
}
function cmppd(scalar: boolean): LaneFn {
  return (c, d, a, b, n, imm, i) => {
    const V = c.v32, p = pred(i, imm), e = scalar ? 1 : n >> 3;
    for (let k = 0; k < 2 * e; k += 2) {
      const r = cmpF64(ENV, V[a * 16 + k], V[a * 16 + k + 1], V[b * 16 + k], V[b * 16 + k + 1], p) ? 0xffffffff : 0;
      V[d * 16 + k] = r; V[d * 16 + k + 1] = r;
    }
  };
}
defVec('Cmpps', cmpps(false), FP);
defVec('Cmppd', cmppd(false), FP);
defVec('Cmpss', cmpps(true), FPS);
defVec('Cmpsd', cmppd(true), FPS);

/** Loads MXCSR's control bits into ENV (for handlers outside defVec). */
export function fpBegin(c: Cpu): void { loadMxcsr(ENV, c.mxcsr); }

for (const [mn, dbl, sig] of [['Comiss', false, true], ['Ucomiss', false, false], ['Comisd', true, true], ['Ucomisd', true, false]] as const) {
  for (const f of formsOf(mn)) {
    const gate = f.vex ? vexGate : sseGate;
    def(f.name, (c, i) => {
      gate(c);
      const b = i.memOp >= 0 ? loadOperand(c, i, f.vex, false, false) : i.r1;
      fpBegin(c);
      const V = c.v32, a = i.r0;
      const fl = dbl ? comiF64(ENV, V[a * 16], V[a * 16 + 1], V[b * 16], V[b * 16 + 1], sig) : comiF32(ENV, V[a * 16], V[b * 16], sig);
      fpCommit(c);
      setArithFlags(c, fl);
    });
  }
}

// ---- conversions: packed --------------------------------------------------------------------
/** Output byte count of a conversion form: narrowing ones write an XMM (16 bytes). */
const out16 = () => 16;
defVec('Cvtdq2ps', (c, d, _a, b, n) => { const V = c.v32; for (let k = 0; k < n >> 2; k++) V[d * 16 + k] = cvtI32toF32(ENV, V[b * 16 + k]); }, FP);
for (const [mn, t] of [['Cvtps2dq', false], ['Cvttps2dq', true]] as const) {
  defVec(mn, (c, d, _a, b, n) => { const V = c.v32; for (let k = 0; k < n >> 2; k++) V[d * 16 + k] = cvtF32toI32(ENV, V[b * 16 + k], t); }, FP);
}
// f64 → 32-bit lanes: the source has n bytes (16 or 32); results fill the low half, the rest of the XMM is zero.
function narrow(f: (c: Cpu, V: Uint32Array, b: number, k: number) => number): LaneFn {
  return (c, d, _a, b, n) => {
    const V = c.v32, e = n >> 3;
    for (let k = 0; k < e; k++) V[d * 16 + k] = f(c, V, b, k);
    for (let k = e; k < 4; k++) V[d * 16 + k] = 0;
  };
}
const srcLen = (f: Form) => (f.ops.some((t) => t.startsWith('ymm')) ? 32 : 16);
function narrowForms(mn: string, f: (c: Cpu, V: Uint32Array, b: number, k: number) => number): void {
  const nf = narrow(f);
  for (const form of formsOf(mn)) {
    // n passed to the lane function is the source length; the destination is an XMM
    const len = srcLen(form);
    defVec(mn, (c, d, a, b, _n, imm, i) => nf(c, d, a, b, len, imm, i), { fp: true, outBytes: out16 }, [form]);
  }
}
narrowForms('Cvtpd2dq', (_c, V, b, k) => cvtF64toI32(ENV, V[b * 16 + 2 * k], V[b * 16 + 2 * k + 1], false));
narrowForms('Cvttpd2dq', (_c, V, b, k) => cvtF64toI32(ENV, V[b * 16 + 2 * k], V[b * 16 + 2 * k + 1], true));
narrowForms('Cvtpd2ps', (_c, V, b, k) => cvtF64toF32(ENV, V[b * 16 + 2 * k], V[b * 16 + 2 * k + 1]));
// 32-bit lanes → f64: n is the destination length; the source supplies n/8 elements.
defVec('Cvtdq2pd', (c, d, _a, b, n) => {
  const V = c.v32, e = n >> 3;
  for (let k = e - 1; k >= 0; k--) { cvtI32toF64(ENV, V[b * 16 + k]); V[d * 16 + 2 * k] = ENV.rlo; V[d * 16 + 2 * k + 1] = ENV.rhi; }
}, { fp: true, unaligned: true });
defVec('Cvtps2pd', (c, d, _a, b, n) => {
  const V = c.v32, e = n >> 3;
  const s = [V[b * 16], V[b * 16 + 1], V[b * 16 + 2], V[b * 16 + 3]];
  for (let k = 0; k < e; k++) { cvtF32toF64(ENV, s[k]); V[d * 16 + 2 * k] = ENV.rlo; V[d * 16 + 2 * k + 1] = ENV.rhi; }
}, { fp: true, unaligned: true });

// ---- conversions: scalar ---------------------------------------------------------------------
defVec('Cvtss2sd', (c, d, _a, b) => { cvtF32toF64(ENV, c.v32[b * 16]); c.v32[d * 16] = ENV.rlo; c.v32[d * 16 + 1] = ENV.rhi; }, FPS);
defVec('Cvtsd2ss', (c, d, _a, b) => { c.v32[d * 16] = cvtF64toF32(ENV, c.v32[b * 16], c.v32[b * 16 + 1]); }, FPS);

// CVTSI2SS/SD xmm, r/m32|64: the integer comes from a GPR or memory.
for (const [mn, dbl] of [['Cvtsi2ss', false], ['Cvtsi2sd', true]] as const) {
  for (const f of formsOf(mn)) {
    const vex = f.vex, gate = vex ? vexGate : sseGate, w64 = f.ops.includes('rm64');
    const run = (c: Cpu, i: Insn, lo: number, hi: number) => {
      fpBegin(c);
      const a = vex ? i.r1 : i.r0, V = c.v32, T = 34 * 16;
      for (let k = 0; k < 4; k++) V[T + k] = V[a * 16 + k];
      if (dbl) { if (w64) cvtI64toF64(ENV, lo, hi); else cvtI32toF64(ENV, lo); V[T] = ENV.rlo; V[T + 1] = ENV.rhi; }
      else V[T] = w64 ? cvtI64toF32(ENV, lo, hi) : cvtI32toF32(ENV, lo);
      fpCommit(c);
      writeVec(c, i.r0, 34, 16, vex);
    };
    const gi = vex ? 2 : 1;
    def(f.name, (c, i) => { gate(c); const r = gi === 2 ? i.r2 : i.r1; run(c, i, c.R[2 * r], c.R[2 * r + 1]); },
      (c, i) => { gate(c); const la = c.ea(i); if (w64) { const lo = c.rd64(la); run(c, i, lo, c.mhi); } else run(c, i, c.rd32(la), 0); });
  }
}

// CVT(T)SS2SI / CVT(T)SD2SI r32|r64, xmm/m.
for (const [mn, dbl, t] of [['Cvtss2si', false, false], ['Cvttss2si', false, true], ['Cvtsd2si', true, false], ['Cvttsd2si', true, true]] as const) {
  for (const f of formsOf(mn)) {
    const gate = f.vex ? vexGate : sseGate, w64 = f.ops[0] === 'r64';
    def(f.name, (c, i) => {
      gate(c);
      const b = i.memOp >= 0 ? loadOperand(c, i, f.vex, false, false) : i.r1;
      fpBegin(c);
      const V = c.v32;
      let lo: number, hi = 0;
      if (w64) { if (dbl) cvtF64toI64(ENV, V[b * 16], V[b * 16 + 1], t); else cvtF32toI64(ENV, V[b * 16], t); lo = ENV.rlo; hi = ENV.rhi; }
      else lo = dbl ? cvtF64toI32(ENV, V[b * 16], V[b * 16 + 1], t) : cvtF32toI32(ENV, V[b * 16], t);
      fpCommit(c);
      if (w64) writeGpr64(c, i.r0, lo, hi); else writeGpr32(c, i.r0, lo);
    });
  }
}

export { finishVex };
