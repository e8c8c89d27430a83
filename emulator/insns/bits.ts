/**
 * BT, BTS, BTR, BTC; BSF, BSR; TZCNT, LZCNT, POPCNT; BSWAP; MOVBE; CRC32
 * (SDM vol. 2).
 *
 * Flags, and the rule used where the SDM leaves them undefined:
 * - BT/BTS/BTR/BTC: CF = the selected bit; ZF unchanged (SDM); OF SF AF PF
 *   undefined: left unchanged, as the captured Zen 4 silicon does.
 * - BSF/BSR: ZF = (source = 0). A zero source leaves the destination unchanged
 *   (all 64 bits, as captured on Zen 4; the SDM says undefined). CF OF SF AF PF
 *   undefined: CF = OF = AF = SF = 0 and PF from the bit index, as captured
 *   (PF = 1 when the source is zero).
 * - TZCNT/LZCNT: CF = (source = 0), ZF = (result = 0); SF AF PF undefined:
 *   cleared, as captured; OF undefined: left unchanged, as captured.
 * - POPCNT: ZF = (source = 0); CF OF SF AF PF cleared (SDM).
 * - BSWAP, MOVBE, CRC32: no flags. BSWAP r16 (undefined) writes 0 to the
 *   16-bit register.
 *
 * BT* with a memory operand and a register bit offset: the offset is signed
 * and may address outside the operand; the w-bit operand at
 * EA + (w/8) * floor(offset / w) is accessed (wrapping at 32 bits with a 67H
 * address size). With an immediate, the offset is taken modulo the width.
 */
import { defineInsn } from './registry.ts';
import { compile, readReg, writeReg, readMem, writeMem, type Width, EA } from './gen.ts';
import { SEG_FS, SEG_GS, SEG_SS } from '../cpu/state.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const owner = 'bits';
const P2_32 = 4294967296;

// ------------------------------------------------------------------ BT family
type BtOp = 'Bt' | 'Bts' | 'Btr' | 'Btc';

/** Template: x (or xl, xh) and bit number b (0 .. w-1) → r (or rl, rh), CF. */
function btTmpl(op: BtOp, w: Width): string {
  const write = op === 'Bt' ? '' : op === 'Bts' ? '|' : op === 'Btr' ? '& ~' : '^';
  if (w === 64) {
    let t = `const hiw = b >= 32, sb = b & 31; const cf = ((hiw ? xh : xl) >>> sb) & 1; c.fa = (c.fa & -2) | cf;`;
    if (write) t += ` let rl = xl, rh = xh; if (hiw) rh = rh ${write} (1 << sb); else rl = rl ${write} (1 << sb);`;
    return t;
  }
  let t = `const cf = (x >>> b) & 1; c.fa = (c.fa & -2) | cf;`;
  if (write) t += ` const r = x ${write} (1 << b);`;
  return t;
}

/**
 * Linear address of the operand selected by a register bit offset (signed,
 * any size) for BT* m, r: EA + (w/8) * floor(offset / w).
 */
function btAddr(c: Cpu, i: Insn, w: Width): number {
  const R = c.R, r = i.r1;
  let delta: number;
  if (w === 16) delta = ((R[2 * r] << 16) >> 20) * 2;
  else if (w === 32) delta = (R[2 * r] >> 5) * 4;
  else {
    // Arithmetic shift of the 64-bit offset right by 6, then * 8. Past 2^53 the
    // sum is inexact, but then it is far outside the canonical range anyway.
    const lo = R[2 * r], hi = R[2 * r + 1];
    delta = ((hi >> 6) * P2_32 + (((lo >>> 6) | (hi << 26)) >>> 0)) * 8;
  }
  let la = c.ea(i);
  if (i.asz === 32) {
    const base = i.seg === SEG_FS ? c.fsBase : i.seg === SEG_GS ? c.gsBase : 0;
    let off = (la - base + delta) % P2_32;
    if (off < 0) off += P2_32;
    la = base + off;
  } else {
    la += delta;
  }
  return c.canon(la, i.seg === SEG_SS, 'bit-string address');
}

