/**
 * `x86emu bench [--json FILE] [--only NAME,...] [--reps N]`: runs the
 * reference loops of shared/bench/ and prints guest MIPS per workload
 * (ns per iteration for xsave), computed as shared/bench/README.md says:
 * MIPS = N × instructions-per-iteration / (time(N) − time(0)), and checks
 * every run's checksum against shared/bench/checksums.txt.
 */
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine } from '../machine.ts';
import { bootImage } from '../boot/loader.ts';
import { writeElf } from '../../guest-kernel/asm/elf-writer.ts';
import { buildWorkload, WORKLOADS, PER_ITER, type Workload } from './workloads.ts';
import { parseArgs, intOpt, UsageError } from '../cli/args.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Iterations timed per workload: about 20-40 M guest instructions each. */
/** Default seconds of untimed runs of each workload before its timed ones (--warmup). */
const WARMUP_S = 3;
/** The CLI entry (children run it: it sets the V8 options the interpreter is tuned for). */
const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/x86emu.js');
const TIMED_N: Record<Workload, number> = { alu: 3_000_000, mem: 3_000_000, call: 2_000_000, simd: 2_000_000, xsave: 300_000, xsavec: 200_000 };

/** Checksums: shared/bench/checksums.txt for the reference loops, emulator/bench/checksums.txt for x86emu's own. */
export function loadChecksums(): Map<string, string> {
  const m = new Map<string, string>();
  for (const file of [resolve(ROOT, '../shared/bench/checksums.txt'), resolve(ROOT, 'emulator/bench/checksums.txt')]) {
    if (!existsSync(file)) throw new UsageError(`${file} not found: the bench checks every run's checksum`);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const p = line.trim().split(/\s+/);
      if (p.length === 3 && !line.startsWith('#')) m.set(`${p[0]} ${p[1]}`, p[2]);
    }
  }
  return m;
}

export interface RunResult { ck: string; seconds: number; insns: number }

/** Boots the workload image with N iterations; returns its printed checksum and the run time. */
export function runWorkload(elf: Uint8Array, n: number): RunResult {
  const out: number[] = [];
  const m = new Machine({ memSize: 256 * 1024 * 1024, consoleOut: (b) => out.push(b) });
  bootImage(m, elf, { cmdline: String(n) });
  const t0 = performance.now();
  const stop = m.run(1e12);
  const seconds = (performance.now() - t0) / 1000;
  const text = Buffer.from(out).toString('latin1').trim();
  if (stop.kind !== 'exit') throw new Error(`stopped with ${stop.kind}${stop.reason ? ': ' + stop.reason : ''}${m.cpus[0].lastFault ? ` (last fault: ${m.cpus[0].lastFault})` : ''}`);
  return { ck: text, seconds, insns: m.totalInstructions };
}

export interface BenchFigure { name: string; mips: number; iterations: number; seconds: number; ns_per_iter?: number; checksum_ok: boolean; error?: string }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Checks one workload's checksums, warms up, and times it `reps` times (median). */
function measure(w: Workload, reps: number, warmup: number): BenchFigure {
  const sums = loadChecksums();
  process.stderr.write(`bench ${w}: checking checksums... `);
  const elf = writeElf(buildWorkload(w));
  try {
    let ok = true;
    for (const n of [0, 1000, 100000]) {
      const r = runWorkload(elf, n);
      const want = sums.get(`${w} ${n}`);
      if (r.ck !== want) { ok = false; process.stderr.write(`\n  ${w} N=${n}: printed '${r.ck}', expected '${want}'`); }
    }
    process.stderr.write(ok ? 'ok; warming up' : '\n  warming up anyway');
    const n = TIMED_N[w];
    // Untimed runs first, for at least `warmup` seconds and the same (N, 0) pairs as the timed ones: V8 optimises the
    // interpreter's dispatch switch while it runs and needs a few rounds to reach its peak (PERFORMANCE.md: warm up
    // before timing); a path first taken in a timed run (even the 0-iteration one) would cost a re-optimisation there.
    for (const t0 = performance.now(); performance.now() - t0 < warmup * 1000;) { runWorkload(elf, n); runWorkload(elf, 0); }
    process.stderr.write('; timing');
    const t: number[] = [];
    for (let k = 0; k < reps; k++) {
      const big = runWorkload(elf, n).seconds;
      const zero = runWorkload(elf, 0).seconds;
      t.push(big - zero);
      process.stderr.write(process.env.X86EMU_BENCH_VERBOSE ? ` ${((n * PER_ITER[w]) / (big - zero) / 1e6).toFixed(1)}` : '.');
    }
    const secs = median(t);
    const mips = (n * PER_ITER[w]) / secs / 1e6;
    const fig: BenchFigure = { name: w, mips: Number(mips.toFixed(1)), iterations: n, seconds: Number(secs.toFixed(4)), checksum_ok: ok };
    if (w === 'xsave' || w === 'xsavec') fig.ns_per_iter = Number(((secs / n) * 1e9).toFixed(1));
    process.stderr.write('\n');
    return fig;
  } catch (e) {
    process.stderr.write(`failed: ${(e as Error).message}\n`);
    return { name: w, mips: 0, iterations: 0, seconds: 0, checksum_ok: false, error: (e as Error).message };
  }
}

