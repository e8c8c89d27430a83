/**
 * A local APIC in x2APIC mode (SDM vol. 3, chapter 11), one per vCPU, reached
 * through MSRs 0x800-0x8FF. No xAPIC MMIO page: the machine runs every APIC in
 * x2APIC mode.
 *
 * RDMSR/WRMSR contract: `rdmsr(index)` returns the value or null (= #GP(0),
 * reason in `lastFault`); `wrmsr(index, value)` returns null when done or the
 * #GP(0) reason string. #GP is raised for:
 * - an index in 0x800-0x8FF that is not an x2APIC register (including the
 *   xAPIC-only ones: APR 0x809, RRD 0x80C, DFR 0x80E, ICR high 0x831);
 * - RDMSR of a write-only register (EOI 0x80B, SELF IPI 0x83F);
 * - WRMSR to a read-only register (ID, version, PPR, LDR, ISR, TMR, IRR,
 *   current count);
 * - WRMSR with a reserved bit set: bits 63:32 of every register but the ICR,
 *   and each register's reserved bits listed at `WRITABLE` below. Read-only
 *   status bits inside LVT entries (delivery status 12, remote IRR 14) are
 *   ignored on write rather than faulting, since they always read 0 here;
 * - WRMSR of a non-zero value to EOI or ESR;
 * - an ICR write with reserved bits (12, 13, 16, 17, 31:20) or a reserved
 *   delivery mode (011, 111); an LVT write with a delivery mode the entry does
 *   not support; an LVT timer mode other than one-shot (00) and periodic (01).
 *   TSC-deadline mode (10) is not supported: the CPU model must report
 *   CPUID.01H:ECX[24] = 0.
 *
 * Registers (reset values in brackets):
 *   0x802 ID        read-only, the x2APIC ID given to the constructor.
 *   0x803 version   read-only, 0x00060014: version 0x14 (an integrated APIC),
 *                   bits 23:16 max LVT entry = 6 (7 LVT entries: CMCI, timer,
 *                   thermal, perf, LINT0, LINT1, error), bit 24 = 0 (no EOI-
 *                   broadcast suppression, so SVR bit 12 is reserved).
 *   0x808 TPR [0]   bits 7:0.
 *   0x80A PPR       computed (11.8.3.1): TPR if TPR[7:4] >= ISRV[7:4], else
 *                   ISRV & 0xF0, ISRV = highest vector in service (0 if none).
 *   0x80B EOI       write-only, 0 only; retires the highest ISR vector.
 *   0x80D LDR       read-only: (id >> 4) << 16 | 1 << (id & 15).
 *   0x80F SVR [0xFF] bits 7:0 spurious vector, bit 8 APIC software enable.
 *                   Software-disabled: every LVT mask bit reads 1 and cannot be
 *                   cleared, and fixed interrupts are not accepted (INIT, SIPI,
 *                   NMI, SMI still are); IRR/ISR keep what they hold.
 *   0x810-0x817 ISR, 0x818-0x81F TMR, 0x820-0x827 IRR: read-only, 32 vectors each.
 *   0x828 ESR [0]   write 0 only: the write latches the errors gathered since the
 *                   previous write and clears the gatherer (11.5.3). Bits: 5 send
 *                   illegal vector, 6 receive illegal vector.
 *   0x82F LVT CMCI, 0x832 timer, 0x833 thermal, 0x834 perf, 0x835 LINT0,
 *   0x836 LINT1, 0x837 error [0x10000 = masked].
 *   0x830 ICR [0]   64-bit; a write sends the IPI (see apic-bus.ts); reads back the
 *                   last value written (x2APIC has no delivery-status bit).
 *   0x838 timer initial count [0], 0x839 current count (read-only, computed),
 *   0x83E divide configuration [0], 0x83F SELF IPI (write-only, vector in 7:0).
 *
 * Interrupt acceptance and priority (11.8): a fixed interrupt sets its IRR bit
 * (and its TMR bit when level-triggered, clears it when edge); vectors 0-15 are
 * illegal: not accepted, ESR bit 6. `pendingVector()` is the highest IRR vector
 * whose class (vector >> 4) exceeds PPR's class; `acknowledge()` moves it from
 * IRR to ISR; EOI clears the highest ISR bit. Sending a fixed or lowest-priority
 * IPI (ICR or SELF IPI) with a vector 0-15 sends nothing and sets ESR bit 5.
 * An error with the LVT error entry unmasked raises its vector locally.
 *
 * Timer (11.5.4). Base clock: 1 GHz of guest time, i.e. one count per guest
 * nanosecond before the divider (APIC_TIMER_BASE_HZ). The divide configuration
 * (bits 3, 1:0) selects /2 /4 /8 /16 /32 /64 /128 /1 for 000..111. Writing a
 * non-zero initial count N at guest time T starts the counter at N; it counts
 * down one every `div` ns and reaches 0 at T + N*div, when the LVT timer vector
 * is raised (unless masked). One-shot: the count then stays 0. Periodic: the
 * counter is reloaded with N at the instant it reaches 0, so interrupts come at
 * T + k*N*div (k = 1, 2, ...) and the current count reads N - (ticks mod N). If
 * several periods pass between two `tick`s the interrupt is raised once (one
 * IRR bit). Writing 0 stops the timer. Changing the divider keeps the current
 * count and continues at the new rate; switching one-shot<->periodic keeps the
 * current countdown. A masked timer keeps counting but raises nothing.
 * `nextDeadline()` is the guest time of the next interrupt-raising expiry
 * (Infinity if none), so a halted machine can jump there.
 *
 * INIT/SIPI: an INIT resets this APIC to its INIT state (power-up state except
 * the ID; 11.4.7.3), sets `initReceived` and `waitingForSipi`. A start-up IPI
 * that arrives while waiting for SIPI latches `sipiVector` and ends the wait;
 * otherwise it is ignored. The machine polls `takeInit()`, `takeSipi()`,
 * `takeNmi()`; `smiPending` is set for SMIs (no SMM: the machine may ignore it).
 */

