/**
 * Unit tests of isa-ext/xsave beyond the conformance files: the component
 * table API, the XINUSE decision (Intel "loaded" bit vs AMD values), markInit,
 * #UD when a CPUID bit is masked (not expressible in the case format), CPUID
 * leaf 0DH EBX following XCR0/IA32_XSS, and the hot path staying allocation-free.
 * Expected values come from the spec (§2, §3.3, §4, §5, §19.1), not the emulator.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { setupCase } from '../../emulator/conform/setup.ts';
import { parseCaseFile } from '../../emulator/conform/format.ts';
import { decodeOne } from '../../emulator/cpu/decode.ts';
import { resetImplemented, unmarkImplemented, cpuid } from '../../emulator/models/index.ts';
import { registerXstateComponent, xstateRow, markInit, xinuse, geometry } from '../../isa-ext/xsave/index.ts';
import { loadModel } from '../../emulator/models/index.ts';
import type { Cpu } from '../../emulator/cpu/cpu.ts';

afterEach(() => resetImplemented());

function machine(cpu = 'sapphire-rapids', xcr0 = '0x2e7', cpl = 3, xss = '0x0') {
  const doc = parseCaseFile(JSON.stringify({ format: 'x86-conformance/1', cases: [{ name: 't', cpl, xcr0, xss,
    regs: { rax: '0xffffffff', rdx: '0xffffffff', rdi: '0x20000040' },
    memory: [{ addr: '0x20000000', hex: '00'.repeat(8192) }], code_addr: '0x10000000', code: 'cc', expect: { stop: { vector: 3 } } }] }), 't');
  return setupCase(doc.cases[0], cpu);
}
function exec(c: Cpu, hex: string): unknown {
  const i = decodeOne(Buffer.from(hex, 'hex'));
  try { i.exec(c, i); return null; } catch (e) { return e; }
}
const XRSTOR64 = '480fae2f', XSAVE64 = '480fae27';
/** Writes a standard-form header at the area (0x20000040). */
function header(cm: ReturnType<typeof machine>, bv: number): void {
  const pa = cm.mapper.phys(0x20000040 + 512)!;
  cm.m.mem.dv.setUint32(pa, bv, true);
}

describe('component table', () => {
  it('has rows 0-2, 5-9, 11, 12, 15 and rejects a second row for a component', () => {
    machine();
    for (const i of [0, 1, 2, 5, 6, 7, 8, 9, 11, 12, 15]) expect(xstateRow(i), `row ${i}`).toBeDefined();
    for (const i of [10, 14, 17, 18]) expect(xstateRow(i), `row ${i} belongs to a later issue`).toBeUndefined();
    expect(() => registerXstateComponent({ ...xstateRow(2)!, name: 'dup' })).toThrow(/registered twice/);
  });
  it('compacted layout follows spec §3.3 (SPR worked example: XCR0|XSS = 0xdd03 is 1608 bytes)', () => {
    const g = geometry(loadModel('sapphire-rapids'));
    const t = g.compacted(0xdd03);
    expect([t[8], t[10], t[11], t[12], t[14], t[15], t[32]]).toEqual([576, 704, 712, 728, 752, 800, 1608]);
    const u = g.compacted(0x602e7);
    expect([t[0], t[1]]).toEqual([0, 160]);
    expect([u[2], u[5], u[6], u[7], u[9], u[17], u[18], u[32]]).toEqual([576, 832, 896, 1408, 2432, 2496, 2560, 10752]);
  });
});

describe('XINUSE decision', () => {
  it('Intel: an XRSTOR load of all-zero data keeps XINUSE[i]=1 until the component is initialized', () => {
    const cm = machine('sapphire-rapids');
    header(cm, 0x4); // XSTATE_BV = AVX only, data zero
    expect(exec(cm.cpu, XRSTOR64)).toBeNull();
    expect(xinuse(cm.cpu, 0x2e7)).toBe(0x4);
    markInit(cm.cpu, 0x4); // VZEROUPPER/VZEROALL hook
    expect(xinuse(cm.cpu, 0x2e7)).toBe(0);
  });
  it('AMD: XINUSE follows the values', () => {
    const cm = machine('genoa', '0xe7');
    header(cm, 0x4);
    expect(exec(cm.cpu, XRSTOR64)).toBeNull();
    expect(xinuse(cm.cpu, 0xe7)).toBe(0);
    cm.cpu.v8[16] = 1; // YMM0 bit 128
    expect(xinuse(cm.cpu, 0xe7)).toBe(0x4);
  });
  it('XRSTOR sets XMODIFIED: RFBM[i]=1 -> 0, RFBM[i]=0 -> 1', () => {
    const cm = machine();
    cm.cpu.R[0] = 0x3; cm.cpu.R[4] = 0;
    expect(exec(cm.cpu, XRSTOR64)).toBeNull();
    expect(cm.cpu.xmodified & 0x2e7).toBe(0x2e4);
  });
});

