/**
 * `xstate` and `xsave ADDR` on an area written by XSAVEC.
 *
 * The image (images.ts xsaveImage) sets XCR0 = 0x207 (x87, SSE, AVX, PKRU),
 * executes FLD1 (D9 E8), loads XMM0 and YMM1 from the bytes k*0x11 mod 256
 * (k = 0..31), the test sets PKRU = 0xC at `save`, and XSAVEC [0x500000] runs
 * with EDX:EAX = 0x207. Expected decoding, worked out from the SDM layout:
 *   - compacted format: XCOMP_BV = 2^63 | RFBM = 0x8000000000000207;
 *     XSTATE_BV = XINUSE & RFBM = 0x207 (every component differs from init).
 *   - offsets: x87 0 (160 bytes) and SSE 160 (256) are the legacy region; the
 *     header is 512-575; AVX at 576 (256 bytes, SPR: no 64-byte alignment),
 *     PKRU at 576 + 256 = 832 (8 bytes); size 840 = CPUID.(0DH,1).EBX for 0x207.
 *   - x87: FCW 037F (init); FLD1 pushed: TOP = 7, so FSW = 7 << 11 = 0x3800,
 *     physical R7 valid: abridged FTW = 0x80; FOP = (D9 & 7) << 8 | E8 = 0x1E8;
 *     ST0 = 1.0 = sign 0, exponent 0x3FFF, significand 0x8000000000000000.
 *   - XMM0 = bytes 00 11 .. ff: as a number 0xffeeddccbbaa99887766554433221100;
 *     XMM1 (low half of YMM1) the same; YMM1[255:128] = bytes 10 21 32 .. fe 0f:
 *     0x0ffeeddccbbaa9988776655443322110; every other register zero.
 *   - PKRU = 0xC: key 1 access- and write-disabled. MXCSR 1F80, MXCSR_MASK FFFF (SPR).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { xsaveImage, repl, AREA } from './images.ts';

let img: string;
beforeAll(() => { img = xsaveImage(); });
const A = `0x${AREA.toString(16)}`;
const prefix = ['until save', 'set reg pkru 0xc', 'until done'];

describe('xsave ADDR on an XSAVEC area', () => {
  it('decodes header, every component\'s offset, size and contents; no problems', async () => {
    const r = await repl(img, [...prefix, `xsave ${A}`]);
    expect(r.stderr).toBe('');
    const o = r.stdout.slice(r.stdout.indexOf('XSAVE area'));
    const expected = [
      `XSAVE area at ${A} (compacted format)`,
      'header: XSTATE_BV=0x0000000000000207 (x87 SSE AVX PKRU)',
      '        XCOMP_BV=0x8000000000000207 (compacted: x87 SSE AVX PKRU)',
      'legacy: MXCSR=0x00001f80 MXCSR_MASK=0x0000ffff',
      'component 0 x87: offset 0 (0x0), size 160',
      /^    fcw=0x037f fsw=0x3800 \(top 7\) ftw=0x80 \(abridged\) fop=0x1e8$/,
      /^    fip=0x0000000000200[0-9a-f]{3} fdp=0x0000000000000000 /,
      '    st0 (R7) valid 0x3fff_8000000000000000  +1',
      '    st1 (R0) empty 0x0000_0000000000000000  +0',
      ...[1, 2, 3, 4, 5].map((k) => `    st${k + 1} (R${k}) empty 0x0000_0000000000000000  +0`),
      '    st7 (R6) empty 0x0000_0000000000000000  +0',
      'component 1 sse: offset 160 (0xa0), size 256',
      '    xmm0 = 0xffeeddccbbaa99887766554433221100',
      '    xmm1 = 0xffeeddccbbaa99887766554433221100',
      '    xmm2..xmm15 = 0',
      'component 2 avx: offset 576 (0x240), size 256',
      '    ymm0[255:128] = 0',
      '    ymm1[255:128] = 0x0ffeeddccbbaa9988776655443322110',
      '    ymm2[255:128]..ymm15[255:128] = 0',
      'component 9 pkru: offset 832 (0x340), size 8',
      '    pkru = 0x0000000c  (key1:ADWD)',
      'size: 840 bytes (CPUID.(0DH,1).EBX = 840 for the current XCR0|IA32_XSS)',
      'no problems found',
    ];
    const got = o.trimEnd().split('\n');
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, k) => (typeof e === 'string' ? expect(got[k]).toBe(e) : expect(got[k]).toMatch(e)));
  });

  it('flags XSTATE_BV bits outside XCOMP_BV and non-zero reserved header bytes', async () => {
    const r = await repl(img, [...prefix, `set mem ${A}+512 0x27 0x02`, `set mem ${A}+530 0x01`, `xsave ${A}`]);
    expect(r.stdout).toContain('header: XSTATE_BV=0x0000000000000227 (x87 SSE AVX opmask PKRU)');
    expect(r.stdout).toContain('problems:\n  ! header bytes 18-63 are reserved but not zero (first at area byte 530; XRSTOR #GP)\n  ! XSTATE_BV bit 5 (opmask) is not in XCOMP_BV (XRSTOR/XRSTORS #GP)\n');
  });

  it('flags a compacted layout larger than CPUID.(0DH,1).EBX and components not enabled in XCR0', async () => {
    // XCOMP_BV = 2^63 | 0x2e7: adds opmask (832, 64 bytes), ZMM_Hi256 (896, 512), Hi16_ZMM (1408, 1024);
    // PKRU moves to 2432 and the area needs 2440 bytes, but CPUID.(0DH,1).EBX is 840 for XCR0 = 0x207.
    const r = await repl(img, [...prefix, `set mem ${A}+520 0xe7 0x02 0 0 0 0 0 0x80`, `xsave ${A}`]);
    const o = r.stdout;
    expect(o).toContain('component 5 opmask: offset 832 (0x340), size 64, not in XSTATE_BV');
    expect(o).toContain('component 6 zmm_hi256: offset 896 (0x380), size 512, not in XSTATE_BV');
    expect(o).toContain('component 7 hi16_zmm: offset 1408 (0x580), size 1024, not in XSTATE_BV');
    expect(o).toContain('component 9 pkru: offset 2432 (0x980), size 8');
    expect(o).toContain('size: 2440 bytes (CPUID.(0DH,1).EBX = 840 for the current XCR0|IA32_XSS)');
    for (const [b, n] of [[5, 'opmask'], [6, 'ZMM_Hi256'], [7, 'Hi16_ZMM']]) expect(o).toContain(`  ! XCOMP_BV bit ${b} (${n}) is not enabled in XCR0 of vCPU 0 (XRSTOR #GP)`);
    expect(o).toContain('  ! the compacted layout for XCOMP_BV needs 2440 bytes, more than CPUID.(0DH,1).EBX = 840 for XCR0|IA32_XSS = 0x207 (a buffer sized from CPUID is too small)');
  });

  it('xstate shows every component with its XINUSE bit', async () => {
    const r = await repl(img, [...prefix, 'xstate', 'xstate'], ['--json']);
    const objs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const x = objs.find((o) => o.cmd === 'xstate').data;
    expect(x).toMatchObject({ xcr0: '0x207', xinuse: '0x207', xgetbv1: '0x207', xss: '0x0', xfd: '0x0' });
    const byIndex = Object.fromEntries(x.components.map((c: { index: number }) => [c.index, c]));
    expect(byIndex[0]).toMatchObject({ name: 'x87', enabled: true, xinuse: true });
    expect(byIndex[0].contents).toContain('st0 (R7) valid 0x3fff_8000000000000000  +1');
    expect(byIndex[2]).toMatchObject({ name: 'avx', enabled: true, xinuse: true });
    expect(byIndex[5]).toMatchObject({ name: 'opmask', enabled: false, xinuse: false, contents: ['initial configuration'] });
    expect(byIndex[9]).toMatchObject({ name: 'pkru', xinuse: true, contents: ['pkru = 0x0000000c  (key1:ADWD)'] });
    expect(byIndex[18]).toMatchObject({ name: 'xtiledata', supervisor: false, xfd: false });
    expect(byIndex[8]).toMatchObject({ name: 'pt', supervisor: true, enabled: false });
  });
});
