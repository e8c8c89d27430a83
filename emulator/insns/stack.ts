/**
 * PUSH, POP, PUSHF, POPF, ENTER, LEAVE (SDM vol. 2). 64-bit mode: the stack
 * width is 64 bits, or 16 with a 66H prefix; every write happens before RSP
 * is committed.
 */
import { defineInsn } from './registry.ts';
import { compile } from './gen.ts';
import { getRflags, setRflags } from '../cpu/flags.ts';
import { IF, IOPL, RF, VM, VIF, VIP, SEG_FS, SEG_GS } from '../cpu/state.ts';
import type { Cpu } from '../cpu/cpu.ts';
import type { Insn } from '../cpu/insn.ts';

const owner = 'stack';

// 50+r / FF /6: PUSH r/m64 (the memory operand is read before RSP changes).
defineInsn(['Push_r64', 'Push_rm64'], {
  owner,
  exec: compile('Push_r64', 'c.push64(R[2 * i.r0], R[2 * i.r0 + 1]);'),
  mem: compile('Push_rm64_mem', 'const lo = c.rd64(c.ea(i)); c.push64(lo, c.mhi);'),
});
// 66 50+r / 66 FF /6: PUSH r/m16.
defineInsn(['Push_r16', 'Push_rm16'], {
  owner,
  exec: (c, i) => c.push16(i.memOp < 0 ? c.R[2 * i.r0] & 0xffff : c.rd16(c.ea(i))),
});
// 6A / 68: PUSH imm8/imm32 sign-extended to 64 bits; 66 68: PUSH imm16.
defineInsn(['Pushq_imm8', 'Pushq_imm32'], { owner, exec: compile('Pushq_imm', 'c.push64(i.imm, i.immHi);') });
defineInsn(['Pushw_imm8', 'Push_imm16'], { owner, exec: (c, i) => c.push16(i.imm & 0xffff) });

// 58+r / 8F /0: POP r/m64. RSP is incremented before a memory destination's address is computed (SDM "POP");
// POP RSP loads RSP with the value read.
defineInsn(['Pop_r64', 'Pop_rm64'], {
  owner,
  exec: compile('Pop_r64', 'const lo = c.pop64(), hi = c.mhi; R[2 * i.r0] = lo; R[2 * i.r0 + 1] = hi;'),
  mem: (c, i) => {
    const lo = c.pop64(), hi = c.mhi;
    try {
      c.wr64(c.ea(i), lo, hi);
    } catch (e) { c.addRsp(-8); throw e; }
  },
});
defineInsn(['Pop_r16', 'Pop_rm16'], {
  owner,
  exec: (c, i) => {
    const v = c.rd16(c.stackAddr(0));
    c.addRsp(2);
    if (i.memOp < 0) { c.R[2 * i.r0] = (c.R[2 * i.r0] & ~0xffff) | v; return; }
    try { c.wr16(c.ea(i), v); } catch (e) { c.addRsp(-2); throw e; }
  },
});

// PUSH/POP FS and GS (selectors; the bases are not reloaded from a descriptor here).
defineInsn('Pushq_FS', { owner, exec: (c) => c.push64(c.sel[SEG_FS], 0) });
defineInsn('Pushq_GS', { owner, exec: (c) => c.push64(c.sel[SEG_GS], 0) });

// 9C: PUSHFQ pushes RFLAGS with VM and RF cleared.
defineInsn('Pushfq', { owner, exec: (c) => c.push64(getRflags(c) & ~(VM | RF), 0) });
defineInsn('Pushfw', { owner, exec: (c) => c.push16(getRflags(c) & 0xffff) });

/**
 * 9D: POPFQ / 66 9D: POPFW. IOPL changes only at CPL 0, IF only when
 * CPL <= IOPL; VM, VIF, VIP and RF are left alone / cleared as the SDM says
 * for 64-bit mode. Ends the block: IF may open an interrupt window.
 */
function popf(width: 16 | 64) {
  return (c: Cpu, i: Insn) => {
    const sp = c.getRsp();
    const la = c.canon(sp, true, 'stack address');
    const v = width === 64 ? c.rd64(la) : c.rd16(la);
    const old = getRflags(c);
    let keep = VM | VIF | VIP | RF;
    const iopl = (old & IOPL) >> 12;
    if (c.cpl > 0) keep |= IOPL;
    if (c.cpl > iopl) keep |= IF;
    if (width === 16) keep |= ~0xffff;
    let f = (v & ~keep) | (old & keep);
    f &= ~RF;
    setRflags(c, f);
    c.setRsp(sp + (width === 64 ? 8 : 2));
    if (f & IF) c.eventPending = true;
    c.rip += i.len;
  };
}
defineInsn('Popfq', { owner, term: true, exec: popf(64) });
defineInsn('Popfw', { owner, term: true, exec: popf(16) });

// C9: LEAVE: RSP := RBP, then POP RBP.
defineInsn('Leaveq', {
  owner,
  exec: (c) => {
    const bp = c.R[11] * 4294967296 + (c.R[10] >>> 0);
    const lo = c.rd64(c.canon(bp, true, 'stack address'));
    const hi = c.mhi;
    c.setRsp(bp + 8);
    c.R[10] = lo; c.R[11] = hi;
  },
});

// 66 C9: LEAVE with a 16-bit operand: RSP := RBP (the stack-address size is 64), then BP := POP16.
defineInsn('Leavew', {
  owner,
  exec: (c) => {
    const bp = c.R[11] * 4294967296 + (c.R[10] >>> 0);
    const v = c.rd16(c.canon(bp, true, 'stack address'));
    c.setRsp(bp + 2);
    c.R[10] = (c.R[10] & ~0xffff) | v;
  },
});

// C8 iw ib: ENTER with 64-bit frames.
defineInsn('Enterq_imm16_imm8', {
  owner,
  exec: (c, i) => {
    const size = i.imm & 0xffff, level = i.imm2 & 31;
    const rsp0 = c.getRsp();
    const frameBytes = 8 + (level > 0 ? 8 * level : 0);
    c.probe(c.canon(rsp0 - frameBytes, true, 'stack address'), frameBytes, 1);
    let sp = rsp0 - 8;
    c.wr64(sp, c.R[10], c.R[11]);
    const frameTemp = sp;
    let bp = c.R[11] * 4294967296 + (c.R[10] >>> 0);
    for (let k = 1; k < level; k++) {
      bp -= 8;
      const lo = c.rd64(c.canon(bp, true, 'stack address'));
      sp -= 8;
      c.wr64(sp, lo, c.mhi);
    }
    if (level > 0) { sp -= 8; const h = Math.floor(frameTemp / 4294967296); c.wr64(sp, (frameTemp - h * 4294967296) | 0, h | 0); }
    const newSp = c.canon(sp - size, true, 'stack address');
    const h = Math.floor(frameTemp / 4294967296);
    c.R[10] = (frameTemp - h * 4294967296) | 0; c.R[11] = h | 0;
    c.setRsp(newSp);
  },
});
