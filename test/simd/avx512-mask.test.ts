// Hand-derived AVX-512 rules: write masking (merge / {z}), zeroing above VL,
// embedded broadcast, memory fault suppression, embedded rounding with {sae},
// gathers' mask clearing, compress/expand, XMODIFIED bits.
import { describe, expect, test } from 'vitest';
import { mem, rdi, rz_sae, ru_sae, zmm1, zmm2, zmm3, ymm1, ymm2, ymm3, xmm1, xmm2, xmm3, zmm4, zmm20, k1, k2 } from '../../guest-kernel/asm/index.ts';
import { run, le, seq, DATA } from './avx512-harness.ts';

const A = le(4, seq(16, (i) => i));          // zmm2 dwords: 0, 1, ..., 15
const B = le(4, seq(16, (i) => 100 * i));    // zmm3 dwords: 0, 100, ..., 1500
const OLD = new Array(64).fill(0xaa);        // zmm1 before: 0xAAAAAAAA in every dword

describe('write masking', () => {
  test('merge: unselected elements keep the destination', () => {
    // k1 = 0x00F0 selects elements 4..7: i + 100 i = 101 i there.
    const r = run((a) => a.vpaddd(zmm1.k(k1), zmm2, zmm3), { v: { 1: OLD, 2: A, 3: B }, k: { 1: 0xf0n } });
    expect(r.vec(1)).toEqual(le(4, seq(16, (i) => (i >= 4 && i < 8 ? 101 * i : 0xaaaaaaaa))));
  });
  test('{z}: unselected elements become 0', () => {
    const r = run((a) => a.vpaddd(zmm1.k(k1).z, zmm2, zmm3), { v: { 1: OLD, 2: A, 3: B }, k: { 1: 0xf0n } });
    expect(r.vec(1)).toEqual(le(4, seq(16, (i) => (i >= 4 && i < 8 ? 101 * i : 0))));
  });
  test('mask granule follows the element size (qwords: bit j covers bytes 8j..8j+7)', () => {
    // k1 = 0b101: qwords 0 and 2 are written. Qword j of A as dwords (2j, 2j+1) plus B's → (101*2j, 101*(2j+1)).
    const r = run((a) => a.vpaddq(zmm1.k(k1).z, zmm2, zmm3), { v: { 1: OLD, 2: A, 3: B }, k: { 1: 0b101n } });
    expect(r.vec(1)).toEqual(le(4, seq(16, (i) => ((i >> 1) === 0 || (i >> 1) === 2 ? 101 * i : 0))));
  });
  test('VL=128 zeroes bytes 16..63 even with merge masking', () => {
    // k1 = 0b0010: element 1 = 101; elements 0, 2, 3 keep 0xAAAAAAAA; bytes 16..63 are zeroed.
    const r = run((a) => a.vpaddd(xmm1.k(k1), xmm2, xmm3), { v: { 1: OLD, 2: A, 3: B }, k: { 1: 0b10n } });
    expect(r.vec(1)).toEqual([...le(4, [0xaaaaaaaa, 101, 0xaaaaaaaa, 0xaaaaaaaa]), ...new Array(48).fill(0)]);
  });
  test('k0 in the encoding means no masking', () => {
    const r = run((a) => a.vpaddd(ymm1, ymm2, ymm3), { v: { 1: OLD, 2: A, 3: B }, k: { 0: 0n } });
    expect(r.vec(1)).toEqual([...le(4, seq(8, (i) => 101 * i)), ...new Array(32).fill(0)]);
  });
});

describe('embedded broadcast', () => {
  test('{1to16}: one dword from memory added to every element', () => {
    // memory dword = 5 → zmm1[i] = i + 5.
    const m = new Uint8Array(4096); m.set(le(4, [5]));
    const r = run((a) => a.vpaddd(zmm1, zmm2, mem.dword(rdi, { bcst: true })), { v: { 2: A }, r: { 7: BigInt(DATA) }, mem: [{ addr: DATA, bytes: m, perm: 'r' }] });
    expect(r.vec(1)).toEqual(le(4, seq(16, (i) => i + 5)));
  });
});

