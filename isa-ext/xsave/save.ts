/**
 * XSAVE / XSAVE64 (§6), XSAVEOPT / XSAVEOPT64 (§7), XSAVEC / XSAVEC64 (§8),
 * XSAVES / XSAVES64 (§9). Components are up to index 30, so RFBM, XINUSE and
 * XCOMP_BV[62:0] are plain 32-bit numbers (XCR0 and IA32_XSS have no bits
 * above 31 on any model; bits 63:32 of EDX:EAX can only select nothing).
 *
 * What is touched (and probed for write before anything is written): the
 * header bytes the instruction writes (XSAVE/XSAVEOPT: XSTATE_BV, 8 bytes,
 * which they also read first; XSAVEC/XSAVES: XSTATE_BV and XCOMP_BV), MXCSR
 * and MXCSR_MASK when the form writes them, and the bytes of the components
 * it writes. Components skipped by the init or modified optimization are not
 * touched (spec §5 step 6: faults there are implementation-specific).
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import type { Insn } from '../../emulator/cpu/insn.ts';
import { ACC_WRITE } from '../../emulator/memory/mmu.ts';
import { HDR_OFF, MXCSR_OFF, OPT_REXW, ROWS, registeredMask } from './table.ts';
import { areaPa, compPa, probeComponents, spanEnd, ramBuf, write64, writeRow, writeRowInit, type WordBuf } from './area.ts';
import { saveMxcsr } from './legacy.ts';
import { xinuse } from './xinuse.ts';
import { prologue, Need } from './prologue.ts';
import { vcpu, type XsaveVcpu } from './vcpu.ts';

const SSE_MXCSR_INIT = 0x1f80;

/** XCR0 restricted to components this machine can handle (a row is registered). */
export function usableXcr0(c: Cpu, v: XsaveVcpu): number {
  return c.xcr0 & registeredMask() & v.geom.modelMask;
}
export function usableXss(c: Cpu, v: XsaveVcpu): number {
  return c.xss & registeredMask() & v.geom.modelMask;
}

function writeMxcsr(c: Cpu, ram: WordBuf, base: number, la: number): void {
  const pa = compPa(c, base, la, MXCSR_OFF, 8, ACC_WRITE);
  if (pa >= 0) { saveMxcsr(c, ram, pa); return; }
  c.wr32(la + MXCSR_OFF, c.mxcsr);
  c.wr32(la + MXCSR_OFF + 4, vcpu(c).mxcsrMask);
}

/**
 * XSAVE (opt = false) and XSAVEOPT (opt = true): standard format.
 * XSTATE_BV := (old AND NOT RFBM) OR (XINUSE AND RFBM); XFD-disabled
 * components count as not in use (XSAVE writes their initial values,
 * XSAVEOPT writes nothing for them).
 */
export function xsaveStandard(c: Cpu, i: Insn, rexw: boolean, opt: boolean): void {
  const name = opt ? (rexw ? 'XSAVEOPT64' : 'XSAVEOPT') : (rexw ? 'XSAVE64' : 'XSAVE');
  const la = prologue(c, i, opt ? Need.Xsaveopt : Need.None, name);
  const v = vcpu(c);
  const g = v.geom;
  const rfbm = usableXcr0(c, v) & c.R[0];
  // Step 2: the old XSTATE_BV is read even when RFBM = 0.
  const oldLo = c.rd64(la + HDR_OFF), oldHi = c.mhi;
  const xfdOff = rfbm & v.xfd;
  const inuse = xinuse(c, rfbm) & ~xfdOff;
  let toWrite = rfbm;
  if (opt) {
    toWrite = inuse;
    // Modified optimization (§4, §7): the last XRSTOR used this address in the standard form at this CPL.
    if (v.infoValid && !v.infoCompact && v.infoXcomp === 0 && v.infoCpl === c.cpl && v.infoLa === la) toWrite &= c.xmodified;
  }
  const mx = (rfbm & 6) !== 0;
  // Probe every byte to be written (at once when they all lie in one RAM page, area.ts).
  const base = areaPa(c, la, HDR_OFF, spanEnd(g, g.stdOff, toWrite, HDR_OFF + 8), ACC_WRITE);
  let m: number;
  if (base < 0) {
    c.probe(la + HDR_OFF, 8, ACC_WRITE);
    if (toWrite & 1) c.probe(la, 160, ACC_WRITE);
    if (mx) c.probe(la + MXCSR_OFF, 8, ACC_WRITE);
    if (toWrite & 2) c.probe(la + 160, 256, ACC_WRITE);
    probeComponents(c, la, g.stdOff, g.size, toWrite & ~3, ACC_WRITE);
  }
  // Commit.
  const ram = ramBuf(c, v);
  const o = rexw ? OPT_REXW : 0;
  m = toWrite;
  while (m !== 0) {
    const k = 31 - Math.clz32(m);
    m &= ~(1 << k);
    const row = ROWS[k]!;
    const off = g.stdOff[k], len = g.size[k];
    if ((xfdOff >>> k) & 1) writeRowInit(c, row, la + off, len);
    else writeRow(c, ram, row, la + off, compPa(c, base, la, off, len, ACC_WRITE), len, o);
  }
  if (mx) writeMxcsr(c, ram, base, la);
  write64(c, ram, base, la, HDR_OFF, (oldLo & ~rfbm) | inuse, oldHi);
}

