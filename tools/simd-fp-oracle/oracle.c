/*
 * simd-fp-oracle: runs scalar SSE/AVX/AVX-512 floating-point instructions on
 * this CPU for chosen operands under every MXCSR rounding mode and DAZ/FTZ
 * setting (all exceptions masked), and prints the result bits and the MXCSR
 * exception flags as JSON fixtures for test/fpu/simd-fp*.test.ts.
 *
 * Usage: oracle <outdir> [seed]      (see regenerate.sh)
 *
 * Each fixture file: {"op", "insn", "fields": [...], "vectors": ["hex hex ...", ...]}
 * Field order: mxcsr, [imm], operands..., result, flags. All values hex without 0x.
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef int64_t i64;

static inline void set_mxcsr(u32 v) { asm volatile("ldmxcsr %0" ::"m"(v) : "memory"); }
static inline u32 get_mxcsr(void) { u32 v; asm volatile("stmxcsr %0" : "=m"(v)::"memory"); return v; }

/* ---------- operand/result plumbing ---------- */
#define XI(v) _mm_cvtsi64_si128((long long)(v))
#define XO(x) ((u64)_mm_cvtsi128_si64(x))

/* aux: extra 128-bit operands for dpps/dppd */
static u64 g_aux[4];
static u64 g_aux_r[2];

/* ---------- instruction wrappers ---------- */
/* Every wrapper is op_<name>(a, b, c, imm): the statements given, then `return result`. */
#define NOI __attribute__((noinline))
#define OPFN(name, result, ...)                                                             \
  static NOI u64 op_##name(u64 a, u64 b, u64 c, int imm) {                                  \
    (void)a; (void)b; (void)c; (void)imm; __VA_ARGS__ return result;                        \
  }
#define M32 0xffffffffull
#define M64 0xffffffffffffffffull

/* One asm per operand shape; rc is "" or an EVEX decoration with its comma ("%{sae%}, ") */
#define ASM_B(insn, rc) asm volatile(insn " " rc "%2, %1, %0" : "=x"(r) : "x"(x), "x"(y) : "memory")   /* r = a op b */
#define ASM_U(insn, rc) asm volatile(insn " " rc "%1, %0, %0" : "+x"(r) : "x"(x) : "memory")           /* r = op a */
#define ASM_F2I(insn, rc) asm volatile(insn " " rc "%1, %0" : "=r"(r) : "x"(x) : "memory")             /* GPR r = op a */
#define ASM_I2F(insn, rc) asm volatile(insn " %1, " rc "%0, %0" : "+x"(r) : "r"(s) : "memory")         /* r = op GPR s */
#define ASM_FMA(insn, rc) asm volatile(insn " " rc "%2, %1, %0" : "+x"(x) : "x"(y), "x"(z) : "memory") /* x = fma(x, y, z) */
/* How an asm is decorated: PLAIN none, SAE {sae}, ER the embedded rounding imm & 3 (0 rn, 1 rd, 2 ru, 3 rz) */
#define PLAIN(ASM, insn) ASM(insn, "");
#define SAE(ASM, insn) ASM(insn, "%{sae%}, ");
#define ER(ASM, insn)                                                                       \
  switch (imm & 3) {                                                                        \
  case 0: ASM(insn, "%{rn-sae%}, "); break;                                                 \
  case 1: ASM(insn, "%{rd-sae%}, "); break;                                                 \
  case 2: ASM(insn, "%{ru-sae%}, "); break;                                                 \
  default: ASM(insn, "%{rz-sae%}, "); break;                                                \
  }

/* legacy SSE "insn src, dst" = a op b */
#define SSE2(name, insn, mask)                                                              \
  OPFN(name, XO(x) & mask, __m128i x = XI(a), y = XI(b);                                    \
       asm volatile(insn " %1, %0" : "+x"(x) : "x"(y) : "memory");)
SSE2(addss, "addss", M32) SSE2(subss, "subss", M32) SSE2(mulss, "mulss", M32) SSE2(divss, "divss", M32)
SSE2(minss, "minss", M32) SSE2(maxss, "maxss", M32)
SSE2(addsd, "addsd", M64) SSE2(subsd, "subsd", M64) SSE2(mulsd, "mulsd", M64) SSE2(divsd, "divsd", M64)
SSE2(minsd, "minsd", M64) SSE2(maxsd, "maxsd", M64)
/* unary legacy-SSE form "insn src, dst": operand a is the source */
#define SSE1(name, insn, mask)                                                              \
  OPFN(name, XO(r) & mask, __m128i x = XI(a), r = _mm_setzero_si128();                      \
       asm volatile(insn " %1, %0" : "+x"(r) : "x"(x) : "memory");)
SSE1(sqrtss, "sqrtss", M32) SSE1(sqrtsd, "sqrtsd", M64)
SSE1(cvtss2sd, "cvtss2sd", M64) SSE1(cvtsd2ss, "cvtsd2ss", M32)
SSE1(rcpss, "rcpss", M32) SSE1(rsqrtss, "rsqrtss", M32)

/* unary EVEX form "insn src2, src1, dst": operand a is src2 (the source) */
#define EVU(name, insn, mask, DECO)                                                         \
  OPFN(name, XO(r) & mask, __m128i x = XI(a), r = _mm_setzero_si128(); DECO(ASM_U, insn))
EVU(vrcp14ss, "vrcp14ss", M32, PLAIN) EVU(vrsqrt14ss, "vrsqrt14ss", M32, PLAIN)
EVU(vrcp14sd, "vrcp14sd", M64, PLAIN) EVU(vrsqrt14sd, "vrsqrt14sd", M64, PLAIN)
EVU(vgetexpss, "vgetexpss", M32, PLAIN) EVU(vgetexpsd, "vgetexpsd", M64, PLAIN)
EVU(vsqrtss_er, "vsqrtss", M32, ER) EVU(vsqrtsd_er, "vsqrtsd", M64, ER) EVU(vcvtsd2ss_er, "vcvtsd2ss", M32, ER)
EVU(vcvtss2sd_sae, "vcvtss2sd", M64, SAE)

