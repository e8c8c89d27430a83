/**
 * SSE2..SSE4.2 / AVX / AVX2 integer arithmetic, logic, compares and shifts on
 * XMM/YMM registers (SDM vol. 2: PADDx, PSUBx, PADDSx/PADDUSx, PMINx/PMAXx,
 * PAVGx, PMULLx/PMULHx/PMULUDQ/PMULDQ/PMULHRSW, PMADDWD/PMADDUBSW, PSADBW,
 * PABSx, PSIGNx, PCMPEQx/PCMPGTx, PAND/PANDN/POR/PXOR and the PS/PD logic
 * ops, PSLLx/PSRLx/PSRAx by xmm/imm, PSLLDQ/PSRLDQ, VPSLLV/VPSRLV/VPSRAV).
 *
 * Elementwise operations are written as one expression over the lanes
 * `x`, `y` (unsigned element values; `sx`, `sy` signed) and compiled into a
 * lane loop per element size, so each is defined once for every encoding.
 */
import { defVec, type LaneFn } from './sse-core.ts';
import type { Cpu } from '../cpu/cpu.ts';

const SAT = {
  S8: (v: number) => (v > 127 ? 127 : v < -128 ? -128 : v),
  U8: (v: number) => (v > 255 ? 255 : v < 0 ? 0 : v),
  S16: (v: number) => (v > 32767 ? 32767 : v < -32768 ? -32768 : v),
  U16: (v: number) => (v > 65535 ? 65535 : v < 0 ? 0 : v),
};

let serial = 0;
/** Elementwise lane function over `bits`-wide elements computing `expr`. */
export function ew(bits: 8 | 16 | 32, expr: string): LaneFn {
  const view = bits === 8 ? 'v8' : bits === 16 ? 'v16' : 'v32';
  const per = 512 / bits; // elements per 64-byte slot
  const sx = bits === 32 ? 'x | 0' : `(x << ${32 - bits}) >> ${32 - bits}`;
  const sy = bits === 32 ? 'y | 0' : `(y << ${32 - bits}) >> ${32 - bits}`;
  const src = `"use strict"; // ew${serial++}
    return function ew(c, d, a, b, n) {
      const V = c.${view}, E = n / ${bits / 8}, D = d * ${per}, A = a * ${per}, B = b * ${per};
      for (let k = 0; k < E; k++) {
        const x = V[A + k], y = V[B + k], sx = ${sx}, sy = ${sy};
        V[D + k] = ${expr};
      }
    };`;
  return new Function('S8', 'U8', 'S16', 'U16', src)(SAT.S8, SAT.U8, SAT.S16, SAT.U16) as LaneFn;
}

