/**
 * Rows for the components whose state lives in the core CPU state or is
 * plain MSR state, registered through the same public API other extensions
 * use (AMX 17/18, PASID 10 and UINTR 14 come with their own issues):
 *   2 AVX        bytes 16-31 of YMM0-15, 16 bytes per register
 *   5 opmask     k0-k7, 8 bytes each
 *   6 ZMM_Hi256  bytes 32-63 of ZMM0-15, 32 bytes per register
 *   7 Hi16_ZMM   ZMM16-31, 64 bytes each
 *   9 PKRU       PKRU at +0; bytes 4-7 written as 0 (decision for spec §21.13,
 *                see PKRU_ROW)
 *   8 PT, 11 CET_U, 12 CET_S, 15 Arch LBR: supervisor components stored as
 *                their MSR bytes (initial configuration all zero; Arch LBR's
 *                IA32_LBR_DEPTH at +8 is outside the init test and kept by
 *                initialization, SDM 13.5.12). Nothing else in the emulator uses
 *                these MSRs yet; `msrBytes(c, i)` is the storage a future
 *                PT/CET/LBR module reads and writes.
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import { CR4_PKE } from '../../emulator/memory/mmu.ts';
import { registerXstateComponent, words, qwords, type XBuf, type XstateRow } from './table.ts';
import { vcpu } from './vcpu.ts';

/*
 * The vector rows are written out per component (straight loops over constant
 * bounds): they run on the XSAVE/XRSTOR hot path. Register n occupies
 * vf64[8n .. 8n+7] (bytes 64n .. 64n+63 of the vector file); the area is
 * copied as 64-bit words at `qwords(buf)[off >>> 3]` (offsets are 8-byte
 * aligned; table.ts XBuf says why a Float64Array copy keeps every bit). The
 * init checks compare 32-bit words: a qword compare would take -0.0 for 0.
 */
export const AVX_ROW: XstateRow = {
  index: 2, name: 'avx',
  save(c: Cpu, dst: XBuf, off: number): void {
    const d = qwords(dst), r = c.vf64, o = off >>> 3;
    for (let n = 0; n < 16; n++) { d[o + 2 * n] = r[8 * n + 2]; d[o + 2 * n + 1] = r[8 * n + 3]; }
  },
  load(c: Cpu, src: XBuf, off: number): void {
    const d = qwords(src), r = c.vf64, o = off >>> 3;
    for (let n = 0; n < 16; n++) { r[8 * n + 2] = d[o + 2 * n]; r[8 * n + 3] = d[o + 2 * n + 1]; }
  },
  init(c: Cpu): void {
    const r = c.vi32;
    for (let n = 0; n < 16; n++) { const d = 16 * n + 4; r[d] = 0; r[d + 1] = 0; r[d + 2] = 0; r[d + 3] = 0; }
  },
  isInit(c: Cpu): boolean {
    const r = c.vi32;
    for (let n = 0; n < 16; n++) { const d = 16 * n + 4; if (r[d] | r[d + 1] | r[d + 2] | r[d + 3]) return false; }
    return true;
  },
};

export const ZMM_HI256_ROW: XstateRow = {
  index: 6, name: 'zmm_hi256',
  save(c: Cpu, dst: XBuf, off: number): void {
    const d = qwords(dst), r = c.vf64, o = off >>> 3;
    for (let n = 0; n < 16; n++) {
      const s = 8 * n + 4, q = o + 4 * n;
      d[q] = r[s]; d[q + 1] = r[s + 1]; d[q + 2] = r[s + 2]; d[q + 3] = r[s + 3];
    }
  },
  load(c: Cpu, src: XBuf, off: number): void {
    const d = qwords(src), r = c.vf64, o = off >>> 3;
    for (let n = 0; n < 16; n++) {
      const s = o + 4 * n, q = 8 * n + 4;
      r[q] = d[s]; r[q + 1] = d[s + 1]; r[q + 2] = d[s + 2]; r[q + 3] = d[s + 3];
    }
  },
  init(c: Cpu): void {
    const r = c.vi32;
    for (let n = 0; n < 16; n++) { const d = 16 * n + 8; for (let k = 0; k < 8; k++) r[d + k] = 0; }
  },
  isInit(c: Cpu): boolean {
    const r = c.vi32;
    for (let n = 0; n < 16; n++) { const d = 16 * n + 8; for (let k = 0; k < 8; k++) if (r[d + k] !== 0) return false; }
    return true;
  },
};