/* binary EVEX "insn b, a, r" = a op b */
#define EVB(name, insn, mask, DECO)                                                         \
  OPFN(name, XO(r) & mask, __m128i x = XI(a), y = XI(b), r; DECO(ASM_B, insn))
EVB(vscalefss, "vscalefss", M32, PLAIN) EVB(vscalefsd, "vscalefsd", M64, PLAIN)
EVB(vaddss_er, "vaddss", M32, ER) EVB(vsubss_er, "vsubss", M32, ER) EVB(vmulss_er, "vmulss", M32, ER) EVB(vdivss_er, "vdivss", M32, ER)
EVB(vaddsd_er, "vaddsd", M64, ER) EVB(vmulsd_er, "vmulsd", M64, ER) EVB(vdivsd_er, "vdivsd", M64, ER)
EVB(vscalefss_er, "vscalefss", M32, ER) EVB(vscalefsd_er, "vscalefsd", M64, ER)
EVB(vmaxss_sae, "vmaxss", M32, SAE) EVB(vminsd_sae, "vminsd", M64, SAE)

/* An immediate must be a constant: one asm per value, picked by imm. REP(CASE, insn) lists the values. */
#define R4(M, s, b) M(s, b) M(s, b + 1) M(s, b + 2) M(s, b + 3)
#define R16(M, s, b) R4(M, s, b) R4(M, s, b + 4) R4(M, s, b + 8) R4(M, s, b + 12)
#define R32(M, s) R16(M, s, 0) R16(M, s, 16)
#define R16_(M, s) R16(M, s, 0)
#define R256(M, s) R32(M, s) R16(M, s, 32) R16(M, s, 48) R16(M, s, 64) R16(M, s, 80) R16(M, s, 96) R16(M, s, 112) \
  R16(M, s, 128) R16(M, s, 144) R16(M, s, 160) R16(M, s, 176) R16(M, s, 192) R16(M, s, 208) R16(M, s, 224) R16(M, s, 240)
#define IMM_SWITCH(REP, CASE, insn) switch (imm) { REP(CASE, insn) default: abort(); }

/* compares: imm = predicate (vrange: imm = control) */
#define CMPCASE(insn, i) case i: asm volatile(insn " %[im], %[y], %[x], %[r]" : [r] "=x"(r) : [x] "x"(x), [y] "x"(y), [im] "i"(i) : "memory"); break;
#define IMMB(name, insn, mask, REP)                                                         \
  OPFN(name, XO(r) & mask, __m128i x = XI(a), y = XI(b), r = _mm_setzero_si128(); IMM_SWITCH(REP, CMPCASE, insn))
IMMB(vcmpss, "vcmpss", M32, R32) IMMB(vcmpsd, "vcmpsd", M64, R32)
IMMB(vrangess, "vrangess", M32, R16_) IMMB(vrangesd, "vrangesd", M64, R16_)
/* EVEX vcmpss {sae} writes an opmask register: result is 0 or 1 */
#define KCASE(insn, i) case i: asm volatile(insn " %[im], %{sae%}, %[y], %[x], %[k]" : [k] "=k"(k) : [x] "x"(x), [y] "x"(y), [im] "i"(i) : "memory"); break;
OPFN(vcmpss_sae, (u64)(k & 1), __m128i x = XI(a), y = XI(b); __mmask8 k = 0; IMM_SWITCH(R32, KCASE, "vcmpss"))
/* unary with imm, source operand a: EVEX "insn $imm, src, src1, dst" (UCASE), SSE4.1/F16C "insn $imm, src, dst" (RCASE) */
#define UCASE(insn, i) case i: asm volatile(insn " %[im], %[x], %[r], %[r]" : [r] "+x"(r) : [x] "x"(x), [im] "i"(i) : "memory"); break;
#define RCASE(insn, i) case i: asm volatile(insn " %[im], %[x], %[r]" : [r] "+x"(r) : [x] "x"(x), [im] "i"(i) : "memory"); break;
#define IMMU(name, insn, mask, REP, CASE)                                                   \
  OPFN(name, XO(r) & mask, __m128i x = XI(a), r = _mm_setzero_si128(); IMM_SWITCH(REP, CASE, insn))
IMMU(vrndscaless, "vrndscaless", M32, R256, UCASE) IMMU(vrndscalesd, "vrndscalesd", M64, R256, UCASE)
IMMU(vreducess, "vreducess", M32, R256, UCASE) IMMU(vreducesd, "vreducesd", M64, R256, UCASE)
IMMU(vgetmantss, "vgetmantss", M32, R16_, UCASE) IMMU(vgetmantsd, "vgetmantsd", M64, R16_, UCASE)
IMMU(roundss, "roundss", M32, R16_, RCASE) IMMU(roundsd, "roundsd", M64, R16_, RCASE)
IMMU(vcvtps2ph, "vcvtps2ph", 0xffffull, R16_, RCASE)
OPFN(vcvtph2ps, XO(r) & M32, __m128i x = XI(a), r; asm volatile("vcvtph2ps %1, %0" : "=x"(r) : "x"(x) : "memory");)
/* fixupimm: dest (a) is also an input, b = value, c = table (low 32/64 bits) */
#define FCASE(insn, i) case i: asm volatile(insn " %[im], %[z], %[y], %[r]" : [r] "+x"(r) : [y] "x"(y), [z] "x"(z), [im] "i"(i) : "memory"); break;
#define IMMF(name, insn, mask)                                                              \
  OPFN(name, XO(r) & mask, __m128i r = XI(a), y = XI(b), z = XI(c); IMM_SWITCH(R256, FCASE, insn))