import type { ApicBus, IpiMessage } from './apic-bus.ts';
import { DM_FIXED, DM_LOWEST, SH_SELF, decodeIcr } from './apic-bus.ts';

/** The APIC timer's base clock: one count per guest nanosecond before division. */
export const APIC_TIMER_BASE_HZ = 1_000_000_000;

export const X2APIC_MSR_FIRST = 0x800;
export const X2APIC_MSR_LAST = 0x8ff;

export const MSR_ID = 0x802;
export const MSR_VERSION = 0x803;
export const MSR_TPR = 0x808;
export const MSR_PPR = 0x80a;
export const MSR_EOI = 0x80b;
export const MSR_LDR = 0x80d;
export const MSR_SVR = 0x80f;
export const MSR_ISR0 = 0x810;
export const MSR_TMR0 = 0x818;
export const MSR_IRR0 = 0x820;
export const MSR_ESR = 0x828;
export const MSR_LVT_CMCI = 0x82f;
export const MSR_ICR = 0x830;
export const MSR_LVT_TIMER = 0x832;
export const MSR_LVT_THERMAL = 0x833;
export const MSR_LVT_PERF = 0x834;
export const MSR_LVT_LINT0 = 0x835;
export const MSR_LVT_LINT1 = 0x836;
export const MSR_LVT_ERROR = 0x837;
export const MSR_TIMER_INITIAL = 0x838;
export const MSR_TIMER_CURRENT = 0x839;
export const MSR_TIMER_DIVIDE = 0x83e;
export const MSR_SELF_IPI = 0x83f;

export const APIC_VERSION = 0x00060014;

export const ESR_SEND_ILLEGAL_VECTOR = 1 << 5;
export const ESR_RECEIVE_ILLEGAL_VECTOR = 1 << 6;

export const LVT_MASKED = 1 << 16;
export const TIMER_ONESHOT = 0;
export const TIMER_PERIODIC = 1;

/** LVT entries, in MSR order: index into `lvt`. */
const LVT_CMCI = 0;
const LVT_TIMER = 1;
const LVT_THERMAL = 2;
const LVT_PERF = 3;
const LVT_LINT0 = 4;
const LVT_LINT1 = 5;
const LVT_ERROR = 6;

