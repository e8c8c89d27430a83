// MMX instructions (SDM vol. 1 ch. 9, vol. 2): lane results, the x87 aliasing
// and transition rules, and the gates. Code is assembled by GNU as; expected
// values are worked by hand in the comments from the SDM pseudo-code.
import { describe, it, expect } from 'vitest';
import iced from 'iced-x86';
import { assemble } from './harness.ts';
import { setupCase } from '../../emulator/conform/setup.ts';
import { lookupInsn } from '../../emulator/insns/registry.ts';
import '../../emulator/insns/index.ts';
import { isImplemented } from '../../emulator/models/features.ts';
import type { Case } from '../../emulator/conform/format.ts';
import type { Cpu } from '../../emulator/cpu/cpu.ts';

const DATA = 0x20000000n;
const PAGE = 4096;

interface Init {
  mm?: Record<number, bigint>;
  xmm?: Record<number, bigint[]>;
  regs?: Record<string, bigint>;
  mem?: number[];
  cr0?: number;
  pre?: (c: Cpu) => void;
}

function u64le(v: bigint): number[] {
  return Array.from({ length: 8 }, (_, b) => Number((BigInt.asUintN(64, v) >> BigInt(8 * b)) & 0xffn));
}

function exec(lines: string[], init: Init = {}) {
  const body = assemble(lines);
  const code = new Uint8Array(body.length + 1);
  code.set(body);
  code[body.length] = 0xcc;
  const data = new Uint8Array(PAGE);
  if (init.mem) data.set(init.mem);
  const regs = new Map<string, bigint>([['rsi', DATA], ['rdi', DATA]]);
  for (const [k, v] of Object.entries(init.regs ?? {})) regs.set(k, BigInt.asUintN(64, v));
  const k: Case = {
    name: 'mmx', note: '', cpl: 3, xcr0: 7n, xss: 0n, xfd: 0n, cr0: init.cr0 === undefined ? null : BigInt(init.cr0), cr4: null,
    msrs: [], regs, rflags: 0x202n, memory: [{ addr: DATA, bytes: data, perm: 'rw' }], codeAddr: 0x10000000n, code,
    expect: { vector: 3, errorCode: null, errorCodeMask: null, rip: null, regs: new Map(), msrs: [], rflags: null, memory: [] },
  };
  const cm = setupCase(k, 'genoa');
  const c = cm.cpu;
  // Start from an x87 state an MMX instruction visibly changes: TOP = 5, every tag empty.
  c.ftop = 5;
  c.ftw = 0xffff;
  for (const [r, v] of Object.entries(init.mm ?? {})) { c.st.set(u64le(v), Number(r) * 10); c.st[Number(r) * 10 + 8] = 0x12; c.st[Number(r) * 10 + 9] = 0x34; }
  for (const [r, v] of Object.entries(init.xmm ?? {})) v.forEach((q, j) => c.v8.set(u64le(q), Number(r) * 64 + 8 * j));
  init.pre?.(c);
  c.xmodified = 0;
  const stop = cm.m.run(100000);
  if (stop.kind !== 'exception') throw new Error(`run ended with ${stop.kind}`);
  const rd = (a: bigint) => cm.m.mem.u8[cm.mapper.phys(Number(a))!];
  return {
    c,
    vector: stop.vector!,
    mm: (r: number) => { let v = 0n; for (let b = 7; b >= 0; b--) v = (v << 8n) | BigInt(c.st[r * 10 + b]); return v; },
    /** bytes 8-9 (sign/exponent) of physical register r */
    se: (r: number) => c.st[r * 10 + 8] | (c.st[r * 10 + 9] << 8),
    xmm: (r: number, q: number) => { let v = 0n; for (let b = 7; b >= 0; b--) v = (v << 8n) | BigInt(c.v8[r * 64 + 8 * q + b]); return v; },
    reg: (n: number) => c.R64[n],
    mem: (off: number, n: number) => Array.from({ length: n }, (_, b) => rd(DATA + BigInt(off + b))),
  };
}

/** One binary operation mm0 ← op(mm0, mm1); returns mm0. */
function op(insn: string, a: bigint, b: bigint): bigint {
  const r = exec([insn], { mm: { 0: a, 1: b } });
  expect(r.vector).toBe(3);
  return r.mm(0);
}

