#!/usr/bin/env python3
"""
Silicon oracle for the AVX-512 extension tests (VBMI, VBMI2, VNNI, AVX-VNNI,
IFMA, BITALG, VPOPCNTDQ, GFNI in legacy/VEX/EVEX forms). Same scheme and
harness (../oracle_harness.py) as ../avx512-oracle/gen.py: writes gen.c (one
inline-asm block per case), compiles it with gcc -masm=intel, runs it natively
on this machine (which has all of these extensions), and writes cases.json:
for every case the instruction's bytes (copied from the running code between
two labels), the inputs (zmm1-4, k1, k2, MXCSR, RAX, a 512-byte memory buffer
addressed by RDI) and the outputs (zmm1, k1, k2, MXCSR, RAX, RFLAGS, the buffer).

    python3 test/simd/avx512-ext-oracle/gen.py      # regenerates cases.json

Only the generator and the JSON are committed, never the binary.
"""
import os, random, struct, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from oracle_harness import add, vl, base_vec, run

# ---------------------------------------------------------------- the extensions
# AVX512_VBMI
for op in ['vpermb', 'vpermi2b', 'vpermt2b', 'vpmultishiftqb']:
    vl(f'{op} V1{{M}}, V2, V3')
add('vpermb zmm1{M}, zmm2, [rdi]'); add('vpermt2b ymm1{M}, ymm2, [rdi+32]')
add('vpmultishiftqb zmm1{M}, zmm2, [rdi]'); add('vpmultishiftqb zmm1{M}, zmm2, qword ptr [rdi+8]{1to8}')
add('vpmultishiftqb xmm1{M}, xmm2, qword ptr [rdi]{1to2}')
# AVX512_VBMI2
for t in ['b', 'w']:
    vl(f'vpcompress{t} V1{{M}}, V2'); vl(f'vpexpand{t} V1{{M}}, V2')
    add(f'vpcompress{t} [rdi+3]{{k1}}, zmm2', masks=False); add(f'vpcompress{t} [rdi+1]{{k1}}, xmm2', masks=False)
    add(f'vpcompress{t} [rdi], ymm2', masks=False)
    add(f'vpexpand{t} zmm1{{M}}, [rdi+5]'); add(f'vpexpand{t} ymm1{{M}}, [rdi]')
for t in ['w', 'd', 'q']:
    for op in ['vpshld', 'vpshrd']:
        for imm in [0, 1, 7, 13, 31, 45, 64 + 3, 255]:
            vl(f'{op}{t} V1{{M}}, V2, V3, {imm}', masks=imm in (7, 45))
        add(f'{op}{t} zmm1{{M}}, zmm2, [rdi], 5')
    for op in ['vpshldv', 'vpshrdv']:
        vl(f'{op}{t} V1{{M}}, V2, V3')
        vl(f'{op}{t} V1{{M}}, V2, V3', kind='small')
        add(f'{op}{t} zmm1{{M}}, zmm2, [rdi]', kind='small')
add('vpshldd zmm1{M}, zmm2, dword ptr [rdi]{1to16}, 9'); add('vpshrdq ymm1{M}, ymm2, qword ptr [rdi]{1to4}, 50')
add('vpshldvq zmm1{M}, zmm2, qword ptr [rdi]{1to8}', kind='small'); add('vpshrdvd xmm1{M}, xmm2, dword ptr [rdi+4]{1to4}', kind='small')
# AVX512_VNNI and AVX-VNNI
for op in ['vpdpbusd', 'vpdpbusds', 'vpdpwssd', 'vpdpwssds']:
    vl(f'{op} V1{{M}}, V2, V3'); vl(f'{op} V1{{M}}, V2, V3', kind='sat')
    add(f'{op} zmm1{{M}}, zmm2, [rdi]', kind='sat'); add(f'{op} ymm1{{M}}, ymm2, dword ptr [rdi+4]{{1to8}}')
    for w in ['xmm', 'ymm']:
        add(f'{{vex}} {op} {w}1, {w}2, {w}3', kind='sat', masks=False)
    add(f'{{vex}} {op} ymm1, ymm2, [rdi]', masks=False)