const EW: Array<[string, 8 | 16 | 32, string]> = [
  ['Paddb', 8, 'x + y'], ['Paddw', 16, 'x + y'], ['Paddd', 32, 'x + y'],
  ['Psubb', 8, 'x - y'], ['Psubw', 16, 'x - y'], ['Psubd', 32, 'x - y'],
  ['Paddsb', 8, 'S8(sx + sy)'], ['Paddsw', 16, 'S16(sx + sy)'],
  ['Psubsb', 8, 'S8(sx - sy)'], ['Psubsw', 16, 'S16(sx - sy)'],
  ['Paddusb', 8, 'U8(x + y)'], ['Paddusw', 16, 'U16(x + y)'],
  ['Psubusb', 8, 'U8(x - y)'], ['Psubusw', 16, 'U16(x - y)'],
  ['Pminub', 8, 'x < y ? x : y'], ['Pmaxub', 8, 'x > y ? x : y'],
  ['Pminuw', 16, 'x < y ? x : y'], ['Pmaxuw', 16, 'x > y ? x : y'],
  ['Pminud', 32, 'x < y ? x : y'], ['Pmaxud', 32, 'x > y ? x : y'],
  ['Pminsb', 8, 'sx < sy ? x : y'], ['Pmaxsb', 8, 'sx > sy ? x : y'],
  ['Pminsw', 16, 'sx < sy ? x : y'], ['Pmaxsw', 16, 'sx > sy ? x : y'],
  ['Pminsd', 32, 'sx < sy ? x : y'], ['Pmaxsd', 32, 'sx > sy ? x : y'],
  ['Pavgb', 8, '(x + y + 1) >> 1'], ['Pavgw', 16, '(x + y + 1) >> 1'],
  ['Pmullw', 16, 'Math.imul(x, y)'], ['Pmulld', 32, 'Math.imul(x, y)'],
  ['Pmulhw', 16, '(sx * sy) >> 16'], ['Pmulhuw', 16, '(x * y) >>> 16'],
  ['Pmulhrsw', 16, '(((sx * sy) >> 14) + 1) >> 1'],
  ['Pabsb', 8, 'sy < 0 ? -sy : sy'], ['Pabsw', 16, 'sy < 0 ? -sy : sy'], ['Pabsd', 32, 'sy < 0 ? -sy : sy'],
  ['Psignb', 8, 'sy < 0 ? -sx : sy === 0 ? 0 : x'], ['Psignw', 16, 'sy < 0 ? -sx : sy === 0 ? 0 : x'],
  ['Psignd', 32, 'sy < 0 ? -sx : sy === 0 ? 0 : x'],
  ['Pcmpeqb', 8, 'x === y ? 255 : 0'], ['Pcmpeqw', 16, 'x === y ? 65535 : 0'], ['Pcmpeqd', 32, 'x === y ? -1 : 0'],
  ['Pcmpgtb', 8, 'sx > sy ? 255 : 0'], ['Pcmpgtw', 16, 'sx > sy ? 65535 : 0'], ['Pcmpgtd', 32, 'sx > sy ? -1 : 0'],
  ['Pand', 32, 'x & y'], ['Pandn', 32, '~x & y'], ['Por', 32, 'x | y'], ['Pxor', 32, 'x ^ y'],
  ['Andps', 32, 'x & y'], ['Andpd', 32, 'x & y'], ['Andnps', 32, '~x & y'], ['Andnpd', 32, '~x & y'],
  ['Orps', 32, 'x | y'], ['Orpd', 32, 'x | y'], ['Xorps', 32, 'x ^ y'], ['Xorpd', 32, 'x ^ y'],
];
for (const [mn, bits, expr] of EW) defVec(mn, ew(bits, expr), { direct: true });

// ---- 64-bit lanes ------------------------------------------------------------
/** 64-bit elementwise over (lo, hi) uint32 pairs: body sets rl, rh from xl, xh, yl, yh. */
function ew64(body: string): LaneFn {
  return new Function('UMUL', `"use strict"; // ew64 ${serial++}
    return function ew64(c, d, a, b, n) {
      const V = c.v32, E = n >> 3, D = d * 16, A = a * 16, B = b * 16;
      for (let k = 0; k < 2 * E; k += 2) {
        const xl = V[A + k], xh = V[A + k + 1], yl = V[B + k], yh = V[B + k + 1];
        let rl = 0, rh = 0;
        ${body}
        V[D + k] = rl; V[D + k + 1] = rh;
      }
    };`)(umul) as LaneFn;
}

