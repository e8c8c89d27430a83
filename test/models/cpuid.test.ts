// CPUID at query time: feature masking, CR4-driven bits, APIC id / topology, vendor rules.
import { afterEach, describe, expect, it } from 'vitest';
import {
  cpuid,
  describeModel,
  implementedFeatures,
  isImplemented,
  loadModel,
  markImplemented,
  parseModel,
  resetImplemented,
  unmarkImplemented,
  xcr0Supported,
  xssSupported,
  type CpuidDyn,
} from '../../emulator/models/index.ts';
import { readFileSync } from 'node:fs';

afterEach(() => resetImplemented());

const spr = loadModel('sapphire-rapids');
const genoa = loadModel('genoa');
const CR4_OSXSAVE = 1 << 18;
const CR4_PKE = 1 << 22;
const dyn = (over: Partial<CpuidDyn> = {}): CpuidDyn => ({ xcr0: 0x2e7n, xss: 0n, cr4: CR4_OSXSAVE, apicId: 0, vcpuCount: 1, ...over });
const bit = (v: number, b: number) => (v >>> b) & 1;

describe('feature masking', () => {
  it('the default model is sapphire-rapids', () => {
    expect(loadModel()).toBe(spr);
  });

  it('an unimplemented feature is cleared; marking it implemented sets it', () => {
    // AMX-TILE: CPUID.(7,0):EDX[24]; SHA: EBX[29]; AES: 1:ECX[25]; ENQCMD: 7.0:ECX[29]; UINTR: EDX[5]
    let r = cpuid(spr, 7, 0, dyn());
    expect(bit(r[3], 24)).toBe(0);
    expect(bit(r[3], 5)).toBe(0);
    expect(bit(r[2], 29)).toBe(0);
    expect(bit(r[1], 29)).toBe(0);
    expect(bit(cpuid(spr, 1, 0, dyn())[2], 25)).toBe(0);
    markImplemented('amx_tile', 'uintr', 'enqcmd', 'sha_ni', 'aes');
    r = cpuid(spr, 7, 0, dyn());
    expect(bit(r[3], 24)).toBe(1);
    expect(bit(r[3], 5)).toBe(1);
    expect(bit(r[2], 29)).toBe(1);
    expect(bit(r[1], 29)).toBe(1);
    expect(bit(cpuid(spr, 1, 0, dyn())[2], 25)).toBe(1);
    unmarkImplemented('aes');
    expect(bit(cpuid(spr, 1, 0, dyn())[2], 25)).toBe(0);
  });

  it('marking a feature the model lacks does not set it (genoa has no AMX)', () => {
    markImplemented('amx_tile');
    expect(bit(cpuid(genoa, 7, 0, dyn({ xcr0: 0xe7n }))[3], 24)).toBe(0);
  });

  it('implemented features the brief names are advertised on SPR', () => {
    const r1 = cpuid(spr, 1, 0, dyn());
    for (const b of [0, 9, 12, 13, 19, 20, 21, 22, 23, 26, 28, 29]) expect(bit(r1[2], b), `1:ECX[${b}]`).toBe(1);
    for (const b of [0, 4, 5, 8, 9, 15, 19, 24, 25, 26]) expect(bit(r1[3], b), `1:EDX[${b}]`).toBe(1);
    expect(bit(r1[3], 11)).toBe(0); // SEP: masked (decision in features.ts)
    expect(bit(r1[3], 23)).toBe(0); // MMX: masked until the MMX forms exist
    const r7 = cpuid(spr, 7, 0, dyn());
    for (const b of [0, 3, 5, 8, 16, 17, 19, 28, 30, 31]) expect(bit(r7[1], b), `7:EBX[${b}]`).toBe(1);
    expect(bit(r7[2], 22)).toBe(1); // RDPID
    expect(bit(r7[2], 3)).toBe(1); // PKU
    const x1 = cpuid(spr, 0x80000001, 0, dyn());
    expect(bit(x1[2], 5)).toBe(1); // LZCNT
    for (const b of [11, 20, 26, 27, 29]) expect(bit(x1[3], b), `80000001:EDX[${b}]`).toBe(1);
  });

  it('unknown feature names are refused', () => {
    expect(() => markImplemented('avx1024')).toThrow(/unknown CPUID feature 'avx1024'/);
  });

  it('AMD mirror bits in 80000001H:EDX follow the same name', () => {
    expect(bit(cpuid(genoa, 0x80000001, 0, dyn({ xcr0: 0xe7n }))[3], 23)).toBe(0); // mmx mirror masked
    markImplemented('mmx');
    expect(bit(cpuid(genoa, 0x80000001, 0, dyn({ xcr0: 0xe7n }))[3], 23)).toBe(1);
    expect(bit(cpuid(genoa, 1, 0, dyn({ xcr0: 0xe7n }))[3], 23)).toBe(1);
  });
});