IMMF(vfixupimmss, "vfixupimmss", M32) IMMF(vfixupimmsd, "vfixupimmsd", M64)

/* FMA: operands in Intel order (dest/src1 = a, src2 = b, src3 = c); imm = form 0:132 1:213 2:231, 4..7: 231 {er} by imm & 3 */
#define FMA(name, k, sfx, mask)                                                             \
  OPFN(name, XO(x) & mask, __m128i x = XI(a), y = XI(b), z = XI(c);                         \
       switch (imm) {                                                                       \
       case 0: ASM_FMA("v" k "132" sfx, ""); break;                                         \
       case 1: ASM_FMA("v" k "213" sfx, ""); break;                                         \
       case 2: ASM_FMA("v" k "231" sfx, ""); break;                                         \
       case 4: case 5: case 6: case 7: ER(ASM_FMA, "v" k "231" sfx) break;                  \
       default: abort();                                                                    \
       })
FMA(vfmaddss, "fmadd", "ss", M32) FMA(vfmsubss, "fmsub", "ss", M32) FMA(vfnmaddss, "fnmadd", "ss", M32) FMA(vfnmsubss, "fnmsub", "ss", M32)
FMA(vfmaddsd, "fmadd", "sd", M64) FMA(vfmsubsd, "fmsub", "sd", M64) FMA(vfnmaddsd, "fnmadd", "sd", M64) FMA(vfnmsubsd, "fnmsub", "sd", M64)

/* comiss/ucomiss: result = RFLAGS ZF(0x40) | PF(0x04) | CF(0x01) */
#define COMI(name, insn)                                                                    \
  OPFN(name, (u64)(z ? 0x40 : 0) | (p ? 4 : 0) | (cf ? 1 : 0), __m128i x = XI(a), y = XI(b); unsigned char z, p, cf; \
       asm volatile(insn " %4, %3\n\tsetz %0\n\tsetp %1\n\tsetc %2"                          \
                    : "=r"(z), "=r"(p), "=r"(cf) : "x"(x), "x"(y) : "memory", "cc");)
COMI(comiss, "comiss") COMI(ucomiss, "ucomiss") COMI(comisd, "comisd") COMI(ucomisd, "ucomisd")

/* float -> int: a GPR of type T */
#define F2I(name, insn, T, DECO) OPFN(name, (u64)r, __m128i x = XI(a); T r; DECO(ASM_F2I, insn))
F2I(cvtss2si32, "cvtss2si", u32, PLAIN) F2I(cvtss2si64, "cvtss2si", u64, PLAIN)
F2I(cvttss2si32, "cvttss2si", u32, PLAIN) F2I(cvttss2si64, "cvttss2si", u64, PLAIN)
F2I(cvtsd2si32, "cvtsd2si", u32, PLAIN) F2I(cvtsd2si64, "cvtsd2si", u64, PLAIN)
F2I(cvttsd2si32, "cvttsd2si", u32, PLAIN) F2I(cvttsd2si64, "cvttsd2si", u64, PLAIN)
F2I(vcvtss2usi32, "vcvtss2usi", u32, PLAIN) F2I(vcvtss2usi64, "vcvtss2usi", u64, PLAIN)
F2I(vcvttss2usi32, "vcvttss2usi", u32, PLAIN) F2I(vcvttss2usi64, "vcvttss2usi", u64, PLAIN)
F2I(vcvtsd2usi32, "vcvtsd2usi", u32, PLAIN) F2I(vcvtsd2usi64, "vcvtsd2usi", u64, PLAIN)
F2I(vcvttsd2usi32, "vcvttsd2usi", u32, PLAIN) F2I(vcvttsd2usi64, "vcvttsd2usi", u64, PLAIN)
F2I(vcvtss2si32_er, "vcvtss2si", u32, ER) F2I(vcvtsd2usi64_er, "vcvtsd2usi", u64, ER)
F2I(vcvttss2si32_sae, "vcvttss2si", u32, SAE)
/* int -> float: the source is a as type T */
#define I2F(name, insn, T, mask, DECO)                                                      \
  OPFN(name, XO(r) & mask, T s = (T)a; __m128i r = _mm_setzero_si128(); DECO(ASM_I2F, insn))
I2F(cvtsi2ss32, "vcvtsi2ss", u32, M32, PLAIN) I2F(cvtsi2ss64, "vcvtsi2ss", u64, M32, PLAIN)
I2F(cvtsi2sd32, "vcvtsi2sd", u32, M64, PLAIN) I2F(cvtsi2sd64, "vcvtsi2sd", u64, M64, PLAIN)
I2F(vcvtusi2ss32, "vcvtusi2ss", u32, M32, PLAIN) I2F(vcvtusi2ss64, "vcvtusi2ss", u64, M32, PLAIN)
I2F(vcvtusi2sd32, "vcvtusi2sd", u32, M64, PLAIN) I2F(vcvtusi2sd64, "vcvtusi2sd", u64, M64, PLAIN)
I2F(vcvtusi2ss64_er, "vcvtusi2ss", u64, M32, ER)

/* dpps/dppd: a and b are 128-bit (g_aux[0..1] and g_aux[2..3]); the result goes to g_aux_r */
#define DPCASE(insn, i) case i: asm volatile(insn " %[im], %[y], %[r]" : [r] "+x"(x) : [y] "x"(y), [im] "i"(i) : "memory"); break;
#define DP(name, insn)                                                                         \
  OPFN(name, 0, __m128i x = _mm_set_epi64x((long long)g_aux[1], (long long)g_aux[0]);       \
       __m128i y = _mm_set_epi64x((long long)g_aux[3], (long long)g_aux[2]);                \
       IMM_SWITCH(R256, DPCASE, insn)                                                       \
       g_aux_r[0] = (u64)_mm_cvtsi128_si64(x); g_aux_r[1] = (u64)_mm_extract_epi64(x, 1);)
