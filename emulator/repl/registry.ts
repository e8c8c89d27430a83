/**
 * The REPL's command and view registry. Commands are registered, not
 * hard-wired, so an extension (AMX tiles, UINTR, the guest kernel's programs)
 * contributes its own from its module, at import time:
 *
 *   import { defineCommand, defineInfoView, defineXstateDecoder } from '../../emulator/repl/registry.ts';
 *   defineCommand({
 *     name: 'tiles', aliases: ['tmm'], owner: 'amx',
 *     summary: 'show the AMX tile registers',
 *     help: 'tiles [N]   TILECFG and tmm0-7 (or tmmN) of the selected vCPU',
 *     complete: (partial) => ['0', '1', ...].filter((s) => s.startsWith(partial)),
 *     run: (args, ctx) => ({ text: '...', data: { ... } }),
 *   });
 *   defineInfoView({ name: 'uintr', summary: '...', run: (args, ctx) => '...' });   // `info uintr`
 *   defineXstateDecoder(17, (bytes, ctx) => ['tilecfg: ...']);                       // xstate / xsave ADDR
 *
 * A handler returns text, `{ text, data }` (data is what `--json` prints), or
 * nothing; it may be async. It reports bad input by throwing `ReplError`
 * (one line, the session goes on). `ctx` gives the debugger session (machine,
 * selected vCPU, symbols, memory helpers) and the expression evaluator.
 */
import type { Session } from './session.ts';
import type { Cpu } from '../cpu/cpu.ts';

export class ReplError extends Error {}

export type CommandOutput = string | { text: string; data?: unknown } | void | undefined;

export interface CommandContext {
  readonly session: Session;
  /** The selected vCPU. */
  readonly cpu: Cpu;
  /** Text after the command name (and after `/FMT`), untrimmed of inner spaces. */
  readonly raw: string;
  /** The `/FMT` suffix of the command word (`x/16xb` → `16xb`), or ''. */
  readonly fmt: string;
  /** True when the REPL prints JSON. */
  readonly json: boolean;
  /** Evaluates an address/value expression for the selected vCPU (registers, symbols, memory). */
  evaluate(expr: string): bigint;
  /** Evaluates an address expression to a linear address (signed number). */
  address(expr: string): number;
  /** Extra lines printed before the command's own output (e.g. guest console). */
  note(line: string): void;
  /** The registry itself (help, completion). */
  readonly registry: CommandRegistry;
}

export interface CommandDef {
  name: string;
  aliases?: string[];
  /** One line for `help`. */
  summary: string;
  /** Usage and details for `help NAME`. */
  help?: string;
  /** Who contributed it ('core' for built-ins). */
  owner?: string;
  /** Candidates for the argument being typed (`args` are the complete ones before it). */
  complete?: (partial: string, args: string[], ctx: { session: Session }) => string[];
  run(args: string[], ctx: CommandContext): CommandOutput | Promise<CommandOutput>;
}

export interface InfoViewDef {
  name: string;
  summary: string;
  owner?: string;
  run(args: string[], ctx: CommandContext): CommandOutput | Promise<CommandOutput>;
}

/** Decodes one XSAVE component's bytes (standard/compacted layouts are the caller's business). */
export type XstateDecoder = (bytes: Uint8Array, ctx: { session: Session; index: number }) => string[];

export class CommandRegistry {
  private readonly cmds = new Map<string, CommandDef>();
  private readonly names = new Map<string, CommandDef>();
  readonly infoViews = new Map<string, InfoViewDef>();
  readonly xstateDecoders = new Map<number, XstateDecoder>();

  register(def: CommandDef): void {
    for (const n of [def.name, ...(def.aliases ?? [])]) {
      const prev = this.names.get(n);
      if (prev) throw new Error(`REPL command '${n}' registered by both '${prev.owner ?? prev.name}' and '${def.owner ?? def.name}'`);
    }
    this.cmds.set(def.name, def);
    for (const n of [def.name, ...(def.aliases ?? [])]) this.names.set(n, def);
  }

  registerInfo(def: InfoViewDef): void {
    if (this.infoViews.has(def.name)) throw new Error(`REPL view 'info ${def.name}' registered twice`);
    this.infoViews.set(def.name, def);
  }

  registerXstateDecoder(index: number, fn: XstateDecoder): void {
    if (this.xstateDecoders.has(index)) throw new Error(`XSAVE component ${index} decoder registered twice`);
    this.xstateDecoders.set(index, fn);
  }

  /** By name or alias; a unique prefix of a command name also matches (like gdb). */
  get(name: string): CommandDef | undefined {
    const exact = this.names.get(name);
    if (exact) return exact;
    const hits = [...this.cmds.keys()].filter((n) => n.startsWith(name));
    return hits.length === 1 ? this.cmds.get(hits[0]) : undefined;
  }

  all(): CommandDef[] {
    return [...this.cmds.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every name and alias (completion). */
  allNames(): string[] {
    return [...this.names.keys()].sort();
  }
}

/** The process-wide registry the REPL uses (built-ins register into it, extensions too). */
export const REGISTRY = new CommandRegistry();

export function defineCommand(def: CommandDef): void { REGISTRY.register(def); }
export function defineInfoView(def: InfoViewDef): void { REGISTRY.registerInfo(def); }
export function defineXstateDecoder(index: number, fn: XstateDecoder): void { REGISTRY.registerXstateDecoder(index, fn); }
