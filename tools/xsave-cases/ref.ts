/**
 * An independent reference model of XSAVE-area layouts and header rules,
 * written from shared/spec/xstate-uintr-pasid.md §2-§14 (not from the
 * emulator): component geometry comes from the shared CPU figure files
 * (shared/conformance/cpu-*.json), state is kept as plain byte images.
 *
 * It models what a conformance case needs: the state after an XRSTOR/XRSTORS/
 * FXRSTOR, and the bytes an XSAVE-family or FXSAVE writes. XINUSE follows the
 * project's decision (isa-ext/xsave/xinuse.ts), re-stated here from the
 * rule, not from the code: a component is in use when its value is not the
 * initial configuration, or (Intel CPUs) when an XRSTOR* loaded it from
 * memory and nothing initialized it since.
 */
import { readFileSync } from 'node:fs';

export interface RefComp { index: number; size: number; offset: number; supervisor: boolean; align64: boolean; xfd: boolean }
export interface RefCpu {
  name: string;
  intel: boolean;
  xcr0Sup: number;
  xssSup: number;
  mxcsrMask: number;
  comps: Map<number, RefComp>;
  /** CPUID.(7,0):EBX[13]: FCS/FDS saved as 0. */
  fcsFdsZero: boolean;
}

export function loadRefCpu(file: string, name: string): RefCpu {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const comps = new Map<number, RefComp>();
  for (const c of j.xsave.components) comps.set(c.index, c);
  return {
    name,
    intel: j.vendor === 'GenuineIntel',
    xcr0Sup: Number(j.xsave.xcr0_supported),
    xssSup: Number(j.xsave.xss_supported),
    mxcsrMask: Number(j.mxcsr_mask),
    comps,
    fcsFdsZero: j.vendor === 'GenuineIntel', // SPR enumerates CPUID.(7,0):EBX[13]; Zen 4 does not (cpu-genoa.json)
  };
}

/** Compacted offsets for XCOMP_BV[62:0] = mask (spec §3.3). */
export function compactedOffsets(cpu: RefCpu, mask: number): Map<number, number> {
  const out = new Map<number, number>();
  let off = 576;
  for (let i = 2; i < 63; i++) {
    if (!((mask >>> i) & 1)) continue;
    const c = cpu.comps.get(i);
    if (!c) continue;
    if (c.align64) off = Math.ceil(off / 64) * 64;
    out.set(i, off);
    off += c.size;
  }
  return out;
}

/** The x87 state as fields (the image formats are produced by save). */
export interface X87 { fcw: number; fsw: number; ftwAbr: number; fop: number; fip: bigint; fdp: bigint; fcs: number; fds: number; st: Uint8Array /* 8 × 10 bytes, stack order */ }

export function initX87(): X87 {
  return { fcw: 0x37f, fsw: 0, ftwAbr: 0, fop: 0, fip: 0n, fdp: 0n, fcs: 0, fds: 0, st: new Uint8Array(80) };
}

export class RefState {
  x87 = initX87();
  mxcsr = 0x1f80;
  xmm = new Uint8Array(256);
  comp = new Map<number, Uint8Array>();
  /** Intel: components loaded by XRSTOR* and not initialized since. */
  loaded = 0;
  constructor(readonly cpu: RefCpu) {
    for (const [i, c] of cpu.comps) this.comp.set(i, new Uint8Array(c.size));
  }

  isInit(i: number): boolean {
    if (i === 0) {
      const x = this.x87;
      return x.fcw === 0x37f && x.fsw === 0 && x.ftwAbr === 0 && x.fop === 0 && x.fip === 0n && x.fdp === 0n && x.fcs === 0 && x.fds === 0 && x.st.every((b) => b === 0);
    }
    if (i === 1) return this.xmm.every((b) => b === 0);
    const b = this.comp.get(i)!;
    if (i === 15) return b.every((v, k) => v === 0 || (k >= 8 && k < 16)); // Arch LBR: LBR_DEPTH outside the test
    return b.every((v) => v === 0);
  }

  xinuse(mask: number): number {
    let r = 0;
    for (let i = 0; i < 31; i++) {
      if (!((mask >>> i) & 1)) continue;
      if (!this.isInit(i) || (this.cpu.intel && (this.loaded >>> i) & 1)) r |= 1 << i;
    }
    return r;
  }

  init(i: number): void {
    if (i === 0) this.x87 = initX87();
    else if (i === 1) this.xmm.fill(0);
    else if (i === 15) { const b = this.comp.get(15)!; for (let k = 0; k < b.length; k++) if (k < 8 || k >= 16) b[k] = 0; }
    else this.comp.get(i)!.fill(0);
  }

