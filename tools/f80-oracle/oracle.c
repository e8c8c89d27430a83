/*
 * x87 silicon oracle for the f80 library tests.
 *
 * Runs x87 instructions on the host CPU (inline asm) with chosen operands and
 * control words and prints one JSON fixture file per operation group to the
 * directory given as argv[1].  Operands come from a fixed-seed PRNG so the
 * output is reproducible on the same silicon.
 *
 * Each case is one string of space-separated hex fields; the field list is
 * named in the file's "fields" array.  80-bit values (and 10-byte BCD images)
 * are printed as 20 hex digits: the top 16 bits (sign+exponent) followed by
 * the 64-bit significand.  "fsw" is the full status word captured by FNSAVE
 * right after the instruction; "depth" is the number of non-empty registers
 * afterwards; "mem" is the memory destination (pre-filled with 0xA5 bytes, so
 * an unwritten destination shows up as a5a5...).
 *
 * Build & run: tools/f80-oracle/gen.sh   (oracle <dir> [seed]: other seeds give fresh
 * vectors for stress runs: F80_FIXTURES=<dir> npx vitest run test/fpu/f80)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { unsigned char b[10]; } f80;

static uint64_t rs = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
  rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return rs;
}
static uint32_t rn(uint32_t n) { return (uint32_t)(rnd() % n); }

static f80 mk(uint16_t se, uint64_t m) {
  f80 r; memcpy(r.b, &m, 8); memcpy(r.b + 8, &se, 2); return r;
}
static uint16_t se_of(f80 v) { uint16_t s; memcpy(&s, v.b + 8, 2); return s; }
static uint64_t m_of(f80 v) { uint64_t m; memcpy(&m, v.b, 8); return m; }

static unsigned char sv[108];
static uint64_t flags_out;
static unsigned char mem[16];

static uint16_t sv_fsw(void) { return (uint16_t)(sv[4] | sv[5] << 8); }
static int sv_depth(void) {
  uint16_t tw = (uint16_t)(sv[8] | sv[9] << 8);
  int d = 0;
  for (int i = 0; i < 8; i++) if (((tw >> (2 * i)) & 3) != 3) d++;
  return d;
}
static f80 sv_st(int i) { f80 r; memcpy(r.b, sv + 28 + 10 * i, 10); return r; }

#define CLOB "memory", "cc", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)"

/* two operands: st0 = a, st1 = b */
#define RUN2(INSN) \
  __asm__ volatile("fninit\n\tfldt %[b]\n\tfldt %[a]\n\tfnclex\n\tfldcw %[cw]\n\t" INSN \
                   "\n\tfnsave %[sv]\n\t" \
                   : [sv] "=m"(sv) : [a] "m"(a), [b] "m"(b), [cw] "m"(cw) : CLOB)
/* one operand: st0 = a */
#define RUN1(INSN) \
  __asm__ volatile("fninit\n\tfldt %[a]\n\tfnclex\n\tfldcw %[cw]\n\t" INSN \
                   "\n\tfnsave %[sv]\n\t" \
                   : [sv] "=m"(sv) : [a] "m"(a), [cw] "m"(cw) : CLOB)
/* st0 = a, plus memory operand / destination `mem` */
#define RUNM(INSN) \
  __asm__ volatile("fninit\n\tfldt %[a]\n\tfnclex\n\tfldcw %[cw]\n\t" INSN \
                   "\n\tfnsave %[sv]\n\t" \
                   : [sv] "=m"(sv), [mem] "+m"(mem) : [a] "m"(a), [cw] "m"(cw) : CLOB)
/* empty stack, memory operand */
#define RUN0(INSN) \
  __asm__ volatile("fninit\n\tfnclex\n\tfldcw %[cw]\n\t" INSN "\n\tfnsave %[sv]\n\t" \
                   : [sv] "=m"(sv), [mem] "+m"(mem) : [cw] "m"(cw) : CLOB)
/* two operands and EFLAGS */
#define RUN2F(INSN) \
  __asm__ volatile("fninit\n\tfldt %[b]\n\tfldt %[a]\n\tfnclex\n\tfldcw %[cw]\n\t" INSN \
                   "\n\tpushfq\n\tpopq %[fl]\n\tfnsave %[sv]\n\t" \
                   : [sv] "=m"(sv), [fl] "=r"(flags_out) : [a] "m"(a), [b] "m"(b), [cw] "m"(cw) : CLOB)

/* ---------- operand generation ---------- */

static const uint64_t QBIT = 0x4000000000000000ull, JBIT = 0x8000000000000000ull;

