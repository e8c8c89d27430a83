/**
 * SSE/AVX data movement (SDM vol. 2): MOVAPS/MOVAPD/MOVDQA (aligned),
 * MOVUPS/MOVUPD/MOVDQU/LDDQU (unaligned), MOVNTPS/MOVNTPD/MOVNTDQ/MOVNTDQA,
 * MOVSS/MOVSD, MOVLPS/MOVHPS/MOVLPD/MOVHPD/MOVHLPS/MOVLHPS, MOVD/MOVQ,
 * PEXTRB/W/D/Q, PINSRB/W/D/Q, EXTRACTPS, INSERTPS, MOVMSKPS/PD, PMOVMSKB,
 * MASKMOVDQU, PTEST/VPTEST/VTESTPS/VTESTPD, LDMXCSR/STMXCSR (+VEX).
 *
 * Legacy register writes keep bytes 16-63; VEX writes zero everything above
 * the operation's width (writeVec / finishVex set XMODIFIED).
 */
import {
  defVec, def, formsOf, gpAlign, legacyAlign, finishVex, writeGpr32, writeGpr64, type Form,
} from './sse-core.ts';
import { sseGate, vexGate, loadMem, storeMem, writeVec } from './simd-state.ts';
import { VTMP0 } from '../cpu/state.ts';
import { gp, ud } from '../faults.ts';
import { markImplemented } from '../models/features.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn, Handler } from '../cpu/insn.ts';