for (const op of ['Bt', 'Bts', 'Btr', 'Btc'] as BtOp[]) {
  const writes = op !== 'Bt';
  for (const w of [16, 32, 64] as Width[]) {
    const t = btTmpl(op, w);
    const env = { btAddr };
    // r/m, r: register offset (mod w for a register destination, signed for memory).
    const bReg = w === 64 ? `const b = R[2 * i.r1] & 63;` : `const b = R[2 * i.r1] & ${w - 1};`;
    const bImm = `const b = i.imm & ${w - 1};`;
    const regForm = (bsrc: string) => `${bsrc} ${readReg(w, 'i.r0', 'x')} ${t} ${writes ? writeReg(w, 'i.r0', 'r') : ''}`;
    const memForm = (addr: string, bsrc: string) => `${addr} ${bsrc} ${readMem(w, 'x', writes)} ${t} ${writes ? writeMem(w, 'r') : ''}`;
    defineInsn(`${op}_rm${w}_r${w}`, {
      owner, lockable: writes,
      exec: compile(`${op}_rm${w}_r${w}_reg`, regForm(bReg), env),
      mem: compile(`${op}_rm${w}_r${w}_mem`, memForm(`const la_ = btAddr(c, i, ${w}), lah = Math.floor(la_ / 4294967296), la = (la_ - lah * 4294967296) | 0;`, bReg), env),
    });
    defineInsn(`${op}_rm${w}_imm8`, {
      owner, lockable: writes,
      exec: compile(`${op}_rm${w}_imm8_reg`, regForm(bImm), env),
      mem: compile(`${op}_rm${w}_imm8_mem`, memForm(EA, bImm), env),
    });
  }
}

// ------------------------------------------------------------------ scans and counts
/** Reads the r/m source (operand 1) of width w: bits 31:0 returned, 63:32 in c.mhi. */
function srcRm(c: Cpu, i: Insn, w: Width): number {
  if (i.memOp >= 0) {
    const la = c.ea(i);
    if (w === 16) return c.rd16(la);
    if (w === 32) return c.rd32(la);
    return c.rd64(la);
  }
  const R = c.R, r = i.r1;
  c.mhi = R[2 * r + 1];
  return w === 16 ? R[2 * r] & 0xffff : R[2 * r];
}
/** Writes a count/index (0..64) to the destination register of width w. */
function setCount(c: Cpu, r: number, w: Width, v: number): void {
  const R = c.R;
  if (w === 16) R[2 * r] = (R[2 * r] & -65536) | v;
  else { R[2 * r] = v; R[2 * r + 1] = 0; }
}

const clz32 = Math.clz32;
const ctz32 = (v: number) => 31 - clz32(v & -v); // v != 0

function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Trailing zeros of a w-bit value (w when zero). */
function tz(w: Width, lo: number, hi: number): number {
  if (w === 16) lo &= 0xffff;
  if (lo !== 0) return ctz32(lo);
  if (w !== 64) return w;
  return hi !== 0 ? 32 + ctz32(hi) : 64;
}
/** Leading zeros of a w-bit value (w when zero). */
function lz(w: Width, lo: number, hi: number): number {
  if (w === 16) return clz32(lo & 0xffff) - 16;
  if (w === 32) return clz32(lo);
  return hi !== 0 ? clz32(hi) : 32 + clz32(lo);
}

function bitScan(w: Width, reverse: boolean) {
  return (c: Cpu, i: Insn) => {
    const lo = srcRm(c, i, w), hi = w === 64 ? c.mhi : 0;
    const zero = (w === 16 ? lo & 0xffff : lo | hi) === 0;
    c.fa = 0; c.fs = 0;
    if (zero) { c.fz = 0; c.fp = 0; return; } // destination unchanged
    const idx = reverse ? w - 1 - lz(w, lo, hi) : tz(w, lo, hi);
    setCount(c, i.r0, w, idx);
    c.fz = 1; c.fp = idx;
  };
}
function tzLz(w: Width, leading: boolean) {
  return (c: Cpu, i: Insn) => {
    const lo = srcRm(c, i, w), hi = w === 64 ? c.mhi : 0;
    const n = leading ? lz(w, lo, hi) : tz(w, lo, hi);
    setCount(c, i.r0, w, n);
    c.fa = (c.fa & 2048) | (n === w ? 1 : 0);
    c.fz = n; c.fs = 0; c.fp = 1;
  };
}
function popcnt(w: Width) {
  return (c: Cpu, i: Insn) => {
    const lo = srcRm(c, i, w), hi = w === 64 ? c.mhi : 0;
    const n = w === 16 ? popcount32(lo & 0xffff) : popcount32(lo) + (w === 64 ? popcount32(hi) : 0);
    setCount(c, i.r0, w, n);
    c.fa = 0; c.fz = n; c.fs = 0; c.fp = 1;
  };
}
for (const w of [16, 32, 64] as Width[]) {
  defineInsn(`Bsf_r${w}_rm${w}`, { owner, exec: bitScan(w, false) });
  defineInsn(`Bsr_r${w}_rm${w}`, { owner, exec: bitScan(w, true) });
  defineInsn(`Tzcnt_r${w}_rm${w}`, { owner, exec: tzLz(w, false) });
  defineInsn(`Lzcnt_r${w}_rm${w}`, { owner, exec: tzLz(w, true) });
  defineInsn(`Popcnt_r${w}_rm${w}`, { owner, exec: popcnt(w) });
}

