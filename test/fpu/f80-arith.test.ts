import { describe, it, expect } from 'vitest';
import { loadFixture, hx, fmt, h16 } from '../fixtures/f80/fixtures.ts';
import { F_NORESULT, type F80 } from '../../emulator/fpu/f80-core.ts';
import { f80Add, f80Sub, f80Mul, f80Div, f80Sqrt } from '../../emulator/fpu/f80-arith.ts';

const FLAG_MASK = 0x3f | 0x200;

type Bin = (fcw: number, a: F80, b: F80, r: F80) => number;

function checkBinary(name: string, fn: Bin) {
  const fx = loadFixture(name);
  const bad: string[] = [];
  for (const c of fx.cases) {
    const unary = c.length === 4;
    const [cw, a, b, st0, fsw] = unary ? [c[0], c[1], c[1], c[2], c[3]] : c;
    const fcw = parseInt(cw, 16);
    const r: F80 = { se: 0, mhi: 0, mlo: 0 };
    const fl = fn(fcw, hx(a), hx(b), r);
    const got = (fl & F_NORESULT ? a : fmt(r)) + ' ' + h16(fl & FLAG_MASK);
    const exp = st0 + ' ' + h16(parseInt(fsw, 16) & FLAG_MASK);
    if (got !== exp) bad.push(`${cw} ${a} ${b}: got ${got} want ${exp}`);
  }
  return { total: fx.cases.length, bad };
}

function report(name: string, fn: Bin) {
  const { total, bad } = checkBinary(name, fn);
  expect(total).toBeGreaterThan(100);
  expect(bad.slice(0, 15), `${bad.length}/${total} mismatches`).toEqual([]);
}

describe('f80 arithmetic vs x87 silicon', () => {
  it('FADD', () => report('fadd', f80Add));
  it('FSUB', () => report('fsub', f80Sub));
  it('FSUBR', () => report('fsubr', (cw, a, b, r) => f80Sub(cw, b, a, r)));
  it('FMUL', () => report('fmul', f80Mul));
  it('FDIV', () => report('fdiv', f80Div));
  it('FDIVR', () => report('fdivr', (cw, a, b, r) => f80Div(cw, b, a, r)));
  it('FSQRT', () => report('fsqrt', (cw, a, _b, r) => f80Sqrt(cw, a, r)));
});

import { f80ArithMem, OP_FADD, OP_FSUB, OP_FMUL, OP_FDIV, OP_FSUBR, OP_FDIVR, MEM_F32, MEM_F64, MEM_I16, MEM_I32 } from '../../emulator/fpu/f80-memop.ts';

describe('f80 arithmetic with memory operands vs x87 silicon', () => {
  const cases = [
    ['fadd_m32', OP_FADD, MEM_F32],
    ['fsub_m64', OP_FSUB, MEM_F64],
    ['fmul_i16', OP_FMUL, MEM_I16],
    ['fdiv_i32', OP_FDIV, MEM_I32],
    ['fsubr_m32', OP_FSUBR, MEM_F32],
    ['fdivr_m64', OP_FDIVR, MEM_F64],
  ] as const;
  for (const [name, op, kind] of cases) {
    it(name, () => {
      const fx = loadFixture(name);
      const bad: string[] = [];
      for (const [cw, a, mem, st0, fsw] of fx.cases) {
        const r: F80 = { se: 0, mhi: 0, mlo: 0 };
        const lo = parseInt(mem.slice(-8), 16) >>> 0;
        const hi = mem.length > 8 ? parseInt(mem.slice(0, 8), 16) >>> 0 : 0;
        const fl = f80ArithMem(op, parseInt(cw, 16), hx(a), kind, lo, hi, r);
        const got = (fl & F_NORESULT ? a : fmt(r)) + ' ' + h16(fl & FLAG_MASK);
        const exp = st0 + ' ' + h16(parseInt(fsw, 16) & FLAG_MASK);
        if (got !== exp) bad.push(`${cw} ${a} ${mem}: got ${got} want ${exp}`);
      }
      expect(bad.slice(0, 15), `${bad.length}/${fx.cases.length} mismatches`).toEqual([]);
    });
  }
});
