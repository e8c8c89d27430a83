/**
 * EVEX machinery shared by every AVX-512 handler (avx512-*.ts): the static
 * shape of each iced Code (operand kinds and widths, memory and broadcast
 * sizes), opmask reading, source fetch with embedded broadcast and memory
 * fault suppression, FP environment with {er}/{sae}, and the masked commit
 * (merge or {z}ero per element, bits above VL zeroed, XMODIFIED bits).
 *
 * An operation is one `VecSpec`: either a per-element function (`lane`) or a
 * whole-vector function (`whole`). `defineEvex(mnemonic, spec)` registers it
 * for every EVEX Code of that mnemonic (xmm/ymm/zmm, register and memory,
 * broadcast, {er}/{sae} forms), deriving the form from iced's OpCodeInfo.
 *
 * Scratch slots: VTMP0 = memory source, VTMP1 = result, VTMP2 = GPR source /
 * helper, VTMP3 = helper.
 */
import iced from 'iced-x86';
import { defineInsn, CodeEnum } from './registry.ts';
import { evexGate, vecComponents } from './simd-state.ts';
import { VTMP0, VTMP1, VTMP2 } from '../cpu/state.ts';
import { ud, gp, xm } from '../faults.ts';
import { CR4_OSXMMEXCPT } from '../memory/mmu.ts';
import { makeFpEnv, loadMxcsr, setEmbeddedRounding, setSae, commitFpFlags, type FpEnv } from '../fpu/simd-fp.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const K = iced.OpCodeOperandKind;

/** Operand classes. */
export const enum Op { Vec, VecMem, Mem, K, Gpr, GprMem, Imm, Vsib }

export interface Shape {
  name: string;
  /** lower-case mnemonic, e.g. 'vpaddd' */
  mn: string;
  ops: Op[];
  /** bytes: vector width of vector operands, GPR width, 8 for k, memory size for Mem */
  w: number[];
  /** memory operand size (bytes), broadcast element size (0 = none) */
  msize: number;
  bsize: number;
  /** destination width in bytes (operand 0) and widest source vector width */
  dstW: number;
  srcW: number;
  canRc: boolean;
  canSae: boolean;
}

function vecWidth(k: number): number {
  const n = K[k] as unknown as string;
  if (n.startsWith('xmm')) return 16;
  if (n.startsWith('ymm')) return 32;
  if (n.startsWith('zmm')) return 64;
  return 0;
}

function classify(k: number): Op {
  const n = K[k] as unknown as string;
  if (n === 'imm8') return Op.Imm;
  if (n.startsWith('mem_vsib')) return Op.Vsib;
  if (n === 'mem') return Op.Mem;
  if (n.startsWith('k_')) return Op.K;
  if (/^(xmm|ymm|zmm)_or_mem$/.test(n)) return Op.VecMem;
  if (/^(xmm|ymm|zmm)/.test(n)) return Op.Vec;
  if (/^r(32|64)_or_mem$/.test(n)) return Op.GprMem;
  if (/^r(8|16|32|64)/.test(n)) return Op.Gpr;
  throw new Error(`avx512: unknown operand kind ${n}`);
}

const shapes = new Map<string, Shape>();
/** Every EVEX Code name grouped by lower-case mnemonic. */
export const EVEX_BY_MN = new Map<string, string[]>();
for (const name of Object.keys(iced.Code).filter((k) => isNaN(Number(k)) && k.startsWith('EVEX_'))) {
  const mn = name.split('_')[1].toLowerCase();
  let l = EVEX_BY_MN.get(mn);
  if (!l) EVEX_BY_MN.set(mn, l = []);
  l.push(name);
}

export function shapeOf(name: string): Shape {
  let s = shapes.get(name);
  if (s) return s;
  const oc = iced.CodeExt.opCode(CodeEnum[name] as unknown as iced.Code);
  const ops: Op[] = [], w: number[] = [];
  const msize = oc.memorySize === iced.MemorySize.Unknown ? 0 : iced.MemorySizeExt.size(oc.memorySize);
  for (let j = 0; j < oc.opCount; j++) {
    const kind = oc.opKind(j);
    const cl = classify(kind);
    ops.push(cl);
    const kn = K[kind] as unknown as string;
    w.push(cl === Op.Vec || cl === Op.VecMem ? vecWidth(kind) : cl === Op.K ? 8 : cl === Op.Gpr || cl === Op.GprMem ? (kn.startsWith('r64') ? 8 : kn.startsWith('r32') ? 4 : kn.startsWith('r16') ? 2 : 1) : cl === Op.Mem ? msize : 0);
  }
  let srcW = 0;
  for (let j = 1; j < ops.length; j++) if (ops[j] === Op.Vec || ops[j] === Op.VecMem) srcW = Math.max(srcW, w[j]);
  s = {
    name, mn: name.split('_')[1].toLowerCase(), ops, w, msize,
    bsize: oc.canBroadcast ? iced.MemorySizeExt.size(oc.broadcastMemorySize) : 0,
    dstW: w[0], srcW, canRc: oc.canUseRoundingControl, canSae: oc.canSuppressAllExceptions,
  };
  oc.free();
  shapes.set(name, s);
  return s;
}

