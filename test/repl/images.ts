/**
 * Test images for the REPL and gdb tests, built with our assembler and the
 * boot harness of test/helpers/kernel.ts, written as ELF files into a temp dir.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { writeElf } from '../../guest-kernel/asm/elf-writer.ts';
import { mem, rax, rbx, rcx, rdx, rbp, rsp, rdi, rsi, eax, ecx, edx, xmm0, ymm1, al, cr4 } from '../../guest-kernel/asm/index.ts';
import { kernel, exit } from '../helpers/kernel.ts';

export const ROOT = join(__dirname, '../..');
export const BIN = join(ROOT, 'bin/x86emu.js');
export const TMP = mkdtempSync(join(tmpdir(), 'x86emu-repl-'));

/** Data page used by the images (identity-mapped, inside the 16 MiB the tests give the machine). */
export const DATA = 0x400000;
/** Where the XSAVE image writes its area (64-byte aligned). */
export const AREA = 0x500000;

function save(name: string, img: ReturnType<typeof kernel>): string {
  const p = join(TMP, `${name}.elf`);
  writeFileSync(p, writeElf(img));
  return p;
}

/**
 * `_start`: rax=1, rbx=2, call func (push rbp; mov rbp,rsp; add rax,rbx; pop rbp; ret),
 * store rax at DATA, then `counter`: a loop that increments rcx and stores it at DATA+8
 * 10 times, reads DATA+16, and exits with status 7.
 */
export function basicImage(): string {
  return save('basic', kernel((a) => {
    a.mov(rax, 1);
    a.mov(rbx, 2);
    a.call('func');
    a.mov(mem.qword({ disp: DATA, abs: true }), rax);
    a.xor(ecx, ecx);
    a.label('counter');
    a.inc(rcx);
    a.mov(mem.qword({ disp: DATA + 8, abs: true }), rcx);
    a.cmp(rcx, 10);
    a.jne('counter');
    a.mov(rdx, mem.qword({ disp: DATA + 16, abs: true }));
    a.label('done');
    exit(a, 7);
    a.label('func');
    a.push(rbp);
    a.mov(rbp, rsp);
    a.call('leaf');
    a.add(rax, rbx);
    a.pop(rbp);
    a.ret();
    a.label('leaf');
    a.push(rbp);
    a.mov(rbp, rsp);
    a.nop();
    a.pop(rbp);
    a.ret();
  }));
}

/** Spins forever (`spin: inc rcx; jmp spin`). */
export function spinImage(): string {
  return save('spin', kernel((a) => { a.label('spin'); a.inc(rcx); a.jmp('spin'); }));
}

/** Exceptions with the test IDT: ud2 at `bad`, then a #GP (non-canonical) at `gp`, a #PF at `pf`. */
export function faultImage(): string {
  return save('fault', kernel((a) => {
    a.nop();
    a.label('bad');
    a.ud2();
  }, { withIdt: true }));
}

export function gpImage(): string {
  return save('gp', kernel((a) => {
    a.mov(rax, 0x8000_0000_0000_0000n);
    a.label('gp');
    a.mov(mem.qword(rax), rbx);
  }, { withIdt: true }));
}

export function pfImage(): string {
  return save('pf', kernel((a) => {
    a.mov(rax, 0x4000_0000_0000n); // above the identity map: not present
    a.label('pf');
    a.mov(mem.qword(rax), rbx);
  }, { withIdt: true }));
}

/**
 * Enables CR4.OSXSAVE, XCR0 = 0x207 (x87, SSE, AVX, PKRU), puts state in x87, SSE
 * and AVX (fld1; xmm0 and ymm1 from `pattern` = bytes 00 11 22 ... ff 10 21 ...),
 * stops at `save` (where a test may set PKRU), then XSAVEC with RFBM = 0x207 to
 * AREA, and reaches `done`.
 */
export function xsaveImage(): string {
  return save('xsave', kernel((a) => {
    a.mov(rax, cr4);
    a.or(rax, 1 << 18); // OSXSAVE
    a.mov(cr4, rax);
    a.xor(ecx, ecx);
    a.mov(eax, 0x207);
    a.xor(edx, edx);
    a.xsetbv();
    a.fld1();
    a.lea(rsi, mem.qword('pattern'));
    a.movdqu(xmm0, mem.xmmword(rsi));
    a.vmovdqu(ymm1, mem.ymmword(rsi));
    a.label('save'); // the test sets PKRU here (MOV CR4 refuses PKE, so WRPKRU would #UD)
    a.mov(rdi, AREA);
    a.mov(eax, 0x207);
    a.xor(edx, edx);
    a.xsavec(mem.ptr(rdi));
    a.label('done');
    exit(a, 0);
    a.section('rodata');
    a.align(32);
    a.label('pattern');
    a.db(...Array.from({ length: 32 }, (_, k) => k * 0x11 & 0xff));
  }));
}

export interface Run { stdout: string; stderr: string; status: number | null }

/**
 * Runs `x86emu ARGS` with `input` on stdin. Asynchronous (not spawnSync), so the
 * test worker's event loop stays free while the child runs.
 */
export function cli(args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const ch = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    ch.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    ch.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => ch.kill('SIGKILL'), 60000);
    ch.on('error', reject);
    ch.on('close', (status) => { clearTimeout(timer); resolve({ stdout, stderr: stripNpmNoise(stderr), status }); });
    ch.stdin.end(input);
  });
}

/** npm may warn about the environment's npmrc on stderr; that is not ours. */
export function stripNpmNoise(s: string): string {
  return s.split('\n').filter((l) => !/^npm warn /.test(l)).join('\n');
}

/** Runs the REPL in batch mode with these commands. */
export function repl(image: string, cmds: string[], extra: string[] = []): Promise<Run> {
  return cli(['repl', image, '--batch', '--mem', '16M', ...extra], cmds.join('\n') + '\n');
}

export { spawn, rsp, al };
