/**
 * The contract between the core machine and the ISA extensions in isa-ext/.
 *
 * An extension is a plain object. The machine installs each one once per
 * process for instructions (the instruction table is global and rejects two
 * owners of one iced Code) and once per machine for MSRs, per-vCPU state and
 * CPUID features.
 */
import type { Cpu } from './cpu/cpu.ts';
import type { MsrDef } from './msr.ts';
import type { Machine } from './machine.ts';

export interface IsaExtension {
  name: string;
  /** CPUID feature names (emulator/models/features.ts) this extension implements. */
  features?: string[];
  /** Registers instructions and gates (called once per process). */
  registerInsns?: () => void;
  /** MSRs, per machine. */
  msrs?: (m: Machine) => MsrDef[];
  /** Per-vCPU state setup and reset (INIT/RESET). */
  reset?: (c: Cpu, m: Machine) => void;
  /**
   * Called when the vCPU accepts a maskable external interrupt `vector` from
   * its APIC; returns true if the extension consumed it (UINTR notification).
   */
  interrupt?: (c: Cpu, vector: number, m: Machine) => boolean;
  /**
   * Checked at instruction boundaries when `cpu.eventPending` is set: delivers
   * an extension event (a user interrupt) and returns true if one was taken.
   */
  pending?: (c: Cpu, m: Machine) => boolean;
}
