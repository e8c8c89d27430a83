// SSE/AVX integer operations, moves, upper-bit rules, alignment and gates.
// Expected values are derived by hand in the comments (SDM vol. 2 pseudo-code).
import { describe, it, expect } from 'vitest';
import { mem, rsi, xmm0, xmm1, xmm2, xmm3, ymm0, ymm1, ymm2, eax, rax } from '../../guest-kernel/asm/index.ts';
import { run, le, elems, fill, DATA } from './sse-harness.ts';

const RSI = { 6: BigInt(DATA) };
const ones = fill(64, 0xaa);

describe('upper bits: legacy keeps 255:128 (and 511:256), VEX zeroes above the width', () => {
  const x = le(4, [1, 2, 3, 0xffffffff]), y = le(4, [10, 20, 30, 1]);
  it('PADDD xmm keeps bytes 16-63 of the destination', () => {
    const r = run((a) => a.paddd(xmm0, xmm1), { v: { 0: [...x, ...ones.slice(16)], 1: y } });
    // 1+10, 2+20, 3+30, 0xffffffff+1 wraps to 0
    expect(elems(4, r.vec(0, 16))).toEqual([11n, 22n, 33n, 0n]);
    expect(r.vec(0).slice(16)).toEqual(ones.slice(16));
  });
  it('VPADDD xmm zeroes bytes 16-63; VPADDD ymm zeroes bytes 32-63', () => {
    const r = run((a) => a.vpaddd(xmm2, xmm0, xmm1), { v: { 0: x, 1: y, 2: ones } });
    expect(elems(4, r.vec(2, 16))).toEqual([11n, 22n, 33n, 0n]);
    expect(r.vec(2).slice(16)).toEqual(fill(48, 0));
    const r2 = run((a) => a.vpaddd(ymm2, ymm0, ymm1), { v: { 0: [...x, ...x], 1: [...y, ...y], 2: ones } });
    expect(elems(4, r2.vec(2, 32))).toEqual([11n, 22n, 33n, 0n, 11n, 22n, 33n, 0n]);
    expect(r2.vec(2).slice(32)).toEqual(fill(32, 0));
  });
  it('MOVSS load zeroes 127:32, MOVSS reg merges the low element', () => {
    const r = run((a) => a.movss(xmm0, mem.dword(rsi)), { v: { 0: ones }, mem: le(4, [0x3f800000, 7, 7, 7]), r: RSI });
    expect(r.vec(0, 16)).toEqual([0, 0, 0x80, 0x3f, ...fill(12, 0)]);
    expect(r.vec(0).slice(16)).toEqual(ones.slice(16));
    const r2 = run((a) => a.movss(xmm0, xmm1), { v: { 0: ones, 1: le(4, [5, 6, 7, 8]) } });
    expect(r2.vec(0, 16)).toEqual([5, 0, 0, 0, ...ones.slice(4, 16)]);
  });
  it('VMOVSS xmm, xmm, xmm: low from src2, 127:32 from src1, the rest zero', () => {
    const r = run((a) => a.vmovss(xmm2, xmm0, xmm1), { v: { 0: le(4, [1, 2, 3, 4]), 1: le(4, [9, 9, 9, 9]), 2: ones } });
    expect(elems(4, r.vec(2, 16))).toEqual([9n, 2n, 3n, 4n]);
    expect(r.vec(2).slice(16)).toEqual(fill(48, 0));
  });
});

