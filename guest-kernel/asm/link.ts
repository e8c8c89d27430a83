// Linking: lay sections out, size label branches (rel8 where it reaches,
// rel32 otherwise; a branch only ever grows, so this terminates), encode every
// instruction with iced's Encoder at its final address, and collect symbols
// and the source map.
import type { Item, LinkedSection, LinkResult, SectionState, SourceMapEntry, SymbolInfo } from './items.ts';
import type { Extras } from './build.ts';
import { encodeOne, resolveOps } from './match.ts';
import { fmtOperand, Label } from './operands.ts';
import { fail, type Site } from './site.ts';

export interface LabelMeta {
  site: Site;
  section: SectionState;
  /** defined with a '.' name (scoped to a global label) or anonymous */
  local: boolean;
  global?: boolean;
  size?: number;
}

export interface LinkInput {
  base: bigint;
  sections: SectionState[];
  labels: Map<Label, LabelMeta>;
  entry?: { target: Label; site: Site };
}

class Unbound extends Error {
  constructor(readonly label: Label) { super(`undefined label '${label}'`); }
}

interface Layout {
  base: Map<SectionState, bigint>;
  size: Map<SectionState, number>;
  /** absolute address of every item, per section */
  at: Map<SectionState, bigint[]>;
  labels: Map<Label, bigint>;
}

const alignUpB = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;

function itemSize(it: Item, addr: bigint): number {
  switch (it.t) {
    case 'ins': return it.len;
    case 'br': return it.useNear ? it.near!.length : it.short!.length;
    case 'bytes': return it.data.length;
    case 'addr': return it.width;
    case 'align': return Number((BigInt(it.n) - (addr % BigInt(it.n))) % BigInt(it.n));
    case 'space': return it.n;
    case 'label': return 0;
  }
}

function layout(inp: LinkInput): Layout {
  const L: Layout = { base: new Map(), size: new Map(), at: new Map(), labels: new Map() };
  let next = inp.base;
  for (const s of inp.sections) {
    const base = s.addr ?? alignUpB(next, BigInt(s.align));
    let addr = base;
    const at: bigint[] = [];
    for (const it of s.items) {
      at.push(addr);
      if (it.t === 'label') L.labels.set(it.label, addr);
      addr += BigInt(itemSize(it, addr));
    }
    L.base.set(s, base);
    L.size.set(s, Number(addr - base));
    L.at.set(s, at);
    if (s.addr === undefined || addr > next) next = addr;
  }
  return L;
}

function addrFn(L: Layout): (l: Label) => bigint {
  return (l) => {
    const a = L.labels.get(l);
    if (a === undefined) throw new Unbound(l);
    return a;
  };
}

function withSite<T>(site: Site, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Unbound) fail(site, `${what}: undefined label '${e.label}'`);
    throw e;
  }
}

export function render(mn: string, src: readonly unknown[], x?: Extras): string {
  const pre = x ? `${x.lock ? 'lock ' : ''}${x.xacquire ? 'xacquire ' : ''}${x.xrelease ? 'xrelease ' : ''}${x.rep ? `${x.rep} ` : ''}` : '';
  return pre + (src.length ? `${mn} ${src.map((o) => fmtOperand(o as never)).join(', ')}` : mn);
}

function relax(inp: LinkInput): Layout {
  // start every label branch short (where it has a rel8 form), so that link() is repeatable
  for (const s of inp.sections) for (const it of s.items) if (it.t === 'br') it.useNear = !it.short;
  for (;;) {
    const L = layout(inp);
    const addrOf = addrFn(L);
    let changed = false;
    for (const s of inp.sections) {
      const at = L.at.get(s)!;
      s.items.forEach((it, i) => {
        if (it.t !== 'br' || it.useNear || !it.near) return;
        const op = it.ops[0];
        const target = withSite(it.site, render(it.mn, it.src), () => (op.t === 'lab' ? addrOf(op.label) + op.addend : op.t === 'imm' ? op.v : 0n));
        const disp = target - (at[i] + BigInt(it.short!.length));
        if (disp < -128n || disp > 127n) { it.useNear = true; changed = true; }
      });
    }
    if (!changed) return L;
  }
}

function checkPlacement(inp: LinkInput, L: Layout): void {
  for (const s of inp.sections) {
    const size = L.size.get(s)!;
    if (s.limit !== undefined && size > s.limit) {
      const base = L.base.get(s)!;
      const at = L.at.get(s)!;
      let culprit: Site | undefined;
      s.items.forEach((it, i) => {
        if (!culprit && it.t !== 'label' && at[i] - base + BigInt(itemSize(it, at[i])) > BigInt(s.limit!)) culprit = it.site;
      });
      fail(culprit ?? '<link>', `section ${s.name} overflows its limit of ${s.limit} bytes (needs ${size})`);
    }
  }
  const placed = inp.sections.filter((s) => L.size.get(s)! > 0).map((s) => ({ s, lo: L.base.get(s)!, hi: L.base.get(s)! + BigInt(L.size.get(s)!) }));
  placed.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  for (let i = 1; i < placed.length; i++) {
    if (placed[i].lo < placed[i - 1].hi) {
      const a = placed[i - 1], b = placed[i];
      const first = b.s.items.find((it): it is Exclude<Item, { t: 'label' }> => it.t !== 'label');
      fail(first?.site ?? '<link>', `sections ${a.s.name} [0x${a.lo.toString(16)}, 0x${a.hi.toString(16)}) and ${b.s.name} [0x${b.lo.toString(16)}, 0x${b.hi.toString(16)}) overlap`);
    }
  }
}

