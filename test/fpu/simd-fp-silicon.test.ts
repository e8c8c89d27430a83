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
  vcmpss: { run: (env, i, o) => (L.cmpF32(env, n32(o[0]), n32(o[1]), i) ? 0xffffffffn : 0n) },
  vcmpsd: { run: (env, i, o) => (L.cmpF64(env, lo(o[0]), hi(o[0]), lo(o[1]), hi(o[1]), i) ? 0xffffffffffffffffn : 0n) },
  vcmpss_sae: { run: (env, i, o) => (L.cmpF32(env, n32(o[0]), n32(o[1]), i) ? 1n : 0n), sae: true },
  comiss: { run: (env, _i, o) => BigInt(L.comiF32(env, n32(o[0]), n32(o[1]), true)) },
  ucomiss: { run: (env, _i, o) => BigInt(L.comiF32(env, n32(o[0]), n32(o[1]), false)) },
  comisd: { run: (env, _i, o) => BigInt(L.comiF64(env, lo(o[0]), hi(o[0]), lo(o[1]), hi(o[1]), true)) },
  ucomisd: { run: (env, _i, o) => BigInt(L.comiF64(env, lo(o[0]), hi(o[0]), lo(o[1]), hi(o[1]), false)) },
  cvtss2sd: un32to64(L.cvtF32toF64), vcvtss2sd_sae: un32to64(L.cvtF32toF64, { sae: true }),
  cvtsd2ss: un64to32(L.cvtF64toF32), vcvtsd2ss_er: un64to32(L.cvtF64toF32, { er: true }),
  cvtss2si32: un32((e, a) => L.cvtF32toI32(e, a, false)), cvttss2si32: un32((e, a) => L.cvtF32toI32(e, a, true)),
  cvtss2si64: un32to64((e, a) => L.cvtF32toI64(e, a, false)), cvttss2si64: un32to64((e, a) => L.cvtF32toI64(e, a, true)),
  cvtsd2si32: un64to32((e, l, h) => L.cvtF64toI32(e, l, h, false)), cvttsd2si32: un64to32((e, l, h) => L.cvtF64toI32(e, l, h, true)),
  cvtsd2si64: un64((e, l, h) => L.cvtF64toI64(e, l, h, false)), cvttsd2si64: un64((e, l, h) => L.cvtF64toI64(e, l, h, true)),
  vcvtss2usi32: un32((e, a) => L.cvtF32toU32(e, a, false)), vcvttss2usi32: un32((e, a) => L.cvtF32toU32(e, a, true)),
  vcvtss2usi64: un32to64((e, a) => L.cvtF32toU64(e, a, false)), vcvttss2usi64: un32to64((e, a) => L.cvtF32toU64(e, a, true)),
  vcvtsd2usi32: un64to32((e, l, h) => L.cvtF64toU32(e, l, h, false)), vcvttsd2usi32: un64to32((e, l, h) => L.cvtF64toU32(e, l, h, true)),
  vcvtsd2usi64: un64((e, l, h) => L.cvtF64toU64(e, l, h, false)), vcvttsd2usi64: un64((e, l, h) => L.cvtF64toU64(e, l, h, true)),
  vcvtss2si32_er: un32((e, a) => L.cvtF32toI32(e, a, false), { er: true }),
  vcvtsd2usi64_er: un64((e, l, h) => L.cvtF64toU64(e, l, h, false), { er: true }),
  vcvttss2si32_sae: un32((e, a) => L.cvtF32toI32(e, a, true), { sae: true }),
  cvtsi2ss32: un32(L.cvtI32toF32), vcvtusi2ss32: un32(L.cvtU32toF32),
  cvtsi2sd32: un32to64(L.cvtI32toF64), vcvtusi2sd32: un32to64(L.cvtU32toF64),
  cvtsi2ss64: un64to32(L.cvtI64toF32), vcvtusi2ss64: un64to32(L.cvtU64toF32), vcvtusi2ss64_er: un64to32(L.cvtU64toF32, { er: true }),
  cvtsi2sd64: un64(L.cvtI64toF64), vcvtusi2sd64: un64(L.cvtU64toF64),
  vcvtph2ps: un32(L.cvtF16toF32),
  vcvtps2ph: { run: (env, i, o) => BigInt(L.cvtF32toF16(env, n32(o[0]), i) >>> 0) },
  ...fmaAdapters(),
  roundss: imm32(L.rndscaleF32), vrndscaless: imm32(L.rndscaleF32), vreducess: imm32(L.reduceF32),
  roundsd: imm64(L.rndscaleF64), vrndscalesd: imm64(L.rndscaleF64), vreducesd: imm64(L.reduceF64),
  vgetexpss: un32(L.getexpF32), vgetexpsd: un64(L.getexpF64),
  vgetmantss: imm32(L.getmantF32), vgetmantsd: imm64(L.getmantF64),
  vscalefss: bin32(L.scalefF32), vscalefsd: bin64(L.scalefF64),
  vscalefss_er: bin32(L.scalefF32, { er: true }), vscalefsd_er: bin64(L.scalefF64, { er: true }),
  vrangess: { run: (env, i, o) => BigInt(L.rangeF32(env, n32(o[0]), n32(o[1]), i) >>> 0) },
  vrangesd: { run: (env, i, o) => { L.rangeF64(env, lo(o[0]), hi(o[0]), lo(o[1]), hi(o[1]), i); return r64(env); } },
  vfixupimmss: { run: (env, i, o) => BigInt(L.fixupimmF32(env, n32(o[0]), n32(o[1]), lo(o[2]), i) >>> 0) },
  vfixupimmsd: { run: (env, i, o) => { L.fixupimmF64(env, lo(o[0]), hi(o[0]), lo(o[1]), hi(o[1]), lo(o[2]), i); return r64(env); } },
  dpps: { run: (env, i, o) => dp(env, i, o, false) },
  dppd: { run: (env, i, o) => dp(env, i, o, true) },
};
function dp(env: FpEnv, imm: number, o: bigint[], is64: boolean): bigint {
  const words = (v: bigint): Uint32Array => Uint32Array.from([0, 1, 2, 3].map((k) => Number((v >> BigInt(32 * k)) & 0xffffffffn)));
  const a = words(o[0]), b = words(o[1]), out = new Uint32Array(4);
  if (is64) L.dppd(env, a, 0, b, 0, imm, out, 0); else L.dppsBlock(env, a, 0, b, 0, imm, out, 0);
  return [...out].reduce((acc, w, k) => acc | (BigInt(w) << BigInt(32 * k)), 0n);
}
function imm32(f: (env: FpEnv, a: number, imm: number) => number): Adapter {
  return { run: (env, i, o) => BigInt(f(env, n32(o[0]), i) >>> 0) };
}
function imm64(f: (env: FpEnv, lo: number, hi: number, imm: number) => number): Adapter {
  return { run: (env, i, o) => { f(env, lo(o[0]), hi(o[0]), i); return r64(env); } };
}
function un32to64(f: (env: FpEnv, a: number) => number, extra: Partial<Adapter> = {}): Adapter {
  return { run: (env, _i, o) => { f(env, n32(o[0])); return r64(env); }, ...extra };
}
function un64to32(f: (env: FpEnv, lo: number, hi: number) => number, extra: Partial<Adapter> = {}): Adapter {
  return { run: (env, _i, o) => BigInt(f(env, lo(o[0]), hi(o[0])) >>> 0), ...extra };
}
/** FMA fixtures: imm 0/1/2 = form 132/213/231; 4..7 = form 231 with embedded rounding imm-4 */
function fmaAdapters(): Record<string, Adapter> {
  const out: Record<string, Adapter> = {};
  const kinds: [string, number][] = [['fmadd', L.FMA_MADD], ['fmsub', L.FMA_MSUB], ['fnmadd', L.FMA_NMADD], ['fnmsub', L.FMA_NMSUB]];
  for (const [name, kind] of kinds) {
    out[`v${name}ss`] = { run: (env, i, o) => {
      if (i >= 4) setEmbeddedRounding(env, i - 4);
      return BigInt(L.fmaF32(env, n32(o[0]), n32(o[1]), n32(o[2]), kind, i >= 4 ? L.FORM_231 : i) >>> 0);
    } };
    out[`v${name}sd`] = { run: (env, i, o) => {
      if (i >= 4) setEmbeddedRounding(env, i - 4);
      L.fmaF64(env, lo(o[0]), hi(o[0]), lo(o[1]), hi(o[1]), lo(o[2]), hi(o[2]), kind, i >= 4 ? L.FORM_231 : i);
      return r64(env);
    } };
  }
  return out;
}

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

