/*
 * Native cross-check data for the x87 instruction handlers (test/x87/native.test.ts).
 *
 * For each instruction in OPS (given as its exact encoding, so the emulator
 * runs the very same bytes) and each of N cases:
 *   fninit; fldcw [cw]; fld tbyte [in_k] for k = depth-1 .. 0 (so ST(0) = in_0);
 *   rdi = a 16-byte memory operand pre-filled with `memin`;
 *   RFLAGS = rfin (0x202 | a random subset of CF PF ZF, for FCMOVcc);
 *   <instruction>; pushfq; pop; fnsave
 * and prints the inputs, the 108-byte FNSAVE image, the memory operand after
 * and the arithmetic flags. FNSAVE and PUSHF do not wait, so a case may leave an
 * unmasked exception pending (FNSAVE then reinitializes the FPU).
 *
 * Build & run: tools/x87-native/gen.sh (needs gcc on an x86-64 host; the
 * checked-in data came from an AMD EPYC, Zen 4).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t rs = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return rs; }
static uint32_t rn(uint32_t n) { return (uint32_t)(rnd() % n); }

typedef struct { unsigned char b[10]; } f80;
static f80 mk(uint16_t se, uint64_t m) { f80 r; memcpy(r.b, &m, 8); memcpy(r.b + 8, &se, 2); return r; }

static f80 in[8];
static uint16_t cw;
static unsigned char memop[16];
static unsigned char sv[108];
static uint64_t fl;
static uint64_t rfin;

static f80 value(void) {
  uint16_t s = rn(2) ? 0x8000 : 0;
  switch (rn(16)) {
    case 0: return mk(s, 0);                                  /* zero */
    case 1: return mk(s | 0x3fff, 1ull << 63);                /* 1 */
    case 2: return mk(s | 0x7fff, 1ull << 63);                /* inf */
    case 3: return mk(s | 0x7fff, (3ull << 62) | (rnd() >> 20)); /* QNaN */
    case 4: return mk(s | 0x7fff, (1ull << 63) | (rnd() >> 3) | 1); /* SNaN (bit 62 clear) */
    case 5: return mk(s, rnd() >> (1 + rn(60)));              /* denormal */
    case 6: return mk(s | (0x3ff0 + rn(40)), rnd() >> 1);     /* unnormal (unsupported) */
    case 7: return mk(s | (0x7ffe - rn(3)), (1ull << 63) | rnd()); /* huge */
    case 8: return mk(s | (1 + rn(3)), (1ull << 63) | rnd()); /* tiny */
    case 9: return mk(s | (0x3fff + rn(16)), (1ull << 63) | (rnd() << 40)); /* short integer-ish */
    case 10: return mk(s | (0x3fff + rn(70)), (1ull << 63) | rnd()); /* large */
    default: return mk(s | (0x3ff0 + rn(32)), (1ull << 63) | rnd()); /* ordinary */
  }
}

static const uint16_t CWS[] = { 0x037f, 0x027f, 0x007f, 0x077f, 0x0b7f, 0x0f7f, 0x0372, 0x0360, 0x037e, 0x037b, 0x0340 };

#define CLOB "memory", "cc", "rax", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)"
#define OP(name, bytes) \
  static void op_##name(void) { \
    __asm__ volatile("pushq %[rf]\n\tpopfq\n\t.byte " bytes "\n\tpushfq\n\tpopq %[fl]\n\tfnsave %[sv]" \
                     : [sv] "=m"(sv), [fl] "=r"(fl) : "D"(memop), [rf] "m"(rfin) : CLOB); \
  }