/** Packs words/dwords (low element first) into a 64-bit value. */
const w4 = (...w: number[]) => w.reduce((acc, x, k) => acc | (BigInt(x & 0xffff) << BigInt(16 * k)), 0n);
const d2 = (...d: number[]) => d.reduce((acc, x, k) => acc | (BigInt(x >>> 0) << BigInt(32 * k)), 0n);

describe('MMX state: aliasing with the x87 registers and the transition', () => {
  it('a write sets bytes 8-9 of the physical register to FFFFH, TOP = 0, FTW = 0, XMODIFIED bit 0', () => {
    const r = exec(['paddb mm3, mm1'], { mm: { 3: 0x7f80ff0001020304n, 1: 0x0101010101010101n } });
    // bytes 7f 80 ff 00 01 02 03 04 each + 1 (wrapping): 80 81 00 01 02 03 04 05
    expect(r.mm(3)).toBe(0x8081000102030405n);
    expect(r.se(3)).toBe(0xffff);
    expect(r.se(1)).toBe(0x3412); // a source register keeps its exponent bytes
    expect(r.c.ftop).toBe(0);
    expect(r.c.ftw).toBe(0);
    expect(r.c.xmodified & 1).toBe(1);
  });
  it('instructions that write no MMX register still transition (MOVD r32, mm; PMOVMSKB)', () => {
    const r = exec(['movd eax, mm2'], { mm: { 2: 0x1122334455667788n } });
    expect(r.reg(0)).toBe(0x55667788n);
    expect([r.c.ftop, r.c.ftw, r.se(2)]).toEqual([0, 0, 0x3412]);
  });
  it('MMn is physical register Rn whatever TOP is: FLD1 at TOP=5 loads R4, seen as MM4', () => {
    // FLD1 decrements TOP to 4 and writes 1.0 (significand 8000000000000000H, exponent 3FFFH) to R4.
    const r = exec(['fld1', 'movq rax, mm4'], { pre: (c) => { c.fcw = 0x37f; } });
    expect(r.reg(0)).toBe(0x8000000000000000n);
    expect(r.c.ftop).toBe(0);
  });
  it('EMMS after MMX code empties every tag; MOVQ mm, mm sets the exponent bytes too', () => {
    const r = exec(['movq mm5, mm6', 'emms'], { mm: { 6: 0xabcdn } });
    expect(r.mm(5)).toBe(0xabcdn);
    expect(r.se(5)).toBe(0xffff);
    expect(r.c.ftw).toBe(0xffff);
  });
  it('a faulting MMX instruction leaves the x87 state alone', () => {
    // [rsi + 4096] is past the mapped data page: #PF before anything is committed.
    const r = exec(['paddw mm0, QWORD PTR [rsi+4096]'], { mm: { 0: 5n } });
    expect(r.vector).toBe(14);
    expect([r.c.ftop, r.c.ftw, r.mm(0), r.se(0)]).toEqual([5, 0xffff, 5n, 0x3412]);
  });
});

describe('gates', () => {
  it('CR0.EM=1 → #UD, CR0.TS=1 → #NM, pending unmasked x87 exception → #MF', () => {
    expect(exec(['paddb mm0, mm1'], { cr0: 0x80010027 }).vector).toBe(6); // EM (bit 2)
    expect(exec(['paddb mm0, mm1'], { cr0: 0x8001002b }).vector).toBe(7); // TS (bit 3)
    expect(exec(['paddb mm0, mm1'], { cr0: 0x8001002f }).vector).toBe(6); // EM wins over TS
    const mf = exec(['pshufw mm0, mm1, 0'], { pre: (c) => { c.fsw = 0x81; } }); // IE + ES
    expect(mf.vector).toBe(16);
    expect(mf.c.ftop).toBe(5);
  });
  it('CVTPI2PD with a memory source takes no x87 exception and does not transition', () => {
    const r = exec(['cvtpi2pd xmm0, QWORD PTR [rsi]'], { mem: [1, 0, 0, 0, 2, 0, 0, 0], pre: (c) => { c.fsw = 0x81; } });
    expect(r.vector).toBe(3);
    expect([r.xmm(0, 0), r.xmm(0, 1)]).toEqual([0x3ff0000000000000n, 0x4000000000000000n]); // 1.0, 2.0
    expect([r.c.ftop, r.c.ftw]).toEqual([5, 0xffff]);
    // ... while the register form does both
    expect(exec(['cvtpi2pd xmm0, mm1'], { pre: (c) => { c.fsw = 0x81; } }).vector).toBe(16);
  });
});

