#!/usr/bin/env python3
"""Generates test/simd/sse-gcc-fixture.json: expected results of SSE/AVX instructions
captured natively on the development machine (an AMD EPYC with AVX2/FMA/F16C/SSE4a).

For every instruction text in INSNS and every input set, a C program (gcc -O0
-masm=intel) loads ymm1 = A, ymm2 = B, ymm0 = M, ymm3 = D, eax = 5, edx = 9,
ecx = 0x1234, MXCSR = 0x1f80, runs the instruction once, and records ymm3, ymm0,
ecx, RFLAGS & 0x8d5 and MXCSR. The test replays the same instruction text in the
emulator with the same inputs. The binary is not kept; run this script to regenerate.
"""
import json, os, random, struct, subprocess, tempfile

INSNS = [
    # legacy SSE (bits 255:128 of ymm3 must be preserved)
    'packusdw xmm3, xmm2', 'packssdw xmm3, xmm2', 'pmaddubsw xmm3, xmm2', 'mpsadbw xmm3, xmm2, 0x5',
    'phminposuw xmm3, xmm2', 'insertps xmm3, xmm2, 0x9d', 'pblendvb xmm3, xmm2', 'blendvpd xmm3, xmm2',
    'pcmpistri xmm1, xmm2, 0x18', 'pcmpestri xmm1, xmm2, 0x34', 'pcmpistrm xmm1, xmm2, 0x40', 'pcmpestrm xmm1, xmm2, 0x44',
    'pcmpistri xmm1, xmm2, 0x0c', 'pcmpestrm xmm1, xmm2, 0x19', 'pcmpistri xmm1, xmm2, 0x7d',
    'phaddsw xmm3, xmm2', 'phsubd xmm3, xmm2', 'psignb xmm3, xmm2', 'pmulhrsw xmm3, xmm2', 'pshufhw xmm3, xmm2, 0x1b',
    'shufpd xmm3, xmm2, 1', 'movshdup xmm3, xmm2', 'unpckhpd xmm3, xmm2', 'pclmulqdq xmm3, xmm2, 0x11',
    'haddps xmm3, xmm2', 'addsubpd xmm3, xmm2', 'dpps xmm3, xmm2, 0xb7', 'dppd xmm3, xmm2, 0x33',
    'roundps xmm3, xmm2, 4', 'roundsd xmm3, xmm2, 1', 'cvtps2dq xmm3, xmm2', 'cvttpd2dq xmm3, xmm2', 'cvtpd2ps xmm3, xmm2',
    'cvtdq2ps xmm3, xmm2', 'minpd xmm3, xmm2', 'maxss xmm3, xmm2', 'cmpps xmm3, xmm2, 5', 'cmpsd xmm3, xmm2, 3',
    'sqrtps xmm3, xmm2', 'divsd xmm3, xmm2', 'ptest xmm3, xmm2', 'pmovzxwq xmm3, xmm2', 'pmovsxbw xmm3, xmm2',
    'extrq xmm3, 12, 20', 'insertq xmm3, xmm2, 12, 20', 'comisd xmm3, xmm2', 'ucomiss xmm3, xmm2',
    'movhlps xmm3, xmm2', 'movlhps xmm3, xmm2', 'pavgw xmm3, xmm2', 'psadbw xmm3, xmm2', 'pminsb xmm3, xmm2',
    # VEX
    'vpackusdw ymm3, ymm1, ymm2', 'vpunpckhbw ymm3, ymm1, ymm2', 'vpalignr ymm3, ymm1, ymm2, 9',
    'vmpsadbw ymm3, ymm1, ymm2, 0x2d', 'vpermq ymm3, ymm2, 0x4e', 'vpermpd ymm3, ymm2, 0x93', 'vpermilpd ymm3, ymm1, ymm2',
    'vpermilps ymm3, ymm2, 0x39', 'vpermilps ymm3, ymm1, ymm2', 'vpermps ymm3, ymm1, ymm2', 'vpblendvb ymm3, ymm1, ymm2, ymm0',
    'vblendps ymm3, ymm1, ymm2, 0xa5', 'vpblendd ymm3, ymm1, ymm2, 0x3c', 'vpblendw ymm3, ymm1, ymm2, 0x96',
    'vpsllvq ymm3, ymm1, ymm2', 'vpsrlvd ymm3, ymm1, ymm2', 'vpsraw ymm3, ymm1, xmm2', 'vpsrad ymm3, ymm1, 7',
    'vpbroadcastw ymm3, xmm2', 'vbroadcastsd ymm3, xmm2', 'vinserti128 ymm3, ymm1, xmm2, 1', 'vextracti128 xmm3, ymm2, 1',
    'vperm2f128 ymm3, ymm1, ymm2, 0x21', 'vphaddw ymm3, ymm1, ymm2', 'vpmaddwd ymm3, ymm1, ymm2', 'vpmovsxwd ymm3, xmm2',
    'vpmovzxbq ymm3, xmm2', 'vpshufb ymm3, ymm1, ymm2', 'vshufps ymm3, ymm1, ymm2, 0x4b', 'vhsubpd ymm3, ymm1, ymm2',
    'vcvtdq2pd ymm3, xmm2', 'vcvtps2pd ymm3, xmm2', 'vcvtpd2dq xmm3, ymm2', 'vcvttps2dq ymm3, ymm2',
    'vcmppd ymm3, ymm1, ymm2, 0x1d', 'vcmpps ymm3, ymm1, ymm2, 0x08', 'vcmpss xmm3, xmm1, xmm2, 0x12',
    'vfnmsub132ps ymm3, ymm1, ymm2', 'vfmsubadd213pd ymm3, ymm1, ymm2', 'vfmadd231ss xmm3, xmm1, xmm2',
    'vfnmadd213sd xmm3, xmm1, xmm2', 'vfmaddsub132ps ymm3, ymm1, ymm2',
    'vtestps ymm1, ymm2', 'vtestpd xmm1, xmm2', 'vptest ymm1, ymm2', 'vcvtps2ph xmm3, ymm2, 3', 'vcvtps2ph xmm3, xmm2, 4',
    'vcvtph2ps ymm3, xmm2', 'vroundpd ymm3, ymm2, 9', 'vpmuldq ymm3, ymm1, ymm2', 'vpmuludq ymm3, ymm1, ymm2',
    'vpabsd ymm3, ymm2', 'vpminsw ymm3, ymm1, ymm2', 'vpmaxud ymm3, ymm1, ymm2', 'vmovddup ymm3, ymm2',
    'vpsrldq ymm3, ymm2, 5', 'vpslldq ymm3, ymm2, 11', 'vaddsubps ymm3, ymm1, ymm2', 'vdpps ymm3, ymm1, ymm2, 0xf3',
    'vpclmulqdq xmm3, xmm1, xmm2, 0x10', 'vinsertps xmm3, xmm1, xmm2, 0x4c', 'vmovss xmm3, xmm1, xmm2',
    'vmovhlps xmm3, xmm1, xmm2', 'vunpcklps ymm3, ymm1, ymm2', 'vpacksswb ymm3, ymm1, ymm2', 'vpcmpgtq ymm3, ymm1, ymm2',
    'vpsignw ymm3, ymm1, ymm2', 'vpmulhuw ymm3, ymm1, ymm2', 'vpsadbw ymm3, ymm1, ymm2', 'vphminposuw xmm3, xmm2',
    'vsqrtpd ymm3, ymm2', 'vdivps ymm3, ymm1, ymm2', 'vmaxpd ymm3, ymm1, ymm2', 'vcvtsd2ss xmm3, xmm1, xmm2',
    'vpcmpestri xmm1, xmm2, 0x0d', 'vpcmpistrm xmm1, xmm2, 0x6a',
]