# AVX512_IFMA
for op in ['vpmadd52luq', 'vpmadd52huq']:
    vl(f'{op} V1{{M}}, V2, V3'); vl(f'{op} V1{{M}}, V2, V3', kind='ones')
    add(f'{op} zmm1{{M}}, zmm2, [rdi]'); add(f'{op} xmm1{{M}}, xmm2, qword ptr [rdi+8]{{1to2}}', kind='ones')
# AVX512_BITALG, AVX512_VPOPCNTDQ
for t in ['b', 'w', 'd', 'q']:
    vl(f'vpopcnt{t} V1{{M}}, V2')
    add(f'vpopcnt{t} zmm1{{M}}, [rdi]')
add('vpopcntd zmm1{M}, dword ptr [rdi]{1to16}'); add('vpopcntq ymm1{M}, qword ptr [rdi+8]{1to4}')
for w in ['zmm', 'ymm', 'xmm']:
    add(f'vpshufbitqmb k2, {w}2, {w}3', masks=False); add(f'vpshufbitqmb k2{{k1}}, {w}2, {w}3', masks=False)
add('vpshufbitqmb k2{k1}, zmm2, [rdi]', masks=False)
# GFNI: legacy SSE, VEX, EVEX
for op, imms in [('gf2p8mulb', [None]), ('gf2p8affineqb', [0, 0x63, 0xA5]), ('gf2p8affineinvqb', [0, 0x63, 0x1F])]:
    for imm in imms:
        sfx = '' if imm is None else f', {imm}'
        add(f'{op} xmm1, xmm2{sfx}', masks=False); add(f'{op} xmm1, [rdi+16]{sfx}', masks=False)
        for w in ['xmm', 'ymm']:
            add(f'{{vex}} v{op} {w}1, {w}2, {w}3{sfx}', masks=False)
        add(f'{{vex}} v{op} ymm1, ymm2, [rdi]{sfx}', masks=False)
        vl(f'v{op} V1{{M}}, V2, V3{sfx}')
        add(f'v{op} zmm1{{M}}, zmm2, [rdi]{sfx}')
        if imm is not None:
            add(f'v{op} zmm1{{M}}, zmm2, qword ptr [rdi+8]{{1to8}}{sfx}'); add(f'v{op} xmm1{{M}}, xmm2, qword ptr [rdi]{{1to2}}{sfx}')
# the AES S-box as an affine transform of the inverse: matrix 0xF1E3C78F1F3E7CF8, constant 0x63
add('vgf2p8affineinvqb zmm1, zmm2, zmm4, 0x63', kind='sbox', masks=False)

# ---------------------------------------------------------------- data
rng = random.Random(0xE77E512)
def vec(kind):
    b = bytearray()
    if kind == 'small':
        for _ in range(64): b.append(rng.choice([0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 0x80, 0xFF, rng.getrandbits(8)]))
    elif kind == 'sat':
        for _ in range(16): b += struct.pack('<I', rng.choice([0x7FFFFFFF, 0x7FFFFF00, 0x80000000, 0x80000100, 0x7FFF7FFF, 0x80008000, 0xFFFFFFFF, rng.getrandbits(32)]))
    elif kind == 'ones':
        for _ in range(8): b += struct.pack('<Q', rng.choice([(1 << 64) - 1, (1 << 52) - 1, 0xFFF0000000000000, 1 << 51, rng.getrandbits(64)]))
    elif kind == 'sbox':
        for _ in range(8): b += struct.pack('<Q', 0xF1E3C78F1F3E7CF8)
    else:
        return base_vec(rng, kind)
    return bytes(b)

def fill_zmm(io, kind):
    k2 = kind if kind in ('small', 'sat', 'ones') else 'int'
    io[0:64] = vec(k2); io[64:128] = vec(k2); io[128:192] = vec(k2)
    io[192:256] = vec('idx') if kind == 'idx' else vec(kind) if kind == 'sbox' else vec(k2)
    return k2

def main():
    run(HERE, ['-mavx512f', '-mavx512bw', '-mavx512vl', '-mavx512vbmi', '-mavx512vbmi2', '-mavx512vnni', '-mavxvnni',
               '-mavx512ifma', '-mavx512bitalg', '-mavx512vpopcntdq', '-mgfni'], rng, vec, fill_zmm)

if __name__ == '__main__':
    main()
