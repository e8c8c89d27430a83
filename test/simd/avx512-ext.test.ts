// Hand-derived tests of the AVX-512 extensions: VBMI (VPERMB/VPERMI2B/VPERMT2B,
// VPMULTISHIFTQB), VBMI2 (VPSHLD/VPSHRD, VPSHLDV/VPSHRDV, VPCOMPRESSB/W,
// VPEXPANDB/W), VNNI (EVEX and the VEX AVX-VNNI forms), IFMA, BITALG and
// VPOPCNTDQ. Every expected value is worked out in the comment next to it
// (SDM vol. 2 Operation sections); avx512-ext-oracle.test.ts checks the
// same instructions against silicon.
import { describe, expect, test } from 'vitest';
import { mem, rdi, zmm1, zmm2, zmm3, ymm1, ymm2, ymm3, xmm1, xmm2, xmm3, k1, k2 } from '../../guest-kernel/asm/index.ts';
import { run, le, seq, DATA } from './avx512-harness.ts';
import { isImplemented } from '../../emulator/models/features.ts';

/** Number-valued sequence (bytes or element values). */
const seqn = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
const pad = (bytes: number[], n = 64) => [...bytes, ...new Array(n - bytes.length).fill(0)];
const OLD = new Array(64).fill(0xaa);

describe('CPUID features', () => {
  test('the extensions are advertised once implemented', () => {
    for (const f of ['avx512vbmi', 'avx512_vbmi2', 'avx512_vnni', 'avx512ifma', 'avx512_bitalg', 'avx512_vpopcntdq', 'avx_vnni']) {
      expect(isImplemented(f), f).toBe(true);
    }
  });
});

describe('AVX512_VBMI', () => {
  // data qword 0x0123456789ABCDEF; each control byte picks 8 bits starting at (ctrl & 63), wrapping:
  //   0 → bits 7:0 = 0xEF;  4 → (x >> 4) & 0xFF = 0xDE;  8 → 0xCD;
  //   60 → bits 63:60 (0x0) then bits 3:0 (0xF) above them = 0xF0;
  //   63 → bit 63 (0) then bits 6:0 (0x6F) above it = 0xDE;  32 → bits 39:32 = 0x67;
  //   100 & 63 = 36 → (0x01234567 >> 4) & 0xFF = 0x56;  1 → (0xCDEF >> 1) & 0xFF = 0xF7.
  const ctrl = [0, 4, 8, 60, 63, 32, 100, 1];
  const want = [0xef, 0xde, 0xcd, 0xf0, 0xde, 0x67, 0x56, 0xf7];
  test('VPMULTISHIFTQB xmm, register', () => {
    const r = run((a) => a.vpmultishiftqb(xmm1, xmm2, xmm3), {
      v: { 1: OLD, 2: [...ctrl, ...ctrl], 3: le(8, [0x0123456789abcdefn, 0n]) },
    });
    // qword 1 of the data is 0: every byte there is 0.
    expect(r.vec(1)).toEqual(pad([...want, 0, 0, 0, 0, 0, 0, 0, 0]));
  });
  test('VPMULTISHIFTQB {1to2} broadcast with {k1}{z}', () => {
    // both qwords use the broadcast data; k1 = 0xF0F0 keeps bytes 4..7 and 12..15.
    const m = new Uint8Array(8192); m.set(le(8, [0x0123456789abcdefn]));
    const r = run((a) => a.vpmultishiftqb(xmm1.k(k1).z, xmm2, mem.qword(rdi, { bcst: true })), {
      v: { 1: OLD, 2: [...ctrl, ...ctrl] }, k: { 1: 0xf0f0n }, r: { 7: BigInt(DATA) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }],
    });
    const half = want.map((x, j) => (j >= 4 ? x : 0));
    expect(r.vec(1)).toEqual(pad([...half, ...half]));
  });
  test('VPERMB: index bytes taken modulo the element count', () => {
    // table byte j = 0x40 + j; index e = 15 - e (+ 0x30 in the upper bits, ignored for 16 elements).
    const r = run((a) => a.vpermb(xmm1, xmm2, xmm3), { v: { 2: seqn(16, (e) => 0x30 + 15 - e), 3: seqn(16, (j) => 0x40 + j) } });
    expect(r.vec(1)).toEqual(pad(seqn(16, (e) => 0x40 + 15 - e)));
  });
  test('VPERMI2B: the indices in the destination, bit 4 selects the second table (xmm)', () => {
    // index e = 2e (mod 32): e < 8 → table 1 (xmm2) byte 2e; e ≥ 8 → table 2 (xmm3) byte 2e - 16.
    const r = run((a) => a.vpermi2b(xmm1, xmm2, xmm3), { v: { 1: seqn(16, (e) => 2 * e), 2: seqn(16, (j) => 0x10 + j), 3: seqn(16, (j) => 0x80 + j) } });
    expect(r.vec(1)).toEqual(pad(seqn(16, (e) => (e < 8 ? 0x10 + 2 * e : 0x80 + 2 * e - 16))));
  });
  test('VPERMT2B: the destination is the first table, merge-masked', () => {
    // index (xmm2) e = 31 - e: e < 16 → bit 4 set → table 2 (xmm3) byte 15 - e; k1 = 0x00FF keeps only e < 8.
    const r = run((a) => a.vpermt2b(xmm1.k(k1), xmm2, xmm3), { v: { 1: seqn(16, (j) => 0x10 + j), 2: seqn(16, (e) => 31 - e), 3: seqn(16, (j) => 0x80 + j) }, k: { 1: 0xffn } });
    expect(r.vec(1)).toEqual(pad(seqn(16, (e) => (e < 8 ? 0x80 + 15 - e : 0x10 + e))));
  });
});