export const HI16_ZMM_ROW: XstateRow = {
  index: 7, name: 'hi16_zmm',
  save(c: Cpu, dst: XBuf, off: number): void {
    const d = qwords(dst), r = c.vf64, o = off >>> 3;
    for (let k = 0; k < 128; k++) d[o + k] = r[128 + k];
  },
  load(c: Cpu, src: XBuf, off: number): void {
    const d = qwords(src), r = c.vf64, o = off >>> 3;
    for (let k = 0; k < 128; k++) r[128 + k] = d[o + k];
  },
  init(c: Cpu): void { c.vi32.fill(0, 256, 512); },
  isInit(c: Cpu): boolean {
    const r = c.vi32;
    for (let k = 256; k < 512; k++) if (r[k] !== 0) return false;
    return true;
  },
};

export const OPMASK_ROW: XstateRow = {
  index: 5, name: 'opmask',
  save(c, dst, off) { const k = c.k32, d = words(dst), o = off >>> 2; for (let n = 0; n < 16; n++) d[o + n] = k[n]; },
  load(c, src, off) { const k = c.k32, d = words(src), o = off >>> 2; for (let n = 0; n < 16; n++) k[n] = d[o + n]; },
  init(c) { c.k32.fill(0); },
  isInit(c) { const k = c.k32; for (let n = 0; n < 16; n++) if (k[n] !== 0) return false; return true; },
};

function setPkru(c: Cpu, v: number): void {
  // The TLB skips protection-key checks on entries filled while PKRU was 0: drop them on a change.
  if ((c.pkru >>> 0) !== (v >>> 0) && (c.cr4 & CR4_PKE)) c.flushTlb();
  c.pkru = v >>> 0;
}

/**
 * PKRU (9), 8 bytes. Decision for spec §21.13 (bytes 4-7 on save): written as 0.
 * Reason: CPUID.(0DH,9).EAX says the component is 8 bytes, XSAVE writes whole
 * components, and an XSAVE of the initial configuration then gives the same 8
 * zero bytes whatever was in memory before; loads ignore bytes 4-7.
 */
export const PKRU_ROW: XstateRow = {
  index: 9, name: 'pkru',
  save(c, dst, off) { dst.dv.setInt32(off, c.pkru | 0, true); dst.dv.setInt32(off + 4, 0, true); },
  load(c, src, off) { setPkru(c, src.dv.getUint32(off, true)); },
  init(c) { setPkru(c, 0); },
  isInit(c) { return (c.pkru | 0) === 0; },
};

/** The byte image of a plain-MSR supervisor component of this vCPU (allocated on first use). */
export function msrBytes(c: Cpu, i: number): Uint8Array {
  const v = vcpu(c);
  let b = v.msrState[i];
  if (!b) { b = new Uint8Array(v.geom.size[i]); v.msrState[i] = b; }
  return b;
}

/** A supervisor component stored as MSR bytes; bytes [keepFrom, keepTo) are outside the init test. */
function msrRow(index: number, name: string, keepFrom = 0, keepTo = 0): XstateRow {
  return {
    index, name,
    save(c, dst, off) { const b = msrBytes(c, index); const u8 = dst.u8; for (let k = 0; k < b.length; k++) u8[off + k] = b[k]; },
    load(c, src, off) { const b = msrBytes(c, index); const u8 = src.u8; for (let k = 0; k < b.length; k++) b[k] = u8[off + k]; },
    init(c) { const b = msrBytes(c, index); for (let k = 0; k < b.length; k++) if (k < keepFrom || k >= keepTo) b[k] = 0; },
    isInit(c) {
      const b = msrBytes(c, index);
      for (let k = 0; k < b.length; k++) if (b[k] !== 0 && (k < keepFrom || k >= keepTo)) return false;
      return true;
    },
    reset(c) { msrBytes(c, index).fill(0); },
  };
}

export const PT_ROW = msrRow(8, 'pt');
export const CET_U_ROW = msrRow(11, 'cet_u');
export const CET_S_ROW = msrRow(12, 'cet_s');
/** Arch LBR: IA32_LBR_CTL +0, IA32_LBR_DEPTH +8 (kept by init), LER and 32 LBR entries after. */
export const ARCH_LBR_ROW = msrRow(15, 'arch_lbr', 8, 16);

let registered = false;
export function registerBuiltinRows(): void {
  if (registered) return;
  registered = true;
  for (const r of [AVX_ROW, OPMASK_ROW, ZMM_HI256_ROW, HI16_ZMM_ROW, PT_ROW, PKRU_ROW, CET_U_ROW, CET_S_ROW, ARCH_LBR_ROW]) {
    registerXstateComponent(r);
  }
}