/**
 * XSAVEC (supervisor = false) and XSAVES (supervisor = true): compacted format,
 * XCOMP_BV := RFBM | bit 63, XSTATE_BV := XINUSE AND RFBM with SSE counted in
 * use while MXCSR ≠ 1F80H (§8 step 2). Only components in XSTATE_BV are
 * written; every RFBM component keeps its slot. XSAVES may apply the modified
 * optimization (§9) and runs the rows' after-save hooks (UINTR clears UINV).
 */
export function xsaveCompacted(c: Cpu, i: Insn, rexw: boolean, supervisor: boolean): void {
  const name = supervisor ? (rexw ? 'XSAVES64' : 'XSAVES') : (rexw ? 'XSAVEC64' : 'XSAVEC');
  const la = prologue(c, i, supervisor ? Need.Xsaves : Need.Xsavec, name);
  const v = vcpu(c);
  const g = v.geom;
  const xcr0 = usableXcr0(c, v);
  const rfbm = (supervisor ? xcr0 | usableXss(c, v) : xcr0) & c.R[0];
  const lay = g.compacted(rfbm);
  let bv = xinuse(c, rfbm) & ~(rfbm & v.xfd);
  if ((rfbm & 2) && c.mxcsr !== SSE_MXCSR_INIT) bv |= 2;
  let toWrite = bv;
  if (supervisor && v.infoValid && v.infoCompact && v.infoXcomp === rfbm && v.infoCpl === c.cpl && v.infoLa === la) {
    toWrite &= c.xmodified;
  }
  const base = areaPa(c, la, HDR_OFF, spanEnd(g, lay, toWrite, HDR_OFF + 16), ACC_WRITE);
  let m: number;
  if (base < 0) {
    c.probe(la + HDR_OFF, 16, ACC_WRITE);
    if (toWrite & 1) c.probe(la, 160, ACC_WRITE);
    if (toWrite & 2) { c.probe(la + MXCSR_OFF, 8, ACC_WRITE); c.probe(la + 160, 256, ACC_WRITE); }
    probeComponents(c, la, lay, g.size, toWrite & ~3, ACC_WRITE);
  }
  const ram = ramBuf(c, v);
  const o = rexw ? OPT_REXW : 0;
  m = toWrite;
  while (m !== 0) {
    const k = 31 - Math.clz32(m);
    m &= ~(1 << k);
    const off = lay[k], len = g.size[k];
    writeRow(c, ram, ROWS[k]!, la + off, compPa(c, base, la, off, len, ACC_WRITE), len, o);
  }
  if (toWrite & 2) writeMxcsr(c, ram, base, la);
  write64(c, ram, base, la, HDR_OFF, bv, 0);
  write64(c, ram, base, la, HDR_OFF + 8, rfbm, 0x80000000 | 0);
  if (supervisor) {
    m = rfbm;
    while (m !== 0) {
      const k = 31 - Math.clz32(m);
      m &= ~(1 << k);
      const row = ROWS[k]!;
      if (row.afterSupervisorSave && row.afterSupervisorSave(c)) c.xmodified |= 1 << k;
    }
  }
}
