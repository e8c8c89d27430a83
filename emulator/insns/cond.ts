/**
 * SETcc and CMOVcc (SDM vol. 2 "SETcc", "CMOVcc"). No flags are written.
 *
 * CMOVcc reads its source even when the condition is false (a memory source
 * faults either way), and a 32-bit destination is always written: with a
 * false condition its bits 63:32 are still cleared.
 */
import iced from 'iced-x86';
import { defineInsn } from './registry.ts';
import { ARITH_FLAGS } from '../cpu/state.ts';
import { compile, readReg, writeReg, readMem, type Width, EA } from './gen.ts';
import { CC_SRC, PARITY } from '../cpu/flags.ts';

const owner = 'cond';
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
const env = { PAR: PARITY };
/** The register forms read a condition (conservatively: every flag) and cannot fault. */
const READS_FLAGS = { reads: ARITH_FLAGS, writes: 0 };
const codes = new Set(Object.keys(iced.Code).filter((k) => isNaN(Number(k))));

for (let cc = 0; cc < 16; cc++) {
  const cond = CC_SRC[cc];
  // 0F 90+cc: SETcc r/m8.
  defineInsn(`Set${CC[cc]}_rm8`, {
    owner,
    exec: compile(`Set${CC[cc]}_reg`, `const v = ${cond} ? 1 : 0; ${writeReg(8, 'i.r0', 'v')}`, env),
    mem: compile(`Set${CC[cc]}_mem`, `c.wr8(c.ea(i), ${cond} ? 1 : 0);`, env),
    flags: READS_FLAGS,
  });
  // 0F 40+cc: CMOVcc r, r/m.
  for (const w of [16, 32, 64] as Width[]) {
    const name = `Cmov${CC[cc]}_r${w}_rm${w}`;
    if (!codes.has(name)) throw new Error(`no iced code ${name}`);
    const mv = w === 64 ? 'const rl = bl, rh = bh;' : 'const r = b;';
    const els = w === 32 ? 'else R[2 * i.r0 + 1] = 0;' : '';
    defineInsn(name, {
      owner,
      exec: compile(`${name}_reg`, `${readReg(w, 'i.r1', 'b')} if (${cond}) { ${mv} ${writeReg(w, 'i.r0', 'r')} } ${els}`, env),
      mem: compile(`${name}_mem`, `${EA} ${readMem(w, 'b', false)} if (${cond}) { ${mv} ${writeReg(w, 'i.r0', 'r')} } ${els}`, env),
      flags: READS_FLAGS,
    });
  }
}
