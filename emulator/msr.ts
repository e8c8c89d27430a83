/**
 * The MSR registry: `{index, name, read, write}` definitions, registered by
 * the core and by extensions. `write` throws #GP itself (with a reason) when
 * the value is not allowed; RDMSR/WRMSR of an index nobody registered is #GP.
 */
import type { Cpu } from './cpu/cpu.ts';
import { gp } from './faults.ts';

export interface MsrDef {
  index: number;
  name: string;
  read(c: Cpu): bigint;
  write(c: Cpu, v: bigint): void;
  /** Owner (core or an extension's name), for error messages and listings. */
  owner?: string;
}

export class MsrRegistry {
  private readonly defs = new Map<number, MsrDef>();
  private readonly byName = new Map<string, MsrDef>();

  register(def: MsrDef): void {
    const prev = this.defs.get(def.index);
    if (prev) throw new Error(`MSR 0x${def.index.toString(16)} registered by both '${prev.owner ?? prev.name}' and '${def.owner ?? def.name}'`);
    this.defs.set(def.index >>> 0, def);
    this.byName.set(def.name.toUpperCase(), def);
  }

  get(index: number): MsrDef | undefined {
    return this.defs.get(index >>> 0);
  }

  byNameOrIndex(key: string): MsrDef | undefined {
    const n = /^(0x)?[0-9a-f]+$/i.test(key) ? Number(key.startsWith('0x') ? key : `0x${key}`) : NaN;
    return Number.isNaN(n) ? this.byName.get(key.toUpperCase()) : this.get(n);
  }

  read(c: Cpu, index: number): bigint {
    const d = this.get(index);
    if (!d) throw gp(`RDMSR of unknown MSR 0x${(index >>> 0).toString(16)}`);
    return BigInt.asUintN(64, d.read(c));
  }

  write(c: Cpu, index: number, v: bigint): void {
    const d = this.get(index);
    if (!d) throw gp(`WRMSR to unknown MSR 0x${(index >>> 0).toString(16)}`);
    d.write(c, BigInt.asUintN(64, v));
  }

  all(): MsrDef[] {
    return [...this.defs.values()].sort((a, b) => a.index - b.index);
  }
}

/** Signed-number linear address → its 64-bit value. */
export const laToBig = (la: number): bigint => BigInt.asUintN(64, BigInt(la));
/** 64-bit value → signed linear-address number (exact for canonical values). */
export const bigToLa = (v: bigint): number => Number(BigInt.asIntN(64, v));

/** Is `v` canonical for a `bits`-wide linear address? */
export function isCanonical(v: bigint, bits: number): boolean {
  const s = BigInt.asIntN(64, v);
  const lim = 1n << BigInt(bits - 1);
  return s >= -lim && s < lim;
}
