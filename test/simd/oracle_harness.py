"""
Shared harness of the AVX-512 silicon oracles (avx512-oracle/gen.py and
avx512-ext-oracle/gen.py): the case list, the C program with one inline-asm
block per case, its native run and cases.json. Each generator adds its cases
with add()/vl() and calls run() with its gcc flags and input data.

io layout of one case (2048 bytes, in and out):
  in:  zmm1..zmm4 at 0..255, k1 256, k2 264, mxcsr 272, rax 280
  out: zmm1 512, k1 576, k2 584, mxcsr 592, rax 600, rflags 608, start 616, end 624,
       zmm17 640, the instruction's bytes 704 (length at 1000)
  memory buffer addressed by RDI: 1024..1535
"""
import json, os, struct, subprocess, sys, tempfile

M = ['', '{k1}', '{k1}{z}']

cases = []  # (intel text, data kind, mxcsr list)

def add(text, kind='int', masks=True, mx=None):
    """One case; a '{M}' in the text stands for no mask, merge masking and zero masking."""
    variants = M if masks and '{M}' in text else ['']
    for m in variants:
        cases.append((text.replace('{M}', m), kind, mx or [0x1F80]))

def vl(text, kind='int', masks=True, mx=None, widths=('zmm', 'ymm', 'xmm')):
    """The case at each vector length: 'V' in the text becomes zmm, ymm, xmm."""
    for w in widths:
        add(text.replace('V', w), kind, masks, mx)

def base_vec(rng, kind):
    """64 bytes of input data of the kinds both oracles share: 'idx' (small gather indices) or 'int'."""
    b = bytearray()
    if kind == 'idx':
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

def c_source():
    """The oracle program: reads (case number, io) records on stdin, runs the case, writes io back."""
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
    return '\n'.join(src)

def run(here, gcc_isa, rng, vec, fill_zmm):
    """
    Compiles the oracle with gcc -O2 and the ISA flags gcc_isa, runs every case
    under each of its MXCSR values and writes here/cases.json. fill_zmm(io, kind)
    writes zmm1-4 (io[0:256]) and returns the data kind vec() gives the memory buffer.
    """
    tmp = tempfile.mkdtemp()
    cfile, exe = os.path.join(tmp, 'gen.c'), os.path.join(tmp, 'gen')
    open(cfile, 'w').write(c_source())
    subprocess.run(['gcc', '-O2', *gcc_isa, '-mno-red-zone', '-masm=intel', '-o', exe, cfile], check=True)
    out = []
    reqs = bytearray(); meta = []
    for n, (text, kind, mx) in enumerate(cases):
        for m in mx:
            io = bytearray(2048)
            k2 = fill_zmm(io, kind)
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
    json.dump({'note': 'captured natively by gen.py on ' + cpu_name() + '; in = zmm1-3 (zmm4 when used), k1, k2, mxcsr(+pad), rax; out = zmm1, k1, k2, mxcsr(+pad), rax, rflags', 'cases': out}, open(os.path.join(here, 'cases.json'), 'w'), separators=(',', ':'))
