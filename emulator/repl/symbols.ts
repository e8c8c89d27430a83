/**
 * Symbols and source locations of the booted image: from the ELF symbol
 * table, and — when the image was built by our assembler (a manifest with
 * `kernel.build`) — from the LinkResult's symbols and source map (file:line
 * of the builder call that emitted each instruction).
 */
import { laToBig } from '../msr.ts';

export interface Sym { name: string; addr: number; size: number; local: boolean }
export interface SourceLoc { addr: number; length: number; site: string; text: string }

export class Symbols {
  private readonly byName = new Map<string, Sym>();
  /** Sorted by address (ties: global names first). */
  private readonly sorted: Sym[];
  private readonly src: SourceLoc[];

  constructor(syms: Sym[], source: SourceLoc[] = []) {
    for (const s of syms) if (s.name && !this.byName.has(s.name)) this.byName.set(s.name, s);
    this.sorted = [...this.byName.values()].sort((a, b) => a.addr - b.addr || Number(a.local) - Number(b.local));
    this.src = [...source].sort((a, b) => a.addr - b.addr);
  }

  get size(): number { return this.byName.size; }
  get hasSource(): boolean { return this.src.length > 0; }

  lookup(name: string): Sym | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The symbol containing `addr` (the closest one at or below it, within its size if it has one). */
  at(addr: number): { sym: Sym; off: number } | undefined {
    const a = this.sorted;
    let lo = 0, hi = a.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid].addr <= addr) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return undefined;
    let k = best;
    while (k > 0 && a[k - 1].addr === a[k].addr) k--;
    const s = a[k];
    if (s.size === 0 || addr < s.addr + s.size) return { sym: s, off: addr - s.addr };
    // The nearest symbol is too small: an enclosing one further down?
    for (let j = k - 1; j >= 0; j--) if (a[j].size > 0 && addr < a[j].addr + a[j].size) return { sym: a[j], off: addr - a[j].addr };
    return undefined;
  }

  /** `name+0x10`, or '' when no symbol covers addr. */
  describe(addr: number): string {
    const r = this.at(addr);
    if (!r) return '';
    return r.off ? `${r.sym.name}+0x${r.off.toString(16)}` : r.sym.name;
  }

  /** Symbols that start exactly at addr. */
  startingAt(addr: number): Sym[] {
    return this.sorted.filter((s) => s.addr === addr);
  }

  /** The source-map entry of the instruction covering addr. */
  source(addr: number): SourceLoc | undefined {
    const a = this.src;
    let lo = 0, hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = a[mid];
      if (addr < e.addr) hi = mid - 1;
      else if (addr >= e.addr + e.length) lo = mid + 1;
      else return e;
    }
    return undefined;
  }
}

/** `0x200010 <_start+0x10>` */
export function fmtAddr(addr: number, syms: Symbols): string {
  const d = syms.describe(addr);
  return `0x${laToBig(addr).toString(16)}${d ? ` <${d}>` : ''}`;
}
