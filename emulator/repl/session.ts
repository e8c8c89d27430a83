/**
 * The debugger core shared by the REPL and the gdb stub: a booted machine,
 * breakpoints, watchpoints, catchpoints, tracing, and run control.
 *
 * How it hooks the machine without touching the interpreter loop:
 * - Breakpoints, watchpoints and instruction tracing use `Cpu.traceHook`
 *   (installed only while one of them exists; null otherwise, so the hot loop
 *   runs unchanged). To stop *before* an instruction the hook throws a
 *   sentinel X86Fault; the vCPU routes it to `host.deliver` like any fault,
 *   having counted exactly the instructions that retired, and our deliver
 *   override turns it into `machine.requestStop({kind: 'break'})` — so
 *   `Machine.run` finishes its round bookkeeping (time, APIC ticks) normally.
 * - Catchpoints and exception tracing override `machine.deliver` on the
 *   instance (the CpuHost.deliver path for faults, and the path `poll` uses
 *   for external interrupts): a caught event is *not* delivered; it is kept
 *   and delivered when execution resumes, so the stop is before the handler.
 * - `continue` runs `Machine.run` in slices (a multiple of quantum × vCPUs,
 *   so slicing does not change the round-robin interleaving) and yields to
 *   the event loop between slices, where Ctrl-C or gdb's 0x03 can land.
 * - `step` executes one instruction of the selected vCPU only (the other
 *   vCPUs stay frozen, like gdb's `scheduler-locking step`); guest time
 *   advances one tick per stepped instruction and APIC timers fire as usual.
 */
import iced from 'iced-x86';
import { Machine } from '../machine.ts';
import type { Cpu, StopInfo } from '../cpu/cpu.ts';
import { EventKind } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';
import { X86Fault, VECTOR_NAMES } from '../faults.ts';
import { IF } from '../cpu/state.ts';
import { laToBig } from '../msr.ts';
import type { DebugTarget } from './image.ts';
import type { Symbols } from './symbols.ts';
import { compile, type Compiled, ExprError } from './expr.ts';
import { tryReadLinear, readLinear, hexAddr, walk, u64le } from './memory.ts';
import { disasmOne } from './disasm.ts';
import { xinuse } from '../../isa-ext/xsave/xinuse.ts';
import { codeName } from '../insns/registry.ts';

/** Vector number of the sentinel fault the trace hook throws to stop before an instruction. */
const BREAK_VECTOR = 255;
const BREAK = new X86Fault(BREAK_VECTOR, -1, 'debugger stop');

export class DebugError extends Error {}

export interface Breakpoint {
  id: number;
  addr: number;
  /** As the user wrote it (symbol or address). */
  spec: string;
  enabled: boolean;
  hits: number;
  cond?: string;
  condFn?: Compiled;
  /** Internal temporary breakpoint (next/finish/until): extra test, removed after the resume. */
  temp?: boolean;
  test?: (c: Cpu) => boolean;
  /** Only this vCPU (temporary breakpoints). */
  vcpu?: number;
  origin: 'repl' | 'gdb';
  hw?: boolean;
}

export type WatchKind = 'write' | 'read' | 'access';
export interface Watchpoint { id: number; addr: number; len: number; kind: WatchKind; spec: string; old: Uint8Array | null; hits: number; origin: 'repl' | 'gdb'; vcpu: number }
export interface Catchpoint { id: number; vector: number; spec: string; hits: number }

export type StopEvent =
  | { kind: 'step'; cpu: number; delivered?: string }
  | { kind: 'breakpoint'; cpu: number; id: number; addr: number; hw?: boolean; error?: string }
  | { kind: 'watchpoint'; cpu: number; id: number; addr: number; wkind: WatchKind; old?: string; new?: string; writer?: number }
  | { kind: 'catch'; cpu: number; id: number; vector: number; errorCode: number; reason: string; rip: number }
  | { kind: 'interrupted'; cpu: number }
  | { kind: 'exited'; status: number }
  | { kind: 'triple-fault'; cpu: number; reason: string }
  | { kind: 'halted'; cpu: number; reason: string }
  | { kind: 'done'; cpu: number };