describe('integer lanes', () => {
  it('PADDSW / PSUBUSB / PADDUSW saturate', () => {
    // 0x7fff + 1 saturates to 0x7fff; -32768 + -1 saturates to -32768 (0x8000); 100 + 200 = 300
    const r = run((a) => a.paddsw(xmm0, xmm1), { v: { 0: le(2, [0x7fff, 0x8000, 100, 0, 0, 0, 0, 0]), 1: le(2, [1, 0xffff, 200, 0, 0, 0, 0, 0]) } });
    expect(elems(2, r.vec(0, 16)).slice(0, 3)).toEqual([0x7fffn, 0x8000n, 300n]);
    // 5 - 10 unsigned saturates to 0; 200 - 100 = 100
    const r2 = run((a) => a.psubusb(xmm0, xmm1), { v: { 0: [5, 200, ...fill(14, 0)], 1: [10, 100, ...fill(14, 0)] } });
    expect(r2.vec(0, 2)).toEqual([0, 100]);
  });
  it('PMULHW / PMULHUW / PMULHRSW / PMADDWD', () => {
    // 0x4000 * 0x4000 = 0x1000_0000: high word 0x1000; -2 * 3 = -6 = 0xffff_fffa: high word 0xffff
    const r = run((a) => a.pmulhw(xmm0, xmm1), { v: { 0: le(2, [0x4000, 0xfffe, 0, 0, 0, 0, 0, 0]), 1: le(2, [0x4000, 3, 0, 0, 0, 0, 0, 0]) } });
    expect(elems(2, r.vec(0, 4))).toEqual([0x1000n, 0xffffn]);
    // unsigned: 0xfffe * 3 = 0x2_fffa: high word 2
    const r2 = run((a) => a.pmulhuw(xmm0, xmm1), { v: { 0: le(2, [0xfffe, 0, 0, 0, 0, 0, 0, 0]), 1: le(2, [3, 0, 0, 0, 0, 0, 0, 0]) } });
    expect(elems(2, r2.vec(0, 2))).toEqual([2n]);
    // PMULHRSW: 0x4000*0x4000 = 2^28; >>14 = 2^14; +1 >>1 = 0x2000
    const r3 = run((a) => a.pmulhrsw(xmm0, xmm1), { v: { 0: le(2, fill(8, 0x4000)), 1: le(2, fill(8, 0x4000)) } });
    expect(elems(2, r3.vec(0, 2))).toEqual([0x2000n]);
    // PMADDWD: 1*3 + 2*4 = 11; (-32768)*(-32768)*2 = 2^31 wraps to 0x80000000
    const r4 = run((a) => a.pmaddwd(xmm0, xmm1), { v: { 0: le(2, [1, 2, 0x8000, 0x8000, 0, 0, 0, 0]), 1: le(2, [3, 4, 0x8000, 0x8000, 0, 0, 0, 0]) } });
    expect(elems(4, r4.vec(0, 8))).toEqual([11n, 0x80000000n]);
  });
  it('PMULUDQ / PMULDQ produce 64-bit products of the even dwords', () => {
    // 0xffffffff^2 = 0xfffffffe_00000001; signed: (-1)*(-1) = 1
    const v = { 0: le(4, [0xffffffff, 9, 2, 9]), 1: le(4, [0xffffffff, 9, 3, 9]) };
    expect(elems(8, run((a) => a.pmuludq(xmm0, xmm1), { v }).vec(0, 16))).toEqual([0xfffffffe00000001n, 6n]);
    expect(elems(8, run((a) => a.pmuldq(xmm0, xmm1), { v }).vec(0, 16))).toEqual([1n, 6n]);
  });
  it('PCMPGTQ compares signed 64-bit', () => {
    // -1 > 5 is false; 5 > -1 is true
    const r = run((a) => a.pcmpgtq(xmm0, xmm1), { v: { 0: le(8, [-1n, 5n]), 1: le(8, [5n, -1n]) } });
    expect(elems(8, r.vec(0, 16))).toEqual([0n, 0xffffffffffffffffn]);
  });
  it('PSADBW sums absolute byte differences per quadword', () => {
    // |1-4| + |10-0| + |0-255| = 3 + 10 + 255 = 268
    const r = run((a) => a.psadbw(xmm0, xmm1), { v: { 0: [1, 10, 0, ...fill(13, 0)], 1: [4, 0, 255, ...fill(13, 0)] } });
    expect(elems(8, r.vec(0, 16))).toEqual([268n, 0n]);
  });
});

