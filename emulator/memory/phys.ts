/**
 * Guest physical memory: RAM in one ArrayBuffer, and MMIO above it.
 *
 * Physical addresses are plain numbers. RAM occupies [0, size); an access
 * outside RAM goes to the MMIO handler (devices), or reads all ones / drops
 * the write when no device claims it. `codePage` marks RAM pages holding
 * decoded instructions, so writes to them can invalidate the decode cache.
 */
export interface MmioHandler {
  read(pa: number, size: number): number;
  write(pa: number, size: number, value: number): void;
}

export class PhysMemory {
  readonly buf: ArrayBuffer;
  readonly u8: Uint8Array;
  readonly dv: DataView;
  /** RAM as little-endian int32 words (aligned fast paths; hosts are little-endian, checked at startup). */
  readonly i32: Int32Array;
  /** RAM as 8-byte words, for copies only (an element copy keeps every bit: isa-ext/xsave/table.ts XBuf). */
  readonly f64: Float64Array;
  readonly size: number;
  /** 1 for RAM pages that hold cached decoded code. */
  readonly codePage: Uint8Array;
  mmio: MmioHandler | null = null;
  /** Called when a write hits a page marked in `codePage` (the flag is cleared first). */
  onCodeWrite: (ppn: number) => void = () => {};

  constructor(size: number) {
    if (size <= 0 || size % 4096 !== 0) throw new Error(`RAM size must be a positive multiple of 4 KiB, got ${size}`);
    this.size = size;
    this.buf = new ArrayBuffer(size);
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
    this.i32 = new Int32Array(this.buf);
    this.f64 = new Float64Array(this.buf);
    this.codePage = new Uint8Array(size / 4096);
  }

  /** Slow-path reads of 1, 2 or 4 bytes that may hit MMIO. */
  read(pa: number, size: number): number {
    if (pa + size <= this.size) {
      if (size === 1) return this.u8[pa];
      if (size === 2) return this.dv.getUint16(pa, true);
      return this.dv.getInt32(pa, true);
    }
    if (this.mmio) return this.mmio.read(pa, size);
    return size === 4 ? -1 : (1 << (size * 8)) - 1;
  }

  /** Slow-path writes of 1, 2 or 4 bytes; invalidates code on the page. */
  write(pa: number, size: number, v: number): void {
    if (pa + size <= this.size) {
      const ppn = Math.floor(pa / 4096);
      if (this.codePage[ppn]) { this.codePage[ppn] = 0; this.onCodeWrite(ppn); }
      if (size === 1) this.u8[pa] = v;
      else if (size === 2) this.dv.setUint16(pa, v, true);
      else this.dv.setInt32(pa, v, true);
      return;
    }
    if (this.mmio) this.mmio.write(pa, size, v);
  }

  isRam(pa: number, size = 1): boolean {
    return pa >= 0 && pa + size <= this.size;
  }
}