describe('XSAVE components follow their features', () => {
  it('AMX: XCR0 bits 17/18 and sub-leaves 17/18 appear only with amx_tile; XFD with xfd', () => {
    expect(cpuid(spr, 0xd, 0, dyn())[0]).toBe(0x2e7);
    expect(cpuid(spr, 0xd, 17, dyn())).toEqual([0, 0, 0, 0]);
    expect(cpuid(spr, 0xd, 18, dyn())).toEqual([0, 0, 0, 0]);
    markImplemented('amx_tile');
    expect(cpuid(spr, 0xd, 0, dyn())[0]).toBe(0x602e7);
    expect(cpuid(spr, 0xd, 17, dyn())).toEqual([64, 2752, 2, 0]);
    expect(cpuid(spr, 0xd, 18, dyn())).toEqual([8192, 2816, 2, 0]); // ECX[2] XFD cleared: xfd masked
    expect(bit(cpuid(spr, 0xd, 1, dyn())[0], 4)).toBe(0);
    markImplemented('xfd');
    expect(cpuid(spr, 0xd, 18, dyn())).toEqual([8192, 2816, 6, 0]);
    expect(bit(cpuid(spr, 0xd, 1, dyn())[0], 4)).toBe(1);
  });

  it('supervisor components: PT 8, PASID 10, CET 11/12, UINTR 14, LBR 15', () => {
    expect(cpuid(spr, 0xd, 1, dyn())[2]).toBe(0); // all masked by default
    expect(xssSupported(spr)).toBe(0n);
    const cases: [string, number][] = [['intel_pt', 8], ['enqcmd', 10], ['uintr', 14], ['arch_lbr', 15]];
    let want = 0;
    for (const [f, i] of cases) {
      expect(cpuid(spr, 0xd, i, dyn())).toEqual([0, 0, 0, 0]);
      markImplemented(f);
      want |= 1 << i;
      expect(cpuid(spr, 0xd, 1, dyn())[2]).toBe(want);
      expect(cpuid(spr, 0xd, i, dyn())[2]).toBe(1); // supervisor
    }
    markImplemented('cet_ibt'); // CET_U only (IBT uses IA32_U_CET; CET_S needs shadow stacks)
    expect(cpuid(spr, 0xd, 1, dyn())[2]).toBe(want | 0x800);
    markImplemented('cet_ss');
    expect(cpuid(spr, 0xd, 1, dyn())[2]).toBe(0xdd00);
    expect(xssSupported(spr)).toBe(0xdd00n);
  });

  it('PKRU (9) follows pku', () => {
    expect(xcr0Supported(spr)).toBe(0x2e7n);
    unmarkImplemented('pku');
    expect(xcr0Supported(spr)).toBe(0xe7n);
    expect(cpuid(spr, 0xd, 9, dyn())).toEqual([0, 0, 0, 0]);
    expect(cpuid(spr, 0xd, 0, dyn({ xcr0: 0xe7n }))[2]).toBe(2688); // max size without PKRU
  });

  it('unsupported sub-leaves are zero', () => {
    for (const i of [3, 4, 13, 16, 19, 40, 63, 64]) expect(cpuid(spr, 0xd, i, dyn())).toEqual([0, 0, 0, 0]);
  });

  it('AMX leaves 1DH/1EH are zero while amx_tile is masked', () => {
    expect(cpuid(spr, 0x1d, 1, dyn())).toEqual([0, 0, 0, 0]);
    markImplemented('amx_tile');
    expect(cpuid(spr, 0x1d, 0, dyn())).toEqual([1, 0, 0, 0]);
    expect(cpuid(spr, 0x1d, 1, dyn())).toEqual([0x04002000, 0x00080040, 0x10, 0]);
    expect(cpuid(spr, 0x1d, 2, dyn())).toEqual([0, 0, 0, 0]);
    expect(cpuid(spr, 0x1e, 0, dyn())).toEqual([0, 0x4010, 0, 0]);
  });
});

