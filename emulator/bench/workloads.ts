/**
 * The reference loops of shared/bench/workloads.asm, transcribed with the
 * project's assembler into bare images (until the guest kernel can run the
 * shared *.elf files). Each image: set up XCR0 for x87|SSE|AVX, point RSI at
 * a 64 KiB buffer and RDI at a 4 KiB XSAVE area, take the iteration count
 * from the command line (decimal), call the workload, print "ck=<16 hex>\n"
 * on COM1 and exit 0 — the same output as the shared ELF files.
 */
import {
  Asm, mem, rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r12, r13, eax, ebx, ecx, edx, ebp, r9d, r12d, r13d, r8d,
  xmm0, xmm1, xmm2, ymm0, ymm1, ymm2, ymm3, ymm16, zmm0, zmm16, k1, dl, dx, al, cr4,
} from '../../guest-kernel/asm/index.ts';
import { BI } from '../boot/bootinfo.ts';
import type { LinkResult } from '../../guest-kernel/asm/index.ts';

export const WORKLOADS = ['alu', 'mem', 'call', 'simd', 'xsave', 'xsavec'] as const;
/** Workloads of shared/bench/ (checksums in shared/bench/checksums.txt) and x86emu's own (emulator/bench/checksums.txt). */
export const OWN_WORKLOADS: readonly Workload[] = ['xsavec'];
export type Workload = typeof WORKLOADS[number];
/** Dynamic instructions per loop iteration (shared/bench/README.md). */
export const PER_ITER: Record<Workload, number> = { alu: 10, mem: 10, call: 16, simd: 12, xsave: 5, xsavec: 6 };

function wlAlu(a: Asm): void {
  a.label('wl');
  a.mov(rax, 0x0123456789abcdefn);
  a.mov(rbx, 0x0fedcba987654321n);
  a.mov(rcx, 0x1111);
  a.mov(rdx, 0x2222);
  a.xor(r9d, r9d);
  a.test(r8, r8);
  a.jz('.done');
  a.label('.loop');
  a.add(rax, rbx);
  a.xor(rbx, rdx);
  a.shl(rdx, 3);
  a.add(rdx, rax);
  a.shr(rcx, 1);
  a.xor(rcx, rax);
  a.sub(rbx, rcx);
  a.inc(r9);
  a.cmp(r9, r8);
  a.jnz('.loop');
  a.label('.done');
  a.add(rax, rbx);
  a.xor(rax, rcx);
  a.xor(rax, rdx);
  a.ret();
}

function wlMem(a: Asm): void {
  a.label('wl');
  a.xor(ecx, ecx);
  a.xor(eax, eax);
  a.xor(ebx, ebx);
  a.mov(rdx, 0x9e3779b97f4a7c15n);
  a.test(r8, r8);
  a.jz('.done');
  a.label('.loop');
  a.mov(rax, mem.qword(rsi, { index: rcx }));
  a.add(rax, rdx);
  a.mov(mem.qword(rsi, { index: rcx, disp: 8 }), rax);
  a.movzx(ebx, mem.byte(rsi, { index: rcx, disp: 13 }));
  a.add(mem.qword(rsi, { index: rcx, disp: 16 }), rbx);
  a.xor(mem.dword(rsi, { index: rcx, disp: 40 }), eax);
  a.add(ecx, 64);
  a.and(ecx, 0xffff);
  a.dec(r8);
  a.jnz('.loop');
  a.label('.done');
  a.xor(ecx, ecx);
  a.label('.fold');
  a.add(rax, mem.qword(rsi, { index: rcx, scale: 8 }));
  a.rol(rax, 1);
  a.inc(ecx);
  a.cmp(ecx, 65536 / 8);
  a.jb('.fold');
  a.xor(rax, rbx);
  a.ret();
}

function wlCall(a: Asm): void {
  a.label('wl');
  a.mov(eax, 1);
  a.xor(ebx, ebx);
  a.xor(ebp, ebp);
  a.xor(r12d, r12d);
  a.xor(r13d, r13d);
  a.test(r8, r8);
  a.jz('.done');
  a.label('.loop');
  a.call('.f');
  a.dec(r8);
  a.jnz('.loop');
  a.label('.done');
  a.xor(rax, r13);
  a.ret();
  a.label('.f');
  a.push(rbx);
  a.push(rbp);
  a.mov(rbx, rax);
  a.add(rax, 3);
  a.call('.g');
  a.pop(rbp);
  a.pop(rbx);
  a.ret();
  a.label('.g');
  a.push(r12);
  a.mov(r12, rax);
  a.xor(r13, r12);
  a.pop(r12);
  a.ret();
}