/* register forms: st(1)/st(2) operands; memory forms use [rdi] */
OP(fadd_st0_st1, "0xd8,0xc1")
OP(fsub_st0_st1, "0xd8,0xe1")
OP(fsubr_st0_st1, "0xd8,0xe9")
OP(fdivr_st0_st1, "0xd8,0xf9")
OP(fsub_st1_st0, "0xdc,0xe9")
OP(fdiv_st1_st0, "0xdc,0xf9")
OP(fmulp_st2_st0, "0xde,0xca")
OP(fsubrp_st1_st0, "0xde,0xe1")
OP(fdivp_st1_st0, "0xde,0xf9")
OP(fadd_m32, "0xd8,0x07")
OP(fdivr_m64, "0xdc,0x3f")
OP(fimul_m16, "0xde,0x0f")
OP(fisub_m32, "0xda,0x27")
OP(fcom_st1, "0xd8,0xd1")
OP(fcomp_m64, "0xdc,0x1f")
OP(fcompp, "0xde,0xd9")
OP(fucomp_st2, "0xdd,0xea")
OP(fucompp, "0xda,0xe9")
OP(ficom_m16, "0xde,0x17")
OP(fcomi_st1, "0xdb,0xf1")
OP(fucomip_st1, "0xdf,0xe9")
OP(ftst, "0xd9,0xe4")
OP(fxam, "0xd9,0xe5")
OP(fld_st2, "0xd9,0xc2")
OP(fst_st2, "0xdd,0xd2")
OP(fstp_st1, "0xdd,0xd9")
OP(fxch_st2, "0xd9,0xca")
OP(fld_m32, "0xd9,0x07")
OP(fld_m64, "0xdd,0x07")
OP(fst_m32, "0xd9,0x17")
OP(fstp_m64, "0xdd,0x1f")
OP(fist_m16, "0xdf,0x17")
OP(fistp_m32, "0xdb,0x1f")
OP(fistp_m64, "0xdf,0x3f")
OP(fisttp_m16, "0xdf,0x0f")
OP(fbstp, "0xdf,0x37")
OP(fbld, "0xdf,0x27")
OP(fild_m64, "0xdf,0x2f")
OP(fchs, "0xd9,0xe0")
OP(fabs, "0xd9,0xe1")
OP(fsqrt, "0xd9,0xfa")
OP(frndint, "0xd9,0xfc")
OP(fscale, "0xd9,0xfd")
OP(fxtract, "0xd9,0xf4")
OP(fprem, "0xd9,0xf8")
OP(fprem1, "0xd9,0xf5")
OP(fldpi, "0xd9,0xeb")
OP(fldlg2, "0xd9,0xec")
OP(fsin, "0xd9,0xfe")
OP(fsincos, "0xd9,0xfb")
OP(fptan, "0xd9,0xf2")
OP(f2xm1, "0xd9,0xf0")
OP(fyl2x, "0xd9,0xf1")
OP(fpatan, "0xd9,0xf3")
OP(fcmovnbe_st1, "0xdb,0xd1")
OP(fcmovu_st2, "0xda,0xda")
OP(ffree_st1, "0xdd,0xc1")
OP(fincstp, "0xd9,0xf7")
OP(fdecstp, "0xd9,0xf6")

