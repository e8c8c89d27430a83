// SSE/AVX/AVX-512 floating-point environment: what one instruction's lanes share.
//
// Every per-lane function in emulator/fpu/simd-fp-*.ts takes an FpEnv. The
// caller loads it from MXCSR (and an EVEX embedded-rounding / {sae} override)
// once per instruction, runs every lane into scratch, then calls
// commitFpFlags() to decide between #XM (nothing committed) and committing.
//
// Inputs and outputs are bit patterns: f32/f16 as a uint32 number, f64 as two
// uint32 halves (lo, hi). Functions returning an f64 (or a 64-bit integer)
// write it to env.rlo / env.rhi (and also return env.rhi for convenience).

export const FE_IE = 0x01; // invalid
export const FE_DE = 0x02; // denormal operand
export const FE_ZE = 0x04; // divide by zero
export const FE_OE = 0x08; // overflow
export const FE_UE = 0x10; // underflow
export const FE_PE = 0x20; // precision (inexact)

/** Rounding control, MXCSR bits 14:13 / EVEX.RC order. */
export const RC_NEAREST = 0;
export const RC_DOWN = 1;
export const RC_UP = 2;
export const RC_ZERO = 3;

export interface FpEnv {
  /** effective rounding control 0..3 (MXCSR.RC or the EVEX embedded override) */
  rc: number;
  /** MXCSR.DAZ: denormal source operands are read as signed zeros (no DE) */
  daz: boolean;
  /** MXCSR.FTZ: tiny results become signed zeros with UE|PE when UE is masked */
  ftz: boolean;
  /** MXCSR exception masks, in flag-bit positions (MXCSR bits 12:7 >> 7) */
  masks: number;
  /** EVEX {sae} (implied by embedded rounding): no flags reported, masked responses */
  sae: boolean;
  /** accumulated exception flags of the lanes computed so far (FE_* bits) */
  flags: number;
  /** f64 / 64-bit integer result: low and high 32 bits (uint32) */
  rlo: number;
  rhi: number;
}

export function makeFpEnv(mxcsr = 0x1f80): FpEnv {
  const env: FpEnv = { rc: 0, daz: false, ftz: false, masks: 0x3f, sae: false, flags: 0, rlo: 0, rhi: 0 };
  loadMxcsr(env, mxcsr);
  return env;
}

/** Load the control part of MXCSR; clears the flag accumulator and any override. */
export function loadMxcsr(env: FpEnv, mxcsr: number): void {
  env.rc = (mxcsr >>> 13) & 3;
  env.daz = (mxcsr & 0x40) !== 0;
  env.ftz = (mxcsr & 0x8000) !== 0;
  env.masks = (mxcsr >>> 7) & 0x3f;
  env.sae = false;
  env.flags = 0;
}

/** EVEX.b with a register-register FP op: embedded rounding (rc 0..3) implies {sae}. */
export function setEmbeddedRounding(env: FpEnv, rc: number): void {
  env.rc = rc & 3;
  env.sae = true;
}

/** EVEX {sae} without rounding override (compares, min/max, conversions, getexp...). */
export function setSae(env: FpEnv): void {
  env.sae = true;
}

/**
 * After all lanes ran: fold env.flags into MXCSR following SDM vol. 1 §11.5.1
 * (an unmasked pre-computation exception -- IE, DE, ZE -- in any lane stops
 * post-computation ones -- OE, UE, PE -- from being reported).
 * Returns the new MXCSR; `fault` tells the caller to raise #XM (or #UD when
 * CR4.OSXMMEXCPT = 0) without committing any result.
 */
export const commitResult = { mxcsr: 0, fault: false };
export function commitFpFlags(env: FpEnv, mxcsr: number): typeof commitResult {
  const unmasked = ~(mxcsr >>> 7) & 0x3f;
  let f = env.flags;
  if (f & unmasked & 0x07) f &= 0x07;
  commitResult.mxcsr = (mxcsr | f) >>> 0;
  commitResult.fault = (f & unmasked) !== 0;
  return commitResult;
}

/** OR flags into the accumulator unless {sae} suppresses them. */
export function raise(env: FpEnv, f: number): void {
  if (!env.sae) env.flags |= f;
}

/** True when the response to underflow is the masked one (UE masked or {sae}). */
export function ueMasked(env: FpEnv): boolean {
  return env.sae || (env.masks & FE_UE) !== 0;
}
