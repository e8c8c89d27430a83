/**
 * Named CPUID feature bits, and the registry of what the emulator implements.
 *
 * API
 *   FEATURES: readonly FeatureBit[]           every bit either model sets in leaves 1, 7.0, 7.1,
 *                                             0xD.1 and 0x80000001 (plus a few well-known others)
 *   findFeature(name, leaf, subleaf, reg)     the row for `name` at that place, or undefined
 *   featureNames(): string[]                  all distinct names
 *   implementedFeatures: ReadonlySet<string>  what the emulator implements today
 *   markImplemented(...names)                 an ISA module registers its features at startup
 *   unmarkImplemented(...names)               the reverse (tests, or a "--mask" option)
 *   isImplemented(name)
 *   COMPONENT_OWNERS / componentEnabled(i)    which feature owns XSAVE state component i
 *   STATE_CAPABILITIES                        names without a CPUID bit that enable a component
 *   LEAF_OWNERS                               whole leaves owned by a feature (0x1D/0x1E: AMX)
 *
 * Policy: the models keep the real silicon figures; `cpuid()` (cpuid.ts) clears, at query time,
 * every bit whose feature is not in `implementedFeatures`, so the guest never sees an instruction
 * set the emulator lacks. A name may appear in more than one row: AMD mirrors many leaf-1 EDX bits
 * in 0x80000001 EDX (fpu, tsc, cmov, mmx, fxsr, ...), and one name masks all its rows.
 *
 * Names follow the JSON figure files (shared/conformance/cpu-*.json) where they name a bit, and
 * Linux's /proc/cpuinfo spelling otherwise (arch/x86/include/asm/cpufeatures.h), except `lzcnt`
 * (Linux: abm) and `ffxsr` (Linux: fxsr_opt), which the JSON / the brief spell that way.
 */

export type Reg = 'eax' | 'ebx' | 'ecx' | 'edx';

export interface FeatureBit {
  name: string;
  leaf: number;
  subleaf: number;
  reg: Reg;
  bit: number;
}

const L1 = 0x1;
const L7 = 0x7;
const LD = 0xd;
const LX1 = 0x80000001;

function row(name: string, leaf: number, subleaf: number, reg: Reg, bit: number): FeatureBit {
  return { name, leaf, subleaf, reg, bit };
}

/** Leaf 1 EDX; AMD mirrors the bits marked `m` in 0x80000001 EDX at the same position. */
const LEAF1_EDX: Array<[string, number, boolean]> = [
  ['fpu', 0, true], ['vme', 1, true], ['de', 2, true], ['pse', 3, true], ['tsc', 4, true],
  ['msr', 5, true], ['pae', 6, true], ['mce', 7, true], ['cx8', 8, true], ['apic', 9, true],
  ['sep', 11, false], ['mtrr', 12, true], ['pge', 13, true], ['mca', 14, true], ['cmov', 15, true],
  ['pat', 16, true], ['pse36', 17, true], ['clflush', 19, false], ['mmx', 23, true],
  ['fxsr', 24, true], ['sse', 25, false], ['sse2', 26, false], ['ss', 27, false], ['htt', 28, false],
];

const LEAF1_ECX: Array<[string, number]> = [
  ['sse3', 0], ['pclmulqdq', 1], ['monitor', 3], ['ssse3', 9], ['fma', 12], ['cx16', 13],
  ['pcid', 17], ['sse4_1', 19], ['sse4_2', 20], ['x2apic', 21], ['movbe', 22], ['popcnt', 23],
  ['tsc_deadline_timer', 24], ['aes', 25], ['xsave', 26], ['osxsave', 27], ['avx', 28],
  ['f16c', 29], ['rdrand', 30], ['hypervisor', 31],
];

