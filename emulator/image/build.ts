/**
 * Builds what a manifest names into build/<manifest name>/ (git ignores it),
 * rebuilding only when a TypeScript source under guest-kernel/ or the
 * manifest is newer than the output.
 */
import { mkdirSync, statSync, writeFileSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeElf } from '../../guest-kernel/asm/elf-writer.ts';
import type { Manifest } from './manifest.ts';
import type { LinkResult } from '../../guest-kernel/asm/items.ts';
import type { AnyStruct } from '../../guest-kernel/asm/struct.ts';

/** A build module that cannot produce an image: a clear one-line error. */
export class BuildError extends Error {}
import type { BootModule } from '../boot/loader.ts';

export interface BuiltImage { kernel: Uint8Array; kernelPath: string; modules: BootModule[]; rebuilt: boolean }

function newestTs(dir: string): number {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestTs(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function isLinkResult(x: unknown): x is LinkResult {
  return typeof x === 'object' && x !== null && Array.isArray((x as LinkResult).sections) && Array.isArray((x as LinkResult).sourceMap);
}

function isStruct(x: unknown): x is AnyStruct {
  return typeof x === 'object' && x !== null && typeof (x as AnyStruct).name === 'string' && typeof (x as AnyStruct).size === 'number' && typeof (x as AnyStruct).fields === 'object';
}

/** Collects `structs` exported by a build module: an array, or a record of defineStruct results. */
export function collectStructs(exp: unknown): Map<string, AnyStruct> {
  const out = new Map<string, AnyStruct>();
  if (!exp) return out;
  const vals = Array.isArray(exp) ? exp : typeof exp === 'object' ? Object.values(exp as object) : [];
  for (const v of vals) if (isStruct(v)) out.set(v.name, v);
  return out;
}

export interface BuiltModule { elf: Uint8Array; link?: LinkResult; structs: Map<string, AnyStruct> }

/** Runs a build module (exports build(): LinkResult | Uint8Array, and optionally `structs`). */
export async function runBuildModule(src: string): Promise<BuiltModule> {
  const mod = await import(pathToFileURL(src).href);
  if (typeof mod.build !== 'function') throw new BuildError(`${src} does not export build()`);
  const out = await mod.build();
  const structs = collectStructs(mod.structs);
  if (out instanceof Uint8Array) return { elf: out, structs };
  if (!isLinkResult(out)) throw new BuildError(`${src}: build() returned neither bytes nor a LinkResult`);
  return { elf: writeElf(out), link: out, structs };
}

async function buildModule(src: string): Promise<Uint8Array> {
  return (await runBuildModule(src)).elf;
}

export async function buildImage(mf: Manifest, force = false): Promise<BuiltImage> {
  const outDir = resolve(mf.root, 'build', basename(mf.file, '.toml'));
  mkdirSync(outDir, { recursive: true });
  const srcTime = Math.max(newestTs(resolve(mf.root, 'guest-kernel')), newestTs(resolve(mf.root, 'emulator/boot')), statSync(mf.file).mtimeMs);
  const stale = (p: string) => force || !existsSync(p) || statSync(p).mtimeMs < srcTime;
  let rebuilt = false;
  let kernelPath: string;
  if (mf.kernel.build) {
    kernelPath = join(outDir, 'kernel.elf');
    if (stale(kernelPath)) { writeFileSync(kernelPath, await buildModule(mf.kernel.build)); rebuilt = true; }
  } else {
    kernelPath = (mf.kernel.elf ?? mf.kernel.raw)!;
  }
  const modules: BootModule[] = [];
  for (const m of mf.modules) {
    if (m.path) { modules.push({ name: m.name, data: new Uint8Array(readFileSync(m.path)) }); continue; }
    const out = join(outDir, `${m.name}.elf`);
    if (stale(out)) { writeFileSync(out, await buildModule(m.build!)); rebuilt = true; }
    modules.push({ name: m.name, data: new Uint8Array(readFileSync(out)) });
  }
  return { kernel: new Uint8Array(readFileSync(kernelPath)), kernelPath, modules, rebuilt };
}
