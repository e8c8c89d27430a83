#!/usr/bin/env python3
"""
Silicon oracle for the AVX-512 tests: writes gen.c (one inline-asm block per
case), compiles it with gcc -O2 -mavx512f -mavx512bw -mavx512vl -mavx512dq
-mavx512cd -masm=intel, runs it natively on this AVX-512 machine, and writes
cases.json: for every case the instruction's bytes (copied from the running
code between two labels), the inputs (zmm1-4, k1, k2, MXCSR, RAX, a 512-byte
memory buffer addressed by RDI) and the outputs (zmm1, k1, k2, MXCSR, RAX,
the buffer).

    python3 test/simd/avx512-oracle/gen.py      # regenerates cases.json

Only the generator and the JSON are committed, never the binary. The harness
(C program, native run, JSON) is ../oracle_harness.py, shared with
../avx512-ext-oracle/gen.py.
"""
import os, random, struct, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from oracle_harness import add, vl, base_vec, run

# ---------------------------------------------------------------- integer
for op in ['vpaddb', 'vpaddw', 'vpaddd', 'vpaddq', 'vpsubb', 'vpsubw', 'vpsubd', 'vpsubq', 'vpaddsb', 'vpaddsw',
           'vpaddusb', 'vpaddusw', 'vpsubsb', 'vpsubsw', 'vpsubusb', 'vpsubusw', 'vpmullw', 'vpmulld', 'vpmullq',
           'vpmulhw', 'vpmulhuw', 'vpmulhrsw', 'vpmuldq', 'vpmuludq', 'vpmaddwd', 'vpmaddubsw',
           'vpminsb', 'vpminsw', 'vpminsd', 'vpminsq', 'vpminub', 'vpminuw', 'vpminud', 'vpminuq',
           'vpmaxsb', 'vpmaxsw', 'vpmaxsd', 'vpmaxsq', 'vpmaxub', 'vpmaxuw', 'vpmaxud', 'vpmaxuq', 'vpavgb', 'vpavgw',
           'vpandd', 'vpandq', 'vpandnd', 'vpandnq', 'vpord', 'vporq', 'vpxord', 'vpxorq', 'vandps', 'vandnpd', 'vorps', 'vxorpd',
           'vpsllvw', 'vpsllvd', 'vpsllvq', 'vpsrlvw', 'vpsrlvd', 'vpsrlvq', 'vpsravw', 'vpsravd', 'vpsravq',
           'vprolvd', 'vprolvq', 'vprorvd', 'vprorvq', 'vpshufb', 'vpermw', 'vpermi2d', 'vpermi2q', 'vpermi2w',
           'vpermi2ps', 'vpermi2pd', 'vpermt2d', 'vpermt2q', 'vpermt2w', 'vpermt2ps', 'vpermt2pd', 'vpermilps', 'vpermilpd',
           'vpunpcklbw', 'vpunpckhbw', 'vpunpcklwd', 'vpunpckhwd', 'vpunpckldq', 'vpunpckhdq', 'vpunpcklqdq', 'vpunpckhqdq',
           'vunpcklps', 'vunpckhps', 'vunpcklpd', 'vunpckhpd', 'vpacksswb', 'vpackuswb', 'vpackssdw', 'vpackusdw',
           'vpblendmb', 'vpblendmw', 'vpblendmd', 'vpblendmq', 'vblendmps', 'vblendmpd']:
    vl(f'{op} V1{{M}}, V2, V3')
add('vpaddd zmm1{M}, zmm2, [rdi]')
add('vpaddd zmm1{M}, zmm2, dword ptr [rdi]{1to16}')
add('vpsubq ymm1{M}, ymm2, qword ptr [rdi+8]{1to4}')
add('vpandq zmm1{M}, zmm2, qword ptr [rdi]{1to8}')
add('vpsravq zmm1{M}, zmm2, [rdi+64]')
add('vpmaxsd xmm1{M}, xmm2, dword ptr [rdi]{1to4}')
add('vpshufb zmm1{M}, zmm2, [rdi]')
for op in ['vpermd', 'vpermq', 'vpermps', 'vpermpd']:
    vl(f'{op} V1{{M}}, V2, V3', widths=('zmm', 'ymm'))
add('vpermd zmm1{M}, zmm2, dword ptr [rdi]{1to16}')
for op in ['vpternlogd', 'vpternlogq']:
    for imm in [0x96, 0xE8, 0xCA, 0x1B]:
        vl(f'{op} V1{{M}}, V2, V3, {imm}')