describe('AVX512_VBMI2: funnel shifts', () => {
  test('VPSHLDD / VPSHRDD by 8 (and 40, taken mod 32)', () => {
    // A = 0x11223344, B = 0xAABBCCDD.
    // SHLD: upper dword of (A:B) << 8 = (A << 8) | (B >> 24) = 0x223344AA.
    // SHRD: lower dword of (B:A) >> 8 = (A >> 8) | (B << 24) = 0xDD112233.
    const v = { 2: le(4, [0x11223344, 0x11223344, 0x11223344, 0x11223344]), 3: le(4, [0xaabbccdd, 0xaabbccdd, 0xaabbccdd, 0xaabbccdd]) };
    expect(run((a) => a.vpshldd(xmm1, xmm2, xmm3, 8), { v }).vec(1, 4)).toEqual(le(4, [0x223344aa]));
    expect(run((a) => a.vpshldd(xmm1, xmm2, xmm3, 40), { v }).vec(1, 4)).toEqual(le(4, [0x223344aa]));
    expect(run((a) => a.vpshrdd(xmm1, xmm2, xmm3, 8), { v }).vec(1, 4)).toEqual(le(4, [0xdd112233]));
  });
  test('VPSHLDQ by 4, VPSHRDQ by 36, count 0 gives the first source', () => {
    // A = 0x0123456789ABCDEF, B = 0xFEDCBA9876543210.
    // SHLD 4: (A << 4) | (B >> 60) = 0x123456789ABCDEF0 | 0xF = 0x123456789ABCDEFF.
    // SHRD 36: (A >> 36) | (B << 28) = 0x123456 | 0x8765432100000000 = 0x8765432100123456.
    const v = { 2: le(8, [0x0123456789abcdefn, 0x0123456789abcdefn]), 3: le(8, [0xfedcba9876543210n, 0xfedcba9876543210n]) };
    expect(run((a) => a.vpshldq(xmm1, xmm2, xmm3, 4), { v }).vec(1, 16)).toEqual(le(8, [0x123456789abcdeffn, 0x123456789abcdeffn]));
    expect(run((a) => a.vpshrdq(xmm1, xmm2, xmm3, 36), { v }).vec(1, 16)).toEqual(le(8, [0x8765432100123456n, 0x8765432100123456n]));
    expect(run((a) => a.vpshrdq(xmm1, xmm2, xmm3, 64), { v }).vec(1, 16)).toEqual(le(8, [0x0123456789abcdefn, 0x0123456789abcdefn]));
  });
  test('VPSHLDW with {k1}{z} and a memory source', () => {
    // A = 0x1234, B (memory) = 0xABCD, imm 4: (A << 4) | (B >> 12) = 0x2340 | 0xA = 0x234A.
    // k1 = 0b101: words 0 and 2 written, 1 and 3..7 zeroed.
    const m = new Uint8Array(8192); m.set(le(2, seqn(8, () => 0xabcd)));
    const r = run((a) => a.vpshldw(xmm1.k(k1).z, xmm2, mem.xmmword(rdi), 4), {
      v: { 1: OLD, 2: le(2, seqn(8, () => 0x1234)) }, k: { 1: 0b101n }, r: { 7: BigInt(DATA) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }],
    });
    expect(r.vec(1)).toEqual(pad(le(2, [0x234a, 0, 0x234a, 0, 0, 0, 0, 0])));
  });
  test('VPSHLDVW / VPSHRDVW: the destination is an input, counts per element mod 16', () => {
    // DEST = 0x1234, SRC2 = 0xABCD, counts 4 and 20 (20 & 15 = 4).
    // SHLDV: upper word of (DEST:SRC2) << 4 = 0x2340 | 0xA = 0x234A.
    // SHRDV: lower word of (SRC2:DEST) >> 4 = (0x1234 >> 4) | (0xABCD << 12) = 0x0123 | 0xD000 = 0xD123.
    const v = { 1: le(2, seqn(8, () => 0x1234)), 2: le(2, seqn(8, () => 0xabcd)), 3: le(2, seqn(8, (e) => (e & 1 ? 20 : 4))) };
    expect(run((a) => a.vpshldvw(xmm1, xmm2, xmm3), { v }).vec(1)).toEqual(pad(le(2, seqn(8, () => 0x234a))));
    expect(run((a) => a.vpshrdvw(xmm1, xmm2, xmm3), { v }).vec(1)).toEqual(pad(le(2, seqn(8, () => 0xd123))));
  });
  test('VPSHLDVQ merge-masked, count 0 keeps DEST, count 63', () => {
    // DEST = 0x8000000000000001, SRC2 = 0x4000000000000000.
    // count 0: DEST; count 63: (DEST << 63) | (SRC2 >> 1) = 0x8000000000000000 | 0x2000000000000000 = 0xA000000000000000.
    // k1 = 0b01 → qword 1 keeps DEST (0x8000000000000001) whatever its count.
    const v = { 1: le(8, [0x8000000000000001n, 0x8000000000000001n]), 2: le(8, [0x4000000000000000n, 0x4000000000000000n]), 3: le(8, [63n, 0n]) };
    const r = run((a) => a.vpshldvq(xmm1.k(k1), xmm2, xmm3), { v, k: { 1: 1n } });
    expect(r.vec(1)).toEqual(pad(le(8, [0xa000000000000000n, 0x8000000000000001n])));
    expect(run((a) => a.vpshldvq(xmm1, xmm2, xmm3), { v: { ...v, 3: le(8, [0n, 0n]) } }).vec(1, 16)).toEqual(le(8, [0x8000000000000001n, 0x8000000000000001n]));
  });
});