const LEAF7_EBX: Array<[string, number]> = [
  ['fsgsbase', 0], ['tsc_adjust', 1], ['bmi1', 3], ['hle', 4], ['avx2', 5], ['fdp_excptn_only', 6],
  ['smep', 7], ['bmi2', 8], ['erms', 9], ['invpcid', 10], ['rtm', 11], ['fcs_fds_deprecated', 13],
  ['mpx', 14], ['avx512f', 16], ['avx512dq', 17], ['rdseed', 18], ['adx', 19], ['smap', 20],
  ['avx512ifma', 21], ['clflushopt', 23], ['clwb', 24], ['intel_pt', 25], ['avx512pf', 26],
  ['avx512er', 27], ['avx512cd', 28], ['sha_ni', 29], ['avx512bw', 30], ['avx512vl', 31],
];

const LEAF7_ECX: Array<[string, number]> = [
  ['avx512vbmi', 1], ['umip', 2], ['pku', 3], ['ospke', 4], ['waitpkg', 5], ['avx512_vbmi2', 6],
  ['cet_ss', 7], ['gfni', 8], ['vaes', 9], ['vpclmulqdq', 10], ['avx512_vnni', 11],
  ['avx512_bitalg', 12], ['avx512_vpopcntdq', 14], ['la57', 16], ['rdpid', 22],
  ['bus_lock_detect', 24], ['cldemote', 25], ['movdiri', 27], ['movdir64b', 28], ['enqcmd', 29],
  ['pks', 31],
];

const LEAF7_EDX: Array<[string, number]> = [
  ['fsrm', 4], ['uintr', 5], ['avx512_vp2intersect', 8], ['md_clear', 10], ['serialize', 14],
  ['hybrid', 15], ['tsxldtrk', 16], ['arch_lbr', 19], ['cet_ibt', 20], ['amx_bf16', 22],
  ['avx512_fp16', 23], ['amx_tile', 24], ['amx_int8', 25], ['spec_ctrl', 26], ['intel_stibp', 27],
  ['flush_l1d', 28], ['arch_capabilities', 29], ['core_capabilities', 30], ['spec_ctrl_ssbd', 31],
];

const LEAF7_1_EAX: Array<[string, number]> = [
  ['avx_vnni', 4], ['avx512_bf16', 5], ['fzrm', 10], ['fsrs', 11], ['fsrc', 12],
];

const LEAFD_1_EAX: Array<[string, number]> = [
  ['xsaveopt', 0], ['xsavec', 1], ['xgetbv_ecx1', 2], ['xsaves', 3], ['xfd', 4],
];

const EXT1_ECX: Array<[string, number]> = [
  ['lahf_lm', 0], ['cmp_legacy', 1], ['svm', 2], ['extapic', 3], ['cr8_legacy', 4], ['lzcnt', 5],
  ['sse4a', 6], ['misalignsse', 7], ['3dnowprefetch', 8], ['osvw', 9], ['ibs', 10], ['xop', 11],
  ['skinit', 12], ['wdt', 13], ['lwp', 15], ['fma4', 16], ['tce', 17], ['nodeid_msr', 19],
  ['tbm', 21], ['topoext', 22], ['perfctr_core', 23], ['perfctr_nb', 24], ['bpext', 26],
  ['ptsc', 27], ['perfctr_llc', 28], ['mwaitx', 29],
];

const EXT1_EDX_ONLY: Array<[string, number]> = [
  ['syscall', 11], ['nx', 20], ['mmxext', 22], ['ffxsr', 25], ['pdpe1gb', 26], ['rdtscp', 27],
  ['lm', 29], ['3dnowext', 30], ['3dnow', 31],
];

export const FEATURES: readonly FeatureBit[] = Object.freeze([
  ...LEAF1_EDX.map(([n, b]) => row(n, L1, 0, 'edx', b)),
  ...LEAF1_ECX.map(([n, b]) => row(n, L1, 0, 'ecx', b)),
  ...LEAF7_EBX.map(([n, b]) => row(n, L7, 0, 'ebx', b)),
  ...LEAF7_ECX.map(([n, b]) => row(n, L7, 0, 'ecx', b)),
  ...LEAF7_EDX.map(([n, b]) => row(n, L7, 0, 'edx', b)),
  ...LEAF7_1_EAX.map(([n, b]) => row(n, L7, 1, 'eax', b)),
  ...LEAFD_1_EAX.map(([n, b]) => row(n, LD, 1, 'eax', b)),
  ...EXT1_ECX.map(([n, b]) => row(n, LX1, 0, 'ecx', b)),
  ...LEAF1_EDX.filter(([, , m]) => m).map(([n, b]) => row(n, LX1, 0, 'edx', b)),
  ...EXT1_EDX_ONLY.map(([n, b]) => row(n, LX1, 0, 'edx', b)),
]);

