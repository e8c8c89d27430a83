// SHA extensions: SHA-1 and SHA-256 digests computed by guest programs built from
// SHA1RNDS4/SHA1NEXTE/SHA1MSG1/SHA1MSG2 and SHA256RNDS2/SHA256MSG1/SHA256MSG2
// (the usual schedule of Intel's SHA extensions paper), compared with node:crypto
// and the FIPS 180-4 example digests. Code is assembled by GNU as.
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { assemble } from '../insns/harness.ts';
import { setupCase } from '../../emulator/conform/setup.ts';
import '../../emulator/insns/index.ts';
import { isImplemented } from '../../emulator/models/features.ts';
import type { Case } from '../../emulator/conform/format.ts';

const DATA = 0x20000000n;
const MSG = 0x1000; // message blocks
const KT = 0x400; // SHA-256 K table

function exec(lines: string[], mem: number[], xmm: Record<number, number[]> = {}) {
  const body = assemble(lines);
  const code = new Uint8Array(body.length + 1);
  code.set(body);
  code[body.length] = 0xcc;
  const data = new Uint8Array(8192);
  data.set(mem);
  const k: Case = {
    name: 'sha', note: '', cpl: 3, xcr0: 7n, xss: 0n, xfd: 0n, cr0: null, cr4: null,
    msrs: [], regs: new Map([['rsi', DATA]]), rflags: 0x202n, memory: [{ addr: DATA, bytes: data, perm: 'rw' }], codeAddr: 0x10000000n, code,
    expect: { vector: 3, errorCode: null, errorCodeMask: null, rip: null, regs: new Map(), msrs: [], rflags: null, memory: [] },
  };
  const cm = setupCase(k, 'genoa');
  const c = cm.cpu;
  for (const [r, v] of Object.entries(xmm)) c.v8.set(v, Number(r) * 64);
  const stop = cm.m.run(10_000_000);
  if (stop.kind !== 'exception') throw new Error(`run ended with ${stop.kind}`);
  return { vector: stop.vector!, dw: (r: number, k2: number) => c.v32[r * 16 + k2] };
}

const le32 = (ws: number[]) => ws.flatMap((w) => [w & 255, (w >>> 8) & 255, (w >>> 16) & 255, w >>> 24]);
const hex32 = (ws: number[]) => ws.map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('');

/** FIPS 180-4 §5.1.1 padding: 0x80, zeros, 64-bit big-endian bit length. */
function pad(msg: Buffer): number[] {
  const n = Math.ceil((msg.length + 9) / 64) * 64;
  const out = new Array(n).fill(0);
  msg.forEach((b, k) => { out[k] = b; });
  out[msg.length] = 0x80;
  const bits = BigInt(msg.length) * 8n;
  for (let k = 0; k < 8; k++) out[n - 1 - k] = Number((bits >> BigInt(8 * k)) & 0xffn);
  return out;
}

// ---------------------------------------------------------------- SHA-1
// xmm0 = ABCD (A in bits 127:96), xmm1/xmm2 = E0/E1, xmm3-6 = MSG0-3, xmm7 = byte-reverse mask,
// xmm8/xmm9 = saved ABCD/E.
function sha1Program(blocks: number): string[] {
  const l = ['movdqu xmm0, XMMWORD PTR [rsi]', 'movdqu xmm1, XMMWORD PTR [rsi+16]', 'movdqu xmm7, XMMWORD PTR [rsi+32]'];
  const M = (k: number) => `xmm${3 + (k & 3)}`;
  for (let blk = 0; blk < blocks; blk++) {
    l.push('movdqa xmm8, xmm0', 'movdqa xmm9, xmm1');
    for (let g = 0; g < 20; g++) {
      const m = M(g), eCur = g % 2 === 0 ? 'xmm1' : 'xmm2', eNext = g % 2 === 0 ? 'xmm2' : 'xmm1';
      if (g < 4) l.push(`movdqu ${m}, XMMWORD PTR [rsi+${MSG + 64 * blk + 16 * g}]`, `pshufb ${m}, xmm7`);
      l.push(g === 0 ? `paddd xmm1, ${m}` : `sha1nexte ${eCur}, ${m}`);
      l.push(`movdqa ${eNext}, xmm0`);
      if (g >= 3 && g <= 18) l.push(`sha1msg2 ${M(g + 1)}, ${m}`); // completes W of group g+1
      l.push(`sha1rnds4 xmm0, ${eCur}, ${Math.floor(g / 5)}`);
      if (g >= 1 && g <= 16) l.push(`sha1msg1 ${M(g - 1)}, ${m}`); // starts W of group g+3
      if (g >= 2 && g <= 17) l.push(`pxor ${M(g + 2)}, ${m}`); // W[t-8] term of group g+2
    }
    l.push('sha1nexte xmm1, xmm9', 'paddd xmm0, xmm8');
  }
  return l;
}

