/**
 * CPUID as the guest sees it: the model's figures, the live state, and the feature mask.
 *
 *   cpuid(model, leaf, subleaf, dyn): CpuidRegs      [eax, ebx, ecx, edx], uint32 numbers
 *   standardSize(model, xcr0): number                XSAVE standard-format size for XCR0 (>= 576)
 *   compactedLayout(model, mask): {offsets, size}    compacted-format offsets for XCOMP_BV = mask
 *   compactedSize(model, mask): number               its size (spec §3.3)
 *   xstateComponent(model, i)                        the component row, or undefined
 *   enabledComponents(model)                         components the emulator exposes (unmasked)
 *   xcr0Supported(model) / xssSupported(model)       masked supported masks (XSETBV / WRMSR XSS)
 *   describeModel(model)                             { advertised, masked, xstate } for `x86emu cpus`
 *
 * Called from the CPUID instruction handler and from setup code only; never from the hot loop.
 *
 * Query-time rules:
 * - Feature registers (leaf 1 ECX/EDX, 7.0 EBX/ECX/EDX, 7.1, 0xD.1 EAX, 0x80000001 ECX/EDX) keep
 *   only bits whose feature (features.ts) is implemented. OSXSAVE = CR4[18] and OSPKE = CR4[22],
 *   each only while XSAVE / PKU is advertised.
 * - Leaf 0xD is generated from the component table; components whose owning feature is masked
 *   vanish from 0xD.0 EAX/EDX, 0xD.1 ECX/EDX and their sub-leaves (all-zero); ECX[2] (XFD) of a
 *   sub-leaf is cleared while `xfd` is masked. 0xD.0 EBX and 0xD.1 EBX are computed from the live
 *   XCR0 and XCR0|XSS (restricted to the model's components) - they are not constants (§19.1).
 * - Leaf 1 EBX[31:24] = apicId & 0xff. Leaves 0BH (and 1FH on Intel) describe one thread per core
 *   and `vcpuCount` cores in one package; EDX = apicId. Leaf 1 EBX[23:16] keeps the model figure.
 * - Leaves 0, 80000000H (AMD repeats the vendor there; Intel returns zeros in EBX..EDX),
 *   80000002H-80000004H (brand string) and 80000008H EAX (physical | linear << 8) come from
 *   the model's scalar keys. 1DH/1EH are all-zero while amx_tile is masked.
 * - A leaf above the maximum (basic or extended range): Intel returns the data of the highest
 *   basic leaf (SDM vol. 2A CPUID, "If a value entered for CPUID.EAX is higher than the maximum
 *   input value ..."); AMD returns all zeros (APM vol. 3, CPUID: "reserved ... return 0").
 * - A leaf in range with no data, or a sub-leaf not listed, returns zeros.
 */

import {
  FEATURES,
  LEAF_OWNERS,
  componentEnabled,
  featureNames,
  isImplemented,
  type Reg,
} from './features.ts';
import { FEATURE_REGS } from './load.ts';
import type { CpuModel, CpuidDyn, CpuidRegs, XstateComponent } from './types.ts';

const CR4_OSXSAVE = 1 << 18;
const CR4_PKE = 1 << 22;
const REG_INDEX: Record<Reg, number> = { eax: 0, ebx: 1, ecx: 2, edx: 3 };

function toBig(v: bigint | { lo: number; hi: number } | undefined): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'bigint') return BigInt.asUintN(64, v);
  return (BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0);
}

const lo32 = (v: bigint): number => Number(v & 0xffffffffn);
const hi32 = (v: bigint): number => Number((v >> 32n) & 0xffffffffn);

// ---------------------------------------------------------------------------------------------
// XSAVE component table helpers (the only place sizes/offsets are derived)

export function xstateComponent(model: CpuModel, i: number): XstateComponent | undefined {
  return model.xsave.components.find((c) => c.index === i);
}

/** Components of the model the emulator exposes (owning feature implemented). */
export function enabledComponents(model: CpuModel): XstateComponent[] {
  return model.xsave.components.filter((c) => componentEnabled(c.index));
}

function enabledMask(model: CpuModel): bigint {
  let m = 3n; // x87 and SSE: the legacy region, present whenever XSAVE is
  for (const c of enabledComponents(model)) m |= 1n << BigInt(c.index);
  return m;
}

/** CPUID.(0DH,0):EDX:EAX as the guest sees it: the XCR0 bits XSETBV may set. */
export function xcr0Supported(model: CpuModel): bigint {
  return model.xsave.xcr0Supported & enabledMask(model);
}

/** CPUID.(0DH,1):EDX:ECX as the guest sees it: the IA32_XSS bits WRMSR may set. */
export function xssSupported(model: CpuModel): bigint {
  return model.xsave.xssSupported & enabledMask(model);
}

