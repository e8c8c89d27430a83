/**
 * Reads and validates files in the `x86-conformance/1` case format
 * (shared/conformance/FORMAT.md). A malformed file is a `FormatError` that
 * names the case and the field.
 */
import { GPR_NAMES } from '../cpu/state.ts';

export class FormatError extends Error {}

export interface MemRegion { addr: bigint; bytes: Uint8Array; perm: 'r' | 'rw' }
export interface ExpectMem { addr: bigint; bytes: Uint8Array; mask: Uint8Array | null }

export interface Case {
  name: string;
  note: string;
  cpl: number;
  xcr0: bigint;
  xss: bigint;
  xfd: bigint;
  cr0: bigint | null;
  cr4: bigint | null;
  msrs: [number, bigint][];
  regs: Map<string, bigint>;
  rflags: bigint;
  memory: MemRegion[];
  codeAddr: bigint;
  code: Uint8Array;
  expect: {
    vector: number;
    errorCode: bigint | null;
    errorCodeMask: bigint | null;
    rip: bigint | null;
    regs: Map<string, bigint>;
    msrs: [number, bigint][];
    rflags: { value: bigint; mask: bigint } | null;
    memory: ExpectMem[];
  };
}

export interface CaseFile { cpu: string | null; source: string; cases: Case[] }

const CASE_KEYS = new Set(['name', 'note', 'cpl', 'xcr0', 'xss', 'xfd', 'cr0', 'cr4', 'msrs', 'regs', 'rflags', 'memory', 'code_addr', 'code', 'expect']);
const EXPECT_KEYS = new Set(['stop', 'regs', 'msrs', 'rflags', 'memory']);
const REG_SET = new Set(GPR_NAMES);

export function parseCaseFile(text: string, file: string): CaseFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  const d = doc as Record<string, unknown>;
  if (!d || typeof d !== 'object') throw new FormatError(`${file}: the top level must be an object`);
  if (d.format !== 'x86-conformance/1') throw new FormatError(`${file}: field 'format' must be "x86-conformance/1", got ${JSON.stringify(d.format)}`);
  if (!Array.isArray(d.cases)) throw new FormatError(`${file}: field 'cases' must be a list`);
  const cases = d.cases.map((c: unknown, k: number) => parseCase(c, `${file}: case #${k}`));
  return { cpu: typeof d.cpu === 'string' ? d.cpu : null, source: String(d.source ?? ''), cases };
}

function parseCase(raw: unknown, where: string): Case {
  if (!raw || typeof raw !== 'object') throw new FormatError(`${where}: a case must be an object`);
  const c = raw as Record<string, unknown>;
  const name = typeof c.name === 'string' ? c.name : '';
  if (!name) throw new FormatError(`${where}: field 'name' must be a non-empty string`);
  const at = (f: string) => `${where} '${name}': field ${f}`;
  for (const k of Object.keys(c)) if (!CASE_KEYS.has(k)) throw new FormatError(`${at(k)}: unknown field`);
  const e = c.expect as Record<string, unknown>;
  if (!e || typeof e !== 'object') throw new FormatError(`${at('expect')}: required object`);
  for (const k of Object.keys(e)) if (!EXPECT_KEYS.has(k)) throw new FormatError(`${at('expect.' + k)}: unknown field`);
  const stop = e.stop as Record<string, unknown>;
  if (!stop || typeof stop !== 'object') throw new FormatError(`${at('expect.stop')}: required object`);
  if (typeof stop.vector !== 'number' || !Number.isInteger(stop.vector) || stop.vector < 0 || stop.vector > 255)
    throw new FormatError(`${at('expect.stop.vector')}: must be an integer 0..255`);
  const cpl = c.cpl === undefined ? 3 : c.cpl;
  if (cpl !== 0 && cpl !== 3) throw new FormatError(`${at('cpl')}: must be 0 or 3`);
  const rf = e.rflags as Record<string, unknown> | undefined;
  return {
    name,
    note: typeof c.note === 'string' ? c.note : '',
    cpl: cpl as number,
    xcr0: hexField(c.xcr0, at('xcr0'), 1n),
    xss: hexField(c.xss, at('xss'), 0n),
    xfd: hexField(c.xfd, at('xfd'), 0n),
    cr0: c.cr0 === undefined ? null : hexField(c.cr0, at('cr0')),
    cr4: c.cr4 === undefined ? null : hexField(c.cr4, at('cr4')),
    msrs: msrList(c.msrs, at('msrs')),
    regs: regMap(c.regs, at('regs')),
    rflags: hexField(c.rflags, at('rflags'), 0x202n),
    memory: memList(c.memory, at('memory')),
    codeAddr: hexField(c.code_addr, at('code_addr')),
    code: bytesField(c.code, at('code')),
    expect: {
      vector: stop.vector as number,
      errorCode: stop.error_code === undefined ? null : hexField(stop.error_code, at('expect.stop.error_code')),
      errorCodeMask: stop.error_code_mask === undefined ? null : hexField(stop.error_code_mask, at('expect.stop.error_code_mask')),
      rip: stop.rip === undefined ? null : hexField(stop.rip, at('expect.stop.rip')),
      regs: regMap(e.regs, at('expect.regs')),
      msrs: msrList(e.msrs, at('expect.msrs')),
      rflags: rf === undefined ? null : { value: hexField(rf.value, at('expect.rflags.value')), mask: hexField(rf.mask, at('expect.rflags.mask'), 0xffffffffffffffffn) },
      memory: expectMemList(e.memory, at('expect.memory')),
    },
  };
}

