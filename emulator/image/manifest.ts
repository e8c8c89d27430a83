/**
 * Image manifests (images/*.toml): the machine to boot and what to load.
 *
 *   [machine]  cpu = "sapphire-rapids", vcpus = 1, memory = "256M"
 *   [kernel]   build = "path/to/module.ts" (exports build(): LinkResult)
 *              | elf = "path/to/kernel.elf" | raw = "file.bin" + load_address = 0x200000
 *              cmdline = "..."
 *   [[module]] name = "hello", path = "prog.elf" | build = "prog.ts"
 *
 * Paths are relative to the manifest's folder's parent project root (the
 * folder holding package.json), or absolute. Unknown keys, wrong types and
 * missing files are errors naming the file, the line and the key.
 */
import TOML from '@iarna/toml';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve, isAbsolute } from 'node:path';

export class ManifestError extends Error {}

export interface Manifest {
  file: string;
  root: string;
  machine: { cpu: string; vcpus: number; memory: number };
  kernel: { build?: string; elf?: string; raw?: string; loadAddress?: number; cmdline: string };
  modules: { name: string; path?: string; build?: string }[];
}

/** Parses "256M", "1G", "512K", "4096" into bytes. */
export function parseSize(s: string | number): number {
  if (typeof s === 'number') return s;
  const m = /^(\d+)\s*([KMG]?)(i?B)?$/i.exec(s.trim());
  if (!m) throw new Error(`bad size '${s}' (use e.g. 256M, 1G, 65536)`);
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * mult;
}

function findRoot(from: string): string {
  let d = resolve(from);
  while (true) {
    if (existsSync(resolve(d, 'package.json'))) return d;
    const p = dirname(d);
    if (p === d) return resolve(from);
    d = p;
  }
}

export function loadManifest(file: string): Manifest {
  if (!existsSync(file)) throw new ManifestError(`${file}: no such manifest`);
  const text = readFileSync(file, 'utf8');
  let doc: Record<string, unknown>;
  try {
    doc = TOML.parse(text) as Record<string, unknown>;
  } catch (e) {
    const err = e as { line?: number; message: string };
    throw new ManifestError(`${file}:${err.line !== undefined ? err.line + 1 : '?'}: TOML syntax error: ${err.message.split('\n')[0]}`);
  }
  const lineOf = (key: string) => {
    const last = key.split('.').pop()!.replace(/\[\d+\]$/, '');
    for (const re of [new RegExp(`^\\s*${last}\\s*=`, 'm'), new RegExp(`^\\s*\\[\\[?${last}\\]`, 'm')]) {
      const idx = text.search(re);
      if (idx >= 0) return String(text.slice(0, idx).split('\n').length);
    }
    return '?';
  };
  const fail = (key: string, what: string): never => { throw new ManifestError(`${file}:${lineOf(key)}: ${key}: ${what}`); };
  const root = findRoot(dirname(resolve(file)));
  const path = (key: string, v: unknown) => {
    if (typeof v !== 'string') return fail(key, 'must be a string path');
    const p = isAbsolute(v) ? v : resolve(root, v);
    if (!existsSync(p)) fail(key, `file not found: ${p}`);
    return p;
  };
  const table = (key: string, allowed: string[]) => {
    const t = (doc[key] ?? {}) as Record<string, unknown>;
    if (typeof t !== 'object' || Array.isArray(t)) fail(key, 'must be a table');
    for (const k of Object.keys(t)) if (!allowed.includes(k)) fail(`${key}.${k}`, `unknown key (allowed: ${allowed.join(', ')})`);
    return t;
  };
  for (const k of Object.keys(doc)) if (!['machine', 'kernel', 'module'].includes(k)) fail(k, 'unknown key (allowed: machine, kernel, module)');
  const mt = table('machine', ['cpu', 'vcpus', 'memory']);
  const kt = table('kernel', ['build', 'elf', 'raw', 'load_address', 'cmdline']);
  if (mt.cpu !== undefined && typeof mt.cpu !== 'string') fail('machine.cpu', 'must be a string');
  if (mt.vcpus !== undefined && (typeof mt.vcpus !== 'number' || !Number.isInteger(mt.vcpus) || mt.vcpus < 1 || mt.vcpus > 64)) fail('machine.vcpus', 'must be an integer 1..64');
  let memory = 256 * 1024 * 1024;
  if (mt.memory !== undefined) {
    if (typeof mt.memory !== 'string' && typeof mt.memory !== 'number') fail('machine.memory', 'must be a size like "256M"');
    try { memory = parseSize(mt.memory as string); } catch (e) { fail('machine.memory', (e as Error).message); }
  }
  const sources = ['build', 'elf', 'raw'].filter((k) => kt[k] !== undefined);
  if (sources.length !== 1) fail('kernel', 'needs exactly one of build, elf, raw');
  if (kt.raw !== undefined && typeof kt.load_address !== 'number') fail('kernel.load_address', 'required (an integer) with kernel.raw');
  if (kt.cmdline !== undefined && typeof kt.cmdline !== 'string') fail('kernel.cmdline', 'must be a string');
  const mods = doc.module ?? [];
  if (!Array.isArray(mods)) fail('module', 'must be an array of tables ([[module]])');
  const modules = (mods as Record<string, unknown>[]).map((mo, k) => {
    for (const key of Object.keys(mo)) if (!['name', 'path', 'build'].includes(key)) fail(`module[${k}].${key}`, 'unknown key (allowed: name, path, build)');
    if (typeof mo.name !== 'string') fail(`module[${k}].name`, 'must be a string');
    if ((mo.path === undefined) === (mo.build === undefined)) fail(`module[${k}]`, 'needs exactly one of path, build');
    return {
      name: mo.name as string,
      path: mo.path !== undefined ? path(`module[${k}].path`, mo.path) : undefined,
      build: mo.build !== undefined ? path(`module[${k}].build`, mo.build) : undefined,
    };
  });
  return {
    file, root,
    machine: { cpu: (mt.cpu as string) ?? 'sapphire-rapids', vcpus: (mt.vcpus as number) ?? 1, memory },
    kernel: {
      build: kt.build !== undefined ? path('kernel.build', kt.build) : undefined,
      elf: kt.elf !== undefined ? path('kernel.elf', kt.elf) : undefined,
      raw: kt.raw !== undefined ? path('kernel.raw', kt.raw) : undefined,
      loadAddress: kt.load_address as number | undefined,
      cmdline: (kt.cmdline as string) ?? '',
    },
    modules,
  };
}
