import { buildWorkload } from '../emulator/bench/workloads.ts';
import { writeElf } from '../guest-kernel/asm/elf-writer.ts';
import { runWorkload } from '../emulator/bench/main.ts';
const w = (process.argv[2] ?? 'alu') as 'alu';
const elf = writeElf(buildWorkload(w));
runWorkload(elf, 100000);
const r = runWorkload(elf, Number(process.argv[3] ?? 2000000));
console.log(w, r.ck, (r.insns / r.seconds / 1e6).toFixed(1), 'MIPS');
