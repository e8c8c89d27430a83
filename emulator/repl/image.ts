/**
 * What the REPL and `boot --gdb` debug: an image booted exactly like
 * `x86emu boot` does it (ELF, raw with --load-addr, or a manifest), plus
 * what the debugger knows about it: symbols, the assembler's source map and
 * struct layouts when a manifest's build module produced it.
 */
import { Machine, type MachineOptions } from '../machine.ts';
import { bootImage } from '../boot/loader.ts';
import { resolveTarget, type TargetOptions } from '../image/target.ts';
export { collectStructs } from '../image/build.ts';
import { readElf, ElfError } from '../../guest-kernel/asm/elf-reader.ts';
import type { AnyStruct } from '../../guest-kernel/asm/struct.ts';
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

export type { TargetOptions };

export async function loadTarget(target: string, o: TargetOptions): Promise<DebugTarget> {
  const t = await resolveTarget(target, o, true);
  const { image, link, structs, rawLoadAddress: rawLoad } = t;
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
  const mopts: MachineOptions = { cpu: t.cpu, smp: t.smp, memSize: t.memSize, consoleIn: t.consoleIn };
  const img = image;
  return {
    path: target,
    boot(consoleOut) {
      const m = new Machine({ ...mopts, consoleOut });
      bootImage(m, img, { cmdline: t.cmdline, modules: t.modules, rawLoadAddress: rawLoad });
      return m;
    },
    symbols: new Symbols(syms, source),
    structs,
    hasSource: source.length > 0,
    entry,
  };
}