describe('memory fault suppression', () => {
  // A 4 KiB readable page at DATA; the load starts 32 bytes before its end, so
  // dwords 0..7 are mapped and dwords 8..15 are on an unmapped page.
  const page = () => { const m = new Uint8Array(4096); m.set(le(4, seq(8, (i) => 0x11 * (i + 1))), 4096 - 32); return [{ addr: DATA, bytes: m, perm: 'r' as const }]; };
  test('masked-off elements on an unmapped page do not fault', () => {
    const r = run((a) => a.vmovdqu32(zmm1.k(k1).z, mem.zmmword(rdi)), { v: { 1: OLD }, k: { 1: 0xffn }, r: { 7: BigInt(DATA + 4096 - 32) }, mem: page() });
    expect(r.stop?.vector).toBe(3);
    expect(r.vec(1)).toEqual(le(4, seq(16, (i) => (i < 8 ? 0x11 * (i + 1) : 0))));
  });
  test('a selected element on the unmapped page faults (#PF) and nothing is written', () => {
    const r = run((a) => a.vmovdqu32(zmm1.k(k1).z, mem.zmmword(rdi)), { v: { 1: OLD }, k: { 1: 0x1ffn }, r: { 7: BigInt(DATA + 4096 - 32) }, mem: page() });
    expect(r.stop?.vector).toBe(14);
    expect(r.vec(1)).toEqual(OLD);
  });
  test('masked store writes only selected elements and does not fault on masked-off ones', () => {
    // Store to the last 32 bytes of a writable page with k1 = 0b0101: dwords 0 and 2 written.
    const m = new Uint8Array(4096).fill(0xee);
    const r = run((a) => a.vmovdqu32(mem.zmmword(rdi).k(k1), zmm2), { v: { 2: A }, k: { 1: 0b101n }, r: { 7: BigInt(DATA + 4096 - 32) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }] });
    expect(r.stop?.vector).toBe(3);
    expect(r.mem(DATA + 4096 - 32, 16)).toEqual([...le(4, [0]), 0xee, 0xee, 0xee, 0xee, ...le(4, [2]), 0xee, 0xee, 0xee, 0xee]);
  });
  test('tuple broadcast reads only the memory elements selected result elements use (Zen 5 capture: sweep-vec EVEX_Vbroadcastf32x8_zmm_k1z_m256-mfsk-01)', () => {
    // VBROADCASTF32X8 from 16 bytes before the page end, k1 = 0x0303: elements 0,1,8,9 use memory dwords 0,1 (mapped) only.
    const r = run((a) => a.vbroadcastf32x8(zmm1.k(k1).z, mem.ymmword(rdi)), { v: { 1: OLD }, k: { 1: 0x0303n }, r: { 7: BigInt(DATA + 4096 - 16) }, mem: page() });
    expect(r.stop?.vector).toBe(3);
    expect(r.vec(1)).toEqual(le(4, seq(16, (i) => ((i & 7) < 2 ? [0x55, 0x66][i & 7] : 0))));
    // element 4 selected: memory dword 4 is on the unmapped page
    const f = run((a) => a.vbroadcastf32x8(zmm1.k(k1).z, mem.ymmword(rdi)), { v: { 1: OLD }, k: { 1: 0x10n }, r: { 7: BigInt(DATA + 4096 - 16) }, mem: page() });
    expect(f.stop?.vector).toBe(14);
    // VBROADCASTSD with k = 0: nothing is read
    const z = run((a) => a.vbroadcastsd(zmm1.k(k1), mem.qword(rdi)), { v: { 1: OLD }, k: { 1: 0n }, r: { 7: BigInt(DATA + 4096 - 4) }, mem: page() });
    expect(z.stop?.vector).toBe(3);
  });
  test('VPSHUFB / VPMADDWD / VPMADDUBSW read the memory source whole: no fault suppression (Zen 5 capture: sweep-vec EVEX_Vpshufb_ymm_k1z_ymm_ymmm256-mfsk-01)', () => {
    for (const op of ['vpshufb', 'vpmaddwd', 'vpmaddubsw'] as const) {
      const r = run((a) => (a as any)[op](zmm1.k(k1), zmm2, mem.zmmword(rdi)), { v: { 1: OLD, 2: A }, k: { 1: 1n }, r: { 7: BigInt(DATA + 4096 - 32) }, mem: page() });
      expect(r.stop?.vector, op).toBe(14);
      expect(r.vec(1), op).toEqual(OLD);
    }
  });
  test('aligned move: #GP on a misaligned address when an element is selected', () => {
    const r = run((a) => a.vmovdqa32(zmm1.k(k1), mem.zmmword(rdi)), { k: { 1: 0x8000n }, r: { 7: BigInt(DATA + 4) } });
    expect(r.stop?.vector).toBe(13);
  });
  test('aligned move: no #GP when the effective mask selects nothing (captured on Zen 5: sweep-vec EVEX_Vmovaps_ymmm256_k1z_ymm-muk-01, k=0)', () => {
    const r = run((a) => a.vmovdqa32(zmm1.k(k1), mem.zmmword(rdi)), { k: { 1: 0n }, r: { 7: BigInt(DATA + 4) } });
    expect(r.stop?.vector).toBe(3);
    // VMOVAPD xmm store with k = 0xC: only bits 0-1 count for two qwords, so nothing is selected.
    const s = run((a) => a.vmovapd(mem.xmmword(rdi).k(k1), xmm2), { k: { 1: 0xcn }, r: { 7: BigInt(DATA + 8) } });
    expect(s.stop?.vector).toBe(3);
  });
});

