// What a section holds between building and linking.
import type { Extras } from './build.ts';
import type { CodeDesc } from './codes.ts';
import type { POp } from './match.ts';
import type { Label, Operand } from './operands.ts';
import type { Site } from './site.ts';

export type SectionFlags = 'r--' | 'rw-' | 'r-x' | 'rwx';

export interface Sized { d: CodeDesc; length: number }

export type Item =
  /** an instruction whose Code is fixed */
  | { t: 'ins'; mn: string; d: CodeDesc; ops: POp[]; x: Extras; len: number; site: Site; src: readonly Operand[] }
  /** a branch to a label: rel8 while it reaches, rel32 once it does not (never shrinks back) */
  | { t: 'br'; mn: string; short?: Sized; near?: Sized; ops: POp[]; x: Extras; useNear: boolean; site: Site; src: readonly Operand[] }
  | { t: 'bytes'; data: Uint8Array; site: Site }
  /** the address of a label as 4- or 8-byte little-endian data */
  | { t: 'addr'; width: 4 | 8; label: Label; addend: bigint; site: Site }
  | { t: 'align'; n: number; fill: number; site: Site }
  /** `n` bytes of `fill` (in a nobits section: memory only) */
  | { t: 'space'; n: number; fill: number; site: Site }
  | { t: 'label'; label: Label };

export interface SectionOptions {
  /** fixed load address; otherwise page-aligned after the previous section */
  addr?: bigint;
  /** maximum size in bytes; exceeding it is a link-time error naming the item */
  limit?: number;
  flags?: SectionFlags;
  /** no file bytes (like .bss): only labels, align and zero space */
  nobits?: boolean;
  /** alignment of the start address when laid out automatically (default 4096) */
  align?: number;
}

export interface SectionState {
  name: string;
  flags: SectionFlags;
  nobits: boolean;
  addr?: bigint;
  limit?: number;
  align: number;
  items: Item[];
}

export const STANDARD_SECTIONS: Record<string, { flags: SectionFlags; nobits: boolean }> = {
  text: { flags: 'r-x', nobits: false },
  rodata: { flags: 'r--', nobits: false },
  data: { flags: 'rw-', nobits: false },
  bss: { flags: 'rw-', nobits: true },
};

export interface LinkedSection {
  name: string;
  addr: bigint;
  /** file contents (empty for nobits sections) */
  bytes: Uint8Array;
  flags: SectionFlags;
  /** size in memory (= bytes.length unless nobits) */
  memSize: number;
  nobits: boolean;
}

export interface SymbolInfo {
  /** qualified name: local labels as `parent.local` */
  name: string;
  addr: bigint;
  size: number;
  section: string;
  kind: 'func' | 'object';
  binding: 'global' | 'local';
}

export interface SourceMapEntry {
  addr: bigint;
  length: number;
  /** `file:line` of the builder call that emitted the instruction */
  site: string;
  /** the instruction as the builder was given it */
  text: string;
}

export interface LinkResult {
  sections: LinkedSection[];
  symbols: SymbolInfo[];
  sourceMap: SourceMapEntry[];
  entry: bigint;
}
