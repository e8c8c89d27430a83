/**
 * VRCP14 / VRSQRT14 through the instruction handlers. Powers of two are exact
 * in Intel's reference algorithm (relative error bound 2^-14 and an exactly
 * representable result): 1/4 = 0.25, 1/sqrt(4) = 0.5, 1/sqrt(16) = 0.25.
 */
import { describe, it, expect } from 'vitest';
import { mem, rax, zmm0, zmm1, k1, eax } from '../../guest-kernel/asm/index.ts';
import { kernel, boot, exit, RESULT } from '../helpers/kernel.ts';
import { cr4, ecx, edx } from '../../guest-kernel/asm/index.ts';

function run(body: (a: Parameters<Parameters<typeof kernel>[0]>[0]) => void) {
  return boot(kernel((a) => {
    a.mov(rax, cr4); a.or(eax, 1 << 18); a.mov(cr4, rax);   // OSXSAVE
    a.xor(ecx, ecx); a.mov(eax, 0xe7); a.xor(edx, edx); a.xsetbv();
    body(a);
    exit(a, 0);
    a.section('rodata');
    a.align(64);
    // 16 floats: 4.0, 16.0, 1.0, 0.25, then 2.0 repeated
    a.label('src');
    a.dd(0x40800000, 0x41800000, 0x3f800000, 0x3e800000, ...Array(12).fill(0x40000000));
  }));
}

describe('VRCP14PS / VRSQRT14PS', () => {
  it('exact results for powers of two, merge-masked', () => {
    const r = run((a) => {
      a.vmovups(zmm0, mem.zmmword('src'));
      a.mov(eax, 0x000f); a.kmovw(k1, eax);
      a.vxorps(zmm1, zmm1, zmm1);
      a.vrcp14ps(zmm1.k(k1), zmm0);
      a.vmovups(mem.zmmword({ disp: RESULT, abs: true }), zmm1);
      a.vrsqrt14ps(zmm1, zmm0);
      a.vmovups(mem.zmmword({ disp: RESULT + 64, abs: true }), zmm1);
    });
    expect(r.stop).toEqual({ kind: 'exit', status: 0 });
    const f = new Float32Array(r.m.mem.buf, RESULT, 32);
    expect([...f.subarray(0, 5)]).toEqual([0.25, 0.0625, 1, 4, 0]); // lane 4 masked off: stays 0
    expect([...f.subarray(16, 20)]).toEqual([0.5, 0.25, 1, 2]);
  });
});
