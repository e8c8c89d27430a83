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
  exec: compile('Jmp_rel', `c.rip = c.canon(c.rip + i.len + i.rel, false, 'branch target');`),
});

/** Source reading an r/m64 branch target into \`t\` as a signed linear address. */
const TARGET_REG = 'const t = R[2 * i.r0 + 1] * 4294967296 + (R[2 * i.r0] >>> 0);';
const TARGET_MEM = 'const tlo = c.rd64(c.ea(i)), t = c.mhi * 4294967296 + (tlo >>> 0);';

defineInsn('Jmp_rm64', {
  owner, term: true,
  exec: compile('Jmp_rm64_reg', `${TARGET_REG} c.rip = c.canon(t, false, 'branch target');`),
  mem: compile('Jmp_rm64_mem', `${TARGET_MEM} c.rip = c.canon(t, false, 'branch target');`),
});

/**
 * Source of a near call to linear \`t\`: checks the target, pushes the next
 * instruction's address (\`| 0\` takes bits 31:0; the rest divided by 2^32,
 * exactly, as a product, is bits 63:32), then jumps.
 */
const CALL = `const next = c.rip + i.len, tc = c.canon(t, false, 'call target'), nlo = next | 0;
  c.push64(nlo, ((next - (nlo >>> 0)) * 2.3283064365386963e-10) | 0);
  c.rip = tc;`;

// E8: CALL rel32; FF /2: CALL r/m64.
defineInsn('Call_rel32_64', { owner, term: true, exec: compile('Call_rel32_64', `const t = c.rip + i.len + i.rel; ${CALL}`) });
defineInsn('Call_rm64', {
  owner, term: true,
  exec: compile('Call_rm64_reg', `${TARGET_REG} ${CALL}`),
  mem: compile('Call_rm64_mem', `${TARGET_MEM} ${CALL}`),
});

/** Source of a near return that releases \`extra\` more bytes of stack (C3, C2 iw). */
function ret(extra: string): string {
  return `const lo = c.peek64(), t = c.canon(c.mhi * 4294967296 + (lo >>> 0), false, 'return address');
    c.addRsp(8 + ${extra}); c.rip = t;`;
}
defineInsn('Retnq', { owner, term: true, exec: compile('Retnq', ret('0')) });
defineInsn('Retnq_imm16', { owner, term: true, exec: compile('Retnq_imm16', ret('(i.imm & 65535)')) });

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