function writeLE(buf: Uint8Array, off: number, v: bigint, width: number): void {
  for (let i = 0; i < width; i++) buf[off + i] = Number((v >> BigInt(8 * i)) & 0xffn);
}

function encodeSection(s: SectionState, L: Layout, sourceMap: SourceMapEntry[]): LinkedSection {
  const base = L.base.get(s)!;
  const size = L.size.get(s)!;
  const at = L.at.get(s)!;
  const addrOf = addrFn(L);
  const bytes = new Uint8Array(s.nobits ? 0 : size);
  s.items.forEach((it, i) => {
    const addr = at[i];
    const off = Number(addr - base);
    switch (it.t) {
      case 'ins':
      case 'br': {
        const chosen = it.t === 'ins' ? { d: it.d, length: it.len } : it.useNear ? it.near! : it.short!;
        const text = render(it.mn, it.src, it.x);
        const code = withSite(it.site, text, () => {
          const ops = resolveOps(chosen.d, it.ops, addrOf);
          try {
            return encodeOne(chosen.d, ops, it.x, addr);
          } catch (e) {
            return fail(it.site, `${text}: cannot encode at 0x${addr.toString(16)}: ${(e as Error).message ?? e}`);
          }
        });
        if (code.length !== chosen.length) fail(it.site, `${text}: internal error: length ${code.length} at link, ${chosen.length} when laid out`);
        bytes.set(code, off);
        sourceMap.push({ addr, length: code.length, site: String(it.site), text });
        break;
      }
      case 'bytes': bytes.set(it.data, off); break;
      case 'addr': {
        const v = withSite(it.site, `d${it.width === 4 ? 'd' : 'q'} ${it.label}`, () => addrOf(it.label) + it.addend);
        if (it.width === 4 && (v < 0n || v > 0xffff_ffffn)) fail(it.site, `dd ${it.label}: address 0x${v.toString(16)} does not fit 32 bits`);
        writeLE(bytes, off, BigInt.asUintN(64, v), it.width);
        break;
      }
      case 'align':
      case 'space':
        if (!s.nobits) bytes.fill(it.fill, off, off + itemSize(it, addr));
        break;
      case 'label': break;
    }
  });
  return { name: s.name, addr: base, bytes, flags: s.flags, memSize: size, nobits: s.nobits };
}

function symbols(inp: LinkInput, L: Layout): SymbolInfo[] {
  const out: SymbolInfo[] = [];
  for (const s of inp.sections) {
    const end = L.base.get(s)! + BigInt(L.size.get(s)!);
    const labels = s.items.filter((it): it is Extract<Item, { t: 'label' }> => it.t === 'label').map((it) => it.label);
    labels.forEach((label, i) => {
      const meta = inp.labels.get(label)!;
      if (label.name === undefined) return;
      const addr = L.labels.get(label)!;
      let size = meta.size;
      if (size === undefined) {
        const nextLabel = labels.slice(i + 1).find((l) => meta.local || !inp.labels.get(l)!.local);
        size = Number((nextLabel ? L.labels.get(nextLabel)! : end) - addr);
      }
      out.push({
        name: label.name,
        addr,
        size,
        section: s.name,
        kind: s.flags.includes('x') ? 'func' : 'object',
        binding: (meta.global ?? !meta.local) ? 'global' : 'local',
      });
    });
  }
  return out;
}

export function link(inp: LinkInput): LinkResult {
  const L = relax(inp);
  checkPlacement(inp, L);
  const sourceMap: SourceMapEntry[] = [];
  const used = inp.sections.filter((s) => s.items.length > 0);
  const sections = used.map((s) => encodeSection(s, L, sourceMap));
  sourceMap.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  let entry: bigint;
  if (inp.entry) {
    const e = inp.entry;
    entry = withSite(e.site, 'entry', () => addrFn(L)(e.target));
  } else {
    const start = [...inp.labels.keys()].find((l) => l.name === '_start');
    const text = used.find((s) => s.flags.includes('x'));
    entry = start ? L.labels.get(start)! : text ? L.base.get(text)! : inp.base;
  }
  return { sections, symbols: symbols(inp, L), sourceMap, entry };
}

export { Label };