describe('arithmetic', () => {
  it('wrapping and saturating adds/subtracts', () => {
    // words ffff+0001 → ffff (unsigned saturation), 0001+ffff → ffff, 8000+8000 → ffff, 2+3 = 5
    expect(op('paddusw mm0, mm1', w4(5 - 3, 0x8000, 1, 0xffff), w4(3, 0x8000, 0xffff, 1))).toBe(w4(5, 0xffff, 0xffff, 0xffff));
    // signed bytes: 7f+01 → 7f, 80+ff(-1) → 80, 10+20 = 30, rest 0
    expect(op('paddsb mm0, mm1', 0x10807fn, 0x20ff01n)).toBe(0x30807fn);
    // 5 - 10 unsigned → 0; 200 - 100 = 100
    expect(op('psubusb mm0, mm1', 0xc805n, 0x640an)).toBe(0x6400n);
    // signed words: -32768 - 1 → -32768; 100 - 300 = -200 (ff38)
    expect(op('psubsw mm0, mm1', w4(0x8000, 100), w4(1, 300))).toBe(w4(0x8000, -200));
    // PADDQ / PSUBQ: 64-bit wrap
    expect(op('paddq mm0, mm1', 0xffffffffffffffffn, 2n)).toBe(1n);
    expect(op('psubq mm0, mm1', 0n, 1n)).toBe(0xffffffffffffffffn);
    expect(op('paddd mm0, mm1', d2(0xffffffff, 7), d2(1, 8))).toBe(d2(0, 15));
  });
  it('multiplies', () => {
    // PMADDWD: [1,2,-3,4]·[5,6,7,-8] → 1*5+2*6 = 17, -3*7+4*-8 = -53
    expect(op('pmaddwd mm0, mm1', w4(1, 2, -3, 4), w4(5, 6, 7, -8))).toBe(d2(17, -53));
    // PMULLW / PMULHW / PMULHUW of 0x4000*0x4000 = 0x1000_0000 and -2*3 = -6 (ffff_fffa)
    expect(op('pmullw mm0, mm1', w4(0x4000, -2), w4(0x4000, 3))).toBe(w4(0, -6));
    expect(op('pmulhw mm0, mm1', w4(0x4000, -2), w4(0x4000, 3))).toBe(w4(0x1000, 0xffff));
    // unsigned: 0xfffe * 3 = 0x2_fffa → high word 2
    expect(op('pmulhuw mm0, mm1', w4(0x4000, 0xfffe), w4(0x4000, 3))).toBe(w4(0x1000, 2));
    // PMULUDQ: low dwords 0xffffffff * 0xffffffff = 0xfffffffe_00000001
    expect(op('pmuludq mm0, mm1', d2(0xffffffff, 5), d2(0xffffffff, 7))).toBe(0xfffffffe00000001n);
    // PMULHRSW: (0x4000*0x4000 >> 14) + 1 >> 1 = 0x2000
    expect(op('pmulhrsw mm0, mm1', w4(0x4000), w4(0x4000))).toBe(w4(0x2000));
    // PMADDUBSW: 255*127 + 255*127 = 64770 → saturates to 7fff; 1*-1 + 2*3 = 5
    expect(op('pmaddubsw mm0, mm1', 0x0201ffffn, 0x03ff7f7fn)).toBe(w4(0x7fff, 5));
  });
  it('averages, min/max, sum of absolute differences', () => {
    // (ff + 01 + 1) >> 1 = 80; (2 + 3 + 1) >> 1 = 3
    expect(op('pavgb mm0, mm1', 0x02ffn, 0x0301n)).toBe(0x0380n);
    expect(op('pavgw mm0, mm1', w4(0xffff, 1), w4(0xffff, 2))).toBe(w4(0xffff, 2));
    expect(op('pminub mm0, mm1', 0x01ffn, 0x0280n)).toBe(0x0180n);
    expect(op('pmaxsw mm0, mm1', w4(-1, 5), w4(1, -5))).toBe(w4(1, 5));
    expect(op('pminsw mm0, mm1', w4(-1, 5), w4(1, -5))).toBe(w4(-1, -5));
    expect(op('pmaxub mm0, mm1', 0x01ffn, 0x0280n)).toBe(0x02ffn);
    // |1-8|+|2-7|+|3-6|+|4-5|+|5-4|+|6-3|+|7-2|+|8-1| = 7+5+3+1+1+3+5+7 = 32
    expect(op('psadbw mm0, mm1', 0x0807060504030201n, 0x0102030405060708n)).toBe(32n);
  });
  it('SSSE3: sign, absolute value, horizontal add/subtract', () => {
    // PSIGNB: negative → -x, zero → 0, positive → x
    expect(op('psignb mm0, mm1', 0x05050505n, 0x00017f80n)).toBe(0x000505fbn);
    expect(op('pabsw mm0, mm1', 0n, w4(-5, 0x8000, 7))).toBe(w4(5, 0x8000, 7));
    expect(op('pabsd mm0, mm1', 0n, d2(-1, 3))).toBe(d2(1, 3));
    // PHADDW: [1,2,3,4],[10,20,30,40] → [1+2, 3+4, 10+20, 30+40]
    expect(op('phaddw mm0, mm1', w4(1, 2, 3, 4), w4(10, 20, 30, 40))).toBe(w4(3, 7, 30, 70));
    // PHSUBD: [10,3],[5,7] → [10-3, 5-7]
    expect(op('phsubd mm0, mm1', d2(10, 3), d2(5, 7))).toBe(d2(7, -2));
    // PHADDSW: 0x7fff + 1 saturates; PHSUBSW: -32768 - 1 saturates
    // -32768 + -1 saturates to -32768
    expect(op('phaddsw mm0, mm1', w4(0x7fff, 1, 2, 2), w4(0x8000, -1, 0, 0))).toBe(w4(0x7fff, 4, 0x8000, 0));
    expect(op('phsubsw mm0, mm1', w4(0x8000, 1, 9, 4), 0n)).toBe(w4(0x8000, 5, 0, 0));
    expect(op('phaddd mm0, mm1', d2(1, 2), d2(3, 4))).toBe(d2(3, 7));
    expect(op('phsubw mm0, mm1', w4(1, 2, 8, 4), w4(5, 5, 0, 1))).toBe(w4(-1, 4, 0, -1));
  });
  it('compares and logic', () => {
    expect(op('pcmpeqw mm0, mm1', w4(1, 2, 3, 4), w4(1, 0, 3, 0))).toBe(w4(0xffff, 0, 0xffff, 0));
    // signed bytes: 01 > ff(-1) yes, 80 > 7f no
    expect(op('pcmpgtb mm0, mm1', 0x8001n, 0x7fffn)).toBe(0x00ffn);
    expect(op('pcmpgtd mm0, mm1', d2(0, 5), d2(-1, 5))).toBe(d2(-1, 0));
    expect(op('pcmpeqb mm0, mm1', 0x0102n, 0x0302n)).toBe(0xffffffffffff00ffn);
    expect(op('pcmpgtw mm0, mm1', w4(2), w4(1))).toBe(w4(0xffff));
    expect(op('pcmpeqd mm0, mm1', d2(1, 2), d2(1, 3))).toBe(d2(-1, 0));
    expect(op('pand mm0, mm1', 0xff00ff00n, 0x0ff00ff0n)).toBe(0x0f000f00n);
    expect(op('pandn mm0, mm1', 0xff00ff00n, 0x0ff00ff0n)).toBe(0x00f000f0n);
    expect(op('por mm0, mm1', 0xf0n, 0x0fn)).toBe(0xffn);
    expect(op('pxor mm0, mm1', 0xffn, 0x0fn)).toBe(0xf0n);
  });
});

