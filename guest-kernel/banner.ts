/**
 * The default image until the guest kernel exists: prints a banner on COM1
 * (the port comes from the boot-information block) and exits with status 0
 * through the exit device.
 */
import { Asm, mem, rsi, rdi, al, dx, eax } from './asm/index.ts';
import { BI } from '../emulator/boot/bootinfo.ts';
import type { LinkResult } from './asm/index.ts';

export const BANNER = 'x86emu: booted the default image (long mode, CPL 0). Guest kernel: not built yet.\n';

export function build(): LinkResult {
  const a = new Asm({ base: 0x200000n });
  a.label('_start');
  a.lea(rsi, mem.qword('banner'));
  a.mov(dx, mem.word(rdi, { disp: BI.serialPort }));
  a.label('.loop');
  a.mov(al, mem.byte(rsi));
  a.test(al, al);
  a.jz('.done');
  a.out(dx, al);
  a.inc(rsi);
  a.jmp('.loop');
  a.label('.done');
  a.mov(dx, mem.word(rdi, { disp: BI.exitPort }));
  a.mov(eax, 0);
  a.out(dx, al);
  a.hlt();
  a.section('rodata');
  a.label('banner');
  a.asciz(BANNER);
  return a.link();
}
