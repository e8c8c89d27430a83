/**
 * Dead-flag elision (emulator/cpu/flow.ts): the flag declarations of the
 * instruction table are checked against the handlers themselves, the
 * decoder's choice is checked on blocks worked out by hand, and runs cut at
 * every possible point are compared with runs through the exact handlers.
 */
import { describe, it, expect } from 'vitest';
import { Asm, mem, rax, rbx, rcx, rdx, rsi, r8, r9, eax, ecx } from '../../guest-kernel/asm/index.ts';
import { writeElf } from '../../guest-kernel/asm/elf-writer.ts';
import { Machine } from '../../emulator/machine.ts';
import { bootImage } from '../../emulator/boot/loader.ts';
import { Insn } from '../../emulator/cpu/insn.ts';
import { decodeBlock } from '../../emulator/cpu/decode.ts';
import { getRflags, setArithFlags } from '../../emulator/cpu/flags.ts';
import { definedCodes, lookupInsn, codeName } from '../../emulator/insns/registry.ts';
import type { Cpu } from '../../emulator/cpu/cpu.ts';

const ARITH = 1 | 4 | 16 | 64 | 128 | 2048;

function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x | 0; };
}

describe('flag declarations agree with the handlers', () => {
  const m = new Machine({ memSize: 1 << 20 });
  const c = m.cpus[0];
  const withFlags = definedCodes().filter((code) => lookupInsn(code)!.flags && !lookupInsn(code)!.flags!.memToo);

  it('covers the common integer instructions', () => {
    const names = new Set(withFlags.map(codeName));
    for (const n of ['Add_rm64_r64', 'Sub_r32_rm32', 'Cmp_rm64_imm8', 'Inc_rm64', 'Shl_rm64_imm8', 'Mov_r64_rm64', 'Sete_rm8', 'Cmovne_r64_rm64'])
      expect(names.has(n), n).toBe(true);
  });

  /** Runs handler h of `code` on registers RAX/RBX with the given inputs; returns the registers and arithmetic flags after. */
  function exec(code: number, useNf: boolean, regs: number[], imm: number, flags: number): { regs: number[]; flags: number } {
    const d = lookupInsn(code)!;
    const i = new Insn();
    i.code = code; i.r0 = 0; i.r1 = 3; i.imm = imm; i.immHi = imm >> 31;
    c.R.set(regs);
    setArithFlags(c, flags);
    (useNf ? d.flags!.nf! : d.exec)(c as Cpu, i);
    return { regs: Array.from(c.R), flags: getRflags(c) & ARITH };
  }

  it.each(withFlags.map((code) => [codeName(code), code]))('%s', (_name, code) => {
    const f = lookupInsn(code as number)!.flags!;
    const next = rng((code as number) * 7919);
    for (let n = 0; n < 200; n++) {
      const regs = Array.from({ length: 32 }, next);
      const imm = n % 3 === 0 ? next() & 0x3f : next();
      const i = new Insn(); i.imm = imm;
      const writes = typeof f.writes === 'function' ? f.writes(i) : f.writes;
      const f1 = next() & ARITH, f2 = next() & ARITH;
      // Flags it does not read do not change what it computes.
      const f2same = (f2 & ~f.reads) | (f1 & f.reads);
      const a = exec(code as number, false, regs, imm, f1), b = exec(code as number, false, regs, imm, f2same);
      expect(b.regs).toEqual(a.regs);
      expect(b.flags & writes).toBe(a.flags & writes);
      // Flags it does not write keep their value.
      expect(a.flags & ~writes & ARITH).toBe(f1 & ~writes & ARITH);
      if (f.nf) {
        // The variant computes the same registers and touches no flag.
        const v = exec(code as number, true, regs, imm, f1);
        expect(v.regs).toEqual(a.regs);
        expect(v.flags).toBe(f1);
      }
    }
  });
});

/** Decodes the block at `_start` of a program built by `body`. */
function block(body: (a: Asm) => void): Insn[] {
  const a = new Asm({ base: 0x200000n });
  a.label('_start');
  body(a);
  const m = new Machine({ memSize: 16 << 20 });
  bootImage(m, writeElf(a.link()));
  return decodeBlock(m.cpus[0], m.cpus[0].rip).insns;
}
const elided = (insns: Insn[]) => insns.map((i) => i.exec !== i.full);

