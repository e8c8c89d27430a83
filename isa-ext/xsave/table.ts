/**
 * The XSAVE state-component table: one row per component, driving every
 * XSAVE-family instruction (XSAVE, XSAVEOPT, XSAVEC, XSAVES, XRSTOR, XRSTORS)
 * and FXSAVE/FXRSTOR for the legacy region.
 *
 * A row says what a component *does* (save/load/init/isInit and optional
 * checks); where it lives and how big it is comes from the CPU model
 * (emulator/models: CPUID.(0DH,i)), never from the row, so no size or offset
 * is written twice. Components 0 (x87) and 1 (SSE) are the fixed legacy
 * region (spec §3.1) and have their geometry here.
 *
 * API
 *   registerXstateComponent(row)     adds row `row.index` (throws on a duplicate)
 *   xstateRow(i)                     the row, or undefined
 *   registeredMask()                 bit i set for every registered row
 *   geometry(model)                  per-model sizes/offsets/flags + cached compacted layouts
 *
 * Rows are process-wide (like the instruction table); extensions register
 * theirs from `registerInsns` or at import. A component is usable by a
 * machine when the model has it, its owning feature is implemented
 * (features.ts COMPONENT_OWNERS) and a row is registered.
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import type { CpuModel } from '../../emulator/models/index.ts';

/**
 * A byte buffer rows read and write: guest RAM (area.ts `ramBuf`), the staging
 * buffer, or any {u8, dv} pair over the same bytes (the REPL decodes a row into
 * its own). `i32` and `f64` are more views of those bytes (host-endian, i.e.
 * little-endian like every typed-array view of guest state here); rows get
 * them with `words(buf)` and `qwords(buf)`, which make one when a buffer does
 * not carry it (u8 must then start 8-byte aligned in its ArrayBuffer). The
 * `off` given to a row is always a multiple of 8 (area.ts stages anything
 * else), so rows may copy 32-bit words at `words(buf)[off >>> 2]` and 64-bit
 * ones at `qwords(buf)[off >>> 3]`.
 *
 * A Float64Array element copy moves the 8 bytes unchanged, NaN payloads
 * included (V8 canonicalises NaNs only in its own double arrays, never in
 * typed arrays; test/xsave/rows.test.ts checks it on every NaN class), so the
 * vector rows copy registers as qwords: half the element operations of words.
 * Never compare such elements as numbers (-0 equals 0, NaN equals nothing).
 */
export interface XBuf {
  readonly u8: Uint8Array;
  readonly dv: DataView;
  readonly i32?: Int32Array;
  readonly f64?: Float64Array;
}

/** The 32-bit-word view of `b` (see XBuf). */
export function words(b: XBuf): Int32Array {
  return b.i32 ?? new Int32Array(b.u8.buffer, b.u8.byteOffset, b.u8.byteLength >>> 2);
}

/** The 64-bit-word view of `b`, for copies only (see XBuf). */
export function qwords(b: XBuf): Float64Array {
  return b.f64 ?? new Float64Array(b.u8.buffer, b.u8.byteOffset, b.u8.byteLength >>> 3);
}

/** Bits of the `opt` argument of save/load. */
export const OPT_REXW = 1; // the instruction has REX.W (…64 forms): 64-bit FIP/FDP format of the x87 part
export const OPT_XRSTORS = 2; // load/validate called by XRSTORS (supervisor rules apply)

export interface XstateRow {
  /** Component number i (bit i of XCR0 / IA32_XSS). */
  readonly index: number;
  readonly name: string;
  /**
   * Byte ranges [start, end) relative to the component's offset that save
   * writes and load reads, as a flat list; default [0, size). Only the legacy
   * x87 row needs more than one range (bytes 24-31 of the region are MXCSR).
   */
  readonly ranges?: readonly number[];
  /** Writes the current value (every byte of `ranges`) at dst[off..]. */
  save(c: Cpu, dst: XBuf, off: number, opt: number): void;
  /**
   * Writes the initial configuration without changing state (XSAVE of an
   * XFD-disabled component, spec §6 step 8). Default: zero bytes.
   */
  saveInit?(dst: XBuf, off: number): void;
  /** Checks an image before anything is committed; throws #GP. Runs only for components to be loaded. */
  validate?(c: Cpu, src: XBuf, off: number, opt: number): void;
  /** Loads the component from src[off..] (after every validate of the instruction passed). */
  load(c: Cpu, src: XBuf, off: number, opt: number): void;
  /** Puts the component in its initial configuration. */
  init(c: Cpu): void;
  /** Is the component's current value its initial configuration? (XINUSE, see xinuse.ts) */
  isInit(c: Cpu): boolean;
  /**
   * XRSTORS only: runs for every i with RFBM[i]=1 before anything is loaded or
   * initialized, whether the image loads the component (`loading`) or not;
   * throws #GP. (UINTR: UINV≠0, spec §11 / §21.6.)
   */
  restoreCheck?(c: Cpu, loading: boolean): void;
  /** XSAVES only: runs after the component was saved (UINTR clears UINV, spec §9). Returns true if it changed state. */
  afterSupervisorSave?(c: Cpu): boolean;
  /** Per-vCPU setup at RESET/INIT (e.g. allocate MSR backing bytes). */
  reset?(c: Cpu): void;
}