markImplemented('sse', 'sse2', 'sse3', 'ssse3', 'sse4_1', 'sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'misalignsse');

const copyB = (c: Cpu, d: number, _a: number, b: number, n: number) => {
  if (d !== b) c.v8.copyWithin(d * 64, b * 64, b * 64 + n);
};

// ---- whole-register moves ------------------------------------------------------------
function storeForms(mn: string, explicit: boolean): void {
  for (const f of formsOf(mn)) {
    if (!/^(xmm|ymm)m|^m\d/.test(f.ops[0])) continue;
    const n = f.vex ? f.vl : 16, vex = f.vex;
    const gate = vex ? vexGate : sseGate;
    def(f.name, (c, i) => {
      gate(c);
      if (vex) { const s = i.r1; if (i.r0 !== s) c.v8.copyWithin(i.r0 * 64, s * 64, s * 64 + n); finishVex(c, i.r0, n); }
      else { c.v8.copyWithin(i.r0 * 64, i.r1 * 64, i.r1 * 64 + 16); c.xmodified |= 2; }
    }, (c, i) => {
      gate(c);
      const align = explicit ? (vex ? n : 16) : 0;
      storeMem(c, i, i.r1, n, align);
    });
  }
}
function loadForms(mn: string, o: { explicit?: boolean; unaligned?: boolean; memOnly?: boolean }): void {
  const forms = formsOf(mn).filter((f) => /^(xmm|ymm)$/.test(f.ops[0]));
  defVec(mn, copyB, { direct: true, explicit: o.explicit, unaligned: o.unaligned }, forms);
}
for (const mn of ['Movaps', 'Movapd', 'Movdqa']) { loadForms(mn, { explicit: true }); storeForms(mn, true); }
for (const mn of ['Movups', 'Movupd', 'Movdqu']) { loadForms(mn, { unaligned: true }); storeForms(mn, false); }
loadForms('Lddqu', { unaligned: true });
loadForms('Movntdqa', { explicit: true });
for (const mn of ['Movntps', 'Movntpd', 'Movntdq']) storeForms(mn, true);

// ---- MOVSS / MOVSD ----------------------------------------------------------------------
for (const [mn, w] of [['Movss', 4], ['Movsd', 8]] as const) {
  for (const f of formsOf(mn)) {
    const gate = f.vex ? vexGate : sseGate;
    const ops = f.ops.join('_');
    if (!f.vex && /^xmm_xmmm/.test(ops)) {
      // load: zero-extend to 128; reg: merge the low element
      def(f.name, (c, i) => { sseGate(c); c.v8.copyWithin(i.r0 * 64, i.r1 * 64, i.r1 * 64 + w); c.xmodified |= 2; },
        (c, i) => { sseGate(c); const s = loadMem(c, i, w); c.v8.fill(0, s * 64 + w, s * 64 + 16); writeVec(c, i.r0, s, 16, false); });
    } else if (/^xmmm\d+_xmm$/.test(ops)) {
      def(f.name, (c, i) => { sseGate(c); c.v8.copyWithin(i.r0 * 64, i.r1 * 64, i.r1 * 64 + w); c.xmodified |= 2; },
        (c, i) => { gate(c); storeMem(c, i, i.r1, w); });
    } else if (/^m\d+_xmm$/.test(ops)) {
      def(f.name, (c, i) => { gate(c); storeMem(c, i, i.r1, w); });
    } else if (/^xmm_m\d+$/.test(ops)) {
      def(f.name, (c, i) => { gate(c); const s = loadMem(c, i, w); c.v8.fill(0, s * 64 + w, s * 64 + 16); writeVec(c, i.r0, s, 16, true); });
    } else if (/^xmm_xmm_xmm/.test(ops)) {
      def(f.name, (c, i) => {
        vexGate(c);
        const T = 34 * 64, v = c.v8;
        v.copyWithin(T, i.r1 * 64, i.r1 * 64 + 16);
        v.copyWithin(T, i.r2 * 64, i.r2 * 64 + w);
        writeVec(c, i.r0, 34, 16, true);
      });
    } else throw new Error(`unhandled form ${f.name}`);
  }
}

// ---- MOVLPS/MOVHPS/MOVLPD/MOVHPD/MOVHLPS/MOVLHPS ------------------------------------------
const half = (dOff: number, sOff: number) => (c: Cpu, d: number, _a: number, b: number) => {
  c.v8.copyWithin(d * 64 + dOff, b * 64 + sOff, b * 64 + sOff + 8);
};
for (const mn of ['Movlps', 'Movlpd', 'Movhps', 'Movhpd']) {
  const hi = mn.startsWith('Movh');
  const loads = formsOf(mn).filter((f) => f.ops[0] === 'xmm');
  defVec(mn, half(hi ? 8 : 0, 0), { scalar: true, unaligned: true }, loads);
  for (const f of formsOf(mn).filter((f) => f.ops[0] === 'm64')) {
    const gate = f.vex ? vexGate : sseGate;
    def(f.name, (c, i) => { gate(c); c.wrBytes(c.ea(i), 8, c.v8, i.r1 * 64 + (hi ? 8 : 0)); });
  }
}
defVec('Movhlps', half(0, 8), { scalar: true });
defVec('Movlhps', half(8, 0), { scalar: true });

// ---- MOVD / MOVQ -------------------------------------------------------------------------
function gprToVec(f: Form, w: 4 | 8): void {
  const vex = f.vex, gate = vex ? vexGate : sseGate;
  const put = (c: Cpu, d: number, lo: number, hi: number) => {
    const V = c.v32, b = d * 16;
    V[b] = lo; V[b + 1] = w === 8 ? hi : 0; V[b + 2] = 0; V[b + 3] = 0;
    if (vex) finishVex(c, d, 16); else c.xmodified |= 2;
  };
  def(f.name, (c, i) => { gate(c); put(c, i.r0, c.R[2 * i.r1], c.R[2 * i.r1 + 1]); },
    (c, i) => { gate(c); const la = c.ea(i); if (w === 8) { const lo = c.rd64(la); put(c, i.r0, lo, c.mhi); } else put(c, i.r0, c.rd32(la), 0); });
}
function vecToGpr(f: Form, w: 4 | 8): void {
  const gate = f.vex ? vexGate : sseGate;
  def(f.name, (c, i) => { gate(c); const V = c.vi32, s = i.r1 * 16; if (w === 8) writeGpr64(c, i.r0, V[s], V[s + 1]); else writeGpr32(c, i.r0, V[s]); },
    (c, i) => { gate(c); const V = c.vi32, s = i.r1 * 16, la = c.ea(i); if (w === 8) c.wr64(la, V[s], V[s + 1]); else c.wr32(la, V[s]); });
}
for (const f of formsOf('Movd')) { if (f.ops[0] === 'xmm') gprToVec(f, 4); else vecToGpr(f, 4); }
for (const f of formsOf('Movq')) {
  const ops = f.ops.join('_');
  if (ops === 'xmm_rm64') gprToVec(f, 8);
  else if (ops === 'rm64_xmm') vecToGpr(f, 8);
  else if (ops === 'xmm_xmmm64' || ops === 'xmmm64_xmm') {
    const vex = f.vex, gate = vex ? vexGate : sseGate, store = ops === 'xmmm64_xmm';
    const zext = (c: Cpu, d: number, s: number) => {
      const V = c.v32, b = d * 16, t = s * 16;
      V[b] = V[t]; V[b + 1] = V[t + 1]; V[b + 2] = 0; V[b + 3] = 0;
      if (vex) finishVex(c, d, 16); else c.xmodified |= 2;
    };
    def(f.name, (c, i) => { gate(c); zext(c, i.r0, i.r1); },
      store ? (c, i) => { gate(c); storeMem(c, i, i.r1, 8); } : (c, i) => { gate(c); const s = loadMem(c, i, 8); zext(c, i.r0, s); });
  } else throw new Error(`unhandled ${f.name}`);
}

// ---- PEXTR* / EXTRACTPS ------------------------------------------------------------------
for (const [mn, w] of [['Pextrb', 1], ['Pextrw', 2], ['Pextrd', 4], ['Pextrq', 8], ['Extractps', 4]] as const) {
  for (const f of formsOf(mn)) {
    const gate = f.vex ? vexGate : sseGate;
    const cnt = 16 / w;
    const read = (c: Cpu, i: Insn) => (i.r1 * 64) + ((i.imm & (cnt - 1)) * w);
    const reg: Handler = (c, i) => {
      gate(c);
      const o = read(c, i), V = c.v8;
      if (w === 8) writeGpr64(c, i.r0, V[o] | (V[o + 1] << 8) | (V[o + 2] << 16) | (V[o + 3] << 24), V[o + 4] | (V[o + 5] << 8) | (V[o + 6] << 16) | (V[o + 7] << 24));
      else writeGpr32(c, i.r0, w === 1 ? V[o] : w === 2 ? V[o] | (V[o + 1] << 8) : V[o] | (V[o + 1] << 8) | (V[o + 2] << 16) | (V[o + 3] << 24));
    };
    const mem: Handler = (c, i) => { gate(c); c.wrBytes(c.ea(i), w, c.v8, read(c, i)); };
    def(f.name, reg, mem);
  }
}

// ---- PINSR* ------------------------------------------------------------------------------
for (const [mn, w] of [['Pinsrb', 1], ['Pinsrw', 2], ['Pinsrd', 4], ['Pinsrq', 8]] as const) {
  for (const f of formsOf(mn)) {
    const vex = f.vex, gate = vex ? vexGate : sseGate;
    const cnt = 16 / w;
    const srcReg = vex ? 2 : 1;
    const run = (c: Cpu, i: Insn, lo: number, hi: number) => {
      const T = 34 * 64, V = c.v8, a = vex ? i.r1 : i.r0;
      V.copyWithin(T, a * 64, a * 64 + 16);
      const o = T + (i.imm & (cnt - 1)) * w;
      for (let k = 0; k < w; k++) V[o + k] = (k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4))) & 255;
      writeVec(c, i.r0, 34, 16, vex);
    };
    def(f.name, (c, i) => { gate(c); const r = srcReg === 2 ? i.r2 : i.r1; run(c, i, c.R[2 * r], c.R[2 * r + 1]); },
      (c, i) => {
        gate(c); const la = c.ea(i);
        if (w === 8) { const lo = c.rd64(la); run(c, i, lo, c.mhi); } else run(c, i, w === 1 ? c.rd8(la) : w === 2 ? c.rd16(la) : c.rd32(la), 0);
      });
  }
}