static f80 special(int k) {
  uint16_t s = (k & 1) ? 0x8000 : 0;
  switch (k >> 1) {
    case 0: return mk(s, 0);                                  /* zero */
    case 1: return mk(s | 0x7FFF, JBIT);                      /* inf */
    case 2: return mk(s | 0x7FFF, JBIT | QBIT);               /* indefinite-like QNaN */
    case 3: return mk(s | 0x7FFF, JBIT | QBIT | (rnd() >> 2)); /* QNaN */
    case 4: return mk(s | 0x7FFF, JBIT | 1 | (rnd() >> 3));   /* SNaN */
    case 5: return mk(s | 0x3FFF, JBIT);                      /* 1.0 */
    case 6: return mk(s | 0x0001, JBIT);                      /* min normal */
    case 7: return mk(s | 0x7FFE, ~0ull);                     /* max */
    case 8: return mk(s, 1);                                  /* min denormal */
    case 9: return mk(s, rnd() >> 1);                         /* denormal */
    case 10: return mk(s, JBIT | (rnd() >> 1));               /* pseudo-denormal */
    case 11: return mk(s | (uint16_t)(1 + rn(0x7FFE)), rnd() >> 1); /* unnormal */
    case 12: return mk(s | 0x7FFF, 0);                        /* pseudo-inf */
    case 13: return mk(s | 0x7FFF, (rnd() >> 2) | 1);         /* pseudo-NaN */
    case 14: return mk(s | 0x3FFF, JBIT | (rnd() >> 1));      /* [1,2) */
    case 15: return mk(s | 0x7FFF, JBIT | 1);                 /* SNaN small */
    case 16: return mk(s | 0x7FFF, ~0ull);                    /* QNaN max payload */
    case 17: return mk(s | 0x0000, JBIT);                     /* pseudo-denormal 2^-16382 */
    default: return mk(s | 0x3FFE, ~0ull);
  }
}
#define NSPECIAL 38

static uint64_t rand_mant(void) {
  switch (rn(8)) {
    case 0: case 1: return rnd() | JBIT;
    case 2: { int k = 1 + rn(64); return (k == 64 ? rnd() : (rnd() << (64 - k))) | JBIT; }
    case 3: { /* long runs of ones / zeros */
      uint64_t m = 0; int pos = 64, bit = 1;
      while (pos > 0) { int len = 1 + rn(20); if (len > pos) len = pos; pos -= len;
        if (bit) m |= (len == 64 ? ~0ull : ((1ull << len) - 1)) << pos;
        bit ^= 1; }
      return m | JBIT; }
    case 4: { /* tie/near-tie patterns at pc24 / pc53 / pc64 boundaries */
      int p = (int[]){24, 53, 64, 24, 53}[rn(5)];
      uint64_t hi = rnd() | JBIT;
      if (p == 64) return hi;
      uint64_t keep = hi & ~((1ull << (64 - p)) - 1);
      uint64_t half = 1ull << (63 - p);
      switch (rn(4)) {
        case 0: return keep | half;
        case 1: return keep | (half - 1);
        case 2: return keep | half | 1;
        default: return keep | (rnd() & (half - 1));
      } }
    case 5: return JBIT | (rnd() >> (1 + rn(63)));
    case 6: return ~0ull ^ (rnd() >> (1 + rn(63)));
    default: return JBIT | ((uint64_t)rn(1024) << 40);
  }
}

static uint16_t rand_exp(void) {
  switch (rn(10)) {
    case 0: return (uint16_t)(1 + rn(0x7FFE));
    case 1: return (uint16_t)(1 + rn(130));
    case 2: return (uint16_t)(0x7FFE - rn(130));
    case 3: return (uint16_t)(0x3FFF - 0x3F80 + rn(0x100)); /* around 2^-127 */
    default: return (uint16_t)(0x3FFF - 70 + rn(140));
  }
}

static f80 rand_val(void) {
  uint32_t c = rn(100);
  uint16_t s = (rnd() & 1) ? 0x8000 : 0;
  if (c < 12) return special(rn(NSPECIAL));
  if (c < 18) return mk(s, rand_mant() >> (1 + rn(64)));  /* denormal (or zero) */
  return mk(s | rand_exp(), rand_mant());
}

/* b related to a (close exponents, shared bits) */
static f80 related(f80 a) {
  uint16_t se = se_of(a); uint64_t m = m_of(a);
  uint16_t e = se & 0x7FFF;
  uint16_t s = (rnd() & 1) ? 0x8000 : 0;
  if ((e == 0 || e == 0x7FFF) && rn(2)) return rand_val();
  int d = (int)rn(140) - 70;
  if (rn(3) == 0) d = (int)rn(9) - 4;
  int ne = (int)e + d;
  if (ne < 1) ne = 1;
  if (ne > 0x7FFE) ne = 0x7FFE;
  switch (rn(4)) {
    case 0: m = m ^ (rnd() >> (1 + rn(63))); break;
    case 1: m = rand_mant(); break;
    case 2: m = m + (rnd() & 7) - 3; break;
    default: break;
  }
  return mk(s | (uint16_t)ne, m | JBIT);
}

