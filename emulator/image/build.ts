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

async function buildModule(src: string): Promise<Uint8Array> {
  const mod = await import(pathToFileURL(src).href);
  if (typeof mod.build !== 'function') throw new Error(`${src} does not export build()`);
  const out = await mod.build();
  return out instanceof Uint8Array ? out : writeElf(out);
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
