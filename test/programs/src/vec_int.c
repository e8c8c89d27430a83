/*
 * Auto-vectorised integer loops over int8/int16/int32/int64 arrays whose
 * lengths are not multiples of any vector width (so gcc emits epilogues and,
 * with AVX-512, masked operations), conditional stores, reductions, widening
 * and narrowing conversions, variable shifts, saturating-style clamps.
 */
#include "io.h"

#define N 1003

static int8_t a8[N], b8[N], c8[N];
static uint8_t u8a[N], u8b[N];
static int16_t a16[N], b16[N], c16[N];
static int32_t a32[N], b32[N], c32[N];
static uint32_t u32a[N];
static int64_t a64[N], b64[N], c64[N];
static uint64_t u64a[N];

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return rng;
}

static void fill(void) {
  for (int i = 0; i < N; i++) {
    uint64_t r = next(), s = next();
    a8[i] = (int8_t)r; b8[i] = (int8_t)(r >> 8);
    u8a[i] = (uint8_t)(r >> 16); u8b[i] = (uint8_t)(r >> 24);
    a16[i] = (int16_t)(r >> 32); b16[i] = (int16_t)(r >> 48);
    a32[i] = (int32_t)s; b32[i] = (int32_t)(s >> 32);
    u32a[i] = (uint32_t)(s >> 16);
    a64[i] = (int64_t)(r ^ (s << 1)); b64[i] = (int64_t)(s * 0x5851f42d4c957f2dull);
    u64a[i] = r + s;
  }
}

__attribute__((noinline)) static void k_add8(int n) { for (int i = 0; i < n; i++) c8[i] = (int8_t)(a8[i] + b8[i] * 3); }
__attribute__((noinline)) static void k_mul8(int n) { for (int i = 0; i < n; i++) c8[i] = (int8_t)(a8[i] * b8[i]); }
__attribute__((noinline)) static void k_avg8(int n) { for (int i = 0; i < n; i++) u8a[i] = (uint8_t)((u8a[i] + u8b[i] + 1) >> 1); }
__attribute__((noinline)) static void k_sat8(int n) {
  for (int i = 0; i < n; i++) { int v = u8a[i] + u8b[i]; u8b[i] = v > 255 ? 255 : (uint8_t)v; }
}
__attribute__((noinline)) static void k_minmax16(int n) {
  for (int i = 0; i < n; i++) { int16_t x = a16[i], y = b16[i]; c16[i] = (int16_t)((uint16_t)(x < y ? x : y) ^ (uint16_t)((uint16_t)(x > y ? x : y) << 1)); }
}
__attribute__((noinline)) static void k_mulhi16(int n) { for (int i = 0; i < n; i++) c16[i] = (int16_t)((a16[i] * b16[i]) >> 16); }
__attribute__((noinline)) static void k_abs32(int n) { for (int i = 0; i < n; i++) c32[i] = (int32_t)((a32[i] < 0 ? 0u - (uint32_t)a32[i] : (uint32_t)a32[i]) - (uint32_t)(b32[i] >> 3)); }
__attribute__((noinline)) static void k_mul32(int n) { for (int i = 0; i < n; i++) c32[i] = (int32_t)((uint32_t)a32[i] * (uint32_t)b32[i] + (u32a[i] >> (i & 31))); }
__attribute__((noinline)) static void k_shift32(int n) {
  for (int i = 0; i < n; i++) c32[i] = (int32_t)(((uint32_t)a32[i] << (b32[i] & 31)) | ((uint32_t)a32[i] >> (u32a[i] & 31)));
}
__attribute__((noinline)) static void k_cond32(int n) {
  for (int i = 0; i < n; i++) if (a32[i] > b32[i]) c32[i] = (int32_t)((uint32_t)a32[i] - (uint32_t)b32[i]);
}
__attribute__((noinline)) static void k_cond_load32(int n) {
  for (int i = 0; i < n; i++) c32[i] = (b32[i] & 1) ? a32[i] : (int32_t)((uint32_t)c32[i] + 7);
}
__attribute__((noinline)) static void k_mul64(int n) { for (int i = 0; i < n; i++) c64[i] = (int64_t)((uint64_t)a64[i] * (uint64_t)b64[i] + (uint64_t)(a64[i] >> 17)); }
__attribute__((noinline)) static void k_shift64(int n) { for (int i = 0; i < n; i++) u64a[i] = (u64a[i] >> (a64[i] & 63)) ^ ((uint64_t)b64[i] << 5); }
__attribute__((noinline)) static void k_minmax64(int n) {
  for (int i = 0; i < n; i++) c64[i] = a64[i] < b64[i] ? a64[i] : (int64_t)((uint64_t)b64[i] > u64a[i] ? (uint64_t)b64[i] : u64a[i]);
}
__attribute__((noinline)) static void k_widen(int n) {
  for (int i = 0; i < n; i++) { c32[i] = a8[i] * (int32_t)a16[i]; c64[i] = (int64_t)a32[i] * u8a[i]; }
}
__attribute__((noinline)) static void k_narrow(int n) {
  for (int i = 0; i < n; i++) { c8[i] = (int8_t)(a32[i] >> 3); c16[i] = (int16_t)(a64[i] >> 20); }
}
__attribute__((noinline)) static void k_rev(int n) { for (int i = 0; i < n; i++) c32[i] = a32[n - 1 - i]; }
__attribute__((noinline)) static void k_stride(int n) { for (int i = 0; i < n / 2; i++) { c32[i] = (int32_t)((uint32_t)a32[2 * i] + (uint32_t)a32[2 * i + 1]); c32[n - 1 - i] = (int32_t)((uint32_t)a32[2 * i] - (uint32_t)a32[2 * i + 1]); } }