const rows: (XstateRow | undefined)[] = new Array(64).fill(undefined);
let mask = 0;
/** Rows with a `validate` / a `restoreCheck` hook (XRSTOR* visits only these in its check loop). */
let validateRows = 0, restoreCheckRows = 0;

/**
 * Registers the behaviour of state component `row.index` (0..30). Two rows
 * for one component throw at startup, like two owners of one instruction.
 */
export function registerXstateComponent(row: XstateRow): void {
  const i = row.index;
  if (!Number.isInteger(i) || i < 0 || i > 30) throw new Error(`XSAVE component index ${i} out of range 0..30`);
  const prev = rows[i];
  if (prev) throw new Error(`XSAVE component ${i} registered twice ('${prev.name}' and '${row.name}')`);
  rows[i] = row;
  mask |= 1 << i;
  if (row.validate) validateRows |= 1 << i;
  if (row.restoreCheck) restoreCheckRows |= 1 << i;
}

export function xstateRow(i: number): XstateRow | undefined {
  return rows[i];
}

/** The rows array itself (index = component), for the hot loops. */
export const ROWS: readonly (XstateRow | undefined)[] = rows;

/** Bit i set for every registered row. */
export function registeredMask(): number {
  return mask;
}

/** Bit i set for every row with a `validate` hook. */
export function validateMask(): number {
  return validateRows;
}

/** Bit i set for every row with a `restoreCheck` hook. */
export function restoreCheckMask(): number {
  return restoreCheckRows;
}

// ------------------------------------------------------------------------------------- geometry

/** Legacy-region geometry (spec §3.1): x87 = bytes 0-23 and 32-159, SSE (XMM) = 160-415. */
export const X87_OFF = 0, X87_SIZE = 160, SSE_OFF = 160, SSE_SIZE = 256, MXCSR_OFF = 24;
export const HDR_OFF = 512, EXT_OFF = 576;

export interface Geometry {
  readonly model: CpuModel;
  /** Bytes of component i (legacy: x87 160, SSE 256). */
  readonly size: Int32Array;
  /** Standard-format offset of component i (0 for supervisor components). */
  readonly stdOff: Int32Array;
  readonly align64: Uint8Array;
  readonly supervisor: Uint8Array;
  readonly xfdCap: Uint8Array;
  /** Components the model has (bits 0, 1 and every [[xsave.component]]). */
  readonly modelMask: number;
  /** Compacted offsets for XCOMP_BV[62:0] = m: 32 offsets (-1 = absent), then the total size at [32]. */
  compacted(m: number): Int32Array;
}

const geoms = new WeakMap<CpuModel, Geometry>();

export function geometry(model: CpuModel): Geometry {
  const hit = geoms.get(model);
  if (hit) return hit;
  const size = new Int32Array(64), stdOff = new Int32Array(64);
  const align64 = new Uint8Array(64), supervisor = new Uint8Array(64), xfdCap = new Uint8Array(64);
  size[0] = X87_SIZE; stdOff[0] = X87_OFF;
  size[1] = SSE_SIZE; stdOff[1] = SSE_OFF;
  let modelMask = 3;
  for (const comp of model.xsave.components) {
    if (comp.index > 30) throw new Error(`model ${model.name}: XSAVE component ${comp.index} above 30 is not supported by isa-ext/xsave`);
    size[comp.index] = comp.size;
    stdOff[comp.index] = comp.supervisor ? 0 : comp.offset;
    align64[comp.index] = comp.align64 ? 1 : 0;
    supervisor[comp.index] = comp.supervisor ? 1 : 0;
    xfdCap[comp.index] = comp.xfd ? 1 : 0;
    modelMask |= 1 << comp.index;
  }
  const cache = new Map<number, Int32Array>();
  const g: Geometry = {
    model, size, stdOff, align64, supervisor, xfdCap, modelMask,
    compacted(m: number): Int32Array {
      let t = cache.get(m);
      if (t) return t;
      // Spec §3.3: the layout is a function of XCOMP_BV[62:0] only.
      t = new Int32Array(33).fill(-1);
      t[0] = X87_OFF; t[1] = SSE_OFF;
      let off = EXT_OFF;
      for (let i = 2; i < 31; i++) {
        if (!((m >>> i) & 1) || !((modelMask >>> i) & 1)) continue;
        if (align64[i]) off = (off + 63) & ~63;
        t[i] = off;
        off += size[i];
      }
      t[32] = off;
      cache.set(m, t);
      return t;
    },
  };
  geoms.set(model, g);
  return g;
}
