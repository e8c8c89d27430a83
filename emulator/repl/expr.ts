/**
 * Expressions over registers, symbols and memory, for addresses (`x/4xg rsp+8`),
 * conditions (`break foo if rax == 3 && [rdi] != 0`) and `set`.
 *
 *   numbers     0x1f, 31, 0b101, 'A'
 *   registers   rax, $rax, eax, al, rip, rflags, cr3, xcr0, k1, ... (see regs.ts)
 *   symbols     _start, _start.loop (a register name wins; use `&name` for the symbol)
 *   memory      [expr] (qword), byte[expr], word[..], dword[..], qword[..], *expr (qword)
 *   operators   unary - ~ ! * &, then * / %, + -, << >>, < <= > >=, == !=, &, ^, |, &&, ||
 * Arithmetic is unsigned 64-bit; comparisons are unsigned.
 */
import type { Cpu } from '../cpu/cpu.ts';
import { regAccess } from './regs.ts';
import { readLinear, leToBig } from './memory.ts';
import type { Symbols } from './symbols.ts';
import { laToBig } from '../msr.ts';

export class ExprError extends Error {}

export interface EvalEnv { cpu: Cpu; symbols: Symbols }

const M64 = (1n << 64n) - 1n;
const SIZES: Record<string, number> = { byte: 1, word: 2, dword: 4, qword: 8 };

type Tok = { t: 'num'; v: bigint } | { t: 'id'; v: string } | { t: 'op'; v: string };

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (/\s/.test(ch)) { i++; continue; }
    let m: RegExpMatchArray | null;
    const rest = s.slice(i);
    if ((m = rest.match(/^0x[0-9a-f_]+/i)) || (m = rest.match(/^0b[01_]+/i)) || (m = rest.match(/^[0-9][0-9_]*/))) {
      const txt = m[0].replace(/_/g, '');
      if (/^[0-9]/.test(rest) && /^[0-9]+[a-z]/i.test(rest) && !/^0[xb]/i.test(rest)) throw new ExprError(`bad number '${rest.match(/^\w+/)![0]}' (hexadecimal needs 0x)`);
      out.push({ t: 'num', v: BigInt(txt) });
      i += m[0].length;
      continue;
    }
    if ((m = rest.match(/^'(.)'/))) { out.push({ t: 'num', v: BigInt(m[1].charCodeAt(0)) }); i += 3; continue; }
    if ((m = rest.match(/^\$?[A-Za-z_.][\w.@$]*/))) { out.push({ t: 'id', v: m[0] }); i += m[0].length; continue; }
    if ((m = rest.match(/^(<<|>>|<=|>=|==|!=|&&|\|\|)/))) { out.push({ t: 'op', v: m[0] }); i += 2; continue; }
    if ('+-*/%&|^~!<>()[]'.includes(ch)) { out.push({ t: 'op', v: ch }); i++; continue; }
    throw new ExprError(`unexpected '${ch}' in expression`);
  }
  return out;
}

const BIN: [string[], (a: bigint, b: bigint) => bigint][] = [
  [['||'], (a, b) => (a || b ? 1n : 0n)],
  [['&&'], (a, b) => (a && b ? 1n : 0n)],
  [['|'], (a, b) => a | b],
  [['^'], (a, b) => a ^ b],
  [['&'], (a, b) => a & b],
  [['==', '!='], () => 0n],
  [['<', '<=', '>', '>='], () => 0n],
  [['<<', '>>'], () => 0n],
  [['+', '-'], () => 0n],
  [['*', '/', '%'], () => 0n],
];

function apply(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '||': return a || b ? 1n : 0n;
    case '&&': return a && b ? 1n : 0n;
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '<': return a < b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '<<': return (a << (b & 127n)) & M64;
    case '>>': return a >> (b & 127n);
    case '+': return (a + b) & M64;
    case '-': return (a - b) & M64;
    case '*': return (a * b) & M64;
    case '/': if (b === 0n) throw new ExprError('division by zero'); return a / b;
    case '%': if (b === 0n) throw new ExprError('division by zero'); return a % b;
  }
  throw new ExprError(`unknown operator ${op}`);
}

/** A parsed expression: evaluate it as often as needed (breakpoint conditions). */
export type Compiled = (env: EvalEnv) => bigint;

export function compile(src: string): Compiled {
  const toks = lex(src);
  if (toks.length === 0) throw new ExprError('empty expression');
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => peek()?.t === 'op' && peek().v === v;
  const expect = (v: string) => { if (!isOp(v)) throw new ExprError(`expected '${v}' in '${src}'`); p++; };

  const level = (k: number): Compiled => {
    if (k >= BIN.length) return unary();
    let left = level(k + 1);
    while (peek()?.t === 'op' && BIN[k][0].includes(peek().v as string)) {
      const op = toks[p++].v as string;
      const l = left, r = level(k + 1);
      left = (env) => apply(op, l(env), r(env));
    }
    return left;
  };
  const deref = (size: number, inner: Compiled): Compiled => (env) => {
    const a = inner(env);
    return leToBig(readLinear(env.cpu, Number(BigInt.asIntN(64, a)), size));
  };
  const unary = (): Compiled => {
    const t = peek();
    if (t?.t === 'op') {
      if (t.v === '-') { p++; const e = unary(); return (env) => (-e(env)) & M64; }
      if (t.v === '~') { p++; const e = unary(); return (env) => ~e(env) & M64; }
      if (t.v === '!') { p++; const e = unary(); return (env) => (e(env) ? 0n : 1n); }
      if (t.v === '*') { p++; return deref(8, unary()); }
      if (t.v === '&') {
        p++;
        const id = peek();
        if (id?.t !== 'id') throw new ExprError(`'&' needs a symbol name`);
        p++;
        return symbolRef(id.v);
      }
    }
    return primary();
  };
  const symbolRef = (name: string): Compiled => (env) => {
    const s = env.symbols.lookup(name);
    if (!s) throw new ExprError(`no symbol '${name}'`);
    return laToBig(s.addr);
  };
  const primary = (): Compiled => {
    const t = toks[p++];
    if (!t) throw new ExprError(`incomplete expression '${src}'`);
    if (t.t === 'num') { const v = t.v & M64; return () => v; }
    if (t.t === 'op') {
      if (t.v === '(') { const e = level(0); expect(')'); return e; }
      if (t.v === '[') { const e = level(0); expect(']'); return deref(8, e); }
      throw new ExprError(`unexpected '${t.v}' in '${src}'`);
    }
    const name = t.v;
    const size = SIZES[name.toLowerCase()];
    if (size && isOp('[')) { p++; const e = level(0); expect(']'); return deref(size, e); }
    if (size && peek()?.t === 'id' && (peek().v as string).toLowerCase() === 'ptr' && toks[p + 1]?.t === 'op' && toks[p + 1].v === '[') {
      p += 2; const e = level(0); expect(']'); return deref(size, e);
    }
    const reg = regAccess(name);
    if (reg) return (env) => reg.get(env.cpu);
    if (name.startsWith('$')) throw new ExprError(`no register '${name.slice(1)}'`);
    return symbolRef(name);
  };
  const e = level(0);
  if (p < toks.length) throw new ExprError(`unexpected '${toks[p].v}' in '${src}'`);
  return e;
}

export function evaluate(src: string, env: EvalEnv): bigint {
  return compile(src)(env);
}

/** Evaluates an address expression to a signed linear-address number. */
export function evalAddr(src: string, env: EvalEnv): number {
  return Number(BigInt.asIntN(64, evaluate(src, env)));
}
