/*
 * Scalar integer code: division and modulo (signed/unsigned, 8..64 bits, by
 * variables -> DIV/IDIV, by constants -> multiply-high sequences, 128-bit by
 * 64 via libgcc's __udivti3/__divti3/__umodti3), __int128 multiplication
 * (MUL/IMUL with RDX:RAX), multi-word shifts (SHLD/SHRD), bit scans and
 * popcounts, rotates, byte swaps, overflow builtins (SETO/JC), switch
 * statements that gcc turns into jump tables, function pointers, and
 * recursion (Ackermann, a recursive quicksort, a recursive-descent
 * expression evaluator).
 */
#include "io.h"

typedef unsigned __int128 u128;
typedef __int128 i128;

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static uint64_t h = FNV_INIT;
static void mix(uint64_t v) { h ^= v; h *= 0x100000001b3ull; h ^= h >> 31; }

__attribute__((noinline)) static void divs(void) {
  for (int k = 0; k < 400; k++) {
    uint64_t a = next(), b = next() >> (k & 63);
    if (b == 0) b = 7;
    int64_t sa = (int64_t)a, sb = (int64_t)b * ((k & 1) ? -1 : 1);
    if (sa == INT64_MIN && sb == -1) sb = 3;
    mix(a / b); mix(a % b); mix((uint64_t)(sa / sb)); mix((uint64_t)(sa % sb));
    uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b | 1;
    int32_t s32 = (int32_t)a32, t32 = (int32_t)b32;
    if (s32 == INT32_MIN && t32 == -1) t32 = 5;
    mix(a32 / b32); mix(a32 % b32); mix((uint64_t)(int64_t)(s32 / t32)); mix((uint64_t)(int64_t)(s32 % t32));
    uint16_t a16 = (uint16_t)a, b16 = (uint16_t)(b | 1);
    uint8_t a8 = (uint8_t)(a >> 8), b8 = (uint8_t)(b | 3);
    int8_t s8 = (int8_t)a8, t8 = (int8_t)b8;
    mix((uint64_t)(a16 / b16)); mix((uint64_t)(a8 % b8)); mix((uint64_t)(int64_t)(s8 / t8));
    /* By constants: multiply-high and shifts. */
    mix(a / 10); mix(a % 1000000007ull); mix((uint64_t)(sa / 7)); mix((uint64_t)(sa % -13));
    mix(a32 / 3u); mix((uint64_t)(int64_t)(s32 / 100)); mix((uint64_t)(int64_t)(s32 % 16));
    /* 128-bit division (libgcc). */
    u128 n = ((u128)a << 64) | next();
    u128 d = ((u128)(b >> 20) << 64) | (next() | 1);
    mix((uint64_t)(n / d)); mix((uint64_t)(n % d)); mix((uint64_t)((n / b) >> 64)); mix((uint64_t)(n / b));
    i128 sn = (i128)n, sd = -(i128)d;
    mix((uint64_t)(sn / sd)); mix((uint64_t)(sn % sd));
  }
}

__attribute__((noinline)) static void muls(void) {
  u128 acc = 1;
  for (int k = 0; k < 400; k++) {
    uint64_t a = next(), b = next();
    u128 p = (u128)a * b;
    i128 q = (i128)(int64_t)a * (int64_t)b;
    mix((uint64_t)p); mix((uint64_t)(p >> 64)); mix((uint64_t)q); mix((uint64_t)(q >> 64));
    acc = acc * (((u128)b << 64) | a | 1) + p;
    mix((uint64_t)(acc >> 64) ^ (uint64_t)acc);
    mix((uint64_t)(acc >> (k & 127)));
    mix((uint64_t)(((i128)acc) >> (k % 100)));
    uint64_t r;
    mix(__builtin_mul_overflow(a, b, &r)); mix(r);
    mix(__builtin_add_overflow((int64_t)a, (int64_t)b, (int64_t *)&r)); mix(r);
    mix(__builtin_sub_overflow((int32_t)a, (int32_t)b, (int32_t *)&r)); mix(r & 0xffffffff);
  }
  mix((uint64_t)acc);
}

__attribute__((noinline)) static void bits(void) {
  for (int k = 0; k < 400; k++) {
    uint64_t a = next() >> (k & 63), b = next();
    uint32_t a32 = (uint32_t)(a >> (k & 31));
    mix((uint64_t)__builtin_popcountll(a)); mix((uint64_t)__builtin_popcount(a32));
    if (a) { mix((uint64_t)__builtin_clzll(a)); mix((uint64_t)__builtin_ctzll(a)); }
    if (a32) { mix((uint64_t)__builtin_clz(a32)); mix((uint64_t)__builtin_ctz(a32)); }
    mix((uint64_t)__builtin_parityll(b));
    mix(__builtin_bswap64(b)); mix(__builtin_bswap32((uint32_t)b)); mix(__builtin_bswap16((uint16_t)b));
    unsigned s = (unsigned)(b & 63);
    mix((a << s) | (a >> ((64 - s) & 63)));
    mix((uint32_t)(a32 >> (s & 31)) | (uint32_t)(a32 << ((32 - s) & 31)));
    mix((uint64_t)((int64_t)b >> s)); mix((uint64_t)((int8_t)b >> (s & 7)));
    mix((uint64_t)(k > 3 ? (a < b) : (int64_t)a < (int64_t)b));
    mix((uint64_t)((uint32_t)(uint16_t)a * (uint16_t)b)); mix((uint64_t)((int16_t)a * (int16_t)b));
  }
}