describe('shifts', () => {
  const w = le(2, [0x8001, 0x7fff, 1, 2, 3, 4, 5, 0xffff]);
  it('the count is the whole low quadword: >= width gives 0 (logical) or the sign (arithmetic)', () => {
    expect(elems(2, run((a) => a.psllw(xmm0, 16), { v: { 0: w } }).vec(0, 16))).toEqual(fill(8, 0n));
    expect(elems(2, run((a) => a.psraw(xmm0, 200), { v: { 0: w } }).vec(0, 16)).slice(0, 2)).toEqual([0xffffn, 0n]);
    // count 2^32 + 1 in the xmm count operand: not 1 but "huge" → zero
    expect(elems(2, run((a) => a.psrlw(xmm0, xmm1), { v: { 0: w, 1: le(8, [0x100000001n, 0n]) } }).vec(0, 16))).toEqual(fill(8, 0n));
    // 0x8001 << 1 = 0x0002 (16-bit), 0x7fff << 1 = 0xfffe
    expect(elems(2, run((a) => a.psllw(xmm0, 1), { v: { 0: w } }).vec(0, 4))).toEqual([2n, 0xfffen]);
  });
  it('PSLLQ/PSRLQ cross the dword boundary; VPSRAVD uses per-element counts', () => {
    // 0x00000001_80000000 << 1 = 0x00000003_00000000; >> 33 = 0
    const q = le(8, [0x180000000n, 0x180000000n]);
    expect(elems(8, run((a) => a.psllq(xmm0, 1), { v: { 0: q } }).vec(0, 16))).toEqual([0x300000000n, 0x300000000n]);
    expect(elems(8, run((a) => a.psrlq(xmm0, 33), { v: { 0: q } }).vec(0, 16))).toEqual([0n, 0n]);
    // -16 >> 2 = -4; -16 >> 40 (>31) = -1; 16 >> 1 = 8; 16 >> 0 = 16
    const r = run((a) => a.vpsravd(xmm2, xmm0, xmm1), { v: { 0: le(4, [-16, -16, 16, 16]), 1: le(4, [2, 40, 1, 0]) } });
    expect(elems(4, r.vec(2, 16))).toEqual([0xfffffffcn, 0xffffffffn, 8n, 16n]);
  });
  it('PSLLDQ by 16 gives zero, by 1 moves bytes up', () => {
    const b = Array.from({ length: 16 }, (_, i) => i + 1);
    expect(run((a) => a.pslldq(xmm0, 16), { v: { 0: b } }).vec(0, 16)).toEqual(fill(16, 0));
    expect(run((a) => a.pslldq(xmm0, 1), { v: { 0: b } }).vec(0, 16)).toEqual([0, ...b.slice(0, 15)]);
  });
});