const byPlace = new Map<string, FeatureBit>();
const byName = new Map<string, FeatureBit[]>();
for (const f of FEATURES) {
  const k = `${f.name}@${f.leaf}.${f.subleaf}.${f.reg}`;
  if (byPlace.has(k)) throw new Error(`features.ts: duplicate row ${k}`);
  byPlace.set(k, f);
  const list = byName.get(f.name) ?? [];
  list.push(f);
  byName.set(f.name, list);
}

/** The row for `name` in (leaf, subleaf, reg), or undefined. */
export function findFeature(name: string, leaf: number, subleaf: number, reg: Reg): FeatureBit | undefined {
  return byPlace.get(`${name}@${leaf}.${subleaf}.${reg}`);
}

/** Every row of a name (AMD mirror bits give some names two rows). */
export function featureRows(name: string): readonly FeatureBit[] {
  return byName.get(name) ?? [];
}

export function featureNames(): string[] {
  return [...byName.keys()];
}

/** Rows that live in (leaf, subleaf). */
export function featuresOfLeaf(leaf: number, subleaf: number): FeatureBit[] {
  return FEATURES.filter((f) => f.leaf === leaf && f.subleaf === subleaf);
}

/**
 * The starting set. Decisions beyond the brief's list:
 * - `sep` (SYSENTER/SYSEXIT) masked: the guest uses SYSCALL, there are no IA32_SYSENTER_* MSRs,
 *   and AMD parts do not run SYSENTER in long mode anyway.
 * - `mmx` masked: no module implements the MMX-register (mm0-7) instruction forms yet; the
 *   SSE module should markImplemented('mmx') when it does.
 * - `pae` advertised: long mode requires it and the 4-level walk is PAE-format paging.
 * - `hypervisor`, `fdp_excptn_only`, `fcs_fds_deprecated` advertised: they describe behaviour,
 *   not instructions (a virtual machine; how x87 pointers are saved, spec §3.1), and the
 *   x87/XSAVE code follows the model.
 * - `la57` masked: no 5-level page walk yet (the memory module can mark it). The models'
 *   80000008H linear width stays the part's (57 on SPR): spec §1.4 has the UINTR/XRSTORS
 *   canonical checks use the CPU's maximum width, which modules read from model.linearAddressBits.
 * - `htt` (genoa's leaf-1 EDX[28]) masked: topology is described by leaf 0BH from the vCPU count.
 * Everything else (AMX, ENQCMD, UINTR, XFD, CET, PT, LBR, the further AVX-512 sets, SHA, AES,
 * VAES, GFNI, RDRAND, RDSEED, ...) stays masked until its module calls markImplemented().
 */
const INITIAL_IMPLEMENTED = [
  'fpu', 'tsc', 'msr', 'pae', 'apic', 'cx8', 'cmov', 'clflush', 'fxsr', 'sse', 'sse2', 'sse3',
  'ssse3', 'sse4_1', 'sse4_2', 'popcnt', 'x2apic', 'movbe', 'xsave', 'osxsave', 'avx', 'avx2',
  'bmi1', 'bmi2', 'adx', 'lzcnt', 'fsgsbase', 'avx512f', 'avx512bw', 'avx512dq', 'avx512vl',
  'avx512cd', 'rdpid', 'rdtscp', 'syscall', 'nx', 'lm', 'pdpe1gb', 'cx16', 'xsaveopt', 'xsavec',
  'xgetbv_ecx1', 'xsaves', 'pku', 'ospke', 'f16c', 'fma',
  // Implemented by the core machine: the MMU's SMEP/SMAP checks, UMIP on SGDT/SIDT/SLDT/STR/SMSW,
  // CR4.PGE (global pages are flushed with the rest, which the SDM allows), CLFLUSHOPT/CLWB.
  'smep', 'smap', 'umip', 'pge', 'clflushopt', 'clwb', 'invpcid',
  'hypervisor', 'fdp_excptn_only', 'fcs_fds_deprecated',
] as const;