rnd = random.Random(20261121)
def f32s(vals): return b''.join(struct.pack('<f', v) for v in vals)
def f64s(vals): return b''.join(struct.pack('<d', v) for v in vals)
def special32():
    return rnd.choice([0x7fc00000, 0x7f800001, 0xff800000, 0x00000001, 0x80000000, 0x3f800000, 0x4f000000, 0xcf000001])
def inputs():
    sets = []
    # 1: random bytes
    sets.append([bytes(rnd.randrange(256) for _ in range(32)) for _ in range(4)])
    # 2: modest f32 values with a few specials
    def fl():
        out = []
        for _ in range(8):
            if rnd.random() < 0.2: out.append(struct.pack('<I', special32()))
            else: out.append(struct.pack('<f', rnd.choice([1, -1]) * rnd.uniform(0.01, 1000)))
        return b''.join(out)
    sets.append([fl() for _ in range(4)])
    # 3: modest f64 values
    sets.append([f64s([rnd.choice([1, -1]) * rnd.uniform(0.001, 1e6) for _ in range(4)]) for _ in range(4)])
    # 4: small alphabet strings with a terminator somewhere
    def st():
        b = [rnd.choice(b'abcd') for _ in range(32)]
        b[rnd.randrange(4, 16)] = 0
        return bytes(b)
    sets.append([st(), st(), bytes(rnd.randrange(256) for _ in range(32)), st()])
    return sets