static uint16_t rand_fcw(void) {
  uint16_t masks = 0x3F;
  uint32_t c = rn(100);
  if (c >= 70) masks = (uint16_t)(rnd() & 0x3F);
  if (c >= 90) masks = 0;
  return (uint16_t)(0x40 | masks | (rn(4) << 10) | ((uint16_t[]){0, 2, 3, 3}[rn(4)] << 8));
}

/* ---------- output ---------- */

static FILE *out;
static int ncase;
static void open_file(const char *dir, const char *name, const char *fields) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.json", dir, name);
  out = fopen(path, "w");
  if (!out) { perror(path); exit(1); }
  fprintf(out, "{\"op\":\"%s\",\"source\":\"x87 silicon via tools/f80-oracle\",\"fields\":\"%s\",\"cases\":[\n", name, fields);
  ncase = 0;
}
static void close_file(void) { fprintf(out, "\n]}\n"); fclose(out); }
static char line[512];
static int lp;
static void begin(void) { lp = 0; line[0] = 0; }
static void fx(f80 v) { lp += sprintf(line + lp, "%s%04x%016llx", lp ? " " : "", se_of(v), (unsigned long long)m_of(v)); }
static void fh(uint64_t v, int digits) { lp += sprintf(line + lp, "%s%0*llx", lp ? " " : "", digits, (unsigned long long)v); }
static void end(void) { fprintf(out, "%s\"%s\"", ncase ? ",\n" : "", line); ncase++; }

static uint64_t memval(int n) { uint64_t v = 0; memcpy(&v, mem, n); return v; }
static void memfill(void) { memset(mem, 0xA5, sizeof mem); }

/* ---------- generators per op ---------- */

typedef void (*bin_fn)(f80 a, f80 b, uint16_t cw);
static void op_add(f80 a, f80 b, uint16_t cw) { RUN2("fadd %%st(1), %%st"); }
static void op_sub(f80 a, f80 b, uint16_t cw) { RUN2("fsub %%st(1), %%st"); }
static void op_subr(f80 a, f80 b, uint16_t cw) { RUN2("fsubr %%st(1), %%st"); }
static void op_mul(f80 a, f80 b, uint16_t cw) { RUN2("fmul %%st(1), %%st"); }
static void op_div(f80 a, f80 b, uint16_t cw) { RUN2("fdiv %%st(1), %%st"); }
static void op_divr(f80 a, f80 b, uint16_t cw) { RUN2("fdivr %%st(1), %%st"); }
static void op_scale(f80 a, f80 b, uint16_t cw) { RUN2("fscale"); }
static void op_prem(f80 a, f80 b, uint16_t cw) { RUN2("fprem"); }
static void op_prem1(f80 a, f80 b, uint16_t cw) { RUN2("fprem1"); }
static void op_com(f80 a, f80 b, uint16_t cw) { RUN2("fcom %%st(1)"); }
static void op_ucom(f80 a, f80 b, uint16_t cw) { RUN2("fucom %%st(1)"); }
static void op_comi(f80 a, f80 b, uint16_t cw) { RUN2F("fcomi %%st(1), %%st"); }
static void op_ucomi(f80 a, f80 b, uint16_t cw) { RUN2F("fucomi %%st(1), %%st"); }
static void op_yl2x(f80 a, f80 b, uint16_t cw) { RUN2("fyl2x"); }
static void op_yl2xp1(f80 a, f80 b, uint16_t cw) { RUN2("fyl2xp1"); }
static void op_patan(f80 a, f80 b, uint16_t cw) { RUN2("fpatan"); }

typedef void (*un_fn)(f80 a, uint16_t cw);
static void op_sqrt(f80 a, uint16_t cw) { RUN1("fsqrt"); }
static void op_rndint(f80 a, uint16_t cw) { RUN1("frndint"); }
static void op_xtract(f80 a, uint16_t cw) { RUN1("fxtract"); }
static void op_tst(f80 a, uint16_t cw) { RUN1("ftst"); }
static void op_xam(f80 a, uint16_t cw) { RUN1("fxam"); }
static void op_f2xm1(f80 a, uint16_t cw) { RUN1("f2xm1"); }
static void op_sin(f80 a, uint16_t cw) { RUN1("fsin"); }
static void op_cos(f80 a, uint16_t cw) { RUN1("fcos"); }
static void op_sincos(f80 a, uint16_t cw) { RUN1("fsincos"); }
static void op_ptan(f80 a, uint16_t cw) { RUN1("fptan"); }