DP(dpps, "dpps") DP(dppd, "dppd")

/* ---------- operand generation ---------- */
static u64 rs = 0x9e3779b97f4a7c15ull;
static u64 rnd(void) { rs ^= rs >> 12; rs ^= rs << 25; rs ^= rs >> 27; return rs * 0x2545f4914f6cdd1dull; }
static int rndn(int n) { return (int)(rnd() % (u64)n); }

typedef struct { int eb, mb; } fmt_t; /* exponent bits, mantissa bits */
static const fmt_t F16 = {5, 10}, F32 = {8, 23}, F64 = {11, 52};
static int bias(fmt_t f) { return (1 << (f.eb - 1)) - 1; }
static int emaxb(fmt_t f) { return (1 << f.eb) - 1; }
static u64 mmask(fmt_t f) { return (1ull << f.mb) - 1; }
static u64 mk(fmt_t f, int s, int be, u64 m) { return ((u64)s << (f.eb + f.mb)) | ((u64)be << f.mb) | (m & mmask(f)); }
static int fexp(fmt_t f, u64 v) { return (int)((v >> f.mb) & (u64)emaxb(f)); }

static u64 special(fmt_t f, int i) {
  int e = emaxb(f); u64 q = 1ull << (f.mb - 1), mm = mmask(f);
  switch (i) {
  case 0: return 0;
  case 1: return mk(f, 1, 0, 0);
  case 2: return mk(f, 0, 0, 1);
  case 3: return mk(f, 1, 0, mm);
  case 4: return mk(f, 0, 0, q | 5);
  case 5: return mk(f, 0, 1, 0);
  case 6: return mk(f, 1, 1, 1);
  case 7: return mk(f, 0, bias(f), 0);         /* 1.0 */
  case 8: return mk(f, 1, bias(f), 0);         /* -1.0 */
  case 9: return mk(f, 0, bias(f), q);         /* 1.5 */
  case 10: return mk(f, 0, bias(f) + 1, q);    /* 3 */
  case 11: return mk(f, 1, bias(f) - 1, q);    /* -0.75 */
  case 12: return mk(f, 0, e - 1, mm);         /* max */
  case 13: return mk(f, 1, e - 1, mm);
  case 14: return mk(f, 0, e, 0);              /* inf */
  case 15: return mk(f, 1, e, 0);
  case 16: return mk(f, 1, e, q);              /* default NaN */
  case 17: return mk(f, 0, e, q | 0x2a5);      /* QNaN payload */
  case 18: return mk(f, 1, e, q | 0x13);
  case 19: return mk(f, 0, e, 1);              /* SNaN */
  case 20: return mk(f, 1, e, (q >> 1) | 0x35);
  case 21: return mk(f, 0, e, mm);             /* QNaN all ones */
  case 22: return mk(f, 0, bias(f), 1);        /* 1+ulp */
  case 23: return mk(f, 0, bias(f) - 1, mm);   /* 1-ulp/2 */
  case 24: return mk(f, 0, e - 1, 0);          /* 2^emax */
  case 25: return mk(f, 0, 1, mm);
  case 26: return mk(f, 1, 0, 2);
  case 27: return mk(f, 0, bias(f) - 1, 0);    /* 0.5 */
  default: return mk(f, 0, bias(f) + 2, 0);    /* 4 */
  }
}
#define NSPECIAL 29

static u64 rmant(fmt_t f) {
  switch (rndn(4)) {
  case 0: return rnd() & mmask(f);
  case 1: return (rnd() & mmask(f)) & ~((1ull << rndn(f.mb)) - 1); /* short mantissa */
  case 2: return mmask(f) & ~((1ull << rndn(4)) - 1);
  default: return (rnd() & mmask(f)) | ((rndn(2) ? 1ull : 0) << rndn(f.mb));
  }
}
static int clampe(fmt_t f, int be) { if (be < 0) return 0; if (be > emaxb(f) - 1) return emaxb(f) - 1; return be; }
static u64 rval(fmt_t f) {
  int s = rndn(2), e = emaxb(f);
  switch (rndn(10)) {
  case 0: return rnd() & ((1ull << (1 + f.eb + f.mb)) - 1);
  case 1: return mk(f, s, 0, rmant(f) | (rndn(3) ? 0 : 1));
  case 2: return mk(f, s, 1 + rndn(3), rmant(f));
  case 3: return mk(f, s, e - 1 - rndn(3), rmant(f));
  case 4: return special(f, rndn(NSPECIAL));
  case 5: return mk(f, s, bias(f) + rndn(f.mb + 3) - 1, rmant(f)); /* around integers */
  default: return mk(f, s, clampe(f, bias(f) - 20 + rndn(40)), rmant(f));
  }
}
/* second operand related to the first: kind 0 add-like, 1 mul-like, 2 div-like */
static u64 related(fmt_t f, u64 a, int kind) {
  int s = rndn(2), ea = fexp(f, a), b = bias(f);
  if (rndn(4) == 0) return rval(f);
  if (kind == 0) {
    if (rndn(3) == 0) return a ^ ((u64)1 << (f.eb + f.mb)) ^ (rnd() & 7); /* near-cancellation */
    return mk(f, s, clampe(f, ea - rndn(f.mb + 4) + 1), rmant(f));
  }
  /* product/quotient near the underflow or overflow threshold */
  int ua = (ea == 0 ? 1 : ea) - b, target;
  switch (rndn(3)) {
  case 0: target = 1 - b - rndn(f.mb + 3); break;
  case 1: target = emaxb(f) - 1 - b - rndn(2); break;
  default: target = rndn(20) - 10; break;
  }
  int ub = kind == 1 ? target - ua : ua - target;
  return mk(f, s, clampe(f, ub + b), rmant(f));
}

