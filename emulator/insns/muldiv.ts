/**
 * MUL, IMUL (one, two and three operands), DIV, IDIV (SDM vol. 2).
 *
 * Flags:
 * - MUL / one-operand IMUL: CF = OF = (the upper half of the product is not
 *   zero / not the sign-extension of the lower half). Two- and three-operand
 *   IMUL: CF = OF = (the full product does not fit the destination).
 *   SF ZF AF PF are undefined in the SDM; they are left unchanged, as the
 *   captured Zen 4 silicon does (shared/conformance/README.md).
 * - DIV / IDIV: all six flags undefined. Rule used (seen in every captured
 *   Zen 4 case): CF and OF unchanged, AF = 1, ZF = SF = PF = 0.
 *   #DE (divide by zero, or a quotient too large for the destination) is
 *   raised before anything is written: registers and flags stay unchanged.
 *
 * 64-bit products are formed from 16-bit limbs with plain numbers (exact);
 * only 128-by-64 division falls back to BigInt, and only when the operands
 * are too large for the exact double fast path.
 */
import { defineInsn } from './registry.ts';
import { de } from '../faults.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const owner = 'muldiv';
const P2_32 = 4294967296;
const P2_16 = 65536;

/** Result words of the last 64x64 multiplication: bits 31:0, 63:32, 95:64, 127:96 (int32 each). */
export const M128 = new Int32Array(4);
const limbs = new Float64Array(8);

/** Unsigned 64x64 -> 128 product of (al, ah) * (bl, bh) into M128. */
export function mulu64(al: number, ah: number, bl: number, bh: number): void {
  const a0 = al & 0xffff, a1 = al >>> 16, a2 = ah & 0xffff, a3 = ah >>> 16;
  const b0 = bl & 0xffff, b1 = bl >>> 16, b2 = bh & 0xffff, b3 = bh >>> 16;
  // Column sums: each product < 2^32, at most four per column, plus the carry: well below 2^53.
  let t = a0 * b0;
  limbs[0] = t % P2_16; let carry = Math.floor(t / P2_16);
  t = a0 * b1 + a1 * b0 + carry;
  limbs[1] = t % P2_16; carry = Math.floor(t / P2_16);
  t = a0 * b2 + a1 * b1 + a2 * b0 + carry;
  limbs[2] = t % P2_16; carry = Math.floor(t / P2_16);
  t = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + carry;
  limbs[3] = t % P2_16; carry = Math.floor(t / P2_16);
  t = a1 * b3 + a2 * b2 + a3 * b1 + carry;
  limbs[4] = t % P2_16; carry = Math.floor(t / P2_16);
  t = a2 * b3 + a3 * b2 + carry;
  limbs[5] = t % P2_16; carry = Math.floor(t / P2_16);
  t = a3 * b3 + carry;
  limbs[6] = t % P2_16; limbs[7] = Math.floor(t / P2_16);
  M128[0] = limbs[0] | (limbs[1] << 16);
  M128[1] = limbs[2] | (limbs[3] << 16);
  M128[2] = limbs[4] | (limbs[5] << 16);
  M128[3] = limbs[6] | (limbs[7] << 16);
}

/** Signed 64x64 -> 128 product into M128 (unsigned product, then the upper half corrected). */
export function muls64(al: number, ah: number, bl: number, bh: number): void {
  mulu64(al, ah, bl, bh);
  // hi_signed = hi_unsigned - (a < 0 ? b : 0) - (b < 0 ? a : 0)  (mod 2^64)
  if (ah < 0) sub64hi(bl, bh);
  if (bh < 0) sub64hi(al, ah);
}
function sub64hi(lo: number, hi: number): void {
  const l = (M128[2] >>> 0) - (lo >>> 0);
  M128[2] = l | 0;
  M128[3] = (M128[3] - hi - (l < 0 ? 1 : 0)) | 0;
}

