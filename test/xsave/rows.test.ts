/**
 * The vector rows copy registers as 64-bit Float64Array elements
 * (isa-ext/xsave/table.ts XBuf): every bit pattern must survive, NaN payloads,
 * signalling NaNs, V8's "hole" NaN and -0 included, in V8's interpreter and in
 * its optimised code (the loop runs long enough for both). Offsets are the
 * standard-format ones of the SDM (CPUID.(0DH,i).EBX on Sapphire Rapids):
 * XMMn at 160 + 16n, AVX (YMMn[255:128]) at 576 + 16n, ZMM_Hi256 at 1152 + 32n,
 * Hi16_ZMM (ZMM16-31) at 1664 + 64(n - 16).
 */
import { describe, it, expect } from 'vitest';
import { setupCase } from '../../emulator/conform/setup.ts';
import { parseCaseFile } from '../../emulator/conform/format.ts';
import { decodeOne } from '../../emulator/cpu/decode.ts';

const AREA = 0x20000040;
const XSAVE64 = '480fae27', XRSTOR64 = '480fae2f';

function machine() {
  const doc = parseCaseFile(JSON.stringify({ format: 'x86-conformance/1', cases: [{ name: 't', cpl: 0, xcr0: '0xe7',
    regs: { rax: '0xffffffff', rdx: '0xffffffff', rdi: `0x${AREA.toString(16)}` },
    memory: [{ addr: '0x20000000', hex: '00'.repeat(8192) }], code_addr: '0x10000000', code: 'cc', expect: { stop: { vector: 3 } } }] }), 't');
  return setupCase(doc.cases[0], 'sapphire-rapids');
}

/** Qword bit patterns as [lo, hi] int32 pairs: NaN classes, infinities, zeros, denormals. */
const SPECIAL: [number, number][] = [
  [0, 0x7ff80000], [0, 0xfff80000],              // quiet NaNs, both signs
  [1, 0x7ff00000], [0, 0x7ff00001], [0xffffffff, 0x7ff7ffff], [0x12345, 0xfff4dead], // signalling NaNs
  [0xfff7ffff, 0xfff7ffff], [0xffffffff, 0xffffffff], // V8's hole NaN, all ones
  [0, 0x80000000], [0, 0], [1, 0], [0, 0x000fffff], [0, 0x7ff00000], [0, 0xfff00000],
];

describe('XSAVE64/XRSTOR64 keep every bit of the vector registers', () => {
  it('NaN payloads, signalling NaNs, -0 and denormals in XMM, YMM upper halves and ZMM0-31, 3,000 round trips', () => {
    const cm = machine();
    const c = cm.m.cpus[0];
    const pa = cm.mapper.phys(AREA)!;
    const ram = cm.m.mem.dv;
    const save = decodeOne(Buffer.from(XSAVE64, 'hex')), restore = decodeOne(Buffer.from(XRSTOR64, 'hex'));
    let x = 7;
    const rnd = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x | 0; };
    const want = new Int32Array(512);
    for (let round = 0; round < 3000; round++) {
      for (let k = 0; k < 512; k += 2) {
        const r = rnd() & 31;
        const [lo, hi] = r < SPECIAL.length ? SPECIAL[(r + round) % SPECIAL.length] : [rnd(), rnd()];
        want[k] = lo | 0; want[k + 1] = hi | 0;
      }
      c.vi32.set(want);
      save.exec(c, save);
      // The image holds the registers' bytes where the SDM puts them.
      for (let n = 0; n < 32; n++) {
        for (let w = 0; w < 16; w++) {
          const at = n >= 16 ? 1664 + 64 * (n - 16) + 4 * w
            : w < 4 ? 160 + 16 * n + 4 * w
              : w < 8 ? 576 + 16 * n + 4 * (w - 4)
                : 1152 + 32 * n + 4 * (w - 8);
          const got = ram.getInt32(pa + at, true);
          if (got !== want[16 * n + w]) expect(`ZMM${n} dword ${w} in the image: 0x${(got >>> 0).toString(16)}`).toBe(`0x${(want[16 * n + w] >>> 0).toString(16)}`);
        }
      }
      c.vi32.fill(0x5a5a5a5a);
      restore.exec(c, restore);
      for (let k = 0; k < 512; k++) {
        if (c.vi32[k] !== want[k]) expect(`ZMM${k >> 4} dword ${k & 15} after XRSTOR64: 0x${(c.vi32[k] >>> 0).toString(16)}`).toBe(`0x${(want[k] >>> 0).toString(16)}`);
      }
    }
  }, 60_000);
});
