/**
 * FMA3 (VFMADD/VFMSUB/VFNMADD/VFNMSUB/VFMADDSUB/VFMSUBADD 132/213/231 PS/PD/SS/SD)
 * and F16C (VCVTPH2PS/VCVTPS2PH) (SDM vol. 2).
 *
 * Operand order as the SDM names it: op1 = destination (also a source), op2 =
 * VEX.vvvv, op3 = r/m; the 132/213/231 suffix picks which two are multiplied,
 * and the lane primitive (emulator/fpu/simd-fp-fma) applies that order with a
 * single rounding. Scalar forms keep bits 127:32 (or 127:64) of the
 * destination and zero the rest, as every VEX form does.
 */
import { defVec, def, formsOf, ENV, fpCommit, loadOperand, finishVex, type LaneFn } from './sse-core.ts';
import { vexGate } from './simd-state.ts';
import {
  fmaF32, fmaF64, FMA_MADD, FMA_MSUB, FMA_NMADD, FMA_NMSUB, FORM_132, FORM_213, FORM_231,
  cvtF16toF32, cvtF32toF16, loadMxcsr,
} from '../fpu/simd-fp.ts';

const FORMS: Array<[string, number]> = [['132', FORM_132], ['213', FORM_213], ['231', FORM_231]];

/** kindOf(k): the FMA kind of element k (alternating for MADDSUB/MSUBADD). */
function fma32(kindOf: (k: number) => number, form: number, scalar: boolean): LaneFn {
  return (c, d, a, b, n, _imm, i) => {
    const V = c.v32, x = i.r0;
    if (scalar) for (let k = 0; k < 4; k++) V[d * 16 + k] = V[x * 16 + k];
    const e = scalar ? 1 : n >> 2;
    for (let k = 0; k < e; k++) V[d * 16 + k] = fmaF32(ENV, V[x * 16 + k], V[a * 16 + k], V[b * 16 + k], kindOf(k), form);
  };
}
function fma64(kindOf: (k: number) => number, form: number, scalar: boolean): LaneFn {
  return (c, d, a, b, n, _imm, i) => {
    const V = c.v32, x = i.r0;
    if (scalar) for (let k = 0; k < 4; k++) V[d * 16 + k] = V[x * 16 + k];
    const e = scalar ? 1 : n >> 3;
    for (let k = 0; k < e; k++) {
      const o = 2 * k;
      fmaF64(ENV, V[x * 16 + o], V[x * 16 + o + 1], V[a * 16 + o], V[a * 16 + o + 1], V[b * 16 + o], V[b * 16 + o + 1], kindOf(k), form);
      V[d * 16 + o] = ENV.rlo; V[d * 16 + o + 1] = ENV.rhi;
    }
  };
}

const KINDS: Array<[string, (k: number) => number]> = [
  ['fmadd', () => FMA_MADD], ['fmsub', () => FMA_MSUB], ['fnmadd', () => FMA_NMADD], ['fnmsub', () => FMA_NMSUB],
  // MADDSUB: even elements subtract, odd elements add; MSUBADD the reverse.
  ['fmaddsub', (k) => (k & 1 ? FMA_MADD : FMA_MSUB)], ['fmsubadd', (k) => (k & 1 ? FMA_MSUB : FMA_MADD)],
];
for (const [kn, kindOf] of KINDS) {
  for (const [fs, form] of FORMS) {
    const base = kn[0].toUpperCase() + kn.slice(1) + fs;
    defVec(base + 'ps', fma32(kindOf, form, false), { fp: true });
    defVec(base + 'pd', fma64(kindOf, form, false), { fp: true });
    if (kn === 'fmaddsub' || kn === 'fmsubadd') continue;
    defVec(base + 'ss', fma32(kindOf, form, true), { fp: true, unaligned: true });
    defVec(base + 'sd', fma64(kindOf, form, true), { fp: true, unaligned: true });
  }
}

// ---- F16C -----------------------------------------------------------------------------------------------------
defVec('Cvtph2ps', (c, d, _a, b, n) => {
  const V = c.v32, H = c.v16;
  for (let k = (n >> 2) - 1; k >= 0; k--) V[d * 16 + k] = cvtF16toF32(ENV, H[b * 32 + k]);
}, { fp: true, unaligned: true });

for (const f of formsOf('Cvtps2ph')) {
  const n = f.ops[1] === 'ymm' ? 32 : 16; // source length; the result has n/2 bytes
  const run = (c: import('../cpu/cpu.ts').Cpu, i: import('../cpu/insn.ts').Insn): void => {
    loadMxcsr(ENV, c.mxcsr);
    const V = c.v32, H = c.v16, s = i.r1, imm = i.imm & 255;
    for (let k = 0; k < n >> 2; k++) H[34 * 32 + k] = cvtF32toF16(ENV, V[s * 16 + k], imm);
    fpCommit(c);
  };
  def(f.name, (c, i) => {
    vexGate(c);
    run(c, i);
    const V = c.v8;
    V.copyWithin(i.r0 * 64, 34 * 64, 34 * 64 + n / 2);
    finishVex(c, i.r0, n / 2);
  }, (c, i) => {
    vexGate(c);
    const la = c.ea(i);
    c.probe(la, n / 2, 1);
    run(c, i);
    c.wrBytes(la, n / 2, c.v8, 34 * 64);
  });
}

export { loadOperand };
