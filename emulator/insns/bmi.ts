/**
 * BMI1: ANDN, BLSR, BLSI, BLSMSK, BEXTR. BMI2: BZHI, SHLX, SARX, SHRX, RORX,
 * PDEP, PEXT, MULX. ADX: ADCX, ADOX (SDM vol. 2).
 *
 * Flags, and the rule used where the SDM leaves them undefined:
 * - ANDN: SF ZF from the result, CF = OF = 0. AF PF undefined: AF = 0, PF from
 *   the result (as a logic instruction; the BLS* captures behave so).
 * - BLSI: CF = (source != 0); BLSMSK: CF = (source = 0), ZF = 0; BLSR: CF =
 *   (source = 0); ZF SF from the result except BLSMSK's ZF; OF = 0. AF PF
 *   undefined: AF = 0 and PF from the result, as captured on Zen 4.
 * - BEXTR: ZF from the result, CF = OF = 0. AF SF PF undefined: AF = 1,
 *   SF = 0, PF from the result (the captured Zen 4 case, and a Zen 5 host).
 * - BZHI: ZF SF from the result, CF = (index > width - 1), OF = 0. AF PF
 *   undefined: AF = 0, PF from the result.
 * - SHLX/SARX/SHRX/RORX/PDEP/PEXT/MULX: no flags.
 * - ADCX: CF only; ADOX: OF only (carry in and out through that flag).
 */
import { defineInsn } from './registry.ts';
import { T, shl64, shr64, sar64, rol64 } from './shift.ts';
import { mulu64, M128 } from './muldiv.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const owner = 'bmi';
type W = 32 | 64;

/** Reads the r/m operand (register number `r` when not memory): bits 31:0, 63:32 in c.mhi (0 for 32-bit). */
function rm(c: Cpu, i: Insn, w: W, r: number): number {
  if (i.memOp >= 0) {
    const la = c.ea(i);
    if (w === 32) { c.mhi = 0; return c.rd32(la); }
    return c.rd64(la);
  }
  c.mhi = w === 32 ? 0 : c.R[2 * r + 1];
  return c.R[2 * r];
}
function reg(c: Cpu, r: number, w: W): number {
  c.mhi = w === 32 ? 0 : c.R[2 * r + 1];
  return c.R[2 * r];
}
function put(c: Cpu, r: number, w: W, lo: number, hi: number): void {
  c.R[2 * r] = lo;
  c.R[2 * r + 1] = w === 32 ? 0 : hi;
}
/** SF ZF PF from a result of width w; CF and OF given; AF = 0. */
function logicFlags(c: Cpu, w: W, lo: number, hi: number, cf: number): void {
  c.fa = cf;
  c.fz = w === 32 ? lo : lo | hi;
  c.fs = w === 32 ? lo : hi;
  c.fp = lo;
}