static u64 rint_(int bits) {
  u64 v = rnd();
  int k = 1 + rndn(bits);
  if (k < 64) v &= (1ull << k) - 1;
  if (rndn(2)) v = (u64)(-(i64)v);
  if (rndn(8) == 0) v = (rndn(2) ? (1ull << (bits - 1)) : ((1ull << (bits - 1)) - 1)) ^ (u64)rndn(3);
  if (bits < 64) v &= (1ull << bits) - 1;
  return v;
}
/* floats near integer conversion boundaries */
static u64 rcvt(fmt_t f, int ibits) {
  int s = rndn(2);
  switch (rndn(4)) {
  case 0: return mk(f, s, bias(f) + ibits - 2 + rndn(3), rmant(f) & ~(rndn(2) ? 0 : mmask(f) >> 3));
  case 1: return mk(f, s, bias(f) + ibits - 1, rndn(2) ? 0 : rndn(2) ? 1 : mmask(f));
  case 2: return mk(f, s, bias(f) - 2 + rndn(6), rmant(f) & ~(mmask(f) >> rndn(4))); /* .5 cases */
  default: return rval(f);
  }
}

/* ---------- output ---------- */
static FILE *out;
static int nvec;
static u32 rand_mxcsr(void) { return 0x1f80u | ((u32)rndn(4) << 13) | (rndn(2) ? 0x40u : 0) | (rndn(2) ? 0x8000u : 0); }
static void open_op(const char *dir, const char *name, const char *insn, const char *fields) {
  char p[512]; snprintf(p, sizeof p, "%s/%s.json", dir, name);
  out = fopen(p, "w"); if (!out) { perror(p); exit(1); }
  fprintf(out, "{\"op\":\"%s\",\"insn\":\"%s\",\"source\":\"captured on this CPU by tools/simd-fp-oracle (all exceptions masked)\",\"fields\":%s,\"vectors\":[\n", name, insn, fields);
  nvec = 0;
}
static void close_op(void) { fprintf(out, "\n]}\n"); fclose(out); }
static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void emit(const char *fmt, ...) {
  va_list ap; va_start(ap, fmt);
  fprintf(out, nvec ? ",\n\"" : "\""); vfprintf(out, fmt, ap); fputc('"', out); nvec++;
  va_end(ap);
}

typedef u64 (*opfn)(u64, u64, u64, int);
/* run one instruction under mxcsr; returns result, *flags = exception flags */
static u64 run(opfn fn, u32 csr, u64 a, u64 b, u64 c, int imm, u32 *flags) {
  set_mxcsr(csr);
  u64 r = fn(a, b, c, imm);
  *flags = get_mxcsr() & 0x3f;
  set_mxcsr(0x1f80);
  return r;
}

/* operand kinds for a generic op */
enum { T_NONE, T_F16, T_F32, T_F64, T_I32, T_I64 };
static fmt_t tfmt(int t) { return t == T_F16 ? F16 : t == T_F32 ? F32 : F64; }
static int twidth(int t) { return t == T_F16 ? 4 : (t == T_F32 || t == T_I32) ? 8 : 16; }

typedef struct {
  const char *name, *insn; opfn fn;
  int na;           /* number of operands (1..3) */
  int ta, tr;       /* operand type, result type */
  int rel;          /* relation for operand b: 0 add, 1 mul, 2 div, 3 independent, 4 fma, 5 cvt->int32, 6 cvt->int64 */
  int nimm;         /* imm values 0..nimm-1 (0 = no imm) */
  int immstep;      /* imm values used: k*immstep .. (fixupimm etc.) */
  int count;        /* random vectors */
  int fixedimm;     /* if >0: imm is chosen only from list below */
  const int *imms;
} opdef;

static const int fma_forms[] = {0, 1, 2, 4, 5, 6, 7};
static const int ps2ph_imms[] = {0, 1, 2, 3, 4};

static void hexw(char *buf, u64 v, int w) { sprintf(buf, "%0*llx", w, (unsigned long long)v); }

static void gen_operands(const opdef *d, u64 *ops, int i, int nsp) {
  fmt_t f = d->ta == T_I32 || d->ta == T_I64 ? F64 : tfmt(d->ta);
  if (d->ta == T_I32 || d->ta == T_I64) { ops[0] = rint_(d->ta == T_I32 ? 32 : 64); return; }
  if (i < nsp) {
    /* special x special cross product */
    int n = NSPECIAL;
    ops[0] = special(f, i % n); ops[1] = special(f, (i / n) % n); ops[2] = special(f, (i / n / n) % n);
    ops[2] = i >= n * n ? rval(f) : special(f, rndn(n));
    if (d->rel == 7) ops[2] = rnd();
    return;
  }
  switch (d->rel) {
  case 5: ops[0] = rcvt(f, 32); break;
  case 6: ops[0] = rcvt(f, 64); break;
  default: ops[0] = rval(f);
  }
  if (d->rel <= 2) ops[1] = related(f, ops[0], d->rel);
  else ops[1] = rval(f);
  ops[2] = d->rel == 7 ? rnd() : rval(f);
  if (d->rel == 4) {
    /* fma: c near -(a*b) for cancellation, or related in exponent */
    ops[1] = related(f, ops[0], 1);
    if (rndn(2)) {
      if (f.mb == 23) {
        float fa, fb; u32 ua = (u32)ops[0], ub = (u32)ops[1]; memcpy(&fa, &ua, 4); memcpy(&fb, &ub, 4);
        float p = (float)((double)fa * (double)fb); if (rndn(2)) p = -p; u32 up; memcpy(&up, &p, 4); ops[2] = up ^ (u64)(rndn(3) == 0 ? 1 : 0);
      } else {
        double fa, fb; memcpy(&fa, &ops[0], 8); memcpy(&fb, &ops[1], 8);
        double p = fa * fb; if (rndn(2)) p = -p; memcpy(&ops[2], &p, 8); ops[2] ^= (u64)(rndn(3) == 0 ? 1 : 0);
      }
    } else if (rndn(2)) {
      int e = fexp(f, ops[0]) + fexp(f, ops[1]) - bias(f) + rndn(f.mb + 6) - f.mb - 3;
      ops[2] = mk(f, rndn(2), clampe(f, e), rmant(f));
    }
  }
}

