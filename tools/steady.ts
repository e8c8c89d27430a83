import { buildWorkload } from '../emulator/bench/workloads.ts';
import { writeElf } from '../guest-kernel/asm/elf-writer.ts';
import { runWorkload } from '../emulator/bench/main.ts';
const w = (process.argv[2] ?? 'alu') as 'alu';
const elf = writeElf(buildWorkload(w));
for (let k = 0; k < 4; k++) { const r = runWorkload(elf, 3000000); console.log(w, (r.insns / r.seconds / 1e6).toFixed(1), 'MIPS', r.seconds.toFixed(2)); }
