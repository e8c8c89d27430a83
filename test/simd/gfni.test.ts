// Hand-derived GFNI tests (legacy SSE, VEX and EVEX forms). Field products are
// the FIPS-197 examples in GF(2^8) mod x^8+x^4+x^3+x+1 ({57}·{83} = {c1},
// {57}·{13} = {fe}, {02}·{80} = {1b}, and {53}·{ca} = {01}: they are inverses);
// the affine-of-inverse with matrix 0xF1E3C78F1F3E7CF8 and constant 0x63 is the
// AES S-box (FIPS-197 figure 7). Silicon cross-check: avx512-ext-oracle.test.ts.
import { describe, expect, test } from 'vitest';
import { mem, rdi, zmm1, zmm2, ymm1, ymm2, ymm3, xmm1, xmm2, xmm3, k1 } from '../../guest-kernel/asm/index.ts';
import { run, le, DATA } from './avx512-harness.ts';
import { isImplemented } from '../../emulator/models/features.ts';
import { gfMul, gfInv } from '../../emulator/insns/gfni.ts';

/** Number-valued sequence (bytes or element values). */
const seqn = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
const pad = (bytes: number[], n = 64) => [...bytes, ...new Array(n - bytes.length).fill(0)];
const OLD = new Array(64).fill(0xaa);

test('gfni is advertised', () => expect(isImplemented('gfni')).toBe(true));

describe('field arithmetic', () => {
  test('FIPS-197 products and an inverse pair', () => {
    expect(gfMul(0x57, 0x83)).toBe(0xc1);
    expect(gfMul(0x57, 0x13)).toBe(0xfe);
    expect(gfMul(0x02, 0x80)).toBe(0x1b); // x·x^7 = x^8 ≡ x^4 + x^3 + x + 1
    expect(gfMul(0x53, 0xca)).toBe(0x01);
    expect(gfInv(0x53)).toBe(0xca);
    expect(gfInv(0)).toBe(0);
    expect(gfInv(1)).toBe(1);
  });
});

// xmm1 = [57 57 53 02 01 01 ...], xmm2 = [83 13 CA 80 04 05 ... 0F]:
// products C1 FE 01 1B, then 1·j = j for bytes 4..15.
const X = [0x57, 0x57, 0x53, 0x02, ...new Array(12).fill(1)];
const Y = [0x83, 0x13, 0xca, 0x80, ...seqn(12, (j) => j + 4)];
const P = [0xc1, 0xfe, 0x01, 0x1b, ...seqn(12, (j) => j + 4)];

describe('GF2P8MULB', () => {
  test('legacy SSE: bytes 16..63 of the destination are kept', () => {
    const r = run((a) => a.gf2p8mulb(xmm1, xmm2), { v: { 1: [...X, ...OLD.slice(16)], 2: Y } });
    expect(r.vec(1)).toEqual([...P, ...OLD.slice(16)]);
  });
  test('legacy SSE memory operand: aligned works, misaligned #GP(0)', () => {
    const m = new Uint8Array(8192); m.set(Y, 16); m.set(Y, 33);
    const ok = run((a) => a.gf2p8mulb(xmm1, mem.xmmword(rdi)), { v: { 1: X }, r: { 7: BigInt(DATA + 16) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }] });
    expect(ok.vec(1, 16)).toEqual(P);
    const bad = run((a) => a.gf2p8mulb(xmm1, mem.xmmword(rdi)), { v: { 1: X }, r: { 7: BigInt(DATA + 33) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }] });
    expect(bad.stop?.vector).toBe(13);
    expect(bad.vec(1, 16)).toEqual(X);
  });
  test('VEX.256: both 128-bit halves, bytes 32..63 zeroed', () => {
    const r = run((a) => a.vgf2p8mulb(ymm1, ymm2, ymm3), { v: { 1: OLD, 2: [...X, ...X], 3: [...Y, ...Y] } });
    expect(r.vec(1)).toEqual(pad([...P, ...P]));
  });
  test('EVEX zmm with {k1}{z}: only the selected bytes', () => {
    // k1 = 0b1010: bytes 1 and 3 → FE and 1B; all other bytes 0.
    const r = run((a) => a.vgf2p8mulb(zmm1.k(k1).z, zmm2, mem.zmmword(rdi)), {
      v: { 1: OLD, 2: [...X, ...X, ...X, ...X] }, k: { 1: 0b1010n }, r: { 7: BigInt(DATA) },
      mem: [{ addr: DATA, bytes: Uint8Array.from(pad([...Y, ...Y, ...Y, ...Y], 8192)), perm: 'rw' }],
    });
    expect(r.vec(1)).toEqual(pad([0, 0xfe, 0, 0x1b]));
  });
});

