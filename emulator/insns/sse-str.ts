/**
 * SSE4.2 string compares PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (+VEX) (SDM vol. 2
 * "PCMPESTRI" ... and section 4.1 "Imm8 control byte"). CRC32 lives in bits.ts.
 */
import { def, formsOf, loadOperand, finishVex, writeGpr32 } from './sse-core.ts';
import { sseGate, vexGate } from './simd-state.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

/** Element k of slot s for the source format (imm[1:0]). */
function elem(c: Cpu, s: number, k: number, fmt: number): number {
  switch (fmt) {
    case 0: return c.v8[s * 64 + k];
    case 1: return c.v16[s * 32 + k];
    case 2: return (c.v8[s * 64 + k] << 24) >> 24;
    default: return (c.v16[s * 32 + k] << 16) >> 16;
  }
}

function implicitLen(c: Cpu, s: number, n: number, fmt: number): number {
  for (let k = 0; k < n; k++) if (elem(c, s, k, fmt) === 0) return k;
  return n;
}

/** |reg| saturated to n (EAX/EDX, or RAX/RDX for the 64-bit forms). */
function explicitLen(c: Cpu, r: number, w64: boolean, n: number): number {
  const lo = c.R[2 * r], hi = c.R[2 * r + 1];
  let neg: boolean, big: boolean, mag: number;
  if (w64) {
    neg = hi < 0;
    let l = lo >>> 0, h = hi >>> 0;
    if (neg) { l = (~l + 1) >>> 0; h = (~h + (l === 0 ? 1 : 0)) >>> 0; }
    big = h !== 0; mag = l;
  } else {
    neg = lo < 0; mag = neg ? -lo : lo; big = false;
  }
  return big || mag > n ? n : mag;
}

/** The compare core: returns IntRes2 (bit per element) and sets c.flags. */
function strCompare(c: Cpu, a: number, b: number, imm: number, la: number, lb: number): number {
  const fmt = imm & 3, n = fmt & 1 ? 8 : 16, agg = (imm >> 2) & 3;
  const A = new Int32Array(16), B = new Int32Array(16);
  for (let k = 0; k < n; k++) { A[k] = elem(c, a, k, fmt); B[k] = elem(c, b, k, fmt); }
  let r1 = 0;
  for (let j = 0; j < n; j++) {
    let bit = false;
    switch (agg) {
      case 0: // equal any
        if (j < lb) for (let i = 0; i < la; i++) if (A[i] === B[j]) { bit = true; break; }
        break;
      case 1: // ranges
        if (j < lb) for (let i = 0; i + 1 < la + (la & 1) && i < n; i += 2) {
          const lo = A[i], hiOk = i + 1 < la;
          if (hiOk && B[j] >= lo && B[j] <= A[i + 1]) { bit = true; break; }
        }
        break;
      case 2: // equal each
        bit = j >= la && j >= lb ? true : j >= la || j >= lb ? false : A[j] === B[j];
        break;
      default: { // equal ordered
        bit = true;
        for (let i = 0; i < n - j; i++) {
          const k = j + i;
          if (i >= la) continue; // a invalid: true
          if (k >= lb) { bit = false; break; }
          if (A[i] !== B[k]) { bit = false; break; }
        }
      }
    }
    if (bit) r1 |= 1 << j;
  }
  const all = n === 16 ? 0xffff : 0xff;
  let r2: number;
  switch ((imm >> 4) & 3) {
    case 1: r2 = ~r1 & all; break;
    case 3: r2 = (r1 ^ ((1 << lb) - 1)) & all; break;
    default: r2 = r1;
  }
  // CF = IntRes2 != 0, ZF = lb < n, SF = la < n, OF = IntRes2[0], AF = PF = 0
  c.fa = (r2 !== 0 ? 1 : 0) | (r2 & 1 ? 0x800 : 0);
  c.fz = lb < n ? 0 : 1;
  c.fs = la < n ? -1 : 0;
  c.fp = 1;
  return r2;
}

for (const mn of ['Pcmpestri', 'Pcmpestri64', 'Pcmpestrm', 'Pcmpestrm64', 'Pcmpistri', 'Pcmpistrm']) {
  const explicit = mn.includes('estr'), w64 = mn.endsWith('64'), mask = mn.includes('strm');
  for (const f of formsOf(mn)) {
    const vex = f.vex, gate = vex ? vexGate : sseGate;
    def(f.name, (c: Cpu, i: Insn) => {
      gate(c);
      const b = i.memOp >= 0 ? loadOperand(c, i, vex, false, false) : i.r1;
      const a = i.r0, imm = i.imm & 255, fmt = imm & 3, n = fmt & 1 ? 8 : 16;
      const la = explicit ? explicitLen(c, 0, w64, n) : implicitLen(c, a, n, fmt);
      const lb = explicit ? explicitLen(c, 2, w64, n) : implicitLen(c, b, n, fmt);
      const r = strCompare(c, a, b, imm, la, lb);
      if (!mask) {
        let idx = n;
        if (r !== 0) idx = imm & 64 ? 31 - Math.clz32(r) : 31 - Math.clz32(r & -r);
        writeGpr32(c, 1, idx);
      } else {
        const V = c.v8;
        if (imm & 64) {
          const w = n === 16 ? 1 : 2;
          for (let k = 0; k < n; k++) for (let j = 0; j < w; j++) V[k * w + j] = (r >> k) & 1 ? 255 : 0;
        } else {
          V.fill(0, 0, 16);
          V[0] = r & 255; V[1] = (r >> 8) & 255;
        }
        if (vex) finishVex(c, 0, 16); else c.xmodified |= 2;
      }
    });
  }
}

// ---- CRC32 (Castagnoli, reflected polynomial 0x82F63B78) ---------------------------------------------
// CRC32 (SSE4.2) is a general-purpose-register instruction: it lives in bits.ts.

