/** x87 family: FNINIT, FLDCW, loads from 0x20000000, the operation, then FNSTENV and FSTP TBYTE of the stack to 0x20010000. */
import { type Spec, type Line, ins, R, rnd64, rint, pick, chance, le, absMem, IN, OUT } from './core.ts';

const F80S: [bigint, number][] = [[0n, 0], [0n, 0x8000], [1n << 63n, 0x3fff], [1n << 63n, 0xbfff], [1n << 63n, 0x7fff], [1n << 63n, 0xffff], [3n << 62n, 0x7fff], [5n << 61n, 0x7fff], [3n << 62n, 0xffff],
  [(1n << 64n) - 1n, 0x7ffe], [1n << 63n, 0x0001], [1n, 0], [(1n << 63n) - 1n, 0x8000], [3n << 62n, 0x3fff], [0xc90fdaa22168c235n, 0x4000], [1n << 63n, 0x403e], [(1n << 63n) | 0x12345n, 0x4000]];
export function f80(): Uint8Array {
  let m: bigint, se: number;
  if (chance(0.35)) [m, se] = pick(F80S);
  else { m = rnd64() | (1n << 63n); se = (chance(0.5) ? 0x8000 : 0) | (0x3fff + rint(70) - 35); }
  const b = new Uint8Array(10); b.set(le(m, 8), 0); b[8] = se & 0xff; b[9] = se >> 8; return b;
}
export const f64 = (): Uint8Array => le(chance(0.3) ? pick([0n, 0x8000000000000000n, 0x7ff0000000000000n, 0x7ff8000000000000n, 0x7ff4000000000000n, 1n, 0x3ff0000000000000n, 0x7fefffffffffffffn]) : (rnd64() & 0x800fffffffffffffn) | (BigInt(1023 + rint(80) - 40) << 52n), 8);
export const f32 = (): Uint8Array => le(chance(0.3) ? pick([0n, 0x80000000n, 0x7f800000n, 0x7fc00000n, 0x7fa00000n, 1n, 0x3f800000n]) : (rnd64() & 0x807fffffn) | (BigInt(127 + rint(40) - 20) << 23n), 4);
const CWS = [0x037f, 0x027f, 0x007f, 0x077f, 0x0b7f, 0x0f7f, 0x047f, 0x087f, 0x0c7f];
const cwName = (c: number) => `FCW=0x${c.toString(16).padStart(4, '0')} (RC ${['nearest', 'down', 'up', 'zero'][(c >> 10) & 3]}, PC ${['single', 'reserved', 'double', 'extended'][(c >> 8) & 3]})`;

interface X { name: string; note: string; loads: ('t' | 'q' | 'd')[]; op: Line[]; undefC?: boolean; pops?: number; mem?: { size: number; kind: 'f32' | 'f64' | 'i16' | 'i32' | 'i64' | 'raw' }; store?: number }

function xcase(x: X, k: number): Spec {
  const inb = new Uint8Array(0x100);
  const cw = pick(CWS);
  inb.set(le(BigInt(cw), 2), 0);
  const code: Line[] = [ins('fninit'), ins('fldcw', absMem(2, IN))];
  let off = 0x10;
  for (const l of x.loads) {
    const d = l === 't' ? f80() : l === 'q' ? f64() : f32();
    inb.set(d, off);
    code.push(ins('fld', absMem(d.length, IN + off)));
    off += 0x10;
  }
  if (x.mem) {
    const d = x.mem.kind === 'f32' ? f32() : x.mem.kind === 'f64' ? f64() : x.mem.kind === 'raw' ? Uint8Array.from({ length: x.mem.size }, () => rint(256)) : le(BigInt.asUintN(x.mem.size * 8, pick([0n, 1n, -1n, 1n << BigInt(x.mem.size * 8 - 1), rnd64(), rnd64() >> BigInt(rint(60))])), x.mem.size);
    inb.set(d, 0x80);
  }
  code.push(...x.op);
  const outb = new Uint8Array(0xc0);
  code.push(ins('fnstenv', absMem(28, OUT)));
  const pops = x.pops ?? 2;
  for (let i = 0; i < pops; i++) code.push(ins('fstp', absMem(10, OUT + 0x20 + 0x10 * i)));
  const masks = [{ addr: OUT + 2, len: 2 }, { addr: OUT + 6, len: 2 }, { addr: OUT + 10, len: 2 }, { addr: OUT + 12, len: 16 }];
  const why = ['fnstenv-reserved', 'x87-pointers (FIP/FCS/FOP/FDP/FDS: this part stores them even with no exception pending)'];
  if (x.undefC) { masks.push({ addr: OUT + 5, len: 1, bits: 0x45 } as never); why.push('x87-undefined-flags (C0 C2 C3 undefined after this instruction)'); }
  return {
    name: `x87/${x.name}-${String(k).padStart(2, '0')}`, note: `${x.note}; ${cwName(cw)}`, memory: [{ addr: OUT, bytes: outb }, { addr: IN, bytes: inb, perm: 'r' }],
    code, memMasks: masks as never, memMaskWhy: why.join(', '),
  };
}

