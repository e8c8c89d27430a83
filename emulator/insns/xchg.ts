/**
 * XCHG, XADD, CMPXCHG, CMPXCHG8B, CMPXCHG16B (SDM vol. 2).
 *
 * - XCHG: no flags. With a memory operand it is locked implicitly (the
 *   destination is checked for write access before anything changes).
 * - XADD: DEST := SRC + DEST, SRC := old DEST; flags as ADD. When both operands
 *   are one register, the sum is what remains.
 * - CMPXCHG: flags as CMP accumulator, DEST. Equal: ZF = 1, DEST := SRC
 *   (the accumulator is not written). Not equal: ZF = 0, accumulator := DEST,
 *   and the destination is written back with its own value (a memory
 *   destination needs write access either way). Rule for a 32-bit register
 *   destination when not equal: its bits 63:32 are left unchanged, as the
 *   captured Zen 4 silicon does (the SDM's pseudo-code would clear them).
 * - CMPXCHG8B/16B: ZF only (CF PF AF SF OF unchanged). Equal: m := ECX:EBX /
 *   RCX:RBX. Not equal: EDX:EAX / RDX:RAX := m (32-bit writes clear bits
 *   63:32) and m is written back with its own value. CMPXCHG16B needs a
 *   16-byte aligned operand (#GP(0)).
 * LOCK is allowed on XCHG/XADD/CMPXCHG* with a memory destination only.
 */
import { defineInsn } from './registry.ts';
import { compile, readReg, writeReg, readMem, writeMem, widthConsts, type Width, EA } from './gen.ts';
import { binop } from './alu.ts';
import { gp } from '../faults.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const owner = 'xchg';
const W: Width[] = [8, 16, 32, 64];
/** Copy `v` (or vl/vh) into `r` (or rl/rh). */
const mv = (w: Width, r: string, v: string) => (w === 64 ? `const ${r}l = ${v}l, ${r}h = ${v}h;` : `const ${r} = ${v};`);

for (const w of W) {
  const k = widthConsts(w);
  // 86/87: XCHG r/m, r. Register form: both registers written (32-bit writes clear bits 63:32).
  const name = `Xchg_rm${w}_r${w}`;
  defineInsn(name, {
    owner, lockable: true,
    exec: compile(`${name}_reg`, `${k} ${readReg(w, 'i.r0', 'a')} ${readReg(w, 'i.r1', 'b')} ${writeReg(w, 'i.r0', 'b')} ${writeReg(w, 'i.r1', 'a')}`),
    mem: compile(`${name}_mem`, `${k} ${EA} ${readMem(w, 'a', true)} ${readReg(w, 'i.r1', 'b')} ${writeMem(w, 'b')} ${writeReg(w, 'i.r1', 'a')}`),
  });
  // 90+r: XCHG r, rAX (operand 1 is the accumulator).
  if (w !== 8) {
    const acc = w === 16 ? 'AX' : w === 32 ? 'EAX' : 'RAX';
    const n2 = `Xchg_r${w}_${acc}`;
    defineInsn(n2, {
      owner,
      exec: compile(n2, `${readReg(w, 'i.r0', 'a')} ${readReg(w, 'i.r1', 'b')} ${writeReg(w, 'i.r0', 'b')} ${writeReg(w, 'i.r1', 'a')}`),
    });
  }

  // 0F C0/C1: XADD r/m, r.
  const add = binop('Add', w);
  const xa = `Xadd_rm${w}_r${w}`;
  defineInsn(xa, {
    owner, lockable: true,
    exec: compile(`${xa}_reg`, `${k} ${readReg(w, 'i.r0', 'a')} ${readReg(w, 'i.r1', 'b')} ${add} ${writeReg(w, 'i.r1', 'a')} ${writeReg(w, 'i.r0', 'r')}`),
    mem: compile(`${xa}_mem`, `${k} ${EA} ${readMem(w, 'a', true)} ${readReg(w, 'i.r1', 'b')} ${add} ${writeMem(w, 'r')} ${writeReg(w, 'i.r1', 'a')}`),
  });

  // 0F B0/B1: CMPXCHG r/m, r. Template inputs: a = accumulator, d = destination, s = source.
  const cmp = binop('Cmp', w);
  const eq = '(c.fz === 0)'; // ZF from the compare
  const accRead = readReg(w, '0', 'a');
  const cx = `Cmpxchg_rm${w}_r${w}`;
  // Register destination. Not equal, 32-bit: EAX := DEST (bits 63:32 of RAX cleared), DEST untouched.
  const regBody = `${k} ${accRead} ${readReg(w, 'i.r0', 'b')} ${cmp}
    if (${eq}) { ${readReg(w, 'i.r1', 's')} ${writeReg(w, 'i.r0', 's')} }
    else { ${mv(w, 'v', 'b')} ${writeReg(w, '0', 'v')} }`;
  const memBody = `${k} ${EA} ${readMem(w, 'b', true)} ${accRead} ${cmp}
    if (${eq}) { ${readReg(w, 'i.r1', 's')} ${writeMem(w, 's')} }
    else { ${writeMem(w, 'b')} ${mv(w, 'v', 'b')} ${writeReg(w, '0', 'v')} }`;
  defineInsn(cx, {
    owner, lockable: true,
    exec: compile(`${cx}_reg`, regBody),
    mem: compile(`${cx}_mem`, memBody),
  });
}

// 0F C7 /1: CMPXCHG8B m64 / REX.W CMPXCHG16B m128.
function setZf(c: Cpu, z: boolean): void {
  c.fz = z ? 0 : 1;
}
defineInsn('Cmpxchg8b_m64', {
  owner, lockable: true,
  exec: (c: Cpu, i: Insn) => {
    const R = c.R;
    const la = c.ea(i);
    const lo = c.rdw64(la), hi = c.mhi;
    if (lo === R[0] && hi === R[4]) {
      c.wr64(la, R[6], R[2]);
      setZf(c, true);
    } else {
      c.wr64(la, lo, hi);
      R[0] = lo; R[1] = 0; R[4] = hi; R[5] = 0;
      setZf(c, false);
    }
  },
});
defineInsn('Cmpxchg16b_m128', {
  owner, lockable: true,
  exec: (c: Cpu, i: Insn) => {
    const R = c.R;
    const la = c.ea(i);
    if (la % 16 !== 0) throw gp(`CMPXCHG16B: operand at 0x${(la < 0 ? BigInt(la) + (1n << 64n) : BigInt(la)).toString(16)} is not 16-byte aligned`);
    c.probe(la, 16, 1);
    const l0 = c.rd64(la), h0 = c.mhi, l1 = c.rd64(la + 8), h1 = c.mhi;
    if (l0 === R[0] && h0 === R[1] && l1 === R[4] && h1 === R[5]) {
      c.wr64(la, R[6], R[7]);
      c.wr64(la + 8, R[2], R[3]);
      setZf(c, true);
    } else {
      c.wr64(la, l0, h0);
      c.wr64(la + 8, l1, h1);
      R[0] = l0; R[1] = h0; R[4] = l1; R[5] = h1;
      setZf(c, false);
    }
  },
});