function sha1(msg: Buffer): string {
  const p = pad(msg);
  const H = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const mem = new Array(MSG + p.length).fill(0);
  mem.splice(0, 16, ...le32([H[3], H[2], H[1], H[0]]));
  mem.splice(16, 16, ...le32([0, 0, 0, H[4]]));
  mem.splice(32, 16, ...Array.from({ length: 16 }, (_, k) => 15 - k));
  mem.splice(MSG, p.length, ...p);
  const r = exec(sha1Program(p.length / 64), mem);
  expect(r.vector).toBe(3);
  return hex32([r.dw(0, 3), r.dw(0, 2), r.dw(0, 1), r.dw(0, 0), r.dw(1, 3)]);
}

// ---------------------------------------------------------------- SHA-256
const K256 = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

// xmm1 = ABEF, xmm2 = CDGH (roles swap inside each group), xmm0 = W+K, xmm3-6 = MSG0-3,
// xmm7 = temp, xmm8 = dword byte-swap mask, xmm9/xmm10 = saved state.
function sha256Program(blocks: number): string[] {
  const l = ['movdqu xmm1, XMMWORD PTR [rsi]', 'movdqu xmm2, XMMWORD PTR [rsi+16]', 'movdqu xmm8, XMMWORD PTR [rsi+32]'];
  const M = (k: number) => `xmm${3 + (k & 3)}`;
  for (let blk = 0; blk < blocks; blk++) {
    l.push('movdqa xmm9, xmm1', 'movdqa xmm10, xmm2');
    for (let g = 0; g < 16; g++) {
      const m = M(g);
      if (g < 4) l.push(`movdqu ${m}, XMMWORD PTR [rsi+${MSG + 64 * blk + 16 * g}]`, `pshufb ${m}, xmm8`);
      l.push(`movdqa xmm0, ${m}`, `paddd xmm0, XMMWORD PTR [rsi+${KT + 16 * g}]`);
      l.push('sha256rnds2 xmm2, xmm1');
      if (g >= 3 && g <= 14) {
        // W of group g+1: += W[t-7] (palignr of groups g and g-1), then the sigma1 terms
        l.push(`movdqa xmm7, ${m}`, `palignr xmm7, ${M(g - 1)}, 4`, `paddd ${M(g + 1)}, xmm7`, `sha256msg2 ${M(g + 1)}, ${m}`);
      }
      l.push('pshufd xmm0, xmm0, 0x0e', 'sha256rnds2 xmm1, xmm2');
      if (g >= 1 && g <= 12) l.push(`sha256msg1 ${M(g - 1)}, ${m}`); // W[t-16] + sigma0(W[t-15]) of group g+3
    }
    l.push('paddd xmm1, xmm9', 'paddd xmm2, xmm10');
  }
  return l;
}