describe('embedded rounding', () => {
  // 1 + 2^-30 is not representable in binary32: round toward zero gives 1.0
  // (0x3F800000), round up gives the next float 1 + 2^-23 (0x3F800001);
  // {sae} suppresses the precision flag, so MXCSR stays 0x1F80.
  const one = le(4, [0x3f800000]), tiny = le(4, [0x30800000]); // 2^-30 = 0x30800000
  test('{rz-sae}', () => {
    const r = run((a) => a.vaddps(zmm1, zmm2, zmm3, rz_sae), { v: { 2: one, 3: tiny } });
    expect(r.vec(1, 4)).toEqual(le(4, [0x3f800000]));
    expect(r.c.mxcsr).toBe(0x1f80);
  });
  test('{ru-sae}', () => {
    const r = run((a) => a.vaddps(zmm1, zmm2, zmm3, ru_sae), { v: { 2: one, 3: tiny } });
    expect(r.vec(1, 4)).toEqual(le(4, [0x3f800001]));
    expect(r.c.mxcsr).toBe(0x1f80);
  });
  test('without {er} the inexact result sets MXCSR.PE (bit 5)', () => {
    const r = run((a) => a.vaddps(zmm1, zmm2, zmm3), { v: { 2: one, 3: tiny } });
    expect(r.c.mxcsr).toBe(0x1fa0);
  });
});

describe('compares into opmasks', () => {
  test('VPCMPD LT with a write mask: result bits ANDed with k1, bits above 16 zero', () => {
    // A[i] = i, B[i] = 8 for all i: LT true for i < 8; k1 = 0xFFFF0F0F → 0x0F0F & 0x00FF = 0x000F.
    const r = run((a) => a.vpcmpd(k2.k(k1), zmm2, zmm3, 1), { v: { 2: A, 3: le(4, seq(16, () => 8)) }, k: { 1: 0xffff0f0fn, 2: -1n & 0xffffffffffffffffn } });
    expect(r.c.k64[2]).toBe(0x000fn);
  });
});