static void gen_bin(const char *dir, const char *name, bin_fn fn, int n, int wantFlags, int st1) {
  int cmp = wantFlags || strstr(name, "com") != NULL;
  open_file(dir, name, wantFlags ? "fcw a b fsw eflags" : cmp ? "fcw a b fsw" : st1 ? "fcw a b st0 st1 depth fsw" : "fcw a b st0 fsw");
  for (int i = 0; i < n; i++) {
    f80 a, b;
    if (i < NSPECIAL * NSPECIAL / 2) { a = special(i % NSPECIAL); b = special((i / NSPECIAL) * 2 % NSPECIAL + (i & 1)); }
    else if (i < NSPECIAL * NSPECIAL) { a = rand_val(); b = special(i % NSPECIAL); if (rn(2)) { f80 t = a; a = b; b = t; } }
    else { a = rand_val(); b = rn(3) ? related(a) : rand_val(); if (rn(2)) { f80 t = a; a = b; b = t; } }
    uint16_t cw = rand_fcw();
    fn(a, b, cw);
    begin(); fh(cw, 4); fx(a); fx(b); if (!cmp) fx(sv_st(0));
    if (st1) { fx(sv_st(1)); fh(sv_depth(), 1); }
    fh(sv_fsw(), 4);
    if (wantFlags) fh(flags_out & 0x8D5, 4);
    end();
  }
  close_file();
}

static void gen_un(const char *dir, const char *name, un_fn fn, int n, int two, f80 (*gen)(void)) {
  open_file(dir, name, two ? "fcw a st0 st1 depth fsw" : "fcw a st0 fsw");
  for (int i = 0; i < n; i++) {
    f80 a = i < NSPECIAL * 3 ? special(i % NSPECIAL) : gen();
    uint16_t cw = rand_fcw();
    fn(a, cw);
    begin(); fh(cw, 4); fx(a); fx(sv_st(0));
    if (two) { fx(sv_st(1)); fh(sv_depth(), 1); }
    fh(sv_fsw(), 4); end();
  }
  close_file();
}

/* values of interest for integer conversion / rounding */
static f80 gen_intish(void) {
  uint16_t s = (rnd() & 1) ? 0x8000 : 0;
  switch (rn(6)) {
    case 0: { /* near powers 2^15, 2^31, 2^63, 2^64 */
      int p = (int[]){15, 16, 31, 32, 63, 64, 59, 60}[rn(8)];
      int d = (int)rn(5) - 2;
      uint64_t m = JBIT;
      if (rn(2)) m = ~0ull ^ (rnd() >> (1 + rn(60)));
      return mk(s | (uint16_t)(0x3FFF + p - 1 + d + (m == JBIT ? 1 : 0)), m); }
    case 1: { /* x.5 / x.25 / x.75 patterns */
      int e = (int)rn(64);
      uint64_t m = (rnd() | JBIT) & ~((e >= 62 ? 0 : (JBIT >> (e + 2)) - 1));
      return mk(s | (uint16_t)(0x3FFF + e), m); }
    case 2: return mk(s | (uint16_t)(0x3FFF - 3 + rn(6)), rand_mant());
    case 3: return mk(s | (uint16_t)(0x3FFF + rn(70)), rand_mant());
    default: return rand_val();
  }
}

static f80 gen_sqrt(void) {
  if (rn(4) == 0) { /* exact squares */
    uint64_t r = (rnd() >> (rn(2) ? 32 : 40)) | 1;
    unsigned __int128 sq = (unsigned __int128)r * r;
    int lz = 0; while (!(sq >> (127 - lz) & 1)) lz++;
    sq <<= lz; uint64_t m = (uint64_t)(sq >> 64);
    if ((uint64_t)sq == 0) return mk((uint16_t)(0x3FFF + rn(40)), m);
  }
  return rand_val();
}