const implemented = new Set<string>(INITIAL_IMPLEMENTED);

/** What the emulator implements. Read-only view; change it with markImplemented(). */
export const implementedFeatures: ReadonlySet<string> = implemented;

/**
 * State-only capabilities: names an ISA module may mark implemented that have no CPUID feature bit
 * of their own. Each makes an XSAVE state component exist (COMPONENT_OWNERS) while the feature
 * that normally owns it stays unadvertised. isa-ext/xsave implements the supervisor components
 * PT (8), CET_U (11), CET_S (12) and Arch LBR (15) as plain MSR state so that IA32_XSS accepts
 * every bit of CPUID.(0DH,1):ECX the model has (spr-sample case xss/wrmsr-valid-dd00), although
 * Processor Trace, CET and Arch LBR themselves (CPUID.(7,0) bits) are not emulated.
 */
export const STATE_CAPABILITIES: readonly string[] = Object.freeze(['xstate_pt', 'xstate_cet', 'xstate_arch_lbr']);
const stateCaps = new Set(STATE_CAPABILITIES);

function checkName(name: string): void {
  if (!byName.has(name) && !stateCaps.has(name)) {
    throw new Error(`unknown CPUID feature '${name}' (see emulator/models/features.ts)`);
  }
}

/** Called by an ISA module at startup for each feature it implements. Unknown names throw. */
export function markImplemented(...names: string[]): void {
  for (const n of names) checkName(n);
  for (const n of names) implemented.add(n);
}

export function unmarkImplemented(...names: string[]): void {
  for (const n of names) checkName(n);
  for (const n of names) implemented.delete(n);
}

export function isImplemented(name: string): boolean {
  return implemented.has(name);
}

/** Restore the starting set (for tests). */
export function resetImplemented(): void {
  implemented.clear();
  for (const n of INITIAL_IMPLEMENTED) implemented.add(n);
}

/**
 * XSAVE state component -> features that own it (any one implemented enables the component).
 * Components 0/1 (x87, SSE) are the legacy region and always present with XSAVE.
 * A state-only capability (STATE_CAPABILITIES, `xstate_*`) also enables its component.
 * Bit 10 (PASID) belongs to ENQCMD: CPUID.(7,0):ECX[29] enumerates ENQCMD and IA32_PASID together
 * (spec §1.1). CET_U (11) holds IA32_U_CET and IA32_PL3_SSP, used by shadow stacks and by IBT.
 */
export const COMPONENT_OWNERS: Readonly<Record<number, readonly string[]>> = Object.freeze({
  0: ['fpu'],
  1: ['sse'],
  2: ['avx'],
  3: ['mpx'],
  4: ['mpx'],
  5: ['avx512f'],
  6: ['avx512f'],
  7: ['avx512f'],
  8: ['intel_pt', 'xstate_pt'],
  9: ['pku'],
  10: ['enqcmd'],
  11: ['cet_ss', 'cet_ibt', 'xstate_cet'],
  12: ['cet_ss', 'xstate_cet'],
  14: ['uintr'],
  15: ['arch_lbr', 'xstate_arch_lbr'],
  17: ['amx_tile'],
  18: ['amx_tile'],
});

/** Is XSAVE component i enabled by the implemented set? Unknown components: no. */
export function componentEnabled(i: number): boolean {
  const owners = COMPONENT_OWNERS[i];
  return owners !== undefined && owners.some((n) => implemented.has(n));
}

/** Whole leaves that exist only with a feature: AMX tile/TMUL enumeration (spec §19.2). */
export const LEAF_OWNERS: Readonly<Record<number, string>> = Object.freeze({
  0x1d: 'amx_tile',
  0x1e: 'amx_tile',
});
