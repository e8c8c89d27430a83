/**
 * Puts a fresh machine in the state a conformance case starts from
 * (shared/conformance/FORMAT.md, "The machine when a case starts").
 */
import { Machine } from '../machine.ts';
import { PageMapper } from '../boot/paging.ts';
import { buildGdt, GDT_BYTES, KERNEL_CS, KERNEL_DS, USER_CS, USER_DS, TSS_SEL, TSS_BYTES } from '../boot/gdt.ts';
import { setRflags } from '../cpu/flags.ts';
import { GPR_NAMES, SEG_CS, SEG_SS, SEG_DS, SEG_ES } from '../cpu/state.ts';
import { bigToLa } from '../msr.ts';
import type { Case } from './format.ts';
import type { Cpu } from '../cpu/cpu.ts';

/** Supervisor-only page holding the GDT and TSS, far from any case address. */
const SYS_LA = -0x800000000000; // 0xffff800000000000
const RAM = 4 * 1024 * 1024;

export interface CaseMachine { m: Machine; cpu: Cpu; mapper: PageMapper }

export class SetupError extends Error {}

export function setupCase(k: Case, cpuModel: string): CaseMachine {
  const m = new Machine({ memSize: RAM, cpu: cpuModel, smp: 1, stopOnException: true, apicEnabled: true });
  const c = m.cpus[0];
  const mapper = new PageMapper(m.mem, 0x1000);
  // System page: GDT then TSS.
  const sysPa = mapper.allocPage();
  mapper.map4k(SYS_LA, sysPa, { write: true, user: false, exec: false });
  buildGdt(m.mem.dv, sysPa, BigInt.asUintN(64, BigInt(SYS_LA + GDT_BYTES)));
  c.gdtBase = SYS_LA; c.gdtLimit = GDT_BYTES - 1;
  c.trSel = TSS_SEL; c.trBase = SYS_LA + GDT_BYTES; c.trLimit = TSS_BYTES - 1;
  // Memory regions, then the code (read + execute), all user-accessible.
  for (const r of k.memory) {
    const la = bigToLa(r.addr);
    if (r.bytes.length === 0) continue;
    mapper.mapFresh(la, r.bytes.length, { write: r.perm === 'rw', user: true, exec: false });
    for (let b = 0; b < r.bytes.length; b++) m.mem.u8[mapper.phys(la + b)!] = r.bytes[b];
  }
  const code = bigToLa(k.codeAddr);
  mapper.mapFresh(code, Math.max(1, k.code.length), { write: false, user: true, exec: true });
  for (let b = 0; b < k.code.length; b++) m.mem.u8[mapper.phys(code + b)!] = k.code[b];
  // Control state.
  c.cr0 = k.cr0 === null ? 0x80010023 : Number(k.cr0);
  c.cr4 = k.cr4 === null ? 0x40620 : Number(k.cr4);
  c.efer = 0xd01;
  c.cr3 = mapper.cr3;
  c.setCpl(k.cpl);
  c.sel[SEG_CS] = k.cpl === 3 ? USER_CS : KERNEL_CS;
  c.sel[SEG_SS] = c.sel[SEG_DS] = c.sel[SEG_ES] = k.cpl === 3 ? USER_DS : KERNEL_DS;
  c.flushTlb();
  // XSAVE tracking starts clear (FORMAT.md): XINUSE = 0, no XRSTOR_INFO. The extensions'
  // per-vCPU state is reset before the case's XCR0/XSS/XFD and MSRs are applied, so a reset
  // cannot undo them.
  c.xloaded = 0;
  c.xmodified = -1;
  for (const e of m.extensions) e.reset?.(c, m);
  c.xcr0 = Number(k.xcr0 & 0xffffffffn);
  c.xss = Number(k.xss & 0xffffffffn);
  const setMsr = (index: number, v: bigint) => {
    if (!m.msrs.get(index)) throw new SetupError(`the case sets MSR 0x${index.toString(16)}, which this machine does not have`);
    try {
      m.msrs.write(c, index, v);
    } catch (e) {
      throw new SetupError(`the case's MSR 0x${index.toString(16)} = 0x${v.toString(16)} was refused: ${e}`);
    }
  };
  if (k.xfd !== 0n) setMsr(0x1c4, k.xfd);
  for (const [index, v] of k.msrs) setMsr(index, v);
  for (let r = 0; r < 16; r++) c.R64[r] = k.regs.get(GPR_NAMES[r]) ?? 0n;
  setRflags(c, Number(k.rflags & 0xffffffffn));
  c.rip = code;
  return { m, cpu: c, mapper };
}
