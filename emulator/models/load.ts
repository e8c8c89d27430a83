/**
 * Loading CPU models from emulator/models/<name>.toml.
 *
 *   loadModel(name = 'sapphire-rapids'): CpuModel   cached, frozen; unknown name -> Error listing
 *                                                   the known names
 *   listModels(): string[]                          the known model names, sorted
 *   parseModel(text, file): CpuModel                parse + validate one TOML text (for tests/tools)
 *   loadModelFile(path): CpuModel                   parseModel on a file anywhere
 *   signature(family, model, stepping): number      the CPUID.1:EAX encoding of the three
 *
 * Errors: a TOML syntax error, an unknown key, a wrong type or an inconsistent figure throws
 * ModelError whose message is "<file>:<line>: <key>: <what>" (line when it can be found).
 *
 * TOML schema (every key is checked; see the two model files for the commented figures):
 *   name, vendor, brand                    strings (name = file base name; vendor 12 chars)
 *   family, model, stepping                integers (leaf 1 EAX must match their encoding)
 *   max_basic_leaf, max_extended_leaf      integers
 *   linear_address_bits, physical_address_bits, mxcsr_mask   integers
 *   [xsave] xcr0_supported, xss_supported  integers; features = names of CPUID.(0DH,1):EAX bits
 *   [[xsave.component]] index, name, size, offset, supervisor, align64, xfd
 *   [[leaf]] leaf, subleaf?, eax?, ebx?, ecx?, edx?   each register an integer or a list of
 *                                          feature names from features.ts for that place
 * Leaves 0, 0BH, 0DH, 1FH, 80000000H, 80000002H-80000004H and 80000008H are generated
 * (cpuid.ts) from the keys above and may not appear as [[leaf]].
 */

import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import TOML from '@iarna/toml';
import { FEATURES, findFeature, type Reg } from './features.ts';
import type { CpuModel, CpuidRegs, XstateComponent } from './types.ts';

export const MODELS_DIR = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_MODEL = 'sapphire-rapids';

/** Leaves cpuid.ts generates; a [[leaf]] for one of these is an error. */
export const GENERATED_LEAVES: ReadonlySet<number> = new Set([
  0x0, 0xb, 0xd, 0x1f, 0x80000000, 0x80000002, 0x80000003, 0x80000004, 0x80000008,
]);

/** Registers whose every bit is a named feature (unnamed bits are rejected by the loader). */
export const FEATURE_REGS: ReadonlySet<string> = new Set(
  ['1.0.ecx', '1.0.edx', '7.0.ebx', '7.0.ecx', '7.0.edx', '7.1.eax', '7.1.ebx', '7.1.ecx', '7.1.edx',
    `${0x80000001}.0.ecx`, `${0x80000001}.0.edx`],
);

