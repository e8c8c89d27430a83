// Silicon oracle for the approximate reciprocals RCPPS/RCPSS/RSQRTPS/RSQRTSS
// (+VEX.256) and VRCP14PS/PD, VRSQRT14PS/PD (AVX-512F). Built and run by
// tools/approx-oracle/run.sh; never committed as a binary.
//
//   oracle sweep32 OP EXP9 MXCSR      2^23 results (u32 LE) for the inputs
//                                     (EXP9 bit 8 = sign, bits 7:0 = biased exponent, mantissa = index)
//   oracle sweep64 OP EXP12 MXCSR     2^18 (input, result) u64 pairs: every top-16 fraction
//                                     pattern x 4 low-36-bit patterns (0, all ones, 2 random)
//   oracle fixture OP SEED N          text fixture lines "input r0 r1 r2 r3" (hex): N random inputs + the
//                                     edge cases, results under MXCSR 1f80, 1fc0 (DAZ), 9f80 (FTZ), 9fc0;
//                                     "=" = the same as under 1f80
//
// OP: rcpps rsqrtps (SSE packed), rcpss rsqrtss (SSE scalar), vrcpps256 vrsqrtps256 (VEX.256),
//     vrcp14ps vrsqrt14ps (EVEX.512 f32), vrcp14pd vrsqrt14pd (EVEX.512 f64).
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;
static uint64_t rnd(void) { // splitmix64
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static int is64(const char *op) { return !strcmp(op, "vrcp14pd") || !strcmp(op, "vrsqrt14pd"); }

// Runs OP over n elements of buf in place (n a multiple of 16 f32 / 8 f64), under MXCSR mx.
__attribute__((target("avx512f,avx"), noinline)) static void run(const char *op, void *vbuf, size_t n, unsigned mx) {
  unsigned saved = _mm_getcsr();
  _mm_setcsr(mx);
  float *f = vbuf;
  double *d = vbuf;
  if (!strcmp(op, "rcpps")) {
    for (size_t i = 0; i < n; i += 4) _mm_storeu_ps(f + i, _mm_rcp_ps(_mm_loadu_ps(f + i)));
  } else if (!strcmp(op, "rsqrtps")) {
    for (size_t i = 0; i < n; i += 4) _mm_storeu_ps(f + i, _mm_rsqrt_ps(_mm_loadu_ps(f + i)));
  } else if (!strcmp(op, "rcpss")) {
    for (size_t i = 0; i < n; i++) _mm_store_ss(f + i, _mm_rcp_ss(_mm_load_ss(f + i)));
  } else if (!strcmp(op, "rsqrtss")) {
    for (size_t i = 0; i < n; i++) _mm_store_ss(f + i, _mm_rsqrt_ss(_mm_load_ss(f + i)));
  } else if (!strcmp(op, "vrcpps256")) {
    for (size_t i = 0; i < n; i += 8) _mm256_storeu_ps(f + i, _mm256_rcp_ps(_mm256_loadu_ps(f + i)));
  } else if (!strcmp(op, "vrsqrtps256")) {
    for (size_t i = 0; i < n; i += 8) _mm256_storeu_ps(f + i, _mm256_rsqrt_ps(_mm256_loadu_ps(f + i)));
  } else if (!strcmp(op, "vrcp14ps")) {
    for (size_t i = 0; i < n; i += 16) _mm512_storeu_ps(f + i, _mm512_rcp14_ps(_mm512_loadu_ps(f + i)));
  } else if (!strcmp(op, "vrsqrt14ps")) {
    for (size_t i = 0; i < n; i += 16) _mm512_storeu_ps(f + i, _mm512_rsqrt14_ps(_mm512_loadu_ps(f + i)));
  } else if (!strcmp(op, "vrcp14pd")) {
    for (size_t i = 0; i < n; i += 8) _mm512_storeu_pd(d + i, _mm512_rcp14_pd(_mm512_loadu_pd(d + i)));
  } else if (!strcmp(op, "vrsqrt14pd")) {
    for (size_t i = 0; i < n; i += 8) _mm512_storeu_pd(d + i, _mm512_rsqrt14_pd(_mm512_loadu_pd(d + i)));
  } else {
    fprintf(stderr, "unknown op %s\n", op);
    exit(2);
  }
  unsigned after = _mm_getcsr();
  _mm_setcsr(saved);
  if ((after & 0x3f) != (mx & 0x3f)) fprintf(stderr, "note: %s raised MXCSR flags %#x\n", op, after & 0x3f);
}

static const unsigned MXCSRS[4] = {0x1f80, 0x1fc0 /* DAZ */, 0x9f80 /* FTZ */, 0x9fc0 /* DAZ+FTZ */};

// Edge-case inputs (f32 or f64 bit patterns).
static size_t edges32(uint32_t *o) {
  size_t n = 0;
  const uint32_t base[] = {0, 1, 2, 0x3ff, 0x1fffff, 0x200000, 0x200001, 0x3fffff, 0x400000, 0x400001, 0x5fffff, 0x7fffff, // zero, denormals
                           0x800000, 0x800001, 0xffffff, 0x1000000, 0x3f800000, 0x3f800001, 0x3f800800, 0x3f8007ff, 0x3fffffff,
                           0x40000000, 0x40000001, 0x407fffff, 0x3f000000, 0x3effffff,
                           0x7e800000, 0x7e800001, 0x7e7fffff, 0x7e7ff000, 0x7e000000, 0x7effffff, 0x7f000000, 0x7f000001, 0x7f7fffff, 0x7f400000,
                           0x7f800000, 0x7f800001, 0x7fbfffff, 0x7fc00000, 0x7fc00001, 0x7fffffff, 0x7fa00000};
  for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) { o[n++] = base[i]; o[n++] = base[i] | 0x80000000u; }
  for (uint32_t e = 0; e < 256; e++) { o[n++] = e << 23; o[n++] = e << 23 | 0x7fffff; o[n++] = e << 23 | 0x400000; } // every exponent
  for (uint32_t e = 248; e < 256; e++) for (int k = 0; k < 16; k++) o[n++] = e << 23 | (uint32_t)(rnd() & 0x7fffff);
  return n;
}
static size_t edges64(uint64_t *o) {
  size_t n = 0;
  const uint64_t base[] = {0, 1, 2, 0xfffffffffffffull, 0x4000000000000ull, 0x4000000000001ull, 0x3ffffffffffffull, 0x8000000000000ull,
                           0x10000000000000ull, 0x10000000000001ull, 0x3ff0000000000000ull, 0x3ff0000000000001ull, 0x3fffffffffffffffull,
                           0x4000000000000000ull, 0x4000000000000001ull, 0x7fd0000000000000ull, 0x7fd0000000000001ull, 0x7fcfffffffffffffull,
                           0x7fe0000000000000ull, 0x7fe0000000000001ull, 0x7fefffffffffffffull, 0x7fe8000000000000ull,
                           0x7ff0000000000000ull, 0x7ff0000000000001ull, 0x7ff7ffffffffffffull, 0x7ff8000000000000ull, 0x7fffffffffffffffull};
  for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) { o[n++] = base[i]; o[n++] = base[i] | (1ull << 63); }
  for (uint64_t e = 0; e < 2048; e += (e < 8 || e > 2036 || (e > 1016 && e < 1032)) ? 1 : 37) { o[n++] = e << 52; o[n++] = e << 52 | 0xfffffffffffffull; }
  for (int k = 0; k < 64; k++) o[n++] = rnd() & 0xfffffffffffffull >> (k & 15); // denormals of many sizes
  for (uint64_t e = 2040; e < 2048; e++) for (int k = 0; k < 8; k++) o[n++] = e << 52 | (rnd() & 0xfffffffffffffull);
  return n;
}

