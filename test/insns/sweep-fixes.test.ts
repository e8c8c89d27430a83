// Bugs found by the legacy-encoding sweep captured on silicon (test/conformance/host/sweep-legacy-*.json,
// tools/hw-capture/sweep.ts). Expected values: the SDM and the captured cases named in each test.
import { describe, it, expect } from 'vitest';
import { run, ok, DATA } from './harness.ts';

describe('CLAC / STAC at CPL 3 (SDM: #UD if CPL > 0; captured sweep-legacy/Clac-01, Stac-01)', () => {
  for (const mn of ['clac', 'stac']) {
    it(`${mn.toUpperCase()} raises #UD, not #GP`, () => {
      const r = run({ asm: [mn] });
      expect(r.vector).toBe(6);
      expect(r.rip).toBe(0x10000000n);
    });
  }
  it('STAC at CPL 0 sets AC, CLAC clears it (genoa has SMAP)', () => {
    expect(ok({ asm: ['stac'], cpl: 0 }).flags & 0x40000).toBe(0x40000);
    expect(ok({ asm: ['stac', 'clac'], cpl: 0 }).flags & 0x40000).toBe(0);
  });
});

describe('EMMS on AMD (captured sweep-legacy/Emms-01..03: FSW.TOP = 0 after EMMS)', () => {
  it('three FLD1 then EMMS: the tag word is all empty and TOP is 0', () => {
    const r = ok({ asm: ['fld1', 'fld1', 'fld1', 'emms', 'fnstenv [rdi]'], regs: { rdi: DATA }, mem: [{ addr: DATA, bytes: new Array(32).fill(0) }] });
    const fsw = Number(r.memVal(DATA + 4n, 2));
    expect((fsw >> 11) & 7).toBe(0);          // TOP (would be 5 without the AMD rule)
    expect(Number(r.memVal(DATA + 8n, 2))).toBe(0xffff); // FTW: all empty
  });
});

describe('SHA with a misaligned m128 on AMD (captured sweep-legacy/Sha1msg1_xmm_xmmm128-misaligned etc.: no #GP)', () => {
  // SHA1MSG1 (SDM): W0..W3 from SRC1 dwords 3..0, W4 W5 from SRC2 dwords 3, 2;
  // DEST = {W2^W0, W3^W1, W4^W2, W5^W3} (dwords 3..0). SRC1 = 0 makes the result {0, 0, W4, W5}
  // = dwords 1, 0 of DEST equal to SRC2 dwords 3, 2 ... laid out as below.
  it('SHA1MSG1 xmm1, [rdi+1] completes with the unaligned data', () => {
    const src2 = [0x11111111, 0x22222222, 0x33333333, 0x44444444];
    const bytes = new Array(64).fill(0);
    src2.forEach((d, k) => { for (let b = 0; b < 4; b++) bytes[1 + 4 * k + b] = (d >>> (8 * b)) & 0xff; });
    const r = ok({ asm: ['pxor xmm1, xmm1', 'sha1msg1 xmm1, [rdi+1]', 'movdqu [rdi+32], xmm1'], regs: { rdi: DATA }, mem: [{ addr: DATA, bytes }] });
    // W4 = SRC2[127:96] = 0x44444444, W5 = SRC2[95:64] = 0x33333333; DEST[63:32] = W4 ^ W2 = W4, DEST[31:0] = W5 ^ W3 = W5
    expect(r.memVal(DATA + 32n, 16)).toBe(0x4444444433333333n);
  });
  for (const [mn, extra] of [['sha1nexte', ''], ['sha1msg2', ''], ['sha256msg1', ''], ['sha256msg2', ''], ['sha1rnds4', ', 1'], ['sha256rnds2', '']]) {
    it(`${mn.toUpperCase()} with a misaligned memory operand: no fault`, () => {
      const r = run({ asm: [`${mn} xmm1, [rdi+3]${extra}`], regs: { rdi: DATA }, mem: [{ addr: DATA, bytes: new Array(64).fill(7) }] });
      expect(r.vector).toBe(3);
    });
  }
});