// ------------------------------------------------------------------ opmask
/** Mask bits of the current instruction (all ones for k0). */
export let ML = -1, MH = -1;
export function loadMask(c: Cpu, i: Insn, nel: number): void {
  if (i.k === 0) { ML = -1; MH = -1; } else { ML = c.k32[2 * i.k]; MH = c.k32[2 * i.k + 1]; }
  if (nel < 32) { ML &= (1 << nel) - 1; MH = 0; } else if (nel < 64) MH &= nel === 32 ? 0 : (1 << (nel - 32)) - 1;
}
export function mbit(e: number): number {
  return e < 32 ? (ML >>> e) & 1 : (MH >>> (e - 32)) & 1;
}
export function allMask(nel: number): boolean {
  if (nel >= 64) return ML === -1 && MH === -1;
  if (nel > 32) return ML === -1 && MH === (1 << (nel - 32)) - 1;
  return ML === (nel === 32 ? -1 : (1 << nel) - 1);
}
export const noneMask = () => ML === 0 && MH === 0;

/** Writes opmask register n from (lo, hi) and marks component 5. */
export function writeK(c: Cpu, n: number, lo: number, hi: number): void {
  c.k32[2 * n] = lo;
  c.k32[2 * n + 1] = hi;
  c.xmodified |= 1 << 5;
}

// ------------------------------------------------------------------ FP env
export const env: FpEnv = makeFpEnv();
export function fpBegin(c: Cpu, i: Insn): FpEnv {
  loadMxcsr(env, c.mxcsr);
  if (i.er >= 0) setEmbeddedRounding(env, i.er);
  else if (i.sae) setSae(env);
  return env;
}
/** Folds the lanes' flags into MXCSR; throws #XM (#UD without OSXMMEXCPT) when unmasked. */
export function fpEnd(c: Cpu): void {
  const r = commitFpFlags(env, c.mxcsr);
  if (r.fault) {
    if (!(c.cr4 & CR4_OSXMMEXCPT)) throw ud('unmasked SIMD FP exception with CR4.OSXMMEXCPT=0');
    throw xm(`SIMD floating-point exception (flags 0x${env.flags.toString(16)})`);
  }
  if (r.mxcsr !== c.mxcsr) { c.mxcsr = r.mxcsr; c.xmodified |= 2; }
}

// ------------------------------------------------------------------ memory
/**
 * Aligned EVEX forms (VMOVAPS/VMOVDQA32/...): silicon (AMD Zen 4/5, captured) raises no #GP for a
 * misaligned operand when the effective write mask selects no element; callers skip the check then.
 */
export function alignCheck(la: number, n: number): void {
  if (la % n !== 0) throw gp(`misaligned ${n}-byte operand at 0x${BigInt.asUintN(64, BigInt(la)).toString(16)}`);
}

/**
 * Loads the memory source into scratch slot `slot`: `n` elements of `ssz`
 * bytes. With broadcast one element is replicated n times. With `elem`
 * (memory fault suppression) only elements whose mask bit is set are read.
 */
export function loadSrc(c: Cpu, i: Insn, slot: number, n: number, ssz: number, elem: boolean, msize: number): void {
  const la = c.ea(i);
  const v = c.v8, b = slot * 64;
  if (i.bcst) {
    if (elem && noneMask()) return;
    c.rdBytes(la, ssz, v, b);
    for (let e = 1; e < n; e++) v.copyWithin(b + e * ssz, b, b + ssz);
    return;
  }
  if (!elem || allMask(n)) { c.rdBytes(la, msize, v, b); return; }
  for (let e = 0; e < n; e++) if (mbit(e)) c.rdBytes(la + e * ssz, ssz, v, b + e * ssz);
}

