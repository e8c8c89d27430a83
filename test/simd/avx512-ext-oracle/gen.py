#!/usr/bin/env python3
"""
Silicon oracle for the AVX-512 extension tests (VBMI, VBMI2, VNNI, AVX-VNNI,
IFMA, BITALG, VPOPCNTDQ, GFNI in legacy/VEX/EVEX forms). Same scheme as
../avx512-oracle/gen.py: writes gen.c (one inline-asm block per case),
compiles it with gcc -masm=intel, runs it natively on this machine (which
has all of these extensions), and writes cases.json: for every case the
instruction's bytes (copied from the running code between two labels), the
inputs (zmm1-4, k1, k2, MXCSR, RAX, a 512-byte memory buffer addressed by
RDI) and the outputs (zmm1, k1, k2, MXCSR, RAX, RFLAGS, the buffer).

    python3 test/simd/avx512-ext-oracle/gen.py      # regenerates cases.json

Only the generator and the JSON are committed, never the binary.
"""
import json, os, random, struct, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
M = ['', '{k1}', '{k1}{z}']

cases = []  # (intel text, data kind, mxcsr list)

def add(text, kind='int', masks=True, mx=None):
    variants = M if masks and '{M}' in text else ['']
    for m in variants:
        cases.append((text.replace('{M}', m), kind, mx or [0x1F80]))

def vl(text, kind='int', masks=True, mx=None, widths=('zmm', 'ymm', 'xmm')):
    for w in widths:
        add(text.replace('V', w), kind, masks, mx)

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
    elif kind == 'idx':
        for _ in range(8): b += struct.pack('<Q', rng.randrange(0, 56) | (rng.randrange(0, 56) << 32 if rng.random() < 0.0 else 0))
    else:
        for _ in range(16):
            r = rng.random()
            v = rng.getrandbits(32) if r < 0.5 else rng.randrange(0, 70) if r < 0.75 else rng.choice([0, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 0xFF7F807F, 0x00010000])
            b += struct.pack('<I', v)
    return bytes(b)

def cpu_name():
    for line in open('/proc/cpuinfo'):
        if line.startswith('model name'): return line.split(':', 1)[1].strip()
    return 'unknown'

def esc(t):
    return t.replace('{', '%{').replace('}', '%}')

IN = 0      # zmm1..zmm4 at 0..255, k1 256, k2 264, mxcsr 272, rax 280
OUT = 512   # zmm1 512, k1 576, k2 584, mxcsr 592, rax 600, rflags 608, start 616, end 624
MEMBUF = 1024  # 512 bytes

