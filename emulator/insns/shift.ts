/**
 * SHL/SAL, SHR, SAR, ROL, ROR, RCL, RCR and SHLD, SHRD (SDM vol. 2 "SAL/SAR/
 * SHL/SHR", "RCL/RCR/ROL/ROR", "SHLD", "SHRD").
 *
 * The count is masked to 5 bits (6 with REX.W). A masked count of 0 changes
 * no flag and no operand (a 32-bit register destination is still written, so
 * its bits 63:32 are cleared as for every 32-bit write). RCL/RCR rotate
 * through CF by (count mod 9) for 8-bit and (count mod 17) for 16-bit
 * operands; flags are still written when that remainder is 0.
 *
 * Flags (SDM), and the rule used where the SDM leaves them undefined:
 * - SHL/SHR/SAR: CF = last bit shifted out (0 for SHL/SHR once the count
 *   exceeds the width, the sign for SAR); SF ZF PF from the result; OF is
 *   defined for count 1 (SHL: MSB(result) XOR CF, SHR: MSB(original),
 *   SAR: 0). For larger counts (undefined) AMD silicon computes SHL: MSB(result)
 *   XOR CF, SHR: MSB(result) XOR MSB-1(result) (so 0), SAR: 0, which is what
 *   is done here (checked against a Zen 5 host). AF = 1 (undefined in the
 *   SDM: the captured Zen 4 silicon sets it).
 * - ROL/ROR: CF = LSB / MSB of the result; OF (defined for count 1) =
 *   MSB(result) XOR CF / MSB(result) XOR MSB-1(result), same formula for
 *   other counts; SF ZF AF PF unchanged.
 * - RCL/RCR: CF = last bit rotated out; OF (count 1) = MSB(result) XOR CF /
 *   MSB(result) XOR MSB-1(result), same formula otherwise; SF ZF AF PF unchanged.
 * - SHLD/SHRD: CF = last bit shifted out of the destination; SF ZF PF from
 *   the result; OF (count 1) = sign change. Undefined cases follow AMD silicon
 *   (captured Zen 4 cases, and a Zen 5 host for the rest): AF = 1; OF for larger
 *   counts = MSB(result) XOR CF (SHLD) / MSB(result) XOR MSB-1(result) (SHRD);
 *   16-bit counts 17..31 give the source rotated by count - 16 (left for
 *   SHLD, right for SHRD) with CF = 0; 16-bit SHLD by 16 or more sets OF = CF.
 */
import iced from 'iced-x86';
import { defineInsn } from './registry.ts';
import { ARITH_FLAGS } from '../cpu/state.ts';
import { compile, readReg, writeReg, readMem, writeMem, widthConsts, type Width, EA, noFlags } from './gen.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const owner = 'shift';

// ------------------------------------------------------------------ 64-bit helpers
/** Result of the last 64-bit helper: bits 31:0 in lo, bits 63:32 in hi (int32). */
export const T = { lo: 0, hi: 0 };

/** (lo, hi) << n for 0 <= n <= 64, into T. */
export function shl64(lo: number, hi: number, n: number): void {
  if (n === 0) { T.lo = lo; T.hi = hi; }
  else if (n < 32) { T.hi = (hi << n) | (lo >>> (32 - n)); T.lo = lo << n; }
  else if (n < 64) { T.hi = lo << (n - 32); T.lo = 0; }
  else { T.lo = 0; T.hi = 0; }
}
/** (lo, hi) >>> n (logical) for 0 <= n <= 64, into T. */
export function shr64(lo: number, hi: number, n: number): void {
  if (n === 0) { T.lo = lo; T.hi = hi; }
  else if (n < 32) { T.lo = (lo >>> n) | (hi << (32 - n)); T.hi = (hi >>> n) | 0; }
  else if (n < 64) { T.lo = (hi >>> (n - 32)) | 0; T.hi = 0; }
  else { T.lo = 0; T.hi = 0; }
}
/** (lo, hi) >> n (arithmetic) for 0 <= n <= 63, into T. */
export function sar64(lo: number, hi: number, n: number): void {
  if (n === 0) { T.lo = lo; T.hi = hi; }
  else if (n < 32) { T.lo = (lo >>> n) | (hi << (32 - n)); T.hi = hi >> n; }
  else { T.lo = hi >> (n - 32); T.hi = hi >> 31; }
}
/** Bit b (0..63) of (lo, hi). */
export function bit64(lo: number, hi: number, b: number): number {
  return b < 32 ? (lo >>> b) & 1 : (hi >>> (b - 32)) & 1;
}
/** Rotate (lo, hi) left by n (0..63), into T. */
export function rol64(lo: number, hi: number, n: number): void {
  if (n >= 32) { const t = lo; lo = hi; hi = t; n -= 32; }
  if (n === 0) { T.lo = lo; T.hi = hi; return; }
  T.hi = (hi << n) | (lo >>> (32 - n));
  T.lo = (lo << n) | (hi >>> (32 - n));
}