interface PendingEvent { vector: number; errorCode: number; returnRip: number; kind: EventKind; reason: string; addr: number }

export interface SessionSinks {
  /** Guest console bytes (flushed at newlines and stops). */
  console(text: string): void;
  /** Trace lines (exceptions, instructions, xstate). */
  log(line: string): void;
}

const XSTATE_CODES = /^(Xsave|Xrstor|Xsetbv|Xgetbv|Fxsave|Fxrstor)/;
const { InstructionInfoFactory, OpAccess, MemorySizeExt, Decoder, DecoderOptions, Instruction, Register } = iced;

export class Session {
  m!: Machine;
  readonly target: DebugTarget;
  cur = 0;
  readonly bps = new Map<number, Breakpoint>();
  readonly watches = new Map<number, Watchpoint>();
  readonly catches = new Map<number, Catchpoint>();
  readonly trace = { exceptions: false, insns: false, xstate: false };
  /** Set once the guest exited or triple-faulted: nothing more runs until `run` reboots it. */
  terminal: StopEvent | null = null;
  running = false;
  /** Instructions the machine had run when this boot started (`run` distinguishes a fresh boot). */
  started = false;
  /** Instructions per `continue` slice. */
  slice = 100000;
  private nextId = 1;
  private pending = new Map<number, PendingEvent>();
  private stopEvent: StopEvent | null = null;
  private interruptFlag = false;
  private stepping: Cpu | null = null;
  private steppedEvent: string | undefined;
  private resumingEvent = false;
  private savedLastFault: X86Fault | null = null;
  private skip: number[] = [];
  private bpAddrs = new Set<number>();
  private accessHit: ({ w: Watchpoint; addr: number } | null)[] = [];
  private prevRip: number[] = [];
  private consoleBuf: number[] = [];
  private readonly infoFactory = new InstructionInfoFactory();
  private readonly memInfo = new WeakMap<Insn, { base: number; index: number; scale: number; disp: bigint; size: number; access: number; seg: number }[]>();

  constructor(target: DebugTarget, readonly sinks: SessionSinks) {
    this.target = target;
    this.boot();
  }

  get symbols(): Symbols { return this.target.symbols; }
  get cpu(): Cpu { return this.m.cpus[this.cur]; }

  /** (Re)boots the image on a fresh machine. Breakpoints, watchpoints and catchpoints are kept. */
  boot(): void {
    const m = this.target.boot((b) => this.consoleByte(b));
    this.m = m;
    const n = m.cpus.length;
    this.cur = 0;
    this.terminal = null;
    this.started = false;
    this.pending.clear();
    this.skip = new Array(n).fill(NaN);
    this.accessHit = new Array(n).fill(null);
    this.prevRip = new Array(n).fill(NaN);
    const round = m.quantum * n;
    this.slice = Math.max(1, Math.ceil(100000 / round)) * round;
    const base = Machine.prototype.deliver;
    m.deliver = (c, vector, errorCode, returnRip, kind, reason, addr) => {
      if (vector === BREAK_VECTOR && c.lastFault === BREAK) {
        c.lastFault = this.savedLastFault;
        m.requestStop({ kind: 'break', reason: 'debugger' });
        return;
      }
      if (this.trace.exceptions) {
        const ec = errorCode >= 0 ? `(0x${errorCode.toString(16)})` : '';
        this.sinks.log(`[cpu${c.id}] ${VECTOR_NAMES[vector] ?? `vector 0x${vector.toString(16)}`}${ec} at ${this.fmt(c.rip)}: ${reason}`);
      }
      if (!this.resumingEvent) {
        for (const cp of this.catches.values()) {
          if (cp.vector !== vector) continue;
          cp.hits++;
          this.pending.set(c.id, { vector, errorCode, returnRip, kind, reason, addr });
          this.stopEvent = { kind: 'catch', cpu: c.id, id: cp.id, vector, errorCode, reason, rip: c.rip };
          m.requestStop({ kind: 'break', reason: 'catchpoint' });
          return;
        }
      }
      base.call(m, c, vector, errorCode, returnRip, kind, reason, addr);
      if (this.stepping === c) {
        c.stopRequested = true;
        this.steppedEvent = `${VECTOR_NAMES[vector] ?? `vector 0x${vector.toString(16)}`} delivered: ${reason}`;
      }
    };
    this.updateHook();
  }