describe('shuffles, packs, unpacks', () => {
  it('PSHUFD 0x1b reverses the dwords; VPSHUFD ymm works per 128-bit lane', () => {
    const v = le(4, [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(elems(4, run((a) => a.pshufd(xmm0, xmm1, 0x1b), { v: { 1: v } }).vec(0, 16))).toEqual([4n, 3n, 2n, 1n]);
    expect(elems(4, run((a) => a.vpshufd(ymm0, ymm1, 0x1b), { v: { 1: v } }).vec(0, 32))).toEqual([4n, 3n, 2n, 1n, 8n, 7n, 6n, 5n]);
  });
  it('PACKSSWB / PACKUSWB saturate', () => {
    // 300 → 127, -300 → -128 (0x80), 5 → 5; unsigned: -1 → 0, 256 → 255
    const r = run((a) => a.packsswb(xmm0, xmm1), { v: { 0: le(2, [300, -300, 5, 0, 0, 0, 0, 0]), 1: le(2, fill(8, 1)) } });
    expect(r.vec(0, 16)).toEqual([127, 0x80, 5, 0, 0, 0, 0, 0, ...fill(8, 1)]);
    const r2 = run((a) => a.packuswb(xmm0, xmm1), { v: { 0: le(2, [-1, 256, 0, 0, 0, 0, 0, 0]), 1: le(2, fill(8, 0)) } });
    expect(r2.vec(0, 2)).toEqual([0, 255]);
  });
  it('PUNPCKLBW interleaves the low bytes', () => {
    const r = run((a) => a.punpcklbw(xmm0, xmm1), { v: { 0: Array.from({ length: 16 }, (_, i) => i), 1: Array.from({ length: 16 }, (_, i) => 0x10 + i) } });
    expect(r.vec(0, 6)).toEqual([0, 0x10, 1, 0x11, 2, 0x12]);
  });
  it('PSHUFB zeroes on bit 7 and indexes within the lane', () => {
    const src = Array.from({ length: 16 }, (_, i) => 0xa0 + i);
    const r = run((a) => a.pshufb(xmm0, xmm1), { v: { 0: src, 1: [15, 0x80, 0x11, ...fill(13, 0)] } });
    // 15 → src[15]; 0x80 → 0; 0x11 → index 1
    expect(r.vec(0, 3)).toEqual([0xaf, 0, 0xa1]);
  });
  it('PALIGNR concatenates dst:src and shifts right by imm bytes', () => {
    const d = Array.from({ length: 16 }, (_, i) => 0x10 + i), s = Array.from({ length: 16 }, (_, i) => i);
    const r = run((a) => a.palignr(xmm0, xmm1, 15), { v: { 0: d, 1: s } });
    expect(r.vec(0, 3)).toEqual([15, 0x10, 0x11]);
  });
  it('PMOVSXBD widens signed bytes', () => {
    const r = run((a) => a.pmovsxbd(xmm0, xmm1), { v: { 1: [0xff, 0x7f, 0x80, 1, ...fill(12, 0)] } });
    expect(elems(4, r.vec(0, 16))).toEqual([0xffffffffn, 0x7fn, 0xffffff80n, 1n]);
  });
  it('VPERM2I128 0x31 picks the high halves; 0x08 zeroes the low half', () => {
    const A = le(8, [1n, 2n, 3n, 4n]), B = le(8, [5n, 6n, 7n, 8n]);
    expect(elems(8, run((a) => a.vperm2i128(ymm2, ymm0, ymm1, 0x31), { v: { 0: A, 1: B } }).vec(2, 32))).toEqual([3n, 4n, 7n, 8n]);
    expect(elems(8, run((a) => a.vperm2i128(ymm2, ymm0, ymm1, 0x08), { v: { 0: A, 1: B } }).vec(2, 32))).toEqual([0n, 0n, 1n, 2n]);
  });
  it('VPERMD indexes across lanes with the vvvv indices', () => {
    const idx = le(4, [7, 6, 5, 4, 3, 2, 1, 8]), data = le(4, [10, 11, 12, 13, 14, 15, 16, 17]);
    // index 8 & 7 = 0 → 10
    expect(elems(4, run((a) => a.vpermd(ymm2, ymm0, ymm1), { v: { 0: idx, 1: data } }).vec(2, 32)))
      .toEqual([17n, 16n, 15n, 14n, 13n, 12n, 11n, 10n]);
  });
});

describe('extract, insert, mask, test', () => {
  it('PEXTRD / PINSRW / PMOVMSKB / MOVMSKPS', () => {
    const r = run((a) => a.pextrd(eax, xmm1, 7), { v: { 1: le(4, [1, 2, 3, 0xdeadbeef]) }, r: { 0: 0xffffffffffffffffn } });
    expect(r.c.R64[0]).toBe(0xdeadbeefn); // index 7 mod 4 = 3; the 32-bit write zeroes 63:32
    const r2 = run((a) => a.pinsrw(xmm1, eax, 9), { v: { 1: fill(16, 0) }, r: { 0: 0x12345678n } });
    expect(elems(2, r2.vec(1, 16))).toEqual([0n, 0x5678n, 0n, 0n, 0n, 0n, 0n, 0n]); // 9 mod 8 = 1
    const r3 = run((a) => a.pmovmskb(eax, xmm1), { v: { 1: [0x80, 0, 0xff, ...fill(12, 0), 0x80] } });
    expect(r3.c.R64[0]).toBe(0x8005n);
    const r4 = run((a) => a.vmovmskps(rax, ymm1), { v: { 1: le(4, [-1, 1, -1, 1, 1, 1, 1, -1]) } });
    expect(r4.c.R64[0]).toBe(0x85n);
  });
  it('PTEST sets ZF from AND and CF from ANDN, clears the others', () => {
    const r = run((a) => a.ptest(xmm0, xmm1), { v: { 0: fill(16, 0xf0), 1: fill(16, 0x0f) } });
    // AND = 0 → ZF = 1; ANDN = 0x0f.. ≠ 0 → CF = 0
    expect(r.c.fz).toBe(0);
    expect(r.c.fa & 1).toBe(0);
  });
});

describe('CRC32 and PCMPISTRI', () => {
  it('CRC32C of "123456789" (check value 0xE3069283 after the customary pre/post inversion)', () => {
    const text = [...'123456789'].map((ch) => ch.charCodeAt(0));
    const r = run((a) => a.crc32(rax, mem.qword(rsi)).crc32(eax, mem.byte(rsi, { disp: 8 })), { mem: text, r: { 0: 0xffffffffn, ...RSI } });
    expect(r.c.R64[0] ^ 0xffffffffn).toBe(0xe3069283n);
  });
  it('PCMPISTRI equal-ordered finds a substring; CF set, ZF from the null terminator', () => {
    const hay = [...'xxabcx'].map((ch) => ch.charCodeAt(0)), needle = [...'abc'].map((ch) => ch.charCodeAt(0));
    const r = run((a) => a.pcmpistri(xmm0, xmm1, 0x0c), { v: { 0: [...needle, ...fill(13, 0)], 1: [...hay, ...fill(10, 0)] } });
    expect(r.c.R64[1]).toBe(2n); // "abc" starts at byte 2
    expect(r.c.fa & 1).toBe(1); // CF: some match
    expect(r.c.fz).toBe(0); // ZF: the haystack has a null
  });
});

describe('alignment and gates', () => {
  const mis = { r: { 6: BigInt(DATA + 8) } };
  it('legacy aligned forms #GP(0) on a misaligned m128; unaligned forms and VEX do not', () => {
    expect(run((a) => a.movaps(xmm0, mem.xmmword(rsi)), mis).stop?.vector).toBe(13);
    expect(run((a) => a.paddd(xmm0, mem.xmmword(rsi)), mis).stop?.vector).toBe(13);
    expect(run((a) => a.movups(xmm0, mem.xmmword(rsi)), mis).stop?.vector).toBe(3);
    expect(run((a) => a.vpaddd(xmm0, xmm1, mem.xmmword(rsi)), mis).stop?.vector).toBe(3);
    expect(run((a) => a.vmovaps(xmm0, mem.xmmword(rsi)), mis).stop?.vector).toBe(13);
  });
  it('MXCSR.MM (genoa MXCSR_MASK has bit 17) lifts the check except for MOVAPS/MOVDQA/MOVNT*', () => {
    expect(run((a) => a.paddd(xmm0, mem.xmmword(rsi)), { ...mis, mxcsr: 0x21f80 }).stop?.vector).toBe(3);
    expect(run((a) => a.movaps(xmm0, mem.xmmword(rsi)), { ...mis, mxcsr: 0x21f80 }).stop?.vector).toBe(13);
  });
  it('#UD with CR4.OSFXSR=0 (legacy), #NM with CR0.TS=1, #UD for VEX when XCR0 lacks AVX', () => {
    expect(run((a) => a.paddd(xmm0, xmm1), { cr4: 0x40420 }).stop?.vector).toBe(6);
    expect(run((a) => a.paddd(xmm0, xmm1), { cr0: 0x8001002b }).stop?.vector).toBe(7);
    expect(run((a) => a.vpaddd(xmm0, xmm1, xmm2), { cr0: 0x8001002b }).stop?.vector).toBe(7);
    expect(run((a) => a.vpaddd(xmm0, xmm1, xmm2), { xcr0: 3 }).stop?.vector).toBe(6);
    expect(run((a) => a.paddd(xmm0, xmm1), { xcr0: 3 }).stop?.vector).toBe(3);
  });
  it('LDMXCSR #GP(0) on bits outside MXCSR_MASK (0x2ffff on genoa)', () => {
    expect(run((a) => a.ldmxcsr(mem.dword(rsi)), { mem: le(4, [0x41f80]), r: RSI }).stop?.vector).toBe(13);
    const r = run((a) => a.ldmxcsr(mem.dword(rsi)), { mem: le(4, [0x21f80]), r: RSI });
    expect(r.stop?.vector).toBe(3);
    expect(r.c.mxcsr).toBe(0x21f80);
  });
  it('VZEROUPPER clears bits 255:128 of every register', () => {
    const r = run((a) => a.vzeroupper(), { v: { 3: ones } });
    expect(r.vec(3)).toEqual([...ones.slice(0, 16), ...fill(48, 0)]);
  });
});

export { xmm3 };
