/**
 * Protection keys (RDPKRU/WRPKRU), far return, and the instructions with no
 * architectural effect in this machine: fence and hint-NOP encodings,
 * prefetches, CLDEMOTE, SERIALIZE, MOVNTI, MONITOR/MWAIT, SMSW, RDPMC.
 */
import { defineInsn } from './registry.ts';
import { ud, gp } from '../faults.ts';
import { CR4_PKE } from '../memory/mmu.ts';
import { checkCode64 } from '../cpu/events.ts';
import type { Cpu } from '../cpu/cpu.ts';

const owner = 'hints';
const nop = () => {};

// Alternate fence encodings (0F AE E9..FF), reserved-NOP hints (0F 0D, 0F 18-1F /r), prefetches, CLDEMOTE, SERIALIZE.
defineInsn([
  'Lfence_E9', 'Lfence_EA', 'Lfence_EB', 'Lfence_EC', 'Lfence_ED', 'Lfence_EE', 'Lfence_EF',
  'Mfence_F1', 'Mfence_F2', 'Mfence_F3', 'Mfence_F4', 'Mfence_F5', 'Mfence_F6', 'Mfence_F7',
  'Sfence_F9', 'Sfence_FA', 'Sfence_FB', 'Sfence_FC', 'Sfence_FD', 'Sfence_FE', 'Sfence_FF',
  'Reservednop_rm32_r32_0F0D', 'Reservednop_rm64_r64_0F0D',
  ...[0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f].flatMap((n) => [`Reservednop_rm32_r32_0F${n.toString(16).toUpperCase()}`, `Reservednop_rm64_r64_0F${n.toString(16).toUpperCase()}`]),
  'Serialize',
], { owner, exec: nop });
// Prefetches compute their address but never fault (SDM: "prefetches do not raise exceptions").
defineInsn(['Prefetch_m8', 'Prefetchwt1_m8', 'Prefetchreserved3_m8', 'Prefetchreserved4_m8', 'Prefetchreserved5_m8',
  'Prefetchreserved6_m8', 'Prefetchreserved7_m8', 'Prefetchit0_m8', 'Prefetchit1_m8', 'Cldemote_m8'], { owner, exec: nop });

// NP 0F C3 /r: MOVNTI m32/m64, r (a plain store here).
defineInsn('Movnti_m32_r32', { owner, exec: (c, i) => c.wr32(c.ea(i), c.R[2 * i.r1]) });
defineInsn('Movnti_m64_r64', { owner, exec: (c, i) => c.wr64(c.ea(i), c.R[2 * i.r1], c.R[2 * i.r1 + 1]) });

// NP 0F 01 EE / EF: RDPKRU / WRPKRU (SDM vol. 2). #UD without CR4.PKE; ECX (and EDX for WRPKRU) must be 0.
defineInsn('Rdpkru', {
  owner,
  exec: (c) => {
    if (!(c.cr4 & CR4_PKE)) throw ud('RDPKRU with CR4.PKE=0');
    if (c.R[2] !== 0) throw gp(`RDPKRU with ECX=0x${(c.R[2] >>> 0).toString(16)} (must be 0)`);
    c.R[0] = c.pkru; c.R[1] = 0; c.R[4] = 0; c.R[5] = 0;
  },
});
defineInsn('Wrpkru', {
  owner, term: true,
  exec: (c, i) => {
    if (!(c.cr4 & CR4_PKE)) throw ud('WRPKRU with CR4.PKE=0');
    if (c.R[2] !== 0 || c.R[4] !== 0) throw gp('WRPKRU with ECX or EDX not 0');
    c.pkru = c.R[0];
    c.xmodified |= 1 << 9; // PKRU is XSAVE component 9
    c.flushTlb();          // cached user-page rights depend on PKRU
    c.rip += i.len;
  },
});

// REX.W CB / CA iw: RETFQ — pops RIP then CS (a 64-bit code segment at the same or an outer level).
function retf(c: Cpu, extra: number): void {
  const sp = c.getRsp();
  const lo = c.rd64(c.canon(sp, true, 'stack address')), hi = c.mhi;
  const cs = c.rd64(c.canon(sp + 8, true, 'stack address')) & 0xffff;
  const rpl = cs & 3;
  if (rpl < c.cpl) throw gp(`RETF to a more privileged level (CS RPL ${rpl} < CPL ${c.cpl})`, cs & 0xfffc);
  if (rpl !== c.cpl) throw gp('RETF to an outer privilege level is not supported (use IRETQ)', cs & 0xfffc);
  checkCode64(c, cs);
  const t = c.canon(hi * 4294967296 + (lo >>> 0), false, 'return address');
  c.sel[1] = cs;
  c.setRsp(sp + 16 + extra);
  c.rip = t;
}
defineInsn('Retfq', { owner, term: true, exec: (c) => retf(c, 0) });
defineInsn('Retfq_imm16', { owner, term: true, exec: (c, i) => retf(c, i.imm & 0xffff) });

// MONITOR / MWAIT (CPL 0 here: no CPUID MONITOR bit is advertised to CPL 3 users): MWAIT returns at once.
defineInsn(['Monitorq', 'Mwait'], {
  owner,
  exec: (c) => { if (c.cpl !== 0) throw ud('MONITOR/MWAIT at CPL > 0'); },
});

// 0F 01 /4: SMSW r/m — the low 16 bits of CR0 (#GP at CPL > 0 with CR4.UMIP).
defineInsn(['Smsw_rm16', 'Smsw_r32m16', 'Smsw_r64m16'], {
  owner,
  exec: (c, i) => {
    if (c.cpl > 0 && (c.cr4 & (1 << 11))) throw gp('SMSW at CPL > 0 with CR4.UMIP=1');
    if (i.memOp >= 0) c.wr16(c.ea(i), c.cr0 & 0xffff);
    else if (i.osz === 16) c.R[2 * i.r0] = (c.R[2 * i.r0] & ~0xffff) | (c.cr0 & 0xffff);
    else { c.R[2 * i.r0] = c.cr0; c.R[2 * i.r0 + 1] = 0; } // r32/r64: all of CR0 (bits 63:32 are 0)
  },
});
// 0F 33: RDPMC — no performance counters are emulated: #GP.
defineInsn('Rdpmc', { owner, exec: () => { throw gp('RDPMC: x86emu emulates no performance counters'); } });
