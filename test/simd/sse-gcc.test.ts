// Cross-check against silicon: test/simd/sse-gcc-fixture.json holds results captured natively
// (AMD EPYC, AVX2/FMA/F16C/SSE4a) by test/simd/sse-gcc-gen.py from gcc inline asm; each case
// runs one instruction with ymm1 = A, ymm2 = B, ymm0 = M, ymm3 = D, eax = 5, edx = 9,
// ecx = 0x1234, MXCSR = 0x1f80 and compares ymm3, ymm0, ecx, RFLAGS & 0x8d5 and MXCSR.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as regs from '../../guest-kernel/asm/index.ts';
import { run } from './sse-harness.ts';

interface Fx { insn: string; A: string; B: string; M: string; D: string; ymm3: string; ymm0: string; rflags: string; ecx: string; mxcsr: string }
const fx = JSON.parse(readFileSync(new URL('./sse-gcc-fixture.json', import.meta.url), 'utf8')) as { cases: Fx[] };
const bytes = (h: string) => Array.from(Buffer.from(h, 'hex'));
const hex = (b: number[]) => Buffer.from(b).toString('hex');

function operand(t: string): unknown {
  if (/^(0x[0-9a-f]+|\d+)$/i.test(t)) return Number(t);
  const r = (regs as Record<string, unknown>)[t];
  if (!r) throw new Error(`unknown operand ${t}`);
  return r;
}

describe('native cross-check (gcc inline asm on AMD EPYC)', () => {
  const byInsn = new Map<string, Fx[]>();
  for (const k of fx.cases) byInsn.set(k.insn, [...(byInsn.get(k.insn) ?? []), k]);
  for (const [insn, cases] of byInsn) {
    it(insn, () => {
      const [mn, ...rest] = insn.split(/\s+/);
      const ops = rest.join(' ').split(',').map((s) => s.trim()).filter(Boolean).map(operand);
      for (const k of cases) {
        const r = run((a) => (a as unknown as { inst(n: string, ...o: unknown[]): void }).inst(mn, ...ops), {
          v: { 1: bytes(k.A), 2: bytes(k.B), 0: bytes(k.M), 3: bytes(k.D) }, r: { 0: 5n, 2: 9n, 1: 0x1234n },
        });
        const got = {
          stop: r.stop?.vector, ymm3: hex(r.vec(3, 32)), ymm0: hex(r.vec(0, 32)),
          rflags: '0x' + ((Number(r.c.R64[0] & 0n) | (getFlags(r.c) & 0x8d5)) >>> 0).toString(16),
          ecx: '0x' + (Number(r.c.R64[1] & 0xffffffffn)).toString(16), mxcsr: '0x' + r.c.mxcsr.toString(16),
        };
        expect(got, `${insn} A=${k.A} B=${k.B}`).toEqual({ stop: 3, ymm3: k.ymm3, ymm0: k.ymm0, rflags: k.rflags, ecx: k.ecx, mxcsr: k.mxcsr });
      }
    });
  }
});

import { getRflags } from '../../emulator/cpu/flags.ts';
import type { Cpu } from '../../emulator/cpu/cpu.ts';
function getFlags(c: Cpu): number { return getRflags(c); }