for (const w of [32, 64] as W[]) {
  const sfx = w === 32 ? 'r32_r32_rm32' : 'r64_r64_rm64';
  const sfx2 = w === 32 ? 'r32_rm32' : 'r64_rm64';
  const sfx3 = w === 32 ? 'r32_rm32_r32' : 'r64_rm64_r64';

  // VEX.0F38 F2: ANDN r, r(vvvv), r/m: DEST := NOT SRC1 AND SRC2.
  defineInsn(`VEX_Andn_${sfx}`, {
    owner,
    exec: (c, i) => {
      const bl = rm(c, i, w, i.r2), bh = c.mhi;
      const al = reg(c, i.r1, w), ah = c.mhi;
      const rl = ~al & bl, rh = w === 32 ? 0 : ~ah & bh;
      put(c, i.r0, w, rl, rh);
      logicFlags(c, w, rl, rh, 0);
    },
  });

  // VEX.0F38 F3 /3, /2, /1: BLSI, BLSMSK, BLSR r(vvvv), r/m.
  const bls = (kind: 'i' | 'msk' | 'r') => (c: Cpu, i: Insn) => {
    const xl = rm(c, i, w, i.r1), xh = c.mhi;
    const zero = (xl | xh) === 0;
    let rl: number, rh: number;
    if (kind === 'i') {
      // x AND -x
      const nl = -xl | 0, nh = (~xh + (xl === 0 ? 1 : 0)) | 0;
      rl = xl & nl; rh = xh & nh;
    } else {
      // x - 1
      const ml = (xl - 1) | 0, mh = (xh - (xl === 0 ? 1 : 0)) | 0;
      if (kind === 'msk') { rl = xl ^ ml; rh = xh ^ mh; } else { rl = xl & ml; rh = xh & mh; }
    }
    if (w === 32) rh = 0;
    put(c, i.r0, w, rl, rh);
    logicFlags(c, w, rl, rh, kind === 'i' ? (zero ? 0 : 1) : (zero ? 1 : 0));
    if (kind === 'msk') c.fz = 1; // ZF = 0
  };
  defineInsn(`VEX_Blsi_${sfx2}`, { owner, exec: bls('i') });
  defineInsn(`VEX_Blsmsk_${sfx2}`, { owner, exec: bls('msk') });
  defineInsn(`VEX_Blsr_${sfx2}`, { owner, exec: bls('r') });

  // VEX.0F38 F7 (NP): BEXTR r, r/m, r(vvvv): START = SRC2[7:0], LEN = SRC2[15:8].
  defineInsn(`VEX_Bextr_${sfx3}`, {
    owner,
    exec: (c, i) => {
      const xl = rm(c, i, w, i.r1), xh = c.mhi;
      const ctl = c.R[2 * i.r2];
      const start = ctl & 255, len = (ctl >>> 8) & 255;
      let rl = 0, rh = 0;
      if (start < w) {
        shr64(xl, xh, start); rl = T.lo; rh = T.hi;
        if (len < 64) {
          const ml = len >= 32 ? -1 : len === 0 ? 0 : -1 >>> (32 - len), mh = len <= 32 ? 0 : -1 >>> (64 - len);
          rl &= ml; rh &= mh;
        }
      }
      if (w === 32) rh = 0;
      put(c, i.r0, w, rl, rh);
      c.fa = 16;
      c.fz = rl | rh; c.fs = 0; c.fp = rl;
    },
  });

  // VEX.0F38 F5 (NP): BZHI r, r/m, r(vvvv): zero the bits from INDEX = SRC2[7:0] up.
  defineInsn(`VEX_Bzhi_${sfx3}`, {
    owner,
    exec: (c, i) => {
      let rl = rm(c, i, w, i.r1), rh = c.mhi;
      const n = c.R[2 * i.r2] & 255;
      const cf = n > w - 1 ? 1 : 0;
      if (n < w) {
        if (n < 32) { rl = n === 0 ? 0 : rl & (-1 >>> (32 - n)); rh = 0; }
        else rh = n === 32 ? 0 : rh & (-1 >>> (64 - n));
      }
      if (w === 32) rh = 0;
      put(c, i.r0, w, rl, rh);
      logicFlags(c, w, rl, rh, cf);
    },
  });

  // VEX.0F38 F7 (66 / F3 / F2): SHLX / SARX / SHRX r, r/m, r(vvvv). Count masked; no flags.
  const shx = (kind: 'l' | 'a' | 'r') => (c: Cpu, i: Insn) => {
    const xl = rm(c, i, w, i.r1), xh = c.mhi;
    const n = c.R[2 * i.r2] & (w - 1);
    if (w === 32) {
      put(c, i.r0, 32, kind === 'l' ? xl << n : kind === 'a' ? xl >> n : (xl >>> n) | 0, 0);
      return;
    }
    if (kind === 'l') shl64(xl, xh, n); else if (kind === 'a') sar64(xl, xh, n); else shr64(xl, xh, n);
    put(c, i.r0, 64, T.lo, T.hi);
  };
  defineInsn(`VEX_Shlx_${sfx3}`, { owner, exec: shx('l') });
  defineInsn(`VEX_Sarx_${sfx3}`, { owner, exec: shx('a') });
  defineInsn(`VEX_Shrx_${sfx3}`, { owner, exec: shx('r') });

  // VEX.0F3A F0 (F2): RORX r, r/m, imm8. No flags.
  defineInsn(`VEX_Rorx_${w === 32 ? 'r32_rm32_imm8' : 'r64_rm64_imm8'}`, {
    owner,
    exec: (c, i) => {
      const xl = rm(c, i, w, i.r1), xh = c.mhi;
      const n = i.imm & (w - 1);
      if (w === 32) { put(c, i.r0, 32, n === 0 ? xl : (xl >>> n) | (xl << (32 - n)), 0); return; }
      rol64(xl, xh, (64 - n) & 63);
      put(c, i.r0, 64, T.lo, T.hi);
    },
  });

  // VEX.0F38 F5 (F2 / F3): PDEP / PEXT r, r(vvvv), r/m (the mask). No flags.
  defineInsn(`VEX_Pdep_${sfx}`, {
    owner,
    exec: (c, i) => {
      const ml = rm(c, i, w, i.r2), mh = c.mhi;
      const sl = reg(c, i.r1, w), sh = c.mhi;
      let rl = 0, rh = 0, k = 0;
      for (let half = 0; half < 2; half++) {
        let m = half === 0 ? ml : mh;
        while (m !== 0) {
          const low = m & -m;
          const bit = k < 32 ? (sl >>> k) & 1 : (sh >>> (k - 32)) & 1;
          if (bit) { if (half === 0) rl |= low; else rh |= low; }
          m ^= low; k++;
        }
      }
      put(c, i.r0, w, rl, rh);
    },
  });
  defineInsn(`VEX_Pext_${sfx}`, {
    owner,
    exec: (c, i) => {
      const ml = rm(c, i, w, i.r2), mh = c.mhi;
      const sl = reg(c, i.r1, w), sh = c.mhi;
      let rl = 0, rh = 0, k = 0;
      for (let half = 0; half < 2; half++) {
        let m = half === 0 ? ml : mh;
        const s = half === 0 ? sl : sh;
        while (m !== 0) {
          const low = m & -m;
          if (s & low) { if (k < 32) rl |= 1 << k; else rh |= 1 << (k - 32); }
          m ^= low; k++;
        }
      }
      put(c, i.r0, w, rl, rh);
    },
  });

  // VEX.0F38 F6 (F2): MULX r(hi), r(vvvv, lo), r/m: rDX * r/m, unsigned, no flags.
  // The low half is written first, so with both destinations the same register the high half remains.
  defineInsn(`VEX_Mulx_${sfx}`, {
    owner,
    exec: (c, i) => {
      const bl = rm(c, i, w, i.r2), bh = c.mhi;
      const R = c.R;
      if (w === 32) {
        mulu64(R[4], 0, bl, 0);
        put(c, i.r1, 32, M128[0], 0);
        put(c, i.r0, 32, M128[1], 0);
      } else {
        mulu64(R[4], R[5], bl, bh);
        const h0 = M128[2], h1 = M128[3];
        put(c, i.r1, 64, M128[0], M128[1]);
        put(c, i.r0, 64, h0, h1);
      }
    },
  });

  // 66 0F 38 F6: ADCX r, r/m (CF); F3 0F 38 F6: ADOX r, r/m (OF).
  const adx = (flagBit: number) => (c: Cpu, i: Insn) => {
    const bl = rm(c, i, w, i.r1), bh = c.mhi;
    const R = c.R, d = i.r0;
    const cin = (c.fa & flagBit) !== 0 ? 1 : 0;
    const lo = (R[2 * d] >>> 0) + (bl >>> 0) + cin;
    let cout: number, rh = 0;
    if (w === 32) cout = lo > 0xffffffff ? 1 : 0;
    else {
      const hs = (R[2 * d + 1] >>> 0) + (bh >>> 0) + (lo > 0xffffffff ? 1 : 0);
      cout = hs > 0xffffffff ? 1 : 0;
      rh = hs | 0;
    }
    put(c, d, w, lo | 0, rh);
    c.fa = (c.fa & ~flagBit) | (cout ? flagBit : 0);
  };
  defineInsn(`Adcx_${sfx2}`, { owner, exec: adx(1) });
  defineInsn(`Adox_${sfx2}`, { owner, exec: adx(2048) });
}