  // ------------------------------------------------------------------ output
  private consoleByte(b: number): void {
    this.consoleBuf.push(b);
    if (b === 10 || this.consoleBuf.length >= 4096) this.flushConsole();
  }

  flushConsole(): void {
    if (this.consoleBuf.length === 0) return;
    const s = Buffer.from(this.consoleBuf).toString('latin1');
    this.consoleBuf.length = 0;
    this.sinks.console(s);
  }

  fmt(addr: number): string {
    const d = this.symbols.describe(addr);
    return `${hexAddr(addr)}${d ? ` <${d}>` : ''}`;
  }

  // ------------------------------------------------------------------ breakpoints
  private id(): number { return this.nextId++; }

  addBreakpoint(addr: number, spec: string, opts: { cond?: string; origin?: 'repl' | 'gdb'; hw?: boolean } = {}): Breakpoint {
    const bp: Breakpoint = { id: this.id(), addr, spec, enabled: true, hits: 0, origin: opts.origin ?? 'repl', hw: opts.hw };
    if (opts.cond) { bp.cond = opts.cond; bp.condFn = compile(opts.cond); }
    this.bps.set(bp.id, bp);
    this.updateHook();
    return bp;
  }

  private addTemp(addr: number, vcpu: number, test?: (c: Cpu) => boolean): Breakpoint {
    const bp: Breakpoint = { id: 0, addr, spec: 'temporary', enabled: true, hits: 0, origin: 'repl', temp: true, vcpu, test };
    const key = -this.id();
    this.bps.set(key, bp);
    bp.id = key;
    this.updateHook();
    return bp;
  }

  deleteBreakpoint(id: number): boolean {
    const ok = this.bps.delete(id) || this.watches.delete(id) || this.catches.delete(id);
    this.updateHook();
    return ok;
  }

  /** gdb z0/z1: remove the gdb breakpoint at addr. */
  removeGdbBreakpoint(addr: number, hw: boolean): boolean {
    for (const [id, bp] of this.bps) if (bp.origin === 'gdb' && bp.addr === addr && !!bp.hw === hw) { this.bps.delete(id); this.updateHook(); return true; }
    return false;
  }

  addWatchpoint(addr: number, len: number, kind: WatchKind, spec: string, origin: 'repl' | 'gdb' = 'repl'): Watchpoint {
    if (!(len >= 1 && len <= 4096)) throw new DebugError(`watchpoint length must be 1..4096, got ${len}`);
    const c = this.cpu;
    const old = kind === 'write' ? readLinear(c, addr, len) : null;
    const w: Watchpoint = { id: this.id(), addr, len, kind, spec, old, hits: 0, origin, vcpu: c.id };
    this.watches.set(w.id, w);
    this.updateHook();
    return w;
  }

  removeGdbWatchpoint(addr: number, len: number, kind: WatchKind): boolean {
    for (const [id, w] of this.watches) if (w.origin === 'gdb' && w.addr === addr && w.len === len && w.kind === kind) { this.watches.delete(id); this.updateHook(); return true; }
    return false;
  }

  addCatchpoint(vector: number, spec: string): Catchpoint {
    const cp: Catchpoint = { id: this.id(), vector, spec, hits: 0 };
    this.catches.set(cp.id, cp);
    return cp;
  }

  /** Installs the trace hook on every vCPU while something needs it; null otherwise (the fast loop). */
  updateHook(): void {
    this.bpAddrs = new Set([...this.bps.values()].filter((b) => b.enabled).map((b) => b.addr));
    const need = this.bpAddrs.size > 0 || this.watches.size > 0 || this.trace.insns || this.trace.xstate;
    for (const c of this.m.cpus) c.traceHook = need ? this.hook : null;
  }

