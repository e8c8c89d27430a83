// Runs x86emu's approximation functions over every input of the run.sh sweeps and
// compares bit for bit.   npx tsx tools/approx-oracle/verify.ts DIR
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { amdRcp32, amdRsqrt32 } from '../../emulator/fpu/approx-amd.ts';
import { rcp14F32, rsqrt14F32, rcp14F64, rsqrt14F64, r64 } from '../../emulator/fpu/approx-14.ts';

const dir = process.argv[2] ?? '/tmp/approx-sweeps';
const F32: Record<string, (a: number, daz: boolean, ftz: boolean) => number> = {
  rcpps: amdRcp32, rcpss: amdRcp32, vrcpps256: amdRcp32,
  rsqrtps: amdRsqrt32, rsqrtss: amdRsqrt32, vrsqrtps256: amdRsqrt32,
  vrcp14ps: rcp14F32, vrsqrt14ps: (a, daz) => rsqrt14F32(a, daz),
};
const F64: Record<string, (lo: number, hi: number, daz: boolean, ftz: boolean) => void> = {
  vrcp14pd: rcp14F64, vrsqrt14pd: (lo, hi, daz) => rsqrt14F64(lo, hi, daz),
};
let files = 0, inputs = 0, bad = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith('.bin')).sort()) {
  const [op, es, mxs] = name.split('.');
  const mx = parseInt(mxs, 16), daz = (mx & 0x40) !== 0, ftz = (mx & 0x8000) !== 0;
  const r = new Uint32Array(readFileSync(join(dir, name)).buffer.slice(0));
  let fileBad = 0;
  if (F32[op]) {
    const f = F32[op], e = Number(es), hi = ((e & 0x100) << 23 | (e & 0xff) << 23) >>> 0;
    for (let m = 0; m < r.length; m++) {
      const a = (hi | m) >>> 0, got = f(a, daz, ftz);
      if (got !== r[m] && fileBad++ < 3) console.log(`${name}: ${a.toString(16)} -> ${got.toString(16)}, silicon ${r[m].toString(16)}`);
    }
    inputs += r.length;
  } else if (F64[op]) {
    const f = F64[op];
    for (let k = 0; k < r.length; k += 4) {
      f(r[k], r[k + 1], daz, ftz);
      if ((r64[0] !== r[k + 2] || r64[1] !== r[k + 3]) && fileBad++ < 3) {
        const h = (x: number) => x.toString(16).padStart(8, '0');
        console.log(`${name}: ${h(r[k + 1])}${h(r[k])} -> ${h(r64[1])}${h(r64[0])}, silicon ${h(r[k + 3])}${h(r[k + 2])}`);
      }
    }
    inputs += r.length / 4;
  } else continue;
  files++; bad += fileBad;
  if (fileBad) console.log(`${name}: ${fileBad} mismatches`);
}
console.log(`${files} sweeps, ${inputs} inputs, ${bad} mismatches`);
process.exit(bad || !files ? 1 : 0);
