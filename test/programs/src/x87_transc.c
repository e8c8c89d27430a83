/*
 * The x87 instructions gcc only reaches through libm (FSIN, FCOS, FPTAN,
 * FPATAN, FYL2X, FYL2XP1, F2XM1) plus FSCALE, FPREM, FPREM1, FRNDINT and
 * FXTRACT, through inline asm, on arguments inside each instruction's defined
 * range. Results are printed as the 10 bytes of each value, so they must
 * match this machine's silicon bit for bit.
 */
#include "io.h"

typedef long double ld;

static void put_ld(const char *name, ld v) { io_kbytes(name, &v, 10); }

/* x87 instructions gcc only reaches through libm: here through inline asm. */
static ld x_fsin(ld x) { ld r; __asm__("fsin" : "=t"(r) : "0"(x)); return r; }
static ld x_fcos(ld x) { ld r; __asm__("fcos" : "=t"(r) : "0"(x)); return r; }
static ld x_fptan(ld x) { ld r, one; __asm__("fptan" : "=t"(one), "=u"(r) : "0"(x)); (void)one; return r; }
static ld x_fpatan(ld y, ld x) { ld r; __asm__("fpatan" : "=t"(r) : "0"(x), "u"(y) : "st(1)"); return r; }
static ld x_fyl2x(ld y, ld x) { ld r; __asm__("fyl2x" : "=t"(r) : "0"(x), "u"(y) : "st(1)"); return r; }
static ld x_fyl2xp1(ld y, ld x) { ld r; __asm__("fyl2xp1" : "=t"(r) : "0"(x), "u"(y) : "st(1)"); return r; }
static ld x_f2xm1(ld x) { ld r; __asm__("f2xm1" : "=t"(r) : "0"(x)); return r; }
static ld x_fscale(ld x, ld e) { ld r; __asm__("fscale" : "=t"(r) : "0"(x), "u"(e)); return r; }
static ld x_fprem(ld x, ld y) { ld r; __asm__("1: fprem; fnstsw %%ax; testw $0x400, %%ax; jnz 1b" : "=t"(r) : "0"(x), "u"(y) : "ax", "cc"); return r; }
static ld x_fprem1(ld x, ld y) { ld r; __asm__("1: fprem1; fnstsw %%ax; testw $0x400, %%ax; jnz 1b" : "=t"(r) : "0"(x), "u"(y) : "ax", "cc"); return r; }
static ld x_frndint(ld x) { ld r; __asm__("frndint" : "=t"(r) : "0"(x)); return r; }
static ld x_fxtract(ld x, ld *e) { ld r; __asm__("fxtract" : "=t"(r), "=u"(*e) : "0"(x)); return r; }

static void transcendentals(void) {
  static const ld args[] = { 0.5L, -1.25L, 3.0L, 1e-5L, 100.0L, -7.75L, 0.7853981633974483096L, 12345.678L };
  /* f2xm1 gets x/128 when |x/128| <= 1 (its defined range), else x/16384. */
  for (unsigned k = 0; k < sizeof args / sizeof args[0]; k++) {
    ld x = args[k], e;
    io_puts("x87t "); io_hexn(k, 2); io_putc('\n');
    put_ld(" fsin", x_fsin(x)); put_ld(" fcos", x_fcos(x)); put_ld(" fptan", x_fptan(x));
    put_ld(" fpatan", x_fpatan(x, 1.5L)); put_ld(" fyl2x", x_fyl2x(1.0L / 3, x < 0 ? -x : x));
    put_ld(" fyl2xp1", x_fyl2xp1(2.0L, x * 1e-3L)); put_ld(" f2xm1", x_f2xm1(x / 128 <= 1 && x / 128 >= -1 ? x / 128 : x / 16384));
    put_ld(" fscale", x_fscale(x, (ld)(int)(k * 7) - 20)); put_ld(" fprem", x_fprem(x * 1e3L, 0.3L));
    put_ld(" fprem1", x_fprem1(x * 1e3L, 0.3L)); put_ld(" frndint", x_frndint(x * 3.3L));
    ld m = x_fxtract(x, &e); put_ld(" fxtract", m + e);
  }
}

int prog_main(void) {
  transcendentals();
  return 0x5a;
}
