/**
 * x86emu command line: boot, conform, cpus, build, disasm.
 * Bad input is one line on stderr and exit status 2; never a stack trace.
 */
import { readFileSync, existsSync } from 'node:fs';
import { Machine } from '../machine.ts';
import { bootImage, BootError } from '../boot/loader.ts';
import { loadManifest, ManifestError } from '../image/manifest.ts';
import { resolveTarget, type TargetOptions } from '../image/target.ts';
import { buildImage, BuildError } from '../image/build.ts';
import { parseArgs, intOpt, UsageError } from './args.ts';
import { registerDump } from './regdump.ts';
import { runFiles } from '../conform/runner.ts';
import { FormatError } from '../conform/format.ts';
import { cpusReport, listModels, ModelError, markImplemented } from '../models/index.ts';
import { registerAllInsns } from '../insns/index.ts';
import { VECTOR_NAMES } from '../faults.ts';
import { disasmCommand } from './disasm.ts';
import { benchCommand } from '../bench/main.ts';
import { codeName } from '../insns/registry.ts';

export const HELP = `x86emu — an x86-64 emulator for the XSAVE family, XFD/AMX, ENQCMD/PASID and UINTR

usage:
  x86emu boot IMAGE|MANIFEST [--cpu NAME] [--smp N] [--mem SIZE] [--max-insns N]
              [--trace exceptions|insns] [--stats] [--cmdline TEXT] [--input FILE]
              [--load-addr ADDR] [--gdb PORT]
                                        boot an ELF64 image, a raw binary, or a manifest
                                        (--gdb: stop at entry and serve gdb on 127.0.0.1:PORT)
  x86emu repl IMAGE|MANIFEST [boot options] [--script FILE] [--batch] [--json]
                                        debug interactively: step, breakpoints, registers, memory, XSAVE state
  x86emu conform FILE... [--cpu NAME] [--filter GLOB] [--verbose]
                                        run conformance cases (shared/conformance/FORMAT.md)
  x86emu cpus [NAME]                    list CPU models: what each advertises and masks
  x86emu build [MANIFEST]               build an image manifest into build/ (default images/default.toml)
  x86emu disasm IMAGE [SYMBOL] [--syntax intel|gas|nasm|masm]
  x86emu bench [--json FILE] [--only alu,mem,...] [--reps N] [--warmup SECONDS] [--in-process]
                                        run the reference loops of shared/bench (guest MIPS): each workload in
                                        its own process, SECONDS (default 3) of untimed runs, median of N (7)
  x86emu help                           this text

exit status: the guest's for boot; 1 when a conformance case fails; 2 for bad input;
3 when the machine stops on --max-insns or a triple fault (a register dump is printed).`;

