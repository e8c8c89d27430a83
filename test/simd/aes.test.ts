// AES-NI and VAES. References: FIPS-197 (Appendix A.1 key expansion, Appendix B
// cipher example, Appendix C.1/C.3 example vectors), the single-instruction
// examples of Intel's AES-NI white paper (Gueron, "Intel Advanced Encryption
// Standard (AES) New Instructions Set", rev. 3.01, §"AES instructions: examples"),
// and node:crypto AES-ECB for multi-block VEX/VAES runs. Code is assembled by GNU as.
import { describe, it, expect } from 'vitest';
import { createCipheriv } from 'node:crypto';
import { assemble } from '../insns/harness.ts';
import { setupCase } from '../../emulator/conform/setup.ts';
import '../../emulator/insns/index.ts';
import { isImplemented } from '../../emulator/models/features.ts';
import type { Case } from '../../emulator/conform/format.ts';

const DATA = 0x20000000n;

/** Big-endian hex (as FIPS-197 and the white paper print blocks) → bytes in memory order. */
const hexBytes = (h: string) => Array.from({ length: h.length / 2 }, (_, k) => parseInt(h.slice(2 * k, 2 * k + 2), 16));
const toHex = (b: number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join('');
/** A 128-bit number as printed MSB first → register bytes (byte 0 = bits 7:0). */
const num128 = (h: string) => hexBytes(h).reverse();
const numHex = (b: number[]) => toHex([...b].reverse());

function exec(lines: string[], init: { mem?: number[]; xmm?: Record<number, number[]>; cr0?: number; cr4?: number } = {}) {
  const body = assemble(lines);
  const code = new Uint8Array(body.length + 1);
  code.set(body);
  code[body.length] = 0xcc;
  const data = new Uint8Array(8192);
  if (init.mem) data.set(init.mem);
  const k: Case = {
    name: 'aes', note: '', cpl: 3, xcr0: 0xe7n, xss: 0n, xfd: 0n,
    cr0: init.cr0 === undefined ? null : BigInt(init.cr0), cr4: init.cr4 === undefined ? null : BigInt(init.cr4),
    msrs: [], regs: new Map([['rsi', DATA]]), rflags: 0x202n, memory: [{ addr: DATA, bytes: data, perm: 'rw' }], codeAddr: 0x10000000n, code,
    expect: { vector: 3, errorCode: null, errorCodeMask: null, rip: null, regs: new Map(), msrs: [], rflags: null, memory: [] },
  };
  const cm = setupCase(k, 'genoa');
  const c = cm.cpu;
  for (const [r, v] of Object.entries(init.xmm ?? {})) c.v8.set(v, Number(r) * 64);
  const stop = cm.m.run(1_000_000);
  if (stop.kind !== 'exception') throw new Error(`run ended with ${stop.kind}`);
  return {
    vector: stop.vector!,
    vec: (r: number, n = 16) => Array.from(c.v8.subarray(r * 64, r * 64 + n)),
    mem: (off: number, n: number) => Array.from({ length: n }, (_, b) => cm.m.mem.u8[cm.mapper.phys(Number(DATA) + off + b)!]),
  };
}

const RCON = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36];
const RK = 0x100, DK = 0x200, PT = 0x40, OUT = 0x300;

/** White paper AES_128_Key_Expansion: round keys 0..10 stored at [rsi+RK+16i]. */
function keyExp128(): string[] {
  const l = ['movdqu xmm1, XMMWORD PTR [rsi]', `movdqa XMMWORD PTR [rsi+${RK}], xmm1`];
  RCON.forEach((rc, i) => {
    l.push(`aeskeygenassist xmm2, xmm1, ${rc}`, 'pshufd xmm2, xmm2, 0xff');
    l.push('movdqa xmm3, xmm1', 'pslldq xmm3, 4', 'pxor xmm1, xmm3', 'pslldq xmm3, 4', 'pxor xmm1, xmm3', 'pslldq xmm3, 4', 'pxor xmm1, xmm3');
    l.push('pxor xmm1, xmm2', `movdqa XMMWORD PTR [rsi+${RK + 16 * (i + 1)}], xmm1`);
  });
  return l;
}

