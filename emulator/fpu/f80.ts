// Exact x87 80-bit extended-precision arithmetic (pure library, allocation-free).
// See the individual files for semantics; this module re-exports the public API.
export * from './f80-core.ts';
export { f80Add, f80Sub, f80Mul, f80Div, f80Sqrt, f80Abs, f80Chs } from './f80-arith.ts';
export * from './f80-memop.ts';
export * from './f80-convert.ts';
export * from './f80-compare.ts';
export * from './f80-misc.ts';
export * from './f80-trans.ts';
