/**
 * The APIC bus: carries inter-processor interrupts between the vCPUs' local
 * APICs (x2APIC mode), and ticks their timers.
 *
 * Routing (SDM vol. 3, 11.6 "Issuing Interprocessor Interrupts" and 11.12.10
 * "x2APIC destination modes"):
 * - shorthand 01 self, 10 all including self, 11 all excluding self; with
 *   shorthand 00 the destination field (ICR bits 63:32) decides:
 *   - physical mode: the APIC whose 32-bit x2APIC ID equals it; 0xFFFFFFFF is
 *     broadcast to all;
 *   - logical mode: bits 31:16 select a cluster and bits 15:0 a bitmap; an APIC
 *     matches when its LDR has that cluster and shares a bit with the bitmap
 *     (LDR = (id >> 4) << 16 | 1 << (id & 15)); 0xFFFFFFFF is broadcast.
 * - lowest priority (delivery mode 001) goes to one APIC of the destination
 *   set: the one with the lowest PPR, ties going to the lowest APIC ID (a
 *   deterministic stand-in for the chipset's arbitration).
 * - fixed: the target's `accept(vector, trigger)`; NMI/SMI: pending flags on
 *   the target; INIT (level assert): the target resets to its INIT state and
 *   enters wait-for-SIPI; INIT level de-assert (level 0, trigger level) is
 *   ignored as on Pentium 4 and later; start-up: the vector is latched on a
 *   target that is waiting for SIPI and ignored otherwise.
 *
 * Timing: delivery is synchronous: when `send` returns the target's IRR (or
 * its NMI/INIT/SIPI latch) is already set. Because the machine samples
 * interrupts only at instruction boundaries, an IPI sent by an instruction
 * (WRMSR to ICR or SELF IPI) is visible at the next instruction boundary of
 * every vCPU it reaches, the sender's included, and never within the sending
 * instruction. Delivery order is the order of `attach` (deterministic).
 *
 * Time: the bus holds the guest clock the APIC timers read (`now()`, guest
 * nanoseconds): either a clock function supplied by the machine, or the
 * `time` field, which `tick(now)` advances. Guest time must never decrease.
 */

import type { X2Apic } from './x2apic.ts';

/** ICR delivery modes (bits 10:8). 011 and 111 are reserved. */
export const DM_FIXED = 0;
export const DM_LOWEST = 1;
export const DM_SMI = 2;
export const DM_NMI = 4;
export const DM_INIT = 5;
export const DM_STARTUP = 6;

/** ICR destination shorthands (bits 19:18). */
export const SH_NONE = 0;
export const SH_SELF = 1;
export const SH_ALL_INCL_SELF = 2;
export const SH_ALL_EXCL_SELF = 3;

/** An IPI as the ICR describes it. */
export interface IpiMessage {
  vector: number;
  /** Bits 10:8: DM_FIXED, DM_LOWEST, DM_SMI, DM_NMI, DM_INIT, DM_STARTUP. */
  deliveryMode: number;
  /** Bit 11: destination mode logical (true) or physical (false). */
  logical: boolean;
  /** Bit 14: level assert (true) / de-assert (false). */
  assert: boolean;
  /** Bit 15: level-triggered (true) / edge (false). */
  levelTriggered: boolean;
  /** Bits 19:18: SH_NONE, SH_SELF, SH_ALL_INCL_SELF, SH_ALL_EXCL_SELF. */
  shorthand: number;
  /** Bits 63:32: x2APIC destination. */
  dest: number;
}

/** Decode a 64-bit x2APIC ICR value (reserved bits are the writer's concern). */
export function decodeIcr(icr: bigint): IpiMessage {
  const lo = Number(icr & 0xffffffffn);
  return {
    vector: lo & 0xff,
    deliveryMode: (lo >> 8) & 7,
    logical: (lo & (1 << 11)) !== 0,
    assert: (lo & (1 << 14)) !== 0,
    levelTriggered: (lo & (1 << 15)) !== 0,
    shorthand: (lo >> 18) & 3,
    dest: Number((icr >> 32n) & 0xffffffffn),
  };
}