// Approximations (not bit-exact by design): special results must match exactly,
// finite ones must agree with silicon within the relative tolerance.
const APPROX: Record<string, { f: (env: FpEnv, o: bigint) => bigint; tol: number; is64: boolean }> = {
  rcpss: { f: (e, o) => BigInt(L.rcpF32(e, n32(o)) >>> 0), tol: 2 ** -10, is64: false },
  rsqrtss: { f: (e, o) => BigInt(L.rsqrtF32(e, n32(o)) >>> 0), tol: 2 ** -10, is64: false },
  vrcp14ss: { f: (e, o) => BigInt(L.rcp14F32(e, n32(o)) >>> 0), tol: 2 ** -13, is64: false },
  vrsqrt14ss: { f: (e, o) => BigInt(L.rsqrt14F32(e, n32(o)) >>> 0), tol: 2 ** -13, is64: false },
  vrcp14sd: { f: (e, o) => { L.rcp14F64(e, lo(o), hi(o)); return r64(e); }, tol: 2 ** -13, is64: true },
  vrsqrt14sd: { f: (e, o) => { L.rsqrt14F64(e, lo(o), hi(o)); return r64(e); }, tol: 2 ** -13, is64: true },
};
function toNum(v: bigint, is64: boolean): number {
  if (is64) return new Float64Array(new BigUint64Array([v]).buffer)[0];
  return new Float32Array(new Uint32Array([Number(v)]).buffer)[0];
}