/** RCL of the 65-bit CF:(lo, hi) by n (1..63): result into T, returns the new CF. */
function rcl64(lo: number, hi: number, n: number, cin: number): number {
  const cf = bit64(lo, hi, 64 - n);
  shr64(lo, hi, 65 - n);
  let rl = n === 1 ? 0 : T.lo, rh = n === 1 ? 0 : T.hi;
  if (n - 1 < 32) rl |= cin << (n - 1); else rh |= cin << (n - 33);
  shl64(lo, hi, n);
  T.lo |= rl; T.hi |= rh;
  return cf;
}
/** RCR of the 65-bit CF:(lo, hi) by n (1..63): result into T, returns the new CF. */
function rcr64(lo: number, hi: number, n: number, cin: number): number {
  const cf = bit64(lo, hi, n - 1);
  shl64(lo, hi, 65 - n);
  let rl = n === 1 ? 0 : T.lo, rh = n === 1 ? 0 : T.hi;
  const b = 64 - n; // CF lands at bit 64 - n
  if (b < 32) rl |= cin << b; else rh |= cin << (b - 32);
  shr64(lo, hi, n);
  T.lo |= rl; T.hi |= rh;
  return cf;
}

// ------------------------------------------------------------------ templates
type ShOp = 'Rol' | 'Ror' | 'Rcl' | 'Rcr' | 'Shl' | 'Sal' | 'Shr' | 'Sar';

/**
 * Template: operand x (or xl, xh for 64-bit) and the masked, non-zero count n
 * → r (or rl, rh) and the flags.
 */