function hexField(v: unknown, at: string, dflt?: bigint): bigint {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,16}$/.test(v)) throw new FormatError(`${at}: expected a hex string like "0x1f", got ${JSON.stringify(v)}`);
  return BigInt(v);
}

function bytesField(v: unknown, at: string): Uint8Array {
  if (typeof v !== 'string' || v.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(v)) throw new FormatError(`${at}: expected an even-length hex byte string`);
  return Uint8Array.from(Buffer.from(v, 'hex'));
}

function regMap(v: unknown, at: string): Map<string, bigint> {
  const m = new Map<string, bigint>();
  if (v === undefined) return m;
  if (!v || typeof v !== 'object') throw new FormatError(`${at}: expected an object`);
  for (const [k, x] of Object.entries(v)) {
    if (!REG_SET.has(k)) throw new FormatError(`${at}.${k}: unknown register (expected one of ${GPR_NAMES.join(', ')})`);
    m.set(k, hexField(x, `${at}.${k}`));
  }
  return m;
}

function msrList(v: unknown, at: string): [number, bigint][] {
  if (v === undefined) return [];
  if (!v || typeof v !== 'object') throw new FormatError(`${at}: expected an object`);
  return Object.entries(v).map(([k, x]) => {
    if (!/^0x[0-9a-fA-F]{1,8}$/.test(k)) throw new FormatError(`${at}: key ${JSON.stringify(k)} is not an MSR number in hex`);
    return [Number(k), hexField(x, `${at}.${k}`)] as [number, bigint];
  });
}

function memList(v: unknown, at: string): MemRegion[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new FormatError(`${at}: expected a list`);
  return v.map((r, k) => {
    const perm = r.perm === undefined ? 'rw' : r.perm;
    if (perm !== 'r' && perm !== 'rw') throw new FormatError(`${at}[${k}].perm: must be "r" or "rw"`);
    return { addr: hexField(r.addr, `${at}[${k}].addr`), bytes: bytesField(r.hex ?? '', `${at}[${k}].hex`), perm };
  });
}

function expectMemList(v: unknown, at: string): ExpectMem[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new FormatError(`${at}: expected a list`);
  return v.map((r, k) => {
    const bytes = bytesField(r.hex, `${at}[${k}].hex`);
    const mask = r.mask === undefined ? null : bytesField(r.mask, `${at}[${k}].mask`);
    if (mask && mask.length !== bytes.length) throw new FormatError(`${at}[${k}].mask: length ${mask.length} differs from hex length ${bytes.length}`);
    return { addr: hexField(r.addr, `${at}[${k}].addr`), bytes, mask };
  });
}
