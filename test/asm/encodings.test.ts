// Each builder call must produce the bytes GNU as produces for the same
// Intel-syntax instruction (as --64, no optimisation options).
import { describe, expect, test } from 'vitest';
import {
  Asm, mem, st, rn_sae, rz_sae, sae, Code,
  rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r12, r13, r15, eax, ecx, edx, r8d, al, ah, cl, sil, r8b,
  cr2, cr3, fs, gs, xmm0, xmm1, xmm8, xmm17, ymm0, ymm1, ymm2, zmm0, zmm1, zmm2, zmm3, zmm29, zmm30, zmm31,
  k1, k2, tmm0, tmm1, tmm2, tmm3,
} from '../../guest-kernel/asm/index.ts';
import { gasEncode, hex } from './gnu.ts';

type Case = [string, (a: Asm) => unknown];

const CASES: Case[] = [
  // data movement
  ['mov rax, 1', (a) => a.mov(rax, 1)],
  ['mov eax, 1', (a) => a.mov(eax, 1)],
  ['mov rax, 0x123456789', (a) => a.mov(rax, 0x123456789)],
  ['mov rax, -1', (a) => a.mov(rax, -1)],
  ['mov rax, rbx', (a) => a.mov(rax, rbx)],
  ['mov r8b, sil', (a) => a.mov(r8b, sil)],
  ['mov ah, 1', (a) => a.mov(ah, 1)],
  ['mov QWORD PTR [rsp+8], rdi', (a) => a.mov(mem.qword(rsp, 8), rdi)],
  ['mov WORD PTR [rax], 0x1234', (a) => a.mov(mem.word(rax), 0x1234)],
  ['mov r12, QWORD PTR [r13]', (a) => a.mov(r12, mem.qword(r13))],
  ['mov rax, QWORD PTR [rbp]', (a) => a.mov(rax, mem.qword(rbp))],
  ['mov rax, QWORD PTR [rdi+rcx*8-16]', (a) => a.mov(rax, mem.qword(rdi, { index: rcx, scale: 8, disp: -16 }))],
  ['mov rax, QWORD PTR [rcx*8+0x1000]', (a) => a.mov(rax, mem.qword({ index: rcx, scale: 8, disp: 0x1000 }))],
  ['mov rax, QWORD PTR fs:0x28', (a) => a.mov(rax, mem.qword({ seg: fs, disp: 0x28 }))],
  ['mov rdx, QWORD PTR gs:[rax+8]', (a) => a.mov(rdx, mem.qword(rax, { seg: gs, disp: 8 }))],
  ['movzx eax, BYTE PTR [rsi]', (a) => a.movzx(eax, mem.byte(rsi))],
  ['movsx rax, WORD PTR [rdi]', (a) => a.movsx(rax, mem.word(rdi))],
  ['movsxd rax, ecx', (a) => a.movsxd(rax, ecx)],
  ['lea rax, [rbx+rcx*4+12]', (a) => a.lea(rax, mem.ptr(rbx, { index: rcx, scale: 4, disp: 12 }))],
  ['xchg rax, rcx', (a) => a.xchg(rax, rcx)],
  ['xchg rcx, rax', (a) => a.xchg(rcx, rax)],
  ['xchg rbx, QWORD PTR [rdi]', (a) => a.xchg(rbx, mem.qword(rdi))],
  ['test rax, QWORD PTR [rdi]', (a) => a.test(rax, mem.qword(rdi))],
  ['test rax, rbx', (a) => a.test(rax, rbx)],
  ['cmove rax, rbx', (a) => a.cmove(rax, rbx)],
  ['cmovnz rax, rbx', (a) => a.cmovnz(rax, rbx)],
  ['setne al', (a) => a.setne(al)],
  ['mov cr3, rax', (a) => a.mov(cr3, rax)],
  ['mov rax, cr2', (a) => a.mov(rax, cr2)],
  // arithmetic and logic
  ['add rax, 1', (a) => a.add(rax, 1)],
  ['add rax, 0x1000', (a) => a.add(rax, 0x1000)],
  ['add eax, 0xffffffff', (a) => a.add(eax, 0xffffffff)],
  ['add r8d, 0x12345', (a) => a.add(r8d, 0x12345)],
  ['and rax, -16', (a) => a.and(rax, -16)],
  ['sub rsp, 0x28', (a) => a.sub(rsp, 0x28)],
  ['imul rax, rbx, 10', (a) => a.imul(rax, rbx, 10)],
  ['shl rax, 1', (a) => a.shl(rax, 1)],
  ['shr rcx, cl', (a) => a.shr(rcx, cl)],
  ['sar edx, 5', (a) => a.sar(edx, 5)],
  ['test al, 1', (a) => a.test(al, 1)],
  ['cmp QWORD PTR [rdi], 0', (a) => a.cmp(mem.qword(rdi), 0)],
  ['inc DWORD PTR [rax]', (a) => a.inc(mem.dword(rax))],
  ['neg r15', (a) => a.neg(r15)],
  ['not r8d', (a) => a.not(r8d)],
  ['bt rax, 3', (a) => a.bt(rax, 3)],
  ['popcnt rax, rcx', (a) => a.popcnt(rax, rcx)],
  ['cqo', (a) => a.cqo()],
  ['div rcx', (a) => a.div(rcx)],
  ['mul QWORD PTR [rdi]', (a) => a.mul(mem.qword(rdi))],
  ['lock cmpxchg QWORD PTR [rdi], rcx', (a) => a.lock().cmpxchg(mem.qword(rdi), rcx)],
  ['lock xadd DWORD PTR [rsi], eax', (a) => a.lock().xadd(mem.dword(rsi), eax)],
  // stack and control
  ['push rbp', (a) => a.push(rbp)],
  ['push r12', (a) => a.push(r12)],
  ['pop r15', (a) => a.pop(r15)],
  ['push 1', (a) => a.push(1)],
  ['push 0x1234', (a) => a.push(0x1234)],
  ['pushfq', (a) => a.pushfq()],
  ['leave', (a) => a.leave()],
  ['ret', (a) => a.ret()],
  ['ret 8', (a) => a.ret(8)],
  ['enter 16, 0', (a) => a.enter(16, 0)],
  ['call rax', (a) => a.call(rax)],
  ['jmp QWORD PTR [rax+8]', (a) => a.jmp(mem.qword(rax, 8))],
  ['syscall', (a) => a.syscall()],
  ['sysretq', (a) => a.sysretq()],
  ['iretq', (a) => a.iretq()],
  ['int3', (a) => a.int3()],
  ['int 0x80', (a) => a.int(0x80)],
  ['ud2', (a) => a.ud2()],
  ['hlt', (a) => a.hlt()],
  // strings
  ['rep movsb', (a) => a.rep().movsb()],
  ['rep stosq', (a) => a.rep().stosq()],
  ['repne scasb', (a) => a.repne().scasb()],
  ['lodsq', (a) => a.lodsq()],
  // system
  ['cpuid', (a) => a.cpuid()],
  ['rdmsr', (a) => a.rdmsr()],
  ['wrmsr', (a) => a.wrmsr()],
  ['swapgs', (a) => a.swapgs()],
  ['invlpg [rdi]', (a) => a.invlpg(mem.ptr(rdi))],
  ['lgdt [rax]', (a) => a.lgdt(mem.ptr(rax))],
  ['ltr WORD PTR [rax]', (a) => a.ltr(mem.word(rax))],
  ['wrfsbase rax', (a) => a.wrfsbase(rax)],
  ['rdtscp', (a) => a.rdtscp()],
  ['clflush BYTE PTR [rdi]', (a) => a.clflush(mem.byte(rdi))],
  ['mfence', (a) => a.mfence()],
  // XSAVE family
  ['xgetbv', (a) => a.xgetbv()],
  ['xsetbv', (a) => a.xsetbv()],
  ['xsave64 [rdi]', (a) => a.xsave64(mem.ptr(rdi))],
  ['xrstor64 [rdi]', (a) => a.xrstor64(mem.ptr(rdi))],
  ['xsaves64 [rdi]', (a) => a.xsaves64(mem.ptr(rdi))],
  ['xrstors64 [rdi]', (a) => a.xrstors64(mem.ptr(rdi))],
  ['xsavec64 [rdi+64]', (a) => a.xsavec64(mem.ptr(rdi, 64))],
  ['xsaveopt64 [rsi]', (a) => a.xsaveopt64(mem.ptr(rsi))],
  ['xsave [rdi]', (a) => a.xsave(mem.ptr(rdi))],
  ['fxsave64 [rdi]', (a) => a.fxsave64(mem.ptr(rdi))],
  ['fxrstor64 [rdi]', (a) => a.fxrstor64(mem.ptr(rdi))],
  // x87
  ['fld st(1)', (a) => a.fld(st(1))],
  ['fld TBYTE PTR [rax]', (a) => a.fld(mem.tbyte(rax))],
  ['fstp QWORD PTR [rax]', (a) => a.fstp(mem.qword(rax))],
  ['fninit', (a) => a.fninit()],
  ['fnstcw WORD PTR [rsp]', (a) => a.fnstcw(mem.word(rsp))],
  // SSE / AVX
  ['movdqu xmm0, XMMWORD PTR [rsi]', (a) => a.movdqu(xmm0, mem.xmmword(rsi))],
  ['paddd xmm0, xmm1', (a) => a.paddd(xmm0, xmm1)],
  ['pshufd xmm0, xmm1, 0x1b', (a) => a.pshufd(xmm0, xmm1, 0x1b)],
  ['movq xmm0, rax', (a) => a.movq(xmm0, rax)],
  ['movd eax, xmm1', (a) => a.movd(eax, xmm1)],
  ['movsd xmm0, QWORD PTR [rax]', (a) => a.movsd(xmm0, mem.qword(rax))],
  ['cvtsi2sd xmm0, rax', (a) => a.cvtsi2sd(xmm0, rax)],
  ['ldmxcsr DWORD PTR [rsp]', (a) => a.ldmxcsr(mem.dword(rsp))],
  ['vmovdqu ymm1, YMMWORD PTR [rsi]', (a) => a.vmovdqu(ymm1, mem.ymmword(rsi))],
  ['vpxor ymm0, ymm0, ymm0', (a) => a.vpxor(ymm0, ymm0, ymm0)],
  ['vpaddd ymm2, ymm1, ymm0', (a) => a.vpaddd(ymm2, ymm1, ymm0)],
  ['vaddps xmm0, xmm1, xmm8', (a) => a.vaddps(xmm0, xmm1, xmm8)],
  ['vzeroupper', (a) => a.vzeroupper()],
  // AVX-512
  ['kmovw k1, eax', (a) => a.kmovw(k1, eax)],
  ['vaddps zmm0{k1}{z}, zmm1, zmm2, {rn-sae}', (a) => a.vaddps(zmm0.k(k1).z, zmm1, zmm2, rn_sae)],
  ['vaddpd zmm0, zmm1, zmm2, {rz-sae}', (a) => a.vaddpd(zmm0, zmm1, zmm2, rz_sae)],
  ['vaddps zmm0, zmm1, DWORD PTR [rax]{1to16}', (a) => a.vaddps(zmm0, zmm1, mem.dword(rax, { bcst: true }))],
  ['vaddps xmm17, xmm1, xmm0', (a) => a.vaddps(xmm17, xmm1, xmm0)],
  ['vpaddd zmm31, zmm30, zmm29', (a) => a.vpaddd(zmm31, zmm30, zmm29)],
  ['vmovdqu64 zmm1{k1}{z}, ZMMWORD PTR [rdi+128]', (a) => a.vmovdqu64(zmm1.k(k1).z, mem.zmmword(rdi, 128))],
  ['vmovups ZMMWORD PTR [rdi]{k2}, zmm3', (a) => a.vmovups(mem.zmmword(rdi).k(k2), zmm3)],
  ['vpgatherdd zmm0{k1}, [rax+zmm1*4]', (a) => a.vpgatherdd(zmm0.k(k1), mem.dword(rax, { index: zmm1, scale: 4 }))],
  ['vucomiss xmm0, xmm1, {sae}', (a) => a.vucomiss(xmm0, xmm1, sae)],
  // AMX
  ['ldtilecfg [rdi]', (a) => a.ldtilecfg(mem.ptr(rdi))],
  ['sttilecfg [rdi]', (a) => a.sttilecfg(mem.ptr(rdi))],
  ['tileloadd tmm0, [rax+rcx*1]', (a) => a.tileloadd(tmm0, mem.ptr(rax, { index: rcx }))],
  ['tilestored [rdi+rdx*1], tmm1', (a) => a.tilestored(mem.ptr(rdi, { index: rdx }), tmm1)],
  ['tdpbssd tmm0, tmm1, tmm2', (a) => a.tdpbssd(tmm0, tmm1, tmm2)],
  ['tilezero tmm3', (a) => a.tilezero(tmm3)],
  ['tilerelease', (a) => a.tilerelease()],
  // ENQCMD / MOVDIR64B
  ['enqcmd rax, [rsi]', (a) => a.enqcmd(rax, mem.ptr(rsi))],
  ['enqcmds rdx, [r8]', (a) => a.enqcmds(rdx, mem.zmmword(r8))],
  ['movdir64b rax, [rsi]', (a) => a.movdir64b(rax, mem.ptr(rsi))],
  // UINTR
  ['uiret', (a) => a.uiret()],
  ['testui', (a) => a.testui()],
  ['clui', (a) => a.clui()],
  ['stui', (a) => a.stui()],
  ['senduipi rax', (a) => a.senduipi(rax)],
  // explicit Code
  ['{load} mov rax, rbx', (a) => a.emit(Code.Mov_r64_rm64, rax, rbx)],
  ['nop DWORD PTR [rax+0]', (a) => a.emit(Code.Nop_rm32, mem.dword(rax, { disp: 0 }))],
];

describe('encodings agree with GNU as', () => {
  const expected = gasEncode(CASES.map((c) => c[0]));
  CASES.forEach(([text, build], i) => {
    test(text, () => {
      const a = new Asm();
      build(a);
      const img = a.link();
      expect(hex(img.sections[0].bytes)).toBe(hex(expected[i]));
    });
  });
});