function wlSimd(a: Asm): void {
  a.label('wl');
  a.movdqu(xmm1, mem.xmmword('simd_k1'));
  a.vmovdqu(ymm3, mem.ymmword('simd_k0'));
  a.xor(ecx, ecx);
  a.test(r8, r8);
  a.jz('.done');
  a.label('.loop');
  a.movdqu(xmm0, mem.xmmword(rsi, { index: rcx }));
  a.paddd(xmm0, xmm1);
  a.movdqu(mem.xmmword(rsi, { index: rcx }), xmm0);
  a.pshufd(xmm1, xmm0, 0x1b);
  a.vmovdqu(ymm2, mem.ymmword(rsi, { index: rcx, disp: 32 }));
  a.vpxor(ymm2, ymm2, ymm3);
  a.vpaddd(ymm3, ymm3, ymm2);
  a.vmovdqu(mem.ymmword(rsi, { index: rcx, disp: 32 }), ymm2);
  a.add(ecx, 64);
  a.and(ecx, 0x3fff);
  a.dec(r8);
  a.jnz('.loop');
  a.label('.done');
  a.vpxor(ymm0, ymm3, mem.ymmword(rsi));
  a.vpxor(ymm0, ymm0, mem.ymmword(rsi, 32));
  a.vextracti128(xmm2, ymm0, 1);
  a.pxor(xmm0, xmm2);
  a.paddq(xmm0, xmm1);
  a.movq(rax, xmm0);
  a.pextrq(rbx, xmm0, 1);
  a.rol(rax, 7);
  a.add(rax, rbx);
  a.vzeroupper();
  a.ret();
}

function wlXsave(a: Asm): void {
  a.label('wl');
  a.vmovdqu(ymm0, mem.ymmword('simd_k0'));
  a.mov(eax, 7);
  a.xor(edx, edx);
  a.test(r8, r8);
  a.jz('.done');
  a.label('.loop');
  a.xsave64(mem.ptr(rdi));
  a.vpxor(ymm0, ymm0, ymm0);
  a.xrstor64(mem.ptr(rdi));
  a.dec(r8);
  a.jnz('.loop');
  a.label('.done');
  a.vextracti128(xmm1, ymm0, 1);
  a.paddq(xmm0, xmm1);
  a.movq(rax, xmm0);
  a.pextrq(rbx, xmm0, 1);
  a.rol(rax, 7);
  a.add(rax, rbx);
  a.vzeroupper();
  a.ret();
}

/**
 * x86emu's own XSAVEC workload (issue 5): XSAVEC64 + VPXORD zmm0 + VPXORD zmm16
 * + XRSTOR64 with RFBM = 0xe7 and dirty AVX-512 state. The loop and the fold
 * are instruction-for-instruction those of native/xsavec.S, whose native run
 * on silicon gave the checksums in emulator/bench/checksums.txt.
 */
function wlXsavec(a: Asm): void {
  a.label('wl');
  a.vmovdqu64(zmm0, mem.zmmword('xk0'));
  a.vmovdqu64(zmm16, mem.zmmword('xk1'));
  a.kmovq(k1, mem.qword('xk2'));
  a.mov(eax, 0xe7);
  a.xor(edx, edx);
  a.test(r8, r8);
  a.jz('.done');
  a.label('.loop');
  a.xsavec64(mem.ptr(rdi));
  a.vpxord(zmm0, zmm0, zmm0);
  a.vpxord(zmm16, zmm16, zmm16);
  a.xrstor64(mem.ptr(rdi));
  a.dec(r8);
  a.jnz('.loop');
  a.label('.done');
  a.vextracti64x4(ymm1, zmm0, 1);
  a.vpxor(ymm0, ymm0, ymm1);
  a.vextracti64x4(ymm2, zmm16, 1);
  a.vpxorq(ymm2, ymm2, ymm16);
  a.vpxor(ymm0, ymm0, ymm2);
  a.vextracti128(xmm1, ymm0, 1);
  a.vpxor(xmm0, xmm0, xmm1);
  a.vmovq(rax, xmm0);
  a.vpextrq(rbx, xmm0, 1);
  a.kmovq(rcx, k1);
  a.rol(rax, 13);
  a.add(rax, rbx);
  a.xor(rax, rcx);
  a.mov(rcx, mem.qword(rdi, 512));
  a.rol(rax, 7);
  a.add(rax, rcx);
  a.mov(rcx, mem.qword(rdi, 520));
  a.xor(rax, rcx);
  a.vzeroupper();
  a.ret();
}

const BODIES: Record<Workload, (a: Asm) => void> = { alu: wlAlu, mem: wlMem, call: wlCall, simd: wlSimd, xsave: wlXsave, xsavec: wlXsavec };

