/*
 * Indexed loads and stores: a[idx[i]] (gathers with 32- and 64-bit indices
 * and elements), table lookups, scatter-like stores b[idx[i]] = ... (gcc
 * emits vpscatter* when the tuning allows), a histogram, a permutation
 * applied and inverted, and strided access.
 */
#include "io.h"

#define N 777
#define T 4096

static int32_t tab32[T];
static int64_t tab64[T];
static float tabf[T];
static double tabd[T];
static int32_t idx32[N];
static int64_t idx64[N];
static int32_t o32[N];
static int64_t o64[N];
static float of[N];
static double od[N];
static int32_t perm[N], sc[N];
static uint32_t hist[256];
static uint8_t bytes[N * 4];

static uint32_t rng = 12345;
static uint32_t next(void) { rng = rng * 1103515245u + 12345u; return rng >> 1; }

__attribute__((noinline)) static void g32(int n) { for (int i = 0; i < n; i++) o32[i] = (int32_t)((uint32_t)tab32[idx32[i]] + (uint32_t)i); }
__attribute__((noinline)) static void g64(int n) { for (int i = 0; i < n; i++) o64[i] = tab64[idx64[i]] ^ tab64[idx32[i]]; }
__attribute__((noinline)) static void gf(int n) { for (int i = 0; i < n; i++) of[i] = tabf[idx32[i]] * 2.0f + tabf[idx64[i]]; }
__attribute__((noinline)) static void gd(int n) { for (int i = 0; i < n; i++) od[i] = tabd[idx32[i]] - tabd[idx64[i]] * 0.5; }
__attribute__((noinline)) static void gcond(int n) { for (int i = 0; i < n; i++) if (idx32[i] & 4) o32[i] = tab32[idx32[i] ^ 1]; }
__attribute__((noinline)) static void scatter(int n) { for (int i = 0; i < n; i++) sc[perm[i]] = (int32_t)((uint32_t)o32[i] * 3u); }
__attribute__((noinline)) static void unscatter(int n) { for (int i = 0; i < n; i++) o32[i] = (int32_t)((uint32_t)sc[perm[i]] - (uint32_t)o32[i]); }
__attribute__((noinline)) static void histo(int n) { for (int i = 0; i < n; i++) hist[bytes[i]]++; }
__attribute__((noinline)) static void stride3(int n) { for (int i = 0; i < n / 3; i++) o64[i] = tab64[3 * i] + tab64[3 * i + 2]; }
__attribute__((noinline)) static int64_t gsum(int n) { int64_t s = 0; for (int i = 0; i < n; i++) s += tab32[idx32[i]]; return s; }

static uint64_t sums(void) {
  uint64_t h = FNV_INIT;
  h = fnv1a(h, o32, sizeof o32); h = fnv1a(h, o64, sizeof o64); h = fnv1a(h, of, sizeof of);
  h = fnv1a(h, od, sizeof od); h = fnv1a(h, sc, sizeof sc); h = fnv1a(h, hist, sizeof hist);
  return h;
}

int prog_main(void) {
  for (int i = 0; i < T; i++) {
    uint32_t r = next();
    tab32[i] = (int32_t)(r ^ (r << 7));
    tab64[i] = (int64_t)(((uint64_t)r << 31) ^ next());
    tabf[i] = (float)(int32_t)r * 0x1p-20f;
    tabd[i] = (double)r * 1.0e-3 - 5.0e5;
  }
  for (int i = 0; i < N; i++) { idx32[i] = (int32_t)(next() % T); idx64[i] = (int64_t)(next() % T); perm[i] = i; }
  for (int i = N - 1; i > 0; i--) { int j = (int)(next() % (uint32_t)(i + 1)); int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
  for (int i = 0; i < N * 4; i++) bytes[i] = (uint8_t)(next() >> 9);
  uint64_t all = 0;
  static const int lens[] = { N, 1, 5, 16, 23, 64, 100 };
  for (unsigned l = 0; l < sizeof lens / sizeof lens[0]; l++) {
    int n = lens[l];
    g32(n); g64(n); io_kv("g", sums());
    gf(n); gd(n); io_kv("gfp", sums());
    gcond(n); io_kv("gcond", sums());
    scatter(n); unscatter(n); io_kv("scatter", sums());
    histo(n * 4); stride3(n); io_kv("misc", sums());
    io_kv("gsum", (uint64_t)gsum(n));
    all = all * 7 + sums();
    for (int i = 0; i < N; i++) { idx32[i] = (idx32[i] + 17 * i) & (T - 1); idx64[i] = (idx64[i] * 5 + 3) & (T - 1); }
  }
  io_kv("all", all);
  return (int)(all & 0x7f);
}