class ExitError extends Error { constructor(readonly status: number, msg: string) { super(msg); } }

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined: case 'help': case '--help': case '-h':
        process.stdout.write(HELP + '\n');
        return cmd === undefined ? 2 : 0;
      case 'boot': return await boot(rest);
      case 'conform': return conform(rest);
      case 'cpus': return cpus(rest);
      case 'build': return await build(rest);
      case 'disasm': return disasmCommand(rest);
      case 'bench': return benchCommand(rest);
      case 'repl': return await (await import('../repl/main.ts')).replCommand(rest);
      default: throw new UsageError(`unknown command '${cmd}' (try 'x86emu help')`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof BootError || e instanceof ManifestError || e instanceof FormatError || e instanceof ModelError || e instanceof BuildError) {
      process.stderr.write(`x86emu: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ExitError) { process.stderr.write(`x86emu: ${e.message}\n`); return e.status; }
    if (e instanceof Error && /^unknown CPU model/.test(e.message)) { process.stderr.write(`x86emu: ${e.message}\n`); return 2; }
    throw e;
  }
}

async function boot(argv: string[]): Promise<number> {
  const { opts, pos } = parseArgs(argv, {
    cpu: 'string', smp: 'string', mem: 'string', 'max-insns': 'string', trace: 'string', stats: 'flag',
    cmdline: 'string', input: 'string', 'load-addr': 'string', gdb: 'string',
  });
  if (pos.length !== 1) throw new UsageError('boot needs exactly one IMAGE or MANIFEST');
  const topts: TargetOptions = {
    cpu: opts.cpu as string | undefined, smp: opts.smp as string | undefined, mem: opts.mem as string | undefined,
    cmdline: opts.cmdline as string | undefined, input: opts.input as string | undefined, loadAddr: opts['load-addr'] as string | undefined,
  };
  const trace = opts.trace as string | undefined;
  if (trace !== undefined && trace !== 'exceptions' && trace !== 'insns') throw new UsageError(`--trace must be 'exceptions' or 'insns', got '${trace}'`);
  if (opts.gdb !== undefined) return await (await import('../gdb/boot.ts')).bootWithGdb(pos[0], opts.gdb as string, { ...topts, trace });
  const t = await resolveTarget(pos[0], topts);
  const maxInsns = opts['max-insns'] !== undefined ? intOpt(opts['max-insns'], 'max-insns', 1, Number.MAX_SAFE_INTEGER, 0) : Infinity;
  const out: number[] = [];
  const flush = () => { if (out.length) { process.stdout.write(Buffer.from(out)); out.length = 0; } };
  const m = new Machine({
    cpu: t.cpu, smp: t.smp, memSize: t.memSize, consoleIn: t.consoleIn,
    consoleOut: (b) => { out.push(b); if (b === 10 || out.length > 4096) flush(); },
  });
  bootImage(m, t.image, { cmdline: t.cmdline, modules: t.modules, rawLoadAddress: t.rawLoadAddress });
  if (trace) installTrace(m, trace);
  const t0 = performance.now();
  const stop = m.run(maxInsns);
  const secs = (performance.now() - t0) / 1000;
  flush();
  if (opts.stats) printStats(m, secs);
  switch (stop.kind) {
    case 'exit': return stop.status ?? 0;
    case 'budget':
      process.stderr.write(`x86emu: stopped after --max-insns ${maxInsns} instructions\n${m.cpus.map(registerDump).join('\n')}\n`);
      return 3;
    case 'triple-fault':
      process.stderr.write(`x86emu: ${stop.reason}\n${m.cpus.map(registerDump).join('\n')}\n`);
      return 3;
    case 'halt':
      process.stderr.write(`x86emu: ${stop.reason}\n${m.cpus.map(registerDump).join('\n')}\n`);
      return 3;
    default:
      process.stderr.write(`x86emu: machine stopped: ${stop.kind} ${stop.reason ?? ''}\n`);
      return 3;
  }
}


function installTrace(m: Machine, what: string): void {
  const hex = (v: number) => BigInt.asUintN(64, BigInt(v)).toString(16);
  for (const c of m.cpus) {
    if (what === 'insns') c.traceHook = (cpu, i) => process.stderr.write(`[cpu${cpu.id}] ${hex(cpu.rip)} ${codeName(i.code)}\n`);
    const orig = c.host;
    c.host = {
      poll: (cpu) => orig.poll(cpu),
      deliver: (cpu, vector, errorCode, returnRip, kind, reason, addr) => {
        process.stderr.write(`[cpu${cpu.id}] ${VECTOR_NAMES[vector] ?? `vector ${vector}`}${errorCode >= 0 ? `(0x${errorCode.toString(16)})` : ''} at rip ${hex(cpu.rip)}: ${reason}\n`);
        orig.deliver(cpu, vector, errorCode, returnRip, kind, reason, addr);
      },
    };
  }
}

function printStats(m: Machine, secs: number): void {
  const lines = [`x86emu: ${secs.toFixed(3)} s, ${m.totalInstructions} instructions`];
  for (const c of m.cpus) {
    const exc = [...c.excCount.entries()].filter(([, n]) => n > 0).map(([v, n]) => `${VECTOR_NAMES[v] ?? `v${v}`}=${n}`).join(' ');
    lines.push(`  vCPU ${c.id}: ${c.icount} instructions, ${(c.icount / secs / 1e6).toFixed(1)} MIPS, exceptions: ${exc || 'none'}`);
  }
  process.stderr.write(lines.join('\n') + '\n');
}

function conform(argv: string[]): number {
  const { opts, pos } = parseArgs(argv, { cpu: 'string', filter: 'string', verbose: 'flag' });
  if (pos.length === 0) throw new UsageError('conform needs at least one FILE');
  for (const f of pos) if (!existsSync(f)) throw new UsageError(`${f}: no such file`);
  if (opts.cpu && !listModels().includes(opts.cpu as string)) throw new UsageError(`unknown CPU model '${opts.cpu}'; known models: ${listModels().join(', ')}`);
  let pass = 0, fail = 0;
  runFiles(pos, {
    cpu: opts.cpu as string | undefined,
    filter: opts.filter as string | undefined,
    onResult: (r) => {
      if (r.pass) { pass++; if (opts.verbose) console.log(`pass ${r.name}`); }
      else { fail++; console.log(`FAIL ${r.name}: ${r.detail}`); }
    },
  });
  console.log(`${pass} passed, ${fail} failed`);
  return fail > 0 ? 1 : 0;
}

function cpus(argv: string[]): number {
  const { pos } = parseArgs(argv, {});
  if (pos.length > 1) throw new UsageError('cpus takes at most one NAME');
  if (pos[0] && !listModels().includes(pos[0])) throw new UsageError(`unknown CPU model '${pos[0]}'; known models: ${listModels().join(', ')}`);
  // What a machine would advertise: the core's features plus those of the installed extensions.
  for (const e of registerAllInsns()) if (e.features) markImplemented(...e.features);
  process.stdout.write(cpusReport(pos[0]) + '\n');
  return 0;
}

async function build(argv: string[]): Promise<number> {
  const { opts, pos } = parseArgs(argv, { force: 'flag' });
  if (pos.length > 1) throw new UsageError('build takes at most one MANIFEST');
  const mf = loadManifest(pos[0] ?? 'images/default.toml');
  const b = await buildImage(mf, opts.force === true);
  console.log(`${b.rebuilt ? 'built' : 'up to date'}: ${b.kernelPath}${b.modules.length ? ` (+${b.modules.length} modules)` : ''}`);
  return 0;
}

void ExitError;