/** The whole bare image for one workload. */
export function buildWorkload(w: Workload): LinkResult {
  const a = new Asm({ base: 0x200000n });
  a.label('_start');
  a.mov(mem.qword('bootinfo'), rdi); // the workloads clobber every register but RSP
  a.mov(rbp, rdi);
  if (w === 'simd' || w === 'xsave' || w === 'xsavec') {
    // Enable XSAVE-managed state: CR4.OSXSAVE, XCR0 = x87|SSE|AVX (and the AVX-512 state for xsavec).
    a.mov(rax, cr4);
    a.or(eax, 1 << 18);
    a.mov(cr4, rax);
    a.xor(ecx, ecx);
    a.mov(eax, w === 'xsavec' ? 0xe7 : 7);
    a.xor(edx, edx);
    a.xsetbv();
  }
  // r8 := decimal iteration count from the command line.
  a.mov(rsi, mem.qword(rbp, { disp: BI.cmdlineAddr }));
  a.xor(r8d, r8d);
  a.label('.parse');
  a.movzx(eax, mem.byte(rsi));
  a.sub(eax, 0x30);
  a.cmp(eax, 9);
  a.ja('.have');
  a.lea(r8, mem.qword(r8, { index: r8, scale: 4 })); // r8 *= 10 as r8*5*2
  a.add(r8, r8);
  a.add(r8, rax);
  a.inc(rsi);
  a.jmp('.parse');
  a.label('.have');
  a.lea(rsi, mem.qword('buf'));
  a.lea(rdi, mem.qword('xarea'));
  a.call('wl');
  a.sub(rsp, 32);
  a.mov(rdi, rsp);
  a.call('fmt_ck');
  // Print the 20 bytes at rsp on COM1, then exit 0.
  a.mov(rbp, mem.qword('bootinfo'));
  a.mov(rsi, rsp);
  a.mov(ecx, 20);
  a.mov(dx, mem.word(rbp, { disp: BI.serialPort }));
  a.label('.out');
  a.mov(al, mem.byte(rsi));
  a.out(dx, al);
  a.inc(rsi);
  a.dec(ecx);
  a.jnz('.out');
  a.mov(dx, mem.word(rbp, { disp: BI.exitPort }));
  a.xor(eax, eax);
  a.out(dx, al);
  a.hlt();
  BODIES[w](a);
  // fmt_ck: rax = value, rdi = 20-byte destination -> "ck=%016x\n"
  a.label('fmt_ck');
  a.mov(mem.byte(rdi), 0x63);
  a.mov(mem.byte(rdi, 1), 0x6b);
  a.mov(mem.byte(rdi, 2), 0x3d);
  a.lea(rsi, mem.qword('hexdigits'));
  a.mov(ecx, 16);
  a.label('.hex');
  a.rol(rax, 4);
  a.mov(edx, eax);
  a.and(edx, 15);
  a.movzx(edx, mem.byte(rsi, { index: rdx }));
  a.mov(mem.byte(rdi, 3), dl);
  a.inc(rdi);
  a.dec(ecx);
  a.jnz('.hex');
  a.mov(mem.byte(rdi, 3), 10);
  a.ret();
  a.section('rodata');
  a.align(32);
  a.label('simd_k0');
  a.dq(0x0706050403020100n, 0x0f0e0d0c0b0a0908n, 0x1716151413121110n, 0x1f1e1d1c1b1a1918n);
  a.label('simd_k1');
  a.dq(0x1111111122222222n, 0x3333333344444444n);
  a.align(64);
  a.label('xk0');
  a.dq(0x0706050403020100n, 0x0f0e0d0c0b0a0908n, 0x1716151413121110n, 0x1f1e1d1c1b1a1918n,
    0x2726252423222120n, 0x2f2e2d2c2b2a2928n, 0x3736353433323130n, 0x3f3e3d3c3b3a3938n);
  a.label('xk1');
  a.dq(0x1111111122222222n, 0x3333333344444444n, 0x5555555566666666n, 0x7777777788888888n,
    0x99999999aaaaaaaan, 0xbbbbbbbbccccccccn, 0xddddddddeeeeeeeen, 0xffffffff00000000n);
  a.label('xk2');
  a.dq(0xdeadbeefn);
  a.label('hexdigits');
  a.db('0123456789abcdef');
  a.section('bss');
  a.label('bootinfo');
  a.zero(8);
  a.align(64);
  a.label('buf');
  a.zero(65536 + 128);
  a.align(64);
  a.label('xarea');
  a.zero(4096);
  return a.link();
}
