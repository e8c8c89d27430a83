/**
 * The machine: vCPUs, memory, devices, MSRs, CPU model and extensions, with
 * deterministic round-robin scheduling. The one API that the CLI, the REPL,
 * the conformance runner and the tests all drive.
 */
import { PhysMemory } from './memory/phys.ts';
import { BlockCache } from './cpu/block.ts';
import { Cpu, EventKind, type CpuHost, type StopInfo } from './cpu/cpu.ts';
import { deliverEvent, deliverIdt } from './cpu/events.ts';
import { X86Fault } from './faults.ts';
import { MsrRegistry } from './msr.ts';
import { IoBus } from './devices/io-bus.ts';
import { Serial16550, COM1_BASE } from './devices/serial.ts';
import { ExitPort } from './devices/exit-port.ts';
import { ApicBus } from './devices/apic-bus.ts';
import { X2Apic } from './devices/x2apic.ts';
import { MmioRegistry } from './devices/mmio.ts';
import { IF } from './cpu/state.ts';
import { loadModel, markImplemented, type CpuModel } from './models/index.ts';
import { coreMsrs } from './core-msrs.ts';
import { CORE_EXTENSIONS, registerAllInsns } from './insns/index.ts';
import type { IsaExtension } from './extension.ts';

export interface MachineOptions {
  /** RAM bytes (default 256 MiB). */
  memSize?: number;
  /** CPU model name (default sapphire-rapids). */
  cpu?: string;
  smp?: number;
  /** Instructions a vCPU runs before the next one gets its turn. */
  quantum?: number;
  /** Console output (default: none). */
  consoleOut?: (byte: number) => void;
  consoleIn?: Uint8Array;
  /**
   * Conformance mode: an exception or interrupt with a vector below 32 stops
   * the machine instead of being delivered (shared/conformance/FORMAT.md).
   */
  stopOnException?: boolean;
  /** ISA extensions to install (default: every one in isa-ext/index.ts). */
  extensions?: IsaExtension[];
  /** Start every local APIC software-enabled (SVR = 0x1FF), as conformance cases expect. */
  apicEnabled?: boolean;
}

export class Machine implements CpuHost {
  readonly mem: PhysMemory;
  readonly cache = new BlockCache();
  readonly cpus: Cpu[] = [];
  readonly model: CpuModel;
  readonly msrs = new MsrRegistry();
  readonly io = new IoBus();
  readonly mmio = new MmioRegistry();
  readonly apicBus: ApicBus;
  readonly apics: X2Apic[] = [];
  readonly serial: Serial16550;
  readonly extensions: IsaExtension[];
  readonly quantum: number;
  stopOnException: boolean;
  /** Guest time in ns: advances with the instructions of the scheduler rounds (1 instruction = 1 ns). */
  time = 0;
  stopInfo: StopInfo | null = null;
  /** Machine-wide private state of extensions (work queues, ...). */
  readonly ext: Record<string, unknown> = {};

  constructor(opts: MachineOptions = {}) {
    this.mem = new PhysMemory(opts.memSize ?? 256 * 1024 * 1024);
    this.model = loadModel(opts.cpu);
    // Instructions per vCPU turn: fairness between vCPUs; one vCPU runs longer slices (rounds still end at timer deadlines).
    this.quantum = opts.quantum ?? ((opts.smp ?? 1) === 1 ? 100000 : 10000);
    this.stopOnException = opts.stopOnException ?? false;
    this.extensions = registerAllInsns(opts.extensions ?? CORE_EXTENSIONS);
    for (const e of this.extensions) if (e.features) markImplemented(...e.features);
    this.mem.mmio = this.mmio;
    this.mem.onCodeWrite = (ppn) => this.cache.invalidatePage(ppn);
    this.apicBus = new ApicBus(() => this.now());
    this.serial = new Serial16550({ sink: opts.consoleOut, input: opts.consoleIn });
    this.io.register(COM1_BASE, 8, this.serial, 'serial COM1');
    new ExitPort((status) => this.requestStop({ kind: 'exit', status })).attach(this.io);
    const n = opts.smp ?? 1;
    if (!(n >= 1 && n <= 64)) throw new Error(`--smp must be 1..64, got ${n}`);
    for (let id = 0; id < n; id++) {
      const c = new Cpu(id, this.mem, this.cache);
      c.host = this;
      c.machine = this;
      c.maxPhysBits = this.model.physicalAddressBits;
      this.cpus.push(c);
      this.apics.push(new X2Apic(id, this.apicBus, { waitForSipi: id !== 0, softwareEnabled: opts.apicEnabled }));
      if (id !== 0) c.halted = true;
    }
    for (const d of coreMsrs(this)) this.msrs.register(d);
    for (const e of this.extensions) for (const d of e.msrs?.(this) ?? []) this.msrs.register({ owner: e.name, ...d });
    for (const c of this.cpus) for (const e of this.extensions) e.reset?.(c, this);
  }

  /** The vCPU running now and its instruction count when its turn began (for `now()`). */
  private running: Cpu | null = null;
  private runningFrom = 0;