  // ---- the legacy region
  saveX87(mem: Uint8Array, base: number, rexw: boolean): void {
    const x = this.x87, dv = new DataView(mem.buffer, mem.byteOffset);
    dv.setUint16(base, x.fcw, true);
    dv.setUint16(base + 2, x.fsw, true);
    mem[base + 4] = x.ftwAbr;
    mem[base + 5] = 0;
    const ptrs = this.cpu.intel || (x.fsw & 0x80) !== 0; // AMD: pointers only while ES=1
    dv.setUint16(base + 6, ptrs ? x.fop : 0, true);
    if (rexw) {
      dv.setBigUint64(base + 8, ptrs ? x.fip : 0n, true);
      dv.setBigUint64(base + 16, ptrs ? x.fdp : 0n, true);
    } else {
      const sel = ptrs && !this.cpu.fcsFdsZero;
      dv.setUint32(base + 8, ptrs ? Number(x.fip & 0xffffffffn) : 0, true);
      dv.setUint16(base + 12, sel ? x.fcs : 0, true);
      dv.setUint16(base + 14, 0, true);
      dv.setUint32(base + 16, ptrs ? Number(x.fdp & 0xffffffffn) : 0, true);
      dv.setUint16(base + 20, sel ? x.fds : 0, true);
      dv.setUint16(base + 22, 0, true);
    }
    for (let j = 0; j < 8; j++) {
      for (let b = 0; b < 10; b++) mem[base + 32 + 16 * j + b] = x.st[10 * j + b];
      for (let b = 10; b < 16; b++) mem[base + 32 + 16 * j + b] = 0;
    }
  }
  loadX87(mem: Uint8Array, base: number, rexw: boolean): void {
    const dv = new DataView(mem.buffer, mem.byteOffset);
    const st = new Uint8Array(80);
    for (let j = 0; j < 8; j++) for (let b = 0; b < 10; b++) st[10 * j + b] = mem[base + 32 + 16 * j + b];
    this.x87 = {
      fcw: dv.getUint16(base, true), fsw: dv.getUint16(base + 2, true), ftwAbr: mem[base + 4],
      fop: dv.getUint16(base + 6, true) & 0x7ff,
      fip: rexw ? dv.getBigUint64(base + 8, true) : BigInt(dv.getUint32(base + 8, true)),
      fdp: rexw ? dv.getBigUint64(base + 16, true) : BigInt(dv.getUint32(base + 16, true)),
      fcs: rexw ? 0 : dv.getUint16(base + 12, true), fds: rexw ? 0 : dv.getUint16(base + 20, true), st,
    };
  }
  saveMxcsr(mem: Uint8Array, base: number): void {
    const dv = new DataView(mem.buffer, mem.byteOffset);
    dv.setUint32(base + 24, this.mxcsr, true);
    dv.setUint32(base + 28, this.cpu.mxcsrMask, true);
  }
  saveComp(i: number, mem: Uint8Array, at: number, rexw: boolean, base: number): void {
    if (i === 0) this.saveX87(mem, base, rexw);
    else if (i === 1) mem.set(this.xmm, base + 160);
    else if (i === 9) { const b = this.comp.get(9)!; mem.set(b.subarray(0, 4), at); mem.fill(0, at + 4, at + 8); } // PKRU: bytes 4-7 written 0 (§21.13 decision)
    else mem.set(this.comp.get(i)!, at);
  }
  loadComp(i: number, mem: Uint8Array, at: number, rexw: boolean, base: number): void {
    if (i === 0) this.loadX87(mem, base, rexw);
    else if (i === 1) this.xmm.set(mem.subarray(base + 160, base + 416));
    else if (i === 9) { const b = this.comp.get(9)!; b.set(mem.subarray(at, at + 4)); b.fill(0, 4); }
    else this.comp.get(i)!.set(mem.subarray(at, at + this.cpu.comps.get(i)!.size));
  }
}

