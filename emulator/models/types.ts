/**
 * Types of a loaded CPU model (emulator/models/<name>.toml, loaded by load.ts).
 *
 *   CpuModel        the model: identity, limits, XSAVE component table, static CPUID leaves
 *   XstateComponent one row of the XSAVE component table (CPUID.(0DH,i), i >= 2) - the single
 *                   source of truth for component sizes and offsets in the whole emulator
 *   CpuidRegs       [eax, ebx, ecx, edx] as uint32 numbers
 *   CpuidDyn        the live state CPUID depends on (XCR0, IA32_XSS, CR4, APIC id, vCPU count)
 *
 * A model is frozen after loading; it holds the real silicon/spec figures. Masking of features
 * the emulator does not implement happens at query time in cpuid.ts, never in the model.
 */

export type CpuidRegs = [eax: number, ebx: number, ecx: number, edx: number];

export type Vendor = 'intel' | 'amd';

export interface XstateComponent {
  /** Component number i (bit i of XCR0 / IA32_XSS), >= 2. */
  readonly index: number;
  /** Short name, e.g. "avx", "xtiledata". */
  readonly name: string;
  /** Bytes (CPUID.(0DH,i).EAX). */
  readonly size: number;
  /** Standard-format offset (CPUID.(0DH,i).EBX); 0 for supervisor components. */
  readonly offset: number;
  /** Managed by IA32_XSS (CPUID.(0DH,i).ECX[0]). */
  readonly supervisor: boolean;
  /** Starts on a 64-byte boundary in the compacted format (ECX[1]). */
  readonly align64: boolean;
  /** XFD-capable (ECX[2]). */
  readonly xfd: boolean;
}

export interface CpuModel {
  /** Model name = TOML file base name, e.g. "sapphire-rapids". */
  readonly name: string;
  /** Absolute path of the TOML it was loaded from. */
  readonly file: string;
  /** 12-character vendor string, e.g. "GenuineIntel". */
  readonly vendorString: string;
  readonly vendor: Vendor;
  readonly brand: string;
  readonly family: number;
  readonly model: number;
  readonly stepping: number;
  readonly maxBasicLeaf: number;
  readonly maxExtendedLeaf: number;
  readonly linearAddressBits: number;
  readonly physicalAddressBits: number;
  /** MXCSR_MASK as FXSAVE/XSAVE store it at byte 28 of the legacy region. */
  readonly mxcsrMask: number;
  readonly xsave: {
    /** CPUID.(0DH,0):EDX:EAX on the real part (before masking). */
    readonly xcr0Supported: bigint;
    /** CPUID.(0DH,1):EDX:ECX on the real part (before masking). */
    readonly xssSupported: bigint;
    /** Components i >= 2, sorted by index. Components 0 and 1 are the fixed legacy region. */
    readonly components: readonly XstateComponent[];
    /** CPUID.(0DH,1):EAX on the real part (XSAVEOPT, XSAVEC, XGETBV1, XSAVES, XFD). */
    readonly leafD1Eax: number;
  };
  /**
   * Static leaves from the TOML, keyed "leaf" or "leaf.subleaf" (hex-free decimal numbers).
   * Generated leaves (0, 0xB, 0xD, 0x1F, 0x80000000, 0x80000002-4, 0x80000008) are not here.
   */
  readonly leaves: ReadonlyMap<string, Readonly<CpuidRegs>>;
  /** Leaves whose TOML entries carry a sub-leaf (ECX-indexed). */
  readonly subleafLeaves: ReadonlySet<number>;
}

export interface CpuidDyn {
  /** Current XCR0. */
  xcr0: bigint | { lo: number; hi: number };
  /** Current IA32_XSS (default 0). */
  xss?: bigint | { lo: number; hi: number };
  /** Current CR4: OSXSAVE (bit 18) -> CPUID.1:ECX[27], PKE (bit 22) -> CPUID.(7,0):ECX[4]. */
  cr4: number;
  /** This vCPU's (x2)APIC id: CPUID.1:EBX[31:24] (low 8 bits) and CPUID.0BH/1FH:EDX. */
  apicId: number;
  /** Number of vCPUs in the machine (topology leaves 0BH/1FH). Default 1. */
  vcpuCount?: number;
}