describe('shifts', () => {
  it('by imm8', () => {
    const r = exec(['psllw mm0, 4', 'psrad mm1, 4', 'psllq mm2, 4', 'psrlq mm3, 60', 'psrlw mm4, 16', 'psraw mm5, 200', 'pslld mm6, 1', 'psrld mm7, 31'], {
      mm: { 0: w4(0x1234, 0x8001), 1: d2(0x80000000, 0x70), 2: 0x0123456789abcdefn, 3: 0xf000000000000000n, 4: w4(0xffff), 5: w4(0x8000, 0x7fff), 6: d2(0x80000001), 7: d2(0x80000000, 1) },
    });
    expect(r.mm(0)).toBe(w4(0x2340, 0x0010));
    expect(r.mm(1)).toBe(d2(0xf8000000, 7));
    expect(r.mm(2)).toBe(0x123456789abcdef0n);
    expect(r.mm(3)).toBe(0xfn);
    expect(r.mm(4)).toBe(0n); // count >= 16: zero
    expect(r.mm(5)).toBe(w4(0xffff, 0)); // arithmetic count > 15 acts as 15
    expect(r.mm(6)).toBe(d2(2));
    expect(r.mm(7)).toBe(d2(1, 0));
  });
  it('by mm/m64 (the whole 64-bit count)', () => {
    expect(op('psllq mm0, mm1', 1n, 63n)).toBe(0x8000000000000000n);
    expect(op('psrlq mm0, mm1', 0xffn, 64n)).toBe(0n);
    expect(op('psraw mm0, mm1', w4(0x8000, 0x4000), 0x100000000n)).toBe(w4(0xffff, 0)); // count 2^32
    expect(op('psrlw mm0, mm1', w4(0x8000), 15n)).toBe(w4(1));
    expect(op('psrld mm0, mm1', d2(0x80000000), 31n)).toBe(d2(1));
    expect(op('pslld mm0, mm1', d2(1, 1), 32n)).toBe(0n);
    expect(op('psllw mm0, mm1', w4(1), 15n)).toBe(w4(0x8000));
    expect(op('psrad mm0, mm1', d2(-8), 2n)).toBe(d2(-2, 0));
  });
});

