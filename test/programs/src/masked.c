/*
 * AVX-512 through gcc's intrinsics where auto-vectorisation (gcc 12) does not
 * reach: loops with masked tails (masked loads/stores of the last partial
 * vector, zero- and merge-masking), compress/expand, two-source permutes,
 * ternary logic, opmask arithmetic (KAND/KOR/KSHIFT/KTEST/KMOV, popcount of
 * masks), masked reductions, rounding-control arithmetic ({rn-sae} & co),
 * and range/scale/getexp style DQ/F instructions.
 */
#include <immintrin.h>
#include "io.h"

#define N 203
static int32_t ai[N], bi[N], ci[N];
static int64_t aq[N];
static float af[N], bf[N], cf[N];
static double ad[N], bd[N];
static int8_t ab[N];
static int16_t aw[N];

static uint64_t rng = 0xdeadbeefcafef00dull;
static uint64_t next(void) { rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27; return rng * 2685821657736338717ull; }

static uint64_t sums(void) {
  uint64_t h = FNV_INIT;
  h = fnv1a(h, ai, sizeof ai); h = fnv1a(h, bi, sizeof bi); h = fnv1a(h, ci, sizeof ci); h = fnv1a(h, aq, sizeof aq);
  h = fnv1a(h, af, sizeof af); h = fnv1a(h, bf, sizeof bf); h = fnv1a(h, cf, sizeof cf);
  h = fnv1a(h, ad, sizeof ad); h = fnv1a(h, bd, sizeof bd); h = fnv1a(h, ab, sizeof ab); h = fnv1a(h, aw, sizeof aw);
  return h;
}

static __mmask16 tail16(int left) { return left >= 16 ? 0xffff : (__mmask16)((1u << left) - 1); }
static __mmask8 tail8(int left) { return left >= 8 ? 0xff : (__mmask8)((1u << left) - 1); }
static __mmask64 tail64(int left) { return left >= 64 ? ~0ull : (__mmask64)((1ull << left) - 1); }

