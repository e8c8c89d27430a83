/**
 * Near branches: Jcc, JMP, CALL, RET, LOOPcc, JrCXZ (SDM vol. 2). Every
 * handler sets RIP (they end their block). A target that is not canonical
 * raises #GP(0) at the branch, with nothing pushed or popped.
 */
import { defineInsn } from './registry.ts';
import { compile } from './gen.ts';
import { CC_SRC, CC_NAMES, PARITY } from '../cpu/flags.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const P2_32 = 4294967296;
const owner = 'control';

const CC_CODE = ['Jo', 'Jno', 'Jb', 'Jae', 'Je', 'Jne', 'Jbe', 'Ja', 'Js', 'Jns', 'Jp', 'Jnp', 'Jl', 'Jge', 'Jle', 'Jg'];
for (let cc = 0; cc < 16; cc++) {
  const h = compile(`J${CC_NAMES[cc]}`, `
    if (${CC_SRC[cc]}) c.rip = c.canon(c.rip + i.len + i.rel, false, 'branch target');
    else c.rip += i.len;`, { PAR: PARITY });
  defineInsn([`${CC_CODE[cc]}_rel8_64`, `${CC_CODE[cc]}_rel32_64`], { owner, exec: h, term: true });
}

defineInsn(['Jmp_rel8_64', 'Jmp_rel32_64'], {
  owner, term: true,
  exec: (c, i) => { c.rip = c.canon(c.rip + i.len + i.rel, false, 'branch target'); },
});

/** Reads an r/m64 branch target as a signed linear address. */
function target64(c: Cpu, i: Insn): number {
  if (i.memOp < 0) return c.R[2 * i.r0 + 1] * P2_32 + (c.R[2 * i.r0] >>> 0);
  const lo = c.rd64(c.ea(i));
  return c.mhi * P2_32 + (lo >>> 0);
}

defineInsn('Jmp_rm64', {
  owner, term: true,
  exec: (c, i) => { c.rip = c.canon(target64(c, i), false, 'branch target'); },
});

/** Pushes a linear address: `| 0` takes bits 31:0, and the rest divided by 2^32 (exactly, as a product) is bits 63:32. */
function pushRip(c: Cpu, next: number): void {
  const lo = next | 0;
  c.push64(lo, ((next - (lo >>> 0)) * 2.3283064365386963e-10) | 0);
}

defineInsn('Call_rel32_64', {
  owner, term: true,
  exec: (c, i) => {
    const next = c.rip + i.len;
    const t = c.canon(next + i.rel, false, 'call target');
    pushRip(c, next);
    c.rip = t;
  },
});

defineInsn('Call_rm64', {
  owner, term: true,
  exec: (c, i) => {
    const next = c.rip + i.len;
    const t = c.canon(target64(c, i), false, 'call target');
    pushRip(c, next);
    c.rip = t;
  },
});

function ret(c: Cpu, extra: number): void {
  const lo = c.rd64(c.stackAddr(0));
  const t = c.canon(c.mhi * P2_32 + (lo >>> 0), false, 'return address');
  c.addRsp(8 + extra);
  c.rip = t;
}
defineInsn('Retnq', { owner, term: true, exec: (c) => ret(c, 0) });
defineInsn('Retnq_imm16', { owner, term: true, exec: (c, i) => ret(c, i.imm & 0xffff) });

// LOOP/LOOPE/LOOPNE and JRCXZ/JECXZ: the counter is RCX, or ECX with a 67H prefix.
function loop(kind: 0 | 1 | 2, ecx: boolean) {
  return (c: Cpu, i: Insn) => {
    const R = c.R;
    let zero: boolean;
    if (ecx) { R[2] = (R[2] - 1) | 0; R[3] = 0; zero = R[2] === 0; }
    else {
      const lo = (R[2] - 1) | 0;
      if (R[2] === 0) R[3] = (R[3] - 1) | 0;
      R[2] = lo;
      zero = (R[2] | R[3]) === 0;
    }
    let take = !zero;
    if (kind === 1) take = take && c.fz === 0;
    else if (kind === 2) take = take && c.fz !== 0;
    c.rip = take ? c.canon(c.rip + i.len + i.rel, false, 'branch target') : c.rip + i.len;
  };
}
defineInsn('Loop_rel8_64_RCX', { owner, term: true, exec: loop(0, false) });
defineInsn('Loope_rel8_64_RCX', { owner, term: true, exec: loop(1, false) });
defineInsn('Loopne_rel8_64_RCX', { owner, term: true, exec: loop(2, false) });
defineInsn('Loop_rel8_64_ECX', { owner, term: true, exec: loop(0, true) });
defineInsn('Loope_rel8_64_ECX', { owner, term: true, exec: loop(1, true) });
defineInsn('Loopne_rel8_64_ECX', { owner, term: true, exec: loop(2, true) });
defineInsn('Jrcxz_rel8_64', {
  owner, term: true,
  exec: (c, i) => { c.rip = (c.R[2] | c.R[3]) === 0 ? c.canon(c.rip + i.len + i.rel, false, 'branch target') : c.rip + i.len; },
});
defineInsn('Jecxz_rel8_64', {
  owner, term: true,
  exec: (c, i) => { c.rip = c.R[2] === 0 ? c.canon(c.rip + i.len + i.rel, false, 'branch target') : c.rip + i.len; },
});

export { pushRip };