const LVT_MSRS = [MSR_LVT_CMCI, MSR_LVT_TIMER, MSR_LVT_THERMAL, MSR_LVT_PERF, MSR_LVT_LINT0, MSR_LVT_LINT1, MSR_LVT_ERROR];
const LVT_NAMES = ['LVT CMCI', 'LVT timer', 'LVT thermal', 'LVT perf', 'LVT LINT0', 'LVT LINT1', 'LVT error'];
/** Writable bits of each LVT entry (vector 7:0, delivery mode 10:8, polarity 13, trigger 15, mask 16, timer mode 18:17). */
const LVT_WRITABLE = [0x107ff, 0x700ff, 0x107ff, 0x107ff, 0x1a7ff, 0x1a7ff, 0x100ff];
/** Read-only status bits ignored on write: delivery status 12, remote IRR 14. */
const LVT_IGNORED = [0x1000, 0x1000, 0x1000, 0x1000, 0x5000, 0x5000, 0x1000];
/** Delivery modes each entry accepts: fixed, SMI, NMI (+ INIT, ExtINT for LINT). */
const DM_OK_BASIC = (1 << 0) | (1 << 2) | (1 << 4);
const DM_OK_LINT = DM_OK_BASIC | (1 << 5) | (1 << 7);
const LVT_DM_OK = [DM_OK_BASIC, 1, DM_OK_BASIC, DM_OK_BASIC, DM_OK_LINT, DM_OK_LINT, 1];

/** ICR bits that may be set: vector, delivery mode, dest mode, level, trigger, shorthand; 63:32 dest. */
const ICR_LOW_WRITABLE = 0x000ccfff;

/** Divide configuration value (bits 3,1:0 as a 3-bit number) -> divisor. */
const DIVISORS = [2, 4, 8, 16, 32, 64, 128, 1];

export const REGISTER_NAMES: Record<number, string> = {
  [MSR_ID]: 'ID',
  [MSR_VERSION]: 'version',
  [MSR_TPR]: 'TPR',
  [MSR_PPR]: 'PPR',
  [MSR_EOI]: 'EOI',
  [MSR_LDR]: 'LDR',
  [MSR_SVR]: 'SVR',
  [MSR_ESR]: 'ESR',
  [MSR_ICR]: 'ICR',
  [MSR_TIMER_INITIAL]: 'timer initial count',
  [MSR_TIMER_CURRENT]: 'timer current count',
  [MSR_TIMER_DIVIDE]: 'timer divide configuration',
  [MSR_SELF_IPI]: 'SELF IPI',
};
for (let i = 0; i < 8; i++) {
  REGISTER_NAMES[MSR_ISR0 + i] = `ISR${i}`;
  REGISTER_NAMES[MSR_TMR0 + i] = `TMR${i}`;
  REGISTER_NAMES[MSR_IRR0 + i] = `IRR${i}`;
}
LVT_MSRS.forEach((m, i) => (REGISTER_NAMES[m] = LVT_NAMES[i]));

export interface X2ApicOptions {
  /** Start with SVR = 0x1FF (software-enabled, spurious vector 0xFF) instead of the reset 0xFF. */
  softwareEnabled?: boolean;
  /** Start in wait-for-SIPI (an application processor at power-on). */
  waitForSipi?: boolean;
}

function hex(n: number | bigint): string {
  return '0x' + n.toString(16);
}

function highestBit(words: Uint32Array): number {
  for (let w = 7; w >= 0; w--) {
    const x = words[w];
    if (x !== 0) return w * 32 + 31 - Math.clz32(x);
  }
  return -1;
}

export class X2Apic {
  readonly id: number;
  readonly bus: ApicBus;
  /** Logical destination register, fixed by the ID in x2APIC mode. */
  readonly ldr: number;

  private tpr = 0;
  private svr = 0xff;
  private esr = 0;
  private errGather = 0;
  private inError = false;
  readonly isr = new Uint32Array(8);
  readonly tmr = new Uint32Array(8);
  readonly irr = new Uint32Array(8);
  private readonly lvt = new Uint32Array(7);
  private icr = 0n;

  private timerInitial = 0;
  private divConfig = 0;
  private timerDiv = 2;
  /** Guest time at which the counter held `timerInitial` (start of the current countdown). */
  private timerBase = 0;
  /** Guest time of the next expiry, Infinity when the timer is stopped/expired. */
  private timerNext = Infinity;

