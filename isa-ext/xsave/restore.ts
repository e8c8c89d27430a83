/**
 * XRSTOR / XRSTOR64 (§10) and XRSTORS / XRSTORS64 (§11).
 *
 * Order of events (every check before any state changes):
 *   1. prologue (§5 steps 1-5)
 *   2. read the 64-byte header (#PF possible even with RFBM = 0); its values are
 *      taken now, before any component is staged
 *   3. header #GP checks (standard or compacted form; they do not depend on RFBM)
 *   4. XFD #NM for components to be loaded (IA32_XFD_ERR := XFD AND those)
 *   5. #PF probes (read) of the bytes to be loaded: MXCSR when read, components in TO_LOAD
 *   6. value checks: MXCSR reserved bits, each loaded row's `validate`, and for
 *      XRSTORS each RFBM row's `restoreCheck` (UINTR: UINV ≠ 0)
 *   7. commit: load or initialize each RFBM component, MXCSR, bookkeeping
 *
 * Decision for spec §21.4 (XFD #NM against a #PF on component bytes): the
 * #NM comes first. Reason: the #NM depends only on the header and IA32_XFD,
 * like the header #GP checks it follows, and XFD exists so that an OS can
 * leave the area too small for a disabled component until the first #NM
 * (Linux enlarges the buffer in its #NM handler): the bytes of a component
 * that will not be loaded must not be able to fault first.
 *
 * Decision for spec §21.15 (partial state after a fault): none — all faults
 * are raised before anything is committed, so a faulting XRSTOR* changes no
 * register (and XRSTORS never has to undo a partly loaded UINTR component).
 */
import type { Cpu } from '../../emulator/cpu/cpu.ts';
import type { Insn } from '../../emulator/cpu/insn.ts';
import { gp, nm } from '../../emulator/faults.ts';
import { HDR_OFF, MXCSR_OFF, OPT_REXW, OPT_XRSTORS, ROWS, restoreCheckMask, validateMask } from './table.ts';
import { STAGE, areaPa, extendArea, probeComponents, spanEnd, ramBuf, read32, readCompPa, readPa } from './area.ts';
import { prologue, Need } from './prologue.ts';
import { usableXcr0, usableXss } from './save.ts';
import { vcpu } from './vcpu.ts';

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

