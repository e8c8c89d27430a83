/**
 * Decoded basic blocks and the cache that holds them.
 *
 * A block is keyed by the physical address of its first byte, so two linear
 * mappings of one page share it and writes (by any vCPU, or DMA) find it
 * through its physical pages. Instructions store their offset from the block
 * start; the linear address comes from RIP at run time.
 */
import type { Insn } from './insn.ts';

export class Block {
  valid = true;
  constructor(
    readonly insns: Insn[],
    /** Bytes covered. */
    readonly bytes: number,
    /** Physical address of the first byte. */
    readonly pa: number,
    /** Physical page of the last byte when the block straddles a page, else -1. */
    readonly pa2page: number,
  ) {}
}

export class BlockCache {
  private readonly byPa = new Map<number, Block>();
  private readonly byPage = new Map<number, Block[]>();
  /** Bumped on every invalidation: jump caches compare it. */
  generation = 0;

  get(pa: number): Block | undefined {
    return this.byPa.get(pa);
  }

  add(b: Block): void {
    this.byPa.set(b.pa, b);
    this.addToPage(Math.floor(b.pa / 4096), b);
    if (b.pa2page >= 0) this.addToPage(b.pa2page, b);
  }

  private addToPage(ppn: number, b: Block): void {
    const list = this.byPage.get(ppn);
    if (list) list.push(b); else this.byPage.set(ppn, [b]);
  }

  /** Drops every block touching physical page `ppn`. */
  invalidatePage(ppn: number): void {
    const list = this.byPage.get(ppn);
    if (!list) return;
    this.byPage.delete(ppn);
    for (const b of list) {
      b.valid = false;
      if (this.byPa.get(b.pa) === b) this.byPa.delete(b.pa);
    }
    this.generation++;
  }

  clear(): void {
    for (const list of this.byPage.values()) for (const b of list) b.valid = false;
    this.byPa.clear();
    this.byPage.clear();
    this.generation++;
  }

  get size(): number {
    return this.byPa.size;
  }
}