  private breakNow(c: Cpu): X86Fault {
    this.savedLastFault = c.lastFault;
    return BREAK;
  }

  private readonly hook = (c: Cpu, i: Insn): void => {
    const id = c.id;
    const rip = c.rip;
    // A read/access watchpoint hit by the previous instruction of this vCPU: stop after it.
    const ah = this.accessHit[id];
    if (ah) {
      this.accessHit[id] = null;
      ah.w.hits++;
      this.stopEvent = { kind: 'watchpoint', cpu: id, id: ah.w.id, addr: ah.addr, wkind: ah.w.kind, writer: this.prevRip[id] };
      throw this.breakNow(c);
    }
    if (this.watches.size) {
      const ev = this.checkWrites(c);
      if (ev) { this.stopEvent = ev; throw this.breakNow(c); }
    }
    if (this.skip[id] === rip) this.skip[id] = NaN;
    else {
      this.skip[id] = NaN;
      if (this.bpAddrs.has(rip)) {
        const ev = this.checkBreakpoints(c, rip);
        if (ev) { this.stopEvent = ev; throw this.breakNow(c); }
      }
    }
    if (this.watches.size) this.checkAccess(c, i);
    if (this.trace.insns) this.sinks.log(`[cpu${id}] ${this.fmt(rip)}: ${disasmOne(c, rip)?.text ?? '(unreadable)'}`);
    if (this.trace.xstate && XSTATE_CODES.test(codeName(i.code))) this.logXstate(c, i);
    this.prevRip[id] = rip;
  };

  private checkBreakpoints(c: Cpu, rip: number): StopEvent | null {
    for (const bp of this.bps.values()) {
      if (!bp.enabled || bp.addr !== rip) continue;
      if (bp.vcpu !== undefined && bp.vcpu !== c.id) continue;
      if (bp.test && !bp.test(c)) continue;
      if (bp.condFn) {
        try {
          if (bp.condFn({ cpu: c, symbols: this.symbols }) === 0n) continue;
        } catch (e) {
          return { kind: 'breakpoint', cpu: c.id, id: bp.id, addr: rip, error: `condition '${bp.cond}': ${(e as Error).message}` };
        }
      }
      bp.hits++;
      return { kind: 'breakpoint', cpu: c.id, id: bp.id, addr: rip, hw: bp.hw };
    }
    return null;
  }

  private checkWrites(c: Cpu): StopEvent | null {
    for (const w of this.watches.values()) {
      if (w.kind !== 'write') continue;
      const cpu = this.m.cpus[w.vcpu] ?? c;
      const now = tryReadLinear(cpu, w.addr, w.len);
      const old = w.old;
      if (!now && !old) continue;
      if (now && old && now.every((b, k) => b === old[k])) continue;
      w.old = now;
      w.hits++;
      return {
        kind: 'watchpoint', cpu: c.id, id: w.id, addr: w.addr, wkind: 'write',
        old: old ? bytesValue(old) : '(unmapped)', new: now ? bytesValue(now) : '(unmapped)', writer: this.prevRip[c.id],
      };
    }
    return null;
  }

  /** Read/access watchpoints: the instruction's memory operands (iced's analysis, explicit and implicit) against the watched ranges. */
  private checkAccess(c: Cpu, i: Insn): void {
    let anyRw = false;
    for (const w of this.watches.values()) if (w.kind !== 'write') { anyRw = true; break; }
    if (!anyRw) return;
    let info = this.memInfo.get(i);
    if (!info) {
      info = [];
      const bytes = tryReadLinear(c, c.rip, i.len);
      if (bytes) {
        const dec = new Decoder(64, bytes, DecoderOptions.None);
        dec.ip = laToBig(c.rip);
        const ins = new Instruction();
        dec.decodeOut(ins);
        const ii = this.infoFactory.info(ins);
        for (const um of ii.usedMemory()) {
          info.push({ base: um.base, index: um.index, scale: um.scale, disp: um.displacement, size: MemorySizeExt.size(um.memorySize), access: um.access, seg: um.segment });
          um.free();
        }
        ii.free(); ins.free(); dec.free();
      }
      this.memInfo.set(i, info);
    }
    for (const u of info) {
      const reads = u.access === OpAccess.Read || u.access === OpAccess.CondRead || u.access === OpAccess.ReadWrite || u.access === OpAccess.ReadCondWrite;
      const writes = u.access === OpAccess.Write || u.access === OpAccess.CondWrite || u.access === OpAccess.ReadWrite || u.access === OpAccess.ReadCondWrite;
      if (!reads && !writes) continue;
      const la = this.usedAddr(c, i, u);
      if (la === null) continue;
      for (const w of this.watches.values()) {
        if (w.kind === 'write' || (w.kind === 'read' && !reads)) continue;
        if (la < w.addr + w.len && w.addr < la + Math.max(1, u.size)) { this.accessHit[c.id] = { w, addr: w.addr }; return; }
      }
    }
  }

