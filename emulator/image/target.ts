/**
 * Resolves what `x86emu boot`, `repl` and `boot --gdb` are asked to run — an
 * ELF64 image, a raw binary with a load address, or a manifest — together with
 * the command-line overrides, into one description a machine is built from.
 */
import { readFileSync, existsSync } from 'node:fs';
import { loadManifest, parseSize } from './manifest.ts';
import { buildImage, runBuildModule } from './build.ts';
import { intOpt, UsageError } from '../cli/args.ts';
import type { BootModule } from '../boot/loader.ts';
import type { LinkResult } from '../../guest-kernel/asm/items.ts';
import type { AnyStruct } from '../../guest-kernel/asm/struct.ts';

/** Command-line overrides, as strings (validated here). */
export interface TargetOptions {
  cpu?: string; smp?: string; mem?: string; cmdline?: string; input?: string; loadAddr?: string;
}

export interface BootTarget {
  image: Uint8Array;
  modules: BootModule[];
  cpu?: string;
  smp: number;
  memSize?: number;
  cmdline?: string;
  rawLoadAddress?: number;
  consoleIn?: Uint8Array;
  /** The assembler's output, when a build module was run in this process (debuggers want it). */
  link?: LinkResult;
  structs: Map<string, AnyStruct>;
}

/**
 * `inProcess`: run build modules now to keep their LinkResult and structs
 * (the REPL); otherwise use the cached build in build/ (boot).
 */
export async function resolveTarget(target: string, o: TargetOptions, inProcess = false): Promise<BootTarget> {
  if (!existsSync(target)) throw new UsageError(`${target}: no such file`);
  let image: Uint8Array;
  let cpu = o.cpu, smp = o.smp, memSize: number | undefined, cmdline = o.cmdline;
  let rawLoadAddress = o.loadAddr !== undefined ? intOpt(o.loadAddr, 'load-addr', 0, 2 ** 40, 0) : undefined;
  let modules: BootModule[] = [];
  let link: LinkResult | undefined;
  let structs = new Map<string, AnyStruct>();
  if (target.endsWith('.toml')) {
    const mf = loadManifest(target);
    if (inProcess) {
      if (mf.kernel.build) {
        const b = await runBuildModule(mf.kernel.build);
        image = b.elf; link = b.link; structs = b.structs;
      } else image = new Uint8Array(readFileSync((mf.kernel.elf ?? mf.kernel.raw)!));
      for (const md of mf.modules) {
        modules.push({ name: md.name, data: md.path ? new Uint8Array(readFileSync(md.path)) : (await runBuildModule(md.build!)).elf });
      }
    } else {
      const built = await buildImage(mf);
      image = built.kernel;
      modules = built.modules;
    }
    cpu ??= mf.machine.cpu;
    smp ??= String(mf.machine.vcpus);
    memSize = mf.machine.memory;
    cmdline ??= mf.kernel.cmdline;
    if (mf.kernel.raw) rawLoadAddress = mf.kernel.loadAddress;
  } else {
    image = new Uint8Array(readFileSync(target));
  }
  if (o.mem !== undefined) {
    try { memSize = parseSize(o.mem); } catch (e) { throw new UsageError(`--mem: ${(e as Error).message}`); }
    if (memSize % 4096 !== 0 || memSize < 2 * 1024 * 1024 || memSize > 16 * 1024 ** 3) throw new UsageError('--mem must be a multiple of 4 KiB between 2M and 16G');
  }
  let consoleIn: Uint8Array | undefined;
  if (o.input !== undefined) {
    if (o.input === '-') consoleIn = new Uint8Array(readFileSync(0));
    else if (!existsSync(o.input)) throw new UsageError(`--input ${o.input}: no such file`);
    else consoleIn = new Uint8Array(readFileSync(o.input));
  }
  return { image, modules, cpu, smp: intOpt(smp, 'smp', 1, 64, 1), memSize, cmdline, rawLoadAddress, consoleIn, link, structs };
}