/** White paper AES_256_Key_Expansion: round keys 0..14. */
function keyExp256(): string[] {
  const l = ['movdqu xmm1, XMMWORD PTR [rsi]', 'movdqu xmm3, XMMWORD PTR [rsi+16]',
    `movdqa XMMWORD PTR [rsi+${RK}], xmm1`, `movdqa XMMWORD PTR [rsi+${RK + 16}], xmm3`];
  const shiftXor = (x: string) => ['movdqa xmm4, ' + x, 'pslldq xmm4, 4', `pxor ${x}, xmm4`, 'pslldq xmm4, 4', `pxor ${x}, xmm4`, 'pslldq xmm4, 4', `pxor ${x}, xmm4`];
  for (let i = 0; i < 7; i++) {
    l.push(`aeskeygenassist xmm2, xmm3, ${RCON[i]}`, 'pshufd xmm2, xmm2, 0xff', ...shiftXor('xmm1'), 'pxor xmm1, xmm2', `movdqa XMMWORD PTR [rsi+${RK + 32 * (i + 1)}], xmm1`);
    if (i === 6) break;
    l.push('aeskeygenassist xmm2, xmm1, 0', 'pshufd xmm2, xmm2, 0xaa', ...shiftXor('xmm3'), 'pxor xmm3, xmm2', `movdqa XMMWORD PTR [rsi+${RK + 32 * (i + 1) + 16}], xmm3`);
  }
  return l;
}

/** Encrypts [rsi+PT] with `rounds` rounds into [rsi+OUT], then decrypts it (AESIMC keys) into [rsi+OUT+16]. */
function encDec(rounds: number): string[] {
  const l = [`movdqu xmm0, XMMWORD PTR [rsi+${PT}]`, `pxor xmm0, XMMWORD PTR [rsi+${RK}]`];
  for (let i = 1; i < rounds; i++) l.push(`aesenc xmm0, XMMWORD PTR [rsi+${RK + 16 * i}]`);
  l.push(`aesenclast xmm0, XMMWORD PTR [rsi+${RK + 16 * rounds}]`, `movdqu XMMWORD PTR [rsi+${OUT}], xmm0`);
  for (let i = 1; i < rounds; i++) l.push(`aesimc xmm5, XMMWORD PTR [rsi+${RK + 16 * i}]`, `movdqa XMMWORD PTR [rsi+${DK + 16 * i}], xmm5`);
  l.push('movdqa xmm6, xmm0', `pxor xmm6, XMMWORD PTR [rsi+${RK + 16 * rounds}]`);
  for (let i = rounds - 1; i >= 1; i--) l.push(`aesdec xmm6, XMMWORD PTR [rsi+${DK + 16 * i}]`);
  l.push(`aesdeclast xmm6, XMMWORD PTR [rsi+${RK}]`, `movdqu XMMWORD PTR [rsi+${OUT + 16}], xmm6`);
  return l;
}

function ecb(bits: number, key: number[], pt: number[]): string {
  const c = createCipheriv(`aes-${bits}-ecb`, Buffer.from(key), null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.from(pt)), c.final()]).toString('hex');
}

describe('single instructions: the AES-NI white paper examples', () => {
  // xmm1 = 7b5b54657374566563746f725d53475d (state), xmm2 = 48692853686179295b477565726f6e5d (round key)
  const state = num128('7b5b54657374566563746f725d53475d'), key = num128('48692853686179295b477565726f6e5d');
  const one = (insn: string) => numHex(exec([insn], { xmm: { 1: state, 2: key } }).vec(1));
  it('AESENC / AESENCLAST / AESDEC / AESDECLAST', () => {
    expect(one('aesenc xmm1, xmm2')).toBe('a8311c2f9fdba3c58b104b58ded7e595');
    expect(one('aesenclast xmm1, xmm2')).toBe('c7fb881e938c5964177ec42553fdc611');
    expect(one('aesdec xmm1, xmm2')).toBe('138ac342faea2787b58eb95eb730392a');
    expect(one('aesdeclast xmm1, xmm2')).toBe('c5a391ef6b317f95d410637b72a593d0');
  });
  it('AESIMC and AESKEYGENASSIST', () => {
    // AESIMC is InvMixColumns of each column. The classic MixColumns test columns
    // (db 13 53 45 → 8e 4d a1 bc, f2 0a 22 5c → 9f dc 58 9d, 01 01 01 01 → itself,
    // d4 d4 d4 d5 → d5 d5 d7 d6) run backwards; check of the first column by hand:
    // 0e·8e ^ 0b·4d ^ 0d·a1 ^ 09·bc = db.
    const r0 = exec(['aesimc xmm1, xmm2'], { xmm: { 2: hexBytes('8e4da1bc9fdc589d01010101d5d5d7d6') } });
    expect(toHex(r0.vec(1))).toBe('db135345f20a225c01010101d4d4d4d5');
    // AESKEYGENASSIST xmm1, xmm2, 1 with xmm2 = 3c4fcf098815f7aba6d2ae2816157e2b
    const r = exec(['aeskeygenassist xmm1, xmm2, 1'], { xmm: { 2: num128('3c4fcf098815f7aba6d2ae2816157e2b') } });
    expect(numHex(r.vec(1))).toBe('01eb848beb848a013424b5e524b5e434');
  });
});

