// Public entry point of the SSE/AVX/AVX-512 scalar floating-point library.
export * from './simd-fp-env.ts';
export * from './simd-fp-arith.ts';
export * from './simd-fp-compare.ts';
export * from './simd-fp-convert.ts';
export * from './simd-fp-fma.ts';
export * from './simd-fp-round.ts';
export * from './simd-fp-misc.ts';
