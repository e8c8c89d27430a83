/**
 * Opmask instructions (SDM vol. 2 "KMOVW/KMOVB/KMOVQ/KMOVD", "KANDW...",
 * "KADDW...", "KSHIFTLW...", "KUNPCKBW...", "KORTESTW...", "KTESTW...").
 *
 * All are VEX-encoded and gated by the AVX-512 state check (kGate): #UD unless
 * CR4.OSXSAVE=1 and XCR0 enables opmask/ZMM state; #NM with CR0.TS=1.
 * Every write of an opmask register zero-extends the N-bit result to 64 bits
 * and marks XSAVE component 5 (opmask) modified.
 *
 * One definition per operation, instantiated for each width B/W/D/Q.
 */
import { defineInsn } from './registry.ts';
import { kGate } from './simd-state.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const WIDTHS = { b: 8, w: 16, d: 32, q: 64 } as const;
type Wc = keyof typeof WIDTHS;
const XM_OPMASK = 1 << 5;

/** Reads opmask register n as an unsigned 64-bit BigInt. */
export function kGet(c: Cpu, n: number): bigint {
  return c.k64[n];
}

/** Writes opmask register n (value already truncated) and marks component 5. */
export function kSet(c: Cpu, n: number, v: bigint): void {
  c.k64[n] = v;
  c.xmodified |= XM_OPMASK;
}

const maskOf = (w: number) => (1n << BigInt(w)) - 1n;

function kdef(name: string, exec: (c: Cpu, i: Insn) => void, mem?: (c: Cpu, i: Insn) => void): void {
  defineInsn(name, {
    owner: 'kmask',
    exec: (c, i) => { kGate(c); exec(c, i); },
    mem: mem ? (c, i) => { kGate(c); mem(c, i); } : undefined,
  });
}

/** Reads a GPR as unsigned 64-bit. */
function gpr64(c: Cpu, n: number): bigint {
  return (BigInt(c.R[2 * n + 1] >>> 0) << 32n) | BigInt(c.R[2 * n] >>> 0);
}

for (const wc of Object.keys(WIDTHS) as Wc[]) {
  const W = WIDTHS[wc], M = maskOf(W), S = wc.toUpperCase();
  const suf = wc;
  // KMOV k, k/m
  kdef(`VEX_Kmov${suf}_kr_km${W}`,
    (c, i) => kSet(c, i.r0, kGet(c, i.r1) & M),
    (c, i) => {
      const la = c.ea(i);
      let v: bigint;
      switch (W) {
        case 8: v = BigInt(c.rd8(la)); break;
        case 16: v = BigInt(c.rd16(la)); break;
        case 32: v = BigInt(c.rd32(la) >>> 0); break;
        default: { const lo = c.rd64(la) >>> 0; v = (BigInt(c.mhi >>> 0) << 32n) | BigInt(lo); }
      }
      kSet(c, i.r0, v);
    });
  // KMOV m, k
  kdef(`VEX_Kmov${suf}_m${W}_kr`, (c, i) => {
    const la = c.ea(i), v = kGet(c, i.r1);
    switch (W) {
      case 8: c.wr8(la, Number(v & 0xffn)); break;
      case 16: c.wr16(la, Number(v & 0xffffn)); break;
      case 32: c.wr32(la, Number(v & 0xffffffffn) | 0); break;
      default: c.wr64(la, Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);
    }
  });
  // KMOV k, r32/r64 and r32/r64, k (the GPR write zero-extends to 64 bits)
  const gr = W === 64 ? 'r64' : 'r32';
  kdef(`VEX_Kmov${suf}_kr_${gr}`, (c, i) => kSet(c, i.r0, gpr64(c, i.r1) & M));
  kdef(`VEX_Kmov${suf}_${gr}_kr`, (c, i) => {
    const v = kGet(c, i.r1) & M;
    c.R[2 * i.r0] = Number(v & 0xffffffffn) | 0;
    c.R[2 * i.r0 + 1] = Number(v >> 32n) | 0;
  });
  // Logic
  const bin: Record<string, (a: bigint, b: bigint) => bigint> = {
    and: (a, b) => a & b, andn: (a, b) => ~a & b, or: (a, b) => a | b,
    xor: (a, b) => a ^ b, xnor: (a, b) => ~(a ^ b), add: (a, b) => a + b,
  };
  for (const [op, f] of Object.entries(bin)) {
    kdef(`VEX_K${op}${suf}_kr_kr_kr`, (c, i) => kSet(c, i.r0, f(kGet(c, i.r1) & M, kGet(c, i.r2) & M) & M));
  }
  kdef(`VEX_Knot${suf}_kr_kr`, (c, i) => kSet(c, i.r0, ~kGet(c, i.r1) & M));
  // Shifts: count = imm8 (unsigned); a count above W-1 gives 0.
  kdef(`VEX_Kshiftl${suf}_kr_kr_imm8`, (c, i) => {
    const n = i.imm & 255;
    kSet(c, i.r0, n > W - 1 ? 0n : ((kGet(c, i.r1) & M) << BigInt(n)) & M);
  });
  kdef(`VEX_Kshiftr${suf}_kr_kr_imm8`, (c, i) => {
    const n = i.imm & 255;
    kSet(c, i.r0, n > W - 1 ? 0n : (kGet(c, i.r1) & M) >> BigInt(n));
  });
  // KORTEST / KTEST: ZF and CF per the SDM, OF SF AF PF cleared.
  kdef(`VEX_Kortest${suf}_kr_kr`, (c, i) => {
    const t = (kGet(c, i.r0) | kGet(c, i.r1)) & M;
    setZC(c, t === 0n, t === M);
  });
  kdef(`VEX_Ktest${suf}_kr_kr`, (c, i) => {
    const a = kGet(c, i.r0) & M, b = kGet(c, i.r1) & M;
    setZC(c, (a & b) === 0n, (~a & b & M) === 0n);
  });
  void S;
}

// KUNPCK: dst[2N-1:N] = src1[N-1:0], dst[N-1:0] = src2[N-1:0].
for (const [nm, n] of [['bw', 8], ['wd', 16], ['dq', 32]] as const) {
  const M = maskOf(n);
  kdef(`VEX_Kunpck${nm}_kr_kr_kr`, (c, i) => kSet(c, i.r0, ((kGet(c, i.r1) & M) << BigInt(n)) | (kGet(c, i.r2) & M)));
}

function setZC(c: Cpu, z: boolean, cf: boolean): void {
  c.fz = z ? 0 : 1;
  c.fs = 0;
  c.fp = 1; // odd parity of 0x01 → PF = 0
  c.fa = cf ? 1 : 0;
}