// ---- INSERTPS ------------------------------------------------------------------------------
defVec('Insertps', (c, d, a, b, _n, imm, i) => {
  const V = c.v32, T = 35 * 16;
  // register source: element imm[7:6]; memory source: the loaded dword
  const src = i.memOp >= 0 ? V[b * 16] : V[b * 16 + ((imm >> 6) & 3)];
  for (let k = 0; k < 4; k++) V[T + k] = V[a * 16 + k];
  V[T + ((imm >> 4) & 3)] = src;
  for (let k = 0; k < 4; k++) V[d * 16 + k] = imm & (1 << k) ? 0 : V[T + k];
}, { unaligned: true });

// ---- MOVMSKPS/PD, PMOVMSKB --------------------------------------------------------------------
for (const [mn, w] of [['Movmskps', 4], ['Movmskpd', 8], ['Pmovmskb', 1]] as const) {
  for (const f of formsOf(mn)) {
    const gate = f.vex ? vexGate : sseGate, n = f.vex ? f.vl : 16;
    def(f.name, (c, i) => {
      gate(c);
      const V = c.v8, s = i.r1 * 64;
      let m = 0;
      for (let k = 0, bit = 0; k < n; k += w, bit++) if (V[s + k + w - 1] & 0x80) m |= 1 << bit;
      writeGpr32(c, i.r0, m);
    });
  }
}