// A random input: mostly normal numbers of any exponent, some of every special class.
static uint64_t rand_in(int w64) {
  uint64_t r = rnd(), k = rnd() % 32;
  if (!w64) {
    uint32_t s = (uint32_t)(r >> 32) & 0x80000000u, m = (uint32_t)r & 0x7fffff;
    if (k == 0) return s | m;                                      // denormal
    if (k == 1) return s | 0x7f800000u | m;                       // NaN/inf
    if (k == 2) return s | (uint32_t)(248 + rnd() % 7) << 23 | m; // near overflow of 1/x
    if (k < 8) return (uint32_t)(1 + rnd() % 254) << 23 | m;      // positive (rsqrt)
    return s | (uint32_t)(1 + rnd() % 254) << 23 | m;
  }
  uint64_t s = r & (1ull << 63), m = rnd() & 0xfffffffffffffull;
  if (k == 0) return s | m >> (rnd() % 52);
  if (k == 1) return s | 0x7ff0000000000000ull | m;
  if (k == 2) return s | (2040 + rnd() % 7) << 52 | m;
  if (k < 8) return (1 + rnd() % 2046) << 52 | m;
  return s | (1 + rnd() % 2046) << 52 | m;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: see oracle.c\n"); return 2; }
  const char *mode = argv[1], *op = argv[2];
  if (!strcmp(mode, "sweep32") && argc == 5) {
    const size_t n = 1u << 23;
    uint32_t *buf = malloc(n * 4), e = (uint32_t)strtoul(argv[3], 0, 0);
    for (size_t m = 0; m < n; m++) buf[m] = (e & 0x100 ? 0x80000000u : 0) | (e & 0xff) << 23 | (uint32_t)m;
    run(op, buf, n, (unsigned)strtoul(argv[4], 0, 0));
    fwrite(buf, 4, n, stdout);
    return 0;
  }
  if (!strcmp(mode, "sweep64") && argc == 5) {
    const size_t n = 1u << 18;
    uint64_t *in = malloc(n * 8), *out = malloc(n * 8), e = strtoull(argv[3], 0, 0);
    rng_state = e * 7919 + 1;
    for (size_t t = 0; t < n; t++) {
      uint64_t top = t >> 2, low = (t & 3) == 0 ? 0 : (t & 3) == 1 ? 0xfffffffffull : rnd() & 0xfffffffffull;
      in[t] = (e & 0x800 ? 1ull << 63 : 0) | (e & 0x7ff) << 52 | top << 36 | low;
    }
    memcpy(out, in, n * 8);
    run(op, out, n, (unsigned)strtoul(argv[4], 0, 0));
    for (size_t t = 0; t < n; t++) { fwrite(in + t, 8, 1, stdout); fwrite(out + t, 8, 1, stdout); }
    return 0;
  }
  if (!strcmp(mode, "fixture") && argc == 5) {
    rng_state = strtoull(argv[3], 0, 0);
    const int w64 = is64(op);
    size_t nr = strtoul(argv[4], 0, 0), cap = nr + 4096 + 16, n = 0;
    uint64_t *in = malloc(cap * 8), *res[4];
    if (w64) n = edges64(in);
    else { uint32_t *t = malloc(cap * 4); n = edges32(t); for (size_t i = 0; i < n; i++) in[i] = t[i]; free(t); }
    for (size_t i = 0; i < nr; i++) in[n++] = rand_in(w64);
    while (n & 15) in[n++] = rand_in(w64);
    for (int k = 0; k < 4; k++) {
      res[k] = malloc(n * 8);
      if (w64) { memcpy(res[k], in, n * 8); run(op, res[k], n, MXCSRS[k]); }
      else {
        uint32_t *b = malloc(n * 4);
        for (size_t i = 0; i < n; i++) b[i] = (uint32_t)in[i];
        run(op, b, n, MXCSRS[k]);
        for (size_t i = 0; i < n; i++) res[k][i] = b[i];
        free(b);
      }
    }
    printf("# %s on silicon: input, then the result under MXCSR %x %x %x %x (hex; = same as the first)\n", op, MXCSRS[0], MXCSRS[1], MXCSRS[2], MXCSRS[3]);
    for (size_t i = 0; i < n; i++) {
      const int w = w64 ? 16 : 8;
      printf("%0*llx %0*llx", w, (unsigned long long)in[i], w, (unsigned long long)res[0][i]);
      for (int k = 1; k < 4; k++) {
        if (res[k][i] == res[0][i]) printf(" =");
        else printf(" %0*llx", w, (unsigned long long)res[k][i]);
      }
      printf("\n");
    }
    return 0;
  }
  fprintf(stderr, "bad arguments\n");
  return 2;
}