/** XRSTOR/XRSTORS outcome: a fault (vector) or null after updating `s`. The image starts at mem[base]. */
export function refXrstor(s: RefState, mem: Uint8Array, base: number, rfbmReq: bigint, xcr0: number, xss: number, rexw: boolean, supervisor: boolean): number | null {
  const dv = new DataView(mem.buffer, mem.byteOffset);
  const bv = dv.getBigUint64(base + 512, true), xc = dv.getBigUint64(base + 520, true);
  const rfbm = Number(BigInt(supervisor ? xcr0 | xss : xcr0) & rfbmReq);
  const compact = (xc >> 63n) === 1n;
  if (supervisor && !compact) return 13;
  if (!compact) {
    if (bv & ~BigInt(xcr0)) return 13;
    for (let k = 8; k < 24; k++) if (mem[base + 512 + k]) return 13;
  } else {
    const fmt = xc & ((1n << 63n) - 1n);
    if (fmt & ~BigInt(supervisor ? xcr0 | xss : xcr0)) return 13;
    if (bv & ~fmt) return 13;
    for (let k = 16; k < 64; k++) if (mem[base + 512 + k]) return 13;
  }
  const format = compact ? Number(xc & 0x7fffffffn) : 0;
  const toLoad = rfbm & Number(bv & 0x7fffffffn) & (compact ? format : -1);
  const offs = compact ? compactedOffsets(s.cpu, format) : new Map([...s.cpu.comps].map(([i, c]) => [i, c.offset]));
  const mxRead = compact ? (toLoad & 2) !== 0 : (rfbm & 6) !== 0;
  const mx = dv.getUint32(base + 24, true);
  if (mxRead && (mx & ~s.cpu.mxcsrMask) >>> 0) return 13;
  for (let i = 0; i < 31; i++) {
    if (!((rfbm >>> i) & 1)) continue;
    if ((toLoad >>> i) & 1) { s.loadComp(i, mem, base + (offs.get(i) ?? 0), rexw, base); s.loaded |= 1 << i; }
    else { s.init(i); s.loaded &= ~(1 << i); }
  }
  if (mxRead) s.mxcsr = mx;
  else if (compact && (rfbm & 2) && !(toLoad & 2)) s.mxcsr = 0x1f80;
  return null;
}

/** XSAVE (opt=false) / XSAVEOPT without a matching XRSTOR_INFO: writes into mem at base. */
export function refXsave(s: RefState, mem: Uint8Array, base: number, rfbmReq: bigint, xcr0: number, rexw: boolean, opt: boolean, modified = -1): void {
  const dv = new DataView(mem.buffer, mem.byteOffset);
  const rfbm = Number(BigInt(xcr0) & rfbmReq);
  const inuse = s.xinuse(rfbm);
  const write = opt ? inuse & modified : rfbm;
  for (let i = 0; i < 31; i++) if ((write >>> i) & 1) s.saveComp(i, mem, base + (s.cpu.comps.get(i)?.offset ?? 0), rexw, base);
  if (rfbm & 6) s.saveMxcsr(mem, base);
  const old = dv.getBigUint64(base + 512, true);
  dv.setBigUint64(base + 512, (old & ~BigInt(rfbm)) | BigInt(inuse), true);
}

/** XSAVEC / XSAVES. */
export function refXsavec(s: RefState, mem: Uint8Array, base: number, rfbmReq: bigint, xcr0: number, xss: number, rexw: boolean, supervisor: boolean, modified = -1): void {
  const dv = new DataView(mem.buffer, mem.byteOffset);
  const rfbm = Number(BigInt(supervisor ? xcr0 | xss : xcr0) & rfbmReq);
  let bv = s.xinuse(rfbm);
  if ((rfbm & 2) && s.mxcsr !== 0x1f80) bv |= 2;
  const offs = compactedOffsets(s.cpu, rfbm);
  const write = bv & modified;
  for (let i = 0; i < 31; i++) if ((write >>> i) & 1) s.saveComp(i, mem, base + (offs.get(i) ?? 0), rexw, base);
  if (write & 2) s.saveMxcsr(mem, base);
  dv.setBigUint64(base + 512, BigInt(bv), true);
  dv.setBigUint64(base + 520, BigInt(rfbm) | (1n << 63n), true);
}

/** FXSAVE (CR4.OSFXSR=1). */
export function refFxsave(s: RefState, mem: Uint8Array, base: number, rexw: boolean): void {
  s.saveX87(mem, base, rexw);
  s.saveMxcsr(mem, base);
  mem.set(s.xmm, base + 160);
}

/** FXRSTOR; returns 13 on an MXCSR fault. */
export function refFxrstor(s: RefState, mem: Uint8Array, base: number, rexw: boolean): number | null {
  const mx = new DataView(mem.buffer, mem.byteOffset).getUint32(base + 24, true);
  if ((mx & ~s.cpu.mxcsrMask) >>> 0) return 13;
  s.loadX87(mem, base, rexw);
  s.mxcsr = mx;
  s.xmm.set(mem.subarray(base + 160, base + 416));
  return null;
}

/** XSETBV validity (spec §14): null if valid. */
export function refXcr0Valid(cpu: RefCpu, v: bigint): boolean {
  if (v & ~BigInt(cpu.xcr0Sup)) return false;
  const n = Number(v);
  if (!(n & 1)) return false;
  if ((n & 6) === 4) return false;
  const z = (n >> 5) & 7;
  if (z !== 0 && z !== 7) return false;
  if (z !== 0 && !(n & 4)) return false;
  if (((n >> 17) & 1) !== ((n >> 18) & 1)) return false;
  if (((n >> 3) & 1) !== ((n >> 4) & 1)) return false;
  return true;
}