describe('the decoder elides exactly the dead flag work', () => {
  it('the alu loop: everything before CMP is dead; CMP feeds JNE', () => {
    const ins = block((a) => {
      a.label('loop');
      a.add(rax, rbx); a.xor(rbx, rdx); a.shl(rdx, 3); a.add(rdx, rax); a.shr(rcx, 1);
      a.xor(rcx, rax); a.sub(rbx, rcx); a.inc(r9); a.cmp(r9, r8); a.jne('loop');
    });
    expect(elided(ins)).toEqual([true, true, true, true, true, true, true, true, false, false]);
  });

  it('INC keeps CF, so the ADD before it that sets CF for ADC stays exact', () => {
    const ins = block((a) => { a.add(rax, rbx); a.inc(rcx); a.adc(rdx, 0); a.cmp(rax, rbx); a.jne('_start'); });
    // ADD: CF live through INC (INC does not write it) into ADC. INC: its flags are dead after ADC writes all.
    expect(elided(ins)).toEqual([false, true, true, false, false]);
  });

  it('a memory access or an instruction without a declaration makes every flag live before it', () => {
    const ins = block((a) => {
      a.add(rax, rbx); a.mov(rcx, mem.qword(rsi)); a.sub(rax, 1);
      a.xor(eax, eax); a.pushfq(); a.sub(rax, 1);
      a.xor(ecx, ecx); a.cmp(rax, rbx); a.jne('_start');
    });
    // Backwards: CMP feeds JNE; XOR ECX and SUB after PUSHF are dead; PUSHF reads all, so XOR EAX is exact;
    // SUB RAX,1 before it is dead; the load is a barrier, so ADD is exact.
    expect(elided(ins)).toEqual([false, false, true, false, false, true, true, false, false]);
  });

  it('a shift by a constant 0 writes nothing, so it elides nothing either', () => {
    const ins = block((a) => { a.add(rax, rbx); a.shl(rdx, 0); a.shl(rcx, 64 + 2); a.cmp(rax, rbx); a.jne('_start'); });
    // SHL by 0: no flag written (ADD's flags pass through it, then die at the next SHL, count 66 & 63 = 2).
    expect(elided(ins)).toEqual([true, false, true, false, false]);
  });
});

describe('runs stopped anywhere see exact flags', () => {
  /** A loop mixing elidable work with flag readers (ADC, SETcc, CMOVcc, PUSHF) and a store of the flags. */
  function program(): Uint8Array {
    const a = new Asm({ base: 0x200000n });
    a.label('_start');
    a.mov(rax, 0x123456789abcdefn); a.mov(rbx, 0x0fedcba987654321n); a.mov(rcx, 7); a.mov(rdx, 3); a.mov(r8, 3000);
    a.mov(rsi, 0x300000);
    a.label('loop');
    a.add(rax, rbx); a.adc(rdx, rcx); a.xor(rbx, rdx); a.shl(rdx, 3); a.sub(rcx, rax); a.setb(mem.byte(rsi));
    a.add(rax, rcx); a.sar(rbx, 5); a.cmovs(rcx, rdx); a.inc(rsi); a.and(rsi, 0x3000ff);
    a.dec(r8); a.jne('loop');
    a.hlt();
    return writeElf(a.link());
  }

  it('at every stop of a run in chunks of 1 to 13 instructions, state equals the run through the exact handlers', () => {
    const img = program();
    const mk = (handlers: boolean) => {
      const m = new Machine({ memSize: 16 << 20 });
      bootImage(m, img);
      if (handlers) m.cpus[0].traceHook = () => {};
      return m;
    };
    const fast = mk(false), exact = mk(true);
    const next = rng(99);
    let stops = 0;
    for (let total = 0; total < 60_000 && !fast.cpus[0].halted; stops++) {
      const n = 1 + ((next() >>> 0) % 13);
      fast.run(n); exact.run(n);
      total += n;
      const a = fast.cpus[0], b = exact.cpus[0];
      expect(a.rip).toBe(b.rip);
      expect(getRflags(a)).toBe(getRflags(b));
      expect(Array.from(a.R)).toEqual(Array.from(b.R));
    }
    expect(stops).toBeGreaterThan(3000);
    expect(Array.from(fast.mem.u8.subarray(0x300000, 0x300100))).toEqual(Array.from(exact.mem.u8.subarray(0x300000, 0x300100)));
  });
});
