/**
 * Builds 4-level page tables in guest physical memory (boot loader and
 * conformance runner). Physical pages come from a bump allocator.
 */
import type { PhysMemory } from '../memory/phys.ts';

export const PTE_P = 1, PTE_W = 2, PTE_U = 4, PTE_PS = 0x80;
/** Bit 63 (no-execute) as it sits in the entry's high word. */
export const PTE_NX_HI = 0x80000000;

export interface PagePerm { write: boolean; user: boolean; exec: boolean }

export class PageMapper {
  readonly cr3: number;
  /** linear page number → physical page base, for every 4 KiB page mapped. */
  readonly map = new Map<number, number>();

  constructor(readonly mem: PhysMemory, private next: number, private readonly limit = mem.size) {
    this.cr3 = this.allocPage();
  }

  /** Allocates a zeroed physical page. */
  allocPage(): number {
    if (this.next + 4096 > this.limit) throw new Error(`out of guest RAM for page tables and pages (limit 0x${this.limit.toString(16)})`);
    const p = this.next;
    this.next += 4096;
    this.mem.u8.fill(0, p, p + 4096);
    return p;
  }

  get allocated(): number {
    return this.next;
  }

  /** Maps the 4 KiB linear page at `la` (signed form) to physical `pa` with `perm`. */
  map4k(la: number, pa: number, perm: PagePerm): void {
    const dv = this.mem.dv;
    const l48 = la < 0 ? la + 2 ** 48 : la;
    let table = this.cr3;
    for (let level = 4; level > 1; level--) {
      const idx = Math.floor(l48 / 2 ** (12 + 9 * (level - 1))) % 512;
      const ea = table + idx * 8;
      let lo = dv.getUint32(ea, true);
      if (!(lo & PTE_P)) {
        const t = this.allocPage();
        dv.setUint32(ea, t | PTE_P | PTE_W | PTE_U, true);
        dv.setUint32(ea + 4, 0, true);
        lo = dv.getUint32(ea, true);
      }
      table = lo & 0xfffff000;
    }
    const idx = Math.floor(l48 / 4096) % 512;
    const ea = table + idx * 8;
    dv.setUint32(ea, (pa & 0xfffff000) | PTE_P | (perm.write ? PTE_W : 0) | (perm.user ? PTE_U : 0), true);
    dv.setUint32(ea + 4, (Math.floor(pa / 2 ** 32) & 0xfffff) | (perm.exec ? 0 : PTE_NX_HI), true);
    this.map.set(Math.floor(la / 4096), pa);
  }

  /** Identity-maps physical [0, size) with 2 MiB supervisor pages (RW, executable). */
  identity2m(size: number): void {
    const dv = this.mem.dv;
    for (let base = 0; base < size; base += 2 ** 21) {
      let table = this.cr3;
      for (let level = 4; level > 2; level--) {
        const idx = Math.floor(base / 2 ** (12 + 9 * (level - 1))) % 512;
        const ea = table + idx * 8;
        let lo = dv.getUint32(ea, true);
        if (!(lo & PTE_P)) {
          const t = this.allocPage();
          dv.setUint32(ea, t | PTE_P | PTE_W | PTE_U, true);
          lo = dv.getUint32(ea, true);
        }
        table = lo & 0xfffff000;
      }
      const ea = table + (Math.floor(base / 2 ** 21) % 512) * 8;
      dv.setUint32(ea, (base % 2 ** 32) | PTE_P | PTE_W | PTE_PS, true);
      dv.setUint32(ea + 4, Math.floor(base / 2 ** 32), true);
    }
  }

  /** Maps [la, la+len) page by page onto freshly allocated pages (or existing ones); returns the first page's physical base. */
  mapFresh(la: number, len: number, perm: PagePerm): void {
    const first = Math.floor(la / 4096), last = Math.floor((la + len - 1) / 4096);
    for (let p = first; p <= last; p++) {
      const existing = this.map.get(p);
      this.map4k(p * 4096, existing ?? this.allocPage(), perm);
    }
  }

  /** Physical address of linear `la`, if mapped by this mapper. */
  phys(la: number): number | undefined {
    const base = this.map.get(Math.floor(la / 4096));
    return base === undefined ? undefined : base + (la - Math.floor(la / 4096) * 4096);
  }
}
