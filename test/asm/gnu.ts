// Helpers that run GNU binutils (as, ld, objcopy, nm, readelf, objdump): the
// independent reference the assembler's output is compared with.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function withTmp<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'x86emu-asm-'));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Assembles each Intel-syntax line with `as --64` (no optimisation flags) and returns
 * the bytes GNU as produced for each line, split at labels placed between the lines.
 */
export function gasEncode(lines: string[]): Uint8Array[] {
  return withTmp((dir) => {
    const src = ['.intel_syntax noprefix', '.text'];
    lines.forEach((l, i) => src.push(`L${i}:`, `  ${l}`));
    src.push(`L${lines.length}:`, '');
    writeFileSync(join(dir, 'a.s'), src.join('\n'));
    run('as', ['--64', '-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    run('objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.o'), join(dir, 'a.bin')]);
    const text = new Uint8Array(readFileSync(join(dir, 'a.bin')));
    const offs = new Map<string, number>();
    for (const line of run('nm', [join(dir, 'a.o')]).split('\n')) {
      const m = /^([0-9a-f]+) \w (L\d+)$/.exec(line.trim());
      if (m) offs.set(m[2], parseInt(m[1], 16));
    }
    return lines.map((_, i) => text.slice(offs.get(`L${i}`)!, offs.get(`L${i + 1}`)!));
  });
}

/** Assembles and links a whole Intel-syntax program at fixed section addresses; returns the ELF path's bytes. */
export function gasLink(source: string, addrs: Record<string, bigint>): Uint8Array {
  return withTmp((dir) => {
    writeFileSync(join(dir, 'p.s'), `.intel_syntax noprefix\n${source}\n`);
    run('as', ['--64', '-o', join(dir, 'p.o'), join(dir, 'p.s')]);
    const starts = Object.entries(addrs).map(([s, a]) => `--section-start=.${s}=0x${a.toString(16)}`);
    run('ld', ['-static', '-nostdlib', '-e', '_start', ...starts, '-o', join(dir, 'p.elf'), join(dir, 'p.o')]);
    return new Uint8Array(readFileSync(join(dir, 'p.elf')));
  });
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
