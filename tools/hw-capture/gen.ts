/**
 * Generates conformance cases, runs them on this machine's silicon through the
 * C harness, and writes x86-conformance/1 files to test/conformance/host/.
 *   npx tsx tools/hw-capture/gen.ts capture --harness BIN [--out DIR] [--only FAMILY,...] [--runs N]
 *   npx tsx tools/hw-capture/gen.ts replay --harness BIN FILE   (runs someone else's cases on this silicon, reports differences)
 */
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, runHarness, toCase, hostModel, seed, type Built, type Spec, type Captured, GPRS, hex } from './core.ts';
import * as I from './int.ts';
import * as X from './x87.ts';
import * as V from './vec.ts';
import * as S from './sweep.ts';

const FAMILIES: Record<string, () => Spec[]> = {
  alu: I.alu, incdec: I.incdec, muldiv: I.muldiv, shift: I.shift, shxd: I.shxd, bittest: I.bittest, bitscan: I.bitscan, bmi: I.bmi,
  cond: I.cond, movx: I.movx, xchg: I.xchg, lea: I.lea, stack: I.stack, string: I.string, cvtflag: I.cvtflag, fault: I.fault,
  x87: X.x87, 'sse-int': V.sseInt, 'sse-fp': V.sseFp, avx: V.avx, avx512: V.avx512, kmask: V.kmask,
  'sweep-legacy-int': S.sweepInt, 'sweep-legacy-x87': S.sweepX87, 'sweep-legacy-mmx': S.sweepMmx, 'sweep-legacy-sse': S.sweepSse,
};

const SMALL = new Set(['incdec', 'muldiv', 'bittest', 'bitscan', 'bmi', 'cond', 'movx', 'xchg', 'lea', 'stack', 'cvtflag', 'fault', 'shxd', 'kmask', 'sweep-legacy-int', 'sweep-legacy-x87', 'sweep-legacy-mmx', 'sweep-legacy-sse']);
/** Cases kept whatever the thinning: the emulator failed them when they were captured. */
const ALWAYS = [/^alu\/cmp-rm/, /^alu\/cmp-rr-rev/];
function fnv(s: string): number { let x = 0x811c9dc5; for (const c of s) { x ^= c.charCodeAt(0); x = Math.imul(x, 0x01000193) >>> 0; } return x; }

const args = process.argv.slice(2);
const opt = (k: string) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
const bin = opt('--harness') ?? '/tmp/hwcap';
const runs = Number(opt('--runs') ?? 2);

