/**
 * MMX technology instructions (SDM vol. 1 ch. 9, vol. 2): every *_mm_* Code
 * iced decodes in 64-bit mode except EMMS (x87-control.ts) and AMD 3DNow!
 * (D3NOW_*, not advertised by the models).
 *
 * Register file: MM0-MM7 are bits 63:0 of the physical x87 registers R0-R7
 * (`c.st`, 10 bytes each), whatever TOP is. Every MMX instruction, including
 * the SSE/SSE2/SSSE3 ones that name an MMX register,
 *   - raises #UD if CR0.EM=1, #NM if CR0.TS=1, #MF if an unmasked x87
 *     exception is pending (FSW.ES), in that order (SDM vol. 3 table 23-7/8);
 *   - sets TOP := 0 and every tag to valid (FTW = 0) when it completes
 *     (SDM vol. 1 table 9-2), leaving FIP/FDP/FOP alone;
 *   - writing MMn sets bytes 8-9 of Rn (sign and exponent) to all ones.
 * These are x87 state (XSAVE component 0), so XMODIFIED bit 0 is set.
 *
 * The instructions that also name an XMM register (CVTPI2PS/CVTPS2PI/
 * CVTTPS2PI/CVTPI2PD/CVTPD2PI/CVTTPD2PI, MOVQ2DQ, MOVDQ2Q) use the legacy SSE
 * gate (CR0.EM → #UD, CR4.OSFXSR=0 → #UD, CR0.TS → #NM) followed by the #MF
 * check (SDM vol. 3 tables 23-5/23-6). CVTPI2PD with a memory source neither
 * transitions to MMX nor takes x87 exceptions (SDM vol. 2, CVTPI2PD).
 *
 * Semantics are not written twice: the arithmetic, logic, compare, shift,
 * pack/unpack, shuffle and horizontal operations run the lane function of the
 * matching XMM Code (sse-core.ts `LANES`) over scratch slots holding the MMX
 * operands, arranged so the 128-bit operation's low 8 bytes are the MMX result:
 *   plain: a = dst, b = src (elementwise ops, PUNPCKL*, PSHUFW = PSHUFLW low half)
 *   hi:    both operands at byte 4 of their slot, so the XMM PUNPCKH* reads
 *          bytes 8-11 = MMX bytes 4-7
 *   cat:   a = b = dst || src (PACKxx, PHADDx, PHSUBx: the 128-bit lane's low
 *          half comes from dst, its high half from src)
 *   dup:   a = dst || dst (PSHUFB: index bits 3:0 over a doubled register are
 *          index bits 2:0 over the MMX register)
 *   align: a = 0, b = src || dst (PALIGNR: the 128-bit dst:src shifted right)
 */
import { defineInsn } from './registry.ts';
import { LANES, ALL_CODES, ENV, fpCommit, loadOperand, type LaneFn } from './sse-core.ts';
import './sse-int.ts';
import './sse-shuf.ts';
import { fpBegin } from './sse-fp.ts';
import { CR0_EM, CR0_TS, sseGate } from './simd-state.ts';
import { FSW_ES, fswFull } from './x87-stack.ts';
import { ud, nm, mf } from '../faults.ts';
import { VTMP0, VTMP1, VTMP2, SEG_FS, SEG_GS } from '../cpu/state.ts';
import { markImplemented } from '../models/features.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn, Handler } from '../cpu/insn.ts';

const OWNER = 'mmx';
/** Scratch slots: B = source, A = destination operand, D = result. */
const SB = VTMP0, SA = VTMP1, SD = VTMP2;
const B = SB * 64, A = SA * 64, D = SD * 64;

// ---------------------------------------------------------------- state

function pendingMf(c: Cpu): void {
  if (c.fsw & FSW_ES) throw mf(`MMX instruction with a pending unmasked x87 exception (FSW=0x${fswFull(c).toString(16)})`);
}

/** The MMX gate: #UD (CR0.EM), #NM (CR0.TS), #MF (pending x87 exception). */
export function mmxGate(c: Cpu): void {
  if (c.cr0 & CR0_EM) throw ud('MMX instruction with CR0.EM=1');
  if (c.cr0 & CR0_TS) throw nm('MMX instruction with CR0.TS=1');
  pendingMf(c);
}

/** Gate of the SSE/SSE2 instructions that name both an XMM and an MMX register. */
function sseMmxGate(c: Cpu, x87: boolean): void {
  sseGate(c);
  if (x87) pendingMf(c);
}

/** The x87 → MMX transition every MMX instruction performs: TOP = 0, all tags valid. */
export function mmxEnter(c: Cpu): void {
  c.ftop = 0;
  c.ftw = 0;
  c.xmodified |= 1;
}