static void gen_mem(const char *dir) {
  /* arithmetic with memory operands: st0 = a, mem = operand */
  struct { const char *name; int kind; } ops[] = {
    {"fadd_m32", 0}, {"fsub_m64", 1}, {"fmul_i16", 2}, {"fdiv_i32", 3}, {"fsubr_m32", 4}, {"fdivr_m64", 5},
  };
  for (int o = 0; o < 6; o++) {
    open_file(dir, ops[o].name, "fcw a mem st0 fsw");
    for (int i = 0; i < 500; i++) {
      f80 a = rand_val(); uint16_t cw = rand_fcw();
      uint64_t m = rnd();
      int k = ops[o].kind;
      int bytes = (k == 2) ? 2 : (k == 0 || k == 3 || k == 4) ? 4 : 8;
      if (k == 0 || k == 4) { /* f32: mix of specials */
        uint32_t v = (uint32_t)m;
        switch (rn(6)) { case 0: v &= 0x807FFFFF; break; case 1: v |= 0x7F800000; break; case 2: v = (v & 0x80000000) | 0x7F800000; break; default: break; }
        m = v;
      } else if (k == 1 || k == 5) {
        switch (rn(6)) { case 0: m &= 0x800FFFFFFFFFFFFFull; break; case 1: m |= 0x7FF0000000000000ull; break; case 2: m = (m & (1ull << 63)) | 0x7FF0000000000000ull; break; default: break; }
      } else if (rn(3) == 0) m = (uint64_t)(rn(5)) - 2;
      memfill(); memcpy(mem, &m, 8);
      switch (k) {
        case 0: RUNM("fadds %[mem]"); break;
        case 1: RUNM("fsubl %[mem]"); break;
        case 2: RUNM("fimuls %[mem]"); break;
        case 3: RUNM("fidivl %[mem]"); break;
        case 4: RUNM("fsubrs %[mem]"); break;
        default: RUNM("fdivrl %[mem]"); break;
      }
      begin(); fh(cw, 4); fx(a); fh(m & (bytes == 8 ? ~0ull : ((1ull << (bytes * 8)) - 1)), bytes * 2); fx(sv_st(0)); fh(sv_fsw(), 4); end();
    }
    close_file();
  }
}

static void gen_loads(const char *dir) {
  open_file(dir, "fld_m32", "fcw mem st0 depth fsw");
  for (int i = 0; i < 600; i++) {
    uint32_t v = (uint32_t)rnd(); uint16_t cw = rand_fcw();
    switch (rn(6)) { case 0: v &= 0x807FFFFF; break; case 1: v |= 0x7F800000; break; case 2: v &= 0x80000000 | (rn(2) ? 0x7F800000 : 0); break; case 3: v = (v & 0xFFC00001) | 0x7F800000; break; default: break; }
    memfill(); memcpy(mem, &v, 4);
    RUN0("flds %[mem]");
    begin(); fh(cw, 4); fh(v, 8); fx(sv_st(0)); fh(sv_depth(), 1); fh(sv_fsw(), 4); end();
  }
  close_file();
  open_file(dir, "fld_m64", "fcw mem st0 depth fsw");
  for (int i = 0; i < 600; i++) {
    uint64_t v = rnd(); uint16_t cw = rand_fcw();
    switch (rn(6)) { case 0: v &= 0x800FFFFFFFFFFFFFull; break; case 1: v |= 0x7FF0000000000000ull; break; case 2: v &= 0x8000000000000000ull | (rn(2) ? 0x7FF0000000000000ull : 0); break; case 3: v = (v & 0xFFF8000000000001ull) | 0x7FF0000000000000ull; break; default: break; }
    memfill(); memcpy(mem, &v, 8);
    RUN0("fldl %[mem]");
    begin(); fh(cw, 4); fh(v, 16); fx(sv_st(0)); fh(sv_depth(), 1); fh(sv_fsw(), 4); end();
  }
  close_file();
  const char *inames[] = {"fild_m16", "fild_m32", "fild_m64"};
  for (int k = 0; k < 3; k++) {
    open_file(dir, inames[k], "fcw mem st0 depth fsw");
    for (int i = 0; i < 300; i++) {
      uint64_t v = rnd() >> rn(64); if (rn(2)) v = -v; if (i < 8) v = (uint64_t[]){0, 1, -1ull, 0x8000, 0x7FFF, 0x80000000, 0x7FFFFFFF, 0x8000000000000000ull}[i];
      uint16_t cw = rand_fcw();
      memfill(); memcpy(mem, &v, 8);
      if (k == 0) RUN0("filds %[mem]"); else if (k == 1) RUN0("fildl %[mem]"); else RUN0("fildll %[mem]");
      int bytes = 2 << k;
      begin(); fh(cw, 4); fh(v & (bytes == 8 ? ~0ull : ((1ull << (bytes * 8)) - 1)), bytes * 2); fx(sv_st(0)); fh(sv_depth(), 1); fh(sv_fsw(), 4); end();
    }
    close_file();
  }
  open_file(dir, "fbld", "fcw mem st0 depth fsw");
  for (int i = 0; i < 400; i++) {
    uint64_t lo = 0; uint16_t hi = 0;
    int nd = 1 + rn(18);
    for (int d = 0; d < 18; d++) {
      uint64_t dig = d < nd ? rn(10) : 0;
      if (rn(20) == 0) dig = 9;
      if (d < 16) lo |= dig << (4 * d); else hi |= (uint16_t)(dig << (4 * (d - 16)));
    }
    if (rnd() & 1) hi |= 0x8000;
    if (rn(10) == 0) hi |= (uint16_t)(rn(128) << 8); /* bits 78:72 are ignored */
    f80 v = mk(hi, lo);
    uint16_t cw = rand_fcw();
    memfill(); memcpy(mem, v.b, 10);
    RUN0("fbld %[mem]");
    begin(); fh(cw, 4); fx(v); fx(sv_st(0)); fh(sv_depth(), 1); fh(sv_fsw(), 4); end();
  }
  close_file();
}

