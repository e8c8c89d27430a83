/**
 * `x86emu repl IMAGE [boot options] [--script FILE] [--batch] [--json]`:
 * a thin command layer over the debugger session on Node's readline
 * (history, tab completion of commands, symbols and register names).
 *
 * Output: each command prints plain text (errors: one line on stderr, the
 * session goes on); with --json, every command prints one JSON object per
 * line on stdout ({"cmd", "ok", "data" | "error"}), and guest console output
 * and trace lines become {"event": "console"|"trace", "text"} lines.
 * Ctrl-C while the guest runs stops it at the end of the current slice and
 * returns to the prompt (readline's SIGINT on a terminal, the process's
 * SIGINT otherwise).
 */
import { readFileSync, existsSync } from 'node:fs';
import * as readline from 'node:readline';
import { parseArgs, UsageError } from '../cli/args.ts';
import { loadTarget } from './image.ts';
import { Session, DebugError } from './session.ts';
import { REGISTRY, ReplError, defineCommand, type CommandContext, type CommandOutput } from './registry.ts';
import { completeExpr } from './commands.ts';
import { evaluate, evalAddr, ExprError } from './expr.ts';
import { MemError } from './memory.ts';
import { X86Fault } from '../faults.ts';
import { startGdbServer, closeAllGdbServers } from '../gdb/server.ts';
import './commands.ts';

export const REPL_PROMPT = '(x86emu) ';

interface Io {
  json: boolean;
  out(s: string): void;
  err(s: string): void;
}

let quitRequested = false;

defineCommand({
  name: 'quit', aliases: ['q', 'exit'], owner: 'core', summary: 'leave the REPL',
  run() { quitRequested = true; return { text: '', data: { quit: true } }; },
});

defineCommand({
  name: 'gdbserver', owner: 'core', summary: 'serve gdb\'s remote protocol on 127.0.0.1:PORT (0 = any free port)',
  help: 'gdbserver PORT   then, in gdb: target remote :PORT',
  async run(args, ctx) {
    if (!args[0] || !/^\d+$/.test(args[0]) || Number(args[0]) > 65535) throw new ReplError('gdbserver needs a PORT 0..65535');
    const srv = await startGdbServer(ctx.session, Number(args[0]), { log: (l) => ctx.note(l) });
    return { text: `gdbserver listening on 127.0.0.1:${srv.port}`, data: { port: srv.port } };
  },
});

/** Splits `x/16xb foo+8` into name 'x', fmt '16xb', raw 'foo+8'. */
export function parseLine(line: string): { name: string; fmt: string; raw: string; args: string[] } | null {
  const t = line.trim();
  if (!t || t.startsWith('#')) return null;
  const m = /^([A-Za-z_?][\w-]*)(?:\/(\S*))?\s*([\s\S]*)$/.exec(t);
  if (!m) return { name: t.split(/\s+/)[0], fmt: '', raw: '', args: [] };
  return { name: m[1], fmt: m[2] ?? '', raw: m[3], args: m[3].split(/\s+/).filter(Boolean) };
}

/** Runs one command line; returns false if it failed. */
export async function execLine(session: Session, line: string, io: Io): Promise<boolean> {
  const p = parseLine(line);
  if (!p) return true;
  const notes: string[] = [];
  const def = REGISTRY.get(p.name);
  const fail = (msg: string) => {
    session.flushConsole();
    if (io.json) io.out(JSON.stringify({ cmd: p.name, ok: false, error: msg }) + '\n');
    else io.err(`error: ${msg}\n`);
    return false;
  };
  if (!def) return fail(`unknown command '${p.name}' (try 'help')`);
  const ctx: CommandContext = {
    session, cpu: session.cpu, raw: p.raw, fmt: p.fmt, json: io.json, registry: REGISTRY,
    evaluate: (e) => evaluate(e, { cpu: session.cpu, symbols: session.symbols }),
    address: (e) => evalAddr(e, { cpu: session.cpu, symbols: session.symbols }),
    note: (l) => notes.push(l),
  };
  let out: CommandOutput;
  try {
    out = await def.run(p.args, ctx);
  } catch (e) {
    if (e instanceof ReplError || e instanceof ExprError || e instanceof MemError || e instanceof DebugError) return fail(e.message);
    if (e instanceof X86Fault) return fail(String(e));
    if (e instanceof UsageError) return fail(e.message);
    return fail(`internal error: ${(e as Error).stack ?? e}`);
  }
  session.flushConsole();
  const text = out === undefined ? '' : typeof out === 'string' ? out : out.text;
  if (io.json) {
    const data = out === undefined ? null : typeof out === 'string' ? { output: out } : out.data ?? { output: out.text };
    io.out(JSON.stringify({ cmd: def.name, ok: true, data, ...(notes.length ? { notes } : {}) }, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)) + '\n');
  } else {
    for (const n of notes) io.out(n + '\n');
    if (text) io.out(text + '\n');
  }
  return true;
}