// ------------------------------------------------------------------ BSWAP, MOVBE
const bswap32 = (v: number) => ((v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) | 0;
const bswap16 = (v: number) => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);

defineInsn('Bswap_r16', { owner, exec: (c, i) => { c.R[2 * i.r0] &= -65536; } });
defineInsn('Bswap_r32', { owner, exec: (c, i) => { const R = c.R, r = i.r0; R[2 * r] = bswap32(R[2 * r]); R[2 * r + 1] = 0; } });
defineInsn('Bswap_r64', {
  owner,
  exec: (c, i) => { const R = c.R, r = i.r0, lo = R[2 * r]; R[2 * r] = bswap32(R[2 * r + 1]); R[2 * r + 1] = bswap32(lo); },
});

// 0F 38 F0 / F1 (memory forms only; the register forms do not decode).
defineInsn('Movbe_r16_m16', { owner, exec: (c, i) => { const R = c.R, r = i.r0; R[2 * r] = (R[2 * r] & -65536) | bswap16(c.rd16(c.ea(i))); } });
defineInsn('Movbe_r32_m32', { owner, exec: (c, i) => { const R = c.R, r = i.r0; R[2 * r] = bswap32(c.rd32(c.ea(i))); R[2 * r + 1] = 0; } });
defineInsn('Movbe_r64_m64', {
  owner,
  exec: (c, i) => { const R = c.R, r = i.r0; const lo = c.rd64(c.ea(i)); R[2 * r] = bswap32(c.mhi); R[2 * r + 1] = bswap32(lo); },
});
defineInsn('Movbe_m16_r16', { owner, exec: (c, i) => c.wr16(c.ea(i), bswap16(c.R[2 * i.r1])) });
defineInsn('Movbe_m32_r32', { owner, exec: (c, i) => c.wr32(c.ea(i), bswap32(c.R[2 * i.r1])) });
defineInsn('Movbe_m64_r64', {
  owner,
  exec: (c, i) => { const R = c.R, r = i.r1; c.wr64(c.ea(i), bswap32(R[2 * r + 1]), bswap32(R[2 * r])); },
});

// ------------------------------------------------------------------ CRC32
// F2 0F 38 F0/F1: CRC-32C (Castagnoli, polynomial 0x11EDC6F41, bit-reflected
// 0x82F63B78) of the source bytes in memory order, starting from the
// destination's bits 31:0; the result is zero-extended.
const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let v = n;
  for (let k = 0; k < 8; k++) v = v & 1 ? (v >>> 1) ^ 0x82f63b78 : v >>> 1;
  CRC_TABLE[n] = v;
}
function crcBytes(crc: number, v: number, n: number): number {
  for (let k = 0; k < n; k++) {
    crc = CRC_TABLE[(crc ^ v) & 0xff] ^ (crc >>> 8);
    v >>>= 8;
  }
  return crc;
}
function crc32(bytes: 1 | 2 | 4 | 8) {
  return (c: Cpu, i: Insn) => {
    const R = c.R;
    let lo: number, hi = 0;
    if (i.memOp >= 0) {
      const la = c.ea(i);
      if (bytes === 1) lo = c.rd8(la);
      else if (bytes === 2) lo = c.rd16(la);
      else if (bytes === 4) lo = c.rd32(la);
      else { lo = c.rd64(la); hi = c.mhi; }
    } else {
      const r = i.r1;
      lo = bytes === 1 ? (r < 16 ? R[2 * r] & 255 : (R[2 * r - 32] >> 8) & 255) : R[2 * r];
      if (bytes === 8) hi = R[2 * r + 1];
    }
    let crc = R[2 * i.r0];
    crc = crcBytes(crc, lo, bytes === 8 ? 4 : bytes);
    if (bytes === 8) crc = crcBytes(crc, hi, 4);
    R[2 * i.r0] = crc | 0;
    R[2 * i.r0 + 1] = 0;
  };
}
defineInsn(['Crc32_r32_rm8', 'Crc32_r64_rm8'], { owner, exec: crc32(1) });
defineInsn('Crc32_r32_rm16', { owner, exec: crc32(2) });
defineInsn('Crc32_r32_rm32', { owner, exec: crc32(4) });
defineInsn('Crc32_r64_rm64', { owner, exec: crc32(8) });
