/**
 * XINUSE after XRSTOR and VZEROUPPER, per model (isa-ext/xsave/xinuse.ts):
 * an XRSTOR that loads AVX (XSTATE_BV[2] = 1) with all-zero data leaves
 * XINUSE[2] = 1 on the Intel model (the SDM: a load sets XINUSE) and 0 on the
 * AMD model (silicon follows values); VZEROUPPER then puts AVX into its
 * initial configuration, so XGETBV(1) bit 2 reads 0 on both.
 */
import { describe, it, expect } from 'vitest';
import { mem, rax, rbx, eax, ecx, edx, cr4 } from '../../guest-kernel/asm/index.ts';
import { kernel, boot, exit, RESULT } from '../helpers/kernel.ts';

const AREA = 0x310000;

function image() {
  return kernel((a) => {
    a.mov(rax, cr4); a.or(eax, 1 << 18); a.mov(cr4, rax);
    a.xor(ecx, ecx); a.mov(eax, 7); a.xor(edx, edx); a.xsetbv();
    a.mov(rbx, AREA);
    a.mov(mem.qword(rbx, 512), 4);              // XSTATE_BV = AVX only, data all zero
    a.mov(eax, 7); a.xor(edx, edx);
    a.xrstor64(mem.ptr(rbx));
    a.mov(ecx, 1); a.xgetbv();
    a.mov(mem.qword({ disp: RESULT, abs: true }), rax);
    a.vzeroupper();
    a.mov(ecx, 1); a.xgetbv();
    a.mov(mem.qword({ disp: RESULT + 8, abs: true }), rax);
    exit(a, 0);
  });
}

describe('XINUSE[2] after XRSTOR of zero AVX data, then VZEROUPPER', () => {
  it.each([
    ['sapphire-rapids', 4n],
    ['genoa', 0n],
  ])('%s: after XRSTOR bit 2 = %s; after VZEROUPPER 0', (cpu, afterXrstor) => {
    const r = boot(image(), { cpu });
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
    expect(r.q(RESULT) & 4n).toBe(afterXrstor);
    expect(r.q(RESULT + 8) & 4n).toBe(0n);
  });
});