describe('AVX512_VBMI2: byte/word compress and expand', () => {
  const SRC = seqn(64, (j) => 0x40 + j);
  test('VPCOMPRESSB register: selected bytes packed low; merge keeps the rest, {z} clears it', () => {
    // k1 = 0x8421 selects bytes 0, 5, 10, 15 → 0x40, 0x45, 0x4A, 0x4F in bytes 0..3.
    const m = run((a) => a.vpcompressb(xmm1.k(k1), xmm2), { v: { 1: OLD, 2: SRC }, k: { 1: 0x8421n } });
    expect(m.vec(1)).toEqual(pad([0x40, 0x45, 0x4a, 0x4f, ...new Array(12).fill(0xaa)]));
    const z = run((a) => a.vpcompressb(xmm1.k(k1).z, xmm2), { v: { 1: OLD, 2: SRC }, k: { 1: 0x8421n } });
    expect(z.vec(1)).toEqual(pad([0x40, 0x45, 0x4a, 0x4f]));
  });
  test('VPCOMPRESSW zmm: k1 = words 1 and 31', () => {
    // words of SRC: word j = bytes (0x40 + 2j, 0x41 + 2j) → word 1 = 0x4342, word 31 = 0x7F7E.
    const r = run((a) => a.vpcompressw(zmm1.k(k1).z, zmm2), { v: { 2: SRC }, k: { 1: (1n << 31n) | 2n } });
    expect(r.vec(1)).toEqual(pad(le(2, [0x4342, 0x7f7e])));
  });
  // A writable page at DATA; the page after it is not mapped. The store starts 4 bytes before the end.
  const page = () => [{ addr: DATA, bytes: new Uint8Array(4096).fill(0xee), perm: 'rw' as const }];
  test('VPCOMPRESSB to memory: only popcount(k1) bytes are written, so none reach the unmapped page', () => {
    // k1 selects bytes 1, 3, 5, 7 of zmm2 (0x41, 0x43, 0x45, 0x47): 4 contiguous bytes at the page's last 4.
    const r = run((a) => a.vpcompressb(mem.zmmword(rdi).k(k1), zmm2), { v: { 2: SRC }, k: { 1: 0xaan }, r: { 7: BigInt(DATA + 4092) }, mem: page() });
    expect(r.stop?.vector).toBe(3);
    expect(r.mem(DATA + 4088, 8)).toEqual([0xee, 0xee, 0xee, 0xee, 0x41, 0x43, 0x45, 0x47]);
  });
  test('VPCOMPRESSB to memory: a fifth selected byte crosses into the unmapped page → #PF, nothing written', () => {
    const r = run((a) => a.vpcompressb(mem.zmmword(rdi).k(k1), zmm2), { v: { 2: SRC }, k: { 1: 0x1aan }, r: { 7: BigInt(DATA + 4092) }, mem: page() });
    expect(r.stop?.vector).toBe(14);
    expect(r.mem(DATA + 4088, 8)).toEqual(new Array(8).fill(0xee));
  });
  test('VPEXPANDB from memory reads only popcount(k1) bytes (no fault past them)', () => {
    // 3 bytes at the page's last 3 (0x01, 0x02, 0x03) go to bytes 2, 9, 63 (k1 bits); {z} clears the rest.
    const m = new Uint8Array(4096); m.set([1, 2, 3], 4093);
    const r = run((a) => a.vpexpandb(zmm1.k(k1).z, mem.zmmword(rdi)), { v: { 1: OLD }, k: { 1: (1n << 63n) | (1n << 9n) | 4n }, r: { 7: BigInt(DATA + 4093) }, mem: [{ addr: DATA, bytes: m, perm: 'r' }] });
    expect(r.stop?.vector).toBe(3);
    const want = new Array(64).fill(0); want[2] = 1; want[9] = 2; want[63] = 3;
    expect(r.vec(1)).toEqual(want);
  });
  test('VPEXPANDW register, merge', () => {
    // k1 = 0b1010_0000 (words 5, 7) receive source words 0, 1 (0x4140, 0x4342); other words keep 0xAAAA.
    const r = run((a) => a.vpexpandw(xmm1.k(k1), xmm2), { v: { 1: OLD, 2: SRC }, k: { 1: 0xa0n } });
    expect(r.vec(1)).toEqual(pad(le(2, [0xaaaa, 0xaaaa, 0xaaaa, 0xaaaa, 0xaaaa, 0x4140, 0xaaaa, 0x4342])));
  });
});

