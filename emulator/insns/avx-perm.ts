/**
 * AVX/AVX2-only data movement (SDM vol. 2): VBROADCASTSS/SD/F128/I128,
 * VPBROADCASTB/W/D/Q, VPERMILPS/PD (imm and variable), VPERMD/VPERMPS,
 * VPERMQ/VPERMPD, VPERM2F128/VPERM2I128, VINSERTF128/I128,
 * VEXTRACTF128/I128, VZEROUPPER/VZEROALL, VMASKMOVPS/PD, VPMASKMOVD/Q.
 */
import { defVec, def, formsOf, finishVex } from './sse-core.ts';
import { vexGate, storeMem } from './simd-state.ts';
import { ud } from '../faults.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const T = 35;

// ---- broadcasts: element 0 of b (register or memory) to every element --------------------------------
function bcast(w: number) {
  return (c: Cpu, d: number, _a: number, b: number, n: number) => {
    const V = c.v8, s = b * 64;
    for (let j = 0; j < w; j++) V[T * 64 + j] = V[s + j];
    for (let k = 0; k < n; k += w) for (let j = 0; j < w; j++) V[d * 64 + k + j] = V[T * 64 + j];
  };
}
defVec('Broadcastss', bcast(4), { direct: true });
defVec('Broadcastsd', bcast(8), { direct: true });
defVec('Broadcastf128', bcast(16), { direct: true });
defVec('Broadcasti128', bcast(16), { direct: true });
defVec('Pbroadcastb', bcast(1), { direct: true });
defVec('Pbroadcastw', bcast(2), { direct: true });
defVec('Pbroadcastd', bcast(4), { direct: true });
defVec('Pbroadcastq', bcast(8), { direct: true });

// ---- VPERMILPS / VPERMILPD ------------------------------------------------------------------------------
const immForms = (mn: string) => formsOf(mn).filter((f) => f.ops[f.ops.length - 1] === 'imm8');
const varForms = (mn: string) => formsOf(mn).filter((f) => f.ops[f.ops.length - 1] !== 'imm8');
defVec('Permilps', (c, d, _a, b, n, imm) => {
  const V = c.v32;
  for (let k = 0; k < n >> 2; k++) V[T * 16 + k] = V[b * 16 + (k & ~3) + ((imm >> (2 * (k & 3))) & 3)];
  c.v8.copyWithin(d * 64, T * 64, T * 64 + n);
}, {}, immForms('Permilps'));
defVec('Permilpd', (c, d, _a, b, n, imm) => {
  const V = c.v32;
  for (let k = 0; k < n >> 3; k++) {
    const s = b * 16 + 2 * ((k & ~1) + ((imm >> k) & 1));
    V[T * 16 + 2 * k] = V[s]; V[T * 16 + 2 * k + 1] = V[s + 1];
  }
  c.v8.copyWithin(d * 64, T * 64, T * 64 + n);
}, {}, immForms('Permilpd'));
defVec('Permilps', (c, d, a, b, n) => {
  const V = c.v32;
  for (let k = 0; k < n >> 2; k++) V[T * 16 + k] = V[a * 16 + (k & ~3) + (V[b * 16 + k] & 3)];
  c.v8.copyWithin(d * 64, T * 64, T * 64 + n);
}, {}, varForms('Permilps'));
defVec('Permilpd', (c, d, a, b, n) => {
  const V = c.v32;
  for (let k = 0; k < n >> 3; k++) {
    const s = a * 16 + 2 * ((k & ~1) + ((V[b * 16 + 2 * k] >> 1) & 1));
    V[T * 16 + 2 * k] = V[s]; V[T * 16 + 2 * k + 1] = V[s + 1];
  }
  c.v8.copyWithin(d * 64, T * 64, T * 64 + n);
}, {}, varForms('Permilpd'));

// ---- VPERMD / VPERMPS (indices in vvvv), VPERMQ / VPERMPD (imm8) ---------------------------------------
const permd = (c: Cpu, d: number, a: number, b: number) => {
  const V = c.v32;
  for (let k = 0; k < 8; k++) V[T * 16 + k] = V[b * 16 + (V[a * 16 + k] & 7)];
  c.v8.copyWithin(d * 64, T * 64, T * 64 + 32);
};
defVec('Permd', permd);
defVec('Permps', permd);
const permq = (c: Cpu, d: number, _a: number, b: number, _n: number, imm: number) => {
  const V = c.v32;
  for (let k = 0; k < 4; k++) { const s = b * 16 + 2 * ((imm >> (2 * k)) & 3); V[T * 16 + 2 * k] = V[s]; V[T * 16 + 2 * k + 1] = V[s + 1]; }
  c.v8.copyWithin(d * 64, T * 64, T * 64 + 32);
};
defVec('Permq', permq);
defVec('Permpd', permq);

