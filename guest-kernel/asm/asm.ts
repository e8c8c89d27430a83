// The builder: `const a = new Asm({ base: 0x400000n }); a.label('_start');
// a.mov(eax, 60); a.syscall(); const img = a.link();`
// Every iced mnemonic is a method (the Code is picked from the operands);
// `emit(Code.X, ...)` names the Code outright.
import { Code, Mnemonic, Register, RoundingControl } from 'iced-x86';
import { NO_EXTRAS, type Extras } from './build.ts';
import { codeDesc, codesOf, mnemonicByName, mnemonicName } from './codes.ts';
import type { Item, LinkResult, SectionOptions, SectionState } from './items.ts';
import { STANDARD_SECTIONS } from './items.ts';
import { link, render, type LabelMeta } from './link.ts';
import { choose, filterCandidates, trialLength, type POp } from './match.ts';
import { ALIAS_METHODS, canonicalCc, canonicalMnemonic, type Cc, type MnemonicMethods } from './mnemonics.ts';
import { Decorator, Label, LabelRef, Mem, MEM_SIZE_NAMES, type LabelLike, type Operand } from './operands.ts';
import { Reg, regOf } from './registers.ts';
import { AsmError, captureSite, fail, type Site } from './site.ts';
import type { AnyStruct } from './struct.ts';

export interface AsmOptions {
  /** where the first section (text) starts; default 0x400000 */
  base?: bigint;
  /** per-section placement: fixed address, size limit, flags for new sections */
  sections?: Record<string, SectionOptions>;
}

export interface LabelOptions {
  /** ELF binding; default: global for plain names, local for `.name` and anonymous labels */
  global?: boolean;
  /** symbol size; default: distance to the next (global, for a global label) label or section end */
  size?: number;
}

export type DbValue = number | string | Uint8Array | readonly number[];
/** A field value for `Asm.struct()`: an integer, bytes, or a label address (object, name or ref) for 4/8-byte fields. */
export type StructValue = number | bigint | Uint8Array | LabelLike;

const utf8 = new TextEncoder();
const COMMUTATIVE = new Set<Mnemonic>([Mnemonic.Xchg, Mnemonic.Test]);

class AsmCore {
  readonly base: bigint;
  private readonly sectionOpts: Record<string, SectionOptions>;
  private readonly sections = new Map<string, SectionState>();
  private cur!: SectionState;
  private readonly byName = new Map<string, Label>();
  private readonly meta = new Map<Label, LabelMeta>();
  private readonly localLabels = new Set<Label>();
  private scope = '';
  private nextId = 0;
  private pending: { x: Partial<Extras>; names: string[]; site: Site } | undefined;
  private entryRef: { target: Label; site: Site } | undefined;

  constructor(opts: AsmOptions = {}) {
    this.base = opts.base ?? 0x400000n;
    this.sectionOpts = opts.sections ?? {};
    for (const name of Object.keys(STANDARD_SECTIONS)) this.openSection(name, {});
    for (const name of Object.keys(this.sectionOpts)) this.openSection(name, {});
    this.cur = this.sections.get('text')!;
  }

  // ---- sections -------------------------------------------------------------

  private openSection(name: string, opts: SectionOptions): SectionState {
    let s = this.sections.get(name);
    if (s) return s;
    const o = { ...this.sectionOpts[name], ...opts };
    const std = STANDARD_SECTIONS[name];
    if (!std && !o.flags) throw new Error(`section ${name}: a new section needs flags ('r--', 'rw-', 'r-x' or 'rwx')`);
    const align = o.align ?? 4096;
    if (!Number.isInteger(align) || align <= 0 || (align & (align - 1)) !== 0) throw new Error(`section ${name}: align ${align} is not a power of two`);
    s = { name, flags: o.flags ?? std.flags, nobits: o.nobits ?? std?.nobits ?? false, addr: o.addr, limit: o.limit, align, items: [] };
    this.sections.set(name, s);
    return s;
  }

