/**
 * gdb's remote serial protocol over TCP on 127.0.0.1, driving the debugger
 * session (emulator/repl/session.ts): registers with a target description,
 * memory (m/M/X), software and hardware breakpoints (Z0/Z1), watchpoints
 * (Z2 write, Z3 read, Z4 access), single step (s, vCont;s), continue (c,
 * vCont;c) with Ctrl-C (0x03) interrupting, one thread per vCPU (thread id =
 * vCPU + 1: qfThreadInfo, Hg/Hc, T packets). All-stop mode. Nothing depends
 * on timing besides the socket itself: a continue runs the machine in fixed
 * slices and checks for 0x03 between them.
 */
import * as net from 'node:net';
import type { Session, StopEvent } from '../repl/session.ts';
import { DebugError } from '../repl/session.ts';
import { readLinear, writeLinear, MemError } from '../repl/memory.ts';
import { gdbRegisters, targetXml, type GdbReg } from './tdesc.ts';
import type { Cpu } from '../cpu/cpu.ts';

export type GdbEnd = 'detach' | 'kill' | 'disconnect';

export interface GdbServer {
  port: number;
  /** Resolves when the first gdb connection ends, with how it ended. */
  done: Promise<GdbEnd>;
  close(): void;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const checksum = (s: Buffer) => { let x = 0; for (const b of s) x = (x + b) & 0xff; return x.toString(16).padStart(2, '0'); };

/** Escapes a binary reply ($, #, }, * are escaped as } then byte ^ 0x20). */
function escapeBinary(b: Buffer): Buffer {
  const out: number[] = [];
  for (const x of b) { if (x === 0x23 || x === 0x24 || x === 0x7d || x === 0x2a) out.push(0x7d, x ^ 0x20); else out.push(x); }
  return Buffer.from(out);
}

function unescapeBinary(b: Buffer): Uint8Array {
  const out: number[] = [];
  for (let k = 0; k < b.length; k++) { if (b[k] === 0x7d) out.push(b[++k] ^ 0x20); else out.push(b[k]); }
  return Uint8Array.from(out);
}

const servers = new Set<GdbServer>();

/** Closes every server (the REPL does this when it exits, so no socket keeps the process alive). */
export function closeAllGdbServers(): void {
  for (const s of [...servers]) s.close();
}

export function startGdbServer(session: Session, port: number, opts: { log?: (line: string) => void } = {}): Promise<GdbServer> {
  let endResolve!: (e: GdbEnd) => void;
  const done = new Promise<GdbEnd>((r) => { endResolve = r; });
  let active: net.Socket | null = null;
  const server = net.createServer((sock) => {
    if (active) { sock.end(); return; } // one debugger at a time
    active = sock;
    const conn = new GdbConnection(session, sock, opts.log);
    sock.on('close', () => { active = null; endResolve(conn.ending ?? 'disconnect'); });
    sock.on('error', () => { /* close follows */ });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new DebugError(`gdbserver: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`)));
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address() as net.AddressInfo;
      const srv: GdbServer = { port: addr.port, done, close: () => { servers.delete(srv); server.close(); active?.destroy(); } };
      servers.add(srv);
      resolve(srv);
    });
  });
}

class GdbConnection {
  private buf = Buffer.alloc(0);
  private noAck = false;
  private readonly regs: GdbReg[];
  private readonly xml: string;
  /** Thread for g/p/m (Hg) and for step/continue (Hc); -1 = any. */
  private gThread = 0;
  private cThread = -1;
  private chain: Promise<void> = Promise.resolve();
  private lastStop = '';
  ending: GdbEnd | undefined;

  constructor(private readonly s: Session, private readonly sock: net.Socket, private readonly log?: (line: string) => void) {
    this.regs = gdbRegisters(s.m.model);
    this.xml = targetXml(this.regs);
    this.gThread = s.cur;
    this.lastStop = this.stopReply({ kind: 'step', cpu: s.cur });
    sock.on('data', (d) => this.onData(d));
  }