for op, imms in [('valignd', [3, 17]), ('valignq', [1, 6]), ('vpalignr', [5, 20]), ('vshufps', [0x1B, 0xE4]), ('vshufpd', [0x55, 0xA6]),
                 ('vdbpsadbw', [0x39, 0xE4])]:
    for imm in imms:
        vl(f'{op} V1{{M}}, V2, V3, {imm}')
for op in ['vshuff32x4', 'vshuff64x2', 'vshufi32x4', 'vshufi64x2']:
    vl(f'{op} V1{{M}}, V2, V3, 0x4E', widths=('zmm', 'ymm'))
    add(f'{op} zmm1{{M}}, zmm2, zmm3, 0xB1')
for op in ['vpabsb', 'vpabsw', 'vpabsd', 'vpabsq', 'vplzcntd', 'vplzcntq', 'vpconflictd', 'vpconflictq',
           'vmovsldup', 'vmovshdup', 'vmovddup', 'vmovdqu8', 'vmovdqu16', 'vmovdqu32', 'vmovdqu64', 'vmovdqa32', 'vmovdqa64',
           'vmovaps', 'vmovupd']:
    vl(f'{op} V1{{M}}, V2')
add('vpconflictd zmm1{M}, dword ptr [rdi]{1to16}')
for op, imm in [('vpshufd', 0x1B), ('vpshufhw', 0x72), ('vpshuflw', 0xD8), ('vpermilps', 0x93), ('vpermilpd', 0x5A),
                ('vprold', 7), ('vprolq', 45), ('vprord', 13), ('vprorq', 3)]:
    vl(f'{op} V1{{M}}, V2, {imm}')
vl('vpermq V1{M}, V2, 0x4E', widths=('zmm', 'ymm'))
vl('vpermpd V1{M}, V2, 0x93', widths=('zmm', 'ymm'))
for op in ['vpsllw', 'vpslld', 'vpsllq', 'vpsrlw', 'vpsrld', 'vpsrlq', 'vpsraw', 'vpsrad', 'vpsraq']:
    for imm in [3, 33]:
        vl(f'{op} V1{{M}}, V2, {imm}')
    vl(f'{op} V1{{M}}, V2, xmm3')
for op in ['vpslldq', 'vpsrldq']:
    vl(f'{op} V1, V2, 5', masks=False)
vl('vpsadbw V1, V2, V3', masks=False)
for a, b in [('b', 'w'), ('b', 'd'), ('b', 'q'), ('w', 'd'), ('w', 'q'), ('d', 'q')]:
    for sx in 'sz':
        add(f'vpmov{sx}x{a}{b} zmm1{{M}}, ymm2' if (a, b) in [('b', 'w'), ('w', 'd'), ('d', 'q')] else f'vpmov{sx}x{a}{b} zmm1{{M}}, xmm2')
        add(f'vpmov{sx}x{a}{b} xmm1{{M}}, xmm2')
    add(f'vpmovzx{a}{b} ymm1{{M}}, [rdi]')
for f, t in [('q', 'b'), ('q', 'w'), ('q', 'd'), ('d', 'b'), ('d', 'w'), ('w', 'b')]:
    for k in ['', 's', 'us']:
        dst = 'xmm1' if (f, t) not in [('q', 'd'), ('d', 'w'), ('w', 'b')] else 'ymm1'
        add(f'vpmov{k}{f}{t} {dst}{{M}}, zmm2')
        add(f'vpmov{k}{f}{t} xmm1{{M}}, xmm2')
        add(f'vpmov{k}{f}{t} [rdi+8]{{k1}}, zmm2', masks=False)
for op in ['vpbroadcastb', 'vpbroadcastw', 'vpbroadcastd', 'vpbroadcastq', 'vbroadcastss']:
    vl(f'{op} V1{{M}}, xmm2')