describe('packs, unpacks, shuffles', () => {
  const A = 0x8877665544332211n, L = 0x0706050403020100n, H = 0x1716151413121110n;
  it('PACKSSWB / PACKUSWB / PACKSSDW: dst elements then src elements', () => {
    // words [128, -129, 5, -5] → 7f 80 05 fb; [1, 2, 7fff, 8000] → 01 02 7f 80
    expect(op('packsswb mm0, mm1', w4(128, -129, 5, -5), w4(1, 2, 0x7fff, 0x8000))).toBe(0x807f0201fb05807fn);
    // unsigned saturation: 128 → 80, -129 → 00, 300 → ff, 7 → 07
    expect(op('packuswb mm0, mm1', w4(128, -129, 300, 7), w4(1, 2, 3, 4))).toBe(0x0403020107ff0080n);
    // dwords [65536, -70000] → 7fff 8000; [5, -5] → 0005 fffb
    expect(op('packssdw mm0, mm1', d2(65536, -70000), d2(5, -5))).toBe(w4(0x7fff, 0x8000, 5, -5));
  });
  it('PUNPCKL* interleave the low halves, PUNPCKH* the high halves', () => {
    expect(op('punpcklbw mm0, mm1', L, H)).toBe(0x1303120211011000n);
    expect(op('punpckhbw mm0, mm1', L, H)).toBe(0x1707160615051404n);
    expect(op('punpcklwd mm0, mm1', L, H)).toBe(0x1312030211100100n);
    expect(op('punpckhwd mm0, mm1', L, H)).toBe(0x1716070615140504n);
    expect(op('punpckldq mm0, mm1', L, H)).toBe(0x1312111003020100n);
    expect(op('punpckhdq mm0, mm1', L, H)).toBe(0x1716151407060504n);
  });
  it('PUNPCKLBW mm, m32 reads 4 bytes (the last 4 of the page here)', () => {
    const mem = new Array(PAGE).fill(0);
    mem.splice(PAGE - 4, 4, 0x10, 0x11, 0x12, 0x13);
    const r = exec([`punpcklbw mm0, DWORD PTR [rsi+${PAGE - 4}]`], { mm: { 0: L }, mem });
    expect(r.vector).toBe(3);
    expect(r.mm(0)).toBe(0x1303120211011000n);
  });
  it('PSHUFW, PSHUFB (index bits 2:0, bit 7 zeroes), PALIGNR', () => {
    // imm 1bh = 00 01 10 11: words reversed
    expect(op('pshufw mm0, mm1, 0x1b', 0n, w4(0x1111, 0x2222, 0x3333, 0x4444))).toBe(w4(0x4444, 0x3333, 0x2222, 0x1111));
    // bytes of A (low first) 11 22 33 44 55 66 77 88; indices 07 0f 80 08 01 02 03 84
    // → 88 88 00 11 22 33 44 00
    expect(op('pshufb mm0, mm1', A, 0x8403020108800f07n)).toBe(0x0044332211008888n);
    // dst:src = bytes (low first) 00..07 11..88, shifted right by 3 bytes
    expect(op('palignr mm0, mm1, 3', A, L)).toBe(0x3322110706050403n);
    expect(op('palignr mm0, mm1, 12', A, L)).toBe(0x88776655n);
    expect(op('palignr mm0, mm1, 16', A, L)).toBe(0n);
  });
});

