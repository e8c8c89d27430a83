/** The real command line, spawned as a user would run it. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { BANNER } from '../../guest-kernel/banner.ts';
import { writeElf } from '../../guest-kernel/asm/elf-writer.ts';
import { kernel } from '../helpers/kernel.ts';

const BIN = join(__dirname, '../../bin/x86emu.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: join(__dirname, '../..'), timeout: 60000 });
const tmp = mkdtempSync(join(tmpdir(), 'x86emu-cli-'));

describe('x86emu boot', () => {
  it('boots the default manifest: banner on stdout, exit status 0', () => {
    const r = run('boot', 'images/default.toml');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(BANNER);
    expect(r.status).toBe(0);
  });

  it('--stats prints instructions and MIPS per vCPU on stderr', () => {
    const r = run('boot', 'images/default.toml', '--stats');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/vCPU 0: \d+ instructions, [\d.]+ MIPS, exceptions: none/);
  });

  it('--max-insns stops with a register dump and status 3', () => {
    const elf = join(tmp, 'spin.elf');
    writeFileSync(elf, writeElf(kernel((a) => { a.label('spin'); a.jmp('spin'); })));
    const r = run('boot', elf, '--max-insns', '1000');
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/stopped after --max-insns 1000/);
    expect(r.stderr).toMatch(/rax=0{16}/);
  });

  it('a triple fault stops with status 3 and says why', () => {
    const elf = join(tmp, 'ud.elf');
    writeFileSync(elf, writeElf(kernel((a) => { a.ud2(); })));
    const r = run('boot', elf);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/triple fault/);
    expect(r.stderr).toMatch(/UD2/);
  });

  it.each([
    [['boot', 'no-such-file.elf'], /no-such-file.elf: no such file/],
    [['boot', 'package.json'], /not a bootable image: not an ELF file/],
    [['boot', 'images/default.toml', '--frobnicate'], /unknown option --frobnicate/],
    [['boot', 'images/default.toml', '--mem', '12Q'], /--mem: bad size '12Q'/],
    [['boot', 'images/default.toml', '--smp', '0'], /--smp must be an integer 1\.\.64/],
    [['boot', 'images/default.toml', '--cpu', 'pentium'], /unknown CPU model 'pentium'; known models: genoa, sapphire-rapids/],
    [['frob'], /unknown command 'frob'/],
  ])('bad input %j is one line on stderr and status 2', (args, msg) => {
    const r = run(...(args as string[]));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(msg as RegExp);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('a truncated ELF is rejected with status 2', () => {
    const elf = writeElf(kernel((a) => { a.hlt(); }));
    const f = join(tmp, 'trunc.elf');
    writeFileSync(f, elf.subarray(0, 100));
    const r = run('boot', f);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not a bootable image/);
  });

  it('a segment outside RAM is rejected with status 2', () => {
    const f = join(tmp, 'big.elf');
    writeFileSync(f, writeElf(kernel((a) => { a.hlt(); })));
    const r = run('boot', f, '--mem', '2M');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/outside RAM/);
  });
});

describe('x86emu conform / cpus / help', () => {
  it('a malformed case file is status 2 naming the case and field', () => {
    const f = join(tmp, 'bad.json');
    writeFileSync(f, JSON.stringify({ format: 'x86-conformance/1', cases: [{ name: 'x/1', code: 'cc', code_addr: '0x1000', expect: { stop: { vector: 3 } }, regs: { rax: 12 } }] }));
    const r = run('conform', f);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/case #0 'x\/1': field regs.rax: expected a hex string/);
  });

  it('passing and failing cases: one FAIL line each, the summary, status 1', () => {
    const f = join(tmp, 'cases.json');
    const base = { cpl: 3, xcr0: '0x3', code_addr: '0x10000000' };
    writeFileSync(f, JSON.stringify({
      format: 'x86-conformance/1', cpu: 'genoa',
      cases: [
        // mov eax, 5; int3 → rax = 5, stop at the int3 (0x10000005)
        { ...base, name: 'ok/mov', code: 'b805000000cc', expect: { stop: { vector: 3, rip: '0x10000005' }, regs: { rax: '0x5' } } },
        { ...base, name: 'bad/mov', code: 'b805000000cc', expect: { stop: { vector: 3 }, regs: { rax: '0x6' } } },
      ],
    }));
    const r = run('conform', f);
    expect(r.stdout).toMatch(/^FAIL bad\/mov: regs\.rax: expected 0x6, got 0x5$/m);
    expect(r.stdout).toMatch(/^1 passed, 1 failed$/m);
    expect(r.status).toBe(1);
  });

  it('cpus lists both models with advertised and masked features', () => {
    const r = run('cpus');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/genoa/);
    expect(r.stdout).toMatch(/sapphire-rapids \(default\)/);
    expect(r.stdout).toMatch(/masks/);
    // What a booted machine advertises, extensions included: the XSAVE extension supports genoa's CET
    // state components 11/12 (shared/conformance/cpu-genoa.json: xss_supported 0x1800).
    expect(r.stdout).toMatch(/genoa[^]*XSS supported 0x1800 \(part: 0x1800\)/);
  });

  it('help lists every command', () => {
    const r = run('help');
    expect(r.status).toBe(0);
    for (const c of ['boot', 'conform', 'cpus', 'build', 'disasm', 'bench']) expect(r.stdout).toContain(`x86emu ${c}`);
  });
});

describe('x86emu bench', () => {
  it('runs each workload in its own process and writes the figures as JSON (checksums checked)', () => {
    const out = join(tmp, 'bench.json');
    const r = run('bench', '--only', 'alu,call', '--reps', '1', '--warmup', '0', '--json', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/bench alu: checking checksums\.\.\. ok/);
    expect(r.stderr).toMatch(/bench call: checking checksums\.\.\. ok/);
    const j = JSON.parse(readFileSync(out, 'utf8')) as { workloads: { name: string; mips: number; iterations: number; checksum_ok: boolean }[]; peak_rss_mb: number };
    expect(j.workloads.map((w) => w.name)).toEqual(['alu', 'call']);
    for (const w of j.workloads) {
      expect(w.checksum_ok).toBe(true);
      expect(w.mips).toBeGreaterThan(0);
      expect(w.iterations).toBeGreaterThan(0);
    }
    expect(j.peak_rss_mb).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/^alu +[\d.]+ +\d+ +[\d.]+ +ok$/m);
  }, 120_000);

  it('rejects an unknown workload and a bad warm-up with status 2', () => {
    expect(run('bench', '--only', 'nope').status).toBe(2);
    const r = run('bench', '--warmup', 'x');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/warmup/);
  });
});
