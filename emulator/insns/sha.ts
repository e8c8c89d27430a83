/**
 * SHA extensions (SDM vol. 2): SHA1RNDS4, SHA1NEXTE, SHA1MSG1, SHA1MSG2,
 * SHA256RNDS2, SHA256MSG1, SHA256MSG2. Legacy encoding only (NP 0F 38 C8-CD,
 * NP 0F 3A CC). Intel (SDM: exceptions type 4) requires 16-byte memory operands to be
 * aligned; AMD parts do not check (captured on Zen 5: SHA1MSG1 etc. with a misaligned
 * m128 complete normally), so the alignment check is made per vendor in a gate.
 *
 * Dwords are named as in the SDM pseudo-code: SRC[127:96] is dword 3 of the
 * register (c.v32[16r + 3]). SRC1 is the destination register, SRC2 the
 * xmm/m128 operand; SHA256RNDS2 also reads XMM0 (WK0 = bits 31:0, WK1 = 63:32).
 */
import { defVec, type LaneFn } from './sse-core.ts';
import { markImplemented } from '../models/features.ts';
import { addGate } from './registry.ts';
import { gp } from '../faults.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const rol = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
const ror = (x: number, n: number) => ((x >>> n) | (x << (32 - n))) >>> 0;

/** SHA-1 f_t and K_t of round group imm8[1:0] (FIPS 180-4 §4.1.1, §4.2.1). */
function f1(k: number, b: number, c: number, d: number): number {
  switch (k) {
    case 0: return ((b & c) ^ (~b & d)) >>> 0;
    case 2: return ((b & c) ^ (b & d) ^ (c & d)) >>> 0;
    default: return (b ^ c ^ d) >>> 0;
  }
}
const K1 = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];

const W = new Uint32Array(8);

const sha1rnds4: LaneFn = (c, d, a, b, _n, imm) => {
  const V = c.v32, s1 = a * 16, s2 = b * 16;
  let A = V[s1 + 3], B = V[s1 + 2], C = V[s1 + 1], D = V[s1], E = 0;
  // W0E = SRC2[127:96] (already E-added by SHA1NEXTE/PADDD), W1, W2, W3
  const w = [V[s2 + 3], V[s2 + 2], V[s2 + 1], V[s2]];
  const fn = imm & 3, K = K1[fn];
  for (let i = 0; i < 4; i++) {
    const t = (f1(fn, B, C, D) + rol(A, 5) + w[i] + E + K) >>> 0;
    E = D; D = C; C = rol(B, 30); B = A; A = t;
  }
  V[d * 16 + 3] = A; V[d * 16 + 2] = B; V[d * 16 + 1] = C; V[d * 16] = D;
};

const sha1nexte: LaneFn = (c, d, a, b) => {
  const V = c.v32;
  const tmp = rol(V[a * 16 + 3], 30);
  V[d * 16 + 3] = (V[b * 16 + 3] + tmp) >>> 0;
  V[d * 16 + 2] = V[b * 16 + 2]; V[d * 16 + 1] = V[b * 16 + 1]; V[d * 16] = V[b * 16];
};

const sha1msg1: LaneFn = (c, d, a, b) => {
  const V = c.v32;
  const w0 = V[a * 16 + 3], w1 = V[a * 16 + 2], w2 = V[a * 16 + 1], w3 = V[a * 16];
  const w4 = V[b * 16 + 3], w5 = V[b * 16 + 2];
  V[d * 16 + 3] = w2 ^ w0; V[d * 16 + 2] = w3 ^ w1; V[d * 16 + 1] = w4 ^ w2; V[d * 16] = w5 ^ w3;
};

const sha1msg2: LaneFn = (c, d, a, b) => {
  const V = c.v32;
  const w13 = V[b * 16 + 2], w14 = V[b * 16 + 1], w15 = V[b * 16];
  const w16 = rol(V[a * 16 + 3] ^ w13, 1);
  const w17 = rol(V[a * 16 + 2] ^ w14, 1);
  const w18 = rol(V[a * 16 + 1] ^ w15, 1);
  const w19 = rol(V[a * 16] ^ w16, 1);
  V[d * 16 + 3] = w16; V[d * 16 + 2] = w17; V[d * 16 + 1] = w18; V[d * 16] = w19;
};