  private usedAddr(c: Cpu, i: Insn, u: { base: number; index: number; scale: number; disp: bigint; seg: number }): number | null {
    const reg = (r: number): bigint | null => {
      if (r === Register.None) return 0n;
      if (r === Register.RIP) return laToBig(c.rip + i.len);
      if (r >= Register.RAX && r <= Register.R15) return c.R64[r - Register.RAX];
      if (r >= Register.EAX && r <= Register.R15D) return c.R64[r - Register.EAX] & 0xffffffffn;
      return null; // vector index (gathers): not followed
    };
    const b = reg(u.base), x = reg(u.index);
    if (b === null || x === null) return null;
    let v = BigInt.asUintN(64, b + x * BigInt(u.scale) + u.disp);
    if (u.seg === Register.FS) v = BigInt.asUintN(64, v + laToBig(c.fsBase));
    if (u.seg === Register.GS) v = BigInt.asUintN(64, v + laToBig(c.gsBase));
    return Number(BigInt.asIntN(64, v));
  }

  private logXstate(c: Cpu, i: Insn): void {
    const name = codeName(i.code).split('_')[0].toUpperCase();
    const rfbm = (c.R64[2] << 32n) | (c.R64[0] & 0xffffffffn);
    let inuse = '?';
    try { inuse = `0x${(xinuse(c, c.xcr0 | c.xss) >>> 0).toString(16)}`; } catch { /* no xsave extension */ }
    let la = '';
    if (i.memOp >= 0) { try { la = ` [${hexAddr(c.ea(i))}]`; } catch { la = ' [non-canonical]'; } }
    this.sinks.log(`[cpu${c.id}] ${this.fmt(c.rip)}: ${name}${la} EDX:EAX=0x${rfbm.toString(16)} XCR0=0x${(c.xcr0 >>> 0).toString(16)} XSS=0x${(c.xss >>> 0).toString(16)} XINUSE=${inuse}`);
  }

  private refreshWatches(): void {
    for (const w of this.watches.values()) if (w.kind === 'write') w.old = tryReadLinear(this.m.cpus[w.vcpu] ?? this.cpu, w.addr, w.len);
    this.accessHit.fill(null);
  }

  // ------------------------------------------------------------------ run control
  private ensureAlive(): void {
    if (this.running) throw new DebugError('the guest is running');
    const t = this.terminal;
    if (t) {
      const why = t.kind === 'exited' ? `the guest exited with status ${t.status}` : t.kind === 'triple-fault' ? `the machine stopped: ${t.reason}` : 'the machine stopped';
      throw new DebugError(`${why}; 'run' boots it again`);
    }
  }

  /** Delivers events held by catchpoints (the handler runs from here on). */
  private deliverPending(only?: Cpu): string | undefined {
    let what: string | undefined;
    for (const [id, ev] of [...this.pending]) {
      const c = this.m.cpus[id];
      if (only && c !== only) continue;
      this.pending.delete(id);
      this.resumingEvent = true;
      try {
        Machine.prototype.deliver.call(this.m, c, ev.vector, ev.errorCode, ev.returnRip, ev.kind, ev.reason, ev.addr);
      } finally { this.resumingEvent = false; }
      what = `${VECTOR_NAMES[ev.vector] ?? `vector 0x${ev.vector.toString(16)}`} delivered: ${ev.reason}`;
    }
    return what;
  }

