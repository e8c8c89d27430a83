import { describe, it, expect } from 'vitest';
import { loadFixture, hx, fmt, h16, checkFixture } from '../fixtures/f80/fixtures.ts';
import { F_NORESULT, type F80 } from '../../emulator/fpu/f80-core.ts';
import {
  f80FromF32, f80FromF64, f80FromInt32, f80FromInt64, f80FromBcd,
  f80ToF32, f80ToF64, f80ToInt, f80ToBcd, f80Const,
  CONST_1, CONST_L2T, CONST_L2E, CONST_PI, CONST_LG2, CONST_LN2, CONST_Z,
} from '../../emulator/fpu/f80-convert.ts';

const FLAG_MASK = 0x3f | 0x200;
const hexN = (v: F80, digits: number) => fmt(v).slice(20 - digits);

const run = (name: string, f: (c: string[]) => { got: string; exp: string }) => checkFixture(name, 20, f);

/** loads: fields fcw mem st0 depth fsw */
function load(name: string, fn: (fcw: number, mem: string, r: F80) => number) {
  run(name, ([cw, mem, st0, depth, fsw]) => {
    const r: F80 = { se: 0, mhi: 0, mlo: 0 };
    const fl = fn(parseInt(cw, 16), mem, r);
    const got = fl & F_NORESULT ? `- 0 ${h16(fl & FLAG_MASK)}` : `${fmt(r)} 1 ${h16(fl & FLAG_MASK)}`;
    const exp = depth === '0' ? `- 0 ${h16(parseInt(fsw, 16) & FLAG_MASK)}` : `${st0} ${depth} ${h16(parseInt(fsw, 16) & FLAG_MASK)}`;
    return { got, exp };
  });
}

/** stores: fields fcw a mem depth fsw; pop = whether the instruction pops on success */
function store(name: string, digits: number, pop: boolean, fn: (fcw: number, a: F80, r: F80) => number) {
  run(name, ([cw, a, mem, depth, fsw]) => {
    const r: F80 = { se: 0, mhi: 0, mlo: 0 };
    const fl = fn(parseInt(cw, 16), hx(a), r);
    const noRes = (fl & F_NORESULT) !== 0;
    const got = `${noRes ? 'a5'.repeat(digits / 2) : hexN(r, digits)} ${noRes || !pop ? 1 : 0} ${h16(fl & FLAG_MASK)}`;
    const exp = `${mem} ${depth} ${h16(parseInt(fsw, 16) & FLAG_MASK)}`;
    return { got, exp };
  });
}

describe('f80 conversions vs x87 silicon', () => {
  it('FLD m32', () => load('fld_m32', (cw, m, r) => f80FromF32(cw, parseInt(m, 16), r)));
  it('FLD m64', () => load('fld_m64', (cw, m, r) => f80FromF64(cw, parseInt(m.slice(0, 8), 16), parseInt(m.slice(8), 16), r)));
  it('FILD m16', () => load('fild_m16', (_cw, m, r) => f80FromInt32((parseInt(m, 16) << 16) >> 16, r)));
  it('FILD m32', () => load('fild_m32', (_cw, m, r) => f80FromInt32(parseInt(m, 16) | 0, r)));
  it('FILD m64', () => load('fild_m64', (_cw, m, r) => f80FromInt64(parseInt(m.slice(8), 16), parseInt(m.slice(0, 8), 16), r)));
  it('FBLD', () => load('fbld', (_cw, m, r) => f80FromBcd(hx(m), r)));
  it('FST m32', () => store('fst_m32', 8, false, (cw, a, r) => f80ToF32(cw, a, r)));
  it('FST m64', () => store('fst_m64', 16, false, (cw, a, r) => f80ToF64(cw, a, r)));
  it('FISTP m16', () => store('fistp_m16', 4, true, (cw, a, r) => f80ToInt(cw, a, 16, false, r)));
  it('FISTP m32', () => store('fistp_m32', 8, true, (cw, a, r) => f80ToInt(cw, a, 32, false, r)));
  it('FISTP m64', () => store('fistp_m64', 16, true, (cw, a, r) => f80ToInt(cw, a, 64, false, r)));
  it('FISTTP m16', () => store('fisttp_m16', 4, true, (cw, a, r) => f80ToInt(cw, a, 16, true, r)));
  it('FISTTP m32', () => store('fisttp_m32', 8, true, (cw, a, r) => f80ToInt(cw, a, 32, true, r)));
  it('FISTTP m64', () => store('fisttp_m64', 16, true, (cw, a, r) => f80ToInt(cw, a, 64, true, r)));
  it('FBSTP', () => store('fbstp', 20, true, (cw, a, r) => f80ToBcd(cw, a, r)));
  it('FLD constants', () => {
    const ids: Record<string, number> = { fld1: CONST_1, fldl2t: CONST_L2T, fldl2e: CONST_L2E, fldpi: CONST_PI, fldlg2: CONST_LG2, fldln2: CONST_LN2, fldz: CONST_Z };
    run('fldconst', ([cw, op, st0, depth, fsw]) => {
      const r: F80 = { se: 0, mhi: 0, mlo: 0 };
      const fl = f80Const(parseInt(cw, 16), ids[op], r);
      return { got: `${fmt(r)} 1 ${h16(fl & FLAG_MASK)}`, exp: `${st0} ${depth} ${h16(parseInt(fsw, 16) & FLAG_MASK)}` };
    });
  });
});