  /** An INIT arrived (cleared by `takeInit`). */
  initReceived = false;
  /** Waiting for a start-up IPI (after INIT, or an AP at power-on). */
  waitingForSipi = false;
  /** Vector of the SIPI that ended the wait, or -1 (cleared by `takeSipi`). */
  sipiVector = -1;
  nmiPending = false;
  smiPending = false;
  /** Why the last rdmsr returned null. */
  lastFault: string | null = null;

  readonly stats = { accepted: 0, acknowledged: 0, eois: 0, timerFires: 0, ignoredSipis: 0, droppedFixed: 0 };

  constructor(id: number, bus: ApicBus, opts: X2ApicOptions = {}) {
    if (!Number.isInteger(id) || id < 0 || id > 0xfffffffe) throw new Error(`x2APIC: bad APIC ID ${id}`);
    this.id = id >>> 0;
    this.bus = bus;
    this.ldr = (((id >>> 4) << 16) | (1 << (id & 15))) >>> 0;
    this.resetRegisters();
    if (opts.softwareEnabled) this.svr = 0x1ff;
    this.waitingForSipi = opts.waitForSipi ?? false;
    bus.attach(this);
  }

  /** Power-up / INIT register state (everything but the ID). */
  private resetRegisters(): void {
    this.tpr = 0;
    this.svr = 0xff;
    this.esr = 0;
    this.errGather = 0;
    this.isr.fill(0);
    this.tmr.fill(0);
    this.irr.fill(0);
    this.lvt.fill(LVT_MASKED);
    this.icr = 0n;
    this.timerInitial = 0;
    this.divConfig = 0;
    this.timerDiv = 2;
    this.timerBase = 0;
    this.timerNext = Infinity;
  }

  /** Full power-on reset (clears INIT/SIPI/NMI latches too). */
  reset(opts: X2ApicOptions = {}): void {
    this.resetRegisters();
    if (opts.softwareEnabled) this.svr = 0x1ff;
    this.initReceived = false;
    this.waitingForSipi = opts.waitForSipi ?? false;
    this.sipiVector = -1;
    this.nmiPending = false;
    this.smiPending = false;
  }

  static handles(index: number): boolean {
    return index >= X2APIC_MSR_FIRST && index <= X2APIC_MSR_LAST;
  }

  softwareEnabled(): boolean {
    return (this.svr & 0x100) !== 0;
  }

  spuriousVector(): number {
    return this.svr & 0xff;
  }

  // ---------------------------------------------------------------- priority

  /** Processor priority register (11.8.3.1). */
  ppr(): number {
    const isrv = Math.max(highestBit(this.isr), 0);
    return (this.tpr & 0xf0) >= (isrv & 0xf0) ? this.tpr : isrv & 0xf0;
  }

  /** Highest IRR vector deliverable now (class above PPR's class), or -1. */
  pendingVector(): number {
    const v = highestBit(this.irr);
    if (v < 0) return -1;
    return (v & 0xf0) > (this.ppr() & 0xf0) ? v : -1;
  }

  /**
   * Interrupt acknowledge: moves `pendingVector()` from IRR to ISR and returns
   * it; -1 when nothing is deliverable (then nothing changes; a CPU would
   * otherwise see the spurious vector, `spuriousVector()`).
   */
  acknowledge(): number {
    const v = this.pendingVector();
    if (v < 0) return -1;
    this.irr[v >> 5] &= ~(1 << (v & 31));
    this.isr[v >> 5] |= 1 << (v & 31);
    this.stats.acknowledged++;
    return v;
  }

  /** EOI: retire the highest in-service vector (returns it, or -1 if none). */
  eoi(): number {
    const v = highestBit(this.isr);
    if (v < 0) return -1;
    this.isr[v >> 5] &= ~(1 << (v & 31));
    this.stats.eois++;
    return v;
  }