/** Standard-format size for `xcr0`: max(576, max over user components in xcr0 of offset+size). */
export function standardSize(model: CpuModel, xcr0: bigint): number {
  let size = 576;
  for (const c of model.xsave.components) {
    if (!c.supervisor && (xcr0 >> BigInt(c.index)) & 1n) size = Math.max(size, c.offset + c.size);
  }
  return size;
}

/** Compacted-format layout for XCOMP_BV[62:0] = `mask` (spec §3.3). Bits without a component are ignored. */
export function compactedLayout(model: CpuModel, mask: bigint): { offsets: Map<number, number>; size: number } {
  const offsets = new Map<number, number>();
  let off = 576;
  for (const c of model.xsave.components) {
    if (!((mask >> BigInt(c.index)) & 1n)) continue;
    if (c.align64) off = (off + 63) & ~63;
    offsets.set(c.index, off);
    off += c.size;
  }
  return { offsets, size: off };
}

export function compactedSize(model: CpuModel, mask: bigint): number {
  return compactedLayout(model, mask).size;
}

// ---------------------------------------------------------------------------------------------

function vendorRegs(s: string): [number, number, number] {
  const w = (i: number): number => (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24)) >>> 0;
  return [w(0), w(4), w(8)]; // EBX, EDX, ECX order: "Genu" "ineI" "ntel"
}

function brandRegs(brand: string, part: number): CpuidRegs {
  const bytes = new Uint8Array(48);
  for (let i = 0; i < brand.length && i < 47; i++) bytes[i] = brand.charCodeAt(i) & 0xff;
  const dv = new DataView(bytes.buffer, part * 16, 16);
  return [dv.getUint32(0, true), dv.getUint32(4, true), dv.getUint32(8, true), dv.getUint32(12, true)];
}

/** Bits of the model's raw value in a feature register, restricted to implemented features. */
function maskFeatures(leaf: number, subleaf: number, reg: Reg, raw: number): number {
  let out = 0;
  for (const f of FEATURES) {
    if (f.leaf === leaf && f.subleaf === subleaf && f.reg === reg && (raw >>> f.bit) & 1 && isImplemented(f.name)) {
      out |= 1 << f.bit;
    }
  }
  return out >>> 0;
}

/** The model's static figures for (leaf, subleaf) before masking, or zeros. */
function rawLeaf(model: CpuModel, leaf: number, subleaf: number): CpuidRegs {
  const key = model.subleafLeaves.has(leaf) ? `${leaf}.${subleaf}` : `${leaf}`;
  const v = model.leaves.get(key);
  return v ? [v[0], v[1], v[2], v[3]] : [0, 0, 0, 0];
}

function hasRawFeature(model: CpuModel, name: string): boolean {
  for (const f of FEATURES) {
    if (f.name !== name) continue;
    const r = f.leaf === 0xd ? [model.xsave.leafD1Eax, 0, 0, 0] : rawLeaf(model, f.leaf, f.subleaf);
    if ((r[REG_INDEX[f.reg]]! >>> f.bit) & 1) return true;
  }
  return false;
}

/** Is `name` advertised to the guest (the model has it and the emulator implements it)? */
function advertised(model: CpuModel, name: string): boolean {
  return isImplemented(name) && hasRawFeature(model, name);
}

function inRange(model: CpuModel, leaf: number): boolean {
  return leaf <= model.maxBasicLeaf || (leaf >= 0x80000000 && leaf <= model.maxExtendedLeaf);
}

function topology(subleaf: number, dyn: CpuidDyn): CpuidRegs {
  const n = Math.max(1, dyn.vcpuCount ?? 1);
  const apic = dyn.apicId >>> 0;
  if (subleaf === 0) return [0, 1, (1 << 8) | 0, apic]; // SMT level: one thread per core
  if (subleaf === 1) {
    const shift = n <= 1 ? 0 : 32 - Math.clz32(n - 1); // bits of x2APIC id below the package
    return [shift, n & 0xffff, (2 << 8) | 1, apic]; // core level: n cores per package
  }
  return [0, 0, subleaf & 0xff, apic]; // invalid level
}