  /** Switch to a section (text, rodata, data, bss, or a new one given `flags`). */
  section(name: string, opts: SectionOptions = {}): this {
    const site = captureSite();
    try {
      this.cur = this.openSection(name, opts);
    } catch (e) {
      fail(site, (e as Error).message);
    }
    return this;
  }
  text(): this { this.cur = this.sections.get('text')!; return this; }
  rodata(): this { this.cur = this.sections.get('rodata')!; return this; }
  data(): this { this.cur = this.sections.get('data')!; return this; }
  bss(): this { this.cur = this.sections.get('bss')!; return this; }
  get currentSection(): string { return this.cur.name; }

  // ---- labels ---------------------------------------------------------------

  private qualify(name: string): string {
    return name.startsWith('.') ? this.scope + name : name;
  }

  private labelFor(name: string): Label {
    const q = this.qualify(name);
    let l = this.byName.get(q);
    if (!l) {
      l = new Label(this.nextId++, q);
      this.byName.set(q, l);
      if (name.startsWith('.')) this.localLabels.add(l);
    }
    return l;
  }

  private resolveLabel(x: Label | string): Label {
    return typeof x === 'string' ? this.labelFor(x) : x;
  }

  /**
   * Define a label here. A plain name is global and opens a new scope for `.local`
   * names; `.name` is local to the last plain label (its symbol is `scope.name`).
   */
  label(name: string | Label, opts: LabelOptions = {}): Label {
    return this.define(typeof name === 'string' ? this.labelFor(name) : name, opts, captureSite());
  }

  /** Bind a label made by `newLabel()` here. */
  bind(label: Label, opts: LabelOptions = {}): this {
    this.define(label, opts, captureSite());
    return this;
  }

  /** A label to bind later; a name makes it a symbol and lets operands refer to it by name. */
  newLabel(name?: string): Label {
    if (name !== undefined) return this.labelFor(name);
    const l = new Label(this.nextId++, undefined);
    this.localLabels.add(l);
    return l;
  }

  /** An anonymous label at the current position. */
  here(): Label {
    const l = this.newLabel();
    this.define(l, {}, captureSite());
    return l;
  }

  /** The label with this name (qualified in the current scope), if referenced or defined. */
  lookup(name: string): Label | undefined {
    return this.byName.get(this.qualify(name));
  }

  private define(l: Label, opts: LabelOptions, site: Site): Label {
    this.noPending();
    const prev = this.meta.get(l);
    if (prev) fail(site, `duplicate label '${l}' (first defined at ${prev.site})`);
    const local = this.localLabels.has(l);
    if (!local && l.name !== undefined) this.scope = l.name;
    this.meta.set(l, { site, section: this.cur, local, global: opts.global, size: opts.size });
    this.cur.items.push({ t: 'label', label: l });
    return l;
  }

  /** The program's entry point (default: `_start` if defined, else the start of text). */
  entry(target: LabelLike): this {
    const site = captureSite();
    const l = target instanceof LabelRef ? this.resolveLabel(target.target) : this.resolveLabel(target);
    this.entryRef = { target: l, site };
    return this;
  }

  // ---- data -----------------------------------------------------------------

  private addItem(item: Item, site: Site, what: string): void {
    this.noPending();
    if (this.cur.nobits && item.t !== 'space' && item.t !== 'align') fail(site, `${what}: section ${this.cur.name} has no file bytes (use space())`);
    this.cur.items.push(item);
  }

  private addBytes(data: Uint8Array, site: Site, what: string): this {
    this.addItem({ t: 'bytes', data, site }, site, what);
    return this;
  }