if (args[0] === 'capture') {
  const outDir = opt('--out') ?? 'test/conformance/host';
  mkdirSync(outDir, { recursive: true });
  const only = opt('--only')?.split(',');
  const model = hostModel();
  for (const [fam, fn] of Object.entries(FAMILIES)) {
    if (only && !only.includes(fam)) continue;
    seed(BigInt(1 + [...fam].reduce((a, c) => a * 31 + c.charCodeAt(0), 7)));
    const specs = fn();
    const names = new Set<string>();
    for (const s of specs) { if (names.has(s.name)) throw new Error(`duplicate case name ${s.name}`); names.add(s.name); }
    const built: Built[] = [];
    for (const s of specs) { try { built.push(build(s)); } catch (e) { console.error(`${s.name}: cannot assemble: ${(e as Error).message.split('\n')[0].slice(0, 200)}`); } }
    const { results, unstable } = runHarness(bin, built, runs);
    const cases: unknown[] = [];
    // Thinning keeps the committed files small (~8 MB in all): a stable hash of the name picks the cases kept.
    const keep = SMALL.has(fam) ? 1 : Number(opt('--keep') ?? 0.33);
    const kept = (name: string) => ALWAYS.some((re) => re.test(name)) || (fnv(name) % 1000) / 1000 < keep;
    let errs = 0;
    results.forEach((r, k) => {
      if (typeof r === 'string') { errs++; console.error(`${built[k].spec.name}: harness ${r}`); return; }
      if (unstable.includes(k)) { console.error(`${built[k].spec.name}: runs differ, dropped`); return; }
      if (kept(built[k].spec.name)) cases.push(toCase(built[k], r));
    });
    const doc = {
      format: 'x86-conformance/1', cpu: 'genoa',
      source: `captured on hardware: ${model} (this host; AVX-512 Zen), Linux user mode (CPL 3), by tools/hw-capture (harness.c + gen.ts, ${runs} runs per case, identical); masks from the SDM and iced-x86 instruction info, per case in the note`,
      cases,
    };
    writeFileSync(join(outDir, `${fam}.json`), `{"format": "x86-conformance/1", "cpu": "genoa",\n "source": ${JSON.stringify(doc.source)},\n "cases": [\n${cases.map((c) => JSON.stringify(c)).join(',\n')}\n]}\n`);
    console.log(`${fam}: ${cases.length} cases${errs ? `, ${errs} harness errors` : ''}${unstable.length ? `, ${unstable.length} unstable` : ''}`);
  }
} else if (args[0] === 'replay') {
  // Runs the cases of an existing file on this silicon and reports masked differences: validates the harness.
  const file = args[args.length - 1];
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const built: Built[] = [];
  for (const c of doc.cases) {
    const regs = Object.fromEntries(GPRS.map((g) => [g, BigInt(c.regs[g] ?? '0x0')])) as Built['regs'];
    built.push({
      spec: { name: c.name, note: '', code: [] }, code: Uint8Array.from(Buffer.from(c.code, 'hex')), regs, rflags: BigInt(c.rflags ?? '0x202'),
      memory: c.memory.map((m: { addr: string; hex: string; perm?: 'r' | 'rw' }) => ({ addr: Number(m.addr), bytes: Uint8Array.from(Buffer.from(m.hex, 'hex')), perm: m.perm ?? 'rw' })), text: '',
    });
  }
  const { results } = runHarness(bin, built, 1);
  let bad = 0;
  doc.cases.forEach((c: Record<string, any>, k: number) => {
    const r = results[k] as Captured | string;
    const diffs: string[] = [];
    if (typeof r === 'string') diffs.push(r);
    else {
      const e = c.expect;
      if (e.stop.vector !== r.vector) diffs.push(`vector ${e.stop.vector} vs ${r.vector}`);
      if (e.stop.rip && BigInt(e.stop.rip) !== r.rip) diffs.push(`rip ${e.stop.rip} vs ${r.rip.toString(16)}`);
      if (e.stop.error_code && BigInt(e.stop.error_code) !== r.err) diffs.push(`err ${e.stop.error_code} vs ${r.err.toString(16)}`);
      for (const [g, v] of Object.entries(e.regs ?? {})) if (BigInt(v as string) !== r.regs[GPRS.indexOf(g as never)]) diffs.push(`${g} ${v} vs ${r.regs[GPRS.indexOf(g as never)].toString(16)}`);
      if (e.rflags && ((BigInt(e.rflags.value) ^ r.rflags) & BigInt(e.rflags.mask))) diffs.push(`rflags ${e.rflags.value} vs ${r.rflags.toString(16)} mask ${e.rflags.mask}`);
      for (const em of e.memory ?? []) {
        const idx = c.memory.findIndex((m: { addr: string }) => m.addr === em.addr);
        const got = idx >= 0 ? r.mem[idx] : null;
        const want = Buffer.from(em.hex, 'hex'), mk = em.mask ? Buffer.from(em.mask, 'hex') : null;
        if (!got) { diffs.push(`no region ${em.addr}`); continue; }
        for (let i = 0; i < want.length; i++) if ((want[i] ^ got[i]) & (mk ? mk[i] : 0xff)) { diffs.push(`mem ${em.addr}+${i}: ${want[i].toString(16)} vs ${got[i].toString(16)} (${hex(got.slice(i & ~15, (i & ~15) + 16))})`); break; }
      }
    }
    if (diffs.length) { bad++; console.log(`DIFF ${c.name}: ${diffs.join('; ')}`); }
  });
  console.log(`${doc.cases.length - bad} same, ${bad} differ`);
} else {
  console.error('usage: gen.ts capture|replay ...');
  process.exit(2);
}