vl('vbroadcastsd V1{M}, xmm2', widths=('zmm', 'ymm'))
add('vpbroadcastd zmm1{M}, eax'); add('vpbroadcastq ymm1{M}, rax'); add('vpbroadcastw zmm1{M}, eax'); add('vpbroadcastb xmm1{M}, eax')
add('vbroadcasti32x4 zmm1{M}, [rdi]'); add('vbroadcastf64x4 zmm1{M}, [rdi]'); add('vbroadcasti32x2 zmm1{M}, xmm2'); add('vbroadcastf64x2 ymm1{M}, [rdi]')
add('vbroadcasti32x8 zmm1{M}, [rdi+32]')
add('vpbroadcastmb2q zmm1, k1', masks=False); add('vpbroadcastmw2d ymm1, k1', masks=False)
for op, src, imm in [('vinserti32x4', 'xmm3', 2), ('vinsertf64x2', 'xmm3', 3), ('vinserti64x4', 'ymm3', 1), ('vinsertf32x8', 'ymm3', 0)]:
    add(f'{op} zmm1{{M}}, zmm2, {src}, {imm}')
add('vinserti32x4 ymm1{M}, ymm2, xmm3, 1')
for op, dst, imm in [('vextracti32x4', 'xmm1', 2), ('vextractf64x2', 'xmm1', 3), ('vextracti64x4', 'ymm1', 1), ('vextractf32x8', 'ymm1', 1)]:
    add(f'{op} {dst}{{M}}, zmm2, {imm}')
add('vextracti32x4 [rdi+16]{k1}, zmm2, 1', masks=False)
for t in ['b', 'w', 'd', 'q']:
    add(f'vpmovm2{t} zmm1, k1', masks=False); add(f'vpmov{t}2m k2, zmm2', masks=False); add(f'vpmov{t}2m k2, xmm2', masks=False)
for op in ['vpcompressd', 'vpcompressq', 'vcompressps', 'vcompresspd']:
    vl(f'{op} V1{{M}}, V2')
    add(f'{op} [rdi+4]{{k1}}, zmm2', masks=False)
for op in ['vpexpandd', 'vpexpandq', 'vexpandps', 'vexpandpd']:
    vl(f'{op} V1{{M}}, V2')
    add(f'{op} zmm1{{M}}, [rdi+4]')
# masked loads and stores
add('vmovdqu8 zmm1{M}, [rdi+3]'); add('vmovdqu16 ymm1{M}, [rdi+2]'); add('vmovdqa64 zmm1{M}, [rdi]')
add('vmovdqu32 [rdi+4]{k1}, zmm2', masks=False); add('vmovdqu8 [rdi+1]{k1}, ymm2', masks=False); add('vmovups [rdi]{k1}, xmm2', masks=False)
add('vmovss xmm1{M}, xmm2, xmm3'); add('vmovsd xmm1{M}, xmm2, xmm3'); add('vmovss xmm1{M}, [rdi]'); add('vmovsd [rdi+8]{k1}, xmm2', masks=False)
add('vmovd xmm1, eax', masks=False); add('vmovq xmm17, rax', masks=False); add('vmovd eax, xmm2', masks=False); add('vmovq xmm1, xmm2', masks=False)
add('vpinsrw xmm1, xmm2, eax, 5', masks=False); add('vpextrb eax, xmm2, 9', masks=False); add('vpinsrq xmm1, xmm18, rax, 1', masks=False)
add('vinsertps xmm1, xmm2, xmm3, 0x9A', masks=False)
add('vmovhps xmm1, xmm2, [rdi]', masks=False); add('vmovlhps xmm1, xmm2, xmm3', masks=False)
# compares
for t in ['b', 'w', 'd', 'q']:
    for u in ['', 'u']:
        for imm in [0, 1, 2, 4, 5, 6]:
            add(f'vpcmp{u}{t} k2{{M}}, zmm2, zmm3, {imm}'.replace('{M}', '{k1}') if imm % 2 else f'vpcmp{u}{t} k2, zmm2, zmm3, {imm}', masks=False)
    add(f'vpcmpeq{t} k2{{k1}}, ymm2, ymm3', masks=False); add(f'vpcmpgt{t} k2, zmm2, zmm3', masks=False)
    add(f'vptestm{t} k2{{k1}}, zmm2, zmm3', masks=False); add(f'vptestnm{t} k2, xmm2, xmm3', masks=False)
add('vpcmpd k2{k1}, zmm2, dword ptr [rdi]{1to16}, 1', masks=False)
add('vpcmpeqd k2, zmm2, zmm2', masks=False)