  private static int(site: Site, what: string, v: number | bigint, bits: number): bigint {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) fail(site, `${what}: ${v} is not an integer`);
    const b = BigInt(v);
    if (b < -(1n << BigInt(bits - 1)) || b >= 1n << BigInt(bits)) fail(site, `${what}: ${v} does not fit ${bits} bits`);
    return BigInt.asUintN(bits, b);
  }

  private static le(v: bigint, width: number): Uint8Array {
    const out = new Uint8Array(width);
    for (let i = 0; i < width; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
    return out;
  }

  /** Bytes: numbers (-128..255), strings (UTF-8, no terminator), byte arrays. */
  db(...values: DbValue[]): this {
    const site = captureSite();
    const parts: number[] = [];
    for (const v of values) {
      if (typeof v === 'string') parts.push(...utf8.encode(v));
      else if (typeof v === 'number') parts.push(Number(AsmCore.int(site, 'db', v, 8)));
      else for (const b of v) parts.push(Number(AsmCore.int(site, 'db', b, 8)));
    }
    return this.addBytes(Uint8Array.from(parts), site, 'db');
  }

  private words(site: Site, what: string, width: 2 | 4 | 8, values: readonly (number | bigint | LabelLike)[]): this {
    for (const v of values) {
      if (typeof v === 'number' || typeof v === 'bigint') this.addBytes(AsmCore.le(AsmCore.int(site, what, v, width * 8), width), site, what);
      else {
        if (width === 2) fail(site, `${what}: a label address does not fit 16 bits`);
        const l = v instanceof LabelRef ? this.resolveLabel(v.target) : this.resolveLabel(v);
        this.addItem({ t: 'addr', width, label: l, addend: v instanceof LabelRef ? v.addend : 0n, site }, site, what);
      }
    }
    return this;
  }

  /** 16-bit little-endian values. */
  dw(...values: number[]): this { return this.words(captureSite(), 'dw', 2, values); }
  /** 32-bit values or label addresses (which must fit 32 bits). */
  dd(...values: (number | bigint | LabelLike)[]): this { return this.words(captureSite(), 'dd', 4, values); }
  /** 64-bit values or label addresses. */
  dq(...values: (number | bigint | LabelLike)[]): this { return this.words(captureSite(), 'dq', 8, values); }
  /** A string's UTF-8 bytes, no terminator. */
  ascii(s: string): this { return this.addBytes(utf8.encode(s), captureSite(), 'ascii'); }
  /** A string's UTF-8 bytes and a NUL. */
  asciz(s: string): this {
    const b = utf8.encode(s);
    const out = new Uint8Array(b.length + 1);
    out.set(b);
    return this.addBytes(out, captureSite(), 'asciz');
  }

  /**
   * One instance of a struct, zero-filled, with the given field values: numbers/bigints for
   * 1/2/4/8-byte fields, label addresses (label, name or ref) for 4/8-byte fields, a Uint8Array for any field.
   */
  struct<S extends AnyStruct>(def: S, values: { [K in keyof S['fields']]?: StructValue } = {}): this {
    const site = captureSite();
    const what = `struct ${def.name}`;
    const buf = new Uint8Array(def.size);
    const labels: { off: number; width: 4 | 8; v: LabelLike }[] = [];
    for (const [name, v] of Object.entries(values) as [string, StructValue | undefined][]) {
      const f = def.fields[name];
      if (!f) fail(site, `${what}: no field '${name}'`);
      if (v === undefined) continue;
      if (typeof v === 'number' || typeof v === 'bigint') {
        if (![1, 2, 4, 8].includes(f.size)) fail(site, `${what}.${name}: a ${f.size}-byte field takes bytes, not a number`);
        buf.set(AsmCore.le(AsmCore.int(site, `${what}.${name}`, v, f.size * 8), f.size), f.offset);
      } else if (v instanceof Uint8Array) {
        const b = v;
        if (b.length > f.size) fail(site, `${what}.${name}: ${b.length} bytes do not fit ${f.size}`);
        buf.set(b, f.offset);
      } else {
        if (f.size !== 4 && f.size !== 8) fail(site, `${what}.${name}: a label address needs a 4- or 8-byte field`);
        labels.push({ off: f.offset, width: f.size as 4 | 8, v: v as LabelLike });
      }
    }
    labels.sort((x, y) => x.off - y.off);
    let at = 0;
    for (const l of labels) {
      if (l.off > at) this.addBytes(buf.slice(at, l.off), site, what);
      const target = l.v instanceof LabelRef ? l.v.target : l.v;
      this.addItem({ t: 'addr', width: l.width, label: this.resolveLabel(target), addend: l.v instanceof LabelRef ? l.v.addend : 0n, site }, site, what);
      at = l.off + l.width;
    }
    if (at < buf.length) this.addBytes(buf.slice(at), site, what);
    return this;
  }

  /** `n` bytes of `fill` (in bss: reserved memory, no file bytes). */
  space(n: number, fill = 0): this {
    const site = captureSite();
    if (!Number.isSafeInteger(n) || n < 0) fail(site, `space: size ${n} is not a non-negative integer`);
    if (this.cur.nobits && fill !== 0) fail(site, `space: section ${this.cur.name} can only hold zeros`);
    this.addItem({ t: 'space', n, fill: Number(AsmCore.int(site, 'space fill', fill, 8)), site }, site, 'space');
    return this;
  }
  /** `n` zero bytes. */
  zero(n: number): this { return this.space(n, 0); }

  /** Pad to a multiple of `n` (a power of two) with `fill` (default: nop 0x90 in code, 0 elsewhere). */
  align(n: number, fill?: number): this {
    const site = captureSite();
    if (!Number.isInteger(n) || n <= 0 || (n & (n - 1)) !== 0) fail(site, `align: ${n} is not a power of two`);
    const f = fill ?? (this.cur.flags.includes('x') ? 0x90 : 0);
    if (this.cur.nobits && f !== 0) fail(site, `align: section ${this.cur.name} can only hold zeros`);
    this.addItem({ t: 'align', n, fill: Number(AsmCore.int(site, 'align fill', f, 8)), site }, site, 'align');
    return this;
  }

  // ---- prefixes -------------------------------------------------------------

  private prefix(name: string, x: Partial<Extras>): this {
    const site = captureSite();
    if (this.pending) {
      this.pending.x = { ...this.pending.x, ...x };
      this.pending.names.push(name);
    } else this.pending = { x, names: [name], site };
    return this;
  }
  /** `a.lock().add(mem.qword(rdi), 1)` */
  lock(): this { return this.prefix('lock', { lock: true }); }
  rep(): this { return this.prefix('rep', { rep: 'rep' }); }
  repe(): this { return this.prefix('repe', { rep: 'rep' }); }
  repz(): this { return this.prefix('repz', { rep: 'rep' }); }
  repne(): this { return this.prefix('repne', { rep: 'repne' }); }
  repnz(): this { return this.prefix('repnz', { rep: 'repne' }); }
  xacquire(): this { return this.prefix('xacquire', { xacquire: true }); }
  xrelease(): this { return this.prefix('xrelease', { xrelease: true }); }

  private noPending(): void {
    if (this.pending) {
      const p = this.pending;
      this.pending = undefined;
      fail(p.site, `prefix ${p.names.join(' ')} is not followed by an instruction`);
    }
  }

  // ---- instructions -------------------------------------------------------------

  private convert(ops: readonly Operand[], site: Site, text: () => string): { pops: POp[]; x: Extras } {
    const x: Extras = { ...NO_EXTRAS, ...(this.pending?.x ?? {}) };
    this.pending = undefined;
    const pops: POp[] = [];
    ops.forEach((op, i) => {
      if (op instanceof Decorator) {
        if (i !== ops.length - 1) fail(site, `${text()}: ${op} must be the last operand`);
        if (op.rc !== RoundingControl.None) x.rc = op.rc;
        else x.sae = true;
        return;
      }
      if (op instanceof Reg || op instanceof Mem) {
        if (op.mask !== Register.None || op.zeroing) {
          if (i !== 0) fail(site, `${text()}: {k}/{z} may only decorate the first operand`);
          x.mask = op.mask;
          x.zeroing = op.zeroing;
        }
        if (op instanceof Reg) pops.push({ t: 'reg', r: regOf(op.reg) });
        else pops.push({ t: 'mem', m: typeof op.label === 'string' ? op.withLabel(this.labelFor(op.label)) : op });
        return;
      }
      if (typeof op === 'number') {
        if (!Number.isSafeInteger(op)) fail(site, `${text()}: immediate ${op} is not an integer (use a bigint for large values)`);
        pops.push({ t: 'imm', v: BigInt(op) });
      } else if (typeof op === 'bigint') pops.push({ t: 'imm', v: op });
      else if (typeof op === 'string' || op instanceof Label) pops.push({ t: 'lab', label: this.resolveLabel(op), addend: 0n });
      else if (op instanceof LabelRef) pops.push({ t: 'lab', label: this.resolveLabel(op.target), addend: op.addend });
      else fail(site, `${text()}: operand ${i + 1} (${String(op)}) is not a register, memory operand, immediate or label`);
    });
    return { pops, x };
  }

  private checkCode(site: Site, text: string): void {
    if (this.cur.nobits) fail(site, `${text}: section ${this.cur.name} cannot hold instructions`);
  }

  /** An instruction by mnemonic (name or iced `Mnemonic`); the Code is chosen from the operands. */
  inst(mnemonic: string | Mnemonic, ...ops: Operand[]): this {
    return this.instAt(captureSite(), mnemonic, ops);
  }

  /** @internal `inst` with the call site already captured. */
  instAt(site: Site, mnemonic: string | Mnemonic, ops: readonly Operand[]): this {
    const mn = typeof mnemonic === 'string' ? mnemonicByName(canonicalMnemonic(mnemonic)) : mnemonic;
    const name = typeof mnemonic === 'string' ? mnemonic.toLowerCase() : mnemonicName(mnemonic);
    const text = (): string => render(name, ops);
    if (mn === undefined) {
      this.pending = undefined;
      fail(site, `${text()}: unknown mnemonic '${name}'`);
    }
    const { pops, x } = this.convert(ops, site, text);
    this.checkCode(site, text());
    const cands = codesOf(mn);
    if (cands.length === 0) fail(site, `${text()}: '${name}' has no encoding in 64-bit mode`);
    let fit = filterCandidates(cands, pops, x);
    let ch = fit.length ? choose(fit, pops, x) : undefined;
    if (COMMUTATIVE.has(mn) && pops.length === 2) {
      // xchg and test do the same with their operands swapped: take the shorter (GNU as does too)
      const swapped = [pops[1], pops[0]];
      const fit2 = filterCandidates(cands, swapped, x);
      const ch2 = fit2.length ? choose(fit2, swapped, x) : undefined;
      if (ch2?.fixed && (!ch?.fixed || ch2.fixed.length < ch.fixed.length)) { fit = fit2; ch = ch2; pops.reverse(); }
    }
    if (fit.length === 0 || !ch) {
      const forms = [...new Set(cands.map((d) => d.instructionString))].slice(0, 12).join('; ');
      fail(site, `${text()}: no form of ${name} takes (${pops.map(describe).join(', ')}${x.mask !== Register.None ? ', {k}' : ''}${x.rc || x.sae ? ', {er/sae}' : ''}); forms: ${forms}`);
    }
    if (ch.ambiguous) {
      fail(site, `${text()}: the memory operand's size is ambiguous (could be ${ch.ambiguous.map((n) => MEM_SIZE_NAMES[n] || `${n} bytes`).join(' or ')}); use mem.${MEM_SIZE_NAMES[ch.ambiguous[ch.ambiguous.length - 1]] || 'sized'}(...) or similar`);
    }
    if (ch.branch) {
      const { short, near } = ch.branch;
      this.cur.items.push({ t: 'br', mn: name, short, near, ops: pops, x, useNear: !short, site, src: ops });
    } else if (ch.fixed) {
      this.cur.items.push({ t: 'ins', mn: name, d: ch.fixed.d, ops: pops, x, len: ch.fixed.length, site, src: ops });
    } else {
      fail(site, `${text()}: iced cannot encode it: ${ch.errors.slice(0, 3).join(' | ')}`);
    }
    return this;
  }

  /** An instruction by iced `Code`, operands in iced's order. Label branches keep the given size. */
  emit(code: Code, ...ops: Operand[]): this {
    const site = captureSite();
    const d = codeDesc(code);
    const name = mnemonicName(d.mnemonic);
    const text = (): string => `${render(name, ops)} (Code.${Code[code] ?? code})`;
    const { pops, x } = this.convert(ops, site, text);
    this.checkCode(site, text());
    let len: number;
    try {
      len = trialLength(d, pops, x);
    } catch (e) {
      return fail(site, `${text()}: iced cannot encode it: ${(e as Error).message ?? e}`);
    }
    this.cur.items.push({ t: 'ins', mn: name, d, ops: pops, x, len, site, src: ops });
    return this;
  }

  /** `jcc('nz', label)`: conditional jump by condition code (SDM names and aliases). */
  jcc(cc: Cc, target: LabelLike | bigint | number): this { return this.ccInst(captureSite(), 'j', cc, [target]); }
  /** `setcc('b', al)` */
  setcc(cc: Cc, dst: Operand): this { return this.ccInst(captureSite(), 'set', cc, [dst]); }
  /** `cmovcc('ne', rax, rbx)` */
  cmovcc(cc: Cc, dst: Operand, src: Operand): this { return this.ccInst(captureSite(), 'cmov', cc, [dst, src]); }

  private ccInst(site: Site, stem: string, cc: string, ops: Operand[]): this {
    const c = canonicalCc(cc);
    if (!c) fail(site, `${stem}cc: unknown condition code '${cc}'`);
    return this.instAt(site, stem + c, ops);
  }

  /** Lays out, sizes branches, encodes; the builder stays usable. */
  link(): LinkResult {
    this.noPending();
    return link({ base: this.base, sections: [...this.sections.values()], labels: this.meta, entry: this.entryRef });
  }
}

