/**
 * System instructions (SDM vol. 2/3): CPUID, RDMSR/WRMSR, MOV to/from CRn
 * and DRn, CLI/STI, HLT, descriptor-table loads and stores, INVLPG, SWAPGS,
 * SYSCALL/SYSRET, IRETQ, RDTSC/RDTSCP/RDPID, FS/GS base access, cache
 * control, port I/O and the flag instructions. Privileged ones #GP at CPL > 0.
 */
import { defineInsn } from './registry.ts';
import { gp, ud, X86Fault, GP } from '../faults.ts';
import { getRflags, setRflags, setArithFlags } from '../cpu/flags.ts';
import { IF, AC, DF, RF, VM, IOPL, NT, SEG_CS, SEG_SS, SEG_FS, SEG_GS, CF } from '../cpu/state.ts';
import { CR4_FSGSBASE, CR4_PAE, CR4_UMIP } from '../memory/mmu.ts';
import { cpuid } from '../models/index.ts';
import { checkCode64, readDescriptor, sysRead64, sysWrite64 } from '../cpu/events.ts';
import { laToBig, bigToLa } from '../msr.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const owner = 'system';
const P2_32 = 4294967296;

function cpl0(c: Cpu, what: string): void {
  if (c.cpl !== 0) throw gp(`${what} at CPL ${c.cpl}`);
}
function next(c: Cpu, i: Insn): void {
  c.rip += i.len;
}
const hex = (v: number | bigint) => `0x${v.toString(16)}`;
const u64 = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
function setR64(c: Cpu, r: number, v: bigint): void {
  c.R[2 * r] = Number(v & 0xffffffffn) | 0;
  c.R[2 * r + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
}
function getR64(c: Cpu, r: number): bigint {
  return u64(c.R[2 * r], c.R[2 * r + 1]);
}
function laOfReg(c: Cpu, r: number): number {
  return c.R[2 * r + 1] * P2_32 + (c.R[2 * r] >>> 0);
}

// 0F A2: CPUID, answered by the CPU model with the live XCR0/XSS/CR4.
defineInsn('Cpuid', {
  owner,
  exec: (c) => {
    const R = c.R;
    const [a, b, cx, d] = cpuid(c.machine.model, R[0], R[2], {
      xcr0: BigInt(c.xcr0 >>> 0), xss: BigInt(c.xss >>> 0), cr4: c.cr4, apicId: c.id, vcpuCount: c.machine.cpus.length,
    });
    R[0] = a | 0; R[1] = 0; R[6] = b | 0; R[7] = 0; R[2] = cx | 0; R[3] = 0; R[4] = d | 0; R[5] = 0;
  },
});

// 0F 32 / 0F 30: RDMSR / WRMSR (ECX selects; EDX:EAX). WRMSR ends the block: it can raise events.
defineInsn('Rdmsr', {
  owner,
  exec: (c) => {
    cpl0(c, 'RDMSR');
    const v = c.machine.msrs.read(c, c.R[2]);
    c.R[0] = Number(v & 0xffffffffn) | 0; c.R[1] = 0;
    c.R[4] = Number(v >> 32n) | 0; c.R[5] = 0;
  },
});
defineInsn('Wrmsr', {
  owner, term: true,
  exec: (c, i) => {
    cpl0(c, 'WRMSR');
    c.machine.msrs.write(c, c.R[2], u64(c.R[0], c.R[4]));
    c.eventPending = true;
    next(c, i);
  },
});

// 0F 20 / 0F 22: MOV r64, CRn / MOV CRn, r64.
const CR0_FIXED_ON = 0x80000001; // PG and PE: long mode cannot be left
defineInsn('Mov_r64_cr', {
  owner,
  exec: (c, i) => {
    cpl0(c, 'MOV from CR');
    const n = i.r1;
    let v: bigint;
    switch (n) {
      case 0: v = BigInt(c.cr0 >>> 0); break;
      case 2: v = laToBig(c.cr2); break;
      case 3: v = BigInt(c.cr3); break;
      case 4: v = BigInt(c.cr4 >>> 0); break;
      case 8: v = BigInt(c.cr8); break;
      default: throw ud(`MOV from CR${n}`);
    }
    setR64(c, i.r0, v);
  },
});
defineInsn('Mov_cr_r64', {
  owner, term: true,
  exec: (c, i) => {
    cpl0(c, 'MOV to CR');
    const n = i.r0;
    const v = getR64(c, i.r1);
    switch (n) {
      case 0: {
        if (v >> 32n) throw gp(`MOV CR0: reserved bits 63:32 in ${hex(v)}`);
        const nv = Number(v) >>> 0;
        if ((nv & CR0_FIXED_ON) !== CR0_FIXED_ON) throw gp('MOV CR0: clearing PG or PE would leave long mode, which x86emu does not emulate');
        if ((nv & 0x20000000) && !(nv & 0x40000000)) throw gp('MOV CR0: NW=1 with CD=0');
        c.cr0 = nv | 0x10; // ET is hard-wired to 1
        c.flushTlb();
        break;
      }
      case 2: c.cr2 = bigToLa(v); break;
      case 3: {
        if (v >> BigInt(c.maxPhysBits)) throw gp(`MOV CR3: bits above MAXPHYADDR in ${hex(v)}`);
        c.cr3 = Number(v);
        c.flushTlb();
        break;
      }
      case 4: {
        if (v & ~BigInt(cr4Allowed(c))) throw gp(`MOV CR4: reserved or unsupported bits in ${hex(v & ~BigInt(cr4Allowed(c)))} of ${hex(v)}`);
        const nv = Number(v);
        if (!(nv & CR4_PAE)) throw gp('MOV CR4: clearing PAE would leave long mode');
        c.cr4 = nv;
        c.flushTlb();
        break;
      }
      case 8: {
        if (v >> 4n) throw gp(`MOV CR8: reserved bits in ${hex(v)}`);
        c.cr8 = Number(v);
        break;
      }
      default: throw ud(`MOV to CR${n}`);
    }
    c.eventPending = true;
    next(c, i);
  },
});
/**
 * CR4 bits this machine lets software set: VME..OSXMMEXCPT (0-10), FSGSBASE,
 * OSXSAVE always; UMIP, SMEP, SMAP, PKE and UINTR only when CPUID advertises
 * them. LA57 (5-level paging), PCIDE, VMXE, SMXE, KL, CET and PKS are
 * reserved: those features are not emulated.
 */
function cr4Allowed(c: Cpu): number {
  const m = c.machine.model;
  const dyn = { xcr0: BigInt(c.xcr0 >>> 0), cr4: c.cr4, apicId: c.id };
  const [, ebx7, ecx7, edx7] = cpuid(m, 7, 0, dyn);
  let ok = 0x7ff | (1 << 16) | (1 << 18);
  if (ebx7 & (1 << 7)) ok |= 1 << 20;  // SMEP
  if (ebx7 & (1 << 20)) ok |= 1 << 21; // SMAP
  if (ecx7 & (1 << 2)) ok |= 1 << 11;  // UMIP
  if (ecx7 & (1 << 3)) ok |= 1 << 22;  // PKU
  if (edx7 & (1 << 5)) ok |= 1 << 25;  // UINTR
  return ok;
}

// 0F 21 / 0F 23: debug registers are stored (no breakpoints are raised from them).
defineInsn('Mov_r64_dr', {
  owner,
  exec: (c, i) => {
    cpl0(c, 'MOV from DR');
    const n = i.r1;
    if (n > 7) throw ud(`MOV from DR${n}`);
    const k = n === 4 ? 6 : n === 5 ? 7 : n;
    const v = k === 6 ? BigInt(c.dr[6]) | 0xffff0ff0n : k === 7 ? BigInt(c.dr[7]) | 0x400n : BigInt(c.dr[k]);
    setR64(c, i.r0, v);
  },
});
defineInsn('Mov_dr_r64', {
  owner,
  exec: (c, i) => {
    cpl0(c, 'MOV to DR');
    const n = i.r0;
    if (n > 7) throw ud(`MOV to DR${n}`);
    const v = getR64(c, i.r1);
    if ((n === 6 || n === 7) && v >> 32n) throw gp(`MOV DR${n}: bits 63:32 must be 0`);
    c.dr[n === 4 ? 6 : n === 5 ? 7 : n] = Number(v);
  },
});

// FA / FB: CLI / STI (IOPL-sensitive). STI's interrupt shadow covers the next instruction.
defineInsn('Cli', {
  owner, term: true,
  exec: (c, i) => {
    if (c.cpl > ((c.flagsRest & IOPL) >> 12)) throw gp(`CLI at CPL ${c.cpl} with IOPL ${(c.flagsRest & IOPL) >> 12}`);
    c.flagsRest &= ~IF;
    next(c, i);
  },
});
defineInsn('Sti', {
  owner, term: true,
  exec: (c, i) => {
    if (c.cpl > ((c.flagsRest & IOPL) >> 12)) throw gp(`STI at CPL ${c.cpl} with IOPL ${(c.flagsRest & IOPL) >> 12}`);
    if (!(c.flagsRest & IF)) c.shadow = 2; // the loop decrements after STI itself retires
    c.flagsRest |= IF;
    c.eventPending = true;
    next(c, i);
  },
});
// F4: HLT.
defineInsn('Hlt', {
  owner, term: true,
  exec: (c, i) => { cpl0(c, 'HLT'); next(c, i); c.halted = true; c.eventPending = true; },
});

// Flag instructions.
defineInsn('Clc', { owner, exec: (c) => { c.fa &= ~CF; } });
defineInsn('Stc', { owner, exec: (c) => { c.fa |= CF; } });
defineInsn('Cmc', { owner, exec: (c) => { c.fa ^= CF; } });
defineInsn('Cld', { owner, exec: (c) => { c.flagsRest &= ~DF; } });
defineInsn('Std', { owner, exec: (c) => { c.flagsRest |= DF; } });
// 9E / 9F: SAHF / LAHF (bits SF ZF AF PF CF of AH).
defineInsn('Sahf', { owner, exec: (c) => { const ah = (c.R[0] >> 8) & 0xd5; setArithFlags(c, (getRflags(c) & ~0xd5) | ah); } });
defineInsn('Lahf', { owner, exec: (c) => { c.R[0] = (c.R[0] & ~0xff00) | ((getRflags(c) & 0xff) << 8); } });
// 0F 01 CA / CB: CLAC / STAC. SDM: #UD if CPL > 0 or CPUID.(7,0):EBX.SMAP[20] = 0 (not #GP).
function smapGate(c: Cpu, what: string): void {
  if (c.cpl !== 0) throw ud(`${what} at CPL ${c.cpl}`);
  const [, ebx7] = cpuid(c.machine.model, 7, 0, { xcr0: BigInt(c.xcr0 >>> 0), cr4: c.cr4, apicId: c.id });
  if (!(ebx7 & (1 << 20))) throw ud(`${what} without SMAP`);
}
defineInsn('Clac', { owner, exec: (c) => { smapGate(c, 'CLAC'); c.flagsRest &= ~AC; } });
defineInsn('Stac', { owner, exec: (c) => { smapGate(c, 'STAC'); c.flagsRest |= AC; } });
// 0F 06: CLTS.
defineInsn('Clts', { owner, exec: (c) => { cpl0(c, 'CLTS'); c.cr0 &= ~8; } });

// Descriptor tables: LGDT/LIDT m16&64, SGDT/SIDT, LTR/STR, SLDT/LLDT (null only).
function umip(c: Cpu, what: string): void {
  if (c.cpl > 0 && (c.cr4 & CR4_UMIP)) throw gp(`${what} at CPL ${c.cpl} with CR4.UMIP=1`);
}
/** Reads a pseudo-descriptor (16-bit limit, 64-bit base) for LGDT/LIDT; the base must be canonical. */
function loadTable(c: Cpu, i: Insn, what: 'GDT' | 'IDT'): [number, number] {
  cpl0(c, `L${what}`);
  const la = c.ea(i);
  const limit = c.rd16(la), lo = c.rd64(la + 2), hi = c.mhi;
  return [c.canon(hi * P2_32 + (lo >>> 0), false, `${what} base`), limit];
}
// 0F 01 /2, /3: LGDT / LIDT m16&64.
defineInsn('Lgdt_m1664', { owner, term: true, exec: (c, i) => { [c.gdtBase, c.gdtLimit] = loadTable(c, i, 'GDT'); next(c, i); } });
defineInsn('Lidt_m1664', { owner, term: true, exec: (c, i) => { [c.idtBase, c.idtLimit] = loadTable(c, i, 'IDT'); next(c, i); } });
function storeTable(c: Cpu, i: Insn, base: number, limit: number): void {
  const la = c.ea(i);
  c.probe(la, 10, 1);
  c.wr16(la, limit);
  const h = Math.floor(base / P2_32);
  c.wr64(la + 2, (base - h * P2_32) | 0, h | 0);
}
defineInsn('Sgdt_m1664', { owner, exec: (c, i) => { umip(c, 'SGDT'); storeTable(c, i, c.gdtBase, c.gdtLimit); } });
defineInsn('Sidt_m1664', { owner, exec: (c, i) => { umip(c, 'SIDT'); storeTable(c, i, c.idtBase, c.idtLimit); } });
defineInsn(['Ltr_rm16', 'Ltr_r32m16', 'Ltr_r64m16'], {
  owner, term: true,
  exec: (c, i) => {
    cpl0(c, 'LTR');
    const sel = i.memOp >= 0 ? c.rd16(c.ea(i)) : c.R[2 * i.r0] & 0xffff;
    if ((sel & ~3) === 0) throw gp('LTR with a null selector');
    if (sel & 4) throw gp(`LTR selector 0x${sel.toString(16)} refers to the LDT`, sel & 0xfffc);
    const idx = sel & ~7;
    if (idx + 15 > c.gdtLimit) throw gp(`LTR selector 0x${sel.toString(16)} beyond the GDT limit`, sel & 0xfffc);
    const la = c.gdtBase + idx;
    const [lo, hi] = sysRead64(c, la);
    const [hi2] = sysRead64(c, la + 8);
    const type = (hi >> 8) & 15;
    if (type !== 9) throw gp(`LTR: descriptor 0x${sel.toString(16)} is not an available 64-bit TSS (type ${type})`, sel & 0xfffc);
    if (!(hi & 0x8000)) throw new X86Fault(11, sel & 0xfffc, `LTR: TSS descriptor 0x${sel.toString(16)} not present`);
    c.trBase = c.canon(hi2 * P2_32 + (((hi & 0xff000000) | ((hi & 0xff) << 16) | (lo >>> 16)) >>> 0), false, 'TSS base');
    c.trLimit = ((hi & 0xf0000) | (lo & 0xffff)) >>> 0;
    if (hi & 0x800000) c.trLimit = c.trLimit * 4096 + 4095;
    c.trSel = sel;
    sysWrite64(c, la, lo, hi | 0x200); // mark busy
    next(c, i);
  },
});
defineInsn(['Str_rm16', 'Str_r32m16', 'Str_r64m16'], {
  owner,
  exec: (c, i) => {
    umip(c, 'STR');
    if (i.memOp >= 0) c.wr16(c.ea(i), c.trSel);
    else { c.R[2 * i.r0] = c.trSel; c.R[2 * i.r0 + 1] = 0; }
  },
});
defineInsn(['Lldt_rm16', 'Lldt_r32m16', 'Lldt_r64m16'], {
  owner,
  exec: (c, i) => {
    cpl0(c, 'LLDT');
    const sel = i.memOp >= 0 ? c.rd16(c.ea(i)) : c.R[2 * i.r0] & 0xffff;
    if ((sel & ~3) !== 0) throw gp('LLDT: only the null selector is supported (x86emu has no LDT)', sel & 0xfffc);
    c.ldtSel = 0;
  },
});
defineInsn(['Sldt_rm16', 'Sldt_r32m16', 'Sldt_r64m16'], {
  owner,
  exec: (c, i) => {
    umip(c, 'SLDT');
    if (i.memOp >= 0) c.wr16(c.ea(i), c.ldtSel); else { c.R[2 * i.r0] = c.ldtSel; c.R[2 * i.r0 + 1] = 0; }
  },
});

// 0F 01 /6: LMSW r/m16 — loads CR0 bits 3:0 (PE cannot be cleared).
defineInsn(['Lmsw_rm16', 'Lmsw_r32m16', 'Lmsw_r64m16'], {
  owner, term: true,
  exec: (c, i) => {
    cpl0(c, 'LMSW');
    const v = i.memOp >= 0 ? c.rd16(c.ea(i)) : c.R[2 * i.r0] & 0xffff;
    c.cr0 = (c.cr0 & ~0xe) | (v & 0xf) | (c.cr0 & 1);
    next(c, i);
  },
});

// 66 0F 38 82 /r: INVPCID r64, m128 (SDM vol. 2). This TLB has no PCIDs: every type flushes it all.
defineInsn('Invpcid_r64_m128', {
  owner, term: true,
  exec: (c, i) => {
    cpl0(c, 'INVPCID');
    const type = c.R[2 * i.r0 + 1] !== 0 ? 4 : c.R[2 * i.r0] >>> 0;
    const la = c.ea(i);
    const pcid = c.rd32(la) & 0xfff, hi = c.rd32(la + 4);
    if (type > 3) throw gp(`INVPCID type ${type} is reserved`);
    if (type === 0) {
      if (c.rd32(la) >>> 12 || hi) throw gp('INVPCID: descriptor bits 63:12 must be 0');
      const addr = c.rd64(la + 8); const addrHi = c.mhi;
      c.canon(addrHi * P2_32 + (addr >>> 0), false, 'INVPCID linear address');
    } else if (type === 1 && ((c.rd32(la) >>> 12) || hi)) throw gp('INVPCID: descriptor bits 63:12 must be 0');
    if (type <= 1 && pcid !== 0 && !(c.cr4 & (1 << 17))) throw gp('INVPCID with a nonzero PCID while CR4.PCIDE=0');
    c.flushTlb();
    next(c, i);
  },
});

// 0F 01 /7: INVLPG m.
defineInsn('Invlpg_m', {
  owner, term: true,
  exec: (c, i) => { cpl0(c, 'INVLPG'); c.invlpg(c.ea(i)); next(c, i); },
});
// 0F 09 / 0F 08: WBINVD / INVD; 0F AE /7: CLFLUSH; 66 0F AE /7: CLFLUSHOPT.
defineInsn(['Wbinvd', 'Invd'], { owner, exec: (c) => cpl0(c, 'WBINVD/INVD') });
defineInsn(['Clflush_m8', 'Clflushopt_m8', 'Clwb_m8', 'Prefetchnta_m8', 'Prefetcht0_m8', 'Prefetcht1_m8', 'Prefetcht2_m8', 'Prefetchw_m8'], {
  owner,
  exec: (c, i) => { c.ea(i); },
});

// 0F 01 F8: SWAPGS.
defineInsn('Swapgs', {
  owner,
  exec: (c) => { cpl0(c, 'SWAPGS'); const t = c.gsBase; c.gsBase = c.kernelGsBase; c.kernelGsBase = t; },
});

// 0F 05: SYSCALL (SDM vol. 2 "SYSCALL"): RCX := RIP, R11 := RFLAGS, CS/SS from STAR[47:32].
defineInsn('Syscall', {
  owner, term: true,
  exec: (c, i) => {
    if (!(c.efer & 1)) throw ud('SYSCALL with EFER.SCE=0');
    const ret = c.rip + i.len;
    const h = Math.floor(ret / P2_32);
    c.R[2] = (ret - h * P2_32) | 0; c.R[3] = h | 0;
    const f = getRflags(c);
    c.R[22] = f & ~RF; c.R[23] = 0;
    const sel = Number((c.star >> 32n) & 0xffffn);
    c.sel[SEG_CS] = sel & 0xfffc;
    c.sel[SEG_SS] = (sel + 8) & 0xfffc;
    setRflags(c, f & ~c.sfmask & ~RF);
    c.setCpl(0);
    c.rip = c.lstar;
  },
});
// REX.W 0F 07: SYSRETQ: RIP := RCX (must be canonical), RFLAGS := R11, CPL 3.
defineInsn('Sysretq', {
  owner, term: true,
  exec: (c) => {
    cpl0(c, 'SYSRET');
    if (!(c.efer & 1)) throw ud('SYSRET with EFER.SCE=0');
    const t = laOfReg(c, 1);
    c.canon(t, false, 'SYSRET return address (RCX)');
    const sel = Number((c.star >> 48n) & 0xffffn);
    c.sel[SEG_CS] = ((sel + 16) & 0xfffc) | 3;
    c.sel[SEG_SS] = ((sel + 8) & 0xfffc) | 3;
    setRflags(c, (c.R[22] & 0x3c7fd7) | 2);
    c.setCpl(3);
    c.rip = t;
    c.eventPending = true;
  },
});
defineInsn('Sysretd', { owner, exec: () => { throw gp('SYSRET to compatibility mode is not emulated'); } });

// REX.W CF: IRETQ (64-bit mode): pops RIP, CS, RFLAGS, RSP, SS.
defineInsn('Iretq', {
  owner, term: true,
  exec: (c) => {
    const sp = c.getRsp();
    c.canon(sp, true, 'stack address');
    c.probe(sp, 40, 0);
    const ripLo = c.rd64(sp), ripHi = c.mhi;
    const cs = c.rd64(sp + 8) & 0xffff;
    const fl = c.rd64(sp + 16);
    const rspLo = c.rd64(sp + 24), rspHi = c.mhi;
    const ss = c.rd64(sp + 32) & 0xffff;
    const rpl = cs & 3;
    if (rpl < c.cpl) throw gp(`IRETQ to a more privileged level (CS RPL ${rpl} < CPL ${c.cpl})`, cs & 0xfffc);
    checkCode64(c, cs);
    if (c.flagsRest & NT) throw gp('IRETQ with NT=1 (task return) is not supported in 64-bit mode');
    const t = c.canon(ripHi * P2_32 + (ripLo >>> 0), false, 'IRETQ return address');
    const old = getRflags(c);
    let keep = VM;
    if (c.cpl > 0) keep |= IOPL;
    if (c.cpl > ((old & IOPL) >> 12)) keep |= IF;
    const f = (fl & 0x3f7fd7 & ~keep) | (old & keep);
    if (rpl !== 0 && (ss & ~3) === 0) throw gp('IRETQ to CPL 3 with a null SS');
    setRflags(c, f | 2);
    c.sel[SEG_CS] = cs;
    c.sel[SEG_SS] = ss;
    c.setCpl(rpl);
    c.setRsp(rspHi * P2_32 + (rspLo >>> 0));
    c.rip = t;
    c.shadow = 0;
    c.eventPending = true;
  },
});

// 0F 31 / 0F 01 F9 / F3 0F C7 /7: RDTSC, RDTSCP, RDPID — from guest time (retired instructions).
function tsc(c: Cpu): number {
  if ((c.cr4 & 4) && c.cpl > 0) throw gp('RDTSC at CPL > 0 with CR4.TSD=1');
  return c.icount + c.tscOffset;
}
function setEdxEax(c: Cpu, v: number): void {
  const h = Math.floor(v / P2_32);
  c.R[0] = (v - h * P2_32) | 0; c.R[1] = 0; c.R[4] = h | 0; c.R[5] = 0;
}
defineInsn('Rdtsc', { owner, exec: (c) => setEdxEax(c, tsc(c)) });
defineInsn('Rdtscp', { owner, exec: (c) => { setEdxEax(c, tsc(c)); c.R[2] = c.tscAux; c.R[3] = 0; } });
defineInsn(['Rdpid_r64', 'Rdpid_r32'], { owner, exec: (c, i) => { c.R[2 * i.r0] = c.tscAux; c.R[2 * i.r0 + 1] = 0; } });

// F3 0F AE /0../3: RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE (CR4.FSGSBASE).
function fsgs(c: Cpu): void {
  if (!(c.cr4 & CR4_FSGSBASE)) throw ud('RD/WR{FS,GS}BASE with CR4.FSGSBASE=0');
}
for (const [name, seg, w] of [['Rdfsbase_r64', SEG_FS, 64], ['Rdgsbase_r64', SEG_GS, 64], ['Rdfsbase_r32', SEG_FS, 32], ['Rdgsbase_r32', SEG_GS, 32]] as const) {
  defineInsn(name, {
    owner,
    exec: (c, i) => {
      fsgs(c);
      const b = seg === SEG_FS ? c.fsBase : c.gsBase;
      const h = Math.floor(b / P2_32);
      c.R[2 * i.r0] = (b - h * P2_32) | 0;
      c.R[2 * i.r0 + 1] = w === 64 ? h | 0 : 0;
    },
  });
}
for (const [name, seg, w] of [['Wrfsbase_r64', SEG_FS, 64], ['Wrgsbase_r64', SEG_GS, 64], ['Wrfsbase_r32', SEG_FS, 32], ['Wrgsbase_r32', SEG_GS, 32]] as const) {
  defineInsn(name, {
    owner,
    exec: (c, i) => {
      fsgs(c);
      const v = w === 64 ? laOfReg(c, i.r0) : c.R[2 * i.r0] >>> 0;
      c.canon(v, false, 'segment base');
      if (seg === SEG_FS) c.fsBase = v; else c.gsBase = v;
    },
  });
}

// MOV Sreg: selectors only (64-bit mode ignores bases other than FS/GS, whose bases come from MSRs).
defineInsn(['Mov_Sreg_r32m16', 'Mov_Sreg_r64m16'], {
  owner, term: true,
  exec: (c, i) => {
    const sel = i.memOp >= 0 ? c.rd16(c.ea(i)) : c.R[2 * i.r1] & 0xffff;
    const s = i.r0;
    if (s === SEG_CS) throw ud('MOV to CS');
    if (s === SEG_SS) {
      if ((sel & ~3) === 0 && c.cpl === 3) throw gp('MOV SS with a null selector at CPL 3');
      if ((sel & 3) !== c.cpl && (sel & ~3) !== 0) throw gp(`MOV SS: selector RPL ${sel & 3} != CPL ${c.cpl}`, sel & 0xfffc);
      c.shadow = 2;
      c.ssShadow = true;
    }
    if ((sel & ~3) !== 0) readDescriptor(c, sel);
    c.sel[s] = sel;
    if (s === SEG_FS) c.fsBase = 0;
    if (s === SEG_GS) c.gsBase = 0;
    c.rip += i.len;
  },
});
defineInsn(['Mov_r32m16_Sreg', 'Mov_r64m16_Sreg'], {
  owner,
  exec: (c, i) => {
    const v = c.sel[i.r1];
    if (i.memOp >= 0) c.wr16(c.ea(i), v); else { c.R[2 * i.r0] = v; c.R[2 * i.r0 + 1] = 0; }
  },
});

// Port I/O (IN/OUT): CPL must be <= IOPL (no I/O permission bitmap).
function io(c: Cpu, what: string): void {
  if (c.cpl > ((c.flagsRest & IOPL) >> 12)) throw gp(`${what} at CPL ${c.cpl} with IOPL ${(c.flagsRest & IOPL) >> 12} (no I/O bitmap)`);
}
for (const [w, acc] of [[1, 'AL'], [2, 'AX'], [4, 'EAX']] as const) {
  const set = (c: Cpu, v: number) => {
    if (w === 4) { c.R[0] = v | 0; c.R[1] = 0; } else if (w === 2) c.R[0] = (c.R[0] & ~0xffff) | (v & 0xffff); else c.R[0] = (c.R[0] & ~0xff) | (v & 0xff);
  };
  const mask = w === 4 ? -1 : (1 << (8 * w)) - 1;
  defineInsn(`In_${acc}_imm8`, { owner, term: true, exec: (c, i) => { io(c, 'IN'); set(c, c.machine.io.in(i.imm & 0xff, w)); next(c, i); } });
  defineInsn(`In_${acc}_DX`, { owner, term: true, exec: (c, i) => { io(c, 'IN'); set(c, c.machine.io.in(c.R[4] & 0xffff, w)); next(c, i); } });
  defineInsn(`Out_imm8_${acc}`, { owner, term: true, exec: (c, i) => { io(c, 'OUT'); c.machine.io.out(i.imm & 0xff, w, (c.R[0] & mask) >>> 0); next(c, i); } });
  defineInsn(`Out_DX_${acc}`, { owner, term: true, exec: (c, i) => { io(c, 'OUT'); c.machine.io.out(c.R[4] & 0xffff, w, (c.R[0] & mask) >>> 0); next(c, i); } });
}