function shiftTmpl(op: ShOp, w: Width): string {
  if (w === 64) {
    switch (op) {
      case 'Shl': case 'Sal':
        return `shl64(xl, xh, n); const rl = T.lo, rh = T.hi; const cf = bit64(xl, xh, 64 - n);
          c.fa = cf | 16 | (((rh >>> 31) ^ cf) << 11); c.fz = rl | rh; c.fs = rh; c.fp = rl;`;
      case 'Shr':
        return `shr64(xl, xh, n); const rl = T.lo, rh = T.hi; const cf = bit64(xl, xh, n - 1);
          c.fa = cf | 16 | ((((rh >>> 31) ^ (rh >>> 30)) & 1) << 11); c.fz = rl | rh; c.fs = rh; c.fp = rl;`;
      case 'Sar':
        return `sar64(xl, xh, n); const rl = T.lo, rh = T.hi; const cf = n === 64 ? xh >>> 31 : bit64(xl, xh, n - 1);
          c.fa = cf | 16; c.fz = rl | rh; c.fs = rh; c.fp = rl;`;
      case 'Rol':
        return `rol64(xl, xh, n); const rl = T.lo, rh = T.hi; const cf = rl & 1;
          c.fa = (c.fa & 16) | cf | (((rh >>> 31) ^ cf) << 11);`;
      case 'Ror':
        return `rol64(xl, xh, 64 - n); const rl = T.lo, rh = T.hi; const cf = rh >>> 31;
          c.fa = (c.fa & 16) | cf | ((cf ^ ((rh >>> 30) & 1)) << 11);`;
      case 'Rcl':
        return `const cf = rcl64(xl, xh, n, c.fa & 1); const rl = T.lo, rh = T.hi;
          c.fa = (c.fa & 16) | cf | (((rh >>> 31) ^ cf) << 11);`;
      case 'Rcr':
        return `const cf = rcr64(xl, xh, n, c.fa & 1); const rl = T.lo, rh = T.hi;
          c.fa = (c.fa & 16) | cf | ((((rh >>> 31) ^ (rh >>> 30)) & 1) << 11);`;
    }
  }
  const W = w, top = w - 1;
  switch (op) {
    case 'Shl': case 'Sal':
      // CF: bit (w - n) of x; none once n > w.
      return `const r = (x << n) & M; const cf = n <= ${W} ? (x >>> (${W} - n)) & 1 : 0;
        c.fa = cf | 16 | ((((r >>> ${top}) & 1) ^ cf) << 11); c.fz = c.fs = r << SH; c.fp = r;`;
    case 'Shr':
      return `const u = x & M, r = (u >>> n) | 0; const cf = (u >>> (n - 1)) & 1;
        c.fa = cf | 16 | ((((r >>> ${top}) ^ (r >>> ${top - 1})) & 1) << 11); c.fz = c.fs = r << SH; c.fp = r;`;
    case 'Sar':
      return `const s = (x << SH) >> SH, r = (s >> n) & M; const cf = (s >> (n - 1)) & 1;
        c.fa = cf | 16; c.fz = c.fs = r << SH; c.fp = r;`;
    case 'Rol':
      return `const u = x & M, k = n % ${W}; const r = k === 0 ? u : ((u << k) | (u >>> (${W} - k))) & M; const cf = r & 1;
        c.fa = (c.fa & 16) | cf | ((((r >>> ${top}) & 1) ^ cf) << 11);`;
    case 'Ror':
      return `const u = x & M, k = n % ${W}; const r = k === 0 ? u : ((u >>> k) | (u << (${W} - k))) & M; const cf = (r >>> ${top}) & 1;
        c.fa = (c.fa & 16) | cf | ((cf ^ ((r >>> ${top - 1}) & 1)) << 11);`;
    case 'Rcl': {
      const k = w === 8 ? 'n % 9' : w === 16 ? 'n % 17' : 'n';
      return `const u = x & M, k = ${k}, cin = c.fa & 1;
        const r = k === 0 ? u : ((u << k) | (cin << (k - 1)) | (k > 1 ? u >>> (${W + 1} - k) : 0)) & M;
        const cf = k === 0 ? cin : (u >>> (${W} - k)) & 1;
        c.fa = (c.fa & 16) | cf | ((((r >>> ${top}) & 1) ^ cf) << 11);`;
    }
    case 'Rcr': {
      const k = w === 8 ? 'n % 9' : w === 16 ? 'n % 17' : 'n';
      return `const u = x & M, k = ${k}, cin = c.fa & 1;
        const r = k === 0 ? u : ((u >>> k) | (cin << (${W} - k)) | (k > 1 ? u << (${W + 1} - k) : 0)) & M;
        const cf = k === 0 ? cin : (u >>> (k - 1)) & 1;
        c.fa = (c.fa & 16) | cf | ((((r >>> ${top}) ^ (r >>> ${top - 1})) & 1) << 11);`;
    }
  }
}

const ENV = { T, shl64, shr64, sar64, bit64, rol64, rcl64, rcr64 };
const codeNames = Object.keys(iced.Code).filter((k) => isNaN(Number(k)));

for (const name of codeNames) {
  const m = /^(Rol|Ror|Rcl|Rcr|Shl|Sal|Shr|Sar)_rm(8|16|32|64)_(1|CL|imm8)$/.exec(name);
  if (!m) continue;
  const op = m[1] as ShOp, w = Number(m[2]) as Width, src = m[3];
  const mask = w === 64 ? 63 : 31;
  const count = src === '1' ? 'const n = 1;' : src === 'CL' ? `const n = R[2] & ${mask};` : `const n = i.imm & ${mask};`;
  const k = widthConsts(w), t = shiftTmpl(op, w);
  const zext = w === 32 ? 'R[2 * i.r0 + 1] = 0;' : '';
  const reg = `${k} ${count} if (n === 0) { ${zext} return; } ${readReg(w, 'i.r0', 'x')} ${t} ${writeReg(w, 'i.r0', 'r')}`;
  // SHL/SHR/SAR by a constant write every arithmetic flag unless the masked count is 0 (then none).
  const byConst = src !== 'CL' && (op === 'Shl' || op === 'Sal' || op === 'Shr' || op === 'Sar');
  defineInsn(name, {
    owner,
    exec: compile(`${name}_reg`, reg, ENV),
    mem: compile(`${name}_mem`, `${k} ${count} ${EA} ${readMem(w, 'x', true)} if (n === 0) return; ${t} ${writeMem(w, 'r')}`, ENV),
    flags: byConst ? { reads: 0, writes: (i) => ((src === '1' ? 1 : i.imm) & mask) !== 0 ? ARITH_FLAGS : 0, nf: compile(`${name}_nf`, noFlags(reg), ENV) } : undefined,
  });
}

