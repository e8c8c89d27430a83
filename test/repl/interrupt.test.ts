/**
 * Ctrl-C stops a running guest and returns to the prompt.
 *
 * Two ways, both on a spinning image (`spin: inc rcx; jmp spin`):
 *  - `--batch` with commands on a pipe: SIGINT sent to the REPL process
 *    (process.on('SIGINT') while `continue` runs in slices);
 *  - interactive, through a real pseudo-terminal made by util-linux
 *    `script -qfc CMD /dev/null`: the test types Ctrl-C (byte 0x03) on the
 *    terminal; readline (raw mode) turns it into its 'SIGINT' event.
 * The REPL only looks for the interrupt between slices of 100k instructions,
 * so the stop is prompt but its exact instruction is not predictable; the
 * tests check that the guest stopped inside the loop and the session goes on.
 */
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { spinImage, BIN, ROOT, stripNpmNoise } from './images.ts';

function waitFor(get: () => string, re: RegExp, ms = 30000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      if (re.test(get())) return resolve();
      if (Date.now() - t0 > ms) return reject(new Error(`timed out waiting for ${re} in:\n${get()}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Ctrl-C during continue', () => {
  it('SIGINT to a --batch REPL stops the guest; later commands run', async () => {
    const img = spinImage();
    const ch = spawn(process.execPath, [BIN, 'repl', img, '--batch', '--mem', '16M'], { cwd: ROOT });
    let out = '', err = '';
    ch.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    ch.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    const done = new Promise<number | null>((r) => ch.on('close', r));
    ch.stdin.write('print 1\n');
    await waitFor(() => out, /0x1  1\n/);
    ch.stdin.write('continue\n');
    await sleep(700);
    ch.kill('SIGINT');
    await waitFor(() => out, /Interrupted\./);
    ch.stdin.end('print rcx > 100000\nvcpu\n');
    const status = await done;
    expect(stripNpmNoise(err)).toBe('');
    expect(out).toMatch(/Interrupted\.\n0x200[0-9a-f]+ <(_start|spin)(\+0x3)?>: (inc rcx|jmp 0x200[0-9a-f]+)\n0x1  1\n\* vCPU 0  0x200[0-9a-f]+ <(_start|spin)(\+0x3)?>  \d+ instructions\n$/);
    expect(status).toBe(0);
  });

  const hasScript = spawnSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('Ctrl-C typed on a terminal (pseudo-terminal from util-linux script) stops the guest', async () => {
    const img = spinImage();
    const cmd = `${process.execPath} ${BIN} repl ${img} --mem 16M`;
    const ch = spawn('script', ['-qfc', cmd, '/dev/null'], { cwd: ROOT, env: { ...process.env, SHELL: '/bin/sh', TERM: 'dumb' } });
    let out = '';
    ch.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    ch.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
    const done = new Promise<number | null>((r) => ch.on('close', r));
    await waitFor(() => out, /\(x86emu\) /);
    ch.stdin.write('print 1\r');
    await waitFor(() => out, /0x1  1/);
    ch.stdin.write('continue\r');
    await sleep(700);
    ch.stdin.write('\x03');
    await waitFor(() => out, /Interrupted\./);
    ch.stdin.write('print rcx > 100000\r');
    await waitFor(() => out, /Interrupted\.[\s\S]*0x1  1/);
    ch.stdin.write('quit\r');
    const status = await done;
    expect(out).toMatch(/Interrupted\.\r?\n0x200[0-9a-f]+ <(_start|spin)(\+0x3)?>/);
    expect(status).toBe(0);
  });
});