/** Copies MMr (8 bytes) to byte offset `o` of the vector buffer. */
function getMm(c: Cpu, r: number, o: number): void {
  c.v8.set(c.st.subarray(r * 10, r * 10 + 8), o);
}

/** MMr ← 8 bytes at byte offset `o` of the vector buffer; bytes 8-9 of Rr become FFFFH. */
function putMm(c: Cpu, r: number, o: number): void {
  const s = c.st, p = r * 10;
  s.set(c.v8.subarray(o, o + 8), p);
  s[p + 8] = 0xff;
  s[p + 9] = 0xff;
}

/** MMr ← (lo, hi). */
function putMm32(c: Cpu, r: number, lo: number, hi: number): void {
  const s = c.st, p = r * 10;
  for (let k = 0; k < 4; k++) { s[p + k] = (lo >>> (8 * k)) & 255; s[p + 4 + k] = (hi >>> (8 * k)) & 255; }
  s[p + 8] = 0xff;
  s[p + 9] = 0xff;
}

function mmDword(c: Cpu, r: number, k: number): number {
  const s = c.st, p = r * 10 + 4 * k;
  return s[p] | (s[p + 1] << 8) | (s[p + 2] << 16) | (s[p + 3] << 24);
}

/** Loads the mm/m source of `i` (operand 1) into byte offset `o`: `n` bytes from memory, 8 from a register. */
function loadSrc(c: Cpu, i: Insn, o: number, n: number): void {
  if (i.memOp >= 0) c.rdBytes(c.ea(i), n, c.v8, o);
  else getMm(c, i.r1, o);
}

// ---------------------------------------------------------------- lane-function forms

const enum Shape { Plain, Hi, Cat, Dup, Align, Imm }

function laneForm(fn: LaneFn, shape: Shape): Handler {
  return (c, i) => {
    mmxGate(c);
    const V = c.v8;
    V.fill(0, A, A + 16);
    V.fill(0, B, B + 16);
    let a = SA, b = SB;
    switch (shape) {
      case Shape.Plain: loadSrc(c, i, B, i.msize); getMm(c, i.r0, A); break;
      case Shape.Hi: loadSrc(c, i, B + 4, i.msize); getMm(c, i.r0, A + 4); break;
      case Shape.Cat: loadSrc(c, i, A + 8, i.msize); getMm(c, i.r0, A); b = SA; break;
      case Shape.Dup: loadSrc(c, i, B, i.msize); getMm(c, i.r0, A); getMm(c, i.r0, A + 8); break;
      case Shape.Align: loadSrc(c, i, B, i.msize); getMm(c, i.r0, B + 8); break;
      case Shape.Imm: getMm(c, i.r0, A); b = SA; break; // shift by imm8: the data is operand b
    }
    fn(c, SD, a, b, 8, i.imm & 255, i);
    putMm(c, i.r0, D);
    mmxEnter(c);
  };
}

/** XMM Code whose lane function computes MMX Code `name`, and the operand arrangement. */
function xmmTwin(name: string): [string, Shape] | undefined {
  const mn = name.split('_')[0];
  if (mn === 'Pshufw') return ['Pshuflw_xmm_xmmm128_imm8', Shape.Plain];
  if (mn === 'Palignr') return ['Palignr_xmm_xmmm128_imm8', Shape.Align];
  if (/_mm_imm8$/.test(name)) return [`${mn}_xmm_imm8`, Shape.Imm];
  if (!/_mm_mmm(64|32)$/.test(name)) return undefined;
  const twin = `${mn}_xmm_xmmm128`;
  if (/^Punpckh/.test(mn)) return [twin, Shape.Hi];
  if (/^(Pack|Phadd|Phsub)/.test(mn)) return [twin, Shape.Cat];
  if (mn === 'Pshufb') return [twin, Shape.Dup];
  return [twin, Shape.Plain];
}

/** Every MMX Code this module claims through a lane function (for tests and coverage). */
export const MMX_LANE_CODES: string[] = [];

for (const name of ALL_CODES) {
  if (name.startsWith('D3NOW_') || !/_mm(_|$)/.test(name)) continue;
  const t = xmmTwin(name);
  if (!t) continue;
  const lane = LANES.get(t[0]);
  if (!lane) continue; // Cyrix EMMI forms (not decoded in 64-bit mode)
  defineInsn(name, { owner: OWNER, exec: laneForm(lane.fn, t[1]) });
  MMX_LANE_CODES.push(name);
}

// ---------------------------------------------------------------- moves