// SHA-256 functions (FIPS 180-4 §4.1.2).
const S0 = (x: number) => ror(x, 2) ^ ror(x, 13) ^ ror(x, 22);
const S1 = (x: number) => ror(x, 6) ^ ror(x, 11) ^ ror(x, 25);
const s0 = (x: number) => ror(x, 7) ^ ror(x, 18) ^ (x >>> 3);
const s1 = (x: number) => ror(x, 17) ^ ror(x, 19) ^ (x >>> 10);
const ch = (e: number, f: number, g: number) => (e & f) ^ (~e & g);
const maj = (a: number, b: number, c: number) => (a & b) ^ (a & c) ^ (b & c);

const sha256rnds2: LaneFn = (c, d, a, b) => {
  const V = c.v32, x = a * 16, y = b * 16;
  let A = V[y + 3], B = V[y + 2], C = V[x + 3], D = V[x + 2];
  let E = V[y + 1], F = V[y], G = V[x + 1], H = V[x];
  W[0] = V[0]; W[1] = V[1]; // XMM0: WK0, WK1
  for (let i = 0; i < 2; i++) {
    const t1 = (ch(E, F, G) + S1(E) + W[i] + H) >>> 0;
    const nA = (t1 + maj(A, B, C) + S0(A)) >>> 0;
    const nE = (t1 + D) >>> 0;
    H = G; G = F; F = E; E = nE;
    D = C; C = B; B = A; A = nA;
  }
  V[d * 16 + 3] = A; V[d * 16 + 2] = B; V[d * 16 + 1] = E; V[d * 16] = F;
};

const sha256msg1: LaneFn = (c, d, a, b) => {
  const V = c.v32;
  const w4 = V[b * 16], w3 = V[a * 16 + 3], w2 = V[a * 16 + 2], w1 = V[a * 16 + 1], w0 = V[a * 16];
  V[d * 16 + 3] = (w3 + s0(w4)) >>> 0;
  V[d * 16 + 2] = (w2 + s0(w3)) >>> 0;
  V[d * 16 + 1] = (w1 + s0(w2)) >>> 0;
  V[d * 16] = (w0 + s0(w1)) >>> 0;
};

const sha256msg2: LaneFn = (c, d, a, b) => {
  const V = c.v32;
  const w14 = V[b * 16 + 2], w15 = V[b * 16 + 3];
  const w16 = (V[a * 16] + s1(w14)) >>> 0;
  const w17 = (V[a * 16 + 1] + s1(w15)) >>> 0;
  const w18 = (V[a * 16 + 2] + s1(w16)) >>> 0;
  const w19 = (V[a * 16 + 3] + s1(w17)) >>> 0;
  V[d * 16 + 3] = w19; V[d * 16 + 2] = w18; V[d * 16 + 1] = w17; V[d * 16] = w16;
};

const OWNER = 'sha';
defVec('Sha1rnds4', sha1rnds4, { owner: OWNER, unaligned: true });
defVec('Sha1nexte', sha1nexte, { owner: OWNER, unaligned: true });
defVec('Sha1msg1', sha1msg1, { owner: OWNER, unaligned: true });
defVec('Sha1msg2', sha1msg2, { owner: OWNER, unaligned: true });
defVec('Sha256rnds2', sha256rnds2, { owner: OWNER, unaligned: true });
defVec('Sha256msg1', sha256msg1, { owner: OWNER, unaligned: true });
defVec('Sha256msg2', sha256msg2, { owner: OWNER, unaligned: true });
/** Non-AMD: #GP(0) for a misaligned m128 (after the #UD/#NM checks of the handler would have passed). */
function intelAlign(c: Cpu, i: Insn): void {
  if (i.memOp < 0 || c.machine.model.vendor === 'amd') return;
  if (c.cr0 & 0xc) return; // CR0.EM/TS: the handler raises #UD/#NM first
  const la = c.ea(i);
  if (la % 16 !== 0) throw gp(`misaligned 16-byte operand at 0x${BigInt.asUintN(64, BigInt(la)).toString(16)}`);
}
addGate(['Sha1rnds4_xmm_xmmm128_imm8', 'Sha1nexte_xmm_xmmm128', 'Sha1msg1_xmm_xmmm128', 'Sha1msg2_xmm_xmmm128', 'Sha256rnds2_xmm_xmmm128', 'Sha256msg1_xmm_xmmm128', 'Sha256msg2_xmm_xmmm128'], intelAlign);

markImplemented('sha_ni');
