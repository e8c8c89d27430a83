// Fixes found by the silicon sweep (tools/hw-capture/sweep-vec.ts, captured on this project's AMD Zen 5
// host); each test restates the captured behaviour with hand-checkable operands.
import { describe, expect, test } from 'vitest';
import { mem, rdi, ymm1, ymm2, ymm3, xmm1, k1 } from '../../guest-kernel/asm/index.ts';
import { run, le, DATA } from './avx512-harness.ts';

describe('VRANGEPS with MXCSR.DAZ', () => {
  test('a denormal passed through opposite a QNaN is flushed to zero first (sweep-vec EVEX_Vrangeps_ymm_k1z_ymm_ymmm256b32_imm8-mukz-01)', () => {
    // imm8 0x5E: max (imm[1:0] = 2), sign bit set (imm[3:2] = 3). Element 0: QNaN vs denormal 0x00000122:
    // the result is the other operand, flushed by DAZ to +0, then the sign is set: 0x80000000.
    // Element 1: QNaN vs 0x6F0E49C3: 0xEF0E49C3. MXCSR 0x9FC0 = DAZ | FTZ, all masked.
    const a = le(4, [0x7fc00000, 0xffc00000, 0, 0, 0, 0, 0, 0]), b = le(4, [0x00000122, 0x6f0e49c3, 0, 0, 0, 0, 0, 0]);
    const r = run((x) => x.vrangeps(ymm1, ymm2, ymm3, 0x5e), { v: { 2: a, 3: b }, mxcsr: 0x9fc0 });
    expect(r.vec(1, 8)).toEqual(le(4, [0x80000000, 0xef0e49c3]));
    expect(r.c.mxcsr).toBe(0x9fc0);
  });
});

describe('VEXTRACTI32X4 to memory', () => {
  test('masked store: no fault suppression, the whole m128 must be writable (sweep-vec EVEX_Vextracti32x4_xmmm128_k1z_ymm_imm8-mxk-01)', () => {
    // 16 bytes from 11 bytes before the page end with k1 = 0: silicon raises #PF, nothing is written.
    const m = new Uint8Array(4096).fill(0xee);
    const r = run((x) => x.vextracti32x4(mem.xmmword(rdi).k(k1), ymm2, 1), { k: { 1: 0n }, r: { 7: BigInt(DATA + 4096 - 11) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }] });
    expect(r.stop?.vector).toBe(14);
    expect(r.mem(DATA + 4096 - 11, 11)).toEqual(new Array(11).fill(0xee));
    void xmm1;
  });
});

describe('VFPCLASS with MXCSR.DAZ', () => {
  test('a denormal classifies as a zero of its sign (sweep-vec EVEX_Vfpclassps_kr_k1_zmmm512b32_imm8-rk-03)', () => {
    // imm8 0x04 = -0 only, 0x20 = denormal only. 0x807FFFFF is a negative denormal.
    const a = le(4, [0x807fffff, 0x00000001, 0x80000000, 0x3f800000]);
    const daz = run((x) => x.vfpclassps(k1, xmm1, 0x04), { v: { 1: a }, mxcsr: 0x1fc0 });
    expect(daz.c.k32[2]).toBe(0b0101);
    const den = run((x) => x.vfpclassps(k1, xmm1, 0x20), { v: { 1: a }, mxcsr: 0x1fc0 });
    expect(den.c.k32[2]).toBe(0);
    const noDaz = run((x) => x.vfpclassps(k1, xmm1, 0x20), { v: { 1: a }, mxcsr: 0x1f80 });
    expect(noDaz.c.k32[2]).toBe(0b0011);
  });
});

describe('VRANGEPS with two QNaNs', () => {
  test('imm8[3:2] still sets the sign of the QNaN result (sweep-vec EVEX_Vrangeps_zmm_k1z_zmm_zmmm512b32_imm8_sae-rk-02)', () => {
    // 0xFFC00000 vs 0xFFC00000, imm8 8 (min, sign cleared): 0x7FC00000.
    const q = le(4, [0xffc00000, 0, 0, 0, 0, 0, 0, 0]);
    const r = run((x) => x.vrangeps(ymm1, ymm2, ymm3, 8), { v: { 2: q, 3: q } });
    expect(r.vec(1, 4)).toEqual(le(4, [0x7fc00000]));
  });
});

describe('VCVTPS2PH to memory with an unmasked exception', () => {
  test('the #PF of a selected element comes before #XM (sweep-vec EVEX_Vcvtps2ph_xmmm128_k1z_ymm_imm8-mfsk-01)', () => {
    // 1.1 is inexact in binary16 (PE unmasked by MXCSR 0x0F80); k1 = 0x11 selects words 0 and 4; the store
    // starts 2 bytes before the page end, so word 4 is on the unmapped page.
    const v = le(4, new Array(8).fill(0x3f8ccccd));
    const m = new Uint8Array(4096).fill(0xee);
    const r = run((x) => x.vcvtps2ph(mem.xmmword(rdi).k(k1), ymm2, 4), { v: { 2: v }, k: { 1: 0x11n }, mxcsr: 0x0f80, r: { 7: BigInt(DATA + 4096 - 2) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }] });
    expect(r.stop?.vector).toBe(14);
    expect(r.mem(DATA + 4096 - 2, 2)).toEqual([0xee, 0xee]);
  });
});