describe('AVX512_VNNI and AVX-VNNI', () => {
  const i8 = (x: number) => x & 255;
  test('VPDPBUSD: unsigned bytes of SRC1 times signed bytes of SRC2, four per dword, plus DEST', () => {
    // 255·(-1) + 1·127 + 2·(-128) + 3·2 = -255 + 127 - 256 + 6 = -378; DEST 10 → -368.
    const r = run((a) => a.vpdpbusd(zmm1, zmm2, zmm3), {
      v: { 1: le(4, seqn(16, () => 10)), 2: seqn(64, (j) => [255, 1, 2, 3][j & 3]), 3: seqn(64, (j) => i8([-1, 127, -128, 2][j & 3])) },
    });
    expect(r.vec(1)).toEqual(le(4, seqn(16, () => -368)));
  });
  // DEST 0x7FFFFFF0, 255·127 · 4 = 129540: wraps to 0x7FFFFFF0 + 129540 - 2^32 = 0x8001F9F4; saturates to 0x7FFFFFFF.
  const sat = { 1: le(4, seqn(16, () => 0x7ffffff0)), 2: new Array(64).fill(255), 3: new Array(64).fill(127) };
  test('VPDPBUSD wraps, VPDPBUSDS saturates (ymm, merge mask)', () => {
    const w = run((a) => a.vpdpbusd(ymm1.k(k1), ymm2, ymm3), { v: sat, k: { 1: 0x0fn } });
    expect(w.vec(1)).toEqual(pad(le(4, [0x8001f9f4, 0x8001f9f4, 0x8001f9f4, 0x8001f9f4, 0x7ffffff0, 0x7ffffff0, 0x7ffffff0, 0x7ffffff0])));
    const s = run((a) => a.vpdpbusds(ymm1.k(k1).z, ymm2, ymm3), { v: sat, k: { 1: 0x0fn } });
    expect(s.vec(1)).toEqual(pad(le(4, [0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0, 0, 0, 0])));
  });
  test('VPDPWSSD / VPDPWSSDS: signed words, pairs per dword', () => {
    // DEST 1 + (-32768)(-32768) + 2·3 = 1 + 2^30 + 6 = 1073741831.
    const v = { 1: le(4, seqn(4, () => 1)), 2: le(2, seqn(8, (j) => (j & 1 ? 2 : -32768))), 3: le(2, seqn(8, (j) => (j & 1 ? 3 : -32768))) };
    expect(run((a) => a.vpdpwssd(xmm1.k(k2), xmm2, xmm3), { v, k: { 2: 0xfn } }).vec(1, 16)).toEqual(le(4, seqn(4, () => 1073741831)));
    // DEST 0x7FFFFFFF + 2·2^30: wraps to 0x7FFFFFFF + 2^31 = 0xFFFFFFFF, saturates to 0x7FFFFFFF.
    // DEST -2^31 + 2·(-32768·32767 = -1073709056): saturates to 0x80000000.
    const hi = { 1: le(4, [0x7fffffff, 0x7fffffff, -0x80000000, 0]), 2: le(2, [-32768, -32768, -32768, -32768, -32768, 32767, 0, 0]), 3: le(2, [-32768, -32768, -32768, -32768, 32767, -32768, 0, 0]) };
    expect(run((a) => a.vpdpwssd(xmm1.k(k2), xmm2, xmm3), { v: hi, k: { 2: 0x3n } }).vec(1, 16)).toEqual(le(4, [0xffffffff, 0xffffffff, -0x80000000, 0]));
    expect(run((a) => a.vpdpwssds(xmm1.k(k2), xmm2, xmm3), { v: hi, k: { 2: 0xfn } }).vec(1, 16)).toEqual(le(4, [0x7fffffff, 0x7fffffff, -0x80000000, 0]));
  });
  test('VPDPBUSD {1to8} broadcast from memory', () => {
    // memory dword bytes (1, 2, 3, 4), SRC1 bytes all 1: 1 + 2 + 3 + 4 = 10, DEST 0.
    const m = new Uint8Array(8192); m.set([1, 2, 3, 4]);
    const r = run((a) => a.vpdpbusd(ymm1, ymm2, mem.dword(rdi, { bcst: true })), { v: { 2: new Array(64).fill(1) }, r: { 7: BigInt(DATA) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }] });
    expect(r.vec(1)).toEqual(pad(le(4, seqn(8, () => 10)), 64).map((x, j) => (j < 32 ? x : 0)));
  });
  test('VEX (AVX-VNNI) VPDPWSSDS xmm: no masking, bytes 16..63 zeroed', () => {
    const hi = { 1: [...le(4, [0x7fffffff, 5, 5, 5]), ...new Array(48).fill(0xaa)], 2: le(2, seqn(8, () => -32768)), 3: le(2, seqn(8, () => -32768)) };
    // dword 0 saturates; dwords 1..3: 5 + 2^31 → saturates too (5 + 2·2^30 > 2^31 - 1).
    // VEX.128.66.0F38.W0 53 /r: C4 E2 69 53 CB = vpdpwssds xmm1, xmm2, xmm3 (byte 2: W0, vvvv = ~2, L0, pp = 66).
    const r = run(Uint8Array.from([0xc4, 0xe2, 0x69, 0x53, 0xcb]), { v: hi });
    expect(r.stop?.vector).toBe(3);
    expect(r.vec(1)).toEqual(pad(le(4, [0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff])));
  });
});