export class ModelError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly line: number | undefined,
    what: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${key ? `${key}: ` : ''}${what}`);
    this.name = 'ModelError';
  }
}

const REGS: readonly Reg[] = ['eax', 'ebx', 'ecx', 'edx'];

export function signature(family: number, model: number, stepping: number): number {
  const baseFamily = family >= 0xf ? 0xf : family;
  const extFamily = family >= 0xf ? family - 0xf : 0;
  const usesExtModel = family === 0x6 || family >= 0xf;
  const baseModel = model & 0xf;
  const extModel = usesExtModel ? model >> 4 : 0;
  return ((extFamily << 20) | (extModel << 16) | (baseFamily << 8) | (baseModel << 4) | stepping) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Locating a key in the TOML source (for error messages)

type PathSeg = string | number;

function pathText(path: readonly PathSeg[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s;
}

/**
 * 1-based line of `path` in `text`, following [table] and [[array]] headers; undefined when not
 * found (e.g. inline tables). Good enough for the flat layout the model files use. A path ending
 * in numbers is first tried as an element of a key's array value (leaf[3].ecx[5] -> the line of
 * `ecx =` in the fourth [[leaf]]), then as an array of tables (xsave.component[2] -> its header).
 */
function locate(text: string, path: readonly PathSeg[]): number | undefined {
  let n = path.length;
  while (n > 0 && typeof path[n - 1] === 'number') n--;
  const key = n > 0 ? (path[n - 1] as string) : undefined;
  if (key !== undefined) {
    const found = scan(text, path.slice(0, n - 1), key);
    if (found.key !== undefined) return found.key;
  }
  const t = scan(text, path, undefined);
  return t.header;
}

function scan(text: string, tablePath: readonly PathSeg[], key: string | undefined): { key?: number; header?: number } {
  const tableName = tablePath.filter((p) => typeof p === 'string').join('.');
  const wantIndex = [...tablePath].reverse().find((p) => typeof p === 'number') as number | undefined;
  const lines = text.split(/\r?\n/);
  const count = new Map<string, number>();
  let inTarget = tableName === '';
  let header: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    const arr = /^\[\[\s*([^\]]+?)\s*\]\]/.exec(t);
    const tab = arr ? null : /^\[\s*([^\]]+?)\s*\]/.exec(t);
    if (arr || tab) {
      const current = (arr ?? tab)![1]!.replace(/\s+/g, '');
      let idx: number | undefined;
      if (arr) {
        idx = count.get(current) ?? 0;
        count.set(current, idx + 1);
      }
      inTarget = current === tableName && (wantIndex === undefined || idx === wantIndex);
      if (inTarget) header = i + 1;
      continue;
    }
    if (inTarget && key !== undefined) {
      const m = /^("?)([A-Za-z0-9_-]+)\1\s*=/.exec(t);
      if (m && m[2] === key) return { key: i + 1, header };
    }
  }
  return { header };
}

// ---------------------------------------------------------------------------------------------
// Checked readers

class Reader {
  constructor(readonly file: string, readonly text: string) {}

  fail(path: readonly PathSeg[], what: string): never {
    throw new ModelError(this.file, pathText(path), locate(this.text, path), what);
  }

  table(v: unknown, path: readonly PathSeg[]): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date) {
      this.fail(path, `expected a table, got ${typeName(v)}`);
    }
    return v as Record<string, unknown>;
  }

  keys(t: Record<string, unknown>, path: readonly PathSeg[], required: string[], optional: string[]): void {
    const known = new Set([...required, ...optional]);
    for (const k of Object.keys(t)) {
      if (!known.has(k)) this.fail([...path, k], `unknown key (known here: ${[...known].join(', ')})`);
    }
    for (const k of required) {
      if (!(k in t)) this.fail(path, `missing key '${k}'`);
    }
  }

  int(v: unknown, path: readonly PathSeg[], min = 0, max = 0xffffffff): number {
    if (typeof v === 'bigint') this.fail(path, `integer ${v} out of range ${min}..${max}`);
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(path, `expected an integer, got ${typeName(v)}`);
    if (v < min || v > max) this.fail(path, `integer ${v} out of range ${min}..${max}`);
    return v;
  }

  big(v: unknown, path: readonly PathSeg[]): bigint {
    if (typeof v === 'bigint' && v >= 0n && v < 1n << 64n) return v;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
    this.fail(path, `expected a 64-bit unsigned integer, got ${typeName(v)}`);
  }

  str(v: unknown, path: readonly PathSeg[]): string {
    if (typeof v !== 'string') this.fail(path, `expected a string, got ${typeName(v)}`);
    return v;
  }

  bool(v: unknown, path: readonly PathSeg[]): boolean {
    if (typeof v !== 'boolean') this.fail(path, `expected a boolean, got ${typeName(v)}`);
    return v;
  }

  strs(v: unknown, path: readonly PathSeg[]): string[] {
    if (!Array.isArray(v)) this.fail(path, `expected a list of strings, got ${typeName(v)}`);
    return v.map((x, i) => this.str(x, [...path, i]));
  }

  arrayOfTables(v: unknown, path: readonly PathSeg[]): Record<string, unknown>[] {
    if (!Array.isArray(v)) this.fail(path, `expected an array of tables ([[${pathText(path)}]]), got ${typeName(v)}`);
    return v.map((x, i) => this.table(x, [...path, i]));
  }
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `integer ${v}`;
  if (typeof v === 'object') return 'a table';
  return `${typeof v} ${JSON.stringify(v)}`;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

// ---------------------------------------------------------------------------------------------

export function parseModel(text: string, file: string): CpuModel {
  let doc: Record<string, unknown>;
  try {
    doc = TOML.parse(text) as Record<string, unknown>;
  } catch (e) {
    const err = e as { line?: number; message?: string };
    const line = typeof err.line === 'number' ? err.line + 1 : undefined;
    const first = String(err.message ?? e).split('\n')[0];
    throw new ModelError(file, '', line, `TOML syntax error: ${first}`);
  }
  const r: Reader = new Reader(file, text);
  r.keys(doc, [], [
    'name', 'vendor', 'brand', 'family', 'model', 'stepping', 'max_basic_leaf', 'max_extended_leaf',
    'linear_address_bits', 'physical_address_bits', 'mxcsr_mask', 'xsave', 'leaf',
  ], []);

  const name = r.str(doc.name, ['name']);
  const base = basename(file).replace(/\.toml$/, '');
  if (name !== base) r.fail(['name'], `'${name}' differs from the file name '${base}'`);
  const vendorString = r.str(doc.vendor, ['vendor']);
  if (vendorString.length !== 12) r.fail(['vendor'], `vendor string must be 12 characters`);
  const vendor = vendorString === 'GenuineIntel' ? 'intel' : vendorString === 'AuthenticAMD' ? 'amd' : undefined;
  if (!vendor) r.fail(['vendor'], `unsupported vendor '${vendorString}' (GenuineIntel or AuthenticAMD)`);
  const brand = r.str(doc.brand, ['brand']);
  if (brand.length > 47) r.fail(['brand'], 'brand string longer than 47 characters');
  const family = r.int(doc.family, ['family'], 0, 0xff + 0xf);
  const model = r.int(doc.model, ['model'], 0, 0xff);
  const stepping = r.int(doc.stepping, ['stepping'], 0, 0xf);
  const maxBasicLeaf = r.int(doc.max_basic_leaf, ['max_basic_leaf'], 0xd, 0x7fffffff);
  const maxExtendedLeaf = r.int(doc.max_extended_leaf, ['max_extended_leaf'], 0x80000008, 0x8fffffff);
  const linearAddressBits = r.int(doc.linear_address_bits, ['linear_address_bits'], 32, 64);
  const physicalAddressBits = r.int(doc.physical_address_bits, ['physical_address_bits'], 32, 52);
  const mxcsrMask = r.int(doc.mxcsr_mask, ['mxcsr_mask']);

  // --- [xsave]
  const xs = r.table(doc.xsave, ['xsave']);
  r.keys(xs, ['xsave'], ['xcr0_supported', 'xss_supported', 'features', 'component'], []);
  const xcr0Supported = r.big(xs.xcr0_supported, ['xsave', 'xcr0_supported']);
  const xssSupported = r.big(xs.xss_supported, ['xsave', 'xss_supported']);
  if ((xcr0Supported & 3n) !== 3n) r.fail(['xsave', 'xcr0_supported'], 'bits 0 and 1 (x87, SSE) must be set');
  if ((xcr0Supported & xssSupported) !== 0n) r.fail(['xsave', 'xss_supported'], 'overlaps xcr0_supported');
  let leafD1Eax = 0;
  r.strs(xs.features, ['xsave', 'features']).forEach((n, i) => {
    const f = findFeature(n, 0xd, 1, 'eax');
    if (!f) r.fail(['xsave', 'features', i], `'${n}' is not a CPUID.(0DH,1):EAX feature in features.ts`);
    leafD1Eax |= 1 << f.bit;
  });
  const components: XstateComponent[] = r.arrayOfTables(xs.component, ['xsave', 'component']).map((c, i) => {
    const p: PathSeg[] = ['xsave', 'component', i];
    r.keys(c, p, ['index', 'name', 'size', 'offset', 'supervisor', 'align64', 'xfd'], []);
    const comp: XstateComponent = Object.freeze({
      index: r.int(c.index, [...p, 'index'], 2, 62),
      name: r.str(c.name, [...p, 'name']),
      size: r.int(c.size, [...p, 'size'], 1, 0x100000),
      offset: r.int(c.offset, [...p, 'offset'], 0, 0x100000),
      supervisor: r.bool(c.supervisor, [...p, 'supervisor']),
      align64: r.bool(c.align64, [...p, 'align64']),
      xfd: r.bool(c.xfd, [...p, 'xfd']),
    });
    const bit = 1n << BigInt(comp.index);
    const inMask = comp.supervisor ? xssSupported : xcr0Supported;
    if ((inMask & bit) === 0n) {
      r.fail([...p, 'index'], `component ${comp.index} is not in ${comp.supervisor ? 'xss' : 'xcr0'}_supported`);
    }
    if (comp.supervisor && comp.offset !== 0) r.fail([...p, 'offset'], 'supervisor components have offset 0');
    if (!comp.supervisor && comp.offset < 576) r.fail([...p, 'offset'], 'user components start at 576 or later');
    return comp;
  });
  components.sort((a, b) => a.index - b.index);
  for (let i = 1; i < components.length; i++) {
    if (components[i]!.index === components[i - 1]!.index) {
      r.fail(['xsave', 'component'], `component ${components[i]!.index} listed twice`);
    }
  }
  for (let i = 2; i < 63; i++) {
    const bit = 1n << BigInt(i);
    if (((xcr0Supported | xssSupported) & bit) !== 0n && !components.some((c) => c.index === i)) {
      r.fail(['xsave', 'component'], `component ${i} is supported but has no [[xsave.component]]`);
    }
  }

  // --- [[leaf]]
  const leaves = new Map<string, CpuidRegs>();
  const subleafLeaves = new Set<number>();
  const plainLeaves = new Set<number>();
  r.arrayOfTables(doc.leaf, ['leaf']).forEach((l, i) => {
    const p: PathSeg[] = ['leaf', i];
    r.keys(l, p, ['leaf'], ['subleaf', ...REGS]);
    const leaf = r.int(l.leaf, [...p, 'leaf']);
    if (GENERATED_LEAVES.has(leaf)) r.fail([...p, 'leaf'], `leaf ${hex(leaf)} is generated by cpuid.ts, not listed`);
    const inBasic = leaf <= maxBasicLeaf;
    const inExt = leaf >= 0x80000000 && leaf <= maxExtendedLeaf;
    if (!inBasic && !inExt) r.fail([...p, 'leaf'], `leaf ${hex(leaf)} is above the maximum leaf`);
    const hasSub = 'subleaf' in l;
    const subleaf = hasSub ? r.int(l.subleaf, [...p, 'subleaf']) : 0;
    if (hasSub) subleafLeaves.add(leaf);
    else plainLeaves.add(leaf);
    if (subleafLeaves.has(leaf) && plainLeaves.has(leaf)) {
      r.fail([...p, 'subleaf'], `leaf ${hex(leaf)} is listed both with and without a sub-leaf`);
    }
    const key = hasSub ? `${leaf}.${subleaf}` : `${leaf}`;
    if (leaves.has(key)) r.fail([...p, 'leaf'], `leaf ${hex(leaf)}${hasSub ? `.${subleaf}` : ''} listed twice`);
    const regs = REGS.map((reg) => {
      const v = l[reg];
      const rp: PathSeg[] = [...p, reg];
      if (v === undefined) return 0;
      let value: number;
      if (Array.isArray(v)) {
        value = 0;
        r.strs(v, rp).forEach((n, j) => {
          const f = findFeature(n, leaf, subleaf, reg);
          if (!f) r.fail([...rp, j], `'${n}' is not a feature of CPUID.(${hex(leaf)},${subleaf}):${reg.toUpperCase()} in features.ts`);
          value = (value | (1 << f.bit)) >>> 0;
        });
      } else {
        value = r.int(v, rp);
      }
      if (FEATURE_REGS.has(`${leaf}.${subleaf}.${reg}`)) {
        let named = 0;
        for (const f of FEATURES) if (f.leaf === leaf && f.subleaf === subleaf && f.reg === reg) named |= 1 << f.bit;
        const unnamed = (value & ~named) >>> 0;
        if (unnamed) r.fail(rp, `bits ${hex(unnamed)} have no name in features.ts`);
      }
      return value >>> 0;
    }) as CpuidRegs;
    leaves.set(key, Object.freeze(regs) as CpuidRegs);
  });
  const l1 = leaves.get('1');
  if (!l1) r.fail(['leaf'], 'leaf 0x1 is missing');
  const sig = signature(family, model, stepping);
  if (l1[0] !== sig) {
    const idx = (doc.leaf as Record<string, unknown>[]).findIndex((l) => l.leaf === 1);
    r.fail(['leaf', idx, 'eax'], `${hex(l1[0])} does not match family/model/stepping (${hex(sig)})`);
  }

  return Object.freeze({
    name,
    file,
    vendorString,
    vendor,
    brand,
    family,
    model,
    stepping,
    maxBasicLeaf,
    maxExtendedLeaf,
    linearAddressBits,
    physicalAddressBits,
    mxcsrMask,
    xsave: Object.freeze({ xcr0Supported, xssSupported, components: Object.freeze(components), leafD1Eax }),
    leaves,
    subleafLeaves,
  });
}

export function loadModelFile(path: string): CpuModel {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ModelError(file, '', undefined, `cannot read: ${(e as Error).message}`);
  }
  return parseModel(text, file);
}

/** Known model names: the .toml files next to this module. */
export function listModels(): string[] {
  return readdirSync(MODELS_DIR)
    .filter((f) => f.endsWith('.toml'))
    .map((f) => f.slice(0, -5))
    .sort();
}

const cache = new Map<string, CpuModel>();

/** Load (once) the model `name`; throws listing the known names when there is no such model. */
export function loadModel(name: string = DEFAULT_MODEL): CpuModel {
  const hit = cache.get(name);
  if (hit) return hit;
  const known = listModels();
  if (!known.includes(name)) {
    throw new Error(`unknown CPU model '${name}'; known models: ${known.join(', ')}`);
  }
  const m = loadModelFile(join(MODELS_DIR, `${name}.toml`));
  cache.set(name, m);
  return m;
}