/** Reads memory element m (of `per`, `esz` bytes each) only when a selected result element e has e % per == m. */
function loadBlock(c: Cpu, i: Insn, slot: number, per: number, esz: number, nel: number): void {
  const la = c.ea(i);
  for (let m = 0; m < per; m++) {
    let need = false;
    for (let e = m; e < nel; e += per) if (mbit(e)) { need = true; break; }
    if (need) c.rdBytes(la + m * esz, esz, c.v8, slot * 64 + m * esz);
  }
}

/** Masked store of `n` elements of `esz` bytes from slot `src` (probes every selected element first). */
export function storeMasked(c: Cpu, i: Insn, src: number, n: number, esz: number, align = 0): void {
  const la = c.ea(i);
  if (align && !noneMask()) alignCheck(la, align);
  const b = src * 64;
  if (allMask(n)) { c.wrBytes(la, n * esz, c.v8, b); return; }
  for (let e = 0; e < n; e++) if (mbit(e)) c.probe(la + e * esz, esz, 1);
  for (let e = 0; e < n; e++) if (mbit(e)) c.wrBytes(la + e * esz, esz, c.v8, b + e * esz);
}

/** Masked write of `n` elements of `esz` bytes from slot `src` to register `dst`; zeroes bytes above n*esz. */
export function commitVec(c: Cpu, i: Insn, dst: number, src: number, n: number, esz: number): void {
  const v = c.v8, d = dst * 64, s = src * 64, top = n * esz;
  if (allMask(n)) v.copyWithin(d, s, s + top);
  else if (i.z) { for (let e = 0; e < n; e++) if (mbit(e)) v.copyWithin(d + e * esz, s + e * esz, s + e * esz + esz); else v.fill(0, d + e * esz, d + e * esz + esz); }
  else { for (let e = 0; e < n; e++) if (mbit(e)) v.copyWithin(d + e * esz, s + e * esz, s + e * esz + esz); }
  if (top < 64) v.fill(0, d + top, d + 64);
  c.xmodified |= vecComponents(dst, 64);
}

/** Unmasked write of `bytes` from slot src to register dst, zeroing above. */
export function writeFull(c: Cpu, dst: number, src: number, bytes: number): void {
  const v = c.v8, d = dst * 64, s = src * 64;
  if (d !== s) v.copyWithin(d, s, s + bytes);
  v.fill(0, d + bytes, d + 64);
  c.xmodified |= vecComponents(dst, 64);
}

// ------------------------------------------------------------------ specs
/**
 * Lane function: computes element e of the result at byte base R from the
 * sources at byte bases A, B (and the old destination at D). Bases are
 * slot*64 byte offsets into the register file.
 */
export type LaneFn = (c: Cpu, e: number, R: number, A: number, B: number, D: number, imm: number, env: FpEnv) => void;
/** Whole-vector function: `n` = masked elements; vl = destination width; sw = source width. */
export type WholeFn = (c: Cpu, i: Insn, R: number, A: number, B: number, D: number, imm: number, n: number, s: Shape) => void;

export interface VecSpec {
  /** element size (bytes) of the destination, the masking granule */
  esz: number;
  lane?: LaneFn;
  whole?: WholeFn;
  /** element count when not dstW/esz (e.g. down-converts: from the source width) */
  count?: (s: Shape) => number;
  /** the memory source is read element-wise (fault suppression); default: lane ops yes, whole ops no */
  elem?: boolean;
  fp?: boolean;
  /** only element 0 is computed and masked; bytes esz..15 come from src1 (A) */
  scalar?: boolean;
  /** #GP unless the memory operand is aligned to its size */
  align?: boolean;
  /** writes no mask even when encoded (no {k}); used by forms without masking */
  noMask?: boolean;
  /** scalar FMA: bytes esz..15 come from the destination (D) instead of src1 */
  upperFromDst?: boolean;
  /**
   * Tuple broadcasts (VBROADCASTF32X8, ...): the memory source holds this many elements, element e of
   * the result takes memory element e % n, and only memory elements some selected result element
   * uses are read (fault suppression per memory element, as captured on Zen 5).
   */
  memBlock?: number;
  /** masked store to memory without fault suppression: the whole operand is probed for write first (VEXTRACT*, Zen 5 capture) */
  storeWhole?: boolean;
  /** VPBLENDM: unselected elements take src1 (or 0 with {z}); the result is then written unmasked */
  blend?: boolean;
}

const NO_SRC = VTMP2 * 64;
export const evexGateOnly = evexGate;