# ---------------------------------------------------------------- floating point
MX = [0x1F80, 0x5F80, 0x9FC0]
for t, kind in [('ps', 'f32'), ('pd', 'f64')]:
    for op in ['vaddp', 'vsubp', 'vmulp', 'vdivp', 'vminp', 'vmaxp', 'vscalefp']:
        vl(f'{op}{t[1]} V1{{M}}, V2, V3', kind, mx=MX)
    for rc in ['rn-sae', 'rd-sae', 'ru-sae', 'rz-sae']:
        add(f'vaddp{t[1]} zmm1{{M}}, zmm2, zmm3, {{{rc}}}', kind)
        add(f'vdivp{t[1]} zmm1, zmm2, zmm3, {{{rc}}}', kind, masks=False)
    add(f'vmaxp{t[1]} zmm1{{M}}, zmm2, zmm3, {{sae}}', kind)
    vl(f'vsqrtp{t[1]} V1{{M}}, V2', kind, mx=MX)
    add(f'vsqrtp{t[1]} zmm1{{M}}, zmm2, {{ru-sae}}', kind)
    add(f'vmulp{t[1]} zmm1{{M}}, zmm2, [rdi]', kind)
    add(f'vaddp{t[1]} zmm1{{M}}, zmm2, {"dword" if t == "ps" else "qword"} ptr [rdi+8]{{{"1to16" if t == "ps" else "1to8"}}}', kind)
    for fm in ['vfmadd', 'vfmsub', 'vfnmadd', 'vfnmsub', 'vfmaddsub', 'vfmsubadd']:
        for form in ['132', '213', '231']:
            add(f'{fm}{form}{t} zmm1{{M}}, zmm2, zmm3', kind, mx=[0x1F80, 0x3F80])
        add(f'{fm}231{t} ymm1{{M}}, ymm2, ymm3', kind)
    add(f'vfmadd213{t} zmm1{{M}}, zmm2, zmm3, {{rz-sae}}', kind)
    for p in [0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 17, 21, 27, 31]:
        add(f'vcmp{t} k2{{k1}}, zmm2, zmm3, {p}', kind, masks=False)
    add(f'vcmp{t} k2, zmm2, zmm3, {{sae}}, 17', kind, masks=False)
    add(f'vfpclass{t} k2{{k1}}, zmm2, 0xFF', kind, masks=False); add(f'vfpclass{t} k2, zmm2, 0x81', kind, masks=False)
    vl(f'vgetexp{t} V1{{M}}, V2', kind, mx=MX)
    for imm in [0x00, 0x05, 0x0B, 0x0E]:
        add(f'vgetmant{t} zmm1{{M}}, zmm2, {imm}', kind)
    for imm in [0x00, 0x01, 0x12, 0x23, 0x44, 0x08]:
        add(f'vrndscale{t} zmm1{{M}}, zmm2, {imm}', kind, mx=MX)
        add(f'vreduce{t} zmm1{{M}}, zmm2, {imm}', kind, mx=MX)
for s, kind in [('ss', 'f32'), ('sd', 'f64')]:
    for op in ['vadd', 'vsub', 'vmul', 'vdiv', 'vmin', 'vmax', 'vsqrt', 'vscalef', 'vgetexp']:
        add(f'{op}{s} xmm1{{M}}, xmm2, xmm3', kind, mx=MX)
    add(f'vadd{s} xmm1{{M}}, xmm2, xmm3, {{rd-sae}}', kind)
    add(f'vmul{s} xmm1{{M}}, xmm2, [rdi]', kind)
    add(f'vgetmant{s} xmm1{{M}}, xmm2, xmm3, 0x09', kind)
    add(f'vrndscale{s} xmm1{{M}}, xmm2, xmm3, 0x21', kind); add(f'vreduce{s} xmm1{{M}}, xmm2, xmm3, 0x10', kind)
    for fm in ['vfmadd', 'vfmsub', 'vfnmadd', 'vfnmsub']:
        for form in ['132', '213', '231']:
            add(f'{fm}{form}{s} xmm1{{M}}, xmm2, xmm3', kind)
    add(f'vcmp{s} k2{{k1}}, xmm2, xmm3, 4', kind, masks=False); add(f'vcmp{s} k2, xmm2, xmm3, 29', kind, masks=False)
    add(f'vfpclass{s} k2, xmm2, 0x3C', kind, masks=False)
    add(f'vcomi{s} xmm2, xmm3', kind, masks=False); add(f'vucomi{s} xmm2, xmm3', kind, masks=False)
    for cv in ['2si', '2usi']:
        for tt in ['', 't']:
            add(f'vcvt{tt}{s}{cv} rax, xmm2', kind, masks=False, mx=MX)
            add(f'vcvt{tt}{s}{cv} eax, xmm2', kind, masks=False)
    add(f'vcvt{s}2si rax, xmm2, {{ru-sae}}', kind, masks=False)