/** Unsigned 32x32 product: returns bits 31:0, bits 63:32 in `mulHi`. */
let mulHi = 0;
function mulu32(a: number, b: number): number {
  const ua = a >>> 0, ub = b >>> 0;
  const t0 = (ua & 0xffff) * ub, t1 = (ua >>> 16) * ub; // each < 2^48
  mulHi = Math.floor((t1 + Math.floor(t0 / P2_16)) / P2_16) | 0;
  return Math.imul(a, b);
}
function muls32(a: number, b: number): number {
  const lo = mulu32(a, b);
  mulHi = (mulHi - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
  return lo;
}

// ------------------------------------------------------------------ operands
function src8(c: Cpu, i: Insn): number {
  if (i.memOp >= 0) return c.rd8(c.ea(i));
  const r = i.r0;
  return r < 16 ? c.R[2 * r] & 255 : (c.R[2 * r - 32] >> 8) & 255;
}
function src16(c: Cpu, i: Insn, r: number): number {
  return i.memOp >= 0 ? c.rd16(c.ea(i)) : c.R[2 * r] & 0xffff;
}
function src32(c: Cpu, i: Insn, r: number): number {
  return i.memOp >= 0 ? c.rd32(c.ea(i)) : c.R[2 * r];
}
/** 64-bit source: returns bits 31:0, bits 63:32 in c.mhi. */
function src64(c: Cpu, i: Insn, r: number): number {
  if (i.memOp >= 0) return c.rd64(c.ea(i));
  c.mhi = c.R[2 * r + 1];
  return c.R[2 * r];
}

/** CF = OF = ovf; SF ZF AF PF unchanged. */
function mulFlags(c: Cpu, ovf: boolean): void {
  c.fa = (c.fa & 16) | (ovf ? 2049 : 0);
}

/** CF = OF after a 64x64 product in M128: the upper half is not the zero (signed: sign) extension of the lower. */
function wide128(signed: boolean): boolean {
  const s = signed ? M128[1] >> 31 : 0;
  return M128[2] !== s || M128[3] !== s;
}

// ------------------------------------------------------------------ MUL / IMUL one operand
// One function per width; `signed` selects IMUL (constant at each registration below).
/** F6 /4, /5: AX := AL * r/m8. */
function mulAx(c: Cpu, i: Insn, signed: boolean): void {
  const a = c.R[0] & 255, b = src8(c, i);
  const p = signed ? ((a << 24) >> 24) * ((b << 24) >> 24) : a * b;
  c.R[0] = (c.R[0] & -65536) | (p & 0xffff);
  mulFlags(c, signed ? p !== ((p << 24) >> 24) : p > 255);
}
/** F7 /4, /5 with 16-bit operands: DX:AX := AX * r/m16. */
function mulDxAx(c: Cpu, i: Insn, signed: boolean): void {
  const R = c.R;
  const a = R[0] & 0xffff, b = src16(c, i, i.r0);
  const p = signed ? ((a << 16) >> 16) * ((b << 16) >> 16) : a * b;
  R[0] = (R[0] & -65536) | (p & 0xffff);
  R[4] = (R[4] & -65536) | ((p >> 16) & 0xffff);
  mulFlags(c, signed ? p !== ((p << 16) >> 16) : p > 0xffff);
}
/** EDX:EAX := EAX * r/m32 (both halves zero-extended to 64 bits). */
function mulEdxEax(c: Cpu, i: Insn, signed: boolean): void {
  const R = c.R;
  const b = src32(c, i, i.r0);
  const lo = signed ? muls32(R[0], b) : mulu32(R[0], b);
  R[0] = lo; R[1] = 0; R[4] = mulHi; R[5] = 0;
  mulFlags(c, mulHi !== (signed ? lo >> 31 : 0));
}
/** RDX:RAX := RAX * r/m64. */
function mulRdxRax(c: Cpu, i: Insn, signed: boolean): void {
  const R = c.R;
  const bl = src64(c, i, i.r0), bh = c.mhi;
  if (signed) muls64(R[0], R[1], bl, bh);
  else mulu64(R[0], R[1], bl, bh);
  R[0] = M128[0]; R[1] = M128[1]; R[4] = M128[2]; R[5] = M128[3];
  mulFlags(c, wide128(signed));
}
defineInsn('Mul_rm8', { owner, exec: (c, i) => mulAx(c, i, false) });
defineInsn('Imul_rm8', { owner, exec: (c, i) => mulAx(c, i, true) });
defineInsn('Mul_rm16', { owner, exec: (c, i) => mulDxAx(c, i, false) });
defineInsn('Imul_rm16', { owner, exec: (c, i) => mulDxAx(c, i, true) });
defineInsn('Mul_rm32', { owner, exec: (c, i) => mulEdxEax(c, i, false) });
defineInsn('Imul_rm32', { owner, exec: (c, i) => mulEdxEax(c, i, true) });
defineInsn('Mul_rm64', { owner, exec: (c, i) => mulRdxRax(c, i, false) });
defineInsn('Imul_rm64', { owner, exec: (c, i) => mulRdxRax(c, i, true) });

// ------------------------------------------------------------------ IMUL two and three operands
// 0F AF: r := r * r/m;  6B / 69: r := r/m * imm (sign-extended). The product is truncated.
function imulN(w: 16 | 32 | 64, imm: boolean) { // the r/m operand is operand 1 (i.r1) in both forms
  return (c: Cpu, i: Insn) => {
    const R = c.R, d = i.r0;
    if (w === 16) {
      const b = (src16(c, i, i.r1) << 16) >> 16;
      const a = imm ? (i.imm << 16) >> 16 : (R[2 * d] << 16) >> 16;
      const p = a * b;
      R[2 * d] = (R[2 * d] & -65536) | (p & 0xffff);
      mulFlags(c, p !== ((p << 16) >> 16));
    } else if (w === 32) {
      const b = src32(c, i, i.r1);
      const a = imm ? i.imm : R[2 * d];
      const lo = muls32(a, b);
      R[2 * d] = lo; R[2 * d + 1] = 0;
      mulFlags(c, mulHi !== lo >> 31);
    } else {
      const bl = src64(c, i, i.r1), bh = c.mhi;
      const al = imm ? i.imm : R[2 * d], ah = imm ? i.immHi : R[2 * d + 1];
      muls64(al, ah, bl, bh);
      R[2 * d] = M128[0]; R[2 * d + 1] = M128[1];
      mulFlags(c, wide128(true));
    }
  };
}
defineInsn('Imul_r16_rm16', { owner, exec: imulN(16, false) });
defineInsn('Imul_r32_rm32', { owner, exec: imulN(32, false) });
defineInsn('Imul_r64_rm64', { owner, exec: imulN(64, false) });
defineInsn(['Imul_r16_rm16_imm16', 'Imul_r16_rm16_imm8'], { owner, exec: imulN(16, true) });
defineInsn(['Imul_r32_rm32_imm32', 'Imul_r32_rm32_imm8'], { owner, exec: imulN(32, true) });
defineInsn(['Imul_r64_rm64_imm32', 'Imul_r64_rm64_imm8'], { owner, exec: imulN(64, true) });

// ------------------------------------------------------------------ DIV / IDIV
/** Flags after a completed division (see the header). */
function divFlags(c: Cpu): void {
  c.fa = (c.fa & 2049) | 16;
  c.fz = 1; c.fs = 0; c.fp = 1;
}

// F6 /6: AL := AX / r/m8, AH := AX mod r/m8.
defineInsn('Div_rm8', {
  owner,
  exec: (c, i) => {
    const d = src8(c, i);
    if (d === 0) throw de('DIV r/m8: divide by zero');
    const n = c.R[0] & 0xffff;
    const q = Math.floor(n / d);
    if (q > 0xff) throw de(`DIV r/m8: quotient 0x${q.toString(16)} of 0x${n.toString(16)} / 0x${d.toString(16)} does not fit in AL`);
    c.R[0] = (c.R[0] & -65536) | ((n - q * d) << 8) | q;
    divFlags(c);
  },
});
defineInsn('Idiv_rm8', {
  owner,
  exec: (c, i) => {
    const d = (src8(c, i) << 24) >> 24;
    if (d === 0) throw de('IDIV r/m8: divide by zero');
    const n = (c.R[0] << 16) >> 16;
    const q = Math.trunc(n / d);
    if (q > 127 || q < -128) throw de(`IDIV r/m8: quotient ${q} of ${n} / ${d} does not fit in AL`);
    const r = n - q * d;
    c.R[0] = (c.R[0] & -65536) | ((r & 255) << 8) | (q & 255);
    divFlags(c);
  },
});
// F7 /6, /7 with 16-bit operands: DX:AX / r/m16.
defineInsn('Div_rm16', {
  owner,
  exec: (c, i) => {
    const R = c.R;
    const d = src16(c, i, i.r0);
    if (d === 0) throw de('DIV r/m16: divide by zero');
    const n = (R[4] & 0xffff) * P2_16 + (R[0] & 0xffff);
    const q = Math.floor(n / d);
    if (q > 0xffff) throw de(`DIV r/m16: quotient 0x${q.toString(16)} does not fit in AX`);
    R[0] = (R[0] & -65536) | q;
    R[4] = (R[4] & -65536) | (n - q * d);
    divFlags(c);
  },
});
defineInsn('Idiv_rm16', {
  owner,
  exec: (c, i) => {
    const R = c.R;
    const d = (src16(c, i, i.r0) << 16) >> 16;
    if (d === 0) throw de('IDIV r/m16: divide by zero');
    const n = ((R[4] & 0xffff) << 16) | (R[0] & 0xffff);
    const q = Math.trunc(n / d);
    if (q > 32767 || q < -32768) throw de(`IDIV r/m16: quotient ${q} does not fit in AX`);
    const r = n - q * d;
    R[0] = (R[0] & -65536) | (q & 0xffff);
    R[4] = (R[4] & -65536) | (r & 0xffff);
    divFlags(c);
  },
});

/**
 * Unsigned (hi:lo) / d for hi < d < 2^32 (so the quotient fits 32 bits), by two
 * 16-bit long-division steps whose partial dividends stay below 2^48.
 * Returns the quotient (uint32); the remainder is left in `divRem`.
 */
let divRem = 0;
function divu64by32(hi: number, lo: number, d: number): number {
  const n1 = hi * P2_16 + (lo >>> 16);
  const q1 = Math.floor(n1 / d), r1 = n1 - q1 * d;
  const n0 = r1 * P2_16 + (lo & 0xffff);
  const q0 = Math.floor(n0 / d);
  divRem = n0 - q0 * d;
  return q1 * P2_16 + q0;
}

// EAX := EDX:EAX / r/m32, EDX := remainder (both zero-extended).
defineInsn('Div_rm32', {
  owner,
  exec: (c, i) => {
    const R = c.R;
    const d = src32(c, i, i.r0) >>> 0;
    if (d === 0) throw de('DIV r/m32: divide by zero');
    const hi = R[4] >>> 0;
    if (hi >= d) throw de('DIV r/m32: quotient does not fit in EAX');
    const q = divu64by32(hi, R[0] >>> 0, d);
    R[0] = q | 0; R[1] = 0; R[4] = divRem | 0; R[5] = 0;
    divFlags(c);
  },
});
defineInsn('Idiv_rm32', {
  owner,
  exec: (c, i) => {
    const R = c.R;
    const ds = src32(c, i, i.r0);
    if (ds === 0) throw de('IDIV r/m32: divide by zero');
    let hi = R[4], lo = R[0];
    const nneg = hi < 0;
    if (nneg) { lo = -lo | 0; hi = (~hi + (lo === 0 ? 1 : 0)) | 0; } // |EDX:EAX|
    const dm = Math.abs(ds);
    const uhi = hi >>> 0;
    const qneg = nneg !== ds < 0;
    // |quotient| >= 2^32 whenever the high word reaches the divisor.
    if (uhi >= dm) throw de('IDIV r/m32: quotient does not fit in EAX');
    const qm = divu64by32(uhi, lo >>> 0, dm);
    if (qm > (qneg ? 0x80000000 : 0x7fffffff)) throw de('IDIV r/m32: quotient does not fit in EAX');
    const q = qneg ? -qm : qm, r = nneg ? -divRem : divRem;
    R[0] = q | 0; R[1] = 0; R[4] = r | 0; R[5] = 0;
    divFlags(c);
  },
});

const P2_20 = 1048576;
/** floor(n / d) for integers 0 <= n, d <= 2^52: the double quotient is off by at most one, then corrected exactly. */
function floorDiv(n: number, d: number): number {
  let q = Math.floor(n / d);
  const r = n - q * d;
  if (r < 0) q--; else if (r >= d) q++;
  return q;
}
const big64 = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
function setPair(c: Cpu, r: number, v: bigint): void {
  c.R[2 * r] = Number(BigInt.asIntN(32, v));
  c.R[2 * r + 1] = Number(BigInt.asIntN(32, v >> 32n));
}
function setPairNum(c: Cpu, r: number, v: number): void {
  // v: an integer with |v| < 2^53
  const hi = Math.floor(v / P2_32);
  c.R[2 * r] = (v - hi * P2_32) | 0;
  c.R[2 * r + 1] = hi | 0;
}

// RAX := RDX:RAX / r/m64, RDX := remainder.
defineInsn('Div_rm64', {
  owner,
  exec: (c, i) => {
    const R = c.R;
    const dl = src64(c, i, i.r0), dh = c.mhi;
    if ((dl | dh) === 0) throw de('DIV r/m64: divide by zero');
    if ((R[4] | R[5]) === 0 && (R[1] >>> 0) < P2_20 && (dh >>> 0) < P2_20) {
      // Dividend and divisor below 2^52: exact in doubles.
      const n = (R[1] >>> 0) * P2_32 + (R[0] >>> 0), d = (dh >>> 0) * P2_32 + (dl >>> 0);
      const q = floorDiv(n, d);
      setPairNum(c, 0, q); setPairNum(c, 2, n - q * d);
    } else {
      const n = (big64(R[4], R[5]) << 64n) | big64(R[0], R[1]);
      const d = big64(dl, dh);
      const q = n / d;
      if (q >> 64n) throw de('DIV r/m64: quotient does not fit in RAX');
      setPair(c, 0, q); setPair(c, 2, n - q * d);
    }
    divFlags(c);
  },
});
defineInsn('Idiv_rm64', {
  owner,
  exec: (c, i) => {
    const R = c.R;
    const dl = src64(c, i, i.r0), dh = c.mhi;
    if ((dl | dh) === 0) throw de('IDIV r/m64: divide by zero');
    const rdxIsSign = R[4] === R[1] >> 31 && R[5] === R[1] >> 31;
    const small = (h: number, l: number) => (h >= 0 ? h < P2_20 : h > -P2_20 || (h === -P2_20 && l === 0));
    if (rdxIsSign && small(R[1], R[0]) && small(dh, dl)) {
      // |dividend| and |divisor| at most 2^52: exact in doubles; the quotient cannot overflow.
      const n = R[1] * P2_32 + (R[0] >>> 0), d = dh * P2_32 + (dl >>> 0);
      const qm = floorDiv(Math.abs(n), Math.abs(d));
      const q = (n < 0) !== (d < 0) ? -qm : qm;
      setPairNum(c, 0, q); setPairNum(c, 2, n - q * d);
    } else {
      const n = BigInt.asIntN(128, (big64(R[4], R[5]) << 64n) | big64(R[0], R[1]));
      const d = BigInt.asIntN(64, big64(dl, dh));
      const q = n / d; // BigInt division truncates toward zero, as IDIV does
      if (q > 0x7fffffffffffffffn || q < -0x8000000000000000n) throw de('IDIV r/m64: quotient does not fit in RAX');
      setPair(c, 0, q); setPair(c, 2, n - q * d);
    }
    divFlags(c);
  },
});