def main():
    src = ['#include <stdio.h>', '#include <string.h>', '#include <stdint.h>',
           'static unsigned char io[2048] __attribute__((aligned(64)));', 'static unsigned char *code[2];']
    for n, (text, kind, mx) in enumerate(cases):
        src.append(f'static void t{n}(void) {{ unsigned char *p = io; __asm__ volatile(')
        src.append('"vmovdqu64 zmm1, [%0]\\n\\t" "vmovdqu64 zmm2, [%0+64]\\n\\t" "vmovdqu64 zmm3, [%0+128]\\n\\t" "vmovdqu64 zmm4, [%0+192]\\n\\t"')
        src.append('"vmovdqu64 zmm17, [%0+64]\\n\\t" "vmovdqu64 zmm18, [%0+64]\\n\\t"')
        src.append('"kmovq k1, [%0+256]\\n\\t" "kmovq k2, [%0+264]\\n\\t" "ldmxcsr [%0+272]\\n\\t" "mov rax, [%0+280]\\n\\t" "lea rdi, [%0+1024]\\n\\t"')
        src.append(f'"push 0x202\\n\\t" "popfq\\n\\t" "1: {esc(text)}\\n\\t" "2:\\n\\t"')
        src.append('"pushfq\\n\\t" "pop rcx\\n\\t" "mov [%0+608], rcx\\n\\t"')
        src.append('"vmovdqu64 [%0+512], zmm1\\n\\t" "kmovq [%0+576], k1\\n\\t" "kmovq [%0+584], k2\\n\\t" "stmxcsr [%0+592]\\n\\t" "mov [%0+600], rax\\n\\t"')
        src.append('"vmovdqu64 [%0+640], zmm17\\n\\t" "lea rcx, [rip+1b]\\n\\t" "mov [%0+616], rcx\\n\\t" "lea rcx, [rip+2b]\\n\\t" "mov [%0+624], rcx\\n\\t" "ldmxcsr [%0+272]\\n\\t"')
        src.append(':: "r"(p) : "rax", "rcx", "rdi", "memory", "cc", "xmm1", "xmm2", "xmm3", "xmm4", "xmm17", "xmm18"); }')
    src.append('static void (*T[])(void) = {' + ','.join(f't{n}' for n in range(len(cases))) + '};')
    src.append('''
int main(void) {
  unsigned char buf[2048];
  int n;
  while (fread(&n, 4, 1, stdin) == 1) {
    if (fread(io, 1, 2048, stdin) != 2048) return 1;
    T[n]();
    uint64_t s, e; memcpy(&s, io + 616, 8); memcpy(&e, io + 624, 8);
    io[1000] = (unsigned char)(e - s); memcpy(io + 704, (void *)(uintptr_t)s, e - s);
    fwrite(io, 1, 2048, stdout); fflush(stdout);
  }
  (void)buf;
  return 0;
}''')
    tmp = tempfile.mkdtemp()
    cfile, exe = os.path.join(tmp, 'gen.c'), os.path.join(tmp, 'gen')
    open(cfile, 'w').write('\n'.join(src))
    subprocess.run(['gcc', '-O2', '-mavx512f', '-mavx512bw', '-mavx512vl', '-mavx512vbmi', '-mavx512vbmi2', '-mavx512vnni', '-mavxvnni',
                    '-mavx512ifma', '-mavx512bitalg', '-mavx512vpopcntdq', '-mgfni', '-mno-red-zone', '-masm=intel', '-o', exe, cfile], check=True)
    out = []
    reqs = bytearray(); meta = []
    for n, (text, kind, mx) in enumerate(cases):
        for m in mx:
            io = bytearray(2048)
            k2 = kind if kind in ('small', 'sat', 'ones') else 'int'
            io[0:64] = vec(k2); io[64:128] = vec(k2); io[128:192] = vec(k2)
            io[192:256] = vec('idx') if kind == 'idx' else vec(kind) if kind == 'sbox' else vec(k2)
            io[256:264] = struct.pack('<Q', rng.getrandbits(64))
            io[264:272] = struct.pack('<Q', rng.getrandbits(64))
            io[272:276] = struct.pack('<I', m)
            io[280:288] = struct.pack('<Q', rng.getrandbits(64) if rng.random() < 0.6 else rng.randrange(0, 1 << 20))
            for off in range(1024, 1536, 64): io[off:off + 64] = vec(k2)
            reqs += struct.pack('<i', n) + io
            meta.append((n, bytes(io)))
    pr = subprocess.run([exe], input=bytes(reqs), capture_output=True)
    res = pr.stdout
    if pr.returncode != 0:
        bad = meta[len(res) // 2048][0]
        sys.exit(f'oracle died ({pr.returncode}) at case {bad}: {cases[bad][0]}')
    for j, (n, io) in enumerate(meta):
        o = res[j * 2048:(j + 1) * 2048]
        text = cases[n][0]
        r = {'insn': text, 'bytes': o[704:704 + o[1000]].hex(), 'in': (io[0:192] + (io[192:256] if 'mm4' in text else b'') + io[256:288]).hex(),
             'out': o[512:616].hex()}
        if 'mm17' in text: r['zmm17'] = o[640:704].hex()
        if 'rdi' in text:
            r['mem'] = io[1024:1536].hex()
            if o[1024:1536] != io[1024:1536]: r['outmem'] = o[1024:1536].hex()
        out.append(r)
    final = out
    json.dump({'note': 'captured natively by gen.py on ' + cpu_name() + '; in = zmm1-3 (zmm4 when used), k1, k2, mxcsr(+pad), rax; out = zmm1, k1, k2, mxcsr(+pad), rax, rflags', 'cases': final}, open(os.path.join(HERE, 'cases.json'), 'w'), separators=(',', ':'))

if __name__ == '__main__':
    main()