function leafD(model: CpuModel, subleaf: number, dyn: CpuidDyn): CpuidRegs {
  if (!advertised(model, 'xsave')) return [0, 0, 0, 0];
  const xcr0Sup = xcr0Supported(model);
  const xssSup = xssSupported(model);
  if (subleaf === 0) {
    const xcr0 = toBig(dyn.xcr0) & model.xsave.xcr0Supported;
    return [lo32(xcr0Sup), standardSize(model, xcr0), standardSize(model, xcr0Sup), hi32(xcr0Sup)];
  }
  if (subleaf === 1) {
    const all = (toBig(dyn.xcr0) & model.xsave.xcr0Supported) | (toBig(dyn.xss) & model.xsave.xssSupported);
    const eax = maskFeatures(0xd, 1, 'eax', model.xsave.leafD1Eax);
    return [eax, compactedSize(model, all), lo32(xssSup), hi32(xssSup)];
  }
  if (subleaf >= 63) return [0, 0, 0, 0];
  const c = xstateComponent(model, subleaf);
  if (!c || !componentEnabled(c.index)) return [0, 0, 0, 0];
  const xfd = c.xfd && advertised(model, 'xfd');
  const ecx = (c.supervisor ? 1 : 0) | (c.align64 ? 2 : 0) | (xfd ? 4 : 0);
  return [c.size, c.supervisor ? 0 : c.offset, ecx, 0];
}

/** CPUID(leaf, subleaf) for a vCPU whose live state is `dyn`. */
export function cpuid(model: CpuModel, leaf: number, subleaf: number, dyn: CpuidDyn): CpuidRegs {
  leaf >>>= 0;
  subleaf >>>= 0;
  if (!inRange(model, leaf)) {
    if (model.vendor === 'amd') return [0, 0, 0, 0];
    leaf = model.maxBasicLeaf;
  }
  let r: CpuidRegs;
  switch (leaf) {
    case 0x0: {
      const [b, d, c] = vendorRegs(model.vendorString);
      return [model.maxBasicLeaf >>> 0, b, c, d];
    }
    case 0x80000000: {
      if (model.vendor === 'intel') return [model.maxExtendedLeaf >>> 0, 0, 0, 0];
      const [b, d, c] = vendorRegs(model.vendorString);
      return [model.maxExtendedLeaf >>> 0, b, c, d];
    }
    case 0x80000002:
    case 0x80000003:
    case 0x80000004:
      return brandRegs(model.brand, leaf - 0x80000002);
    case 0x80000008:
      return [(model.physicalAddressBits | (model.linearAddressBits << 8)) >>> 0, 0, 0, 0];
    case 0xb:
    case 0x1f:
      return topology(subleaf, dyn);
    case 0xd:
      return leafD(model, subleaf, dyn);
    default:
      r = rawLeaf(model, leaf, subleaf);
  }
  const owner = LEAF_OWNERS[leaf];
  if (owner !== undefined && !advertised(model, owner)) return [0, 0, 0, 0];

  const sub = model.subleafLeaves.has(leaf) ? subleaf : 0;
  for (const reg of ['eax', 'ebx', 'ecx', 'edx'] as const) {
    if (FEATURE_REGS.has(`${leaf}.${sub}.${reg}`)) {
      r[REG_INDEX[reg]] = maskFeatures(leaf, sub, reg, r[REG_INDEX[reg]]!);
    }
  }
  if (leaf === 1) {
    r[1] = ((r[1] & 0x00ffffff) | ((dyn.apicId & 0xff) << 24)) >>> 0;
    const osxsave = advertised(model, 'xsave') && isImplemented('osxsave') && (dyn.cr4 & CR4_OSXSAVE) !== 0;
    r[2] = osxsave ? (r[2] | (1 << 27)) >>> 0 : (r[2] & ~(1 << 27)) >>> 0;
  } else if (leaf === 7 && sub === 0) {
    const ospke = advertised(model, 'pku') && isImplemented('ospke') && (dyn.cr4 & CR4_PKE) !== 0;
    r[2] = ospke ? (r[2] | (1 << 4)) >>> 0 : (r[2] & ~(1 << 4)) >>> 0;
  }
  return r;
}

// ---------------------------------------------------------------------------------------------

export interface ModelDescription {
  /** Feature names the model has and the guest sees (dynamic OSXSAVE/OSPKE counted with XSAVE/PKU). */
  advertised: string[];
  /** Feature names the real part has and the emulator masks. */
  masked: string[];
  /** XSAVE components as "i name", split the same way. */
  xstate: { advertised: string[]; masked: string[] };
}

/** What `x86emu cpus NAME` prints: the model's features split into advertised and masked. */
export function describeModel(model: CpuModel): ModelDescription {
  const advertisedList: string[] = [];
  const masked: string[] = [];
  for (const name of featureNames()) {
    let has = hasRawFeature(model, name);
    if (name === 'osxsave') has = hasRawFeature(model, 'xsave');
    if (name === 'ospke') has = hasRawFeature(model, 'pku');
    if (!has) continue;
    (isImplemented(name) ? advertisedList : masked).push(name);
  }
  const xa: string[] = [];
  const xm: string[] = [];
  for (const c of model.xsave.components) {
    const label = `${c.index} ${c.name}`;
    (componentEnabled(c.index) ? xa : xm).push(label);
  }
  return { advertised: advertisedList, masked, xstate: { advertised: xa, masked: xm } };
}