describe('FIPS-197', () => {
  it('Appendix A.1 key expansion (AESKEYGENASSIST) and Appendix B cipher example', () => {
    const key = hexBytes('2b7e151628aed2a6abf7158809cf4f3c'), pt = hexBytes('3243f6a8885a308d313198a2e0370734');
    const mem = new Array(0x400).fill(0);
    mem.splice(0, 16, ...key);
    mem.splice(PT, 16, ...pt);
    const r = exec([...keyExp128(), ...encDec(10)], { mem });
    expect(r.vector).toBe(3);
    // w[4..7] = a0fafe17 88542cb1 23a33939 2a6c7605; w[40..43] = d014f9a8 c9ee2589 e13f0cc8 b6630ca6
    expect(toHex(r.mem(RK + 16, 16))).toBe('a0fafe1788542cb123a339392a6c7605');
    expect(toHex(r.mem(RK + 160, 16))).toBe('d014f9a8c9ee2589e13f0cc8b6630ca6');
    // Appendix B output
    expect(toHex(r.mem(OUT, 16))).toBe('3925841d02dc09fbdc118597196a0b32');
    expect(toHex(r.mem(OUT + 16, 16))).toBe(toHex(pt));
  });
  it('Appendix C.1 (AES-128) and C.3 (AES-256), encryption and the equivalent inverse cipher', () => {
    const pt = hexBytes('00112233445566778899aabbccddeeff');
    const key = Array.from({ length: 32 }, (_, k) => k);
    const mem = new Array(0x400).fill(0);
    mem.splice(0, 32, ...key);
    mem.splice(PT, 16, ...pt);
    const r128 = exec([...keyExp128(), ...encDec(10)], { mem });
    expect(toHex(r128.mem(OUT, 16))).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    expect(toHex(r128.mem(OUT + 16, 16))).toBe(toHex(pt));
    const r256 = exec([...keyExp256(), ...encDec(14)], { mem });
    expect(toHex(r256.mem(OUT, 16))).toBe('8ea2b7ca516745bfeafc49904b496089');
    expect(toHex(r256.mem(OUT + 16, 16))).toBe(toHex(pt));
    // and node:crypto agrees
    expect(ecb(128, key.slice(0, 16), pt)).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    expect(ecb(256, key, pt)).toBe('8ea2b7ca516745bfeafc49904b496089');
  });
});