static void run_op(const char *dir, const opdef *d) {
  char fields[256];
  const char *tn[] = {"", "f16", "f32", "f64", "i32", "i64"};
  snprintf(fields, sizeof fields, "[\"mxcsr\"%s", d->nimm || d->fixedimm ? ",\"imm\"" : "");
  for (int k = 0; k < d->na; k++) { strcat(fields, ",\""); strcat(fields, (char[]){(char)('a' + k), 0}); strcat(fields, ":"); strcat(fields, tn[d->ta]); strcat(fields, "\""); }
  strcat(fields, ",\"r:"); strcat(fields, d->tr == T_NONE ? "rflags" : tn[d->tr]); strcat(fields, "\",\"flags\"]");
  open_op(dir, d->name, d->insn, fields);
  int nsp = (d->ta == T_I32 || d->ta == T_I64) ? 0 : d->na == 1 ? NSPECIAL : NSPECIAL * NSPECIAL;
  if (d->na == 3) nsp = NSPECIAL * NSPECIAL + 200;
  /* secondary forms (embedded rounding, sae, fms variants, fixup): a random quarter of the special cross */
  int secondary = strstr(d->name, "_er") || strstr(d->name, "_sae") || (d->na == 3 && strcmp(d->name, "vfmaddss") && strcmp(d->name, "vfmaddsd"));
  int total = nsp + d->count / 4;
  for (int i = 0; i < total; i++) {
    u64 ops[3] = {0, 0, 0};
    if (secondary && i < nsp && d->na > 1 && rndn(4)) continue;
    gen_operands(d, ops, i, nsp);
    int imm = 0;
    if (d->fixedimm) imm = d->imms[rndn(d->fixedimm)];
    else if (d->nimm) imm = (i < nsp ? (i * 7 + i / NSPECIAL) % d->nimm : rndn(d->nimm)) * (d->immstep ? d->immstep : 1);
    u32 csr = rand_mxcsr();
    if (i < nsp && d->na == 1) { csr = 0x1f80u | ((u32)(i & 3) << 13) | ((i & 4) ? 0x40u : 0) | ((i & 8) ? 0x8000u : 0); }
    u32 fl;
    int reps = (i < nsp && d->na == 1) ? 8 : 1;
    for (int rp = 0; rp < reps; rp++) {
      if (reps > 1) csr = 0x1f80u | ((u32)(rp & 3) << 13) | ((rp & 4) ? 0x40u : 0) | (rndn(2) ? 0x8000u : 0);
      if (reps > 1 && d->nimm && !d->fixedimm) imm = rndn(d->nimm) * (d->immstep ? d->immstep : 1);
      u64 r = run(d->fn, csr, ops[0], ops[1], ops[2], imm, &fl);
      char line[256], tmp[40];
      snprintf(line, sizeof line, "%x", csr);
      if (d->nimm || d->fixedimm) { snprintf(tmp, sizeof tmp, " %x", imm); strcat(line, tmp); }
      for (int k = 0; k < d->na; k++) { strcat(line, " "); hexw(tmp, ops[k], twidth(d->ta)); strcat(line, tmp); }
      strcat(line, " "); hexw(tmp, r, d->tr == T_NONE ? 2 : twidth(d->tr)); strcat(line, tmp);
      snprintf(tmp, sizeof tmp, " %x", fl); strcat(line, tmp);
      emit("%s", line);
    }
  }
  close_op();
  fprintf(stderr, "%s: %d vectors\n", d->name, nvec);
}

static void run_dp(const char *dir, const char *name, opfn fn, int is64, int count) {
  open_op(dir, name, name, "[\"mxcsr\",\"imm\",\"a:128\",\"b:128\",\"r:128\",\"flags\"]");
  fmt_t f = is64 ? F64 : F32;
  for (int i = 0; i < count; i++) {
    u64 l[4];
    for (int k = 0; k < 2 * (is64 ? 2 : 4); k++) {
      u64 v = rndn(3) ? mk(f, rndn(2), bias(f) - 3 + rndn(8), rmant(f)) : rval(f);
      if (is64) l[k] = v;
      else { if (k & 1) l[k / 2] |= v << 32; else l[k / 2] = v; }
    }
    memcpy(g_aux, l, sizeof l);
    int imm = rndn(256);
    u32 csr = rand_mxcsr(), fl;
    run(fn, csr, 0, 0, 0, imm, &fl);
    emit("%x %x %016llx%016llx %016llx%016llx %016llx%016llx %x", csr, imm, (unsigned long long)l[1], (unsigned long long)l[0],
         (unsigned long long)l[3], (unsigned long long)l[2], (unsigned long long)g_aux_r[1], (unsigned long long)g_aux_r[0], fl);
  }
  close_op();
  fprintf(stderr, "%s: %d vectors\n", name, nvec);
}

