// CPUID.(0DH,0):EBX (standard size for XCR0) and CPUID.(0DH,1):EBX (compacted size for XCR0|XSS,
// spec §3.3), computed by hand here from the component tables of spec §2 / the genoa dump.
import { afterEach, describe, expect, it } from 'vitest';
import {
  compactedLayout,
  cpuid,
  loadModel,
  markImplemented,
  resetImplemented,
} from '../../emulator/models/index.ts';

afterEach(() => resetImplemented());

const spr = loadModel('sapphire-rapids');
const genoa = loadModel('genoa');
const CR4_OSXSAVE = 1 << 18;
const d0 = (m: typeof spr, xcr0: bigint) => cpuid(m, 0xd, 0, { xcr0, cr4: CR4_OSXSAVE, apicId: 0 });
const d1 = (m: typeof spr, xcr0: bigint, xss: bigint) => cpuid(m, 0xd, 1, { xcr0, xss, cr4: CR4_OSXSAVE, apicId: 0 });
const up64 = (x: number) => Math.ceil(x / 64) * 64;

describe('sapphire-rapids leaf 0DH sizes', () => {
  it('sub-leaf 0 EBX: standard format = max(offset + size) over XCR0, at least 576', () => {
    expect(d0(spr, 0x3n)[1]).toBe(576); // x87|SSE only: legacy region 512 + header 64
    expect(d0(spr, 0x7n)[1]).toBe(576 + 256); // AVX @576, 256 bytes = 832
    expect(d0(spr, 0xe7n)[1]).toBe(1664 + 1024); // Hi16_ZMM @1664 + 1024 = 2688 (spec §19.1)
    expect(d0(spr, 0x2e7n)[1]).toBe(2688 + 8); // PKRU @2688 + 8 = 2696 (spec §19.1)
    expect(d0(spr, 0x602e7n)[1]).toBe(2816 + 8192); // XTILEDATA @2816 + 8192 = 11008
    expect(d0(spr, 0x602e7n)[1]).toBe(0x2b00);
  });

  it('sub-leaf 1 EBX: compacted format for XCR0|XSS', () => {
    // 0x602E7 (spec §3.3): AVX 576+256=832, opmask 832+64=896, ZMM_Hi256 896+512=1408,
    // Hi16_ZMM 1408+1024=2432, PKRU 2432+8=2440, XTILECFG up64(2440)=2496 +64=2560,
    // XTILEDATA 2560 (already aligned) +8192 = 10752.
    const a = up64(2432 + 8);
    expect(a).toBe(2496);
    expect(d1(spr, 0x602e7n, 0n)[1]).toBe(a + 64 + 8192);
    expect(d1(spr, 0x602e7n, 0n)[1]).toBe(10752);

    // XCR0|XSS = 0x6DFE7: ... Hi16_ZMM ends 2432, PT 2432+128=2560, PKRU 2560+8=2568,
    // PASID 2568+8=2576, CET_U 2576+16=2592, CET_S 2592+24=2616, UINTR 2616+48=2664,
    // LBR 2664+808=3472, XTILECFG up64(3472)=3520 +64=3584, XTILEDATA 3584+8192 = 11776.
    expect(2432 + 128 + 8 + 8 + 16 + 24 + 48 + 808).toBe(3472);
    expect(up64(3472)).toBe(3520);
    expect(d1(spr, 0x602e7n, 0xdd00n)[1]).toBe(3520 + 64 + 8192);
    expect(d1(spr, 0x602e7n, 0xdd00n)[1]).toBe(11776);

    // The dump's state (spec §19.1): XSS = PASID|LBR = 0x8400: 2432 +8 (PKRU) = 2440,
    // PASID 2440+8 = 2448, LBR 2448+808 = 3256, XTILECFG up64(3256)=3264 +64 = 3328,
    // XTILEDATA 3328+8192 = 11520 = 0x2D00.
    expect(up64(2448 + 808)).toBe(3264);
    expect(d1(spr, 0x602e7n, 0x8400n)[1]).toBe(3264 + 64 + 8192);
    expect(d1(spr, 0x602e7n, 0x8400n)[1]).toBe(0x2d00);

    // XCR0 = 0xE7 only: no gaps in the compacted form, 2432; UINTR alone added: 2432+48 = 2480.
    expect(d1(spr, 0xe7n, 0n)[1]).toBe(2432);
    expect(d1(spr, 0xe7n, 0x4000n)[1]).toBe(2480);
    // x87|SSE only: 576.
    expect(d1(spr, 0x3n, 0n)[1]).toBe(576);
  });

  it('compacted layout offsets match spec §3.3 for 0x6DFE7', () => {
    const { offsets } = compactedLayout(spr, 0x6dfe7n);
    expect(Object.fromEntries(offsets)).toEqual({
      2: 576, 5: 832, 6: 896, 7: 1408, 8: 2432, 9: 2560, 10: 2568, 11: 2576, 12: 2592, 14: 2616, 15: 2664,
      17: 3520, 18: 3584,
    });
  });

  it('sizes follow the live XCR0 given as {lo, hi} too', () => {
    expect(cpuid(spr, 0xd, 0, { xcr0: { lo: 0x602e7, hi: 0 }, cr4: CR4_OSXSAVE, apicId: 0 })[1]).toBe(11008);
  });

  it('sub-leaf 0 ECX (max size) and EAX shrink with the mask; with AMX implemented they are the figures', () => {
    // Default set: AMX masked -> supported XCR0 = 0x2E7, max standard size = PKRU end 2696.
    expect(d0(spr, 0x2e7n)).toEqual([0x2e7, 2696, 2696, 0]);
    markImplemented('amx_tile');
    expect(d0(spr, 0x602e7n)).toEqual([0x602e7, 11008, 11008, 0]);
  });
});

describe('genoa leaf 0DH sizes (no PKRU, no MPX: AVX-512 state at 0x340/0x380/0x580)', () => {
  it('sub-leaf 0 EBX', () => {
    expect(d0(genoa, 0x7n)[1]).toBe(576 + 256); // 832
    expect(d0(genoa, 0x27n)[1]).toBe(832 + 64); // opmask @832 -> 896
    expect(d0(genoa, 0xe7n)[1]).toBe(1408 + 1024); // Hi16_ZMM @1408 -> 2432 = 0x980 (the dump)
    expect(d0(genoa, 0xe7n)[1]).toBe(0x980);
  });
  it('sub-leaf 1 EBX: XCR0 0xE7 with XSS 0, and with CET', () => {
    // 576 + 256 (AVX) + 64 (opmask) + 512 (ZMM_Hi256) + 1024 (Hi16_ZMM) = 2432; no component
    // is align64, so there is no padding.
    expect(576 + 256 + 64 + 512 + 1024).toBe(2432);
    expect(d1(genoa, 0xe7n, 0n)[1]).toBe(2432);
    // With XSS = CET_U|CET_S (0x1800): 2432 + 16 + 24 = 2472 = 0x9A8, the dump's value.
    expect(d1(genoa, 0xe7n, 0x1800n)[1]).toBe(2432 + 16 + 24);
    expect(d1(genoa, 0xe7n, 0x1800n)[1]).toBe(0x9a8);
  });
});