/* Dense switches: jump tables. */
__attribute__((noinline)) static uint64_t sw(uint64_t v, int k) {
  switch (k) {
  case 0: return v + 1;
  case 1: return v * 3;
  case 2: return v ^ 0x5555;
  case 3: return v >> 3;
  case 4: return v << 5;
  case 5: return ~v;
  case 6: return v - 77;
  case 7: return v | 0x8000000000000000ull;
  case 8: return v & 0xffff;
  case 9: return (v >> 32) | (v << 32);
  case 10: return v * v;
  case 11: return v / 3;
  case 12: return v % 1000;
  case 13: return -v;
  default: return v + (uint64_t)k;
  }
}

static const char *names[] = { "zero", "one", "two", "three", "four", "five", "six", "seven" };
__attribute__((noinline)) static uint64_t sw2(int k) {
  uint64_t r = 0;
  switch (k & 15) {
  case 0: case 8: r = 11; break;
  case 1: r = 22; /* fall through */
  case 2: r += 33; break;
  case 3: case 4: case 5: r = (uint64_t)names[k & 7][1]; break;
  case 9: r = 99; break;
  case 12: r = 1212; break;
  case 13: return 1313;
  case 14: r = (uint64_t)k * 14; break;
  default: r = 7;
  }
  return r;
}

typedef uint64_t (*op_fn)(uint64_t, uint64_t);
static uint64_t op_add(uint64_t a, uint64_t b) { return a + b; }
static uint64_t op_mul(uint64_t a, uint64_t b) { return a * b; }
static uint64_t op_xor(uint64_t a, uint64_t b) { return a ^ b; }
static uint64_t op_div(uint64_t a, uint64_t b) { return a / (b | 1); }
static op_fn ops[] = { op_add, op_mul, op_xor, op_div };

static uint64_t ack(uint64_t m, uint64_t n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

static void qsort_rec(int64_t *a, int lo, int hi) {
  if (lo >= hi) return;
  int64_t p = a[(lo + hi) / 2];
  int i = lo, j = hi;
  while (i <= j) {
    while (a[i] < p) i++;
    while (a[j] > p) j--;
    if (i <= j) { int64_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
  }
  qsort_rec(a, lo, j);
  qsort_rec(a, i, hi);
}

/* Recursive-descent evaluator over a generated expression string. */
static const char *ep;
static int64_t expr(void);
static int64_t atom(void) {
  if (*ep == '(') { ep++; int64_t v = expr(); ep++; return v; }
  if (*ep == '-') { ep++; return (int64_t)(0 - (uint64_t)atom()); }
  int64_t v = 0;
  while (*ep >= '0' && *ep <= '9') v = v * 10 + (*ep++ - '0');
  return v;
}
static int64_t term(void) {
  int64_t v = atom();
  while (*ep == '*' || *ep == '/' || *ep == '%') {
    char o = *ep++;
    int64_t r = atom();
    if (o == '*') v = (int64_t)((uint64_t)v * (uint64_t)r);
    else if (r == 0 || (r == -1 && v == INT64_MIN)) v = 0x7777;
    else if (o == '/') v /= r;
    else v %= r;
  }
  return v;
}
static int64_t expr(void) {
  int64_t v = term();
  while (*ep == '+' || *ep == '-') { char o = *ep++; int64_t r = term(); v = (int64_t)(o == '+' ? (uint64_t)v + (uint64_t)r : (uint64_t)v - (uint64_t)r); }
  return v;
}
static char ebuf[4096];
static int epos;
static void gen(int depth) {
  if (depth == 0 || (next() & 3) == 0) {
    int v = (int)(next() % 1000);
    if (next() & 1) ebuf[epos++] = '-';
    if (v >= 100) ebuf[epos++] = (char)('0' + v / 100);
    if (v >= 10) ebuf[epos++] = (char)('0' + v / 10 % 10);
    ebuf[epos++] = (char)('0' + v % 10);
    return;
  }
  ebuf[epos++] = '(';
  gen(depth - 1);
  ebuf[epos++] = "+-*/%+-"[next() % 7];
  gen(depth - 1);
  ebuf[epos++] = ')';
}

int prog_main(void) {
  divs(); io_kv("div", h);
  muls(); io_kv("mul128", h);
  bits(); io_kv("bits", h);
  uint64_t v = 1;
  for (int k = 0; k < 3000; k++) { v = sw(v, (int)(next() % 17)); v += sw2((int)(next() & 31)); v = ops[k & 3](v, next()); mix(v); }
  io_kv("switch", h);
  io_kv("ack", ack(2, 300) * 1000 + ack(3, 5));
  static int64_t arr[1500];
  for (int k = 0; k < 1500; k++) arr[k] = (int64_t)(next() >> (k & 15)) * ((k & 1) ? -1 : 1);
  qsort_rec(arr, 0, 1499);
  int sorted = 1;
  for (int k = 1; k < 1500; k++) sorted &= arr[k - 1] <= arr[k];
  io_kv("qsort", fnv1a(FNV_INIT, arr, sizeof arr) ^ (uint64_t)sorted);
  uint64_t e = 0;
  for (int k = 0; k < 40; k++) {
    epos = 0; gen(7); ebuf[epos] = 0;
    ep = ebuf;
    e = e * 31 + (uint64_t)expr();
  }
  io_kv("expr", e);
  return (int)(h % 200) + (int)(e & 1);
}