static void gen_stores(const char *dir) {
  const char *names[] = {"fst_m32", "fst_m64", "fistp_m16", "fistp_m32", "fistp_m64", "fisttp_m16", "fisttp_m32", "fisttp_m64", "fbstp"};
  int counts[] = {1100, 1100, 800, 800, 800, 400, 400, 400, 800};
  for (int k = 0; k < 9; k++) {
    open_file(dir, names[k], "fcw a mem depth fsw");
    for (int i = 0; i < counts[k]; i++) {
      f80 a;
      if (i < NSPECIAL * 2) a = special(i % NSPECIAL);
      else if (k == 0 && rn(3) == 0) a = mk((uint16_t)((rnd() & 0x8000) | (0x3FFF - 126 - 30 + rn(60))), rand_mant());
      else if (k == 0 && rn(3) == 0) a = mk((uint16_t)((rnd() & 0x8000) | (0x3FFF + 127 - 3 + rn(6))), rand_mant());
      else if (k == 1 && rn(3) == 0) a = mk((uint16_t)((rnd() & 0x8000) | (0x3FFF - 1022 - 60 + rn(120))), rand_mant());
      else if (k == 1 && rn(3) == 0) a = mk((uint16_t)((rnd() & 0x8000) | (0x3FFF + 1023 - 3 + rn(6))), rand_mant());
      else if (k == 8 && rn(2) == 0) a = mk((uint16_t)((rnd() & 0x8000) | (0x3FFF + rn(62))), rand_mant());
      else if (k >= 2) a = gen_intish();
      else a = rand_val();
      uint16_t cw = rand_fcw();
      memfill();
      switch (k) {
        case 0: RUNM("fsts %[mem]"); break;
        case 1: RUNM("fstl %[mem]"); break;
        case 2: RUNM("fistps %[mem]"); break;
        case 3: RUNM("fistpl %[mem]"); break;
        case 4: RUNM("fistpll %[mem]"); break;
        case 5: RUNM("fisttps %[mem]"); break;
        case 6: RUNM("fisttpl %[mem]"); break;
        case 7: RUNM("fisttpll %[mem]"); break;
        default: RUNM("fbstp %[mem]"); break;
      }
      begin(); fh(cw, 4); fx(a);
      if (k == 8) { f80 m; memcpy(m.b, mem, 10); fx(m); }
      else { int bytes = (k == 0) ? 4 : (k == 1) ? 8 : (2 << ((k - 2) % 3)); fh(memval(bytes), bytes * 2); }
      fh(sv_depth(), 1); fh(sv_fsw(), 4); end();
    }
    close_file();
  }
}

static void gen_consts(const char *dir) {
  open_file(dir, "fldconst", "fcw op st0 depth fsw");
  const char *ops[] = {"fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz"};
  for (int rc = 0; rc < 4; rc++)
    for (int pc = 0; pc < 4; pc++)
      for (int o = 0; o < 7; o++) {
        /* pc == 1 (reserved) slot is used for "all masked, PC=extended, all exceptions unmasked" */
        uint16_t cw = (uint16_t)(0x40 | (rc << 10) | ((pc == 1 ? 3 : pc) << 8) | (pc == 1 ? 0 : 0x3F));
        switch (o) {
          case 0: RUN0("fld1"); break; case 1: RUN0("fldl2t"); break; case 2: RUN0("fldl2e"); break;
          case 3: RUN0("fldpi"); break; case 4: RUN0("fldlg2"); break; case 5: RUN0("fldln2"); break; default: RUN0("fldz"); break;
        }
        begin(); fh(cw, 4); lp += sprintf(line + lp, " %s", ops[o]); fx(sv_st(0)); fh(sv_depth(), 1); fh(sv_fsw(), 4); end();
      }
  close_file();
}

static f80 gen_prem_a(void) { return rand_val(); }