function sha256(msg: Buffer): string {
  const p = pad(msg);
  const [a, b, c, d, e, f, g, h] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const mem = new Array(MSG + p.length).fill(0);
  mem.splice(0, 16, ...le32([f, e, b, a]));
  mem.splice(16, 16, ...le32([h, g, d, c]));
  mem.splice(32, 16, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
  mem.splice(KT, 256, ...le32(K256));
  mem.splice(MSG, p.length, ...p);
  const r = exec(sha256Program(p.length / 64), mem);
  expect(r.vector).toBe(3);
  return hex32([r.dw(1, 3), r.dw(1, 2), r.dw(2, 3), r.dw(2, 2), r.dw(1, 1), r.dw(1, 0), r.dw(2, 1), r.dw(2, 0)]);
}

const ABC = Buffer.from('abc');
const TWO = Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
const LONG = Buffer.from(Array.from({ length: 1000 }, (_, k) => (k * 131 + 7) & 255));

describe('SHA-1 (SHA1RNDS4, SHA1NEXTE, SHA1MSG1, SHA1MSG2)', () => {
  it('FIPS 180-4 examples: "abc" and the 448-bit two-block message', () => {
    expect(sha1(ABC)).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1(TWO)).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  });
  it('agrees with node:crypto (empty message, 1000 bytes)', () => {
    for (const m of [Buffer.alloc(0), LONG]) expect(sha1(m)).toBe(createHash('sha1').update(m).digest('hex'));
  });
});

describe('SHA-256 (SHA256RNDS2, SHA256MSG1, SHA256MSG2)', () => {
  it('FIPS 180-4 examples: "abc" and the 448-bit two-block message', () => {
    expect(sha256(ABC)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256(TWO)).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });
  it('agrees with node:crypto (empty message, 1000 bytes)', () => {
    for (const m of [Buffer.alloc(0), LONG]) expect(sha256(m)).toBe(createHash('sha256').update(m).digest('hex'));
  });
});

describe('single instructions by hand', () => {
  const x = (ws: number[]) => le32(ws); // dword 0 first
  it('SHA1NEXTE: dest[127:96] = src2[127:96] + (src1[127:96] ROL 30), the rest from src2', () => {
    // 4 ROL 30 = 1
    const r = exec(['sha1nexte xmm1, xmm2'], [], { 1: x([9, 9, 9, 4]), 2: x([1, 2, 3, 10]) });
    expect([0, 1, 2, 3].map((k) => r.dw(1, k))).toEqual([1, 2, 3, 11]);
  });
  it('SHA1MSG1: W2^W0, W3^W1, W4^W2, W5^W3', () => {
    // src1 = W0..W3 in bits 127:96 .. 31:0 = dwords 3..0; src2 bits 127:96 = W4, 95:64 = W5
    const r = exec(['sha1msg1 xmm1, xmm2'], [], { 1: x([0x8, 0x4, 0x2, 0x1]), 2: x([0, 0, 0x20, 0x10]) });
    // dword3 = W2^W0 = 4^1 = 5, dword2 = W3^W1 = 8^2 = 10, dword1 = W4^W2 = 0x10^4, dword0 = W5^W3 = 0x20^8
    expect([3, 2, 1, 0].map((k) => r.dw(1, k))).toEqual([5, 10, 0x14, 0x28]);
  });
  it('SHA256MSG1 with zero words: W_i + sigma0(0) = W_i', () => {
    const r = exec(['sha256msg1 xmm1, xmm2'], [], { 1: x([1, 2, 3, 4]), 2: x([0, 0, 0, 0]) });
    // dword3 = W3 + s0(W4 = 0) = 4; dword2 = W2 + s0(W3 = 4): s0(4) = ror7 ^ ror18 ^ shr3 =
    // 0x08000000 ^ 0x00010000 ^ 0 = 0x08010000 → 3 + 0x08010000
    expect(r.dw(1, 3)).toBe(4);
    expect(r.dw(1, 2)).toBe(0x08010003);
  });
  it('features are advertised', () => {
    expect(isImplemented('sha_ni')).toBe(true);
  });
});
