import { describe, it, expect } from 'vitest';
import { loadFixture, hx, fmt, h16, checkFixture } from '../fixtures/f80/fixtures.ts';
import { F_NORESULT, type F80 } from '../../emulator/fpu/f80-core.ts';
import { f80Rndint, f80Scale, f80Xtract, f80Prem } from '../../emulator/fpu/f80-misc.ts';

const MASK = 0x3f | 0x200;
const MASK_CC = 0x3f | 0x4700;
const nv = (): F80 => ({ se: 0, mhi: 0, mlo: 0 });

const run = (name: string, f: (c: string[]) => { got: string; exp: string }) => checkFixture(name, 100, f);

describe('f80 FRNDINT/FSCALE/FXTRACT/FPREM vs x87 silicon', () => {
  it('FRNDINT', () =>
    run('frndint', ([cw, a, st0, fsw]) => {
      const r = nv();
      const fl = f80Rndint(parseInt(cw, 16), hx(a), r);
      return { got: `${fl & F_NORESULT ? a : fmt(r)} ${h16(fl & MASK)}`, exp: `${st0} ${h16(parseInt(fsw, 16) & MASK)}` };
    }));
  it('FSCALE', () =>
    run('fscale', ([cw, a, b, st0, fsw]) => {
      const r = nv();
      const fl = f80Scale(parseInt(cw, 16), hx(a), hx(b), r);
      return { got: `${fl & F_NORESULT ? a : fmt(r)} ${h16(fl & MASK)}`, exp: `${st0} ${h16(parseInt(fsw, 16) & MASK)}` };
    }));
  it('FXTRACT', () =>
    run('fxtract', ([cw, a, st0, st1, depth, fsw]) => {
      const sig = nv(), ex = nv();
      const fl = f80Xtract(parseInt(cw, 16), hx(a), sig, ex);
      const got = fl & F_NORESULT ? `${a} 1 ${h16(fl & MASK)}` : `${fmt(sig)} ${fmt(ex)} 2 ${h16(fl & MASK)}`;
      const exp = depth === '1' ? `${st0} 1 ${h16(parseInt(fsw, 16) & MASK)}` : `${st0} ${st1} ${depth} ${h16(parseInt(fsw, 16) & MASK)}`;
      return { got, exp };
    }));
  for (const [name, round] of [['fprem', false], ['fprem1', true]] as const) {
    it(name.toUpperCase(), () =>
      run(name, ([cw, a, b, st0, st1, _depth, fsw]) => {
        const r = nv();
        const fl = f80Prem(parseInt(cw, 16), hx(a), hx(b), r, round);
        return {
          got: `${fl & F_NORESULT ? a : fmt(r)} ${b} ${h16(fl & MASK_CC)}`,
          exp: `${st0} ${st1} ${h16(parseInt(fsw, 16) & MASK_CC)}`,
        };
      }));
  }
});