/** Builds the handler for one Code of a vector-destination (register or memory) operation. */
export function vecHandler(s: Shape, p: VecSpec): (c: Cpu, i: Insn) => void {
  const esz = p.esz;
  const nel = p.count ? p.count(s) : p.scalar ? 1 : s.dstW / esz;
  const elem = p.elem ?? (p.lane !== undefined);
  // Source operand positions (skip dst at 0, immediates).
  const srcIdx: number[] = [];
  for (let j = 1; j < s.ops.length; j++) if (s.ops[j] !== Op.Imm) srcIdx.push(j);
  const memIdx = s.ops.findIndex((o) => o === Op.VecMem || o === Op.Mem || o === Op.GprMem);
  const dstIsMem = s.ops[0] === Op.VecMem || s.ops[0] === Op.Mem;
  const ssz = s.bsize || (p.scalar ? s.msize : s.msize / nel);
  const lane = p.lane, whole = p.whole, fp = p.fp === true, scalar = p.scalar === true;
  const R = VTMP1 * 64;
  return (c, i) => {
    evexGate(c);
    if (i.z && i.memOp === 0) throw ud('EVEX {z} with a memory destination');
    loadMask(c, i, nel);
    if (p.noMask) { ML = -1; MH = -1; loadMask2(nel); }
    const regs = [i.r0, i.r1, i.r2, i.r3];
    let A = NO_SRC, B = NO_SRC;
    for (let k = 0; k < srcIdx.length && k < 2; k++) {
      const j = srcIdx[k];
      let base: number;
      if (i.memOp === j) {
        const n = s.bsize ? (s.w[j] || s.srcW) / s.bsize : nel;
        if (p.align && !noneMask()) alignCheck(c.ea(i), s.msize);
        if (p.memBlock) loadBlock(c, i, VTMP0, p.memBlock, esz, nel);
        else loadSrc(c, i, VTMP0, n, ssz, elem && memIdx === j, s.msize);
        base = VTMP0 * 64;
      } else if (s.ops[j] === Op.Gpr || s.ops[j] === Op.GprMem) {
        const r = regs[j];
        c.vi32[VTMP2 * 16] = c.R[2 * r]; c.vi32[VTMP2 * 16 + 1] = c.R[2 * r + 1];
        base = VTMP2 * 64;
      } else base = regs[j] * 64;
      if (k === 0) A = base; else B = base;
    }
    const D = dstIsMem && i.memOp === 0 ? NO_SRC : i.r0 * 64;
    const imm = i.imm & 255;
    if (fp) fpBegin(c, i);
    if (scalar) {
      const U = p.upperFromDst ? D : A;
      c.v8.copyWithin(R, U, U + 16);
      if (mbit(0)) lane!(c, 0, R, A, B, D, imm, env);
    } else if (lane) {
      for (let e = 0; e < nel; e++) if (mbit(e)) lane(c, e, R, A, B, D, imm, env);
    } else whole!(c, i, R, A, B, D, imm, nel, s);
    // a memory destination's #PF comes before an unmasked #XM (Zen 5 capture: sweep-vec
    // EVEX_Vcvtps2ph_xmmm128_k1z_ymm_imm8-mfsk-01, MXCSR 0x0F80, a selected word on the unmapped page: #PF)
    if (fp && i.memOp === 0) { const la = c.ea(i); for (let e = 0; e < nel; e++) if (mbit(e)) c.probe(la + e * esz, esz, 1); }
    if (fp) fpEnd(c);
    if (p.blend) {
      for (let e = 0; e < nel; e++) if (!mbit(e)) { if (i.z) c.v8.fill(0, R + e * esz, R + e * esz + esz); else c.v8.copyWithin(R + e * esz, A + e * esz, A + e * esz + esz); }
      ML = -1; MH = -1; loadMask2(nel);
    }
    if (i.memOp === 0) {
      if (p.storeWhole) c.probe(c.ea(i), nel * esz, 1);
      storeMasked(c, i, VTMP1, nel, esz, p.align ? s.msize : 0);
    }
    else if (scalar) {
      const v = c.v8, d = i.r0 * 64;
      if (mbit(0)) v.copyWithin(d, R, R + esz); else if (i.z) v.fill(0, d, d + esz); else v.copyWithin(d, D, D + esz);
      v.copyWithin(d + esz, R + esz, R + 16);
      v.fill(0, d + 16, d + 64);
      c.xmodified |= vecComponents(i.r0, 64);
    } else commitVec(c, i, i.r0, VTMP1, nel, esz);
  };
}
function loadMask2(nel: number): void {
  if (nel < 32) { ML &= (1 << nel) - 1; MH = 0; } else if (nel < 64) MH &= nel === 32 ? 0 : (1 << (nel - 32)) - 1;
}

