/**
 * The bench workloads are correct programs: each prints the checksum that
 * shared/bench/checksums.txt (native, QEMU and Bochs agree on it) or, for
 * x86emu's own loops, a native run on silicon gives. No timing here.
 */
import { describe, it, expect } from 'vitest';
import { writeElf } from '../../guest-kernel/asm/elf-writer.ts';
import { buildWorkload, WORKLOADS } from '../../emulator/bench/workloads.ts';
import { runWorkload, loadChecksums } from '../../emulator/bench/main.ts';

const sums = loadChecksums();

describe.each(WORKLOADS.map((w) => [w]))('%s', (w) => {
  const elf = writeElf(buildWorkload(w));
  it.each([0, 1000])('N = %i prints the reference checksum', (n) => {
    const want = sums.get(`${w} ${n}`);
    expect(want, `no checksum for ${w} ${n}`).toBeDefined();
    expect(runWorkload(elf, n).ck).toBe(want);
  });
});