describe('gathers', () => {
  test('completion clears the mask and fills only selected elements', () => {
    // Memory dwords m[j] = 1000 + j; indices zmm4 = 2i; k1 = 0x8001 → elements 0 and 15 gathered: m[0], m[30].
    const m = new Uint8Array(4096); m.set(le(4, seq(64, (j) => 1000 + j)));
    const r = run((a) => a.vpgatherdd(zmm1.k(k1), mem.dword(rdi, { index: zmm4, scale: 4 })), {
      v: { 1: OLD, 4: le(4, seq(16, (i) => 2 * i)) }, k: { 1: 0x8001n }, r: { 7: BigInt(DATA) }, mem: [{ addr: DATA, bytes: m, perm: 'r' }],
    });
    expect(r.c.k64[1]).toBe(0n);
    expect(r.vec(1)).toEqual(le(4, seq(16, (i) => (i === 0 ? 1000 : i === 15 ? 1030 : 0xaaaaaaaa))));
  });
  test('a fault leaves completed elements written and their mask bits cleared', () => {
    // Element 0 index 0 (mapped), element 1 index 0x400 dwords = +4096 bytes (unmapped): #PF after element 0.
    const m = new Uint8Array(4096); m.set(le(4, [77]));
    const r = run((a) => a.vpgatherdd(zmm1.k(k1), mem.dword(rdi, { index: zmm4, scale: 4 })), {
      v: { 1: OLD, 4: le(4, [0, 0x400]) }, k: { 1: 0b11n }, r: { 7: BigInt(DATA) }, mem: [{ addr: DATA, bytes: m, perm: 'r' }],
    });
    expect(r.stop?.vector).toBe(14);
    expect(r.c.k64[1]).toBe(0b10n);
    expect(r.vec(1, 8)).toEqual(le(4, [77, 0xaaaaaaaa]));
  });
});

describe('compress / expand', () => {
  test('VPCOMPRESSD packs selected elements low; {z} zeroes the rest', () => {
    // k1 = 0b1010_0100 → elements 2, 5, 7 of A = 2, 5, 7.
    const r = run((a) => a.vpcompressd(zmm1.k(k1).z, zmm2), { v: { 1: OLD, 2: A }, k: { 1: 0xa4n } });
    expect(r.vec(1)).toEqual(le(4, seq(16, (i) => [2, 5, 7][i] ?? 0)));
  });
  test('VPEXPANDD places consecutive source elements at selected positions, merging the rest', () => {
    // k1 = 0b1010_0100: positions 2, 5, 7 get A[0], A[1], A[2] = 0, 1, 2.
    const r = run((a) => a.vpexpandd(zmm1.k(k1), zmm2), { v: { 1: OLD, 2: A }, k: { 1: 0xa4n } });
    expect(r.vec(1)).toEqual(le(4, seq(16, (i) => ({ 2: 0, 5: 1, 7: 2 } as Record<number, number>)[i] ?? 0xaaaaaaaa)));
  });
});

describe('XMODIFIED', () => {
  test('ZMM16-31 writes set bit 7; an xmm0-15 EVEX write sets bits 1, 2, 6 (upper zeroing)', () => {
    const r = run((a) => { a.vpaddd(zmm20, zmm2, zmm3); }, { v: { 2: A, 3: B }, clearXmodified: true });
    expect(r.c.xmodified).toBe(0x80);
    const r2 = run((a) => { a.vpaddd(xmm1, xmm2, xmm3); }, { clearXmodified: true });
    expect(r2.c.xmodified).toBe(0x46);
  });
  test('opmask writes set bit 5', () => {
    const r = run((a) => a.vpcmpd(k2, zmm2, zmm3, 0), { clearXmodified: true });
    expect(r.c.xmodified).toBe(0x20);
  });
});
void ymm1;