  hasPendingEvent(c: Cpu): boolean { return this.pending.has(c.id); }

  /** Ctrl-C / gdb 0x03: stop at the end of the current slice. */
  interrupt(): void { if (this.running) this.interruptFlag = true; }

  /** Runs all vCPUs until a breakpoint, watchpoint, catchpoint, exit, halt or interrupt. */
  async resume(): Promise<StopEvent> {
    this.ensureAlive();
    // A breakpoint at the entry point must hit on the first `continue`/`run` (gdb does the same);
    // once running, resuming from a breakpoint steps past it.
    const fresh = !this.started;
    this.started = true;
    this.deliverPending();
    const stopNow = this.checkTerminal();
    if (stopNow) return stopNow;
    this.refreshWatches();
    this.skip[this.cur] = fresh ? NaN : this.cpu.rip;
    this.stopEvent = null;
    this.interruptFlag = false;
    this.running = true;
    this.updateHook();
    try {
      for (;;) {
        const stop = this.m.run(this.slice);
        this.flushConsole();
        if (stop.kind === 'budget') {
          if (this.interruptFlag) return { kind: 'interrupted', cpu: this.cur };
          await new Promise<void>((r) => setImmediate(r));
          if (this.interruptFlag) return { kind: 'interrupted', cpu: this.cur };
          continue;
        }
        return this.afterStop(stop);
      }
    } finally {
      this.running = false;
      this.interruptFlag = false;
      for (const [id, bp] of [...this.bps]) if (bp.temp) this.bps.delete(id);
      this.updateHook();
      this.flushConsole();
    }
  }

  private checkTerminal(): StopEvent | null {
    const si = this.m.stopInfo;
    if (!si || si.kind === 'break') return null;
    return this.afterStop(si);
  }

  private afterStop(stop: StopInfo): StopEvent {
    switch (stop.kind) {
      case 'break': {
        this.m.stopInfo = null;
        const ev = this.stopEvent ?? { kind: 'interrupted', cpu: this.cur };
        this.stopEvent = null;
        if ('cpu' in ev) this.cur = ev.cpu;
        return ev;
      }
      case 'exit':
        this.terminal = { kind: 'exited', status: stop.status ?? 0 };
        return this.terminal;
      case 'halt':
        return { kind: 'halted', cpu: this.cur, reason: stop.reason ?? 'all vCPUs halted' };
      default: {
        const who = this.m.cpus.findIndex((c) => c.stop !== null);
        this.terminal = { kind: 'triple-fault', cpu: who < 0 ? this.cur : who, reason: stop.reason ?? stop.kind };
        if (who >= 0) this.cur = who;
        return this.terminal;
      }
    }
  }

