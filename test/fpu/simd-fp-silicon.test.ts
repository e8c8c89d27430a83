// Compares the SIMD FP library with vectors captured on silicon by
// tools/simd-fp-oracle (test/fixtures/simd-fp/*.json). Expected values come
// only from the CPU; see the fixture files' "fields" for the vector layout.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadMxcsr, makeFpEnv, setEmbeddedRounding, setSae, type FpEnv } from '../../emulator/fpu/simd-fp-env.ts';
import * as L from '../../emulator/fpu/simd-fp.ts';

// ---- adapters: fixture operands (bigint bit patterns) -> library call ----------
interface Adapter { run: (env: FpEnv, imm: number, o: bigint[]) => bigint; er?: boolean; sae?: boolean }
const lo = (v: bigint): number => Number(v & 0xffffffffn);
const hi = (v: bigint): number => Number(v >> 32n);
const n32 = (v: bigint): number => Number(v);
const r64 = (env: FpEnv): bigint => (BigInt(env.rhi >>> 0) << 32n) | BigInt(env.rlo >>> 0);
type Op32 = (env: FpEnv, a: number, b: number) => number;
type Op64 = (env: FpEnv, alo: number, ahi: number, blo: number, bhi: number) => number;
const bin32 = (f: Op32, extra: Partial<Adapter> = {}): Adapter => ({ run: (env, _i, o) => BigInt(f(env, n32(o[0]), n32(o[1])) >>> 0), ...extra });
const bin64 = (f: Op64, extra: Partial<Adapter> = {}): Adapter => ({ run: (env, _i, o) => { f(env, lo(o[0]), hi(o[0]), lo(o[1]), hi(o[1])); return r64(env); }, ...extra });
const un32 = (f: (env: FpEnv, a: number) => number, extra: Partial<Adapter> = {}): Adapter => ({ run: (env, _i, o) => BigInt(f(env, n32(o[0])) >>> 0), ...extra });
const un64 = (f: (env: FpEnv, lo: number, hi: number) => number, extra: Partial<Adapter> = {}): Adapter => ({ run: (env, _i, o) => { f(env, lo(o[0]), hi(o[0])); return r64(env); }, ...extra });

const ADAPTERS: Record<string, Adapter> = {
  addss: bin32(L.addF32), subss: bin32(L.subF32), mulss: bin32(L.mulF32), divss: bin32(L.divF32),
  minss: bin32(L.minF32), maxss: bin32(L.maxF32), sqrtss: un32(L.sqrtF32),
  addsd: bin64(L.addF64), subsd: bin64(L.subF64), mulsd: bin64(L.mulF64), divsd: bin64(L.divF64),
  minsd: bin64(L.minF64), maxsd: bin64(L.maxF64), sqrtsd: un64(L.sqrtF64),
  vaddss_er: bin32(L.addF32, { er: true }), vsubss_er: bin32(L.subF32, { er: true }), vmulss_er: bin32(L.mulF32, { er: true }),
  vdivss_er: bin32(L.divF32, { er: true }), vaddsd_er: bin64(L.addF64, { er: true }), vmulsd_er: bin64(L.mulF64, { er: true }),
  vdivsd_er: bin64(L.divF64, { er: true }), vsqrtss_er: un32(L.sqrtF32, { er: true }), vsqrtsd_er: un64(L.sqrtF64, { er: true }),
  vmaxss_sae: bin32(L.maxF32, { sae: true }), vminsd_sae: bin64(L.minF64, { sae: true }),
};

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/simd-fp');

interface Fixture { op: string; insn: string; fields: string[]; vectors: string[] }

function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as Fixture;
}

/** Run one fixture; returns failures (at most `keep` kept) and total count. */
function runFixture(fx: Fixture, ad: Adapter, keep = 8): { total: number; failed: number; samples: string[] } {
  const env: FpEnv = makeFpEnv();
  const hasImm = fx.fields[1] === 'imm';
  const nops = fx.fields.length - 3 - (hasImm ? 1 : 0);
  let failed = 0;
  const samples: string[] = [];
  for (const line of fx.vectors) {
    const f = line.split(' ');
    const mxcsr = parseInt(f[0], 16);
    const imm = hasImm ? parseInt(f[1], 16) : 0;
    const ops: bigint[] = [];
    for (let k = 0; k < nops; k++) ops.push(BigInt('0x' + f[(hasImm ? 2 : 1) + k]));
    const want = BigInt('0x' + f[f.length - 2]);
    const wantFlags = parseInt(f[f.length - 1], 16);
    loadMxcsr(env, mxcsr);
    if (ad.er) setEmbeddedRounding(env, imm & 3);
    if (ad.sae) setSae(env);
    let got: bigint;
    try {
      got = ad.run(env, imm, ops);
    } catch (e) {
      failed++;
      if (samples.length < keep) samples.push(`${line}  -> threw ${String(e)}`);
      continue;
    }
    if (got !== want || env.flags !== wantFlags) {
      failed++;
      if (samples.length < keep) samples.push(`${line}  -> got ${got.toString(16)} flags ${env.flags.toString(16)}`);
    }
  }
  return { total: fx.vectors.length, failed, samples };
}

const files = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();

describe('simd-fp against silicon vectors', () => {
  it('has fixtures', () => { expect(files.length).toBeGreaterThan(50); });
  for (const file of files) {
    const op = file.replace(/\.json$/, '');
    const ad = ADAPTERS[op];
    if (!ad) continue;
    it(`${op}`, () => {
      const fx = loadFixture(file);
      const r = runFixture(fx, ad);
      if (r.failed) console.log(`${op}: ${r.failed}/${r.total} failed\n  ` + r.samples.join('\n  '));
      expect(r.total).toBeGreaterThan(100);
      expect(r.failed).toBe(0);
    });
  }
});
