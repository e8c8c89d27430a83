/**
 * The I/O port bus: IN/OUT (and INS/OUTS) go through here.
 *
 * A device claims a range of ports with `register`. An access is routed by its
 * first port: a 2- or 4-byte access at port P goes to the device that claims P,
 * which decodes the width itself (the serial UART, an 8-bit device, splits it
 * into byte accesses). Port numbers wrap at 16 bits.
 *
 * Unclaimed ports behave like a floating ISA bus: reads return all ones of the
 * access size (0xFF, 0xFFFF, 0xFFFFFFFF) and writes are dropped. Both are
 * counted in `stats` (per port too), so `--stats` can show what a guest poked
 * that nothing answered.
 *
 * Values are unsigned: `in` returns 0..2^(8*size)-1 and `out` passes the value
 * masked to the access size.
 */

export type IoSize = 1 | 2 | 4;

export interface IoDevice {
  /** Read `size` bytes starting at `port` (an absolute port number). */
  in(port: number, size: IoSize): number;
  /** Write `size` bytes starting at `port`; `value` is already masked to the size. */
  out(port: number, size: IoSize, value: number): void;
}

export interface IoBusStats {
  ins: number;
  outs: number;
  unclaimedReads: number;
  unclaimedWrites: number;
  /** Per unclaimed port: how many reads and writes hit it. */
  unclaimedByPort: Map<number, { reads: number; writes: number }>;
}

interface Claim {
  name: string;
  start: number;
  count: number;
  dev: IoDevice;
}

/** All ones of an access size, unsigned. */
export function allOnes(size: number): number {
  return size >= 4 ? 0xffffffff : (1 << (size * 8)) - 1;
}

function mask(size: number, value: number): number {
  return size >= 4 ? value >>> 0 : value & ((1 << (size * 8)) - 1);
}

export class IoBus {
  /** Device index + 1 per port (0 = unclaimed). */
  private readonly owner = new Uint16Array(0x10000);
  private readonly claims: Claim[] = [];
  readonly stats: IoBusStats = {
    ins: 0,
    outs: 0,
    unclaimedReads: 0,
    unclaimedWrites: 0,
    unclaimedByPort: new Map(),
  };

  /**
   * Claim ports [portStart, portStart + count) for `dev`. Throws if the range
   * leaves the 16-bit port space or overlaps a range already claimed.
   */
  register(portStart: number, count: number, dev: IoDevice, name = 'device'): void {
    if (!Number.isInteger(portStart) || !Number.isInteger(count) || count < 1 || portStart < 0 || portStart + count > 0x10000) {
      throw new Error(`I/O bus: bad port range for ${name}: start ${hex(portStart)}, count ${count}`);
    }
    for (let p = portStart; p < portStart + count; p++) {
      const o = this.owner[p];
      if (o !== 0) {
        const c = this.claims[o - 1];
        throw new Error(
          `I/O bus: ${name} [${hex(portStart)}-${hex(portStart + count - 1)}] overlaps ${c.name} [${hex(c.start)}-${hex(c.start + c.count - 1)}] at port ${hex(p)}`,
        );
      }
    }
    this.claims.push({ name, start: portStart, count, dev });
    const idx = this.claims.length;
    this.owner.fill(idx, portStart, portStart + count);
  }

  /** The name of the device claiming `port`, or undefined. */
  claimant(port: number): string | undefined {
    const o = this.owner[port & 0xffff];
    return o === 0 ? undefined : this.claims[o - 1].name;
  }

  in(port: number, size: IoSize): number {
    port &= 0xffff;
    this.stats.ins++;
    const o = this.owner[port];
    if (o === 0) {
      this.stats.unclaimedReads++;
      this.countUnclaimed(port, true);
      return allOnes(size);
    }
    return mask(size, this.claims[o - 1].dev.in(port, size));
  }

  out(port: number, size: IoSize, value: number): void {
    port &= 0xffff;
    this.stats.outs++;
    const o = this.owner[port];
    if (o === 0) {
      this.stats.unclaimedWrites++;
      this.countUnclaimed(port, false);
      return;
    }
    this.claims[o - 1].dev.out(port, size, mask(size, value));
  }

  private countUnclaimed(port: number, read: boolean): void {
    let e = this.stats.unclaimedByPort.get(port);
    if (!e) {
      e = { reads: 0, writes: 0 };
      this.stats.unclaimedByPort.set(port, e);
    }
    if (read) e.reads++;
    else e.writes++;
  }
}

function hex(n: number): string {
  return '0x' + n.toString(16);
}
