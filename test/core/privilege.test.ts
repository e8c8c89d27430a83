/**
 * Privilege transitions: IRETQ to CPL 3, an interrupt from CPL 3 switching to
 * TSS.RSP0, SYSCALL/SYSRET, and privileged instructions at CPL 3.
 */
import { describe, it, expect } from 'vitest';
import { mem, rax, rcx, rdx, rsp, eax, ecx, edx, r11, cr3 } from '../../guest-kernel/asm/index.ts';
import { kernel, boot, exit, gate, RESULT } from '../helpers/kernel.ts';
import { BOOT_AREA } from '../../emulator/boot/loader.ts';

const USER_STACK = 0x3f0000, KSTACK = 0x380000;

/** Kernel prologue: TSS.RSP0 = KSTACK, then IRETQ to `user` at CPL 3. */
function toUser(a: Parameters<Parameters<typeof kernel>[0]>[0]): void {
  a.mov(rax, KSTACK);
  a.mov(mem.qword({ disp: BOOT_AREA.tss + 4, abs: true }), rax); // TSS.RSP0
  a.push(0x2b);            // SS
  a.push(USER_STACK);      // RSP
  a.push(0x202);           // RFLAGS (IF)
  a.push(0x33);            // CS
  a.lea(rax, mem.qword('user'));
  a.push(rax);             // RIP
  a.iretq();
}

describe('privilege transitions', () => {
  it('INT 0x80 from CPL 3 switches to TSS.RSP0 and pushes the user SS:RSP', () => {
    const r = boot(kernel((a) => {
      gate(a, 0x80, 'sys', 3);
      toUser(a);
      a.label('user');
      a.mov(eax, 0x1234);
      a.int(0x80);
      a.label('sys');
      a.mov(mem.qword({ disp: RESULT, abs: true }), rsp);
      a.mov(rax, mem.qword(rsp, 8));  a.mov(mem.qword({ disp: RESULT + 8, abs: true }), rax);  // CS
      a.mov(rax, mem.qword(rsp, 24)); a.mov(mem.qword({ disp: RESULT + 16, abs: true }), rax); // RSP
      a.mov(rax, mem.qword(rsp, 32)); a.mov(mem.qword({ disp: RESULT + 24, abs: true }), rax); // SS
      exit(a, 0x80);
    }, { withIdt: true }), { userPages: [0x200000] });
    expect(r.stop).toEqual({ kind: 'exit', status: 0x80 });
    expect(r.q(RESULT)).toBe(BigInt(KSTACK - 40));   // 5 qwords below RSP0
    expect(r.q(RESULT + 8)).toBe(0x33n);
    expect(r.q(RESULT + 16)).toBe(BigInt(USER_STACK));
    expect(r.q(RESULT + 24)).toBe(0x2bn);
    expect(r.m.cpus[0].cpl).toBe(0);
  });

  it('INT n through a DPL-0 gate from CPL 3 is #GP(vector*8+2)', () => {
    const r = boot(kernel((a) => {
      gate(a, 0x81, 'sys', 0);
      toUser(a);
      a.label('user');
      a.int(0x81);
      a.label('sys');
      exit(a, 0x81);
    }, { withIdt: true }), { userPages: [0x200000] });
    expect(r.stop).toEqual({ kind: 'exit', status: 0x40 + 13 });
    expect(r.q(RESULT + 8)).toBe(BigInt(0x81 * 8 + 2));
  });

  it.each([
    ['HLT', (a: Parameters<Parameters<typeof kernel>[0]>[0]) => a.hlt()],
    ['CLI (IOPL 0)', (a: Parameters<Parameters<typeof kernel>[0]>[0]) => a.cli()],
    ['MOV CR3', (a: Parameters<Parameters<typeof kernel>[0]>[0]) => { a.mov(rax, 0); a.mov(cr3, rax); }],
    ['WRMSR', (a: Parameters<Parameters<typeof kernel>[0]>[0]) => a.wrmsr()],
    ['LGDT', (a: Parameters<Parameters<typeof kernel>[0]>[0]) => a.lgdt(mem.ptr(rsp))],
  ])('%s at CPL 3 is #GP(0)', (_name, insn) => {
    const r = boot(kernel((a) => {
      toUser(a);
      a.label('user');
      insn(a);
      exit(a, 1);
    }, { withIdt: true }), { userPages: [0x200000] });
    expect(r.stop).toEqual({ kind: 'exit', status: 0x40 + 13 });
    expect(r.q(RESULT + 8)).toBe(0n);
  });

  it('SYSCALL saves RIP in RCX and RFLAGS in R11, masks RFLAGS by IA32_FMASK; SYSRET returns to CPL 3', () => {
    const r = boot(kernel((a) => {
      a.lea(rax, mem.qword('entry'));
      a.mov(rdx, rax);
      a.shr(rdx, 32);
      a.mov(ecx, 0xc0000082); a.wrmsr(); // IA32_LSTAR := entry
      a.mov(ecx, 0xc0000084); a.mov(eax, 0x200); a.xor(edx, edx); a.wrmsr(); // FMASK: clear IF
      toUser(a);
      a.label('user');
      a.syscall();
      a.label('back');
      exit(a, 0x55);                      // OUT at CPL 3 with IOPL 0 → #GP
      a.label('entry');
      a.mov(mem.qword({ disp: RESULT + 0x40, abs: true }), rcx);
      a.mov(mem.qword({ disp: RESULT + 0x48, abs: true }), r11);
      a.sysretq();
    }, { withIdt: true }), { userPages: [0x200000] });
    expect(r.stop).toEqual({ kind: 'exit', status: 0x40 + 13 }); // the OUT after SYSRET faulted at CPL 3
    expect(r.q(RESULT + 0x48) & 0x200n).toBe(0x200n);              // R11 = user RFLAGS with IF
    expect(r.m.cpus[0].cpl).toBe(0);
  });
});


