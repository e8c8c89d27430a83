/*
 * x87 long double arithmetic (80-bit extended precision, FCW 0x37f as Linux
 * sets it): series, Newton iterations, FSQRT, division, conversions
 * long double <-> int16/int32/int64/uint64/float/double (FILD/FISTP/FISTTP,
 * FLD/FSTP of every width), comparisons (FCOMI/FUCOMI), FCMOV, constants
 * (FLDZ/FLD1/FLDPI & co via gcc's constant loads), a decimal printer for
 * long doubles, and FCW changes for rounding modes (inline FLDCW). Results
 * are printed as the 10 bytes of the value.
 */
#include "io.h"

typedef long double ld;

static void put_ld(const char *name, ld v) { io_kbytes(name, &v, 10); }

static uint64_t h = FNV_INIT;
static void mix_ld(ld v) { h = fnv1a(h, &v, 10); }

__attribute__((noinline)) static ld zeta2(int n) { ld s = 0; for (int k = n; k >= 1; k--) s += 1.0L / ((ld)k * k); return s; }
__attribute__((noinline)) static ld sqrt_newton(ld x) { ld r = x > 1 ? x / 2 : 1; for (int k = 0; k < 60; k++) r = (r + x / r) * 0.5L; return r; }
__attribute__((noinline)) static ld e_series(void) { ld s = 1, t = 1; for (int k = 1; k < 30; k++) { t /= k; s += t; } return s; }
__attribute__((noinline)) static ld pi_machin(void) {
  /* pi = 16 atan(1/5) - 4 atan(1/239) */
  ld a = 0, b = 0, p5 = 1.0L / 5, p239 = 1.0L / 239;
  for (int k = 0; k < 30; k++) { ld t = p5 / (2 * k + 1); a += (k & 1) ? -t : t; p5 /= 25; }
  for (int k = 0; k < 10; k++) { ld t = p239 / (2 * k + 1); b += (k & 1) ? -t : t; p239 /= 239 * 239; }
  return 16 * a - 4 * b;
}

static void set_rounding(unsigned rc) {
  unsigned short cw;
  __asm__ volatile("fnstcw %0" : "=m"(cw));
  cw = (unsigned short)((cw & ~0xc00u) | (rc << 10));
  __asm__ volatile("fldcw %0" : : "m"(cw));
}

/* Decimal digits of a positive long double (exercises multiply/subtract/convert). */
static void put_dec(const char *name, ld v) {
  io_puts(name); io_putc('=');
  int e = 0;
  while (v >= 10) { v /= 10; e++; }
  while (v < 1 && v > 0) { v *= 10; e--; }
  for (int k = 0; k < 19; k++) {
    int d = (int)v;
    io_putc('0' + d);
    if (k == 0) io_putc('.');
    v = (v - d) * 10;
  }
  io_putc('e'); io_hexn((unsigned)(e & 0xff), 2);
  io_putc('\n');
}

int prog_main(void) {
  put_ld("zeta2", zeta2(2000));
  put_ld("sqrt2", sqrt_newton(2.0L));
  put_ld("fsqrt", __builtin_sqrtl(3.0L));
  put_ld("e", e_series());
  put_ld("pi", pi_machin());
  put_dec("pidec", pi_machin());
  put_dec("edec", e_series());
  put_dec("big", 1.0e300L * 1.0e300L * 12345.678L);
  ld tiny = 1.0L;
  for (int k = 0; k < 16400; k++) tiny *= 0.5L;    /* through the denormal range to zero */
  put_ld("tiny", tiny);
  ld den = 1.0L;
  for (int k = 0; k < 16440; k++) den *= 0.5L;
  put_ld("den", den);
  put_ld("den2", den * 3 + den);
  /* Conversions. */
  uint64_t x = 0x123456789abcdef1ull;
  for (int k = 0; k < 200; k++) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    ld a = (ld)(int64_t)x, b = (ld)(x >> 3), c = (ld)(uint64_t)x;
    ld q = a / (b + 1) + c * 1e-19L;
    mix_ld(q);
    h ^= (uint64_t)(int64_t)(q * 1e15L);
    h ^= (uint64_t)(c * 0.5L);
    h ^= (uint64_t)(uint32_t)(int32_t)(a * 1e-10L);
    h ^= (uint64_t)(uint16_t)(int16_t)(q * 1000.0L);
    double d = (double)q; float f = (float)q;
    h = fnv1a(h, &d, 8); h = fnv1a(h, &f, 4);
    ld back = (ld)d - q + (ld)f;
    mix_ld(back);
    h += (q < back) + 2 * (q == back) + 4 * (a > c) + 8 * (c >= b);
    ld m = q < back ? q : back;   /* FCMOV / branches */
    mix_ld(m);
  }
  io_kv("conv", h);
  /* Rounding modes through FCW. */
  static const ld vals[] = { 2.5L, -2.5L, 3.5L, -0.5L, 1.0L / 3, -2.0L / 3, 1e18L + 0.5L };
  for (unsigned rc = 0; rc < 4; rc++) {
    set_rounding(rc);
    uint64_t r = 0;
    for (unsigned k = 0; k < sizeof vals / sizeof vals[0]; k++) {
      ld v = vals[k];
      long long ll;
      __asm__ volatile("fistpll %0" : "=m"(ll) : "t"(v) : "st");
      r = r * 1000003 + (uint64_t)ll;
      mix_ld(v * 3 + 1.0L / 7);  /* rounding of arithmetic too */
      mix_ld(v / 3);
    }
    set_rounding(0);
    io_kv("rc", r);
  }
  io_kv("all", h);
  /* Special values. */
  volatile ld zero = 0.0L;
  put_ld("inf", 1.0L / zero);
  put_ld("ninf", -1.0L / zero);
  ld nan = zero / zero;
  put_ld("nan", nan);
  io_kv("nancmp", (uint64_t)((nan == nan) | (nan < 1.0L) << 1 | (nan != nan) << 2));
  put_ld("negzero", -zero * 5);
  return (int)(h & 0x7f);
}