  /**
   * Accept a fixed interrupt (from an IPI or a local source). Returns whether it
   * was accepted: not for vectors 0-15 (ESR bit 6) or while software-disabled.
   */
  accept(vector: number, trigger: 'edge' | 'level' = 'edge'): boolean {
    vector &= 0xff;
    if (vector < 16) {
      this.error(ESR_RECEIVE_ILLEGAL_VECTOR);
      return false;
    }
    if (!this.softwareEnabled()) {
      this.stats.droppedFixed++;
      return false;
    }
    const w = vector >> 5;
    const b = 1 << (vector & 31);
    this.irr[w] |= b;
    if (trigger === 'level') this.tmr[w] |= b;
    else this.tmr[w] &= ~b;
    this.stats.accepted++;
    return true;
  }

  /** Is `vector` set in IRR / ISR? (for tests and the REPL) */
  inIrr(vector: number): boolean {
    return (this.irr[vector >> 5] & (1 << (vector & 31))) !== 0;
  }
  inIsr(vector: number): boolean {
    return (this.isr[vector >> 5] & (1 << (vector & 31))) !== 0;
  }

  /** Record an APIC error (ESR bits); raises the LVT error vector if unmasked. */
  private error(bits: number): void {
    this.errGather |= bits;
    const e = this.lvtValue(LVT_ERROR);
    if (!(e & LVT_MASKED) && !this.inError) {
      this.inError = true;
      try {
        this.accept(e & 0xff, 'edge');
      } finally {
        this.inError = false;
      }
    }
  }

  // ---------------------------------------------------------------- IPIs

  /** Send an IPI from this APIC (what an ICR write does after its checks). */
  sendIpi(m: IpiMessage): void {
    if ((m.deliveryMode === DM_FIXED || m.deliveryMode === DM_LOWEST) && m.vector < 16) {
      this.error(ESR_SEND_ILLEGAL_VECTOR);
      return;
    }
    this.bus.send(this, m);
  }

  /** INIT arrived: reset to the INIT state and wait for SIPI. */
  receiveInit(): void {
    this.resetRegisters();
    this.initReceived = true;
    this.waitingForSipi = true;
    this.sipiVector = -1;
  }

  /** Start-up IPI arrived: latched only while waiting for SIPI. */
  receiveSipi(vector: number): boolean {
    if (!this.waitingForSipi) {
      this.stats.ignoredSipis++;
      return false;
    }
    this.waitingForSipi = false;
    this.sipiVector = vector & 0xff;
    return true;
  }

  /** Returns and clears `initReceived`. */
  takeInit(): boolean {
    const r = this.initReceived;
    this.initReceived = false;
    return r;
  }

  /** Returns and clears `sipiVector` (-1 if none); the AP starts at CS = vector << 8, IP = 0. */
  takeSipi(): number {
    const v = this.sipiVector;
    this.sipiVector = -1;
    return v;
  }

  takeNmi(): boolean {
    const r = this.nmiPending;
    this.nmiPending = false;
    return r;
  }

  // ---------------------------------------------------------------- timer

  private lvtValue(i: number): number {
    return this.softwareEnabled() ? this.lvt[i] : this.lvt[i] | LVT_MASKED;
  }

  private timerMode(): number {
    return (this.lvt[LVT_TIMER] >> 17) & 3;
  }

  /** Fire the timer if due at guest time `now`. */
  tick(now: number): void {
    if (now < this.timerNext) return;
    const period = this.timerInitial * this.timerDiv;
    if (this.timerMode() === TIMER_PERIODIC) {
      const k = Math.floor((now - this.timerBase) / period);
      this.timerBase += k * period;
      this.timerNext = this.timerBase + period;
    } else {
      this.timerNext = Infinity;
    }
    const l = this.lvtValue(LVT_TIMER);
    if (!(l & LVT_MASKED)) {
      this.stats.timerFires++;
      this.accept(l & 0xff, 'edge');
    }
  }

  /** Guest time (ns) of the next timer interrupt, or Infinity (stopped, expired or masked). */
  nextDeadline(): number {
    if (this.lvtValue(LVT_TIMER) & LVT_MASKED) return Infinity;
    return this.timerNext;
  }

  /** The current-count register at guest time `now`. */
  currentCount(now: number = this.bus.now()): number {
    if (this.timerInitial === 0) return 0;
    const ticks = Math.floor((now - this.timerBase) / this.timerDiv);
    if (ticks < 0) return this.timerInitial;
    if (this.timerMode() === TIMER_PERIODIC && this.timerNext !== Infinity) {
      return this.timerInitial - (ticks % this.timerInitial);
    }
    if (this.timerNext === Infinity) return 0;
    return Math.max(0, this.timerInitial - ticks);
  }

