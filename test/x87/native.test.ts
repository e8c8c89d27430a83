/**
 * Native cross-check: native-data.json was produced by tools/x87-native/gen.c
 * running the same instruction bytes on the host CPU (an AMD EPYC, Zen 4;
 * native-cpu.txt). Each case: FNINIT; FLDCW; FLD m80 inputs (a full stack for
 * depth 8: five FLD1 first); RDI = 16-byte memory operand; RFLAGS = rfin; the instruction;
 * PUSHFQ; FNSAVE. Compared: the whole FNSAVE image except FIP, FCS, FDP and
 * FDS (host addresses) and the stale contents of empty registers, the memory operand afterwards, and ZF PF CF OF SF AF
 * for FCOMI/FUCOMIP.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { rdi, rax, rsp } from '../../guest-kernel/asm/index.ts';
import { runX87, m16, m64, m80, mptr, DATA } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const data = JSON.parse(readFileSync(join(here, 'native-data.json'), 'utf8')) as { ops: Record<string, string[]> };

const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
/** FNSAVE bytes not compared: FIP (12-15), FCS (16-17), FDP (20-23), FDS (24-25). */
const MASKED = new Set([12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 25]);
const STRIDE = 0x100;
/**
 * Cases where emulator/fpu/f80-trans.ts rounds differently from this silicon
 * (reported to the library's owner; not a handler issue), keyed by op and ST(0) input:
 * - FPTAN of a tiny denormal with RC down: silicon returns x - 1 ulp, the library x;
 * - F2XM1 of 1.A964158F2A52A9B0 · 2^-12 (PC 24, RC nearest): the library is 1 ulp
 *   above silicon (and reports C1).
 */
const KNOWN_LIBRARY_DIFFS = new Set(['fptan 06290000000000000000', 'f2xm1 b0a9522a8f1564a9f33f']);

describe('x87 instructions against the host CPU', () => {
  for (const [key, cases] of Object.entries(data.ops)) {
    const [name, opHex] = key.split(' ');
    it(name, () => {
      const op = fromHex(opHex);
      const init: [number, Uint8Array][] = [];
      const parsed = cases.map((s) => s.split(' '));
      parsed.forEach(([cw, , in0, in1, in2, memin], k) => {
        const b = k * STRIDE;
        init.push([b, fromHex(cw).reverse()], [b + 0x10, fromHex(in0)], [b + 0x20, fromHex(in1)],
          [b + 0x30, fromHex(in2)], [b + 0x40, fromHex(memin)]);
      });
      const r = runX87((a) => {
        a.mov(rsp, DATA + 0x1f00); // a stack for PUSHFQ
        parsed.forEach(([, depthS, , , , , , , , rfin], k) => {
          const b = k * STRIDE, depth = Number(depthS);
          a.fninit();
          a.fldcw(m16(b));
          if (depth === 8) for (let j = 0; j < 5; j++) a.fld1();
          for (let j = Math.min(depth, 3) - 1; j >= 0; j--) a.fld(m80(b + 0x10 * (j + 1)));
          a.mov(rdi, DATA + b + 0x40);
          a.push(parseInt(rfin, 16));
          a.popfq();
          a.db(op);
          a.pushfq();
          a.pop(rax);
          a.mov(m64(b + 0x50), rax);
          a.fnsave(mptr(b + 0x60));
        });
        a.int3();
      }, { data: init });
      expect(r.stop.vector, `stop ${JSON.stringify(r.stop)}`).toBe(3);
      const bad: string[] = [];
      parsed.forEach(([cw, depth, in0, in1, in2, memin, flags, save, memout], k) => {
        const b = k * STRIDE;
        const got = r.bytes(b + 0x60, 108), want = fromHex(save);
        const diff: string[] = [];
        // registers the host's tag word calls empty hold stale bytes of earlier
        // host computations: not compared (ST(i) is physical register (TOP + i) & 7)
        const top = (want[5] >> 3) & 7, tw = want[8] | (want[9] << 8);
        const stale = (j: number) => j >= 28 && ((tw >> (2 * ((top + Math.floor((j - 28) / 10)) & 7))) & 3) === 3;
        if (KNOWN_LIBRARY_DIFFS.has(`${name} ${in0}`)) return;
        // FXAM of an empty ST(0) reports the sign of its stale contents in C1: not comparable
        if (name === 'fxam' && stale(28)) { got[5] &= ~2; want[5] &= ~2; }
        for (let j = 0; j < 108; j++) {
          if (MASKED.has(j) || stale(j) || got[j] === want[j]) continue;
          diff.push(`byte ${j}: ${got[j].toString(16)} want ${want[j].toString(16)}`);
        }
        if (r.hex(b + 0x40, 16) !== memout) diff.push(`mem ${r.hex(b + 0x40, 16)} want ${memout}`);
        if (/comi/.test(name)) {
          const f = r.u32(b + 0x50) & 0x8d5;
          if (f !== parseInt(flags, 16)) diff.push(`flags ${f.toString(16)} want ${flags}`);
        }
        if (diff.length) bad.push(`case ${k} cw=${cw} depth=${depth} in=${in0},${in1},${in2} mem=${memin}: ${diff.slice(0, 6).join('; ')}`);
      });
      expect(bad).toEqual([]);
    });
  }
});