export function xrstor(c: Cpu, i: Insn, rexw: boolean, supervisor: boolean): void {
  const name = supervisor ? (rexw ? 'XRSTORS64' : 'XRSTORS') : (rexw ? 'XRSTOR64' : 'XRSTOR');
  const la = prologue(c, i, supervisor ? Need.Xsaves : Need.None, name);
  const v = vcpu(c);
  const g = v.geom;
  const xcr0 = c.xcr0, xss = supervisor ? c.xss : 0;
  const usable = usableXcr0(c, v) | (supervisor ? usableXss(c, v) : 0);
  const rfbm = usable & c.R[0];

  // 2. Header.
  // In place when its page is RAM (area.ts areaPa: the same first translation as readPa's).
  const ram = ramBuf(c, v);
  const hb = areaPa(c, la, HDR_OFF, HDR_OFF + 64, 0);
  const hpa = hb >= 0 ? hb + HDR_OFF : readPa(c, la + HDR_OFF, 64);
  const hd = hpa >= 0 ? ram.dv : STAGE.dv, h = hpa >= 0 ? hpa : 0;
  const bvLo = hd.getInt32(h, true), bvHi = hd.getInt32(h + 4, true);
  const xcLo = hd.getInt32(h + 8, true), xcHi = hd.getInt32(h + 12, true);
  const compact = xcHi < 0;

  // 3. Header checks.
  if (!compact) {
    if (supervisor) throw gp(`${name}: XCOMP_BV[63]=0 (XRSTORS has no standard form)`);
    if (bvHi !== 0 || (bvLo & ~xcr0)) throw gp(`${name}: XSTATE_BV ${hex(bvHi)}_${hex(bvLo)} has bits outside XCR0 ${hex(xcr0)}`);
    if (xcLo | xcHi | hd.getInt32(h + 16, true) | hd.getInt32(h + 20, true)) throw gp(`${name}: header bytes 8-23 are not zero (standard form)`);
  } else {
    if (!v.hasXsavec) throw gp(`${name}: compacted image but XSAVEC is not supported`);
    const allowed = xcr0 | xss;
    if ((xcHi & 0x7fffffff) !== 0 || (xcLo & ~allowed)) {
      throw gp(`${name}: XCOMP_BV[62:0] ${hex(xcHi & 0x7fffffff)}_${hex(xcLo)} has bits outside ${supervisor ? 'XCR0|IA32_XSS' : 'XCR0'} ${hex(allowed)}`);
    }
    // XSTATE_BV[63] = 1 faults too: XCOMP_BV[62:0] never has bit 63 (spec §10 step 4).
    if (bvHi !== 0 || (bvLo & ~xcLo)) throw gp(`${name}: XSTATE_BV ${hex(bvHi)}_${hex(bvLo)} has bits not in XCOMP_BV[62:0] ${hex(xcLo)}`);
    for (let k = 16; k < 64; k += 4) if (hd.getInt32(h + k, true) !== 0) throw gp(`${name}: header byte ${HDR_OFF + k}..${HDR_OFF + k + 3} is not zero (compacted form)`);
  }
  const format = compact ? xcLo : 0;
  const toLoad = rfbm & bvLo & (compact ? format : -1);
  const toInit = rfbm & ~toLoad;
  const offs = compact ? g.compacted(format) : g.stdOff;

  // 4. XFD.
  const xfdHit = toLoad & xcr0 & v.xfd;
  if (xfdHit) {
    v.xfdErr = xfdHit;
    throw nm(`${name}: XFD-disabled component(s) ${hex(xfdHit)} would be loaded (IA32_XFD_ERR := ${hex(xfdHit)})`);
  }

  // 5. Probes (none when the header and every byte to be loaded lie in one RAM page, area.ts:
  // the header was read from that page). MXCSR: standard form reads it whenever RFBM[1] | RFBM[2];
  // compacted only with the SSE load.
  const mxRead = compact ? (toLoad & 2) !== 0 : (rfbm & 6) !== 0;
  const base = extendArea(c, hb, la, spanEnd(g, offs, toLoad, HDR_OFF + 64));
  if (base < 0) {
    if (toLoad & 1) c.probe(la, 160, 0);
    if (mxRead) c.probe(la + MXCSR_OFF, 4, 0);
    probeComponents(c, la, offs, g.size, toLoad & ~1, 0);
  }

  // 6. Value checks.
  let mxcsr = 0;
  if (mxRead) {
    mxcsr = read32(c, ram, base, la, MXCSR_OFF) >>> 0;
    const bad = (mxcsr & ~v.mxcsrMask) >>> 0;
    if (bad) throw gp(`${name}: MXCSR image ${hex(mxcsr)} sets reserved bits ${hex(bad)}`);
  }
  const o = (rexw ? OPT_REXW : 0) | (supervisor ? OPT_XRSTORS : 0);
  // Components in RFBM whose row has a hook to run here, in the same (descending) order.
  let m = rfbm & ((toLoad & validateMask()) | (supervisor ? restoreCheckMask() : 0));
  while (m !== 0) {
    const k = 31 - Math.clz32(m);
    m &= ~(1 << k);
    const row = ROWS[k]!;
    const loading = ((toLoad >>> k) & 1) === 1;
    if (supervisor && row.restoreCheck) row.restoreCheck(c, loading);
    if (loading && row.validate) {
      const pa = readCompPa(c, base, la, offs[k], g.size[k]);
      row.validate(c, pa >= 0 ? ram : STAGE, pa >= 0 ? pa : 0, o);
    }
  }

  // 7. Commit.
  m = rfbm;
  while (m !== 0) {
    const k = 31 - Math.clz32(m);
    m &= ~(1 << k);
    const row = ROWS[k]!;
    if ((toLoad >>> k) & 1) {
      const pa = readCompPa(c, base, la, offs[k], g.size[k]);
      row.load(c, pa >= 0 ? ram : STAGE, pa >= 0 ? pa : 0, o);
    } else {
      row.init(c);
    }
  }
  if (mxRead) c.mxcsr = mxcsr;
  else if (compact && (toInit & 2)) c.mxcsr = 0x1f80;
  if (v.intel) c.xloaded = (c.xloaded | toLoad) & ~toInit;
  c.xmodified = ~rfbm;
  v.infoValid = true;
  v.infoCpl = c.cpl;
  v.infoLa = la;
  v.infoXcomp = compact ? xcLo : 0;
  v.infoCompact = compact;
}