describe('bits that follow CR4', () => {
  it('OSXSAVE = CR4.OSXSAVE (bit 18) -> CPUID.1:ECX[27]', () => {
    expect(bit(cpuid(spr, 1, 0, dyn({ cr4: CR4_OSXSAVE }))[2], 27)).toBe(1);
    expect(bit(cpuid(spr, 1, 0, dyn({ cr4: 0 }))[2], 27)).toBe(0);
    expect(bit(cpuid(genoa, 1, 0, dyn({ cr4: 0 }))[2], 27)).toBe(0);
    expect(bit(cpuid(genoa, 1, 0, dyn({ cr4: 0x40620 }))[2], 27)).toBe(1);
  });
  it('OSPKE = CR4.PKE (bit 22) -> CPUID.(7,0):ECX[4], only where PKU is advertised', () => {
    expect(bit(cpuid(spr, 7, 0, dyn({ cr4: CR4_PKE }))[2], 4)).toBe(1);
    expect(bit(cpuid(spr, 7, 0, dyn({ cr4: 0 }))[2], 4)).toBe(0);
    expect(bit(cpuid(genoa, 7, 0, dyn({ cr4: CR4_PKE }))[2], 4)).toBe(0); // genoa dump: no PKU
    unmarkImplemented('pku');
    expect(bit(cpuid(spr, 7, 0, dyn({ cr4: CR4_PKE }))[2], 4)).toBe(0);
  });
});

describe('APIC id and topology', () => {
  it('leaf 1 EBX[31:24] = APIC id; the rest of EBX is the model figure', () => {
    expect(cpuid(spr, 1, 0, dyn({ apicId: 5 }))[1]).toBe(0x05010800);
    expect(cpuid(genoa, 1, 0, dyn({ apicId: 0x12 }))[1]).toBe(0x12020800);
    expect(cpuid(spr, 1, 0, dyn({ apicId: 0x1ff }))[1] >>> 24).toBe(0xff); // low 8 bits
  });
  it('leaf 0BH / 1FH: EDX = x2APIC id, one thread per core, vcpuCount cores', () => {
    const d = dyn({ apicId: 0x1ff, vcpuCount: 6 });
    expect(cpuid(spr, 0xb, 0, d)).toEqual([0, 1, 0x100, 0x1ff]);
    expect(cpuid(spr, 0xb, 1, d)).toEqual([3, 6, 0x201, 0x1ff]); // ceil(log2 6) = 3
    expect(cpuid(spr, 0xb, 2, d)).toEqual([0, 0, 2, 0x1ff]);
    expect(cpuid(spr, 0x1f, 1, d)).toEqual([3, 6, 0x201, 0x1ff]);
    expect(cpuid(genoa, 0xb, 0, d)[3]).toBe(0x1ff);
    expect(cpuid(spr, 0xb, 1, dyn({ vcpuCount: 1 }))[0]).toBe(0);
  });
});

