/**
 * Per-vCPU state of the XSAVE extension (kept in `cpu.ext.xsave`), and the
 * machine-wide facts it caches at reset.
 *
 * XCR0 and IA32_XSS themselves live in `cpu.xcr0` / `cpu.xss` (CpuState);
 * XMODIFIED lives in `cpu.xmodified` (every SIMD/x87 handler ORs into it).
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import type { Machine } from '../../emulator/machine.ts';
import type { PhysMemory } from '../../emulator/memory/phys.ts';
import { cpuid } from '../../emulator/models/index.ts';
import { geometry, type Geometry } from './table.ts';
import type { WordBuf } from './area.ts';

export class XsaveVcpu {
  readonly geom: Geometry;
  /** The model is an Intel part (XINUSE "loaded by XRSTOR" rule, see xinuse.ts). */
  readonly intel: boolean;
  /** AMD: FOP/FIP/FDP are saved as 0 unless FSW.ES=1 (observed on Zen 4, README). */
  readonly amdX87Pointers: boolean;
  /** CPUID.(7,0):EBX[13]: FCS and FDS are saved as 0000H (spec §3.1). */
  readonly fcsFdsZero: boolean;
  readonly mxcsrMask: number;
  // Features advertised to the guest (checked at reset; #UD when absent).
  hasXsave = false;
  hasXsaveopt = false;
  hasXsavec = false;
  hasXgetbv1 = false;
  hasXsaves = false;
  hasXfd = false;
  hasFxsr = false;

  /** XRSTOR_INFO: valid, CPL, linear address, XCOMP_BV (bits 31:0 and bit 63). */
  infoValid = false;
  infoCpl = 0;
  infoLa = 0;
  infoXcomp = 0;
  infoCompact = false;
  /** IA32_XFD and IA32_XFD_ERR (components ≤ 30: plain numbers). */
  xfd = 0;
  xfdErr = 0;
  /**
   * Exact 64-bit FIP/FDP as last loaded by FXRSTOR64/XRSTOR64: kept while
   * `cpu.fip`/`cpu.fdp` still hold the number that load put there (a double
   * cannot hold every 64-bit pattern).
   */
  fipNum = 0; fipLo = 0; fipHi = 0;
  fdpNum = 0; fdpLo = 0; fdpHi = 0;
  /**
   * Views over the x87 register bytes `cpu.st` (R_k = bytes 10k..10k+9, so
   * 16-bit halfwords 5k..5k+4), made by resetVcpu (legacy.ts).
   */
  st16: Uint16Array = new Uint16Array(40);
  st32: Int32Array = new Int32Array(20);
  /** Guest RAM as an XBuf (u8, dv, i32 over `ramOf`'s buffer), rebuilt by ramBuf (area.ts) when `cpu.mem` changes. */
  ram: WordBuf | null = null;
  ramOf: PhysMemory | null = null;
  /** Byte images of supervisor components that are plain MSR state (PT, CET_U, CET_S, Arch LBR). */
  readonly msrState: (Uint8Array | undefined)[] = new Array(31).fill(undefined);

  constructor(m: Machine) {
    const model = m.model;
    this.geom = geometry(model);
    this.intel = model.vendor === 'intel';
    this.amdX87Pointers = model.vendor === 'amd';
    this.mxcsrMask = model.mxcsrMask;
    const dyn = { xcr0: 1n, xss: 0n, cr4: 0, apicId: 0 };
    this.fcsFdsZero = ((cpuid(model, 7, 0, dyn)[1] >>> 13) & 1) === 1;
  }

  /** Re-reads what CPUID advertises (called at reset). */
  refreshFeatures(m: Machine): void {
    const model = m.model;
    const dyn = { xcr0: 1n, xss: 0n, cr4: 0, apicId: 0 };
    const l1 = cpuid(model, 1, 0, dyn);
    const d1 = cpuid(model, 0xd, 1, dyn)[0];
    this.hasXsave = ((l1[2] >>> 26) & 1) === 1;
    this.hasFxsr = ((l1[3] >>> 24) & 1) === 1;
    this.hasXsaveopt = this.hasXsave && (d1 & 1) !== 0;
    this.hasXsavec = this.hasXsave && (d1 & 2) !== 0;
    this.hasXgetbv1 = this.hasXsave && (d1 & 4) !== 0;
    this.hasXsaves = this.hasXsave && (d1 & 8) !== 0;
    this.hasXfd = this.hasXsave && (d1 & 16) !== 0;
  }
}

export function vcpu(c: Cpu): XsaveVcpu {
  return c.ext.xsave as XsaveVcpu;
}

/** Resets the extension's per-vCPU state (RESET/INIT, and a conformance case's start). */
export function resetVcpu(c: Cpu, m: Machine): XsaveVcpu {
  const v = new XsaveVcpu(m);
  v.refreshFeatures(m);
  v.st16 = new Uint16Array(c.st.buffer, c.st.byteOffset, 40);
  v.st32 = new Int32Array(c.st.buffer, c.st.byteOffset, 20);
  c.ext.xsave = v;
  return v;
}