#define OP(n, insn, na, ta, tr, rel, nimm, cnt) {#n, insn, op_##n, na, ta, tr, rel, nimm, 0, cnt, 0, 0}
static const opdef ops[] = {
  OP(addss, "addss", 2, T_F32, T_F32, 0, 0, 2200), OP(subss, "subss", 2, T_F32, T_F32, 0, 0, 1200),
  OP(mulss, "mulss", 2, T_F32, T_F32, 1, 0, 2200), OP(divss, "divss", 2, T_F32, T_F32, 2, 0, 2200),
  OP(minss, "minss", 2, T_F32, T_F32, 3, 0, 600), OP(maxss, "maxss", 2, T_F32, T_F32, 3, 0, 600),
  OP(addsd, "addsd", 2, T_F64, T_F64, 0, 0, 2200), OP(subsd, "subsd", 2, T_F64, T_F64, 0, 0, 1200),
  OP(mulsd, "mulsd", 2, T_F64, T_F64, 1, 0, 2200), OP(divsd, "divsd", 2, T_F64, T_F64, 2, 0, 2200),
  OP(minsd, "minsd", 2, T_F64, T_F64, 3, 0, 600), OP(maxsd, "maxsd", 2, T_F64, T_F64, 3, 0, 600),
  OP(sqrtss, "sqrtss", 1, T_F32, T_F32, 3, 0, 2500), OP(sqrtsd, "sqrtsd", 1, T_F64, T_F64, 3, 0, 2500),
  OP(vaddss_er, "vaddss {er}", 2, T_F32, T_F32, 0, 4, 800), OP(vsubss_er, "vsubss {er}", 2, T_F32, T_F32, 0, 4, 300),
  OP(vmulss_er, "vmulss {er}", 2, T_F32, T_F32, 1, 4, 800), OP(vdivss_er, "vdivss {er}", 2, T_F32, T_F32, 2, 4, 800),
  OP(vaddsd_er, "vaddsd {er}", 2, T_F64, T_F64, 0, 4, 800), OP(vmulsd_er, "vmulsd {er}", 2, T_F64, T_F64, 1, 4, 800),
  OP(vdivsd_er, "vdivsd {er}", 2, T_F64, T_F64, 2, 4, 800),
  OP(vsqrtss_er, "vsqrtss {er}", 1, T_F32, T_F32, 3, 4, 800), OP(vsqrtsd_er, "vsqrtsd {er}", 1, T_F64, T_F64, 3, 4, 800),
  OP(vmaxss_sae, "vmaxss {sae}", 2, T_F32, T_F32, 3, 0, 300), OP(vminsd_sae, "vminsd {sae}", 2, T_F64, T_F64, 3, 0, 300),
  OP(vcmpss, "vcmpss", 2, T_F32, T_F32, 3, 32, 2500), OP(vcmpsd, "vcmpsd", 2, T_F64, T_F64, 3, 32, 2500),
  OP(vcmpss_sae, "vcmpss {sae}", 2, T_F32, T_F32, 3, 32, 300),
  OP(comiss, "comiss", 2, T_F32, T_NONE, 3, 0, 500), OP(ucomiss, "ucomiss", 2, T_F32, T_NONE, 3, 0, 500),
  OP(comisd, "comisd", 2, T_F64, T_NONE, 3, 0, 500), OP(ucomisd, "ucomisd", 2, T_F64, T_NONE, 3, 0, 500),
  OP(cvtss2sd, "cvtss2sd", 1, T_F32, T_F64, 3, 0, 1500), OP(cvtsd2ss, "cvtsd2ss", 1, T_F64, T_F32, 3, 0, 3000),
  OP(vcvtss2sd_sae, "vcvtss2sd {sae}", 1, T_F32, T_F64, 3, 0, 300), OP(vcvtsd2ss_er, "vcvtsd2ss {er}", 1, T_F64, T_F32, 3, 4, 1000),
  OP(cvtss2si32, "cvtss2si r32", 1, T_F32, T_I32, 5, 0, 1500), OP(cvtss2si64, "cvtss2si r64", 1, T_F32, T_I64, 6, 0, 1500),
  OP(cvttss2si32, "cvttss2si r32", 1, T_F32, T_I32, 5, 0, 1000), OP(cvttss2si64, "cvttss2si r64", 1, T_F32, T_I64, 6, 0, 1000),
  OP(cvtsd2si32, "cvtsd2si r32", 1, T_F64, T_I32, 5, 0, 1500), OP(cvtsd2si64, "cvtsd2si r64", 1, T_F64, T_I64, 6, 0, 1500),
  OP(cvttsd2si32, "cvttsd2si r32", 1, T_F64, T_I32, 5, 0, 1000), OP(cvttsd2si64, "cvttsd2si r64", 1, T_F64, T_I64, 6, 0, 1000),
  OP(vcvtss2usi32, "vcvtss2usi r32", 1, T_F32, T_I32, 5, 0, 1000), OP(vcvtss2usi64, "vcvtss2usi r64", 1, T_F32, T_I64, 6, 0, 1000),
  OP(vcvttss2usi32, "vcvttss2usi r32", 1, T_F32, T_I32, 5, 0, 800), OP(vcvttss2usi64, "vcvttss2usi r64", 1, T_F32, T_I64, 6, 0, 800),
  OP(vcvtsd2usi32, "vcvtsd2usi r32", 1, T_F64, T_I32, 5, 0, 1000), OP(vcvtsd2usi64, "vcvtsd2usi r64", 1, T_F64, T_I64, 6, 0, 1000),
  OP(vcvttsd2usi32, "vcvttsd2usi r32", 1, T_F64, T_I32, 5, 0, 800), OP(vcvttsd2usi64, "vcvttsd2usi r64", 1, T_F64, T_I64, 6, 0, 800),
  OP(vcvtss2si32_er, "vcvtss2si r32 {er}", 1, T_F32, T_I32, 5, 4, 800), OP(vcvtsd2usi64_er, "vcvtsd2usi r64 {er}", 1, T_F64, T_I64, 6, 4, 800),
  OP(vcvttss2si32_sae, "vcvttss2si r32 {sae}", 1, T_F32, T_I32, 5, 0, 300),
  OP(cvtsi2ss32, "vcvtsi2ss r32", 1, T_I32, T_F32, 3, 0, 1500), OP(cvtsi2ss64, "vcvtsi2ss r64", 1, T_I64, T_F32, 3, 0, 1500),
  OP(cvtsi2sd32, "vcvtsi2sd r32", 1, T_I32, T_F64, 3, 0, 300), OP(cvtsi2sd64, "vcvtsi2sd r64", 1, T_I64, T_F64, 3, 0, 1500),
  OP(vcvtusi2ss32, "vcvtusi2ss r32", 1, T_I32, T_F32, 3, 0, 1500), OP(vcvtusi2ss64, "vcvtusi2ss r64", 1, T_I64, T_F32, 3, 0, 1500),
  OP(vcvtusi2sd32, "vcvtusi2sd r32", 1, T_I32, T_F64, 3, 0, 300), OP(vcvtusi2sd64, "vcvtusi2sd r64", 1, T_I64, T_F64, 3, 0, 1500),
  OP(vcvtusi2ss64_er, "vcvtusi2ss r64 {er}", 1, T_I64, T_F32, 3, 4, 800),
  OP(vcvtph2ps, "vcvtph2ps", 1, T_F16, T_F32, 3, 0, 1000),
  {"vcvtps2ph", "vcvtps2ph", op_vcvtps2ph, 1, T_F32, T_F16, 3, 0, 0, 3000, 5, ps2ph_imms},
  OP(roundss, "roundss", 1, T_F32, T_F32, 3, 16, 2000), OP(roundsd, "roundsd", 1, T_F64, T_F64, 3, 16, 2000),
  OP(vrndscaless, "vrndscaless", 1, T_F32, T_F32, 3, 256, 2500), OP(vrndscalesd, "vrndscalesd", 1, T_F64, T_F64, 3, 256, 2500),
  OP(vreducess, "vreducess", 1, T_F32, T_F32, 3, 256, 2500), OP(vreducesd, "vreducesd", 1, T_F64, T_F64, 3, 256, 2500),
  OP(vgetexpss, "vgetexpss", 1, T_F32, T_F32, 3, 0, 800), OP(vgetexpsd, "vgetexpsd", 1, T_F64, T_F64, 3, 0, 800),
  OP(vgetmantss, "vgetmantss", 1, T_F32, T_F32, 3, 16, 1500), OP(vgetmantsd, "vgetmantsd", 1, T_F64, T_F64, 3, 16, 1500),
  OP(vscalefss, "vscalefss", 2, T_F32, T_F32, 3, 0, 1500), OP(vscalefsd, "vscalefsd", 2, T_F64, T_F64, 3, 0, 1500),
  OP(vscalefss_er, "vscalefss {er}", 2, T_F32, T_F32, 3, 4, 500), OP(vscalefsd_er, "vscalefsd {er}", 2, T_F64, T_F64, 3, 4, 500),
  {"vfmaddss", "vfmadd{132,213,231}ss", op_vfmaddss, 3, T_F32, T_F32, 4, 0, 0, 3000, 7, fma_forms},
  {"vfmsubss", "vfmsub{132,213,231}ss", op_vfmsubss, 3, T_F32, T_F32, 4, 0, 0, 1000, 7, fma_forms},
  {"vfnmaddss", "vfnmadd{132,213,231}ss", op_vfnmaddss, 3, T_F32, T_F32, 4, 0, 0, 1000, 7, fma_forms},
  {"vfnmsubss", "vfnmsub{132,213,231}ss", op_vfnmsubss, 3, T_F32, T_F32, 4, 0, 0, 1000, 7, fma_forms},
  {"vfmaddsd", "vfmadd{132,213,231}sd", op_vfmaddsd, 3, T_F64, T_F64, 4, 0, 0, 3000, 7, fma_forms},
  {"vfmsubsd", "vfmsub{132,213,231}sd", op_vfmsubsd, 3, T_F64, T_F64, 4, 0, 0, 1000, 7, fma_forms},
  {"vfnmaddsd", "vfnmadd{132,213,231}sd", op_vfnmaddsd, 3, T_F64, T_F64, 4, 0, 0, 1000, 7, fma_forms},
  {"vfnmsubsd", "vfnmsub{132,213,231}sd", op_vfnmsubsd, 3, T_F64, T_F64, 4, 0, 0, 1000, 7, fma_forms},
  OP(rcpss, "rcpss", 1, T_F32, T_F32, 3, 0, 1500), OP(rsqrtss, "rsqrtss", 1, T_F32, T_F32, 3, 0, 1500),
  OP(vrcp14ss, "vrcp14ss", 1, T_F32, T_F32, 3, 0, 1500), OP(vrsqrt14ss, "vrsqrt14ss", 1, T_F32, T_F32, 3, 0, 1500),
  OP(vrcp14sd, "vrcp14sd", 1, T_F64, T_F64, 3, 0, 1500), OP(vrsqrt14sd, "vrsqrt14sd", 1, T_F64, T_F64, 3, 0, 1500),
  OP(vrangess, "vrangess", 2, T_F32, T_F32, 3, 16, 1500), OP(vrangesd, "vrangesd", 2, T_F64, T_F64, 3, 16, 1500),
  OP(vfixupimmss, "vfixupimmss", 3, T_F32, T_F32, 7, 256, 1500), OP(vfixupimmsd, "vfixupimmsd", 3, T_F64, T_F64, 7, 256, 1500),
};

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  if (argc > 2) rs = strtoull(argv[2], 0, 0);
  const char *only = argc > 3 ? argv[3] : 0;
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    if (only && strcmp(only, ops[i].name)) continue;
    u64 save = rs; rs ^= (u64)(i + 1) * 0x9e3779b97f4a7c15ull; /* per-op stream: adding ops does not reshuffle others */
    run_op(dir, &ops[i]);
    rs = save;
  }
  if (!only || !strcmp(only, "dpps")) run_dp(dir, "dpps", op_dpps, 0, 1500);
  if (!only || !strcmp(only, "dppd")) run_dp(dir, "dppd", op_dppd, 1, 300);
  return 0;
}