export async function replCommand(argv: string[]): Promise<number> {
  const { opts, pos } = parseArgs(argv, {
    cpu: 'string', smp: 'string', mem: 'string', cmdline: 'string', input: 'string', 'load-addr': 'string',
    script: 'string', batch: 'flag', json: 'flag',
  });
  if (pos.length !== 1) throw new UsageError('repl needs exactly one IMAGE or MANIFEST');
  const script = opts.script as string | undefined;
  if (script !== undefined && !existsSync(script)) throw new UsageError(`--script ${script}: no such file`);
  const json = opts.json === true;
  const io: Io = {
    json,
    out: (s) => { process.stdout.write(s); },
    err: (s) => { if (json) process.stdout.write(s); else process.stderr.write(s); },
  };
  const target = await loadTarget(pos[0], {
    cpu: opts.cpu as string | undefined, smp: opts.smp as string | undefined, mem: opts.mem as string | undefined,
    cmdline: opts.cmdline as string | undefined, input: opts.input as string | undefined, loadAddr: opts['load-addr'] as string | undefined,
  });
  const session = new Session(target, {
    console: (t) => (json ? io.out(JSON.stringify({ event: 'console', text: t }) + '\n') : io.out(t)),
    log: (l) => (json ? io.out(JSON.stringify({ event: 'trace', text: l }) + '\n') : io.out(l + '\n')),
  });
  quitRequested = false;
  let failures = 0;

  // Ctrl-C: stop a running guest; otherwise the usual meaning (leave, when not on a terminal).
  const onSigint = () => {
    if (session.running) session.interrupt();
    else if (!process.stdin.isTTY || script !== undefined) { process.exitCode = 130; process.exit(130); }
  };
  process.on('SIGINT', onSigint);

  try {
    if (script !== undefined) {
      const lines = readFileSync(script, 'utf8').split(/\r?\n/);
      for (const line of lines) {
        if (!(await execLine(session, line, io))) failures++;
        if (quitRequested) break;
      }
      return failures ? 1 : 0;
    }
    const batch = opts.batch === true;
    const tty = process.stdin.isTTY === true && !batch;
    const rl = readline.createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: tty,
      historySize: 1000,
      prompt: batch ? '' : REPL_PROMPT,
      completer: (line: string) => complete(session, line),
    });
    rl.on('SIGINT', () => {
      if (session.running) session.interrupt();
      else { process.stdout.write('^C\n'); rl.prompt(); }
    });
    const queue: string[] = [];
    let closed = false;
    let wake: (() => void) | null = null;
    rl.on('line', (l) => { queue.push(l); wake?.(); });
    rl.on('close', () => { closed = true; wake?.(); });
    let last = '';
    if (!batch) rl.prompt();
    for (;;) {
      if (!queue.length) {
        if (closed) break;
        await new Promise<void>((r) => { wake = r; });
        wake = null;
        continue;
      }
      let line = queue.shift()!;
      // On a terminal an empty line repeats step/next/x like gdb.
      if (tty && !line.trim() && /^(s|si|step|stepi|n|ni|next|nexti)\b/.test(last)) line = last;
      if (line.trim()) last = line;
      if (!(await execLine(session, line, io))) failures++;
      if (quitRequested) break;
      if (!batch) rl.prompt();
    }
    rl.close();
    if (!batch && !quitRequested && !json) process.stdout.write('\n');
    return batch && failures ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    closeAllGdbServers();
    session.flushConsole();
  }
}

/** readline completer: command names first, then the command's own completer (default: symbols and registers). */
export function complete(session: Session, line: string): [string[], string] {
  const m = /^(\s*)(\S*)$/.exec(line);
  if (m) {
    const hits = REGISTRY.allNames().filter((n) => n.startsWith(m[2]));
    return [hits, m[2]];
  }
  const p = parseLine(line);
  if (!p) return [[], line];
  const def = REGISTRY.get(p.name);
  const ends = /\s$/.test(line);
  const args = p.args;
  const partial = ends ? '' : args[args.length - 1] ?? '';
  const before = ends ? args : args.slice(0, -1);
  const fn = def?.complete ?? completeExpr;
  try {
    return [fn(partial, before, { session }), partial];
  } catch {
    return [[], partial];
  }
}