// MOVD mm, r/m32 (zero-extended) and MOVQ mm, r/m64.
for (const [name, n] of [['Movd_mm_rm32', 4], ['Movq_mm_rm64', 8]] as const) {
  defineInsn(name, {
    owner: OWNER,
    exec: (c, i) => {
      mmxGate(c);
      let lo: number, hi = 0;
      if (i.memOp >= 0) {
        const la = c.ea(i);
        if (n === 4) lo = c.rd32(la); else { lo = c.rd64(la); hi = c.mhi; }
      } else {
        lo = c.R[2 * i.r1];
        if (n === 8) hi = c.R[2 * i.r1 + 1];
      }
      putMm32(c, i.r0, lo, hi);
      mmxEnter(c);
    },
  });
}

// MOVD r/m32, mm and MOVQ r/m64, mm.
for (const [name, n] of [['Movd_rm32_mm', 4], ['Movq_rm64_mm', 8]] as const) {
  defineInsn(name, {
    owner: OWNER,
    exec: (c, i) => {
      mmxGate(c);
      const lo = mmDword(c, i.r1, 0), hi = mmDword(c, i.r1, 1);
      if (i.memOp >= 0) {
        const la = c.ea(i);
        if (n === 4) c.wr32(la, lo); else c.wr64(la, lo, hi);
      } else {
        c.R[2 * i.r0] = lo;
        c.R[2 * i.r0 + 1] = n === 8 ? hi : 0;
      }
      mmxEnter(c);
    },
  });
}

// MOVQ mm, mm/m64.
defineInsn('Movq_mm_mmm64', {
  owner: OWNER,
  exec: (c, i) => { mmxGate(c); loadSrc(c, i, B, 8); putMm(c, i.r0, B); mmxEnter(c); },
});
// MOVQ mm/m64, mm and MOVNTQ m64, mm (the non-temporal hint has no architectural effect).
defineInsn(['Movq_mmm64_mm', 'Movntq_m64_mm'], {
  owner: OWNER,
  exec: (c, i) => {
    mmxGate(c);
    getMm(c, i.r1, B);
    if (i.memOp >= 0) c.wrBytes(c.ea(i), 8, c.v8, B); else putMm(c, i.r0, B);
    mmxEnter(c);
  },
});

// ---------------------------------------------------------------- word insert/extract, byte mask

// PINSRW mm, r32/m16, imm8: word (imm8 & 3) ← the low word of the source.
defineInsn(['Pinsrw_mm_r32m16_imm8', 'Pinsrw_mm_r64m16_imm8'], {
  owner: OWNER,
  exec: (c, i) => {
    mmxGate(c);
    const w = i.memOp >= 0 ? c.rd16(c.ea(i)) : c.R[2 * i.r1] & 0xffff;
    const s = c.st, p = i.r0 * 10 + 2 * (i.imm & 3);
    s[p] = w & 255;
    s[p + 1] = w >>> 8;
    s[i.r0 * 10 + 8] = s[i.r0 * 10 + 9] = 0xff;
    mmxEnter(c);
  },
});

// PEXTRW r32/r64, mm, imm8: the GPR ← word (imm8 & 3), zero-extended.
defineInsn(['Pextrw_r32_mm_imm8', 'Pextrw_r64_mm_imm8'], {
  owner: OWNER,
  exec: (c, i) => {
    mmxGate(c);
    const s = c.st, p = i.r1 * 10 + 2 * (i.imm & 3);
    c.R[2 * i.r0] = s[p] | (s[p + 1] << 8);
    c.R[2 * i.r0 + 1] = 0;
    mmxEnter(c);
  },
});

// PMOVMSKB r32/r64, mm: bit k ← bit 7 of byte k, the rest zero.
defineInsn(['Pmovmskb_r32_mm', 'Pmovmskb_r64_mm'], {
  owner: OWNER,
  exec: (c, i) => {
    mmxGate(c);
    const s = c.st, p = i.r1 * 10;
    let m = 0;
    for (let k = 0; k < 8; k++) m |= (s[p + k] >>> 7) << k;
    c.R[2 * i.r0] = m;
    c.R[2 * i.r0 + 1] = 0;
    mmxEnter(c);
  },
});

