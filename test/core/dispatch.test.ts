/**
 * The interpreter's fast paths: the dispatch switch that inlines the hot
 * handlers (emulator/cpu/dispatch.ts), effective addresses as int32 halves
 * (Cpu.eaLo/eaJoin) and the integer-tagged TLB (CpuMem.paH).
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Machine } from '../../emulator/machine.ts';
import { Insn, BASE_RIP } from '../../emulator/cpu/insn.ts';
import { SEG_DS, SEG_FS, SEG_GS, SEG_SS } from '../../emulator/cpu/state.ts';
import { dispatchCase, dispatchInfo } from '../../emulator/cpu/dispatch.ts';
import { lookupInsn, codeOf } from '../../emulator/insns/registry.ts';
import { X86Fault } from '../../emulator/faults.ts';

const M64 = (1n << 64n) - 1n;

/** A deterministic 32-bit generator (xorshift32). */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
}

function setReg(m: Machine, r: number, v: bigint): void {
  const R = m.cpus[0].R;
  R[2 * r] = Number(v & 0xffffffffn) | 0;
  R[2 * r + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
}

/** Interesting 64-bit values: near 0, near 2^31/2^32, the canonical edges, all ones. */
function pick(next: () => number): bigint {
  const edges = [0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x00007ffffffff000n, 0x00007fffffffffffn,
    0xffff800000000000n, 0xfffffffffffff000n, M64];
  const k = next() % 16;
  if (k < edges.length) return (edges[k] + BigInt((next() % 9) - 4)) & M64;
  return (BigInt(next()) << 32n) | BigInt(next());
}

describe('effective addresses as int32 halves', () => {
  it('eaLo/eaJoin equal base + index*scale + disp (+ FS/GS base) mod 2^64 and reject exactly the non-canonical sums', () => {
    const m = new Machine({ memSize: 1 << 20 });
    const c = m.cpus[0];
    const next = rng(12345);
    let canonical = 0, faults = 0;
    for (let n = 0; n < 20000; n++) {
      const i = new Insn();
      const base = pick(next), index = pick(next), fs = pick(next) & 0x0000ffffffffffffn;
      const disp = BigInt.asIntN(32, BigInt(next()));
      i.base = next() % 5 === 0 ? -1 : 3;
      i.index = next() % 3 === 0 ? -1 : 6;
      i.scale = [1, 2, 4, 8][next() % 4];
      i.scaleShift = Math.log2(i.scale);
      i.dispLo = Number(disp & 0xffffffffn);
      i.dispHi = Number(BigInt.asIntN(32, disp >> 32n));
      i.asz = next() % 4 === 0 ? 32 : 64;
      i.seg = [SEG_DS, SEG_SS, SEG_FS, SEG_GS][next() % 4];
      setReg(m, 3, base);
      setReg(m, 6, index);
      c.fsBase = Number(BigInt.asIntN(64, fs)); c.gsBase = Number(BigInt.asIntN(64, fs ^ 0x123456789000n));
      let want = disp + (i.base >= 0 ? base : 0n) + (i.index >= 0 ? index * BigInt(i.scale) : 0n);
      want &= i.asz === 32 ? 0xffffffffn : M64;
      if (i.seg === SEG_FS) want += fs;
      if (i.seg === SEG_GS) want += fs ^ 0x123456789000n;
      want &= M64;
      const lo = c.eaLo(i), hi = c.eah;
      expect((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toBe(want);
      const top = want >> 47n;
      if (top === 0n || top === 0x1ffffn) {
        canonical++;
        expect(c.eaJoin(i, lo, hi)).toBe(Number(BigInt.asIntN(64, want)));
      } else {
        faults++;
        let err: unknown = null;
        try { c.eaJoin(i, lo, hi); } catch (e) { err = e; }
        expect(err).toBeInstanceOf(X86Fault);
        expect((err as X86Fault).vector).toBe(i.seg === SEG_SS ? 12 : 13);
      }
    }
    expect(canonical).toBeGreaterThan(2000);
    expect(faults).toBeGreaterThan(2000);
  });

  it('RIP-relative operands are relative to the next instruction', () => {
    const m = new Machine({ memSize: 1 << 20 });
    const c = m.cpus[0];
    const i = new Insn();
    i.base = BASE_RIP; i.len = 7; i.dispLo = 0xfffffff0; i.dispHi = -1; // disp -16
    c.rip = -0x80000000 + 0x10;          // 0xffffffff80000010
    const lo = c.eaLo(i);
    // 0xffffffff80000010 + 7 - 16 = 0xffffffff80000007
    expect(lo >>> 0).toBe(0x80000007);
    expect(c.eah).toBe(-1);
  });
});

describe('integer-tagged TLB entries', () => {
  it('hit after a fill, and miss after INVLPG, a CR3 flush, or when the page gains code', () => {
    const m = new Machine({ memSize: 16 << 20 });
    const c = m.cpus[0];
    // Identity paging from the boot loader is not set up here: build a one-page map by hand.
    const pml4 = 0x10000, pdpt = 0x11000, pd = 0x12000, pt = 0x13000;
    const dv = m.mem.dv;
    dv.setUint32(pml4, pdpt | 3, true);
    dv.setUint32(pdpt, pd | 3, true);
    dv.setUint32(pd, pt | 3, true);
    dv.setUint32(pt + 8 * 5, 0x40000 | 3, true); // linear 0x5000 -> physical 0x40000
    c.cr3 = pml4; c.cr0 |= 0x80000001; c.flushTlb();
    expect(c.paH(0x5008, 0, 0, 7)).toBe(-1);          // empty TLB
    expect(c.translate(0x5008, 0)).toBe(0x40008);     // fills the read TLB
    expect(c.paH(0x5008, 0, 0, 7)).toBe(0x40008);
    expect(c.paH(0x5ff8, 0, 0, 7)).toBe(0x40ff8);     // last qword of the page
    expect(c.paH(0x5ff9, 0, 0, 7)).toBe(-1);          // would straddle the page
    expect(c.paH(0x5008, 1, 0, 7)).toBe(-1);          // same low half, other high half
    expect(c.paH(0x5008, 0, 1, 7)).toBe(-1);          // write TLB not filled by a read
    c.invlpg(0x5000);
    expect(c.paH(0x5008, 0, 0, 7)).toBe(-1);
    c.translate(0x5008, 1);
    expect(c.paH(0x5010, 0, 1, 7)).toBe(0x40010);
    c.dropWriteEntries(0x40);
    expect(c.paH(0x5010, 0, 1, 7)).toBe(-1);
    c.translate(0x5008, 0);
    c.flushTlb();
    expect(c.paH(0x5008, 0, 0, 7)).toBe(-1);
  });
});

describe('the dispatch switch', () => {
  it('inlines the hot integer handlers, and only handlers whose source it has', () => {
    const info = dispatchInfo();
    expect(info.cases).toBeGreaterThan(100);
    for (const [name, form] of [['Add_rm64_r64', 'exec'], ['Mov_r64_rm64', 'mem'], ['Mov_rm64_r64', 'mem'], ['Push_r64', 'exec'],
      ['Pop_r64', 'exec'], ['Call_rel32_64', 'exec'], ['Retnq', 'exec'], ['Jne_rel8_64', 'exec'], ['Dec_rm64', 'exec']] as const) {
      const def = lookupInsn(codeOf(name))!;
      expect(dispatchCase((form === 'mem' ? def.mem : def.exec)!), name).toBeGreaterThan(0);
    }
    // A hand-written handler (no template source) is never inlined.
    expect(dispatchCase(lookupInsn(codeOf('Pushfq'))!.exec)).toBe(0);
  });

  it("stays under V8's bytecode-size limit for optimisation (61,440 bytes)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'x86emu-dispatch-'));
    try {
      const script = join(dir, 'probe.ts');
      const root = resolve(import.meta.dirname, '../..');
      writeFileSync(script, `import '${root}/emulator/machine.ts';\nimport { getExecRange } from '${root}/emulator/cpu/dispatch.ts';\n` +
        `const f = getExecRange();\nf({ R: new Int32Array(32), smc: false }, [], 0, 0);\n`);
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--print-bytecode', '--print-bytecode-filter=execRange', script],
        { encoding: 'utf8', cwd: root, maxBuffer: 64 << 20 });
      const m = /Bytecode length: (\d+)/.exec(r.stdout);
      expect(m, r.stderr).not.toBeNull();
      expect(Number(m![1])).toBeLessThan(61440);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
