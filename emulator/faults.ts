/**
 * Architectural exceptions raised by instruction handlers.
 *
 * `X86Fault` is deliberately not an `Error`: no stack is captured per fault, so
 * throwing one on a hot path (a #PF taken by a guest kernel on demand paging)
 * costs little. `step()` catches it; RIP still points at the faulting
 * instruction because handlers commit nothing before their last check.
 */
export class X86Fault {
  constructor(
    /** Exception vector 0..31. */
    readonly vector: number,
    /** Error code, or -1 when the vector pushes none. */
    readonly errorCode: number,
    /** Why: printed by traces, the REPL and the conformance runner. */
    readonly reason: string,
    /** For #PF: the faulting linear address, loaded into CR2 at delivery. */
    readonly addr = 0,
  ) {}
  toString(): string {
    const ec = this.errorCode >= 0 ? `(0x${this.errorCode.toString(16)})` : '';
    return `${VECTOR_NAMES[this.vector] ?? `#${this.vector}`}${ec}: ${this.reason}`;
  }
}

export const DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8,
  TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, MC = 18, XM = 19, CP = 21;

export const VECTOR_NAMES: Record<number, string> = {
  0: '#DE', 1: '#DB', 2: 'NMI', 3: '#BP', 4: '#OF', 5: '#BR', 6: '#UD', 7: '#NM', 8: '#DF',
  10: '#TS', 11: '#NP', 12: '#SS', 13: '#GP', 14: '#PF', 16: '#MF', 17: '#AC', 18: '#MC',
  19: '#XM', 20: '#VE', 21: '#CP',
};

/** Vectors that push an error code in 64-bit mode. */
export const HAS_ERROR_CODE = new Set([8, 10, 11, 12, 13, 14, 17, 21]);

export const ud = (reason: string) => new X86Fault(UD, -1, reason);
export const gp = (reason: string, code = 0) => new X86Fault(GP, code, reason);
export const nm = (reason: string) => new X86Fault(NM, -1, reason);
export const ss = (reason: string, code = 0) => new X86Fault(SS, code, reason);
export const de = (reason: string) => new X86Fault(DE, -1, reason);
export const mf = (reason: string) => new X86Fault(MF, -1, reason);
export const xm = (reason: string) => new X86Fault(XM, -1, reason);