/**
 * A fault in an instruction the dispatch switch runs inline without storing RIP
 * (emulator/cpu/dispatch.ts, lazy RIP) reports that instruction's address, and
 * RFLAGS as the instructions before it left them (dead-flag elision stops at
 * an instruction that may fault: emulator/cpu/flow.ts).
 */
describe('a fault in the middle of a block', () => {
  function pushFault(between: (a: Parameters<Parameters<typeof kernel>[0]>[0]) => void) {
    return boot(kernel((a) => {
      gate(a, 14, 'pf', 0);
      toUser(a);
      a.label('user');
      a.mov(rax, -1n);
      a.mov(rcx, 1);
      a.add(rax, rcx);           // 0 with CF, PF, AF, ZF
      between(a);
      a.mov(rsp, 0x500000);      // a supervisor-only page
      a.label('bad');
      a.push(rcx);               // #PF: user write to a supervisor page
      exit(a, 1);
      a.label('pf');
      a.mov(rax, mem.qword(rsp)); a.mov(mem.qword({ disp: RESULT, abs: true }), rax);        // error code
      a.mov(rax, mem.qword(rsp, 8)); a.mov(mem.qword({ disp: RESULT + 8, abs: true }), rax);  // RIP
      a.mov(rax, mem.qword(rsp, 24)); a.mov(mem.qword({ disp: RESULT + 16, abs: true }), rax); // RFLAGS
      a.lea(rax, mem.qword('bad')); a.mov(mem.qword({ disp: RESULT + 24, abs: true }), rax);
      exit(a, 0x4e);
    }, { withIdt: true }), { userPages: [0x200000] });
  }

  it('PUSH faulting after ADD: the PUSH address, and ADD’s flags (CF PF AF ZF)', () => {
    const r = pushFault(() => {});
    expect(r.stop).toEqual({ kind: 'exit', status: 0x4e });
    expect(r.q(RESULT)).toBe(7n);                        // P | W | U
    expect(r.q(RESULT + 8)).toBe(r.q(RESULT + 24));      // RIP = the PUSH
    expect(r.q(RESULT + 16)).toBe(0x202n | 0x55n);       // IF, bit 1, CF|PF|AF|ZF
  });

  it('ADD’s flags dead after XOR: the fault shows XOR’s (PF ZF)', () => {
    const r = pushFault((a) => { a.xor(edx, edx); });
    expect(r.stop).toEqual({ kind: 'exit', status: 0x4e });
    expect(r.q(RESULT + 8)).toBe(r.q(RESULT + 24));
    expect(r.q(RESULT + 16)).toBe(0x202n | 0x44n);
  });
});
