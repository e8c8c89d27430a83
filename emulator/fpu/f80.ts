// Exact x87 80-bit extended-precision arithmetic (pure library, allocation-free).
//
// Values: F80 = { se, mhi, mlo } (sign|biased exponent, significand with the
// explicit integer bit).  f80Read/f80Write move them to/from the 10-byte FXSAVE
// register layout.  Every operation takes the FCW (PC bits 9:8, RC bits 11:10,
// masks bits 5:0), writes its result into a caller-owned F80 (may alias an
// input) and returns a status word fragment:
//   F_IE F_DE F_ZE F_OE F_UE F_PE (FSW bits 5:0), F_C1 = result rounded up
//   (or the FXAM sign / FPREM Q0), F_C0/F_C2/F_C3 for compares, FXAM, FPREM
//   (C2 also "out of range" for FSIN/FCOS/FSINCOS/FPTAN), and F_NORESULT
//   (0x10000, not an FSW bit): leave the destination/stack unchanged
//   (unmasked IE/ZE/DE, unmasked OE/UE on FST m32/m64, etc.).
// Unmasked OE/UE on register results deliver the exponent-adjusted (+-24576)
// result with the flag, as the SDM says.  The caller ORs the exception bits
// into the FSW, sets ES/B from the masks, and owns stack faults (SF, C1 sense).
//
// Files: f80-core (type, classify, rounding), f80-arith (+ - * / sqrt abs chs),
// f80-memop (m32/m64/m16int/m32int operands), f80-convert (FLD/FST m32/m64,
// FILD/FIST/FISTTP, FBLD/FBSTP, constants), f80-compare (FCOM/FUCOM/FCOMI/FTST/
// FXAM), f80-misc (FRNDINT FSCALE FXTRACT FPREM FPREM1), f80-trans
// (transcendentals; correctly rounded, silicon is within 1 ulp of them).
export * from './f80-core.ts';
export { f80Add, f80Sub, f80Mul, f80Div, f80Sqrt, f80Abs, f80Chs } from './f80-arith.ts';
export * from './f80-memop.ts';
export * from './f80-convert.ts';
export * from './f80-compare.ts';
export * from './f80-misc.ts';
export * from './f80-trans.ts';