  /** Restart the countdown from count `c` at time `now` with the current divider. */
  private rebase(now: number, c: number): void {
    if (this.timerInitial === 0 || c <= 0 || this.timerNext === Infinity) return;
    this.timerBase = now - (this.timerInitial - c) * this.timerDiv;
    this.timerNext = now + c * this.timerDiv;
  }

  // ---------------------------------------------------------------- MSRs

  /** RDMSR of an x2APIC register. null = #GP(0), reason in `lastFault`. */
  rdmsr(index: number): bigint | null {
    this.lastFault = null;
    const now = this.bus.now();
    this.tick(now);
    const v = this.read32(index, now);
    if (typeof v === 'string') {
      this.lastFault = v;
      return null;
    }
    return typeof v === 'bigint' ? v : BigInt(v >>> 0);
  }

  private read32(index: number, now: number): number | bigint | string {
    switch (index) {
      case MSR_ID:
        return this.id;
      case MSR_VERSION:
        return APIC_VERSION;
      case MSR_TPR:
        return this.tpr;
      case MSR_PPR:
        return this.ppr();
      case MSR_LDR:
        return this.ldr;
      case MSR_SVR:
        return this.svr;
      case MSR_ESR:
        return this.esr;
      case MSR_ICR:
        return this.icr;
      case MSR_TIMER_INITIAL:
        return this.timerInitial;
      case MSR_TIMER_CURRENT:
        return this.currentCount(now);
      case MSR_TIMER_DIVIDE:
        return this.divConfig;
      case MSR_EOI:
      case MSR_SELF_IPI:
        return `x2APIC: read of write-only register ${hex(index)} (${REGISTER_NAMES[index]})`;
    }
    if (index >= MSR_ISR0 && index < MSR_ISR0 + 8) return this.isr[index - MSR_ISR0];
    if (index >= MSR_TMR0 && index < MSR_TMR0 + 8) return this.tmr[index - MSR_TMR0];
    if (index >= MSR_IRR0 && index < MSR_IRR0 + 8) return this.irr[index - MSR_IRR0];
    const li = LVT_MSRS.indexOf(index);
    if (li >= 0) return this.lvtValue(li);
    return `x2APIC: RDMSR of reserved register ${hex(index)}`;
  }

  /** WRMSR to an x2APIC register. null = done; a string = #GP(0) with that reason. */
  wrmsr(index: number, value: bigint): string | null {
    const now = this.bus.now();
    this.tick(now);
    value = BigInt.asUintN(64, value);
    const name = REGISTER_NAMES[index];
    if (name === undefined) return `x2APIC: WRMSR to reserved register ${hex(index)}`;
    if (index === MSR_ICR) return this.writeIcr(value);
    if (value >> 32n) return `x2APIC: reserved bits 63:32 set in write to ${hex(index)} (${name}): ${hex(value)}`;
    const v = Number(value);
    const reserved = (allowed: number) =>
      `x2APIC: reserved bits ${hex((v & ~allowed) >>> 0)} set in write to ${hex(index)} (${name}): ${hex(v)}`;
    const readOnly = () => `x2APIC: write to read-only register ${hex(index)} (${name})`;

    switch (index) {
      case MSR_ID:
      case MSR_VERSION:
      case MSR_PPR:
      case MSR_LDR:
      case MSR_TIMER_CURRENT:
        return readOnly();
      case MSR_TPR:
        if (v & ~0xff) return reserved(0xff);
        this.tpr = v;
        return null;
      case MSR_EOI:
        if (v !== 0) return `x2APIC: non-zero write ${hex(v)} to EOI (0x80b)`;
        this.eoi();
        return null;
      case MSR_SVR:
        if (v & ~0x1ff) return reserved(0x1ff);
        this.svr = v;
        if (!(v & 0x100)) for (let i = 0; i < 7; i++) this.lvt[i] |= LVT_MASKED;
        return null;
      case MSR_ESR:
        if (v !== 0) return `x2APIC: non-zero write ${hex(v)} to ESR (0x828)`;
        this.esr = this.errGather;
        this.errGather = 0;
        return null;
      case MSR_TIMER_INITIAL:
        this.timerInitial = v;
        if (v === 0) {
          this.timerNext = Infinity;
        } else {
          this.timerBase = now;
          this.timerNext = now + v * this.timerDiv;
        }
        return null;
      case MSR_TIMER_DIVIDE: {
        if (v & ~0xb) return reserved(0xb);
        const c = this.currentCount(now);
        this.divConfig = v;
        this.timerDiv = DIVISORS[((v >> 1) & 4) | (v & 3)];
        this.rebase(now, c);
        return null;
      }
      case MSR_SELF_IPI:
        if (v & ~0xff) return reserved(0xff);
        this.sendIpi({ vector: v, deliveryMode: DM_FIXED, logical: false, assert: true, levelTriggered: false, shorthand: SH_SELF, dest: this.id });
        return null;
    }
    if ((index >= MSR_ISR0 && index < MSR_IRR0 + 8)) return readOnly();
    const li = LVT_MSRS.indexOf(index);
    if (li >= 0) return this.writeLvt(li, v, reserved);
    return `x2APIC: WRMSR to reserved register ${hex(index)}`;
  }