describe('GF2P8AFFINEQB', () => {
  // result.bit[i] = parity(A.byte[7-i] & x) ^ imm.bit[i].
  // Identity: A.byte[7-i] = 1 << i → A = 0x0102040810204080 (byte 7 = 0x01 ... byte 0 = 0x80).
  // Bit reversal: A.byte[7-i] = 1 << (7-i) → byte j = 1 << j → A = 0x8040201008040201.
  const xs = [0x01, 0x03, 0x80, 0xa5, 0x00, 0xff, 0x5a, 0x3c];
  const rev = [0x80, 0xc0, 0x01, 0xa5, 0x00, 0xff, 0x5a, 0x3c]; // 0xA5, 0x5A, 0x3C are palindromes
  const M = le(8, [0x0102040810204080n, 0x8040201008040201n]);
  test('legacy: qword 0 identity, qword 1 bit reversal', () => {
    const r = run((a) => a.gf2p8affineqb(xmm1, xmm2, 0), { v: { 1: [...xs, ...xs], 2: M } });
    expect(r.vec(1, 16)).toEqual([...xs, ...rev]);
  });
  test('the immediate is XORed into every byte (0xFF: complement)', () => {
    const r = run((a) => a.vgf2p8affineqb(xmm1, xmm2, xmm3, 0xff), { v: { 1: OLD, 2: [...xs, ...xs], 3: M } });
    expect(r.vec(1)).toEqual(pad([...xs, ...rev].map((x) => x ^ 0xff)));
  });
  test('EVEX {1to8} matrix broadcast, merge mask', () => {
    // every qword uses the bit-reversal matrix; k1 selects bytes 0..3 of each qword (0x0F0F...).
    const m = new Uint8Array(8192); m.set(le(8, [0x8040201008040201n]));
    const r = run((a) => a.vgf2p8affineqb(zmm1.k(k1), zmm2, mem.qword(rdi, { bcst: true }), 0), {
      v: { 1: OLD, 2: seqn(64, (j) => xs[j & 7]) }, k: { 1: 0x0f0f0f0f0f0f0f0fn }, r: { 7: BigInt(DATA) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }],
    });
    expect(r.vec(1)).toEqual(seqn(64, (j) => ((j & 7) < 4 ? rev[j & 7] : 0xaa)));
  });
});

describe('GF2P8AFFINEINVQB: the AES S-box', () => {
  // S(00) = 63, S(01) = 7C, S(53) = ED, S(10) = CA, S(11) = 82, S(FF) = 16, S(52) = 00, S(50) = 53.
  const xs = [0x00, 0x01, 0x53, 0x10, 0x11, 0xff, 0x52, 0x50];
  const sb = [0x63, 0x7c, 0xed, 0xca, 0x82, 0x16, 0x00, 0x53];
  const AES = 0xf1e3c78f1f3e7cf8n;
  test('legacy', () => {
    const r = run((a) => a.gf2p8affineinvqb(xmm1, xmm2, 0x63), { v: { 1: [...xs, ...xs], 2: le(8, [AES, AES]) } });
    expect(r.vec(1, 16)).toEqual([...sb, ...sb]);
  });
  test('VEX.256', () => {
    const r = run((a) => a.vgf2p8affineinvqb(ymm1, ymm2, ymm3, 0x63), { v: { 1: OLD, 2: seqn(32, (j) => xs[j & 7]), 3: le(8, [AES, AES, AES, AES]) } });
    expect(r.vec(1)).toEqual(pad(seqn(32, (j) => sb[j & 7])));
  });
  test('EVEX zmm {1to8} with {k1}{z}', () => {
    const m = new Uint8Array(8192); m.set(le(8, [AES]));
    const r = run((a) => a.vgf2p8affineinvqb(zmm1.k(k1).z, zmm2, mem.qword(rdi, { bcst: true }), 0x63), {
      v: { 1: OLD, 2: seqn(64, (j) => xs[j & 7]) }, k: { 1: 0xffffffff00000000n }, r: { 7: BigInt(DATA) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }],
    });
    expect(r.vec(1)).toEqual(seqn(64, (j) => (j >= 32 ? sb[j & 7] : 0)));
  });
});