for s in ['ss', 'sd']:
    add(f'vcvtsi2{s} xmm1, xmm2, rax', 'int', masks=False, mx=MX); add(f'vcvtusi2{s} xmm1, xmm2, rax', 'int', masks=False, mx=MX)
    add(f'vcvtusi2{s} xmm1, xmm2, eax', 'int', masks=False)
add('vcvtsi2ss xmm1, xmm2, {rz-sae}, rax', 'int', masks=False)
add('vcvtss2sd xmm1{M}, xmm2, xmm3', 'f32'); add('vcvtsd2ss xmm1{M}, xmm2, xmm3', 'f64', mx=MX)
for op, kind, dst, src in [
    ('vcvtdq2ps', 'int', 'zmm1', 'zmm2'), ('vcvtudq2ps', 'int', 'zmm1', 'zmm2'), ('vcvtqq2ps', 'int', 'ymm1', 'zmm2'), ('vcvtuqq2ps', 'int', 'ymm1', 'zmm2'),
    ('vcvtqq2ps', 'int', 'xmm1', 'xmm2'),
    ('vcvtdq2pd', 'int', 'zmm1', 'ymm2'), ('vcvtudq2pd', 'int', 'zmm1', 'ymm2'), ('vcvtqq2pd', 'int', 'zmm1', 'zmm2'), ('vcvtuqq2pd', 'int', 'zmm1', 'zmm2'),
    ('vcvtps2dq', 'f32', 'zmm1', 'zmm2'), ('vcvtps2udq', 'f32', 'zmm1', 'zmm2'), ('vcvttps2dq', 'f32', 'zmm1', 'zmm2'), ('vcvttps2udq', 'f32', 'zmm1', 'zmm2'),
    ('vcvtps2qq', 'f32', 'zmm1', 'ymm2'), ('vcvtps2uqq', 'f32', 'zmm1', 'ymm2'), ('vcvttps2qq', 'f32', 'zmm1', 'ymm2'), ('vcvttps2uqq', 'f32', 'zmm1', 'ymm2'),
    ('vcvtpd2dq', 'f64', 'ymm1', 'zmm2'), ('vcvtpd2udq', 'f64', 'ymm1', 'zmm2'), ('vcvttpd2dq', 'f64', 'ymm1', 'zmm2'), ('vcvttpd2udq', 'f64', 'ymm1', 'zmm2'),
    ('vcvtpd2dq', 'f64', 'xmm1', 'xmm2'), ('vcvttpd2udq', 'f64', 'xmm1', 'ymm2'),
    ('vcvtpd2qq', 'f64', 'zmm1', 'zmm2'), ('vcvtpd2uqq', 'f64', 'zmm1', 'zmm2'), ('vcvttpd2qq', 'f64', 'zmm1', 'zmm2'), ('vcvttpd2uqq', 'f64', 'zmm1', 'zmm2'),
    ('vcvtps2pd', 'f32', 'zmm1', 'ymm2'), ('vcvtpd2ps', 'f64', 'ymm1', 'zmm2'), ('vcvtpd2ps', 'f64', 'xmm1', 'xmm2'),
    ('vcvtph2ps', 'int', 'zmm1', 'ymm2'), ('vcvtph2ps', 'int', 'xmm1', 'xmm2'),
]:
    add(f'{op} {dst}{{M}}, {src}', kind, mx=MX)
add('vcvtps2dq zmm1{M}, zmm2, {rd-sae}', 'f32'); add('vcvtudq2ps zmm1{M}, zmm2, {ru-sae}', 'int'); add('vcvttps2udq zmm1{M}, zmm2, {sae}', 'f32')
add('vcvtpd2ps ymm1{M}, zmm2, {rz-sae}', 'f64')
add('vcvtdq2ps zmm1{M}, dword ptr [rdi]{1to16}', 'int')
for imm in [0, 1, 2, 3, 4]:
    add(f'vcvtps2ph ymm1{{M}}, zmm2, {imm}', 'f32', mx=MX)
