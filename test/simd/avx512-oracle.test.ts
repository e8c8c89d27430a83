// Cross-check against silicon: every case of test/simd/avx512-oracle/cases.json
// (AVX-512 F/BW/DQ/VL/CD) and test/simd/avx512-ext-oracle/cases.json (VBMI,
// VBMI2, VNNI, AVX-VNNI, IFMA, BITALG, VPOPCNTDQ, GFNI) was captured natively
// (gcc inline asm, the gen.py beside each) on this project's AMD EPYC host.
// The emulator runs the same instruction bytes from the same state and must
// produce the same zmm1, k1, k2, MXCSR, RAX, arithmetic flags and memory.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { run, DATA } from './avx512-harness.ts';
import { getRflags } from '../../emulator/cpu/flags.ts';

interface OCase { insn: string; bytes: string; in: string; out: string; zmm17?: string; mem?: string; outmem?: string }
const load = (dir: string) => (JSON.parse(readFileSync(new URL(`./${dir}/cases.json`, import.meta.url), 'utf8')) as { cases: OCase[] }).cases;
const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)));
const h = (a: ArrayLike<number>) => Array.from(a, (x) => x.toString(16).padStart(2, '0')).join('');

function check(k: OCase): string | null {
  const inp = hex(k.in), out = hex(k.out);
  const hasIdx = inp.length > 224;
  const z4 = hasIdx ? inp.subarray(192, 256) : new Uint8Array(64);
  const tail = inp.subarray(hasIdx ? 256 : 192);
  const dv = new DataView(tail.buffer, tail.byteOffset);
  const memBytes = new Uint8Array(4096);
  if (k.mem) memBytes.set(hex(k.mem));
  const r = run(hex(k.bytes), {
    v: { 1: inp.subarray(0, 64), 2: inp.subarray(64, 128), 3: inp.subarray(128, 192), 4: z4, 17: inp.subarray(64, 128), 18: inp.subarray(64, 128) },
    k: { 1: dv.getBigUint64(0, true), 2: dv.getBigUint64(8, true) },
    r: { 0: dv.getBigUint64(24, true), 7: BigInt(DATA) },
    mxcsr: dv.getUint32(16, true),
    mem: [{ addr: DATA, bytes: memBytes, perm: 'rw' }],
  });
  const c = r.c;
  if (r.stop?.vector !== 3) return `stopped with vector ${r.stop?.vector}: ${r.stop?.reason}`;
  const odv = new DataView(out.buffer);
  const diffs: string[] = [];
  if (h(r.vec(1)) !== h(out.subarray(0, 64))) diffs.push(`zmm1 ${h(r.vec(1))} != ${h(out.subarray(0, 64))}`);
  if (c.k64[1] !== odv.getBigUint64(64, true)) diffs.push(`k1 ${c.k64[1].toString(16)} != ${odv.getBigUint64(64, true).toString(16)}`);
  if (c.k64[2] !== odv.getBigUint64(72, true)) diffs.push(`k2 ${c.k64[2].toString(16)} != ${odv.getBigUint64(72, true).toString(16)}`);
  if (c.mxcsr !== odv.getUint32(80, true)) diffs.push(`mxcsr ${c.mxcsr.toString(16)} != ${odv.getUint32(80, true).toString(16)}`);
  if (c.R64[0] !== odv.getBigUint64(88, true)) diffs.push(`rax ${c.R64[0].toString(16)} != ${odv.getBigUint64(88, true).toString(16)}`);
  const rf = Number(odv.getBigUint64(96, true)) & 0x8d5;
  const ef = getRflags(c) & 0x8d5;
  if (ef !== rf) diffs.push(`rflags ${ef.toString(16)} != ${rf.toString(16)}`);
  if (k.zmm17 && h(r.vec(17)) !== k.zmm17) diffs.push(`zmm17 ${h(r.vec(17))} != ${k.zmm17}`);
  if (k.mem) {
    const got = h(r.mem(DATA, 512)), want = k.outmem ?? k.mem;
    if (got !== want) diffs.push(`memory ${got} != ${want}`);
  }
  return diffs.length ? diffs.join('; ') : null;
}
describe.each([['avx512-oracle'], ['avx512-ext-oracle']])('AVX-512 vs silicon (%s/gen.py captures)', (dir) => {
  const groups = new Map<string, OCase[]>();
  for (const k of load(dir)) {
    const mn = k.insn.split(' ')[0];
    if (!groups.has(mn)) groups.set(mn, []);
    groups.get(mn)!.push(k);
  }
  for (const [mn, ks] of groups) {
    test(mn, () => {
      const fails: string[] = [];
      for (const k of ks) {
        const d = check(k);
        if (d) fails.push(`${k.insn} [in ${k.in.slice(-80)}]: ${d}`);
      }
      expect(fails.slice(0, 3).join('\n')).toBe('');
    });
  }
});