/** Unsigned 32x32 → 64 product into umul.lo / umul.hi. */
export function umul(a: number, b: number): void {
  a >>>= 0; b >>>= 0;
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  umul.lo = ((mid << 16) | (ll & 0xffff)) >>> 0;
  umul.hi = (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}
umul.lo = 0; umul.hi = 0;

defVec('Paddq', ew64('const s = xl + yl; rl = s >>> 0; rh = (xh + yh + (s > 4294967295 ? 1 : 0)) >>> 0;'), { direct: true });
defVec('Psubq', ew64('const s = xl - yl; rl = s >>> 0; rh = (xh - yh - (s < 0 ? 1 : 0)) >>> 0;'), { direct: true });
defVec('Pcmpeqq', ew64('rl = rh = (xl === yl && xh === yh) ? 4294967295 : 0;'), { direct: true });
defVec('Pcmpgtq', ew64('const gt = (xh | 0) > (yh | 0) || (xh === yh && xl > yl); rl = rh = gt ? 4294967295 : 0;'), { direct: true });
defVec('Pmuludq', ew64('UMUL(xl, yl); rl = UMUL.lo; rh = UMUL.hi;'), { direct: true });
defVec('Pmuldq', ew64('UMUL(xl, yl); rl = UMUL.lo; rh = (UMUL.hi - ((xl | 0) < 0 ? yl : 0) - ((yl | 0) < 0 ? xl : 0)) >>> 0;'), { direct: true });

// ---- multiply-add, SAD -----------------------------------------------------------
const pmaddwd: LaneFn = (c, d, a, b, n) => {
  const V = c.v16, R = c.v32;
  for (let k = 0; k < n >> 2; k++) {
    const x0 = (V[a * 32 + 2 * k] << 16) >> 16, x1 = (V[a * 32 + 2 * k + 1] << 16) >> 16;
    const y0 = (V[b * 32 + 2 * k] << 16) >> 16, y1 = (V[b * 32 + 2 * k + 1] << 16) >> 16;
    R[d * 16 + k] = (x0 * y0 + x1 * y1) | 0;
  }
};
defVec('Pmaddwd', pmaddwd, { direct: true });

const pmaddubsw: LaneFn = (c, d, a, b, n) => {
  const B8 = c.v8, W = c.v16;
  for (let k = 0; k < n >> 1; k++) {
    const x0 = B8[a * 64 + 2 * k], x1 = B8[a * 64 + 2 * k + 1];
    const y0 = (B8[b * 64 + 2 * k] << 24) >> 24, y1 = (B8[b * 64 + 2 * k + 1] << 24) >> 24;
    W[d * 32 + k] = SAT.S16(x0 * y0 + x1 * y1);
  }
};
defVec('Pmaddubsw', pmaddubsw, { direct: true });

const psadbw: LaneFn = (c, d, a, b, n) => {
  const B8 = c.v8, V = c.v32;
  for (let q = 0; q < n >> 3; q++) {
    let s = 0;
    for (let k = 0; k < 8; k++) { const t = B8[a * 64 + q * 8 + k] - B8[b * 64 + q * 8 + k]; s += t < 0 ? -t : t; }
    V[d * 16 + 2 * q] = s; V[d * 16 + 2 * q + 1] = 0;
  }
};
defVec('Psadbw', psadbw, { direct: true });

// ---- shifts ----------------------------------------------------------------------
/**
 * Shift lanes of `src` by `cnt` (already the full count: the whole low quadword
 * of the xmm operand, or imm8). Logical shifts by >= width give 0; arithmetic
 * shifts give the sign.
 */
function shiftLanes(c: Cpu, d: number, src: number, n: number, bits: number, kind: number, cnt: number): void {
  if (bits === 64) {
    const V = c.v32;
    for (let k = 0; k < n >> 2; k += 2) {
      const lo = V[src * 16 + k], hi = V[src * 16 + k + 1];
      let rl = 0, rh = 0;
      if (cnt < 64) {
        if (kind === 0) { // left
          if (cnt === 0) { rl = lo; rh = hi; } else if (cnt < 32) { rl = lo << cnt; rh = (hi << cnt) | (lo >>> (32 - cnt)); } else { rh = lo << (cnt - 32); }
        } else { // logical right
          if (cnt === 0) { rl = lo; rh = hi; } else if (cnt < 32) { rh = hi >>> cnt; rl = (lo >>> cnt) | (hi << (32 - cnt)); } else { rl = hi >>> (cnt - 32); }
        }
      }
      V[d * 16 + k] = rl; V[d * 16 + k + 1] = rh;
    }
    return;
  }
  if (bits === 32) {
    const V = c.v32, I = c.vi32;
    for (let k = 0; k < n >> 2; k++) {
      const x = V[src * 16 + k];
      V[d * 16 + k] = kind === 0 ? (cnt > 31 ? 0 : x << cnt) : kind === 1 ? (cnt > 31 ? 0 : x >>> cnt) : (I[src * 16 + k] >> (cnt > 31 ? 31 : cnt));
    }
    return;
  }
  const V = c.v16;
  for (let k = 0; k < n >> 1; k++) {
    const x = V[src * 32 + k];
    V[d * 32 + k] = kind === 0 ? (cnt > 15 ? 0 : x << cnt) : kind === 1 ? (cnt > 15 ? 0 : x >>> cnt) : (((x << 16) >> 16) >> (cnt > 15 ? 15 : cnt));
  }
}

function xmmCount(c: Cpu, b: number): number {
  const lo = c.v32[b * 16], hi = c.v32[b * 16 + 1];
  return hi !== 0 ? 255 : lo > 255 ? 255 : lo;
}

const SHIFTS: Array<[string, number, number]> = [
  ['Psllw', 16, 0], ['Pslld', 32, 0], ['Psllq', 64, 0],
  ['Psrlw', 16, 1], ['Psrld', 32, 1], ['Psrlq', 64, 1],
  ['Psraw', 16, 2], ['Psrad', 32, 2],
];
import { formsOf } from './sse-core.ts';
for (const [mn, bits, kind] of SHIFTS) {
  const forms = formsOf(mn);
  const byImm = forms.filter((f) => f.ops[f.ops.length - 1] === 'imm8');
  const byReg = forms.filter((f) => f.ops[f.ops.length - 1] !== 'imm8');
  // imm8 forms: the data is operand b (legacy: the destination; VEX: the rm register).
  defVec(mn, (c, d, _a, b, n, imm) => shiftLanes(c, d, b, n, bits, kind, imm), { direct: true }, byImm);
  defVec(mn, (c, d, a, b, n) => shiftLanes(c, d, a, n, bits, kind, xmmCount(c, b)), { direct: true }, byReg);
}

// AVX2 per-element variable shifts.
function varShift(bits: number, kind: number): LaneFn {
  return (c, d, a, b, n) => {
    const V = c.v32, I = c.vi32;
    if (bits === 32) {
      for (let k = 0; k < n >> 2; k++) {
        const x = V[a * 16 + k], s = V[b * 16 + k];
        V[d * 16 + k] = kind === 0 ? (s > 31 ? 0 : x << s) : kind === 1 ? (s > 31 ? 0 : x >>> s) : (I[a * 16 + k] >> (s > 31 ? 31 : s));
      }
    } else {
      for (let k = 0; k < n >> 2; k += 2) {
        const sl = V[b * 16 + k], sh = V[b * 16 + k + 1];
        const cnt = sh !== 0 || sl > 63 ? 64 : sl;
        // reuse the uniform shifter on one element through scratch
        V[35 * 16] = V[a * 16 + k]; V[35 * 16 + 1] = V[a * 16 + k + 1];
        shiftLanes(c, 35, 35, 8, 64, kind, cnt);
        V[d * 16 + k] = V[35 * 16]; V[d * 16 + k + 1] = V[35 * 16 + 1];
      }
    }
  };
}
defVec('Psllvd', varShift(32, 0), { direct: true });
defVec('Psrlvd', varShift(32, 1), { direct: true });
defVec('Psravd', varShift(32, 2), { direct: true });
defVec('Psllvq', varShift(64, 0), { direct: true });
defVec('Psrlvq', varShift(64, 1), { direct: true });

// Byte shifts within each 128-bit lane (imm8 > 15 gives zero).
function byteShift(left: boolean): LaneFn {
  return (c, d, _a, b, n, imm) => {
    const V = c.v8, T = 35 * 64;
    for (let l = 0; l < n; l += 16) {
      for (let k = 0; k < 16; k++) {
        const s = left ? k - imm : k + imm;
        V[T + l + k] = s >= 0 && s < 16 ? V[b * 64 + l + s] : 0;
      }
    }
    V.copyWithin(d * 64, T, T + n);
  };
}
defVec('Pslldq', byteShift(true), { direct: true });
defVec('Psrldq', byteShift(false), { direct: true });
