import { describe, it, expect } from 'vitest';
import { loadFixture, hx, h16, checkFixture } from '../fixtures/f80/fixtures.ts';
import { f80Compare, f80Tst, f80Xam } from '../../emulator/fpu/f80-compare.ts';

const MASK = 0x3f | 0x4700;

const run = (name: string, f: (c: string[]) => { got: string; exp: string }) => checkFixture(name, 100, f);

/** FCOMI maps C3->ZF(0x40), C2->PF(0x04), C0->CF(0x01) */
function eflagsOf(codes: number): number {
  return (codes & 0x4000 ? 0x40 : 0) | (codes & 0x400 ? 0x04 : 0) | (codes & 0x100 ? 0x01 : 0);
}

describe('f80 compare/classify vs x87 silicon', () => {
  for (const [name, quiet] of [['fcom', false], ['fucom', true]] as const) {
    it(name.toUpperCase(), () =>
      run(name, ([cw, a, b, fsw]) => ({
        got: h16(f80Compare(parseInt(cw, 16), hx(a), hx(b), quiet) & MASK),
        exp: h16(parseInt(fsw, 16) & MASK),
      })));
  }
  for (const [name, quiet] of [['fcomi', false], ['fucomi', true]] as const) {
    it(name.toUpperCase(), () =>
      run(name, ([cw, a, b, fsw, efl]) => {
        const r = f80Compare(parseInt(cw, 16), hx(a), hx(b), quiet);
        return { got: `${h16(r & 0x3f)} ${h16(eflagsOf(r))}`, exp: `${h16(parseInt(fsw, 16) & 0x3f)} ${efl}` };
      }));
  }
  it('FTST', () =>
    run('ftst', ([cw, a, _st0, fsw]) => ({ got: h16(f80Tst(parseInt(cw, 16), hx(a)) & MASK), exp: h16(parseInt(fsw, 16) & MASK) })));
  it('FXAM', () => run('fxam', ([_cw, a, _st0, fsw]) => ({ got: h16(f80Xam(hx(a)) & MASK), exp: h16(parseInt(fsw, 16) & MASK) })));
});

import { f80CompareMem, MEM_F32, MEM_F64, MEM_I16, MEM_I32 } from '../../emulator/fpu/f80-memop.ts';

describe('f80 compare with memory operands vs x87 silicon', () => {
  for (const [name, kind] of [['fcom_m32', MEM_F32], ['fcom_m64', MEM_F64], ['ficom_m16', MEM_I16], ['ficom_m32', MEM_I32]] as const) {
    it(name, () =>
      run(name, ([cw, a, mem, fsw]) => {
        const lo = parseInt(mem.slice(-8), 16) >>> 0;
        const hi = mem.length > 8 ? parseInt(mem.slice(0, 8), 16) >>> 0 : 0;
        return { got: h16(f80CompareMem(parseInt(cw, 16), hx(a), kind, lo, hi, false) & MASK), exp: h16(parseInt(fsw, 16) & MASK) };
      }));
  }
});
