/**
 * What the REPL and `boot --gdb` debug: an image booted exactly like
 * `x86emu boot` does it (ELF, raw with --load-addr, or a manifest), plus
 * what the debugger knows about it: symbols, the assembler's source map and
 * struct layouts when a manifest's build module produced it.
 */
import { readFileSync, existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Machine, type MachineOptions } from '../machine.ts';
import { bootImage, type BootModule } from '../boot/loader.ts';
import { loadManifest, parseSize } from '../image/manifest.ts';
import { readElf, ElfError } from '../../guest-kernel/asm/elf-reader.ts';
import { writeElf } from '../../guest-kernel/asm/elf-writer.ts';
import type { LinkResult } from '../../guest-kernel/asm/items.ts';
import type { AnyStruct } from '../../guest-kernel/asm/struct.ts';
import { intOpt, UsageError } from '../cli/args.ts';
import { Symbols, type Sym, type SourceLoc } from './symbols.ts';

export interface DebugTarget {
  /** What was named on the command line. */
  path: string;
  /** Boots a fresh machine (for `run` after an exit, too). */
  boot(consoleOut: (b: number) => void): Machine;
  symbols: Symbols;
  structs: Map<string, AnyStruct>;
  /** True when the source map came from the assembler's LinkResult. */
  hasSource: boolean;
  entry: number;
}

export interface TargetOptions {
  cpu?: string; smp?: string; mem?: string; cmdline?: string; input?: string; loadAddr?: string;
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

async function buildModule(src: string): Promise<{ elf: Uint8Array; link?: LinkResult; structs: Map<string, AnyStruct> }> {
  const mod = await import(pathToFileURL(src).href);
  if (typeof mod.build !== 'function') throw new UsageError(`${src} does not export build()`);
  const out = await mod.build();
  const structs = collectStructs(mod.structs);
  if (out instanceof Uint8Array) return { elf: out, structs };
  if (!isLinkResult(out)) throw new UsageError(`${src}: build() returned neither bytes nor a LinkResult`);
  return { elf: writeElf(out), link: out, structs };
}

export async function loadTarget(target: string, o: TargetOptions): Promise<DebugTarget> {
  if (!existsSync(target)) throw new UsageError(`${target}: no such file`);
  let image: Uint8Array;
  let cpu = o.cpu, smp = o.smp, memSize: number | undefined, cmdline = o.cmdline;
  let rawLoad = o.loadAddr !== undefined ? intOpt(o.loadAddr, 'load-addr', 0, 2 ** 40, 0) : undefined;
  let modules: BootModule[] = [];
  let link: LinkResult | undefined;
  let structs = new Map<string, AnyStruct>();
  if (target.endsWith('.toml')) {
    const mf = loadManifest(target);
    if (mf.kernel.build) {
      const b = await buildModule(mf.kernel.build);
      image = b.elf; link = b.link; structs = b.structs;
    } else image = new Uint8Array(readFileSync((mf.kernel.elf ?? mf.kernel.raw)!));
    for (const md of mf.modules) {
      if (md.path) modules.push({ name: md.name, data: new Uint8Array(readFileSync(md.path)) });
      else modules.push({ name: md.name, data: (await buildModule(md.build!)).elf });
    }
    cpu ??= mf.machine.cpu;
    smp ??= String(mf.machine.vcpus);
    memSize = mf.machine.memory;
    cmdline ??= mf.kernel.cmdline;
    if (mf.kernel.raw) rawLoad = mf.kernel.loadAddress;
  } else {
    image = new Uint8Array(readFileSync(target));
  }
  if (o.mem !== undefined) {
    try { memSize = parseSize(o.mem); } catch (e) { throw new UsageError(`--mem: ${(e as Error).message}`); }
    if (memSize % 4096 !== 0 || memSize < 2 * 1024 * 1024 || memSize > 16 * 1024 ** 3) throw new UsageError('--mem must be a multiple of 4 KiB between 2M and 16G');
  }
  let input: Uint8Array | undefined;
  if (o.input !== undefined) {
    if (!existsSync(o.input)) throw new UsageError(`--input ${o.input}: no such file`);
    input = new Uint8Array(readFileSync(o.input));
  }
  // Symbols: the LinkResult's when we built it, else the ELF's.
  const syms: Sym[] = [];
  const source: SourceLoc[] = [];
  let entry = rawLoad ?? 0;
  if (link) {
    for (const s of link.symbols) syms.push({ name: s.name, addr: Number(s.addr), size: s.size, local: s.binding === 'local' });
    for (const e of link.sourceMap) source.push({ addr: Number(e.addr), length: e.length, site: e.site, text: e.text });
    entry = Number(link.entry);
  } else if (rawLoad === undefined) {
    try {
      const elf = readElf(image);
      for (const s of elf.symbols) if (s.name && s.type !== 'section' && s.type !== 'file') syms.push({ name: s.name, addr: Number(s.value), size: Number(s.size), local: s.bind === 'local' });
      entry = Number(elf.entry);
    } catch (e) {
      if (!(e instanceof ElfError)) throw e; // bootImage reports it
    }
  }
  const nSmp = intOpt(smp, 'smp', 1, 64, 1);
  const mopts: MachineOptions = { cpu, smp: nSmp, memSize, consoleIn: input };
  const img = image;
  return {
    path: target,
    boot(consoleOut) {
      const m = new Machine({ ...mopts, consoleOut });
      bootImage(m, img, { cmdline, modules, rawLoadAddress: rawLoad });
      return m;
    },
    symbols: new Symbols(syms, source),
    structs,
    hasSource: source.length > 0,
    entry,
  };
}
