/**
 * MOV (GPR forms), MOVZX, MOVSX, MOVSXD, LEA (SDM vol. 2 "MOV", "MOVZX",
 * "MOVSX/MOVSXD", "LEA"). No flags.
 */
import iced from 'iced-x86';
import { defineInsn } from './registry.ts';
import { compile, readReg, writeReg, readMem, writeMem, readImm, type Width, EA } from './gen.ts';

const codeNames = Object.keys(iced.Code).filter((k) => isNaN(Number(k)));
/** Register forms write no flag and cannot fault; LEA neither, though it has a memory operand (it only computes the address). */
const NO_FLAGS = { reads: 0, writes: 0 };
const LEA_FLAGS = { reads: 0, writes: 0, memToo: true };
const W: Record<string, Width> = { AL: 8, AX: 16, EAX: 32, RAX: 64 };
const widthOf = (s: string) => (W[s] ?? Number(/(\d+)/.exec(s)![1])) as Width;

for (const name of codeNames) {
  const m = /^Mov_(r|rm)(8|16|32|64)_(r|rm|imm)(8|16|32|64)$/.exec(name);
  if (!m) continue;
  const w = Number(m[2]) as Width, dstRm = m[1] === 'rm', src = m[3];
  const mv = w === 64 ? 'const rl = bl, rh = bh;' : 'const r = b;';
  if (src === 'imm') {
    defineInsn(name, {
      owner: 'mov', flags: NO_FLAGS,
      exec: compile(`${name}_reg`, `${readImm(w, 'b')} ${mv} ${writeReg(w, 'i.r0', 'r')}`),
      mem: dstRm ? compile(`${name}_mem`, `${EA} ${readImm(w, 'b')} ${mv} ${writeMem(w, 'r')}`) : undefined,
    });
  } else if (dstRm) {
    defineInsn(name, {
      owner: 'mov', flags: NO_FLAGS,
      exec: compile(`${name}_reg`, `${readReg(w, 'i.r1', 'b')} ${mv} ${writeReg(w, 'i.r0', 'r')}`),
      mem: compile(`${name}_mem`, `${EA} ${readReg(w, 'i.r1', 'b')} ${mv} ${writeMem(w, 'r')}`),
    });
  } else {
    defineInsn(name, {
      owner: 'mov', flags: NO_FLAGS,
      exec: compile(`${name}_reg`, `${readReg(w, 'i.r1', 'b')} ${mv} ${writeReg(w, 'i.r0', 'r')}`),
      mem: compile(`${name}_mem`, `${EA} ${readMem(w, 'b', false)} ${mv} ${writeReg(w, 'i.r0', 'r')}`),
    });
  }
}

// MOV with a 64-bit absolute address (moffs): A0-A3.
for (const name of codeNames) {
  const m = /^Mov_(AL|AX|EAX|RAX)_moffs(8|16|32|64)$|^Mov_moffs(8|16|32|64)_(AL|AX|EAX|RAX)$/.exec(name);
  if (!m) continue;
  const load = m[1] !== undefined;
  const w = widthOf(load ? m[1] : m[4]);
  const mv = w === 64 ? 'const rl = bl, rh = bh;' : 'const r = b;';
  defineInsn(name, {
    owner: 'mov',
    exec: load
      ? compile(name, `${EA} ${readMem(w, 'b', false)} ${mv} ${writeReg(w, '0', 'r')}`)
      : compile(name, `${EA} ${readReg(w, '0', 'b')} ${mv} ${writeMem(w, 'r')}`),
  });
}

// MOVZX / MOVSX / MOVSXD r, r/m.
for (const name of codeNames) {
  const m = /^(Movzx|Movsx|Movsxd)_r(16|32|64)_rm(8|16|32)$/.exec(name);
  if (!m) continue;
  const dw = Number(m[2]) as Width, sw = Number(m[3]) as Width, sx = m[1] !== 'Movzx';
  const sh = 32 - sw;
  const ext = sx
    ? (sw === 32 ? 'const x = b;' : `const x = (b << ${sh}) >> ${sh};`)
    : 'const x = b;';
  const store = dw === 64
    ? (sx ? 'const rl = x, rh = x >> 31;' : 'const rl = x, rh = 0;')
    : `const r = x${dw === 16 ? ' & 65535' : ''};`;
  defineInsn(name, {
    owner: 'mov', flags: NO_FLAGS,
    exec: compile(`${name}_reg`, `${readReg(sw, 'i.r1', 'b')} ${ext} ${store} ${writeReg(dw, 'i.r0', 'r')}`),
    mem: compile(`${name}_mem`, `${EA} ${readMem(sw, 'b', false)} ${ext} ${store} ${writeReg(dw, 'i.r0', 'r')}`),
  });
}

// LEA r, m: the address computation wraps at the address size, then is truncated to the operand size.
for (const w of [16, 32, 64] as Width[]) {
  const name = `Lea_r${w}_m`;
  defineInsn(name, {
    owner: 'mov', flags: LEA_FLAGS,
    exec: compile(name, `
      let lo = i.dispLo, hi = i.dispHi;
      const b = i.base, x = i.index;
      if (b === 16) { const t = c.rip + i.len, th = Math.floor(t / 4294967296); lo += t - th * 4294967296; hi += th; }
      else if (b >= 0) { lo += R[2 * b] >>> 0; hi += R[2 * b + 1]; }
      if (x >= 0) { lo += (R[2 * x] >>> 0) * i.scale; hi += R[2 * x + 1] * i.scale; }
      hi = (hi + Math.floor(lo / 4294967296)) | 0;
      const rl = lo | 0, rh = i.asz === 32 ? 0 : hi;
      const r = rl;
      ${writeReg(w, 'i.r0', 'r')}`),
  });
}