add('vcvtps2ph xmm1{M}, xmm2, 0', 'f32'); add('vcvtps2ph [rdi+2]{k1}, ymm2, 0', 'f32', masks=False)
for t, kind in [('ps', 'f32'), ('pd', 'f64')]:
    for imm in [0x00, 0x01, 0x0A, 0x0F, 0x7E, 0xFF]:
        add(f'vfixupimm{t} zmm1{{M}}, zmm2, zmm3, {imm}', 'fix' + kind[1:], mx=[0x1F80, 0x1FC0])
    for imm in [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 13, 15]:
        add(f'vrange{t} zmm1{{M}}, zmm2, zmm3, {imm}', kind, mx=[0x1F80, 0x1FC0])
for s, kind in [('ss', 'f32'), ('sd', 'f64')]:
    add(f'vfixupimm{s} xmm1{{M}}, xmm2, xmm3, 0x55', 'fix' + kind[1:]); add(f'vrange{s} xmm1{{M}}, xmm2, xmm3, 6', kind)
# gathers / scatters (zmm4 holds small indices)
for g in ['vpgatherdd zmm1{k1}, [rdi+zmm4*4]', 'vpgatherdq zmm1{k1}, [rdi+ymm4*8]', 'vpgatherqd ymm1{k1}, [rdi+zmm4*4]',
          'vpgatherqq zmm1{k1}, [rdi+zmm4*8]', 'vgatherdps ymm1{k1}, [rdi+ymm4*2+4]', 'vgatherqpd xmm1{k1}, [rdi+xmm4*8]',
          'vpscatterdd [rdi+zmm4*4]{k1}, zmm2', 'vpscatterqq [rdi+zmm4*8]{k1}, zmm2', 'vscatterdpd [rdi+ymm4*8]{k1}, zmm2',
          'vpscatterqd [rdi+zmm4*4]{k1}, ymm2']:
    add(g, 'idx', masks=False)

# ---------------------------------------------------------------- data
rng = random.Random(0x5EED512)
F32S = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7F800001, 0x00000001, 0x807FFFFF,
        0x3F800000, 0xBF800000, 0x4B000000, 0x4F000000, 0x4F800000, 0xCF000000, 0x5F000000, 0x3F000000, 0x3FC00000, 0x7F7FFFFF, 0x00800000]
F64S = [0, 1 << 63, 0x7FF0 << 48, 0xFFF0 << 48, 0x7FF8 << 48, 0xFFF8000000000001, 0x7FF0000000000001, 1, 0x800FFFFFFFFFFFFF,
        0x3FF0000000000000, 0xBFF0000000000000, 0x4330000000000000, 0x41E0000000000000, 0x43E0000000000000, 0x43F0000000000000,
        0xC3E0000000000000, 0x3FE0000000000000, 0x3FF8000000000000, 0x7FEFFFFFFFFFFFFF, 0x0010000000000000]

def f32():
    r = rng.random()
    if r < 0.25: return rng.choice(F32S)
    if r < 0.35: return rng.getrandbits(32)
    return struct.unpack('<I', struct.pack('<f', rng.choice([1, -1]) * rng.uniform(0, 4) * 2.0 ** rng.randint(-30, 40)))[0]

def f64():
    r = rng.random()
    if r < 0.25: return rng.choice(F64S)
    if r < 0.35: return rng.getrandbits(64)
    return struct.unpack('<Q', struct.pack('<d', rng.choice([1, -1]) * rng.uniform(0, 4) * 2.0 ** rng.randint(-60, 70)))[0]

def vec(kind):
    b = bytearray()
    if kind == 'f32':
        for _ in range(16): b += struct.pack('<I', f32())
    elif kind == 'f64':
        for _ in range(8): b += struct.pack('<Q', f64())
    else:
        return base_vec(rng, kind)
    return bytes(b)

def fill_zmm(io, kind):
    k2 = kind if kind in ('f32', 'f64') else 'f32' if kind == 'fix32' else 'f64' if kind == 'fix64' else 'int'
    io[0:64] = vec(k2); io[64:128] = vec(k2); io[128:192] = vec(k2) if not kind.startswith('fix') else bytes(rng.getrandbits(8) for _ in range(64))
    io[192:256] = vec('idx') if kind == 'idx' else vec(k2)
    return k2

def main():
    run(HERE, ['-mavx512f', '-mavx512bw', '-mavx512vl', '-mavx512dq', '-mavx512cd'], rng, vec, fill_zmm)

if __name__ == '__main__':
    main()
