// C-style struct layouts whose field offsets are plain numbers, usable as
// displacements: `mem.qword(rdi, fpstate.xfeatures)`. Natural alignment, the
// struct aligned to its most aligned member and padded to a multiple of it.
import { AsmError, captureSite } from './site.ts';

export type ScalarType = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64' | 'f32' | 'f64' | 'ptr' | 'm128' | 'm256' | 'm512';

const SCALAR: Record<ScalarType, number> = {
  u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, f32: 4, f64: 8, ptr: 8, m128: 16, m256: 32, m512: 64,
};

export interface FieldInfo { offset: number; size: number; align: number }

interface Placement { align?: number; offset?: number }
export type FieldSpec =
  | ScalarType
  | AnyStruct
  | ({ bytes: number } & Placement)
  | ({ type: ScalarType | AnyStruct; count?: number } & Placement);

export interface AnyStruct { readonly name: string; readonly size: number; readonly align: number; readonly fields: Record<string, FieldInfo> }

type Reserved = 'name' | 'size' | 'align' | 'fields' | 'off';
export type Struct<F extends Record<string, FieldSpec>> = {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly fields: { readonly [K in keyof F]: FieldInfo };
  /** every field's offset, including ones whose names clash with name/size/align/fields/off */
  readonly off: { readonly [K in keyof F]: number };
} & { readonly [K in Exclude<keyof F, Reserved>]: number };

const isPow2 = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

function sizeAlign(spec: FieldSpec): { size: number; align: number } {
  if (typeof spec === 'string') {
    if (!(spec in SCALAR)) throw new Error(`unknown field type '${spec}'`);
    return { size: SCALAR[spec], align: SCALAR[spec] };
  }
  if ('fields' in spec) return { size: spec.size, align: spec.align };
  if ('bytes' in spec) {
    if (!Number.isInteger(spec.bytes) || spec.bytes < 0) throw new Error(`bytes must be a non-negative integer, got ${spec.bytes}`);
    return { size: spec.bytes, align: spec.align ?? 1 };
  }
  const inner = sizeAlign(spec.type);
  const count = spec.count ?? 1;
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
  return { size: inner.size * count, align: spec.align ?? inner.align };
}

/**
 * `defineStruct('fpstate', { size: 'u32', xfeatures: 'u64', regs: { bytes: 64, align: 64 } })`.
 * Field specs: a scalar type, another struct, `{bytes, align?}`, `{type, count?, align?}`;
 * any of the object forms may pin `offset` (it must be aligned and not overlap).
 * Options: `align` raises the struct's alignment, `size` pins its size.
 */
export function defineStruct<F extends Record<string, FieldSpec>>(name: string, spec: F, opts: { align?: number; size?: number } = {}): Struct<F> {
  const site = captureSite();
  const err = (msg: string): never => { throw new AsmError(String(site), `struct ${name}: ${msg}`); };
  const fields: Record<string, FieldInfo> = {};
  const off: Record<string, number> = {};
  let end = 0;
  let maxAlign = opts.align ?? 1;
  if (!isPow2(maxAlign)) err(`alignment ${maxAlign} is not a power of two`);
  for (const [fname, fspec] of Object.entries(spec)) {
    let sa: { size: number; align: number };
    try { sa = sizeAlign(fspec); } catch (e) { return err(`field ${fname}: ${(e as Error).message}`); }
    if (!isPow2(sa.align)) err(`field ${fname}: alignment ${sa.align} is not a power of two`);
    const pinned = typeof fspec === 'object' && 'offset' in fspec ? (fspec as Placement).offset : undefined;
    let offset: number;
    if (pinned !== undefined) {
      if (!Number.isInteger(pinned) || pinned < 0) err(`field ${fname}: offset ${pinned} is not a non-negative integer`);
      if (pinned % sa.align !== 0) err(`field ${fname} at offset ${pinned} is misaligned (needs ${sa.align}-byte alignment)`);
      if (pinned < end) err(`field ${fname} at offset ${pinned} overlaps the previous field (which ends at ${end})`);
      offset = pinned;
    } else offset = alignUp(end, sa.align);
    fields[fname] = { offset, size: sa.size, align: sa.align };
    off[fname] = offset;
    end = offset + sa.size;
    maxAlign = Math.max(maxAlign, sa.align);
  }
  let size = alignUp(end, maxAlign);
  if (opts.size !== undefined) {
    if (opts.size < end) err(`size ${opts.size} is smaller than its fields (${end} bytes)`);
    if (opts.size % maxAlign !== 0) err(`size ${opts.size} is not a multiple of its alignment ${maxAlign}`);
    size = opts.size;
  }
  const out: Record<string, unknown> = {};
  for (const [f, o] of Object.entries(off)) if (!['name', 'size', 'align', 'fields', 'off'].includes(f)) out[f] = o;
  Object.assign(out, { name, size, align: maxAlign, fields, off });
  return Object.freeze(out) as Struct<F>;
}
