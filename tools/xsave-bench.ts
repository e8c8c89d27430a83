/**
 * Micro-benchmarks of the bench's xsave loop (XSAVE64 + VPXOR + XRSTOR64, RFBM = 7).
 *
 *   npx tsx tools/xsave-bench.ts [reps] [iterations]
 *     the whole guest loop, as `x86emu bench --only xsave` times it: (time(N) − time(0)) / N,
 *     in wall time and in process CPU time (steadier on a shared machine); min and median
 *   npx tsx tools/xsave-bench.ts handlers [reps] [s|r|sr][k]
 *     only the two handlers, called directly 1M times per repetition (s: XSAVE64, r: XRSTOR64;
 *     without k, YMM0 is zeroed between them like the VPXOR); CPU time, min and median
 *
 * Compare versions back to back (or in one process), several repetitions, and report ratios.
 */
import { buildWorkload } from '../emulator/bench/workloads.ts';
import { writeElf } from '../guest-kernel/asm/elf-writer.ts';
import { Machine } from '../emulator/machine.ts';
import { bootImage } from '../emulator/boot/loader.ts';
import { Insn } from '../emulator/cpu/insn.ts';
import { xsaveStandard } from '../isa-ext/xsave/save.ts';
import { xrstor } from '../isa-ext/xsave/restore.ts';

const elf = writeElf(buildWorkload('xsave'));
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function run(iters: number, memSize = 256 * 1024 * 1024): { ck: string; wall: number; cpu: number; m: Machine } {
  const out: number[] = [];
  const m = new Machine({ memSize, consoleOut: (b) => out.push(b) });
  bootImage(m, elf, { cmdline: String(iters) });
  const c0 = process.cpuUsage(), t0 = performance.now();
  const stop = m.run(1e12);
  const wall = (performance.now() - t0) / 1000, c1 = process.cpuUsage(c0);
  if (stop.kind !== 'exit') throw new Error(`stopped with ${stop.kind}`);
  return { ck: Buffer.from(out).toString('latin1').trim(), wall, cpu: (c1.user + c1.system) / 1e6, m };
}

function wholeLoop(reps: number, n: number): void {
  run(100000); // warm-up
  const w: number[] = [], c: number[] = [];
  let ck = '';
  for (let k = 0; k < reps; k++) {
    const r = run(n), z = run(0);
    ck = r.ck;
    w.push(((r.wall - z.wall) / n) * 1e9);
    c.push(((r.cpu - z.cpu) / n) * 1e9);
  }
  console.log(`xsave loop ${ck}: wall min ${Math.min(...w).toFixed(0)} med ${med(w).toFixed(0)} | cpu min ${Math.min(...c).toFixed(0)} med ${med(c).toFixed(0)} ns/iteration`);
}

function handlers(reps: number, mode: string): void {
  // A machine left by the workload: CR4.OSXSAVE, XCR0 = 7, YMM0 loaded.
  const c = run(1000, 64 * 1024 * 1024).m.cpus[0];
  const ins = new Insn(); ins.base = 7; ins.len = 4; // [rdi]
  c.R[14] = 0x300000; c.R[15] = 0; c.R[0] = 7; c.R[1] = 0; c.R[4] = 0; c.R[5] = 0;
  for (let k = 0; k < 8; k++) c.vi32[k] = 0x1234567 * (k + 1);
  const S = mode.includes('s'), R = mode.includes('r'), Z = !mode.includes('k');
  xsaveStandard(c, ins, true, false);
  const loop = (n: number) => {
    for (let k = 0; k < n; k++) {
      if (S) xsaveStandard(c, ins, true, false);
      if (Z) { const v = c.vi32; for (let j = 0; j < 8; j++) v[j] = 0; }
      if (R) xrstor(c, ins, true, false);
    }
  };
  loop(200000);
  const t: number[] = [], n = 1000000;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage(); loop(n); const c1 = process.cpuUsage(c0);
    t.push(((c1.user + c1.system) * 1000) / n);
  }
  console.log(`handlers (${mode}): cpu min ${Math.min(...t).toFixed(0)} med ${med(t).toFixed(0)} ns/iteration`);
}

if (process.argv[2] === 'handlers') handlers(Number(process.argv[3] ?? 5), process.argv[4] ?? 'sr');
else wholeLoop(Number(process.argv[2] ?? 7), Number(process.argv[3] ?? 300000));
