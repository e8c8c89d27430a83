/**
 * The legacy region (spec §3.1), shared by FXSAVE/FXRSTOR and the XSAVE
 * family: rows 0 (x87) and 1 (SSE = XMM0-15), and MXCSR/MXCSR_MASK, which
 * belong to SSE but are saved and restored by their own rules (§6-§10).
 *
 * x87 state in the CPU (emulator/cpu/state.ts): physical registers R0-R7 in
 * `st` (10 bytes each), `ftop`, full tag word `ftw` (11b = empty), `fsw`
 * without TOP, `fcw`, `fop`, `fip`/`fdp` (numbers), `fcs`/`fds`.
 *
 * Image layout: FCW +0, FSW +2 (TOP in 13:11), abridged FTW +4 (bit k =
 * physical Rk not empty), +5 reserved (written 0), FOP +6 (bits 10:0),
 * FIP/FDP at +8/+16 (64-bit with REX.W, else 32-bit offset + 16-bit selector
 * + 2 reserved bytes written 0), ST(j) in stack order at +32+16j (10 bytes,
 * then 6 reserved bytes written 0).
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import { gp } from '../../emulator/faults.ts';
import { OPT_REXW, words, qwords, type XBuf, type XstateRow } from './table.ts';
import { vcpu } from './vcpu.ts';

const P2_32 = 4294967296;
const FSW_ES = 0x80;

/** Abridged tag byte from the full tag word: bit k = 1 unless tag k is 11b (empty). */
export function abridgedTag(ftw: number): number {
  let t = ~(ftw & (ftw >>> 1)) & 0x5555; // bit 2k = tag k is not 11b
  t = (t | (t >>> 1)) & 0x3333;
  t = (t | (t >>> 2)) & 0x0f0f;
  return (t | (t >>> 4)) & 0xff;
}

/** Full tag of physical register k (10 bytes at st[10k]) marked non-empty (spec §3.1 classification). */
export function classifyTag(st: Uint8Array, k: number): number {
  const b = 10 * k;
  const exp = (st[b + 8] | (st[b + 9] << 8)) & 0x7fff;
  let sigZero = true;
  for (let j = 0; j < 8; j++) if (st[b + j] !== 0) { sigZero = false; break; }
  if (exp === 0) return sigZero ? 1 : 2; // zero : denormal (special)
  if (exp === 0x7fff) return 2; // infinity / NaN
  if (!(st[b + 7] & 0x80)) return 2; // unnormal: integer bit clear
  return 0; // valid
}

/** Full tag word from an abridged tag byte and the register contents. */
export function fullTag(st: Uint8Array, abridged: number): number {
  let ftw = 0;
  for (let k = 0; k < 8; k++) ftw |= ((abridged >>> k) & 1 ? classifyTag(st, k) : 3) << (2 * k);
  return ftw;
}

function lo32(n: number): number { return n >>> 0; }
function hi32(n: number): number { return Math.floor(n / P2_32) | 0; }

/*
 * The register copies below move 32-bit words: `words(dst)[off >>> 2]` (area.ts
 * only passes 8-byte-aligned offsets) and the vCPU's views of `cpu.st`, where
 * physical register Rk is halfwords 5k..5k+4 of `st16`.
 */

export function saveX87(c: Cpu, dst: XBuf, off: number, opt: number): void {
  const v = vcpu(c);
  const d = words(dst), o = off >>> 2;
  const fsw = (c.fsw & ~0x3800) | ((c.ftop & 7) << 11);
  // AMD (Zen 4 capture): the x87 pointers are stored only while an exception is pending.
  const ptrs = !(v.amdX87Pointers && !(fsw & FSW_ES));
  d[o] = (c.fcw & 0xffff) | ((fsw & 0xffff) << 16); // FCW +0, FSW +2
  d[o + 1] = abridgedTag(c.ftw) | ((ptrs ? c.fop & 0x7ff : 0) << 16); // FTW +4, reserved +5, FOP +6
  let ipLo = 0, ipHi = 0, dpLo = 0, dpHi = 0;
  if (ptrs) {
    if (c.fip === v.fipNum) { ipLo = v.fipLo; ipHi = v.fipHi; } else { ipLo = lo32(c.fip); ipHi = hi32(c.fip); }
    if (c.fdp === v.fdpNum) { dpLo = v.fdpLo; dpHi = v.fdpHi; } else { dpLo = lo32(c.fdp); dpHi = hi32(c.fdp); }
  }
  if (opt & OPT_REXW) {
    d[o + 2] = ipLo; d[o + 3] = ipHi;
    d[o + 4] = dpLo; d[o + 5] = dpHi;
  } else {
    // FCS +12 / FDS +20, each followed by 2 reserved bytes written 0.
    const selOk = ptrs && !v.fcsFdsZero;
    d[o + 2] = ipLo; d[o + 3] = selOk ? c.fcs & 0xffff : 0;
    d[o + 4] = dpLo; d[o + 5] = selOk ? c.fds & 0xffff : 0;
  }
  const s = v.st16, top = c.ftop & 7;
  for (let j = 0; j < 8; j++) {
    const h = 5 * ((top + j) & 7), q = o + 8 + 4 * j;
    d[q] = s[h] | (s[h + 1] << 16);
    d[q + 1] = s[h + 2] | (s[h + 3] << 16);
    d[q + 2] = s[h + 4]; // bytes 8-9, then 10-11 reserved = 0
    d[q + 3] = 0;
  }
}

