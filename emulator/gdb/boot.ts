/**
 * `x86emu boot IMAGE --gdb PORT`: boots the image like `boot`, stops at the
 * entry point and serves gdb on 127.0.0.1:PORT (0 = any free port; the port
 * is printed on stderr). When gdb detaches the guest runs on to its exit;
 * when gdb kills it or disconnects, the emulator stops. The exit status is
 * the guest's when it exited, else 3 (as `boot` for a stopped machine).
 */
import { loadTarget, type TargetOptions } from '../repl/image.ts';
import { Session } from '../repl/session.ts';
import { startGdbServer } from './server.ts';
import { UsageError } from '../cli/args.ts';
import { registerDump } from '../cli/regdump.ts';

export async function bootWithGdb(image: string, port: string, o: TargetOptions & { trace?: string }): Promise<number> {
  if (!/^\d+$/.test(port) || Number(port) > 65535) throw new UsageError(`--gdb must be a TCP port 0..65535, got '${port}'`);
  if (o.trace !== undefined && o.trace !== 'exceptions' && o.trace !== 'insns') throw new UsageError(`--trace must be 'exceptions' or 'insns', got '${o.trace}'`);
  const target = await loadTarget(image, o);
  const session = new Session(target, {
    console: (t) => { process.stdout.write(t); },
    log: (l) => { process.stderr.write(l + '\n'); },
  });
  if (o.trace === 'exceptions') session.trace.exceptions = true;
  if (o.trace === 'insns') { session.trace.exceptions = true; session.trace.insns = true; session.updateHook(); }
  const srv = await startGdbServer(session, Number(port), { log: (l) => process.stderr.write(l + '\n') });
  process.stderr.write(`x86emu: gdbserver listening on 127.0.0.1:${srv.port} (in gdb: target remote :${srv.port})\n`);
  const onSigint = () => session.interrupt();
  process.on('SIGINT', onSigint);
  try {
    const how = await srv.done;
    srv.close();
    if (how === 'detach') {
      while (!session.terminal) {
        const ev = await session.resume();
        if (ev.kind === 'halted' || ev.kind === 'interrupted') {
          process.stderr.write(`x86emu: ${session.describeStop(ev)}\n${session.m.cpus.map(registerDump).join('\n')}\n`);
          return 3;
        }
      }
    }
    const t = session.terminal;
    if (t?.kind === 'exited') return t.status;
    if (t) { process.stderr.write(`x86emu: ${session.describeStop(t)}\n`); return 3; }
    process.stderr.write(`x86emu: ${how === 'kill' ? 'killed by gdb' : 'gdb disconnected'}; the guest did not exit\n`);
    return 3;
  } finally {
    process.off('SIGINT', onSigint);
    session.flushConsole();
  }
}