static void gen_prem(const char *dir, const char *name, bin_fn fn, int n) {
  open_file(dir, name, "fcw a b st0 st1 depth fsw");
  for (int i = 0; i < n; i++) {
    f80 a, b;
    if (i < NSPECIAL * 4) { a = special(i % NSPECIAL); b = rn(2) ? special(rn(NSPECIAL)) : rand_val(); if (rn(2)) { f80 t = a; a = b; b = t; } }
    else {
      a = gen_prem_a(); b = rand_val();
      if (rn(4)) { /* exponent difference mostly in 0..80 */
        uint16_t ea = se_of(a) & 0x7FFF;
        if (ea > 0 && ea < 0x7FFF) {
          int d = (int)rn(rn(3) ? 70 : 200) - 3;
          int eb = (int)ea - d; if (eb < 1) eb = 1; if (eb > 0x7FFE) eb = 0x7FFE;
          b = mk((uint16_t)((rnd() & 0x8000) | eb), rn(3) ? rand_mant() : m_of(a) ^ (rnd() >> (1 + rn(63))));
        }
      }
    }
    uint16_t cw = rand_fcw();
    fn(a, b, cw);
    begin(); fh(cw, 4); fx(a); fx(b); fx(sv_st(0)); fx(sv_st(1)); fh(sv_depth(), 1); fh(sv_fsw(), 4); end();
  }
  close_file();
}

static f80 gen_scale_b(void) {
  uint16_t s = (rnd() & 1) ? 0x8000 : 0;
  switch (rn(5)) {
    case 0: return mk(s | (uint16_t)(0x3FFF + rn(16)), rand_mant());  /* up to 65536 */
    case 1: return mk(s | (uint16_t)(0x3FFF + 13 + rn(3)), rand_mant()); /* around 16384 */
    case 2: return mk(s | (uint16_t)(0x3FFF - 2 + rn(3)), rand_mant()); /* fractions */
    case 3: return mk(s | (uint16_t)(0x3FFF + 16 + rn(60)), rand_mant()); /* huge */
    default: return rand_val();
  }
}

static void gen_scale(const char *dir, int n) {
  open_file(dir, "fscale", "fcw a b st0 fsw");
  for (int i = 0; i < n; i++) {
    f80 a, b;
    if (i < NSPECIAL * NSPECIAL / 2) { a = special(i % NSPECIAL); b = special((i / NSPECIAL) * 2 % NSPECIAL + (i & 1)); }
    else { a = rand_val(); b = gen_scale_b(); }
    uint16_t cw = rand_fcw();
    op_scale(a, b, cw);
    begin(); fh(cw, 4); fx(a); fx(b); fx(sv_st(0)); fh(sv_fsw(), 4); end();
  }
  close_file();
}

static f80 gen_trig(void) {
  uint16_t s = (rnd() & 1) ? 0x8000 : 0;
  switch (rn(4)) {
    case 0: return mk(s | (uint16_t)(0x3FFF - 10 + rn(12)), rand_mant());
    case 1: return mk(s | (uint16_t)(0x3FFF + rn(64)), rand_mant());
    case 2: return mk(s | (uint16_t)(0x3FFF - 70 + rn(70)), rand_mant());
    default: return rand_val();
  }
}
static f80 gen_f2xm1(void) {
  uint16_t s = (rnd() & 1) ? 0x8000 : 0;
  if (rn(4)) return mk(s | (uint16_t)(0x3FFF - 1 - rn(70)), rand_mant());
  return rand_val();
}
static f80 gen_pos(void) {
  if (rn(5) == 0) return rand_val();
  return mk((uint16_t)(0x3FFF - 40 + rn(80)), rand_mant());
}

static void gen_bin2(const char *dir, const char *name, bin_fn fn, int n, f80 (*ga)(void), f80 (*gb)(void)) {
  open_file(dir, name, "fcw a b st0 st1 depth fsw");
  for (int i = 0; i < n; i++) {
    f80 a, b;
    if (i < NSPECIAL * 4) { a = special(i % NSPECIAL); b = rn(2) ? special(rn(NSPECIAL)) : gb(); if (rn(2)) { f80 t = a; a = b; b = t; } }
    else { a = ga(); b = gb(); }
    uint16_t cw = rand_fcw();
    fn(a, b, cw);
    begin(); fh(cw, 4); fx(a); fx(b); fx(sv_st(0)); fx(sv_st(1)); fh(sv_depth(), 1); fh(sv_fsw(), 4); end();
  }
  close_file();
}
static f80 gen_yl2xp1_a(void) {
  uint16_t s = (rnd() & 1) ? 0x8000 : 0;
  if (rn(5)) return mk(s | (uint16_t)(0x3FFF - 2 - rn(60)), rand_mant());
  return rand_val();
}

