/*
 * Auto-vectorised float/double loops: FMA contraction, division, sqrt
 * (-fno-math-errno lets gcc use vsqrtps/pd), min/max selects, fabs,
 * conversions int32/int64/uint32 <-> float/double (AVX-512DQ vcvtqq2pd & co),
 * float <-> double, conditional (masked) stores, and reductions. Values and
 * results are printed as bit patterns, so every rounding must match.
 * Built once with strict IEEE semantics and once with -fassociative-math
 * (vectorised reductions in a fixed, compiled-in order).
 */
#include "io.h"

#define N 515

static float fa[N], fb[N], fc[N];
static double da[N], db[N], dc[N];
static int32_t ia[N];
static int64_t la[N];
static uint32_t ua[N];
static uint64_t qa[N];

static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t next(void) { rng = rng * 6364136223846793005ull + 1442695040888963407ull; return rng; }

static double unit(void) { return (double)(next() >> 11) * (1.0 / 9007199254740992.0); }

static void fill(void) {
  for (int i = 0; i < N; i++) {
    fa[i] = (float)(unit() * 200.0 - 100.0);
    fb[i] = (float)(unit() * 4.0 + 0.25);
    fc[i] = (float)(unit() - 0.5);
    da[i] = unit() * 2e6 - 1e6;
    db[i] = unit() * 8.0 + 1e-3;
    dc[i] = unit() * 1e-300;          /* tiny values: denormal intermediates */
    ia[i] = (int32_t)next();
    la[i] = (int64_t)next() >> (i & 15);
    ua[i] = (uint32_t)(next() >> 7);
    qa[i] = next() >> (i & 7);
  }
}

static uint64_t sums(void) {
  uint64_t h = FNV_INIT;
  h = fnv1a(h, fa, sizeof fa); h = fnv1a(h, fb, sizeof fb); h = fnv1a(h, fc, sizeof fc);
  h = fnv1a(h, da, sizeof da); h = fnv1a(h, db, sizeof db); h = fnv1a(h, dc, sizeof dc);
  h = fnv1a(h, ia, sizeof ia); h = fnv1a(h, la, sizeof la); h = fnv1a(h, ua, sizeof ua); h = fnv1a(h, qa, sizeof qa);
  return h;
}

__attribute__((noinline)) static void k_fma(int n) { for (int i = 0; i < n; i++) fc[i] = fa[i] * fb[i] + fc[i]; }
__attribute__((noinline)) static void k_fmad(int n) { for (int i = 0; i < n; i++) dc[i] = da[i] * db[i] - dc[i] * 0.5; }
__attribute__((noinline)) static void k_div(int n) { for (int i = 0; i < n; i++) { fc[i] = fa[i] / fb[i]; dc[i] = da[i] / (db[i] + dc[i]); } }
__attribute__((noinline)) static void k_sqrt(int n) {
  for (int i = 0; i < n; i++) { fb[i] = __builtin_sqrtf(fb[i] * 1.5f) + 0.25f; db[i] = __builtin_sqrt(db[i]) + 0.125; }
}
__attribute__((noinline)) static void k_minmax(int n) {
  for (int i = 0; i < n; i++) { float x = fa[i], y = fc[i]; fc[i] = x < y ? x : y; fa[i] = x > y ? x : y; }
  for (int i = 0; i < n; i++) { double x = da[i], y = dc[i]; dc[i] = x < y ? x : y; }
}
__attribute__((noinline)) static void k_abs(int n) { for (int i = 0; i < n; i++) { fc[i] = __builtin_fabsf(fc[i]) - __builtin_fabsf(fa[i]); dc[i] = -__builtin_fabs(dc[i]); } }
__attribute__((noinline)) static void k_cvt(int n) {
  for (int i = 0; i < n; i++) {
    fa[i] = (float)ia[i] * 0x1p-24f;
    da[i] = (double)la[i] * 0x1p-40;
    fc[i] = (float)ua[i];
    dc[i] = (double)qa[i];
  }
}
__attribute__((noinline)) static void k_cvt_back(int n) {
  for (int i = 0; i < n; i++) {
    ia[i] = (int32_t)(fa[i] * 1000.0f);
    la[i] = (int64_t)(da[i] * 1e3);
    ua[i] = (uint32_t)(fb[i] * 1e6f);
    qa[i] = (uint64_t)(db[i] * 1e9); /* db < 1e9: in range */
  }
}
__attribute__((noinline)) static void k_widen(int n) { for (int i = 0; i < n; i++) { dc[i] = (double)fa[i] * (double)fb[i]; fc[i] = (float)(da[i] * 1e-3); } }
__attribute__((noinline)) static void k_cond(int n) {
  for (int i = 0; i < n; i++) if (fa[i] > fc[i]) fb[i] = fa[i] - fc[i];
  for (int i = 0; i < n; i++) if (da[i] < 0.0) db[i] = -da[i] * 0.001 + 1.0;
}
__attribute__((noinline)) static void k_poly(int n) {
  for (int i = 0; i < n; i++) { float x = fc[i]; fc[i] = ((0.5f * x - 1.25f) * x + 3.0f) * x - 0.75f; }
}

__attribute__((noinline)) static float r_sumf(int n) { float s = 0; for (int i = 0; i < n; i++) s += fa[i] * fb[i]; return s; }
__attribute__((noinline)) static double r_sumd(int n) { double s = 0; for (int i = 0; i < n; i++) s += da[i]; return s; }
__attribute__((noinline)) static float r_maxf(int n) { float m = -1e30f; for (int i = 0; i < n; i++) m = fa[i] > m ? fa[i] : m; return m; }
__attribute__((noinline)) static double r_mind(int n) { double m = 1e300; for (int i = 0; i < n; i++) m = db[i] < m ? db[i] : m; return m; }

int prog_main(void) {
  uint64_t all = 0;
  fill();
  io_kv("fill", sums());
  static const int lens[] = { N, 3, 8, 13, 16, 31, 64, 129 };
  for (unsigned l = 0; l < sizeof lens / sizeof lens[0]; l++) {
    int n = lens[l];
    k_fma(n); k_fmad(n); io_kv("fma", sums());
    k_div(n); io_kv("div", sums());
    k_sqrt(n); io_kv("sqrt", sums());
    k_minmax(n); k_abs(n); io_kv("minmax", sums());
    k_cvt(n); io_kv("cvt", sums());
    k_cvt_back(n); io_kv("cvtback", sums());
    k_widen(n); k_cond(n); k_poly(n); io_kv("misc", sums());
    struct { float sf; float mf; double sd; double md; } r = { r_sumf(n), r_maxf(n), r_sumd(n), r_mind(n) };
    io_kbytes("red", &r, sizeof r);
    all = all * 31 + sums();
    /* Keep the values in range for the next round. */
    for (int i = 0; i < N; i++) {
      fa[i] = fa[i] * 0.5f + (float)(i & 7);
      fb[i] = fb[i] * 0.25f + 0.5f;
      if (!(fc[i] > -1e6f && fc[i] < 1e6f)) fc[i] = 0.25f;
      if (!(da[i] > -1e9 && da[i] < 1e9)) da[i] = 3.0;
      if (!(db[i] > 1e-3 && db[i] < 1e9)) db[i] = 2.0;
      dc[i] *= 1e-300;
    }
  }
  io_kv("all", all);
  return (int)(all % 253);
}