export function loadX87(c: Cpu, src: XBuf, off: number, opt: number): void {
  const v = vcpu(c);
  const dv = src.dv, u8 = src.u8;
  const fsw = dv.getUint16(off + 2, true);
  c.fcw = dv.getUint16(off, true);
  c.fsw = fsw & ~0x3800;
  c.ftop = (fsw >>> 11) & 7;
  c.fop = dv.getUint16(off + 6, true) & 0x7ff;
  if (opt & OPT_REXW) {
    v.fipLo = dv.getInt32(off + 8, true); v.fipHi = dv.getInt32(off + 12, true);
    v.fdpLo = dv.getInt32(off + 16, true); v.fdpHi = dv.getInt32(off + 20, true);
    c.fcs = 0; c.fds = 0;
  } else {
    v.fipLo = dv.getInt32(off + 8, true); v.fipHi = 0;
    v.fdpLo = dv.getInt32(off + 16, true); v.fdpHi = 0;
    c.fcs = dv.getUint16(off + 12, true);
    c.fds = dv.getUint16(off + 20, true);
  }
  c.fip = v.fipNum = v.fipHi * P2_32 + (v.fipLo >>> 0);
  c.fdp = v.fdpNum = v.fdpHi * P2_32 + (v.fdpLo >>> 0);
  const d = words(src), s = v.st16, top = c.ftop;
  for (let j = 0; j < 8; j++) {
    const h = 5 * ((top + j) & 7), q = (off >>> 2) + 8 + 4 * j;
    const w0 = d[q], w1 = d[q + 1];
    s[h] = w0; s[h + 1] = w0 >>> 16;
    s[h + 2] = w1; s[h + 3] = w1 >>> 16;
    s[h + 4] = d[q + 2];
  }
  c.ftw = fullTag(c.st, u8[off + 4]);
}

export function initX87(c: Cpu): void {
  c.fcw = 0x37f; c.fsw = 0; c.ftop = 0; c.ftw = 0xffff;
  c.fop = 0; c.fip = 0; c.fdp = 0; c.fcs = 0; c.fds = 0;
  const s = vcpu(c).st32;
  for (let k = 0; k < 20; k++) s[k] = 0;
}

/** SDM 13.6: FCW=037FH, FSW=0, FTW=FFFFH, FCS=FDS=FIP=FDP=FOP=0 and ST0-ST7 all zero. */
export function isInitX87(c: Cpu): boolean {
  if (c.fcw !== 0x37f || c.fsw !== 0 || c.ftop !== 0 || c.ftw !== 0xffff) return false;
  if (c.fop !== 0 || c.fip !== 0 || c.fdp !== 0 || c.fcs !== 0 || c.fds !== 0) return false;
  const s = vcpu(c).st32;
  let or = 0;
  for (let k = 0; k < 20; k += 4) or |= s[k] | s[k + 1] | s[k + 2] | s[k + 3];
  return or === 0;
}

/** XMM0-15 (64-bit mode: always 16 registers) at off + 16n; XMMn is vi32[16n..16n+3]. */
export function saveXmm(c: Cpu, dst: XBuf, off: number): void {
  const d = qwords(dst), r = c.vf64, o = off >>> 3;
  for (let n = 0; n < 16; n++) { d[o + 2 * n] = r[8 * n]; d[o + 2 * n + 1] = r[8 * n + 1]; }
}

export function loadXmm(c: Cpu, src: XBuf, off: number): void {
  const d = qwords(src), r = c.vf64, o = off >>> 3;
  for (let n = 0; n < 16; n++) { r[8 * n] = d[o + 2 * n]; r[8 * n + 1] = d[o + 2 * n + 1]; }
}

export function initXmm(c: Cpu): void {
  const r = c.vi32;
  for (let n = 0; n < 16; n++) { const d = 16 * n; r[d] = 0; r[d + 1] = 0; r[d + 2] = 0; r[d + 3] = 0; }
}

/** XINUSE[1] pertains to XMM0-15 only, not MXCSR (SDM 13.6). */
export function isInitXmm(c: Cpu): boolean {
  const r = c.vi32;
  for (let n = 0; n < 16; n++) { const d = 16 * n; if (r[d] | r[d + 1] | r[d + 2] | r[d + 3]) return false; }
  return true;
}

/** MXCSR at +0 and MXCSR_MASK (the model's) at +4. */
export function saveMxcsr(c: Cpu, dst: XBuf, off: number): void {
  const o = off >>> 2;
  const d = words(dst);
  d[o] = c.mxcsr;
  d[o + 1] = vcpu(c).mxcsrMask;
}

/** #GP if the MXCSR image at `off` sets a bit outside MXCSR_MASK. */
export function validateMxcsr(c: Cpu, src: XBuf, off: number, what: string): void {
  const m = src.dv.getUint32(off, true);
  const bad = (m & ~vcpu(c).mxcsrMask) >>> 0;
  if (bad) throw gp(`${what}: MXCSR image 0x${m.toString(16)} sets reserved bits 0x${bad.toString(16)}`);
}

export function loadMxcsr(c: Cpu, src: XBuf, off: number): void {
  c.mxcsr = src.dv.getUint32(off, true);
}

export const X87_ROW: XstateRow = {
  index: 0,
  name: 'x87',
  ranges: [0, 24, 32, 160],
  save: saveX87,
  load: loadX87,
  init: initX87,
  isInit: isInitX87,
  saveInit(dst: XBuf, off: number): void {
    const u8 = dst.u8;
    for (let k = 0; k < 24; k++) u8[off + k] = 0;
    for (let k = 32; k < 160; k++) u8[off + k] = 0;
    dst.dv.setUint16(off, 0x37f, true);
  },
};

/** Component 1 covers XMM0-15 here; MXCSR is handled by the instructions (spec §6-§10). */
export const SSE_ROW: XstateRow = {
  index: 1,
  name: 'sse',
  save: saveXmm,
  load: loadXmm,
  init: initXmm,
  isInit: isInitXmm,
};