__attribute__((noinline)) static int64_t r_sum8(int n) { int s = 0; for (int i = 0; i < n; i++) s += a8[i]; return s; }
__attribute__((noinline)) static int64_t r_sum16(int n) { int64_t s = 0; for (int i = 0; i < n; i++) s += a16[i] * b16[i]; return s; /* |a*b| < 2^30, n < 2^10 */ }
__attribute__((noinline)) static uint64_t r_xor32(int n) { uint32_t s = 0; for (int i = 0; i < n; i++) s ^= (uint32_t)a32[i] + i; return s; }
__attribute__((noinline)) static int64_t r_min32(int n) { int32_t m = 0x7fffffff; for (int i = 0; i < n; i++) m = a32[i] < m ? a32[i] : m; return m; }
__attribute__((noinline)) static int64_t r_max64(int n) { int64_t m = INT64_MIN; for (int i = 0; i < n; i++) m = b64[i] > m ? b64[i] : m; return m; }
__attribute__((noinline)) static uint64_t r_sum64(int n) { uint64_t s = 0; for (int i = 0; i < n; i++) s += u64a[i] * 3 + (uint64_t)a64[i]; return s; }
__attribute__((noinline)) static uint64_t r_count(int n) { int c = 0; for (int i = 0; i < n; i++) c += a32[i] > b32[i]; return c; }
__attribute__((noinline)) static uint64_t r_or8(int n) { uint8_t s = 0; for (int i = 0; i < n; i++) s |= u8a[i] & u8b[i]; return s; }

static uint64_t sums(void) {
  uint64_t h = FNV_INIT;
  h = fnv1a(h, a8, sizeof a8); h = fnv1a(h, b8, sizeof b8); h = fnv1a(h, c8, sizeof c8);
  h = fnv1a(h, u8a, sizeof u8a); h = fnv1a(h, u8b, sizeof u8b);
  h = fnv1a(h, a16, sizeof a16); h = fnv1a(h, b16, sizeof b16); h = fnv1a(h, c16, sizeof c16);
  h = fnv1a(h, a32, sizeof a32); h = fnv1a(h, b32, sizeof b32); h = fnv1a(h, c32, sizeof c32);
  h = fnv1a(h, u32a, sizeof u32a);
  h = fnv1a(h, a64, sizeof a64); h = fnv1a(h, b64, sizeof b64); h = fnv1a(h, c64, sizeof c64);
  h = fnv1a(h, u64a, sizeof u64a);
  return h;
}

int prog_main(void) {
  uint64_t all = 0;
  fill();
  io_kv("fill", sums());
  /* Odd lengths: every epilogue shape. */
  static const int lens[] = { N, 1, 7, 15, 16, 17, 33, 64, 100, 511 };
  for (unsigned l = 0; l < sizeof lens / sizeof lens[0]; l++) {
    int n = lens[l];
    k_add8(n); k_mul8(n); k_avg8(n); k_sat8(n);
    io_kv("int8", sums());
    k_minmax16(n); k_mulhi16(n);
    io_kv("int16", sums());
    k_abs32(n); k_mul32(n); k_shift32(n); k_cond32(n); k_cond_load32(n);
    io_kv("int32", sums());
    k_mul64(n); k_shift64(n); k_minmax64(n);
    io_kv("int64", sums());
    k_widen(n); k_narrow(n); k_rev(n); k_stride(n);
    io_kv("conv", sums());
    uint64_t r[8] = { (uint64_t)r_sum8(n), (uint64_t)r_sum16(n), r_xor32(n), (uint64_t)r_min32(n),
                      (uint64_t)r_max64(n), r_sum64(n), r_count(n), r_or8(n) };
    io_kbytes("red", r, sizeof r);
    all ^= sums() + r[0] + r[7];
    /* Feed the results back so the next length starts from different data. */
    for (int i = 0; i < N; i++) { a32[i] ^= c32[i]; a8[i] = (int8_t)(a8[i] + c8[i]); b64[i] = (int64_t)((uint64_t)b64[i] - (uint64_t)c64[i]); }
  }
  io_kv("all", all);
  return (int)(all % 251);
}