/* compares with memory operands (appended last so earlier files keep their PRNG stream) */
static void gen_cmpmem(const char *dir) {
  const char *names[] = {"fcom_m32", "fcom_m64", "ficom_m16", "ficom_m32"};
  for (int k = 0; k < 4; k++) {
    open_file(dir, names[k], "fcw a mem fsw");
    int bytes = (k == 0 || k == 3) ? 4 : k == 1 ? 8 : 2;
    for (int i = 0; i < 300; i++) {
      f80 a = rand_val(); uint16_t cw = rand_fcw();
      uint64_t m = rnd();
      if (k == 0) {
        uint32_t v = (uint32_t)m;
        switch (rn(6)) { case 0: v &= 0x807FFFFF; break; case 1: v |= 0x7F800000; break; case 2: v = (v & 0x80000000) | 0x7F800000; break;
          case 3: { float f; long double x; memcpy(&x, a.b, 10); f = (float)x; memcpy(&v, &f, 4); break; } default: break; }
        m = v;
      } else if (k == 1) {
        switch (rn(6)) { case 0: m &= 0x800FFFFFFFFFFFFFull; break; case 1: m |= 0x7FF0000000000000ull; break; case 2: m = (m & (1ull << 63)) | 0x7FF0000000000000ull; break;
          case 3: { double f; long double x; memcpy(&x, a.b, 10); f = (double)x; memcpy(&m, &f, 8); break; } default: break; }
      } else if (rn(3) == 0) m = (uint64_t)(rn(5)) - 2;
      memfill(); memcpy(mem, &m, 8);
      switch (k) {
        case 0: RUNM("fcoms %[mem]"); break;
        case 1: RUNM("fcoml %[mem]"); break;
        case 2: RUNM("ficoms %[mem]"); break;
        default: RUNM("ficoml %[mem]"); break;
      }
      begin(); fh(cw, 4); fx(a); fh(m & (bytes == 8 ? ~0ull : ((1ull << (bytes * 8)) - 1)), bytes * 2); fh(sv_fsw(), 4); end();
    }
    close_file();
  }
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  if (argc > 2) rs = strtoull(argv[2], NULL, 0) | 1; /* optional seed (stress runs); fixtures use the default */
  gen_bin(dir, "fadd", op_add, 1500, 0, 0);
  gen_bin(dir, "fsub", op_sub, 1200, 0, 0);
  gen_bin(dir, "fsubr", op_subr, 600, 0, 0);
  gen_bin(dir, "fmul", op_mul, 1500, 0, 0);
  gen_bin(dir, "fdiv", op_div, 1500, 0, 0);
  gen_bin(dir, "fdivr", op_divr, 600, 0, 0);
  gen_bin(dir, "fcom", op_com, 600, 0, 0);
  gen_bin(dir, "fucom", op_ucom, 600, 0, 0);
  gen_bin(dir, "fcomi", op_comi, 500, 1, 0);
  gen_bin(dir, "fucomi", op_ucomi, 500, 1, 0);
  gen_un(dir, "fsqrt", op_sqrt, 1500, 0, gen_sqrt);
  gen_un(dir, "frndint", op_rndint, 1200, 0, gen_intish);
  gen_un(dir, "fxtract", op_xtract, 600, 1, rand_val);
  gen_un(dir, "ftst", op_tst, 400, 0, rand_val);
  gen_un(dir, "fxam", op_xam, 400, 0, rand_val);
  gen_scale(dir, 1300);
  gen_prem(dir, "fprem", op_prem, 800);
  gen_prem(dir, "fprem1", op_prem1, 800);
  gen_mem(dir);
  gen_loads(dir);
  gen_stores(dir);
  gen_consts(dir);
  gen_un(dir, "f2xm1", op_f2xm1, 300, 0, gen_f2xm1);
  gen_un(dir, "fsin", op_sin, 300, 0, gen_trig);
  gen_un(dir, "fcos", op_cos, 300, 0, gen_trig);
  gen_un(dir, "fsincos", op_sincos, 300, 1, gen_trig);
  gen_un(dir, "fptan", op_ptan, 300, 1, gen_trig);
  gen_bin2(dir, "fyl2x", op_yl2x, 300, gen_pos, rand_val);
  gen_bin2(dir, "fyl2xp1", op_yl2xp1, 300, gen_yl2xp1_a, rand_val);
  gen_bin2(dir, "fpatan", op_patan, 300, rand_val, rand_val);
  gen_cmpmem(dir);
  return 0;
}
