/**
 * Software interrupts and the instructions that do nothing architectural:
 * INT3, INT n, INT1, UD0/UD1/UD2, NOP forms, ENDBR64, PAUSE, fences, CLFLUSH.
 */
import { defineInsn } from './registry.ts';
import { EventKind } from '../cpu/cpu.ts';
import { ud } from '../faults.ts';

const owner = 'misc';

// CC: INT3 (SDM "INT n/INTO/INT3/INT1"): a trap; the pushed RIP is the next instruction.
defineInsn('Int3', { owner, term: true, exec: (c, i) => c.softInt(3, i, EventKind.SoftInt, 'INT3') });
// CD ib: INT n.
defineInsn('Int_imm8', { owner, term: true, exec: (c, i) => c.softInt(i.imm & 0xff, i, EventKind.SoftInt, `INT 0x${(i.imm & 0xff).toString(16)}`) });
// F1: INT1 (ICEBP): a trap delivered like an external #DB (no DPL check).
defineInsn('Int1', { owner, term: true, exec: (c, i) => c.softInt(1, i, EventKind.Trap, 'INT1') });
// 0F 0B / 0F B9 / 0F FF: the undefined instructions.
defineInsn(['Ud2'], { owner, exec: () => { throw ud('UD2'); } });
defineInsn(['Ud1_r16_rm16', 'Ud1_r32_rm32', 'Ud1_r64_rm64'], { owner, exec: () => { throw ud('UD1'); } });
defineInsn(['Ud0_r16_rm16', 'Ud0_r32_rm32', 'Ud0_r64_rm64', 'Ud0'], { owner, exec: () => { throw ud('UD0'); } });

const nop = () => {};
// 90, 0F 1F /0, F3 0F 1E FA, F3 90, fences and cache hints: no architectural effect here.
defineInsn(['Nopw', 'Nopd', 'Nopq', 'Nop_rm16', 'Nop_rm32', 'Nop_rm64', 'Endbr64', 'Endbr32', 'Pause',
  'Lfence', 'Mfence', 'Sfence'], { owner, exec: nop });
