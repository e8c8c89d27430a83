/**
 * AVX2 gathers: VPGATHERDD/DQ/QD/QQ and VGATHERDPS/DPD/QPS/QPD (SDM vol. 2).
 *
 * Element j is loaded from base + sign-extended index[j] * scale + disp when
 * the sign bit of mask element j is set; its mask element is then cleared.
 * Elements are processed from the lowest up and each completed element is
 * committed at once, so a fault (#PF, #GP) leaves the destination and the mask
 * register describing the progress and the instruction restarts from there,
 * as the SDM specifies. On completion the whole mask register is zero and the
 * destination bits above the gathered elements are zero (VEX rule).
 * #UD if any two of destination, index and mask registers are the same.
 */
import { def, formsOf, finishVex } from './sse-core.ts';
import { vexGate } from './simd-state.ts';
import { ud, X86Fault, GP, SS } from '../faults.ts';
import { BASE_RIP } from '../cpu/insn.ts';
import { SEG_FS, SEG_GS, SEG_SS } from '../cpu/state.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const P32 = 4294967296;

/** base + disp (address-size wrapped later) as a JS number. */
function baseDisp(c: Cpu, i: Insn): number {
  let v = i.dispHi * P32 + i.dispLo;
  if (i.base === BASE_RIP) v += c.rip + i.len;
  else if (i.base >= 0) v += c.R[2 * i.base + 1] * P32 + (c.R[2 * i.base] >>> 0);
  return v;
}

function finalAddr(c: Cpu, i: Insn, bd: number, idx: number): number {
  let la = bd + idx * i.scale;
  if (i.asz === 32) la = ((la % P32) + P32) % P32;
  else {
    // wrap to 64 bits then interpret as signed
    const hi = Math.floor(la / P32), lo = la - hi * P32;
    la = (hi | 0) * P32 + lo;
  }
  if (i.seg === SEG_FS) la += c.fsBase; else if (i.seg === SEG_GS) la += c.gsBase;
  if (la < -140737488355328 || la >= 140737488355328) {
    throw new X86Fault(i.seg === SEG_SS ? SS : GP, 0, 'non-canonical gather element address');
  }
  return la;
}

for (const mn of ['Pgatherdd', 'Pgatherdq', 'Pgatherqd', 'Pgatherqq', 'Gatherdps', 'Gatherdpd', 'Gatherqps', 'Gatherqpd']) {
  const idxW = mn.includes('atherd') ? 4 : 8;
  const dataW = /dd$|qd$|ps$/.test(mn) ? 4 : 8;
  for (const f of formsOf(mn)) {
    const dstBytes = f.ops[0] === 'ymm' ? 32 : 16;
    const idxBytes = /y$/.test(f.ops[1]) ? 32 : 16;
    const count = Math.min(dstBytes / dataW, idxBytes / idxW);
    def(f.name, (c: Cpu, i: Insn) => {
      vexGate(c);
      const d = i.r0, m = i.r2, x = i.index;
      if (d === m || d === x || m === x) throw ud(`${f.name}: destination, index and mask registers must differ`);
      const V = c.v32, VI = c.vi32;
      const bd = baseDisp(c, i);
      for (let j = 0; j < count; j++) {
        const mo = m * 16 + (j * dataW) / 4 + dataW / 4 - 1; // dword holding the element's sign bit
        if (V[mo] >>> 31 === 0) continue;
        const idx = idxW === 4 ? VI[x * 16 + j] : VI[x * 16 + 2 * j + 1] * P32 + V[x * 16 + 2 * j];
        const la = finalAddr(c, i, bd, idx);
        const o = d * 16 + (j * dataW) / 4;
        if (dataW === 4) V[o] = c.rd32(la);
        else { const lo = c.rd64(la); V[o] = lo; V[o + 1] = c.mhi; }
        for (let k = 0; k < dataW / 4; k++) V[m * 16 + (j * dataW) / 4 + k] = 0;
        c.xmodified |= 2;
      }
      finishVex(c, d, count * dataW);
      for (let k = 0; k < 16; k++) V[m * 16 + k] = 0;
      c.xmodified |= 0x46;
    });
  }
}