  private get gCpu(): Cpu { return this.s.m.cpus[this.gThread] ?? this.s.cpu; }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      if (this.buf.length === 0) return;
      const b0 = this.buf[0];
      if (b0 === 0x03) { this.buf = this.buf.subarray(1); this.s.interrupt(); continue; }
      if (b0 === 0x2b || b0 === 0x2d) { this.buf = this.buf.subarray(1); continue; } // + / -
      if (b0 !== 0x24) { this.buf = this.buf.subarray(1); continue; }
      const hash = this.buf.indexOf(0x23);
      if (hash < 0 || this.buf.length < hash + 3) return;
      const body = this.buf.subarray(1, hash);
      const sum = this.buf.subarray(hash + 1, hash + 3).toString('latin1');
      this.buf = this.buf.subarray(hash + 3);
      if (!this.noAck) {
        if (checksum(body) !== sum.toLowerCase()) { this.sock.write('-'); continue; }
        this.sock.write('+');
      }
      const pkt = Buffer.from(body);
      this.chain = this.chain.then(() => this.handle(pkt)).catch((e) => {
        this.log?.(`gdbserver: ${(e as Error).message}`);
        this.send('E01');
      });
    }
  }

  private send(s: string | Buffer): void {
    const body = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
    if (this.sock.destroyed) return;
    this.sock.write(Buffer.concat([Buffer.from('$'), body, Buffer.from(`#${checksum(body)}`)]));
  }

  private tid(cpu: number): string { return (cpu + 1).toString(16); }

  private parseTid(t: string): number {
    if (t === '-1' || t === '0') return -1;
    const n = parseInt(t, 16) - 1;
    if (!(n >= 0 && n < this.s.m.cpus.length)) throw new DebugError(`no thread ${t}`);
    return n;
  }

  private stopReply(ev: StopEvent): string {
    switch (ev.kind) {
      case 'exited': return `W${(ev.status & 0xff).toString(16).padStart(2, '0')}`;
      case 'interrupted': return `T02thread:${this.tid(ev.cpu)};`;
      case 'breakpoint': return `T05thread:${this.tid(ev.cpu)};${ev.hw ? 'hwbreak' : 'swbreak'}:;`;
      case 'watchpoint': return `T05thread:${this.tid(ev.cpu)};${ev.wkind === 'write' ? 'watch' : ev.wkind === 'read' ? 'rwatch' : 'awatch'}:${BigInt.asUintN(64, BigInt(ev.addr)).toString(16)};`;
      default: return `T05thread:${this.tid('cpu' in ev ? ev.cpu : this.s.cur)};`;
    }
  }

  private console(text: string): void {
    this.send(`O${hex(Buffer.from(text))}`);
  }

  private async runAndReport(action: () => StopEvent | Promise<StopEvent>): Promise<void> {
    let ev: StopEvent;
    try {
      ev = await action();
    } catch (e) {
      if (!(e instanceof DebugError)) throw e;
      const t = this.s.terminal;
      this.console(`x86emu: ${e.message}\n`);
      this.send(t?.kind === 'exited' ? `W${(t.status & 0xff).toString(16).padStart(2, '0')}` : 'X0b');
      return;
    }
    if (ev.kind === 'triple-fault' || ev.kind === 'halted' || ev.kind === 'catch') this.console(`x86emu: ${this.s.describeStop(ev)}\n`);
    if ('cpu' in ev) { this.gThread = ev.cpu; this.s.cur = ev.cpu; }
    this.lastStop = this.stopReply(ev);
    this.send(this.lastStop);
  }

  private step(cpu: number): Promise<void> {
    return this.runAndReport(() => this.s.stepInsn(this.s.m.cpus[cpu < 0 ? this.s.cur : cpu]));
  }

  private cont(): Promise<void> {
    return this.runAndReport(() => this.s.resume());
  }

  private async handle(pkt: Buffer): Promise<void> {
    const p = pkt.toString('latin1');
    const s = this.s;
    const c0 = p[0];
    if (p.startsWith('qSupported')) return this.send('PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+');
    if (p === 'QStartNoAckMode') { this.send('OK'); this.noAck = true; return; }
    if (p.startsWith('qXfer:features:read:')) {
      const m = /^qXfer:features:read:([^:]+):([0-9a-f]+),([0-9a-f]+)$/i.exec(p);
      if (!m || m[1] !== 'target.xml') return this.send('E00');
      const off = parseInt(m[2], 16), len = parseInt(m[3], 16);
      const chunk = this.xml.slice(off, off + len);
      return this.send(Buffer.concat([Buffer.from(off + len >= this.xml.length ? 'l' : 'm'), escapeBinary(Buffer.from(chunk, 'latin1'))]));
    }
    if (p === '?') return this.send(this.lastStop);
    if (p === 'qAttached') return this.send('1');
    if (p === 'qC') return this.send(`QC${this.tid(s.cur)}`);
    if (p === 'qfThreadInfo') return this.send(`m${s.m.cpus.map((c) => this.tid(c.id)).join(',')}`);
    if (p === 'qsThreadInfo') return this.send('l');
    if (p.startsWith('qThreadExtraInfo,')) {
      const n = this.parseTid(p.slice(17));
      const c = s.m.cpus[n < 0 ? s.cur : n];
      return this.send(hex(Buffer.from(`vCPU ${c.id}${c.halted ? ' (halted)' : ''}`)));
    }
    if (p === 'qSymbol::') return this.send('OK');
    if (c0 === 'H') {
      const n = this.parseTid(p.slice(2));
      if (p[1] === 'g') this.gThread = n < 0 ? s.cur : n; else this.cThread = n;
      return this.send('OK');
    }
    if (c0 === 'T') { try { this.parseTid(p.slice(1)); return this.send('OK'); } catch { return this.send('E01'); } }
    if (p === 'g') return this.send(this.regs.map((r) => hex(r.get(this.gCpu))).join(''));
    if (c0 === 'G') {
      const data = unhex(p.slice(1));
      let off = 0;
      for (const r of this.regs) { const n = r.bits / 8; if (off + n > data.length) break; r.set(this.gCpu, data.subarray(off, off + n)); off += n; }
      return this.send('OK');
    }
    if (c0 === 'p') {
      const r = this.regs[parseInt(p.slice(1), 16)];
      return this.send(r ? hex(r.get(this.gCpu)) : 'E00');
    }
    if (c0 === 'P') {
      const m = /^P([0-9a-f]+)=([0-9a-f]*)$/i.exec(p);
      const r = m ? this.regs[parseInt(m[1], 16)] : undefined;
      if (!r || !m) return this.send('E00');
      r.set(this.gCpu, unhex(m[2]));
      return this.send('OK');
    }
    if (c0 === 'm') {
      const [a, l] = p.slice(1).split(',');
      const addr = Number(BigInt.asIntN(64, BigInt(`0x${a}`))), len = Math.min(parseInt(l, 16), 0x1000);
      // Partial reads are allowed: return what is readable from the start.
      const out: number[] = [];
      for (let k = 0; k < len;) {
        const n = Math.min(len - k, 4096 - ((addr + k) & 4095));
        try { out.push(...readLinear(this.gCpu, addr + k, n)); } catch (e) { if (e instanceof MemError) break; throw e; }
        k += n;
      }
      return this.send(out.length || len === 0 ? hex(Uint8Array.from(out)) : 'E14');
    }
    if (c0 === 'M' || c0 === 'X') {
      const colon = pkt.indexOf(0x3a);
      const [a, l] = pkt.subarray(1, colon).toString('latin1').split(',');
      const addr = Number(BigInt.asIntN(64, BigInt(`0x${a}`))), len = parseInt(l, 16);
      const data = c0 === 'M' ? unhex(pkt.subarray(colon + 1).toString('latin1')) : unescapeBinary(pkt.subarray(colon + 1));
      if (len === 0) return this.send('OK');
      try { writeLinear(this.gCpu, addr, data.subarray(0, len)); } catch (e) { if (e instanceof MemError) return this.send('E14'); throw e; }
      return this.send('OK');
    }
    if (c0 === 'Z' || c0 === 'z') {
      const [type, a, k] = p.slice(1).split(',');
      const addr = Number(BigInt.asIntN(64, BigInt(`0x${a}`))), len = parseInt(k, 16);
      const add = c0 === 'Z';
      switch (type) {
        case '0': case '1': {
          const hw = type === '1';
          if (add) s.addBreakpoint(addr, `gdb ${hw ? 'hbreak' : 'break'}`, { origin: 'gdb', hw });
          else s.removeGdbBreakpoint(addr, hw);
          return this.send('OK');
        }
        case '2': case '3': case '4': {
          const kind = type === '2' ? 'write' : type === '3' ? 'read' : 'access';
          if (add) {
            try { s.addWatchpoint(addr, len, kind, 'gdb watch', 'gdb'); } catch (e) { if (e instanceof MemError || e instanceof DebugError) return this.send('E14'); throw e; }
          } else s.removeGdbWatchpoint(addr, len, kind);
          return this.send('OK');
        }
        default: return this.send('');
      }
    }
    if (p === 'vCont?') return this.send('vCont;c;C;s;S');
    if (p.startsWith('vCont;')) {
      const actions = p.slice(6).split(';').map((a) => { const [act, t] = a.split(':'); return { act: act[0], tid: t === undefined ? -2 : this.parseTid(t) }; });
      const st = actions.find((a) => a.act === 's' || a.act === 'S');
      if (st) return this.step(st.tid >= 0 ? st.tid : this.cThread >= 0 ? this.cThread : s.cur);
      if (actions.some((a) => a.act === 'c' || a.act === 'C')) return this.cont();
      return this.send('');
    }
    if (c0 === 's' || c0 === 'S') return this.step(this.cThread >= 0 ? this.cThread : s.cur);
    if (c0 === 'c' || c0 === 'C') return this.cont();
    if (c0 === 'D') {
      for (const [id, b] of [...s.bps]) if (b.origin === 'gdb') s.deleteBreakpoint(id);
      for (const [id, w] of [...s.watches]) if (w.origin === 'gdb') s.deleteBreakpoint(id);
      this.ending = 'detach';
      this.send('OK');
      this.sock.end();
      return;
    }
    if (c0 === 'k' || p.startsWith('vKill')) {
      this.ending = 'kill';
      if (p.startsWith('vKill')) this.send('OK');
      this.sock.end();
      return;
    }
    return this.send(''); // unsupported
  }
}