describe('AVX512_IFMA', () => {
  // a = b = 2^52 - 1 (bits 63:52 of the sources ignored: 0xFFF... set there):
  // a·b = 2^104 - 2^53 + 1 → bits 51:0 = 1, bits 103:52 = 2^52 - 2.
  // a = 3, b = 2^51: a·b = 2^52 + 2^51 → bits 51:0 = 2^51, bits 103:52 = 1.
  const v = { 1: le(8, [5n, 0xffffffffffffffffn]), 2: le(8, [0xffffffffffffffffn, 3n]), 3: le(8, [0x000fffffffffffffn, 1n << 51n]) };
  test('VPMADD52LUQ: DEST += bits 51:0 (wrapping mod 2^64)', () => {
    // qword 0: 5 + 1 = 6; qword 1: 0xFFFFFFFFFFFFFFFF + 2^51 = 2^51 - 1 (mod 2^64).
    // (k1 = 0b11 selects both qwords and forces the EVEX form: the assembler would pick the
    // shorter VEX encoding, which is AVX-IFMA, a feature neither model has: #UD.)
    expect(run((a) => a.vpmadd52luq(xmm1.k(k1), xmm2, xmm3), { v, k: { 1: 3n } }).vec(1)).toEqual(pad(le(8, [6n, (1n << 51n) - 1n])));
  });
  test('the VEX form (AVX-IFMA) is not implemented: #UD', () => {
    const r = run((a) => a.vpmadd52luq(xmm1, xmm2, xmm3), { v });
    expect(r.stop?.vector).toBe(6);
  });
  test('VPMADD52HUQ: DEST += bits 103:52, {k1}{z}', () => {
    // qword 0: 5 + 2^52 - 2 = 0x0010000000000003; qword 1 masked off → 0.
    expect(run((a) => a.vpmadd52huq(xmm1.k(k1).z, xmm2, xmm3), { v, k: { 1: 1n } }).vec(1)).toEqual(pad(le(8, [0x0010000000000003n, 0n])));
  });
  test('VPMADD52HUQ zmm {1to8}', () => {
    // every qword: DEST 0 + high part of (2^52 - 1)·(2^52 - 1) = 2^52 - 2.
    const m = new Uint8Array(8192); m.set(le(8, [0x000fffffffffffffn]));
    const r = run((a) => a.vpmadd52huq(zmm1, zmm2, mem.qword(rdi, { bcst: true })), { v: { 2: le(8, seq(8, () => 0xfffffffffffffn)) }, r: { 7: BigInt(DATA) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }] });
    expect(r.vec(1)).toEqual(le(8, seq(8, () => (1n << 52n) - 2n)));
  });
});

