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
import { OPT_REXW, type XBuf, type XstateRow } from './table.ts';
import { vcpu } from './vcpu.ts';

const P2_32 = 4294967296;
const FSW_ES = 0x80;

/** Abridged tag byte from the full tag word. */
export function abridgedTag(ftw: number): number {
  let t = 0;
  for (let k = 0; k < 8; k++) if (((ftw >>> (2 * k)) & 3) !== 3) t |= 1 << k;
  return t;
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

export function saveX87(c: Cpu, dst: XBuf, off: number, opt: number): void {
  const v = vcpu(c);
  const dv = dst.dv, u8 = dst.u8;
  const fsw = (c.fsw & ~0x3800) | ((c.ftop & 7) << 11);
  dv.setUint16(off, c.fcw & 0xffff, true);
  dv.setUint16(off + 2, fsw & 0xffff, true);
  u8[off + 4] = abridgedTag(c.ftw);
  u8[off + 5] = 0;
  // AMD (Zen 4 capture): the x87 pointers are stored only while an exception is pending.
  const ptrs = !(v.amdX87Pointers && !(fsw & FSW_ES));
  dv.setUint16(off + 6, ptrs ? c.fop & 0x7ff : 0, true);
  let ipLo = 0, ipHi = 0, dpLo = 0, dpHi = 0;
  if (ptrs) {
    if (c.fip === v.fipNum) { ipLo = v.fipLo; ipHi = v.fipHi; } else { ipLo = lo32(c.fip); ipHi = hi32(c.fip); }
    if (c.fdp === v.fdpNum) { dpLo = v.fdpLo; dpHi = v.fdpHi; } else { dpLo = lo32(c.fdp); dpHi = hi32(c.fdp); }
  }
  if (opt & OPT_REXW) {
    dv.setInt32(off + 8, ipLo, true); dv.setInt32(off + 12, ipHi, true);
    dv.setInt32(off + 16, dpLo, true); dv.setInt32(off + 20, dpHi, true);
  } else {
    const selOk = ptrs && !v.fcsFdsZero;
    dv.setInt32(off + 8, ipLo, true);
    dv.setUint16(off + 12, selOk ? c.fcs & 0xffff : 0, true);
    dv.setUint16(off + 14, 0, true);
    dv.setInt32(off + 16, dpLo, true);
    dv.setUint16(off + 20, selOk ? c.fds & 0xffff : 0, true);
    dv.setUint16(off + 22, 0, true);
  }
  const sd = stView(c), top = c.ftop & 7;
  for (let j = 0; j < 8; j++) {
    const s = 10 * ((top + j) & 7), d = off + 32 + 16 * j;
    dv.setInt32(d, sd.getInt32(s, true), true);
    dv.setInt32(d + 4, sd.getInt32(s + 4, true), true);
    dv.setInt32(d + 8, sd.getUint16(s + 8, true), true); // bytes 8-9, then 10-11 reserved = 0
    dv.setInt32(d + 12, 0, true);
  }
}

/** A DataView over the x87 register bytes (cached per vCPU). */
function stView(c: Cpu): DataView {
  const v = vcpu(c);
  let d = v.stDv;
  if (d === null || d.buffer !== c.st.buffer) {
    d = new DataView(c.st.buffer, c.st.byteOffset, 80);
    v.stDv = d;
  }
  return d;
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
  const sd = stView(c), top = c.ftop;
  for (let j = 0; j < 8; j++) {
    const d = 10 * ((top + j) & 7), s = off + 32 + 16 * j;
    sd.setInt32(d, dv.getInt32(s, true), true);
    sd.setInt32(d + 4, dv.getInt32(s + 4, true), true);
    sd.setUint16(d + 8, dv.getUint16(s + 8, true), true);
  }
  c.ftw = fullTag(c.st, u8[off + 4]);
}

export function initX87(c: Cpu): void {
  c.fcw = 0x37f; c.fsw = 0; c.ftop = 0; c.ftw = 0xffff;
  c.fop = 0; c.fip = 0; c.fdp = 0; c.fcs = 0; c.fds = 0;
  c.st.fill(0);
}

/** SDM 13.6: FCW=037FH, FSW=0, FTW=FFFFH, FCS=FDS=FIP=FDP=FOP=0 and ST0-ST7 all zero. */
export function isInitX87(c: Cpu): boolean {
  if (c.fcw !== 0x37f || c.fsw !== 0 || c.ftop !== 0 || c.ftw !== 0xffff) return false;
  if (c.fop !== 0 || c.fip !== 0 || c.fdp !== 0 || c.fcs !== 0 || c.fds !== 0) return false;
  const sd = stView(c);
  for (let k = 0; k < 80; k += 4) if (sd.getInt32(k, true) !== 0) return false;
  return true;
}

/** XMM0-15 (64-bit mode: always 16 registers) at off + 16n. */
export function saveXmm(c: Cpu, dst: XBuf, off: number): void {
  const dv = dst.dv, r = c.vi32;
  for (let n = 0; n < 16; n++) {
    const s = 16 * n, d = off + 16 * n;
    dv.setInt32(d, r[s], true); dv.setInt32(d + 4, r[s + 1], true);
    dv.setInt32(d + 8, r[s + 2], true); dv.setInt32(d + 12, r[s + 3], true);
  }
}

export function loadXmm(c: Cpu, src: XBuf, off: number): void {
  const dv = src.dv, r = c.vi32;
  for (let n = 0; n < 16; n++) {
    const d = 16 * n, s = off + 16 * n;
    r[d] = dv.getInt32(s, true); r[d + 1] = dv.getInt32(s + 4, true);
    r[d + 2] = dv.getInt32(s + 8, true); r[d + 3] = dv.getInt32(s + 12, true);
  }
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
  dst.dv.setInt32(off, c.mxcsr, true);
  dst.dv.setInt32(off + 4, vcpu(c).mxcsrMask, true);
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
  save: (c, dst, off) => saveXmm(c, dst, off),
  load: (c, src, off) => loadXmm(c, src, off),
  init: initXmm,
  isInit: isInitXmm,
};