// ------------------------------------------------------------------ SHLD / SHRD
function readDst(c: Cpu, i: Insn, w: Width, la: number): number {
  if (i.memOp < 0) {
    const R = c.R, r = i.r0;
    c.mhi = R[2 * r + 1];
    return w === 16 ? R[2 * r] & 0xffff : R[2 * r];
  }
  switch (w) {
    case 16: return c.rdw16(la);
    case 32: return c.rdw32(la);
    default: return c.rdw64(la);
  }
}
function writeDst(c: Cpu, i: Insn, w: Width, la: number, lo: number, hi: number): void {
  if (i.memOp < 0) {
    const R = c.R, r = i.r0;
    if (w === 16) R[2 * r] = (R[2 * r] & -65536) | (lo & 0xffff);
    else { R[2 * r] = lo; R[2 * r + 1] = w === 32 ? 0 : hi; }
    return;
  }
  if (w === 16) c.wr16(la, lo);
  else if (w === 32) c.wr32(la, lo);
  else c.wr64(la, lo, hi);
}

function shxd(w: Width, left: boolean, cl: boolean) {
  const mask = w === 64 ? 63 : 31;
  return (c: Cpu, i: Insn) => {
    const R = c.R;
    const n = (cl ? R[2] : i.imm) & mask;
    const la = i.memOp < 0 ? 0 : c.ea(i);
    const dl = readDst(c, i, w, la), dh = c.mhi;
    if (n === 0) { if (i.memOp < 0 && w === 32) R[2 * i.r0 + 1] = 0; return; }
    const sl = R[2 * i.r1], sh = R[2 * i.r1 + 1];
    let rl: number, rh = 0, cf: number;
    if (w === 64) {
      if (left) {
        cf = bit64(dl, dh, 64 - n);
        shr64(sl, sh, 64 - n); const tl = T.lo, th = T.hi;
        shl64(dl, dh, n); rl = T.lo | tl; rh = T.hi | th;
      } else {
        cf = bit64(dl, dh, n - 1);
        shl64(sl, sh, 64 - n); const tl = T.lo, th = T.hi;
        shr64(dl, dh, n); rl = T.lo | tl; rh = T.hi | th;
      }
      const of = left ? (rh >>> 31) ^ cf : ((rh >>> 31) ^ (rh >>> 30)) & 1;
      c.fa = cf | 16 | (of << 11);
      c.fz = rl | rh; c.fs = rh; c.fp = rl;
    } else {
      if (w === 32) {
        if (left) { rl = (dl << n) | (sl >>> (32 - n)); cf = (dl >>> (32 - n)) & 1; }
        else { rl = (dl >>> n) | (sl << (32 - n)); cf = (dl >>> (n - 1)) & 1; }
      } else {
        const d = dl & 0xffff, s = sl & 0xffff;
        if (n <= 16) {
          if (left) { rl = ((d << n) | (s >>> (16 - n))) & 0xffff; cf = (d >>> (16 - n)) & 1; }
          else { rl = ((d >>> n) | (s << (16 - n))) & 0xffff; cf = (d >>> (n - 1)) & 1; }
        } else {
          // Undefined in the SDM; AMD: the source rotated by n - 16, CF = 0.
          const k = n - 16;
          rl = left ? ((s << k) | (s >>> (16 - k))) & 0xffff : ((s >>> k) | (s << (16 - k))) & 0xffff;
          cf = 0;
        }
      }
      const sh = 32 - w, msb = ((rl << sh) >>> 31) & 1;
      // SHLD: the MSB comes from the shifted destination alone (0 once n >= 16 for 16-bit).
      const of = left ? (w === 16 && n >= 16 ? 0 : msb) ^ cf : msb ^ (((rl << sh) >>> 30) & 1);
      c.fa = cf | 16 | (of << 11);
      c.fz = c.fs = rl << sh; c.fp = rl;
    }
    writeDst(c, i, w, la, rl, rh);
  };
}
for (const w of [16, 32, 64] as Width[]) {
  defineInsn(`Shld_rm${w}_r${w}_imm8`, { owner, exec: shxd(w, true, false) });
  defineInsn(`Shld_rm${w}_r${w}_CL`, { owner, exec: shxd(w, true, true) });
  defineInsn(`Shrd_rm${w}_r${w}_imm8`, { owner, exec: shxd(w, false, false) });
  defineInsn(`Shrd_rm${w}_r${w}_CL`, { owner, exec: shxd(w, false, true) });
}