  /** One instruction of vCPU `c` (default: the selected one); the others stay frozen. */
  stepInsn(c: Cpu = this.cpu): StopEvent {
    this.ensureAlive();
    this.started = true;
    const m = this.m;
    const delivered = this.deliverPending(c);
    if (delivered) return this.checkTerminal() ?? { kind: 'step', cpu: c.id, delivered };
    (m as unknown as { startApIfSignalled(c: Cpu): void }).startApIfSignalled(c);
    const apic = m.apics[c.id];
    if (c.halted) {
      const wakeable = () => apic.pendingVector() >= 0 && (c.flagsRest & IF) !== 0;
      if (!wakeable()) {
        const next = m.apicBus.nextDeadline();
        if (next !== Infinity) { m.time = Math.max(m.time, next); m.apicBus.tick(m.time); }
      }
      if (!wakeable()) return { kind: 'halted', cpu: c.id, reason: `vCPU ${c.id} is halted with nothing armed to wake it` };
      c.halted = false;
      c.eventPending = true;
    }
    this.refreshWatches();
    this.stopEvent = null;
    this.steppedEvent = undefined;
    this.stepping = c;
    this.skip[c.id] = c.rip;
    this.updateHook();
    let n = 0;
    try {
      n = c.run(1);
    } finally {
      this.stepping = null;
      for (const o of m.cpus) o.stopRequested = false;
    }
    m.time += n;
    m.apicBus.tick(m.time);
    for (const [k, a] of m.apics.entries()) if (a.pendingVector() >= 0 || a.initReceived || a.sipiVector >= 0) m.cpus[k].eventPending = true;
    this.flushConsole();
    const si = m.stopInfo;
    if (si) {
      if (si.kind !== 'break' || this.stopEvent) return this.afterStop(si);
      m.stopInfo = null;
    }
    const ah = this.accessHit[c.id];
    if (ah) {
      this.accessHit[c.id] = null;
      ah.w.hits++;
      return { kind: 'watchpoint', cpu: c.id, id: ah.w.id, addr: ah.addr, wkind: ah.w.kind, writer: this.prevRip[c.id] };
    }
    this.prevRip[c.id] = NaN;
    const w = this.checkWrites(c);
    if (w) return w;
    if (this.bpAddrs.has(c.rip)) {
      const b = this.checkBreakpoints(c, c.rip);
      if (b && b.kind === 'breakpoint' && !this.bps.get(b.id)?.temp) return b;
    }
    if (c.halted) return { kind: 'halted', cpu: c.id, reason: `vCPU ${c.id} executed HLT` };
    return { kind: 'step', cpu: c.id, delivered: this.steppedEvent };
  }

  /** `next`: steps over a CALL (runs until it returns to the following instruction on this vCPU's stack). */
  async nextInsn(): Promise<StopEvent> {
    this.ensureAlive();
    const c = this.cpu;
    const d = disasmOne(c, c.rip);
    if (!d || !d.isCall || this.pending.has(c.id)) return this.stepInsn(c);
    const rsp0 = c.R64[4];
    this.addTemp(c.rip + d.len, c.id, (cc) => cc.R64[4] >= rsp0);
    const ev = await this.resume();
    return ev.kind === 'breakpoint' && ev.id < 0 ? { kind: 'done', cpu: ev.cpu } : ev;
  }

  /** `until ADDR`: runs until vCPU `cur` reaches addr. */
  async runUntil(addr: number): Promise<StopEvent> {
    this.ensureAlive();
    this.addTemp(addr, this.cur);
    const ev = await this.resume();
    return ev.kind === 'breakpoint' && ev.id < 0 ? { kind: 'done', cpu: ev.cpu } : ev;
  }

  /** The return address of the current function and the RSP it returns with (frame pointers, or the function's entry). */
  returnAddress(c: Cpu = this.cpu): { ra: number; rspAfter: bigint } {
    const rip = c.rip;
    const at = this.symbols.at(rip);
    const rsp = c.R64[4], rbp = c.R64[5];
    const q = (a: bigint) => u64le(readLinear(c, Number(BigInt.asIntN(64, a)), 8));
    let slot: bigint;
    if (at && at.off === 0) slot = rsp;
    else if (at && at.off === 1 && tryReadLinear(c, at.sym.addr, 1)?.[0] === 0x55) slot = rsp + 8n;
    else {
      if (rbp === 0n) throw new DebugError('no frame pointer (RBP = 0): cannot find the caller');
      slot = rbp + 8n;
    }
    const ra = q(slot);
    return { ra: Number(BigInt.asIntN(64, ra)), rspAfter: BigInt.asUintN(64, slot + 8n) };
  }

  async finish(): Promise<StopEvent & { from?: string }> {
    this.ensureAlive();
    const c = this.cpu;
    const { ra, rspAfter } = this.returnAddress(c);
    this.addTemp(ra, c.id, (cc) => cc.R64[4] >= rspAfter);
    const ev = await this.resume();
    return ev.kind === 'breakpoint' && ev.id < 0 ? { kind: 'done', cpu: ev.cpu } : ev;
  }