describe('moves, insert/extract, masks', () => {
  it('MOVD/MOVQ between MMX, GPRs and memory', () => {
    const r = exec([
      'movd mm0, eax', 'movq mm1, rbx', 'movq rcx, mm2', 'movd edx, mm2',
      'movq QWORD PTR [rsi], mm2', 'movq mm3, QWORD PTR [rsi+8]', 'movd DWORD PTR [rsi+16], mm1', 'movd mm4, DWORD PTR [rsi+8]',
      'movntq QWORD PTR [rsi+24], mm1', 'movq mm5, mm1',
    ], { regs: { rax: 0xffffffff80000001n, rbx: 0x0123456789abcdefn, rdx: -1n }, mm: { 2: 0xfedcba9876543210n, 0: -1n }, mem: [...new Array(8).fill(0), 1, 2, 3, 4, 5, 6, 7, 8] });
    expect(r.mm(0)).toBe(0x80000001n); // zero-extended
    expect(r.mm(1)).toBe(0x0123456789abcdefn);
    expect(r.reg(1)).toBe(0xfedcba9876543210n);
    expect(r.reg(2)).toBe(0x76543210n); // 32-bit GPR write zero-extends
    expect(r.mem(0, 8)).toEqual([0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe]);
    expect(r.mm(3)).toBe(0x0807060504030201n);
    expect(r.mem(16, 4)).toEqual([0xef, 0xcd, 0xab, 0x89]);
    expect(r.mm(4)).toBe(0x04030201n);
    expect(r.mem(24, 8)).toEqual([0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01]);
    expect(r.mm(5)).toBe(0x0123456789abcdefn);
    for (const n of [0, 1, 3, 4, 5]) expect(r.se(n)).toBe(0xffff);
  });
  it('PINSRW / PEXTRW / PMOVMSKB', () => {
    const r = exec(['pinsrw mm0, eax, 6', 'pextrw ebx, mm0, 3', 'pmovmskb ecx, mm1', 'pinsrw mm2, WORD PTR [rsi], 0'],
      { mm: { 0: 0x4444333322221111n, 1: 0x80017f00ff000080n, 2: 0n }, regs: { rax: 0xabcdn, rbx: -1n, rcx: -1n }, mem: [0x34, 0x12, 0xee] });
    // imm 6 & 3 = 2: word 2 ← abcd
    expect(r.mm(0)).toBe(0x4444abcd22221111n);
    expect(r.reg(3)).toBe(0x4444n);
    // bytes (low first) 80 00 00 ff 00 7f 01 80 → sign bits 1,0,0,1,0,0,0,1 = 0x89
    expect(r.reg(1)).toBe(0x89n);
    expect(r.mm(2)).toBe(0x1234n);
  });
  it('MASKMOVQ stores the bytes whose mask byte has bit 7 set at [rdi]', () => {
    const r = exec(['maskmovq mm0, mm1'], { mm: { 0: 0x8877665544332211n, 1: 0x80000000ff7f0080n }, mem: new Array(8).fill(0xee), regs: { rdi: DATA + 0n } });
    // mask bytes (low first) 80 00 7f ff 00 00 00 80 → bytes 0, 3, 7
    expect(r.mem(0, 8)).toEqual([0x11, 0xee, 0xee, 0x44, 0xee, 0xee, 0xee, 0x88]);
    expect(r.c.ftop).toBe(0);
    // 67H: the address is EDI (upper half of RDI ignored); an all-zero mask writes nothing
    const r2 = exec(['addr32 maskmovq mm0, mm1', 'maskmovq mm0, mm2'], { mm: { 0: 0x8877665544332211n, 1: 0x80n, 2: 0n }, mem: new Array(8).fill(0xee), regs: { rdi: DATA + 0x500000000n } });
    expect(r2.vector).toBe(3);
    expect(r2.mem(0, 2)).toEqual([0x11, 0xee]);
  });
  it('MOVQ2DQ / MOVDQ2Q', () => {
    const r = exec(['movq2dq xmm1, mm0', 'movdq2q mm2, xmm3'], { mm: { 0: 0x1122334455667788n }, xmm: { 1: [-1n, -1n, -1n], 3: [0xaabbn, 0xccddn] } });
    expect([r.xmm(1, 0), r.xmm(1, 1), r.xmm(1, 2)]).toEqual([0x1122334455667788n, 0n, 0xffffffffffffffffn]);
    expect(r.mm(2)).toBe(0xaabbn);
    expect(r.se(2)).toBe(0xffff);
    expect(r.c.xmodified & 3).toBe(3);
  });
});