__attribute__((noinline)) static void t_add(int n) {
  for (int i = 0; i < n; i += 16) {
    __mmask16 m = tail16(n - i);
    __m512i a = _mm512_maskz_loadu_epi32(m, ai + i), b = _mm512_maskz_loadu_epi32(m, bi + i);
    __m512i s = _mm512_add_epi32(a, _mm512_mullo_epi32(b, _mm512_set1_epi32(3)));
    __mmask16 pos = _mm512_mask_cmpgt_epi32_mask(m, s, _mm512_setzero_si512());
    _mm512_mask_storeu_epi32(ci + i, pos, s);
    _mm512_mask_storeu_epi32(ci + i, m & ~pos, _mm512_sub_epi32(_mm512_setzero_si512(), s));
  }
}
__attribute__((noinline)) static void t_fp(int n) {
  for (int i = 0; i < n; i += 16) {
    __mmask16 m = tail16(n - i);
    __m512 a = _mm512_maskz_loadu_ps(m, af + i), b = _mm512_mask_loadu_ps(_mm512_set1_ps(1.0f), m, bf + i);
    __m512 r = _mm512_fmadd_round_ps(a, b, _mm512_set1_ps(0.1f), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    r = _mm512_mask_div_round_ps(r, m, r, b, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC);
    r = _mm512_mask_sqrt_ps(r, _mm512_cmp_ps_mask(r, _mm512_setzero_ps(), _CMP_GT_OQ), r);
    _mm512_mask_storeu_ps(cf + i, m, r);
  }
  for (int i = 0; i < n; i += 8) {
    __mmask8 m = tail8(n - i);
    __m512d a = _mm512_maskz_loadu_pd(m, ad + i);
    __m512d g = _mm512_getexp_pd(a), mt = _mm512_getmant_pd(a, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_src);
    __m512d s = _mm512_scalef_pd(mt, _mm512_add_pd(g, _mm512_set1_pd(3.0)));
    __m512d rs = _mm512_roundscale_pd(s, 0x13);   /* 1 fraction bit, round toward zero */
    __m512d rg = _mm512_range_pd(rs, _mm512_set1_pd(-7.5), 0x5);
    _mm512_mask_storeu_pd(bd + i, m, _mm512_add_pd(rg, _mm512_reduce_pd(a, 0x22)));
  }
}
__attribute__((noinline)) static int t_compress(int n) {
  int o = 0;
  for (int i = 0; i < n; i += 16) {
    __mmask16 m = tail16(n - i);
    __m512i a = _mm512_maskz_loadu_epi32(m, ai + i);
    __mmask16 odd = _mm512_mask_test_epi32_mask(m, a, _mm512_set1_epi32(1));
    _mm512_mask_compressstoreu_epi32(bi + o, odd, a);
    o += __builtin_popcount(odd);
  }
  for (int i = 0, j = 0; i < n; i += 8) {
    __mmask8 m = tail8(n - i);
    __mmask8 e = (__mmask8)(m & 0x5a);
    __m512i x = _mm512_mask_expandloadu_epi64(_mm512_set1_epi64(-1), e, aq + j);
    j += __builtin_popcount(e);
    _mm512_mask_storeu_epi64(aq + i, m, _mm512_mask_compress_epi64(x, e, _mm512_ror_epi64(x, 13)));
  }
  return o;
}
__attribute__((noinline)) static void t_perm(int n) {
  __m512i idx = _mm512_set_epi32(31, 0, 17, 2, 29, 4, 19, 6, 27, 8, 21, 10, 25, 12, 23, 14);
  for (int i = 0; i + 32 <= n; i += 32) {
    __m512i a = _mm512_loadu_si512(ai + i), b = _mm512_loadu_si512(ai + i + 16);
    __m512i p = _mm512_permutex2var_epi32(a, idx, b);
    __m512i t = _mm512_ternarylogic_epi32(p, a, b, 0xca);
    _mm512_storeu_si512(ci + i, _mm512_shuffle_epi32(t, _MM_PERM_BADC));
    _mm512_storeu_si512(ci + i + 16, _mm512_alignr_epi32(a, b, 5));
  }
  for (int i = 0; i < n; i += 64) {
    __mmask64 m = tail64(n - i);
    __m512i b = _mm512_maskz_loadu_epi8(m, ab + i);
    __m512i s = _mm512_mask_adds_epi8(b, m, b, _mm512_set1_epi8(100));
    __m512i sh = _mm512_shuffle_epi8(s, _mm512_set1_epi64(0x0001020304050607ll));
    _mm512_mask_storeu_epi8(ab + i, m & _mm512_cmpneq_epi8_mask(sh, s), sh);
  }
  for (int i = 0; i < n; i += 32) {
    __mmask32 m = (__mmask32)tail64(n - i);
    __m512i w = _mm512_maskz_loadu_epi16(m, aw + i);
    __m512i r = _mm512_mask_mulhrs_epi16(w, m, w, _mm512_set1_epi16(0x4321));
    r = _mm512_maskz_srav_epi16(m, r, _mm512_set1_epi16(3));
    _mm512_mask_storeu_epi16(aw + i, m, _mm512_packs_epi32(r, r));
  }
}
__attribute__((noinline)) static uint64_t t_kmask(int n) {
  uint64_t r = 0;
  for (int i = 0; i + 16 <= n; i += 16) {
    __m512i a = _mm512_loadu_si512(ai + i), c = _mm512_loadu_si512(ci + i);
    __mmask16 k1 = _mm512_cmplt_epi32_mask(a, c), k2 = _mm512_cmpeq_epi32_mask(_mm512_and_si512(a, _mm512_set1_epi32(3)), _mm512_setzero_si512());
    __mmask16 k3 = _kor_mask16(_kand_mask16(k1, k2), _kshiftli_mask16(_kxor_mask16(k1, k2), 3));
    r = r * 65599 + _cvtmask16_u32(k3) + 17 * _kortestz_mask16_u8(k1, k2) + (uint64_t)_mm512_mask_reduce_add_epi32(k3, a);
    r ^= (uint64_t)_mm512_mask_reduce_max_epi32(_knot_mask16(k1), c);
  }
  return r;
}

int prog_main(void) {
  for (int i = 0; i < N; i++) {
    uint64_t r = next();
    ai[i] = (int32_t)r; bi[i] = (int32_t)(r >> 32) >> (i & 15); aq[i] = (int64_t)next();
    af[i] = (float)(int32_t)r * 0x1p-24f; bf[i] = (float)(r >> 40) * 0x1p-20f + 0.5f;
    ad[i] = (double)(int64_t)next() * 0x1p-50; ab[i] = (int8_t)(r >> 11); aw[i] = (int16_t)(r >> 23);
  }
  io_kv("fill", sums());
  static const int lens[] = { N, 1, 15, 16, 17, 40, 64, 65, 100 };
  uint64_t all = 0;
  for (unsigned l = 0; l < sizeof lens / sizeof lens[0]; l++) {
    int n = lens[l];
    t_add(n); io_kv("add", sums());
    t_fp(n); io_kv("fp", sums());
    io_kv("compress", (uint64_t)t_compress(n) << 48 ^ sums());
    t_perm(n); io_kv("perm", sums());
    io_kv("kmask", t_kmask(n));
    all = all * 3 + sums();
    for (int i = 0; i < N; i++) { ai[i] ^= (int32_t)((uint32_t)ci[i] + (uint32_t)i); af[i] = cf[i] * 0.5f + 0.25f; }
  }
  io_kv("all", all);
  return (int)(all % 255);
}