/** Encode an IPI as a 64-bit x2APIC ICR value. */
export function encodeIcr(m: Partial<IpiMessage> & { vector?: number }): bigint {
  const lo =
    ((m.vector ?? 0) & 0xff) |
    (((m.deliveryMode ?? DM_FIXED) & 7) << 8) |
    (m.logical ? 1 << 11 : 0) |
    ((m.assert ?? true) ? 1 << 14 : 0) |
    (m.levelTriggered ? 1 << 15 : 0) |
    (((m.shorthand ?? SH_NONE) & 3) << 18);
  return (BigInt((m.dest ?? 0) >>> 0) << 32n) | BigInt(lo >>> 0);
}

export const BROADCAST = 0xffffffff;

export class ApicBus {
  readonly apics: X2Apic[] = [];
  /** Guest time in ns when no clock function is given; `tick(now)` advances it. */
  time = 0;
  private readonly clock?: () => number;
  /** Called after anything is delivered to `target` (to wake a halted vCPU). */
  onEvent?: (target: X2Apic) => void;
  readonly stats = { ipis: 0, deliveries: 0, noTarget: 0 };

  constructor(clock?: () => number) {
    this.clock = clock;
  }

  /** Current guest time in ns. */
  now(): number {
    return this.clock ? this.clock() : this.time;
  }

  /** Called by the X2Apic constructor. Throws on a duplicate APIC ID. */
  attach(apic: X2Apic): void {
    if (this.apics.some((a) => a.id === apic.id)) throw new Error(`APIC bus: duplicate APIC ID ${apic.id}`);
    this.apics.push(apic);
  }

  byId(id: number): X2Apic | undefined {
    return this.apics.find((a) => a.id === id);
  }

  /** The APICs a message addresses, in attach order. */
  destinations(from: X2Apic | null, m: IpiMessage): X2Apic[] {
    switch (m.shorthand) {
      case SH_SELF:
        return from ? [from] : [];
      case SH_ALL_INCL_SELF:
        return this.apics.slice();
      case SH_ALL_EXCL_SELF:
        return this.apics.filter((a) => a !== from);
    }
    const dest = m.dest >>> 0;
    if (dest === BROADCAST) return this.apics.slice();
    if (!m.logical) return this.apics.filter((a) => a.id === dest);
    const cluster = dest >>> 16;
    const bits = dest & 0xffff;
    return this.apics.filter((a) => a.ldr >>> 16 === cluster && (a.ldr & bits) !== 0);
  }

  /**
   * Deliver an IPI from `from` (null for a message from outside any APIC, e.g.
   * an I/O device). Vector legality is checked by the sender (X2Apic.sendIpi).
   */
  send(from: X2Apic | null, m: IpiMessage): void {
    this.stats.ipis++;
    let targets = this.destinations(from, m);
    if (targets.length === 0) {
      this.stats.noTarget++;
      return;
    }
    if (m.deliveryMode === DM_LOWEST && targets.length > 1) {
      let best = targets[0];
      for (const t of targets) {
        const p = t.ppr();
        const bp = best.ppr();
        if (p < bp || (p === bp && t.id < best.id)) best = t;
      }
      targets = [best];
    }
    for (const t of targets) {
      let delivered = true;
      switch (m.deliveryMode) {
        case DM_FIXED:
        case DM_LOWEST:
          delivered = t.accept(m.vector, m.levelTriggered ? 'level' : 'edge');
          break;
        case DM_NMI:
          t.nmiPending = true;
          break;
        case DM_SMI:
          t.smiPending = true;
          break;
        case DM_INIT:
          if (!m.assert && m.levelTriggered) delivered = false; // INIT level de-assert: ignored
          else t.receiveInit();
          break;
        case DM_STARTUP:
          delivered = t.receiveSipi(m.vector);
          break;
        default:
          delivered = false;
      }
      if (delivered) {
        this.stats.deliveries++;
        this.onEvent?.(t);
      }
    }
  }

  /** Advance guest time to `now` and fire every APIC timer that is due. */
  tick(now: number): void {
    if (now > this.time) this.time = now;
    for (const a of this.apics) a.tick(now);
  }

  /** The earliest guest time at which some APIC timer will raise an interrupt, or Infinity. */
  nextDeadline(): number {
    let d = Infinity;
    for (const a of this.apics) {
      const x = a.nextDeadline();
      if (x < d) d = x;
    }
    return d;
  }
}