describe('conversions', () => {
  it('CVTPI2PS keeps xmm[127:64]; CVTPS2PI rounds by MXCSR.RC; CVTTPS2PI truncates', () => {
    const r = exec(['cvtpi2ps xmm0, mm0', 'cvtps2pi mm1, xmm2', 'cvttps2pi mm2, xmm2'], {
      mm: { 0: d2(1, -2) },
      // 1.5 (3fc00000), -2.5 (c0200000)
      xmm: { 0: [0n, 0x5555n], 2: [0xc02000003fc00000n, 0n] },
    });
    expect(r.xmm(0, 0)).toBe(0xc00000003f800000n); // 1.0f, -2.0f
    expect(r.xmm(0, 1)).toBe(0x5555n);
    expect(r.mm(1)).toBe(d2(2, -2)); // round to nearest even
    expect(r.mm(2)).toBe(d2(1, -2));
  });
  it('CVTPD2PI / CVTTPD2PI: NaN gives the integer indefinite 80000000H and sets MXCSR.IE', () => {
    const r = exec(['cvtpd2pi mm0, xmm1', 'cvttpd2pi mm1, xmm2'], {
      xmm: { 1: [0x7ff8000000000000n, 0x4004000000000000n], 2: [0xc00c000000000000n, 0x3fe0000000000000n] }, // NaN, 2.5; -3.5, 0.5
    });
    expect(r.mm(0)).toBe(d2(0x80000000, 2)); // 2.5 → 2 (nearest even)
    expect(r.mm(1)).toBe(d2(-3, 0));
    expect(r.c.mxcsr & 1).toBe(1);
  });
  it('CVTPD2PI m128 must be 16-byte aligned; CVTPS2PI m64 need not be', () => {
    expect(exec(['cvtpd2pi mm0, XMMWORD PTR [rsi+8]']).vector).toBe(13);
    const r = exec(['cvtps2pi mm0, QWORD PTR [rsi+4]'], { mem: [0, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40] });
    expect(r.mm(0)).toBe(d2(1, 2));
  });
  it('an unmasked invalid operation raises #XM before anything is written', () => {
    const r = exec(['cvtps2pi mm0, xmm1'], { mm: { 0: 7n }, xmm: { 1: [0x7fc00000n] }, pre: (c) => { c.mxcsr = 0x1f00; } });
    expect(r.vector).toBe(19);
    expect([r.mm(0), r.c.ftop]).toEqual([7n, 5]);
  });
});

describe('coverage', () => {
  it('every MMX Code iced decodes in 64-bit mode has a handler, except AMD 3DNow!', () => {
    const names = Object.keys(iced.Code).filter((k) => isNaN(Number(k)) && /_mm(m64|m32)?(_|$)/.test(k) && !k.startsWith('D3NOW_'));
    const missing = names.filter((n) => {
      const code = (iced.Code as unknown as Record<string, number>)[n];
      return iced.Instruction.create(code as unknown as iced.Code).opCode.mode64 && !lookupInsn(code);
    });
    expect(missing).toEqual([]);
    expect(isImplemented('mmx')).toBe(true);
  });
});