describe('AVX512_BITALG and AVX512_VPOPCNTDQ', () => {
  test('VPOPCNTB / VPOPCNTW', () => {
    // bytes 0x00 → 0, 0xFF → 8, 0x0F → 4, 0x80 → 1; words 0xFF00 → 8, 0x0F80 → 5.
    const src = seqn(64, (j) => [0x00, 0xff, 0x0f, 0x80][j & 3]);
    expect(run((a) => a.vpopcntb(zmm1, zmm2), { v: { 2: src } }).vec(1)).toEqual(seqn(64, (j) => [0, 8, 4, 1][j & 3]));
    expect(run((a) => a.vpopcntw(ymm1.k(k1).z, ymm2), { v: { 2: src }, k: { 1: 0x5555n } }).vec(1)).toEqual(pad(le(2, seqn(16, (j) => (j & 1 ? 0 : 8))), 64));
  });
  test('VPOPCNTD {1to16} and VPOPCNTQ', () => {
    // dword 0xF0F0F0F1 → 17; qwords 0xFFFFFFFFFFFFFFFF → 64, 0x8000000000000001 → 2.
    const m = new Uint8Array(8192); m.set(le(4, [0xf0f0f0f1]));
    const r = run((a) => a.vpopcntd(zmm1, mem.dword(rdi, { bcst: true })), { r: { 7: BigInt(DATA) }, mem: [{ addr: DATA, bytes: m, perm: 'rw' }] });
    expect(r.vec(1)).toEqual(le(4, seqn(16, () => 17)));
    expect(run((a) => a.vpopcntq(xmm1, xmm2), { v: { 2: le(8, [-1n, 0x8000000000000001n]) } }).vec(1)).toEqual(pad(le(8, [64n, 2n])));
  });
  test('VPSHUFBITQMB: mask bit = bit (SRC2 byte & 63) of the same qword of SRC1, ANDed with k1', () => {
    // SRC1 qword 0 = 0x8000000000000001 (bits 0 and 63 set). SRC2 bytes: 0 → 1, 1 → 0, 63 → 1,
    // 127 & 63 = 63 → 1, 64 & 63 = 0 → 1, 62 → 0, 0 → 1, 63 → 1 → bits 0b1101_1101 = 0xDD.
    // qword 1 of SRC1 is 0 → bits 15:8 = 0. With k1 = 0x0F: 0x0D.
    const v = { 2: le(8, [0x8000000000000001n, 0n]), 3: [0, 1, 63, 127, 64, 62, 0, 63, 0, 1, 63, 127, 64, 62, 0, 63] };
    expect(run((a) => a.vpshufbitqmb(k2, xmm2, xmm3), { v, k: { 2: -1n } }).c.k64[2]).toBe(0xddn);
    expect(run((a) => a.vpshufbitqmb(k2.k(k1), xmm2, xmm3), { v, k: { 1: 0x0fn } }).c.k64[2]).toBe(0x0dn);
  });
});