// ---- 128-bit lane moves ----------------------------------------------------------------------------------
const perm2 = (c: Cpu, d: number, a: number, b: number, _n: number, imm: number) => {
  const V = c.v8;
  for (let h = 0; h < 2; h++) {
    const sel = (imm >> (4 * h)) & 15, o = T * 64 + 16 * h;
    if (sel & 8) { V.fill(0, o, o + 16); continue; }
    const s = ((sel & 2) ? b : a) * 64 + 16 * (sel & 1);
    V.copyWithin(o, s, s + 16);
  }
  V.copyWithin(d * 64, T * 64, T * 64 + 32);
};
defVec('Perm2f128', perm2);
defVec('Perm2i128', perm2);
const ins128 = (c: Cpu, d: number, a: number, b: number, _n: number, imm: number) => {
  const V = c.v8;
  V.copyWithin(T * 64, a * 64, a * 64 + 32);
  V.copyWithin(T * 64 + 16 * (imm & 1), b * 64, b * 64 + 16);
  V.copyWithin(d * 64, T * 64, T * 64 + 32);
};
defVec('Insertf128', ins128, { unaligned: true });
defVec('Inserti128', ins128, { unaligned: true });
for (const mn of ['Extractf128', 'Extracti128']) {
  for (const f of formsOf(mn)) {
    def(f.name, (c, i) => {
      vexGate(c);
      const s = i.r1 * 64 + 16 * (i.imm & 1);
      c.v8.copyWithin(i.r0 * 64, s, s + 16);
      finishVex(c, i.r0, 16);
    }, (c, i) => {
      vexGate(c);
      c.wrBytes(c.ea(i), 16, c.v8, i.r1 * 64 + 16 * (i.imm & 1));
    });
  }
}

// ---- VZEROUPPER / VZEROALL ------------------------------------------------------------------------------------
def('VEX_Vzeroupper', (c) => {
  vexGate(c);
  for (let r = 0; r < 16; r++) c.v8.fill(0, r * 64 + 16, r * 64 + 64);
  c.xmodified |= 0x44;
  c.xloaded &= ~0x44; // AVX and ZMM_Hi256 are now in their initial configuration
});
def('VEX_Vzeroall', (c) => {
  vexGate(c);
  c.v8.fill(0, 0, 16 * 64);
  c.xmodified |= 0x46;
  c.xloaded &= ~0x46; // SSE (XMM0-15), AVX and ZMM_Hi256 are now in their initial configuration
});

// ---- masked moves ----------------------------------------------------------------------------------------------
// Load: elements whose mask sign bit is clear read as zero and cannot fault. Store: only selected elements
// are written; all of them are probed first so a fault leaves memory untouched.
for (const [mn, w] of [['Maskmovps', 4], ['Maskmovpd', 8], ['Pmaskmovd', 4], ['Pmaskmovq', 8]] as const) {
  for (const f of formsOf(mn)) {
    const n = f.vl;
    if (/^(xmm|ymm)$/.test(f.ops[0])) {
      // load: dst, mask (vvvv), mem
      def(f.name, (c: Cpu, i: Insn) => {
        vexGate(c);
        const la = c.ea(i), V = c.v8, m = i.r1 * 64, t = T * 64;
        for (let k = 0; k < n; k += w) {
          if (V[m + k + w - 1] & 0x80) c.rdBytes(la + k, w, V, t + k);
          else V.fill(0, t + k, t + k + w);
        }
        V.copyWithin(i.r0 * 64, t, t + n);
        finishVex(c, i.r0, n);
      });
    } else {
      // store: mem, mask (vvvv), src
      def(f.name, (c: Cpu, i: Insn) => {
        vexGate(c);
        const la = c.ea(i), V = c.v8, m = i.r1 * 64, s = i.r2 * 64;
        for (let k = 0; k < n; k += w) if (V[m + k + w - 1] & 0x80) c.probe(la + k, w, 1);
        for (let k = 0; k < n; k += w) if (V[m + k + w - 1] & 0x80) c.wrBytes(la + k, w, V, s + k);
      });
    }
  }
}

export { storeMem, ud };