describe('CPUID-gated #UD (spec 5 step 1)', () => {
  for (const [feat, hex, name] of [['xsaveopt', '480fae37', 'XSAVEOPT'], ['xsavec', '480fc727', 'XSAVEC'], ['xsaves', '480fc72f', 'XSAVES'], ['xsaves', '480fc71f', 'XRSTORS']] as const) {
    it(`${name} is #UD when ${feat} is not advertised`, () => {
      unmarkImplemented(feat);
      const cm = machine('sapphire-rapids', '0x2e7', 0);
      expect((exec(cm.cpu, hex) as { vector: number }).vector).toBe(6);
    });
  }
  it('XGETBV(1) is #GP when xgetbv_ecx1 is not advertised', () => {
    unmarkImplemented('xgetbv_ecx1');
    const cm = machine();
    cm.cpu.R[2] = 1;
    expect((exec(cm.cpu, '0f01d0') as { vector: number }).vector).toBe(13);
  });
  it('every XSAVE instruction and XGETBV is #UD without xsave; FXSAVE without fxsr', () => {
    unmarkImplemented('xsave');
    let cm = machine();
    for (const h of [XSAVE64, XRSTOR64, '0f01d0']) expect((exec(cm.cpu, h) as { vector: number }).vector).toBe(6);
    resetImplemented();
    unmarkImplemented('fxsr');
    cm = machine();
    expect((exec(cm.cpu, '480fae07') as { vector: number }).vector).toBe(6);
  });
  it('compacted XRSTOR is #GP when XSAVEC is not supported (spec 10 step 4)', () => {
    unmarkImplemented('xsavec');
    const cm = machine();
    const pa = cm.mapper.phys(0x20000040 + 520)!;
    cm.m.mem.dv.setUint32(pa + 4, 0x80000000, true);
    expect((exec(cm.cpu, XRSTOR64) as { vector: number }).vector).toBe(13);
  });
});

describe('CPUID leaf 0DH EBX follows XCR0 and IA32_XSS (spec 19.1)', () => {
  it('standard and compacted sizes', () => {
    machine(); // marks the extension's features
    const spr = loadModel('sapphire-rapids');
    const d = (xcr0: bigint, xss: bigint, sub: number) => cpuid(spr, 0xd, sub, { xcr0, xss, cr4: 1 << 18, apicId: 0 });
    expect(d(0xe7n, 0n, 0)[1]).toBe(2688);
    expect(d(0x2e7n, 0n, 0)[1]).toBe(2696);
    expect(d(0x3n, 0xdd00n, 1)[1]).toBe(1608);
    expect(d(0x2e7n, 0x9900n, 1)[1]).toBe(576 + 256 + 64 + 512 + 1024 + 128 + 8 + 16 + 24 + 808);
    expect(d(0x2e7n, 0n, 1)[2]).toBe(0x9900); // PT, CET_U, CET_S, Arch LBR as state-only components
  });
});

describe('hot path', () => {
  it('XSAVE64 + XRSTOR64 with RFBM=7 allocate nothing per iteration', () => {
    const cm = machine('sapphire-rapids', '0x7');
    const c = cm.cpu;
    c.R[0] = 7; c.R[4] = 0;
    c.v8.fill(0x5a, 0, 1024);
    const xs = decodeOne(Buffer.from(XSAVE64, 'hex')), xr = decodeOne(Buffer.from(XRSTOR64, 'hex'));
    for (let k = 0; k < 20000; k++) { xs.exec(c, xs); xr.exec(c, xr); }
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    for (let k = 0; k < 100000; k++) { xs.exec(c, xs); xr.exec(c, xr); }
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown / 100000).toBeLessThan(8); // bytes per iteration (GC noise only)
  });
});

describe('area access paths (in place in one page, or staged across a page boundary)', () => {
  const lin = (cm: ReturnType<typeof machine>, la: number, n: number) =>
    Array.from({ length: n }, (_, b) => cm.m.mem.u8[cm.mapper.phys(la + b)!]);
  function fill(c: Cpu, seed: number): void {
    let x = seed;
    const rnd = () => { x = (Math.imul(x, 1103515245) + 12345) | 0; return x >>> 16; };
    for (let k = 0; k < 32 * 64; k++) c.v8[k] = rnd() & 255;
    for (let k = 0; k < 16; k++) c.k32[k] = rnd() | (rnd() << 16);
    for (let k = 0; k < 80; k++) c.st[k] = rnd() & 255;
    c.fcw = 0x27f; c.fsw = 0x80; c.ftop = 5; c.ftw = 0x3c0f; c.fop = 0x123; c.fip = 0x1234567; c.fdp = 0x89abc; c.mxcsr = 0x1fa0;
  }
  function state(c: Cpu): unknown {
    // FTW: only which registers are empty survives a save/restore (the restore reclassifies the rest).
    const empty = Array.from({ length: 8 }, (_, k) => ((c.ftw >>> (2 * k)) & 3) === 3);
    return [Array.from(c.v8.subarray(0, 32 * 64)), Array.from(c.k32), Array.from(c.st), c.fcw, c.fsw, c.ftop, empty, c.fop, c.fip, c.fdp, c.mxcsr];
  }
  for (const [name, save, restore, cpl, xss] of [
    ['XSAVE64/XRSTOR64', XSAVE64, XRSTOR64, 3, '0x0'],
    ['XSAVEC64/XRSTOR64', '480fc727', XRSTOR64, 3, '0x0'],
    ['XSAVES64/XRSTORS64', '480fc72f', '480fc71f', 0, '0x9900'],
  ] as const) {
    it(`${name}: the same bytes and the same restored state either way`, () => {
      const cm = machine('sapphire-rapids', '0x2e7', cpl, xss);
      const c = cm.cpu;
      fill(c, 7);
      const want = state(c);
      const inPage = 0x20000040, straddling = 0x20001000 - 1024;
      c.R[14] = inPage;
      expect(exec(c, save)).toBeNull();
      c.R[14] = straddling;
      expect(exec(c, save)).toBeNull();
      expect(lin(cm, straddling, 3000)).toEqual(lin(cm, inPage, 3000));
      for (const la of [inPage, straddling]) {
        fill(c, 99);
        c.R[14] = la;
        expect(exec(c, restore)).toBeNull();
        expect(state(c)).toEqual(want);
      }
    });
  }
});