describe('vendor rules', () => {
  it('leaf 0 / 80000000H / brand string', () => {
    const txt = (regs: number[]) => String.fromCharCode(...regs.flatMap((r) => [r & 0xff, (r >>> 8) & 0xff, (r >>> 16) & 0xff, r >>> 24]));
    const v = (m: typeof spr) => { const r = cpuid(m, 0, 0, dyn()); return txt([r[1], r[3], r[2]]); };
    expect(v(spr)).toBe('GenuineIntel');
    expect(v(genoa)).toBe('AuthenticAMD');
    expect(cpuid(spr, 0x80000000, 0, dyn())).toEqual([0x80000008, 0, 0, 0]);
    const brand = [0x80000002, 0x80000003, 0x80000004].map((l) => txt(cpuid(spr, l, 0, dyn()))).join('').replace(/\0+$/, '');
    expect(brand).toBe('Intel Xeon (Sapphire Rapids)');
  });
  it('AMD: leaves above the maximum return zeros', () => {
    expect(cpuid(genoa, 0x1d, 0, dyn())).toEqual([0, 0, 0, 0]);
    expect(cpuid(genoa, 0x1f, 0, dyn())).toEqual([0, 0, 0, 0]); // above max basic 1CH
    expect(cpuid(genoa, 0x80000022, 0, dyn())).toEqual([0, 0, 0, 0]);
  });
  it('Intel: leaves above the maximum return the highest basic leaf', () => {
    // A variant of the SPR model with max basic leaf 1EH, so the highest basic leaf has data.
    const text = readFileSync(spr.file, 'utf8').replace('max_basic_leaf = 0x20', 'max_basic_leaf = 0x1e');
    const m = parseModel(text, spr.file);
    markImplemented('amx_tile');
    expect(cpuid(m, 0x1e, 0, dyn())).toEqual([0, 0x4010, 0, 0]);
    expect(cpuid(m, 0x1f, 0, dyn())).toEqual([0, 0x4010, 0, 0]);
    expect(cpuid(m, 0x40000000, 0, dyn())).toEqual([0, 0x4010, 0, 0]);
    expect(cpuid(m, 0x80000009, 0, dyn())).toEqual([0, 0x4010, 0, 0]);
    expect(cpuid(spr, 0x21, 0, dyn())).toEqual([0, 0, 0, 0]); // the real SPR's leaf 20H is empty here
  });
});

describe('describeModel', () => {
  it('splits each model\'s features into advertised and masked', () => {
    const d = describeModel(spr);
    expect(d.advertised).toContain('avx512f');
    expect(d.advertised).toContain('xsaves');
    expect(d.masked).toEqual(expect.arrayContaining(['amx_tile', 'amx_int8', 'amx_bf16', 'enqcmd', 'uintr', 'xfd', 'cet_ss', 'cet_ibt', 'intel_pt', 'arch_lbr', 'sha_ni', 'aes', 'vaes', 'gfni', 'rdrand', 'rdseed', 'avx512_fp16', 'avx512_vnni']));
    expect(d.advertised.filter((n) => d.masked.includes(n))).toEqual([]);
    expect(d.xstate.masked).toEqual(['8 pt', '10 pasid', '11 cet_u', '12 cet_s', '14 uintr', '15 arch_lbr', '17 xtilecfg', '18 xtiledata']);
    markImplemented('amx_tile');
    const d2 = describeModel(spr);
    expect(d2.advertised).toContain('amx_tile');
    expect(d2.xstate.advertised).toContain('18 xtiledata');
    // Every advertised name is in the implemented set, and a feature the model lacks is in neither list.
    for (const n of d2.advertised) expect(implementedFeatures.has(n)).toBe(true);
    const g = describeModel(genoa);
    expect([...g.advertised, ...g.masked]).not.toContain('amx_tile');
    expect(isImplemented('amx_tile')).toBe(true);
  });
});

describe('cpusReport (text of `x86emu cpus [NAME]`)', async () => {
  const { cpusReport } = await import('../../emulator/models/index.ts');
  it('lists every model with what it advertises and masks', () => {
    const all = cpusReport();
    expect(all).toContain('sapphire-rapids (default)');
    expect(all).toMatch(/^genoa: AMD EPYC/m);
    const one = cpusReport('sapphire-rapids');
    expect(one).not.toContain('genoa');
    expect(one).toMatch(/masks \(\d+\):\n[\s\S]*amx_tile/);
    expect(one).toContain('xsave components masked: 8 pt, 10 pasid');
    expect(() => cpusReport('k6')).toThrow(/known models: genoa, sapphire-rapids/);
  });
});
