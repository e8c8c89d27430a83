/**
 * RCP/RSQRT (AMD Zen, bit-exact) and VRCP14/VRSQRT14 (Intel's reference algorithm,
 * bit-exact) against silicon: test/fixtures/approx/*.txt.gz, captured on an AMD EPYC
 * (Zen 4) by tools/approx-oracle (run.sh fixture): 20k random f32 / 10k f64 inputs
 * of every class plus the edge cases, each under MXCSR 1f80, 1fc0 (DAZ), 9f80 (FTZ),
 * 9fc0. The exhaustive check (every mantissa of ~40 exponents, ~1.2e9 inputs) is
 * tools/approx-oracle/run.sh sweep + verify, which needs the CPU.
 * Then SDM specials derived by hand, the SDM error bounds over every table entry,
 * and the handlers (vendor choice).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { amdRcp32, amdRsqrt32 } from '../../emulator/fpu/approx-amd.ts';
import { rcp14F32, rsqrt14F32, rcp14F64, rsqrt14F64, r64 } from '../../emulator/fpu/approx-14.ts';
import { setupCase } from '../../emulator/conform/setup.ts';
import type { Case } from '../../emulator/conform/format.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/approx');
const MXCSR = [0x1f80, 0x1fc0, 0x9f80, 0x9fc0];

function lines(op: string): string[][] {
  return gunzipSync(readFileSync(join(dir, `${op}.txt.gz`))).toString('utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).map((l) => l.split(' '));
}

type F32 = (a: number, daz: boolean, ftz: boolean) => number;
const F32S: Record<string, F32> = {
  rcpps: (a) => amdRcp32(a), rsqrtps: (a) => amdRsqrt32(a),
  vrcp14ps: rcp14F32, vrsqrt14ps: (a, daz) => rsqrt14F32(a, daz),
};
const F64S: Record<string, (lo: number, hi: number, daz: boolean, ftz: boolean) => void> = {
  vrcp14pd: rcp14F64, vrsqrt14pd: (lo, hi, daz) => rsqrt14F64(lo, hi, daz),
};

describe('approximate reciprocals: silicon fixtures, bit for bit', () => {
  for (const op of Object.keys(F32S)) {
    it(op, () => {
      const f = F32S[op], rows = lines(op), bad: string[] = [];
      let n = 0;
      for (const r of rows) {
        const a = parseInt(r[0], 16);
        for (let k = 0; k < 4; k++) {
          const want = parseInt(r[k + 1] === '=' ? r[1] : r[k + 1], 16);
          const got = f(a, (MXCSR[k] & 0x40) !== 0, (MXCSR[k] & 0x8000) !== 0);
          n++;
          if (got !== want && bad.length < 8) bad.push(`${MXCSR[k].toString(16)} ${r[0]} -> ${got.toString(16)}, silicon ${want.toString(16)}`);
        }
      }
      expect(bad).toEqual([]);
      expect(n).toBeGreaterThan(80000);
    });
  }
  for (const op of Object.keys(F64S)) {
    it(op, () => {
      const f = F64S[op], rows = lines(op), bad: string[] = [];
      let n = 0;
      for (const r of rows) {
        const a = BigInt('0x' + r[0]);
        for (let k = 0; k < 4; k++) {
          const want = BigInt('0x' + (r[k + 1] === '=' ? r[1] : r[k + 1]));
          f(Number(a & 0xffffffffn), Number(a >> 32n), (MXCSR[k] & 0x40) !== 0, (MXCSR[k] & 0x8000) !== 0);
          const got = (BigInt(r64[1]) << 32n) | BigInt(r64[0]);
          n++;
          if (got !== want && bad.length < 8) bad.push(`${MXCSR[k].toString(16)} ${r[0]} -> ${got.toString(16)}, silicon ${want.toString(16)}`);
        }
      }
      expect(bad).toEqual([]);
      expect(n).toBeGreaterThan(40000);
    });
  }
});

const f32 = (b: number) => new Float32Array(new Uint32Array([b]).buffer)[0];
const hex = (b: number) => b.toString(16).padStart(8, '0');

describe('SDM special values (hand-derived)', () => {
  it('RCP: +-0 and +-denormal -> +-inf, +-inf -> +-0, NaN quieted, tiny results flushed', () => {
    expect(hex(amdRcp32(0x00000000))).toBe('7f800000');
    expect(hex(amdRcp32(0x80000000))).toBe('ff800000');
    expect(hex(amdRcp32(0x00000001))).toBe('7f800000'); // denormal read as zero (SDM: always, MXCSR.DAZ or not)
    expect(hex(amdRcp32(0x807fffff))).toBe('ff800000');
    expect(hex(amdRcp32(0x7f800000))).toBe('00000000');
    expect(hex(amdRcp32(0xff800000))).toBe('80000000');
    expect(hex(amdRcp32(0x7f800001))).toBe('7fc00001'); // SNaN -> QNaN
    expect(hex(amdRcp32(0xffc12345))).toBe('ffc12345'); // QNaN unchanged
    // SDM: inputs >= 1.11111111110100000000000B*2^125 never give tiny results,
    // inputs <= 1.00000000000110000000001B*2^126 always do (flushed to 0 of the sign).
    expect(amdRcp32(0x7e7fa000) >>> 23).toBe(1);
    expect(hex(amdRcp32(0x7f000c01))).toBe('00000000');
    expect(hex(amdRcp32(0xff7fffff))).toBe('80000000');
  });
  it('RSQRT: +-0 -> +-inf, -denormal -> -inf, negative -> default NaN, +inf -> +0', () => {
    expect(hex(amdRsqrt32(0x00000000))).toBe('7f800000');
    expect(hex(amdRsqrt32(0x80000000))).toBe('ff800000');
    expect(hex(amdRsqrt32(0x80000001))).toBe('ff800000');
    expect(hex(amdRsqrt32(0xbf800000))).toBe('ffc00000');
    expect(hex(amdRsqrt32(0xff800000))).toBe('ffc00000');
    expect(hex(amdRsqrt32(0x7f800000))).toBe('00000000');
    expect(hex(amdRsqrt32(0x7f800001))).toBe('7fc00001');
  });
  it('VRCP14: denormals are normal numbers unless DAZ, tiny results are denormal unless FTZ, exact powers of two', () => {
    expect(hex(rcp14F32(0x3f800000, false, false))).toBe('3f800000'); // 1/1 = 1
    expect(hex(rcp14F32(0x00400000, false, false))).toBe('7f000000'); // 1/2^-127 = 2^127
    expect(hex(rcp14F32(0x00400000, true, false))).toBe('7f800000'); // DAZ: 1/0
    expect(hex(rcp14F32(0x00200000, false, false))).toBe('7f800000'); // 1/2^-128 overflows
    expect(hex(rcp14F32(0x7f000000, false, false))).toBe('00400000'); // 1/2^127 = 2^-127, denormal
    expect(hex(rcp14F32(0x7f000000, false, true))).toBe('00000000'); // FTZ
    expect(hex(rcp14F32(0xff800000, false, false))).toBe('80000000');
    expect(hex(rsqrt14F32(0x40800000, false))).toBe('3f000000'); // 1/sqrt(4) = 0.5
    const r = f32(rsqrt14F32(0x00000001, false)); // 1/sqrt(2^-149) = 2^74.5: a normal number, not inf
    expect(Math.abs(r / 2 ** 74.5 - 1)).toBeLessThan(2 ** -14);
    expect(hex(rsqrt14F32(0x00000001, true))).toBe('7f800000');
    expect(hex(rsqrt14F32(0xff800000, false))).toBe('ffc00000');
    rcp14F64(0, 0x3ff00000, false, false); // 1/1
    expect([r64[1], r64[0]]).toEqual([0x3ff00000, 0]);
    rsqrt14F64(0, 0xc0000000, false); // 1/sqrt(-2)
    expect([r64[1], r64[0]]).toEqual([0xfff80000, 0]);
  });
});

describe('SDM error bounds over every table entry', () => {
  // The result only depends on input bits 22:11: check both ends of each of the 4096 steps.
  const ends = (f: (m: number) => number) => {
    let worst = 0;
    for (let i = 0; i < 4096; i++) worst = Math.max(worst, f(i << 11), f((i << 11) | 0x7ff));
    return worst;
  };
  it('RCP: |rel err| <= 1.5*2^-12 for every f32 mantissa', () => {
    const worst = ends((m) => Math.abs(f32(amdRcp32(0x3f800000 | m)) * (1 + m / 2 ** 23) - 1));
    expect(worst).toBeLessThanOrEqual(1.5 * 2 ** -12);
  });
  it('RSQRT: |rel err| <= 1.5*2^-12, both exponent parities', () => {
    for (const e of [127, 128]) {
      const worst = ends((m) => Math.abs(f32(amdRsqrt32((e << 23) | m)) * Math.sqrt(2 ** (e - 127) * (1 + m / 2 ** 23)) - 1));
      expect(worst).toBeLessThanOrEqual(1.5 * 2 ** -12);
    }
  });
  it('VRCP14/VRSQRT14: |rel err| < 2^-14', () => {
    let worst = 0;
    for (let m = 1; m < 1 << 23; m += 37) {
      const x = 1 + m / 2 ** 23;
      worst = Math.max(worst, Math.abs(f32(rcp14F32(0x3f800000 | m, false, false)) * x - 1),
        Math.abs(f32(rsqrt14F32(0x3f800000 | m, false)) * Math.sqrt(x) - 1),
        Math.abs(f32(rsqrt14F32(0x40000000 | m, false)) * Math.sqrt(2 * x) - 1));
    }
    expect(worst).toBeLessThan(2 ** -14);
  });
});

describe('handlers pick the vendor', () => {
  // RCPPS xmm0, xmm1; RSQRTSS xmm2, xmm1; VRCPPS ymm3, ymm1; int3
  const code = [0x0f, 0x53, 0xc1, 0xf3, 0x0f, 0x52, 0xd1, 0xc5, 0xfc, 0x53, 0xd9, 0xcc];
  const input = [0x3f800000, 0x40000000, 0x00000001, 0x7f7fffff, 0x3fc00000, 0x80000000, 0x41200000, 0xbf800000];
  function run(model: string) {
    const k: Case = {
      name: 'approx', note: '', cpl: 3, xcr0: 0xe7n, xss: 0n, xfd: 0n, cr0: null, cr4: null,
      msrs: [], regs: new Map(), rflags: 0x202n, memory: [], codeAddr: 0x10000000n, code: Uint8Array.from(code),
      expect: { vector: 3, errorCode: null, errorCodeMask: null, rip: null, regs: new Map(), msrs: [], rflags: null, memory: [] },
    };
    const cm = setupCase(k, model), c = cm.cpu;
    c.v32.set(input, 16);
    c.v32.set([0x11111111, 0x22222222, 0x33333333, 0x44444444], 32);
    cm.m.run(100);
    return { x0: Array.from(c.v32.subarray(0, 4)), x2: Array.from(c.v32.subarray(32, 36)), y3: Array.from(c.v32.subarray(48, 56)) };
  }
  it('genoa: AMD bits', () => {
    const r = run('genoa');
    expect(r.x0.map(hex)).toEqual(input.slice(0, 4).map((a) => hex(amdRcp32(a))));
    expect(r.x0.map(hex)).toEqual(['3f7ff000', '3efff000', '7f800000', '00000000']); // silicon (fixture / sweeps)
    expect(r.x2.map(hex)).toEqual([hex(amdRsqrt32(input[0])), '22222222', '33333333', '44444444']);
    expect(r.y3.map(hex)).toEqual(input.map((a) => hex(amdRcp32(a))));
  });
  it('sapphire-rapids: the correctly rounded 12-bit value', () => {
    const r = run('sapphire-rapids');
    expect(r.x0.map(hex)).toEqual(['3f800000', '3f000000', '7f800000', '00000000']);
    expect(r.x2[0]).toBe(0x3f800000);
  });
});