function describe(o: POp): string {
  switch (o.t) {
    case 'reg': return o.r.cls === 'gpr8' || o.r.cls === 'gpr16' || o.r.cls === 'gpr32' || o.r.cls === 'gpr64' ? `r${o.r.size * 8}` : o.r.cls;
    case 'mem': return `${o.m.size ? `m${o.m.size * 8}` : 'mem'}${o.m.bcst ? ' bcst' : ''}`;
    case 'imm': return 'imm';
    case 'lab': return 'label';
  }
}

/** The assembler. Besides the methods below, every iced mnemonic is a method. */
export class Asm extends AsmCore {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Asm extends Omit<MnemonicMethods<Asm>, keyof AsmCore> {}

for (const [key, value] of Object.entries(Mnemonic)) {
  if (typeof value !== 'number') continue;
  const name = key.toLowerCase();
  if (name === 'invalid' || name in Asm.prototype) continue;
  Object.defineProperty(Asm.prototype, name, {
    configurable: true,
    writable: true,
    value(this: AsmCore, ...ops: Operand[]) { return this.instAt(captureSite(), value, ops); },
  });
}
for (const alias of ALIAS_METHODS) {
  if (alias in Asm.prototype) continue;
  Object.defineProperty(Asm.prototype, alias, {
    configurable: true,
    writable: true,
    value(this: AsmCore, ...ops: Operand[]) { return this.instAt(captureSite(), alias, ops); },
  });
}

export { AsmError };
