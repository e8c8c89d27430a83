/**
 * Bench: XSAVE64 + VPXOR ymm + XRSTOR64 with RFBM = 7 (x87|SSE|AVX), the loop
 * of the brief (target < 500 ns per iteration of the three instructions).
 *   npx tsx test/xsave/bench.ts [iterations]
 */
import { setupCase } from '../../emulator/conform/setup.ts';
import { parseCaseFile } from '../../emulator/conform/format.ts';

export function benchLoop(iters: number): { nsPerIter: number; stop: string } {
  // mov ecx, iters; loop: xsave64 [rdi]; vpxor ymm0, ymm0, ymm1; xrstor64 [rdi]; dec ecx; jnz loop; int3
  const n = iters.toString(16).padStart(8, '0').match(/../g)!.reverse().join('');
  const code = `b9${n}` + '480fae27' + 'c5fdefc1' + '480fae2f' + 'ffc9' + '75f0' + 'cc';
  const doc = parseCaseFile(JSON.stringify({
    format: 'x86-conformance/1', cpu: 'sapphire-rapids', cases: [{
      name: 'bench', cpl: 3, xcr0: '0x7', regs: { rax: '0x7', rdx: '0x0', rdi: '0x20000000' },
      memory: [{ addr: '0x20000000', hex: '00'.repeat(4096) }], code_addr: '0x10000000', code,
      expect: { stop: { vector: 3 } },
    }],
  }), 'bench');
  const cm = setupCase(doc.cases[0], 'sapphire-rapids');
  const t0 = process.hrtime.bigint();
  const stop = cm.m.run(iters * 5 + 10);
  const t1 = process.hrtime.bigint();
  return { nsPerIter: Number(t1 - t0) / iters, stop: `${stop.kind} ${stop.vector ?? ''} ${stop.reason ?? ''}` };
}

if (process.argv[1]?.endsWith('bench.ts')) {
  const iters = Number(process.argv[2] ?? 200000);
  benchLoop(20000);
  const r = benchLoop(iters);
  console.log(`XSAVE64+VPXOR+XRSTOR64 (RFBM=7): ${r.nsPerIter.toFixed(1)} ns/iteration (${r.stop})`);
}