// ---- MASKMOVDQU ---------------------------------------------------------------------------------
for (const f of formsOf('Maskmovdqu')) {
  const gate = f.vex ? vexGate : sseGate;
  def(f.name, (c, i) => {
    gate(c);
    // rDI with the address size; DS segment (overridable) — iced reports it as the memory operand.
    const la = c.ea(i);
    const V = c.v8, s = i.r1 * 64, m = i.r2 * 64;
    for (let k = 0; k < 16; k++) if (V[m + k] & 0x80) c.probe(la + k, 1, 1);
    for (let k = 0; k < 16; k++) if (V[m + k] & 0x80) c.wr8(la + k, V[s + k]);
  });
}

// ---- PTEST / VTESTPS / VTESTPD -----------------------------------------------------------------
function testFlags(c: Cpu, a: number, b: number, n: number, w: number): void {
  const V = c.v32;
  let z = 0, cc = 0;
  if (w === 0) {
    for (let k = 0; k < n >> 2; k++) { z |= V[a * 16 + k] & V[b * 16 + k]; cc |= ~V[a * 16 + k] & V[b * 16 + k]; }
  } else {
    const step = w >> 2; // sign bit dword offset within the element
    for (let k = step - 1; k < n >> 2; k += step) { z |= V[a * 16 + k] & V[b * 16 + k] & 0x80000000; cc |= ~V[a * 16 + k] & V[b * 16 + k] & 0x80000000; }
  }
  c.fz = z === 0 ? 0 : 1; // ZF = (a AND b) == 0
  c.fa = cc === 0 ? 1 : 0; // CF = (NOT a AND b) == 0; OF, AF cleared
  c.fs = 0; c.fp = 1; // SF = 0, PF = 0 (odd parity of 1)
}
for (const [mn, w] of [['Ptest', 0], ['Testps', 4], ['Testpd', 8]] as const) {
  for (const f of formsOf(mn)) {
    const gate = f.vex ? vexGate : sseGate, n = f.vex ? f.vl : 16, vex = f.vex;
    def(f.name, (c, i) => { gate(c); testFlags(c, i.r0, i.r1, n, w); },
      (c, i) => { gate(c); const b = loadMem(c, i, n, VTMP0, vex ? 0 : legacyAlign(c, false)); testFlags(c, i.r0, b, n, w); });
  }
}

// ---- LDMXCSR / STMXCSR ------------------------------------------------------------------------
for (const f of ['Ldmxcsr_m32', 'VEX_Vldmxcsr_m32']) {
  const gate = f.startsWith('VEX') ? vexGate : sseGate;
  def(f, (c, i) => {
    gate(c);
    const v = c.rd32(c.ea(i)) >>> 0;
    const mask = c.machine.model.mxcsrMask >>> 0;
    if ((v & ~mask) >>> 0) throw gp(`LDMXCSR 0x${v.toString(16)} sets bits outside MXCSR_MASK 0x${mask.toString(16)}`);
    c.mxcsr = v;
    c.xmodified |= 2;
  });
}
for (const f of ['Stmxcsr_m32', 'VEX_Vstmxcsr_m32']) {
  const gate = f.startsWith('VEX') ? vexGate : sseGate;
  def(f, (c, i) => { gate(c); c.wr32(c.ea(i), c.mxcsr | 0); });
}

export { gpAlign, ud };