  private writeLvt(li: number, v: number, reserved: (allowed: number) => string): string | null {
    const allowed = LVT_WRITABLE[li];
    const w = v & ~LVT_IGNORED[li];
    if (w & ~allowed) return reserved(allowed | LVT_IGNORED[li]);
    const dm = (w >> 8) & 7;
    if (!(LVT_DM_OK[li] & (1 << dm))) return `x2APIC: delivery mode ${dm} not supported in ${LVT_NAMES[li]} (${hex(LVT_MSRS[li])})`;
    let nv = w;
    if (!this.softwareEnabled()) nv |= LVT_MASKED;
    if (li === LVT_TIMER) {
      // tick(now) already ran, so the countdown in progress continues in the new mode.
      const mode = (nv >> 17) & 3;
      if (mode > TIMER_PERIODIC) {
        return mode === 2
          ? `x2APIC: TSC-deadline timer mode not supported (LVT timer ${hex(v)})`
          : `x2APIC: reserved timer mode 3 in LVT timer ${hex(v)}`;
      }
    }
    this.lvt[li] = nv;
    return null;
  }

  private writeIcr(value: bigint): string | null {
    const lo = Number(value & 0xffffffffn);
    if (lo & ~ICR_LOW_WRITABLE) {
      return `x2APIC: ICR reserved bits ${hex((lo & ~ICR_LOW_WRITABLE) >>> 0)} set: ${hex(value)}`;
    }
    const m = decodeIcr(value);
    if (m.deliveryMode === 3 || m.deliveryMode === 7) {
      return `x2APIC: ICR reserved delivery mode ${m.deliveryMode}: ${hex(value)}`;
    }
    this.icr = value;
    this.sendIpi(m);
    return null;
  }

  /** The x2APIC state for the REPL / --stats. */
  describe(): string {
    const words = (a: Uint32Array) => Array.from(a, (x) => x.toString(16).padStart(8, '0')).reverse().join('_');
    return [
      `x2APIC id=${this.id} ldr=${hex(this.ldr)} svr=${hex(this.svr)} tpr=${hex(this.tpr)} ppr=${hex(this.ppr())}`,
      `  irr=${words(this.irr)}`,
      `  isr=${words(this.isr)}`,
      `  timer: lvt=${hex(this.lvt[LVT_TIMER])} initial=${this.timerInitial} div=${this.timerDiv} next=${this.timerNext}`,
    ].join('\n');
  }
}

/**
 * IA32_APIC_BASE (MSR 0x1B) as this machine reports it: base 0xFEE00000,
 * EN (bit 11) and EXTD (bit 10, x2APIC mode) set, BSP (bit 8) on the
 * bootstrap processor. (The MSR itself belongs to the CPU's MSR registry.)
 */
export function apicBaseMsrValue(isBsp: boolean): bigint {
  return 0xfee00000n | (1n << 11n) | (1n << 10n) | (isBsp ? 1n << 8n : 0n);
}