/** Compare-into-opmask handler: bit e = pred(element e), ANDed with the write mask, zero above. */
export type PredFn = (c: Cpu, e: number, A: number, B: number, imm: number, env: FpEnv) => boolean;
export function cmpHandler(s: Shape, esz: number, pred: PredFn, fp: boolean, scalar = false): (c: Cpu, i: Insn) => void {
  const nel = scalar ? 1 : s.srcW / esz;
  const ssz = s.bsize || s.msize / nel;
  return (c, i) => {
    evexGate(c);
    loadMask(c, i, nel);
    const regs = [i.r0, i.r1, i.r2, i.r3];
    const A = regs[1] * 64;
    let B = NO_SRC;
    if (s.ops.length > 2 && s.ops[2] !== Op.Imm) {
      if (i.memOp === 2) {
        const n = s.bsize ? s.srcW / s.bsize : nel;
        loadSrc(c, i, VTMP0, n, ssz, true, s.msize);
        B = VTMP0 * 64;
      } else B = regs[2] * 64;
    } else if (i.memOp === 1) {
      const n = s.bsize ? s.srcW / s.bsize : nel;
      loadSrc(c, i, VTMP0, n, ssz, true, s.msize);
      return finish(c, i, VTMP0 * 64, NO_SRC);
    }
    return finish(c, i, A, B);
  };
  function finish(c: Cpu, i: Insn, A: number, B: number): void {
    const imm = i.imm & 255;
    if (fp) fpBegin(c, i);
    let lo = 0, hi = 0;
    for (let e = 0; e < nel; e++) {
      if (!mbit(e)) continue;
      if (pred(c, e, A, B, imm, env)) { if (e < 32) lo |= 1 << e; else hi |= 1 << (e - 32); }
    }
    if (fp) fpEnd(c);
    writeK(c, i.r0, lo, hi);
  }
}

// ------------------------------------------------------------------ registration
const registered = new Set<string>();
/** Registers `make(shape)` for every EVEX Code of mnemonic `mn` (optionally filtered by name). */
export function defineEvexWith(mn: string, make: (s: Shape) => (c: Cpu, i: Insn) => void, filter?: (name: string) => boolean, owner = 'avx512'): void {
  const names = EVEX_BY_MN.get(mn);
  if (!names) throw new Error(`avx512: no EVEX codes for ${mn}`);
  for (const name of names) {
    if (filter && !filter(name)) continue;
    if (registered.has(name)) continue;
    registered.add(name);
    const s = shapeOf(name);
    defineInsn(name, { owner, exec: make(s) });
  }
}
export function defineEvex(mn: string, spec: VecSpec | ((s: Shape) => VecSpec), filter?: (name: string) => boolean): void {
  defineEvexWith(mn, (s) => vecHandler(s, typeof spec === 'function' ? spec(s) : spec), filter);
}

// ------------------------------------------------------------------ lane builders
/** Integer element-wise binary op on typed views: f(a, b) for elements of size esz (signedness per view). */
export type View = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64';
export function viewOf(c: Cpu, v: View): Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array {
  switch (v) {
    case 'u8': return c.v8;
    case 'i8': return (c as unknown as { vi8: Int8Array }).vi8 ??= new Int8Array(c.vecBuf);
    case 'u16': return c.v16;
    case 'i16': return (c as unknown as { vi16: Int16Array }).vi16 ??= new Int16Array(c.vecBuf);
    case 'u32': return c.v32;
    default: return c.vi32;
  }
}
export const SIZE: Record<View, number> = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8 };
export function sv64(c: Cpu): BigInt64Array {
  return (c as unknown as { vs64: BigInt64Array }).vs64 ??= new BigInt64Array(c.vecBuf);
}

/** Lane from a number function over a 8/16/32-bit view (result stored through the same view). */
export function nlane(vw: View, f: (a: number, b: number, imm: number) => number): LaneFn {
  const sh = Math.log2(SIZE[vw]);
  return (c, e, R, A, B, _D, imm) => {
    const v = viewOf(c, vw);
    v[(R >> sh) + e] = f(v[(A >> sh) + e], v[(B >> sh) + e], imm);
  };
}
/** Lane from a BigInt function over 64-bit elements (signed or unsigned view). */
export function blane(signed: boolean, f: (a: bigint, b: bigint, imm: number) => bigint): LaneFn {
  return (c, e, R, A, B, _D, imm) => {
    const v = signed ? sv64(c) : c.v64;
    v[(R >> 3) + e] = BigInt.asUintN(64, f(v[(A >> 3) + e], v[(B >> 3) + e], imm)) as never;
  };
}