struct op { const char *name; const char *hex; void (*fn)(void); };
#define E(n, h) { #n, h, op_##n }
static const struct op OPS[] = {
  E(fadd_st0_st1, "d8c1"), E(fsub_st0_st1, "d8e1"), E(fsubr_st0_st1, "d8e9"), E(fdivr_st0_st1, "d8f9"),
  E(fsub_st1_st0, "dce9"), E(fdiv_st1_st0, "dcf9"), E(fmulp_st2_st0, "deca"), E(fsubrp_st1_st0, "dee1"),
  E(fdivp_st1_st0, "def9"), E(fadd_m32, "d807"), E(fdivr_m64, "dc3f"), E(fimul_m16, "de0f"),
  E(fisub_m32, "da27"), E(fcom_st1, "d8d1"), E(fcomp_m64, "dc1f"), E(fcompp, "ded9"),
  E(fucomp_st2, "ddea"), E(fucompp, "dae9"), E(ficom_m16, "de17"), E(fcomi_st1, "dbf1"),
  E(fucomip_st1, "dfe9"), E(ftst, "d9e4"), E(fxam, "d9e5"), E(fld_st2, "d9c2"),
  E(fst_st2, "ddd2"), E(fstp_st1, "ddd9"), E(fxch_st2, "d9ca"), E(fld_m32, "d907"),
  E(fld_m64, "dd07"), E(fst_m32, "d917"), E(fstp_m64, "dd1f"), E(fist_m16, "df17"),
  E(fistp_m32, "db1f"), E(fistp_m64, "df3f"), E(fisttp_m16, "df0f"), E(fbstp, "df37"),
  E(fbld, "df27"), E(fild_m64, "df2f"), E(fchs, "d9e0"), E(fabs, "d9e1"),
  E(fsqrt, "d9fa"), E(frndint, "d9fc"), E(fscale, "d9fd"), E(fxtract, "d9f4"),
  E(fprem, "d9f8"), E(fprem1, "d9f5"), E(fldpi, "d9eb"), E(fldlg2, "d9ec"),
  E(fsin, "d9fe"), E(fsincos, "d9fb"), E(fptan, "d9f2"), E(f2xm1, "d9f0"),
  E(fyl2x, "d9f1"), E(fpatan, "d9f3"), E(fcmovnbe_st1, "dbd1"), E(fcmovu_st2, "dada"),
  E(ffree_st1, "ddc1"), E(fincstp, "d9f7"), E(fdecstp, "d9f6"),
};

static void hex(const unsigned char *p, int n) { for (int k = 0; k < n; k++) printf("%02x", p[k]); }

int main(void) {
  const int N = 24;
  printf("{\"source\":\"tools/x87-native/gen.c on the host CPU\",\"fields\":\"cw depth in0 in1 in2 memin flags fnsave memout rfin\",\"ops\":{\n");
  for (unsigned o = 0; o < sizeof OPS / sizeof OPS[0]; o++) {
    printf("%s\"%s %s\":[\n", o ? ",\n" : "", OPS[o].name, OPS[o].hex);
    for (int k = 0; k < N; k++) {
      cw = CWS[rn(sizeof CWS / sizeof CWS[0])];
      int depth = (k % 6 == 5) ? 8 : (int)rn(4); /* 0..3 values, sometimes a full stack */
      for (int j = 0; j < 3; j++) in[j] = value();
      /* memory operand: a float, double, integer or BCD pattern */
      uint64_t m = rnd();
      switch (rn(4)) {
        case 0: m &= 0xffffffffull; break;
        case 1: m = (m & 0x800fffffffffffffull) | ((uint64_t)(0x3f0 + rn(32)) << 52); break;
        case 2: m = (m % 1000) ; break;
        default: break;
      }
      memset(memop, 0, 16);
      memcpy(memop, &m, 8);
      if (rn(3) == 0) { memop[8] = rn(2) ? 0x80 : 0; memop[9] = 0; for (int b = 0; b < 8; b++) memop[b] = (rn(10) << 4) | rn(10); }
      rfin = 0x202 | (rn(2) ? 1 : 0) | (rn(2) ? 4 : 0) | (rn(2) ? 0x40 : 0);
      unsigned char memin[16];
      memcpy(memin, memop, 16);
      __asm__ volatile("fninit\n\tfldcw %0" :: "m"(cw));
      int loads = depth > 3 ? 3 : depth;
      if (depth == 8) for (int j = 0; j < 5; j++) __asm__ volatile("fld1" ::: "st");
      for (int j = loads - 1; j >= 0; j--) __asm__ volatile("fldt %0" :: "m"(in[j]) : "st");
      OPS[o].fn();
      printf("%s\"%04x %d ", k ? ",\n" : "", cw, depth);
      for (int j = 0; j < 3; j++) { hex(in[j].b, 10); printf(" "); }
      hex(memin, 16);
      printf(" %04x ", (unsigned)(fl & 0x8d5));
      hex(sv, 108);
      printf(" ");
      hex(memop, 16);
      printf(" %04x\"", (unsigned)rfin);
    }
    printf("]");
  }
  printf("}}\n");
  return 0;
}