export function benchCommand(argv: string[]): number {
  const { opts } = parseArgs(argv, { json: 'string', only: 'string', reps: 'string', warmup: 'string', 'in-process': 'flag' });
  const only = opts.only ? String(opts.only).split(',') : [...WORKLOADS];
  for (const w of only) if (!WORKLOADS.includes(w as Workload)) throw new UsageError(`unknown workload '${w}' (known: ${WORKLOADS.join(', ')})`);
  const reps = intOpt(opts.reps, 'reps', 1, 99, 7);
  const warmup = intOpt(opts.warmup, 'warmup', 0, 60, WARMUP_S);
  const figures: BenchFigure[] = [];
  let peak = process.memoryUsage().rss;
  if (opts['in-process'] || only.length === 1) {
    for (const w of only as Workload[]) figures.push(measure(w, reps, warmup));
    peak = Math.max(peak, process.memoryUsage().rss);
  } else {
    // Each workload in a fresh emulator process, as the reference engines ran each loop: what V8 learnt
    // optimising one workload's instruction mix does not slow the next one down.
    const dir = mkdtempSync(join(tmpdir(), 'x86emu-bench-'));
    try {
      for (const w of only) {
        const out = join(dir, `${w}.json`);
        const r = spawnSync(process.execPath, [BIN, 'bench', '--only', w, '--reps', String(reps), '--warmup', String(warmup), '--json', out],
          { stdio: ['ignore', 'ignore', 'inherit'] });
        if (!existsSync(out)) {
          const why = `the bench process for ${w} ended with status ${r.status ?? r.signal} and no figures`;
          figures.push({ name: w, mips: 0, iterations: 0, seconds: 0, checksum_ok: false, error: why });
          continue;
        }
        const res = JSON.parse(readFileSync(out, 'utf8')) as { workloads: BenchFigure[]; peak_rss_mb: number };
        figures.push(...res.workloads);
        peak = Math.max(peak, res.peak_rss_mb * 1048576);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log('workload   guest MIPS   iterations   seconds   checksum');
  for (const f of figures) {
    const extra = f.ns_per_iter !== undefined ? `   (${f.ns_per_iter} ns/iteration)` : '';
    console.log(`${f.name.padEnd(10)} ${f.error ? 'failed'.padStart(10) : f.mips.toFixed(1).padStart(10)}   ${String(f.iterations).padStart(10)}   ${f.seconds.toFixed(3).padStart(7)}   ${f.checksum_ok ? 'ok' : 'WRONG'}${extra}${f.error ? '  ' + f.error : ''}`);
  }
  console.log(`peak RSS ${(peak / 1048576).toFixed(0)} MB (256 MiB guest)`);
  if (opts.json) writeFileSync(String(opts.json), JSON.stringify({ workloads: figures, peak_rss_mb: Math.round(peak / 1048576) }, null, 2) + '\n');
  return figures.every((f) => f.checksum_ok && !f.error) ? 0 : 1;
}
