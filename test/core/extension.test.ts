/**
 * The extension contract, exercised by a test extension: it registers an
 * instruction (claiming an iced Code no core group owns), an MSR, per-vCPU
 * state, and an event source checked at instruction boundaries.
 */
import { describe, it, expect } from 'vitest';
import { Code, rax, eax, ecx, edx } from '../../guest-kernel/asm/index.ts';
import { kernel, boot, exit } from '../helpers/kernel.ts';
import { defineInsn, lookupInsn } from '../../emulator/insns/registry.ts';
import { gp } from '../../emulator/faults.ts';
import type { IsaExtension } from '../../emulator/extension.ts';
import type { Cpu } from '../../emulator/cpu/cpu.ts';

interface TestState { counter: number; armed: boolean; fired: number }
const st = (c: Cpu) => c.ext.test as TestState;

const testExt: IsaExtension = {
  name: 'test-ext',
  registerInsns: () => {
    // RDRAND r64 (0F C7 /6) stands in for "a new instruction": it returns the vCPU's counter and bumps it.
    defineInsn(Code.Rdrand_r64, {
      owner: 'test-ext',
      exec: (c, i) => { const s = st(c); c.R[2 * i.r0] = s.counter++; c.R[2 * i.r0 + 1] = 0; c.fa = 1; c.fz = 1; c.fs = 0; c.fp = 1; },
    });
  },
  msrs: () => [{
    index: 0x4b564d00, name: 'TEST_ARM',
    read: (c) => BigInt(st(c).counter),
    write: (c, v) => { if (v > 1n) throw gp('TEST_ARM takes 0 or 1'); st(c).armed = v === 1n; c.eventPending = true; },
  }],
  reset: (c) => { c.ext.test = { counter: 40, armed: false, fired: 0 }; },
  pending: (c) => {
    const s = st(c);
    if (!s.armed) return false;
    s.armed = false;
    s.fired++;
    s.counter += 100; // observable side effect at the next boundary
    return true;
  },
};

describe('extension contract', () => {
  it('an extension instruction, MSR, reset state and boundary event all take effect', () => {
    const r = boot(kernel((a) => {
      a.emit(Code.Rdrand_r64, rax);         // 40, counter → 41
      a.mov(ecx, 0x4b564d00);
      a.mov(eax, 1);
      a.xor(edx, edx);
      a.wrmsr();                            // arm: the event fires at the next boundary (counter += 100)
      a.emit(Code.Rdrand_r64, rax);         // 141
      exit(a, rax);
    }), { extensions: [testExt] });
    expect(r.stop).toEqual({ kind: 'exit', status: 141 });
    expect(st(r.m.cpus[0]).fired).toBe(1);
  });

  it('an MSR write the extension refuses is #GP with its reason', () => {
    const r = boot(kernel((a) => {
      a.mov(ecx, 0x4b564d00);
      a.mov(eax, 2);
      a.xor(edx, edx);
      a.wrmsr();
      exit(a, 1);
    }, { withIdt: true }), { extensions: [testExt] });
    expect(r.stop).toEqual({ kind: 'exit', status: 0x40 + 13 });
    expect(String(r.m.cpus[0].lastFault)).toContain('TEST_ARM takes 0 or 1');
  });

  it('two owners of one Code are rejected at registration', () => {
    expect(lookupInsn(Code.Add_rm32_r32)?.owner).toBe('alu');
    expect(() => defineInsn(Code.Add_rm32_r32, { owner: 'test-ext', exec: () => {} })).toThrow(/claimed by both 'alu' and 'test-ext'/);
  });
});
