// The model TOMLs agree with the figure files in shared/conformance (silicon / spec data, read
// here as JSON, not imported from our code).
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compactedSize,
  cpuid,
  featureNames,
  findFeature,
  loadModel,
  markImplemented,
  resetImplemented,
  signature,
  standardSize,
  type CpuModel,
  type Reg,
} from '../../emulator/models/index.ts';

const SHARED = '/work/shared/conformance';

interface Fig {
  vendor: string;
  brand: string;
  family: number;
  model: number;
  stepping: number;
  xcr0: string;
  mxcsr_mask: string;
  features: Record<string, Record<string, boolean>>;
  xsave: {
    xcr0_supported: string;
    xss_supported: string;
    size_for_xcr0: number;
    size_max: number;
    size_compacted_xcr0_xss: number;
    components: { index: number; size: number; offset: number; supervisor: boolean; align64: boolean; xfd: boolean }[];
  };
  cpuid: Record<string, Record<Reg, string>>;
}

const fig = (name: string): Fig => JSON.parse(readFileSync(`${SHARED}/cpu-${name}.json`, 'utf8')) as Fig;
const num = (s: string): number => Number.parseInt(s, 16) >>> 0;
const REGS: Reg[] = ['eax', 'ebx', 'ecx', 'edx'];

/** Where the JSON groups its named feature booleans ("leaf7" spans sub-leaves 0 and 1: avx512_bf16). */
const GROUP_LEAF: Record<string, [number, number][]> = {
  leaf1: [[1, 0]],
  leaf7: [[7, 0], [7, 1]],
  leaf_d_1: [[0xd, 1]],
  ext_80000001: [[0x80000001, 0]],
};

/** IA32_XSS under which each dump's CPUID.(0DH,1):EBX was taken (spec §19.1; genoa: 2472 = 0xE7|0x1800). */
const DUMP_XSS: Record<string, bigint> = { 'sapphire-rapids': 0x8400n /* PASID | Arch LBR */, genoa: 0x1800n };

afterEach(() => resetImplemented());

function allImplemented(): void {
  markImplemented(...featureNames());
}

for (const name of ['sapphire-rapids', 'genoa']) {
  describe(`${name}: TOML vs cpu-${name}.json`, () => {
    const j = fig(name);
    const m: CpuModel = loadModel(name);

    it('identity, MXCSR_MASK, signature', () => {
      expect(m.vendorString).toBe(j.vendor);
      expect(m.brand).toBe(j.brand);
      expect([m.family, m.model, m.stepping]).toEqual([j.family, j.model, j.stepping]);
      expect(m.mxcsrMask).toBe(num(j.mxcsr_mask));
      expect(signature(m.family, m.model, m.stepping)).toBe(num(j.cpuid['0x1']!.eax));
      expect(m.maxBasicLeaf).toBe(num(j.cpuid['0x0']!.eax));
      expect(m.maxExtendedLeaf).toBe(num(j.cpuid['0x80000000']!.eax));
    });

    it('XSAVE component table and supported masks', () => {
      expect(m.xsave.xcr0Supported).toBe(BigInt(j.xsave.xcr0_supported));
      expect(m.xsave.xssSupported).toBe(BigInt(j.xsave.xss_supported));
      expect(m.xsave.components.map(({ index, size, offset, supervisor, align64, xfd }) => ({ index, size, offset, supervisor, align64, xfd })))
        .toEqual([...j.xsave.components].sort((a, b) => a.index - b.index));
      const xcr0 = BigInt(j.xcr0);
      expect(standardSize(m, xcr0)).toBe(j.xsave.size_for_xcr0);
      expect(standardSize(m, m.xsave.xcr0Supported)).toBe(j.xsave.size_max);
      expect(compactedSize(m, xcr0 | m.xsave.xssSupported)).toBe(j.xsave.size_compacted_xcr0_xss);
    });

    it('named feature booleans of the JSON match the model bits', () => {
      allImplemented();
      // The JSON's state: OSXSAVE on (CR4 bit 18), PKE off (ospke false in both files).
      const dyn = { xcr0: BigInt(j.xcr0), cr4: 1 << 18, apicId: 0 };
      for (const [group, flags] of Object.entries(j.features)) {
        for (const [fname, want] of Object.entries(flags)) {
          const row = GROUP_LEAF[group]!
            .flatMap(([leaf, sub]) => REGS.map((r) => findFeature(fname, leaf, sub, r)))
            .find((x) => x !== undefined);
          expect(row, `${group}.${fname} has a row in features.ts`).toBeDefined();
          const regs = cpuid(m, row!.leaf, row!.subleaf, dyn);
          const got = ((regs[REGS.indexOf(row!.reg)]! >>> row!.bit) & 1) === 1;
          expect(got, `${group}.${fname}`).toBe(want);
        }
      }
    });

    it('every CPUID leaf in the JSON, with every feature implemented and the dump\'s live state', () => {
      allImplemented();
      const dyn = { xcr0: BigInt(j.xcr0), xss: DUMP_XSS[name]!, cr4: 1 << 18, apicId: 0, vcpuCount: 1 };
      for (const [key, regs] of Object.entries(j.cpuid)) {
        const [l, s] = key.split('.');
        const leaf = num(l!);
        const sub = s === undefined ? 0 : Number(s);
        const want = REGS.map((r) => num(regs[r]));
        expect(cpuid(m, leaf, sub, dyn).map((x) => '0x' + x.toString(16)), key).toEqual(want.map((x) => '0x' + x.toString(16)));
      }
    });

    it('the TOML keeps the raw figures for the static feature leaves (no masking in the data)', () => {
      for (const key of ['0x1', '0x7.0', '0x7.1', '0x80000001']) {
        const [l, s] = key.split('.');
        const leaf = num(l!);
        const k = s === undefined ? `${leaf}` : `${leaf}.${s}`;
        const raw = m.leaves.get(k);
        expect(raw, key).toBeDefined();
        expect([...raw!], key).toEqual(REGS.map((r) => num(j.cpuid[key]![r])));
      }
    });
  });
}

describe('address sizes (80000008H)', () => {
  it('sapphire-rapids: 57-bit linear (LA57), 46-bit physical, as the JSON says', () => {
    const m = loadModel('sapphire-rapids');
    expect(cpuid(m, 0x80000008, 0, { xcr0: 3n, cr4: 0, apicId: 0 })[0]).toBe((57 << 8) | 46);
  });
  it('genoa: not in its dump; 48/48 chosen (LA57 = 0 in its leaf 7)', () => {
    const m = loadModel('genoa');
    expect(num(fig('genoa').cpuid['0x7.0']!.ecx) & (1 << 16)).toBe(0);
    expect(cpuid(m, 0x80000008, 0, { xcr0: 3n, cr4: 0, apicId: 0 })[0]).toBe((48 << 8) | 48);
  });
});