  /**
   * Guest time in ns: the time at the start of this round plus what the running
   * vCPU has retired since (counted at block boundaries, so exact to within a block).
   */
  now(): number {
    const c = this.running;
    return c === null ? this.time : this.time + (c.icount - this.runningFrom) / this.cpus.length;
  }

  requestStop(s: StopInfo): void {
    if (!this.stopInfo) this.stopInfo = s;
    for (const c of this.cpus) c.stopRequested = true;
  }

  // ---------------------------------------------------------------- CpuHost
  deliver(c: Cpu, vector: number, errorCode: number, returnRip: number, kind: EventKind, reason: string, addr: number): void {
    if (this.stopOnException && vector < 32) {
      c.excCount[vector]++;
      c.stop = { kind: 'exception', vector, errorCode, rip: c.rip, reason };
      this.requestStop(c.stop);
      return;
    }
    if (kind === EventKind.Fault) deliverEvent(c, vector, errorCode, returnRip, kind, reason, addr);
    else {
      try {
        deliverIdt(c, vector, -1, returnRip, kind, addr);
      } catch (e) {
        // A software interrupt or external event that cannot be delivered (gate beyond the IDT
        // limit, DPL, not present) becomes that fault at the same instruction: deliver (or stop on) it.
        if (!(e instanceof X86Fault)) throw e;
        this.deliver(c, e.vector, e.errorCode, c.rip, EventKind.Fault, e.reason, e.addr);
      }
    }
    if (c.stop) this.requestStop(c.stop);
  }

  poll(c: Cpu): boolean {
    c.eventPending = false;
    const apic = this.apics[c.id];
    if (c.flagsRest & IF) {
      const v = apic.pendingVector();
      if (v >= 0) {
        apic.acknowledge();
        for (const e of this.extensions) if (e.interrupt?.(c, v, this)) { c.eventPending = true; c.halted = false; return true; }
        this.deliver(c, v, -1, c.rip, EventKind.External, `external interrupt 0x${v.toString(16)}`, 0);
        c.eventPending = true;
        return true;
      }
    }
    for (const e of this.extensions) if (e.pending?.(c, this)) { c.eventPending = true; return true; }
    return false;
  }

  /** Marks every vCPU for an event check at its next instruction boundary. */
  kick(): void {
    for (const c of this.cpus) c.eventPending = true;
  }

  // ---------------------------------------------------------------- running
  /**
   * Runs until a stop (exit, triple fault, all vCPUs halted for good, a stop
   * request) or until `maxInsns` instructions in total have run.
   */
  run(maxInsns = Infinity): StopInfo {
    let total = 0;
    while (!this.stopInfo) {
      if (total >= maxInsns) return { kind: 'budget' };
      let ran = 0;
      // A round ends at the next APIC timer deadline, so timer interrupts arrive on time.
      const next = this.apicBus.nextDeadline();
      const slice = next === Infinity ? this.quantum : Math.max(1, Math.min(this.quantum, (next - this.time) * this.cpus.length));
      for (const c of this.cpus) {
        this.startApIfSignalled(c);
        if (c.halted) {
          if (this.apics[c.id].pendingVector() >= 0 && (c.flagsRest & IF)) { c.halted = false; c.eventPending = true; }
          else continue;
        }
        const budget = Math.min(slice, maxInsns - total - ran);
        if (budget <= 0) break;
        this.running = c;
        this.runningFrom = c.icount;
        ran += c.run(budget);
        this.running = null;
        if (c.stop) { this.requestStop(c.stop); break; }
        if (this.stopInfo) break;
      }
      total += ran;
      this.time += ran > 0 ? Math.ceil(ran / this.cpus.length) : 0;
      if (ran === 0 && !this.stopInfo) {
        // Everything is halted: jump to the next timer event, or stop.
        const next = this.apicBus.nextDeadline();
        if (next === Infinity) return this.finish({ kind: 'halt', reason: 'all vCPUs halted with no interrupt source armed' });
        this.time = Math.max(this.time, next);
      }
      this.apicBus.tick(this.time);
      for (let k = 0; k < this.apics.length; k++) {
        const a = this.apics[k];
        if (a.initReceived || a.sipiVector >= 0 || a.pendingVector() >= 0) this.cpus[k].eventPending = true;
      }
    }
    return this.finish(this.stopInfo);
  }

  private finish(s: StopInfo): StopInfo {
    for (const c of this.cpus) c.stopRequested = false;
    return s;
  }

  /** INIT/SIPI from the APIC bus: an AP waiting for SIPI starts at vector*4096 (see boot.ts for the AP trampoline). */
  private startApIfSignalled(c: Cpu): void {
    const apic = this.apics[c.id];
    if (apic.takeInit()) { c.halted = true; }
    const v = apic.takeSipi();
    if (v >= 0) this.onSipi(c, v);
  }

  /** Set by the boot loader: how a SIPI starts an AP. */
  onSipi: (c: Cpu, vector: number) => void = (c) => { c.halted = false; };

  get totalInstructions(): number {
    return this.cpus.reduce((s, c) => s + c.icount, 0);
  }
}