describe('VEX and VAES forms', () => {
  // Round keys of the C.1 key come from the legacy key expansion above; the blocks are
  // encrypted with VEX.128, VAES VEX.256 (2 blocks) and VAES EVEX.512 (4 blocks).
  const key = Array.from({ length: 16 }, (_, k) => k);
  const blocks = Array.from({ length: 64 }, (_, k) => (k * 37 + 11) & 255);
  const ZK = 0x800; // round keys replicated 4 times (64 bytes each)
  function prog(): string[] {
    const l = [...keyExp128()];
    for (let i = 0; i <= 10; i++) {
      l.push(`movdqa xmm7, XMMWORD PTR [rsi+${RK + 16 * i}]`);
      for (let q = 0; q < 4; q++) l.push(`movdqu XMMWORD PTR [rsi+${ZK + 64 * i + 16 * q}], xmm7`);
    }
    // VEX.128: upper bits of ymm8 must end up zero
    l.push('vpcmpeqd ymm8, ymm8, ymm8', `vmovdqu xmm9, XMMWORD PTR [rsi+${PT}]`, `vpxor xmm8, xmm9, XMMWORD PTR [rsi+${RK}]`);
    for (let i = 1; i < 10; i++) l.push(`vaesenc xmm8, xmm8, XMMWORD PTR [rsi+${RK + 16 * i}]`);
    l.push(`vaesenclast xmm8, xmm8, XMMWORD PTR [rsi+${RK + 160}]`, `vmovdqu YMMWORD PTR [rsi+${OUT}], ymm8`);
    // VEX.256
    l.push(`vmovdqu ymm10, YMMWORD PTR [rsi+${PT}]`, `vpxor ymm10, ymm10, YMMWORD PTR [rsi+${ZK}]`);
    for (let i = 1; i < 10; i++) l.push(`vmovdqu ymm11, YMMWORD PTR [rsi+${ZK + 64 * i}]`, 'vaesenc ymm10, ymm10, ymm11');
    l.push(`vaesenclast ymm10, ymm10, YMMWORD PTR [rsi+${ZK + 640}]`, `vmovdqu YMMWORD PTR [rsi+${OUT + 32}], ymm10`);
    // EVEX.512, registers beyond 15
    l.push(`vmovdqu64 zmm20, ZMMWORD PTR [rsi+${PT}]`, `vpxorq zmm20, zmm20, ZMMWORD PTR [rsi+${ZK}]`);
    for (let i = 1; i < 10; i++) l.push(`vaesenc zmm20, zmm20, ZMMWORD PTR [rsi+${ZK + 64 * i}]`);
    l.push(`vmovdqu64 zmm21, ZMMWORD PTR [rsi+${ZK + 640}]`, 'vaesenclast zmm20, zmm20, zmm21', `vmovdqu64 ZMMWORD PTR [rsi+${OUT + 64}], zmm20`);
    // decryption of the 4 blocks with EVEX.512 VAESDEC (AESIMC'd keys replicated)
    for (let i = 1; i < 10; i++) {
      l.push(`aesimc xmm7, XMMWORD PTR [rsi+${RK + 16 * i}]`);
      for (let q = 0; q < 4; q++) l.push(`movdqu XMMWORD PTR [rsi+${ZK + 64 * i + 16 * q}], xmm7`);
    }
    l.push(`vpxorq zmm22, zmm20, ZMMWORD PTR [rsi+${ZK + 640}]`);
    for (let i = 9; i >= 1; i--) l.push(`vaesdec zmm22, zmm22, ZMMWORD PTR [rsi+${ZK + 64 * i}]`);
    l.push(`vaesdeclast zmm22, zmm22, ZMMWORD PTR [rsi+${ZK}]`, `vmovdqu64 ZMMWORD PTR [rsi+${OUT + 128}], zmm22`);
    return l;
  }
  it('agree with node:crypto AES-128-ECB', () => {
    const mem = new Array(0x400).fill(0);
    mem.splice(0, 16, ...key);
    mem.splice(PT, 64, ...blocks);
    const r = exec(prog(), { mem });
    expect(r.vector).toBe(3);
    const want = ecb(128, key, blocks);
    expect(toHex(r.mem(OUT, 16))).toBe(want.slice(0, 32));
    expect(r.mem(OUT + 16, 16)).toEqual(new Array(16).fill(0)); // VEX.128 zeroed bits 255:128
    expect(toHex(r.mem(OUT + 32, 32))).toBe(want.slice(0, 64));
    expect(toHex(r.mem(OUT + 64, 64))).toBe(want);
    expect(toHex(r.mem(OUT + 128, 64))).toBe(toHex(blocks));
  });
  it('legacy AESENC keeps bits 255:128; a misaligned legacy m128 is #GP, VEX is not', () => {
    const ones = new Array(64).fill(0xff);
    const r = exec(['aesenc xmm1, xmm2'], { xmm: { 1: ones, 2: new Array(64).fill(0) } });
    expect(r.vec(1, 64).slice(16)).toEqual(ones.slice(16));
    expect(exec(['aesenc xmm1, XMMWORD PTR [rsi+8]']).vector).toBe(13);
    expect(exec(['vaesenc xmm1, xmm1, XMMWORD PTR [rsi+8]']).vector).toBe(3);
  });
  it('features are advertised', () => {
    expect(isImplemented('aes') && isImplemented('vaes')).toBe(true);
  });
});