  /** Frame-pointer backtrace of vCPU c: [rip, return addresses...]. */
  backtrace(c: Cpu = this.cpu, max = 64): { pc: number; frame: bigint }[] {
    const out: { pc: number; frame: bigint }[] = [{ pc: c.rip, frame: c.R64[5] }];
    const at = this.symbols.at(c.rip);
    let rbp = c.R64[5];
    const q = (a: bigint): bigint | null => { const b = tryReadLinear(c, Number(BigInt.asIntN(64, a)), 8); return b ? u64le(b) : null; };
    // At a function's entry (or after its push rbp) the caller's frame is still RBP's.
    if (at && (at.off === 0 || (at.off === 1 && tryReadLinear(c, at.sym.addr, 1)?.[0] === 0x55))) {
      const ra = q(c.R64[4] + (at.off === 0 ? 0n : 8n));
      if (ra !== null) out.push({ pc: Number(BigInt.asIntN(64, ra)), frame: rbp });
    }
    for (let k = 0; k < max && rbp !== 0n; k++) {
      const ra = q(rbp + 8n), next = q(rbp);
      if (ra === null || next === null || ra === 0n) break;
      out.push({ pc: Number(BigInt.asIntN(64, ra)), frame: next });
      if (next <= rbp) break;
      rbp = next;
    }
    return out;
  }

  /** The page walk of `la` on the selected vCPU (for `info tlb ADDR`). */
  walk(la: number) { return walk(this.cpu, la); }

  /** Describes a stop for people: one or two lines. */
  describeStop(ev: StopEvent): string {
    const loc = (cpu: number) => {
      const c = this.m.cpus[cpu];
      const d = disasmOne(c, c.rip);
      const src = this.symbols.source(c.rip);
      return `${this.fmt(c.rip)}: ${d ? d.text : '(unreadable)'}${src ? `    ; ${src.site}` : ''}`;
    };
    const vc = (cpu: number) => (this.m.cpus.length > 1 ? `[vCPU ${cpu}] ` : '');
    switch (ev.kind) {
      case 'step': case 'done': case 'interrupted':
        return `${ev.kind === 'interrupted' ? 'Interrupted.\n' : ''}${ev.kind === 'step' && ev.delivered ? `${ev.delivered}\n` : ''}${vc(ev.cpu)}${loc(ev.cpu)}`;
      case 'breakpoint':
        return `${vc(ev.cpu)}${ev.error ? `Breakpoint ${ev.id}: ${ev.error}` : `Breakpoint ${ev.id}`}, ${loc(ev.cpu)}`;
      case 'watchpoint': {
        const w = `${ev.wkind === 'write' ? 'Watchpoint' : ev.wkind === 'read' ? 'Read watchpoint' : 'Access watchpoint'} ${ev.id} at ${hexAddr(ev.addr)}`;
        const by = ev.writer !== undefined && !Number.isNaN(ev.writer) ? ` by the instruction at ${this.fmt(ev.writer)}` : '';
        const vals = ev.wkind === 'write' ? `\nOld value = ${ev.old}\nNew value = ${ev.new}` : '';
        return `${vc(ev.cpu)}${w}${by}${vals}\n${loc(ev.cpu)}`;
      }
      case 'catch': {
        const ec = ev.errorCode >= 0 ? ` error code 0x${ev.errorCode.toString(16)}` : '';
        return `${vc(ev.cpu)}Catchpoint ${ev.id}: ${VECTOR_NAMES[ev.vector] ?? `vector 0x${ev.vector.toString(16)}`} (vector ${ev.vector})${ec}: ${ev.reason}\n${loc(ev.cpu)}\n(the handler has not run yet; step or continue delivers it)`;
      }
      case 'exited': return `The guest exited with status ${ev.status}.`;
      case 'triple-fault': return `${vc(ev.cpu)}The machine stopped: ${ev.reason}`;
      case 'halted': return `${ev.reason}.`;
    }
  }
}

/** Watched bytes as a number (≤ 8 bytes) or hex bytes. */
function bytesValue(b: Uint8Array): string {
  if (b.length <= 8) {
    let v = 0n;
    for (let k = b.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[k]);
    return `0x${v.toString(16)} (${v})`;
  }
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

export { ExprError };
