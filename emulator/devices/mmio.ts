/**
 * MMIO region registry: physical address ranges mapped to devices.
 *
 * `MmioRegistry` implements the `MmioHandler` shape that `memory/phys.ts`
 * calls for accesses outside RAM (`read(pa, size)`, `write(pa, size, value)`),
 * so `phys.mmio = registry` plugs it in. Each region's device sees offsets
 * relative to the region base.
 *
 * Conventions (the same as `PhysMemory`):
 * - sizes are 1, 2 or 4 bytes; an 8-byte access is split by the caller into two
 *   4-byte accesses, low half first (`read64`/`write64` do that here);
 * - a 4-byte read returns a signed int32 (so all ones is -1), 1- and 2-byte
 *   reads are unsigned;
 * - an access that no region claims reads all ones and the write is dropped
 *   (both counted in `stats`); an access that starts inside a region but runs
 *   past its end is routed to that region (the device sees the offset and size
 *   and decides).
 *
 * Adding a region that overlaps an existing one throws an Error naming both.
 */

export interface MmioDevice {
  read(offset: number, size: number): number;
  write(offset: number, size: number, value: number): void;
}

export interface MmioRegion {
  readonly name: string;
  readonly base: number;
  readonly length: number;
  readonly dev: MmioDevice;
}

export class MmioRegistry {
  /** Sorted by base, non-overlapping. */
  private regions: MmioRegion[] = [];
  private last: MmioRegion | null = null;
  readonly stats = { reads: 0, writes: 0, unclaimedReads: 0, unclaimedWrites: 0 };

  /** Map [base, base + length) to `dev`. Throws on overlap or a bad range. */
  add(base: number, length: number, dev: MmioDevice, name = 'mmio'): MmioRegion {
    if (!Number.isSafeInteger(base) || !Number.isSafeInteger(length) || base < 0 || length <= 0 || !Number.isSafeInteger(base + length)) {
      throw new Error(`MMIO: bad range for ${name}: base ${hex(base)}, length ${length}`);
    }
    const end = base + length;
    for (const r of this.regions) {
      if (base < r.base + r.length && r.base < end) {
        throw new Error(
          `MMIO: region ${name} [${hex(base)}, ${hex(end)}) overlaps ${r.name} [${hex(r.base)}, ${hex(r.base + r.length)})`,
        );
      }
    }
    const region: MmioRegion = { name, base, length, dev };
    this.regions.push(region);
    this.regions.sort((a, b) => a.base - b.base);
    return region;
  }

  /** Remove a region returned by `add`. Returns whether it was present. */
  remove(region: MmioRegion): boolean {
    const i = this.regions.indexOf(region);
    if (i < 0) return false;
    this.regions.splice(i, 1);
    if (this.last === region) this.last = null;
    return true;
  }

  list(): readonly MmioRegion[] {
    return this.regions;
  }

  /** The region containing physical address `pa`, or undefined. */
  find(pa: number): MmioRegion | undefined {
    const l = this.last;
    if (l && pa >= l.base && pa < l.base + l.length) return l;
    const rs = this.regions;
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = rs[mid];
      if (pa < r.base) hi = mid - 1;
      else if (pa >= r.base + r.length) lo = mid + 1;
      else {
        this.last = r;
        return r;
      }
    }
    return undefined;
  }

  read(pa: number, size: number): number {
    this.stats.reads++;
    const r = this.find(pa);
    if (!r) {
      this.stats.unclaimedReads++;
      return size >= 4 ? -1 : (1 << (size * 8)) - 1;
    }
    const v = r.dev.read(pa - r.base, size);
    return size >= 4 ? v | 0 : v & ((1 << (size * 8)) - 1);
  }

  write(pa: number, size: number, value: number): void {
    this.stats.writes++;
    const r = this.find(pa);
    if (!r) {
      this.stats.unclaimedWrites++;
      return;
    }
    r.dev.write(pa - r.base, size, size >= 4 ? value | 0 : value & ((1 << (size * 8)) - 1));
  }

  /** An 8-byte read as two 4-byte reads (low first), as an unsigned bigint. */
  read64(pa: number): bigint {
    const lo = BigInt(this.read(pa, 4) >>> 0);
    const hi = BigInt(this.read(pa + 4, 4) >>> 0);
    return (hi << 32n) | lo;
  }

  /** An 8-byte write as two 4-byte writes (low first). */
  write64(pa: number, value: bigint): void {
    this.write(pa, 4, Number(value & 0xffffffffn) | 0);
    this.write(pa + 4, 4, Number((value >> 32n) & 0xffffffffn) | 0);
  }
}

function hex(n: number): string {
  return '0x' + n.toString(16);
}