// MASKMOVQ mm1, mm2: store the bytes of mm1 whose mm2 byte has bit 7 set at DS:rDI.
// iced gives the rDI operand as a string-style operand (OpKind.MemorySegRDI), so the
// decoder records only its address size and segment: the address is formed here.
// Every selected byte is checked for write access first.
defineInsn('Maskmovq_rDI_mm_mm', {
  owner: OWNER,
  exec: (c, i) => {
    mmxGate(c);
    let la = i.asz === 32 ? c.R[14] >>> 0 : c.R[15] * 4294967296 + (c.R[14] >>> 0);
    if (i.seg === SEG_FS) la += c.fsBase; else if (i.seg === SEG_GS) la += c.gsBase;
    la = c.canon(la, false, 'MASKMOVQ address');
    const s = c.st, src = i.r1 * 10, msk = i.r2 * 10;
    for (let k = 0; k < 8; k++) if (s[msk + k] & 0x80) c.probe(la + k, 1, 1);
    for (let k = 0; k < 8; k++) if (s[msk + k] & 0x80) c.wr8(la + k, s[src + k]);
    mmxEnter(c);
  },
});

// ---------------------------------------------------------------- MMX ↔ XMM

// MOVQ2DQ xmm, mm: xmm[63:0] ← mm, xmm[127:64] ← 0 (bits 255:128 kept: legacy SSE).
defineInsn('Movq2dq_xmm_mm', {
  owner: OWNER,
  exec: (c, i) => {
    sseMmxGate(c, true);
    const d = i.r0 * 64;
    getMm(c, i.r1, d);
    c.v8.fill(0, d + 8, d + 16);
    c.xmodified |= 2;
    mmxEnter(c);
  },
});
// MOVDQ2Q mm, xmm: mm ← xmm[63:0].
defineInsn('Movdq2q_mm_xmm', {
  owner: OWNER,
  exec: (c, i) => { sseMmxGate(c, true); putMm(c, i.r0, i.r1 * 64); mmxEnter(c); },
});

/** Runs an XMM conversion lane function with the MXCSR environment and commits its flags (#XM/#UD). */
function runFp(c: Cpu, fn: LaneFn, b: number, n: number, i: Insn): void {
  fpBegin(c);
  ENV.flags = 0;
  fn(c, SD, b, b, n, 0, i);
  fpCommit(c);
}
function lane(name: string): LaneFn {
  const l = LANES.get(name);
  if (!l) throw new Error(`mmx: no lane function for ${name}`);
  return l.fn;
}

// CVTPI2PS xmm, mm/m64: two int32 → two float32 in xmm[63:0]; xmm[127:64] kept.
// Transitions to MMX with either source (SDM vol. 2, CVTPI2PS).
{
  const fn = lane('Cvtdq2ps_xmm_xmmm128');
  defineInsn('Cvtpi2ps_xmm_mmm64', {
    owner: OWNER,
    exec: (c, i) => {
      sseMmxGate(c, true);
      loadSrc(c, i, B, 8);
      runFp(c, fn, SB, 8, i);
      c.v8.copyWithin(i.r0 * 64, D, D + 8);
      c.xmodified |= 2;
      mmxEnter(c);
    },
  });
}
// CVTPI2PD xmm, mm/m64: two int32 → two float64 (exact). A memory source does not
// transition to MMX and takes no x87 exception.
{
  const fn = lane('Cvtdq2pd_xmm_xmmm64');
  defineInsn('Cvtpi2pd_xmm_mmm64', {
    owner: OWNER,
    exec: (c, i) => {
      const mmSrc = i.memOp < 0;
      sseMmxGate(c, mmSrc);
      loadSrc(c, i, B, 8);
      runFp(c, fn, SB, 16, i);
      c.v8.copyWithin(i.r0 * 64, D, D + 16);
      c.xmodified |= 2;
      if (mmSrc) mmxEnter(c);
    },
  });
}
// CVT(T)PS2PI mm, xmm/m64 and CVT(T)PD2PI mm, xmm/m128 (16-byte aligned memory).
for (const [name, twin, n] of [
  ['Cvtps2pi_mm_xmmm64', 'Cvtps2dq_xmm_xmmm128', 8], ['Cvttps2pi_mm_xmmm64', 'Cvttps2dq_xmm_xmmm128', 8],
  ['Cvtpd2pi_mm_xmmm128', 'Cvtpd2dq_xmm_xmmm128', 16], ['Cvttpd2pi_mm_xmmm128', 'Cvttpd2dq_xmm_xmmm128', 16],
] as const) {
  const fn = lane(twin);
  defineInsn(name, {
    owner: OWNER,
    exec: (c, i) => {
      sseMmxGate(c, true);
      const b = i.memOp >= 0 ? loadOperand(c, i, false, n === 16, false) : i.r1;
      runFp(c, fn, b, n, i);
      putMm(c, i.r0, D);
      mmxEnter(c);
    },
  });
}

markImplemented('mmx', 'mmxext');