cases = []
for insn in INSNS:
    for s in inputs():
        cases.append({'insn': insn, 'A': s[0].hex(), 'B': s[1].hex(), 'M': s[2].hex(), 'D': s[3].hex()})

src = ['#include <stdio.h>', '#include <stdint.h>', 'static uint8_t in[4][32] __attribute__((aligned(32)));',
       'static uint8_t out[80] __attribute__((aligned(32)));', 'static uint32_t mx = 0x1f80;',
       'static void dump(void){ for(int i=0;i<80;i++) printf("%02x", out[i]); printf("\\n"); }',
       'static void load(const char*h){ for(int i=0;i<128;i++){ unsigned v; sscanf(h+2*i, "%2x", &v); in[i/32][i%32]=v; } }',
       'int main(void){']
for k in cases:
    hexin = k['A'] + k['B'] + k['M'] + k['D']
    src.append(f'  load("{hexin}");')
    src.append('  __asm__ volatile("vmovdqu ymm1, [%0]\\n vmovdqu ymm2, [%0+32]\\n vmovdqu ymm0, [%0+64]\\n vmovdqu ymm3, [%0+96]\\n'
               ' mov eax, 5\\n mov edx, 9\\n mov ecx, 0x1234\\n ldmxcsr [%2]\\n push 0\\n popfq\\n'
               f' {k["insn"]}\\n'
               ' pushfq\\n pop r8\\n vmovdqu [%1], ymm3\\n vmovdqu [%1+32], ymm0\\n mov [%1+64], r8\\n mov [%1+72], ecx\\n stmxcsr [%1+76]\\n'
               '" :: "r"(in), "r"(out), "r"(&mx) : "rax","rcx","rdx","r8","memory","xmm0","xmm1","xmm2","xmm3","cc");')
    src.append('  dump();')
src.append('  return 0; }')
with tempfile.TemporaryDirectory() as d:
    c = os.path.join(d, 'g.c'); exe = os.path.join(d, 'g')
    open(c, 'w').write('\n'.join(src))
    subprocess.check_call(['gcc', '-O0', '-masm=intel', '-mavx2', '-mfma', '-mf16c', '-msse4a', '-mpclmul', c, '-o', exe])
    lines = subprocess.check_output([exe]).decode().split()
for k, line in zip(cases, lines):
    b = bytes.fromhex(line)
    k['ymm3'] = b[0:32].hex(); k['ymm0'] = b[32:64].hex()
    k['rflags'] = hex(int.from_bytes(b[64:72], 'little') & 0x8d5)
    k['ecx'] = hex(int.from_bytes(b[72:76], 'little')); k['mxcsr'] = hex(int.from_bytes(b[76:80], 'little'))
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sse-gcc-fixture.json')
json.dump({'source': 'captured natively by test/simd/sse-gcc-gen.py (gcc -O0 -masm=intel inline asm) on an AMD EPYC', 'cases': cases}, open(out, 'w'), indent=0)
print(len(cases), 'cases')