export function x87(): Spec[] {
  const out: Spec[] = [];
  const add = (x: X, n: number) => { for (let k = 1; k <= n; k++) out.push(xcase(x, k)); };
  const M = (size: number) => absMem(size, IN + 0x80);
  const O = (size: number) => absMem(size, OUT + 0x80);
  for (const op of ['fadd', 'fsub', 'fsubr', 'fmul', 'fdiv', 'fdivr']) {
    add({ name: `${op}-m32`, note: `${op.toUpperCase()} ST(0), m32`, loads: ['t'], op: [ins(op, M(4))], mem: { size: 4, kind: 'f32' }, undefC: true, pops: 1 }, 3);
    add({ name: `${op}-m64`, note: `${op.toUpperCase()} ST(0), m64`, loads: ['t'], op: [ins(op, M(8))], mem: { size: 8, kind: 'f64' }, undefC: true, pops: 1 }, 3);
    add({ name: `${op}-st0-st1`, note: `${op.toUpperCase()} ST(0), ST(1)`, loads: ['t', 't'], op: [ins(op, R('st0'), R('st1'))], undefC: true }, 4);
    add({ name: `${op}-st1-st0`, note: `${op.toUpperCase()} ST(1), ST(0)`, loads: ['t', 't'], op: [ins(op, R('st1'), R('st0'))], undefC: true }, 2);
    add({ name: `${op}p`, note: `${op.toUpperCase()}P ST(1), ST(0)`, loads: ['t', 't'], op: [ins(op + 'p', R('st1'), R('st0'))], undefC: true, pops: 1 }, 3);
    const iop = 'fi' + op.slice(1);
    add({ name: `${iop}-m16`, note: `${iop.toUpperCase()} m16`, loads: ['t'], op: [ins(iop, M(2))], mem: { size: 2, kind: 'i16' }, undefC: true, pops: 1 }, 2);
    add({ name: `${iop}-m32`, note: `${iop.toUpperCase()} m32`, loads: ['t'], op: [ins(iop, M(4))], mem: { size: 4, kind: 'i32' }, undefC: true, pops: 1 }, 2);
  }
  for (const op of ['fchs', 'fabs', 'fsqrt', 'frndint', 'ftst', 'fxam']) add({ name: op, note: op.toUpperCase(), loads: ['t'], op: [ins(op)], undefC: !['ftst', 'fxam'].includes(op), pops: 1 }, 5);
  for (const op of ['fscale', 'fprem', 'fprem1']) add({ name: op, note: `${op.toUpperCase()}${op === 'fscale' ? '' : ': partial remainder; C0 C3 C1 = quotient bits, C2 = incomplete'}`, loads: ['t', 't'], op: [ins(op)], undefC: op === 'fscale' }, 8);
  add({ name: 'fxtract', note: 'FXTRACT: exponent to ST(1), significand to ST(0)', loads: ['t'], op: [ins('fxtract')], undefC: true }, 6);
  for (const op of ['fcom', 'fcomp', 'fucom', 'fucomp']) add({ name: `${op}-st1`, note: `${op.toUpperCase()} ST(1): C3 C2 C0 from the comparison`, loads: ['t', 't'], op: [ins(op, R('st0'), R('st1'))], pops: op.endsWith('p') ? 1 : 2 }, 3);
  add({ name: 'fcompp', note: 'FCOMPP', loads: ['t', 't'], op: [ins('fcompp')], pops: 0 }, 3);
  add({ name: 'fucompp', note: 'FUCOMPP', loads: ['t', 't'], op: [ins('fucompp')], pops: 0 }, 3);
  add({ name: 'fcom-m64', note: 'FCOM m64', loads: ['t'], op: [ins('fcom', M(8))], mem: { size: 8, kind: 'f64' }, pops: 1 }, 3);
  add({ name: 'ficom-m32', note: 'FICOM m32', loads: ['t'], op: [ins('ficom', M(4))], mem: { size: 4, kind: 'i32' }, pops: 1 }, 3);
  for (const op of ['fcomi', 'fucomi', 'fcomip', 'fucomip']) add({ name: op, note: `${op.toUpperCase()} ST(0), ST(1): ZF PF CF from the comparison, OF SF AF cleared`, loads: ['t', 't'], op: [ins(op, R('st0'), R('st1'))], pops: op.endsWith('p') ? 1 : 2 }, 4);
  for (const op of ['fld1', 'fldl2t', 'fldl2e', 'fldpi', 'fldlg2', 'fldln2', 'fldz']) add({ name: op, note: `${op.toUpperCase()}: the constant rounded per RC`, loads: [], op: [ins(op)], undefC: true, pops: 1 }, 3);
  for (const [op, size] of [['fist', 2], ['fist', 4], ['fistp', 2], ['fistp', 4], ['fistp', 8], ['fisttp', 2], ['fisttp', 4], ['fisttp', 8], ['fst', 4], ['fst', 8], ['fstp', 4], ['fstp', 8], ['fstp', 10], ['fbstp', 10]] as [string, number][])
    add({ name: `${op}-m${size * 8}`, note: `${op.toUpperCase()} m${size * 8}: rounding per RC (FISTTP truncates); invalid/overflow gives the indefinite value`, loads: ['t'], op: [ins(op, O(size))], undefC: true, pops: op.endsWith('p') ? 0 : 1 }, 5);
  for (const [op, size, kind] of [['fild', 2, 'i16'], ['fild', 4, 'i32'], ['fild', 8, 'i64'], ['fld', 4, 'f32'], ['fld', 8, 'f64'], ['fbld', 10, 'raw']] as [string, number, 'i16'][])
    add({ name: `${op}-m${size * 8}`, note: `${op.toUpperCase()} m${size * 8}`, loads: [], op: [ins(op, M(size))], mem: { size, kind }, undefC: true, pops: 1 }, 4);
  add({ name: 'underflow-fadd', note: 'FADD with an empty stack: stack underflow (IE, SF, C1=0), masked: QNaN indefinite', loads: [], op: [ins('fadd', R('st0'), R('st1'))], undefC: true, pops: 1 }, 2);
  add({ name: 'underflow-fstp', note: 'FSTP m64 from an empty register: stack underflow, the indefinite stored', loads: [], op: [ins('fstp', O(8))], undefC: true, pops: 0 }, 2);
  add({ name: 'overflow-fld', note: 'a ninth FLD: stack overflow (IE, SF, C1=1), masked: QNaN indefinite pushed', loads: ['t', 't', 't', 't', 't', 't', 't', 't'], op: [ins('fld1')], undefC: true, pops: 3 }, 2);
  add({ name: 'fxch', note: 'FXCH ST(1)', loads: ['t', 't'], op: [ins('fxch', R('st0'), R('st1'))], undefC: true }, 2);
  add({ name: 'ffree-fincstp', note: 'FFREE ST(1); FINCSTP: the tag word shows the freed register', loads: ['t', 't', 't'], op: [ins('ffree', R('st1')), ins('fincstp')], undefC: true, pops: 1 }, 2);
  add({ name: 'fdecstp', note: 'FDECSTP with a value loaded', loads: ['t'], op: [ins('fdecstp')], undefC: true, pops: 0 }, 2);
  // FNSAVE image (then FNINIT'd state in the following FNSTENV)
  for (let k = 1; k <= 4; k++) {
    const s = xcase({ name: 'fnsave', note: 'FNSAVE of three loaded registers (108-byte image at 0x20010080), after which the FPU is reinitialized', loads: ['t', 't', 't'], op: [ins('fadd', R('st0'), R('st2')), ins('fnsave', O(108))], undefC: true, pops: 0 }, k);
    s.memory![0].bytes = new Uint8Array(0x100);
    s.memMasks!.push({ addr: OUT + 0x80 + 2, len: 2 }, { addr: OUT + 0x80 + 6, len: 2 }, { addr: OUT + 0x80 + 10, len: 2 }, { addr: OUT + 0x80 + 12, len: 16 }, { addr: OUT + 0x80 + 5, len: 1, bits: 0x45 });
    out.push(s);
  }
  return out;
}