describe('approximate reciprocals against silicon (tolerance)', () => {
  for (const [op, ap] of Object.entries(APPROX)) {
    it(op, () => {
      const fx = loadFixture(`${op}.json`);
      const env = makeFpEnv();
      let bad = 0, exactSpecial = 0;
      const samples: string[] = [];
      for (const line of fx.vectors) {
        const f = line.split(' ');
        loadMxcsr(env, parseInt(f[0], 16));
        const got = ap.f(env, BigInt('0x' + f[1]));
        const want = BigInt('0x' + f[2]);
        const w = toNum(want, ap.is64), g = toNum(got, ap.is64);
        const special = !Number.isFinite(w) || w === 0 || Number.isNaN(w);
        let ok = env.flags === parseInt(f[3], 16);
        if (special) { ok &&= got === want; exactSpecial++; }
        else ok &&= Math.abs(g - w) <= ap.tol * Math.abs(w);
        if (!ok) { bad++; if (samples.length < 8) samples.push(`${line} -> ${got.toString(16)} flags ${env.flags}`); }
      }
      if (bad) console.log(`${op}: ${bad}/${fx.vectors.length}\n  ` + samples.join('\n  '));
      expect(exactSpecial).toBeGreaterThan(20);
      expect(bad).toBe(0);
    });
  }
});

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
      expect(r.total).toBeGreaterThan(50);
      expect(r.failed).toBe(0);
    });
  }
});
