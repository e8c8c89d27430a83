/**
 * The register file gdb sees: a target description (qXfer:features:read
 * target.xml) with gdb's standard x86-64 features — org.gnu.gdb.i386.core,
 * .sse, .segments, .avx, .avx512 and .pkeys with their 64-bit layouts — and
 * how each register is read and written. Register numbers are the order of
 * this table (given explicitly as `regnum`), which is also the `g` packet order.
 */
import type { Cpu } from '../cpu/cpu.ts';
import { getRflags, setRflags } from '../cpu/flags.ts';
import type { CpuModel } from '../models/index.ts';
import { xcr0Supported } from '../models/index.ts';
import { leToBig, bigToLe } from '../repl/memory.ts';

export interface GdbReg {
  name: string;
  bits: number;
  type: string;
  group?: string;
  feature: string;
  get(c: Cpu): Uint8Array;
  set(c: Cpu, b: Uint8Array): void;
}

const u = (v: bigint | number, bytes: number) => bigToLe(typeof v === 'bigint' ? v : BigInt(v), bytes);
const num = (b: Uint8Array) => leToBig(b);
const P2_32 = 4294967296;

/** iced/our GPR numbers in gdb's order: rax rbx rcx rdx rsi rdi rbp rsp r8..r15. */
const GDB_GPRS: [string, number, string][] = [
  ['rax', 0, 'int64'], ['rbx', 3, 'int64'], ['rcx', 1, 'int64'], ['rdx', 2, 'int64'], ['rsi', 6, 'int64'], ['rdi', 7, 'int64'],
  ['rbp', 5, 'data_ptr'], ['rsp', 4, 'data_ptr'],
  ...Array.from({ length: 8 }, (_, k) => [`r${k + 8}`, k + 8, 'int64'] as [string, number, string]),
];
const SEGS: [string, number][] = [['cs', 1], ['ss', 2], ['ds', 3], ['es', 0], ['fs', 4], ['gs', 5]];

function vecReg(name: string, feature: string, type: string, bits: number, reg: number, byteOff: number): GdbReg {
  const n = bits / 8;
  return {
    name, bits, type, feature,
    get: (c) => c.v8.slice(64 * reg + byteOff, 64 * reg + byteOff + n),
    set: (c, b) => { c.v8.set(b.subarray(0, n), 64 * reg + byteOff); },
  };
}

export function gdbRegisters(model: CpuModel): GdbReg[] {
  const regs: GdbReg[] = [];
  const core = 'org.gnu.gdb.i386.core';
  for (const [name, k, type] of GDB_GPRS) regs.push({ name, bits: 64, type, feature: core, get: (c) => u(c.R64[k], 8), set: (c, b) => { c.R64[k] = num(b); } });
  regs.push({ name: 'rip', bits: 64, type: 'code_ptr', feature: core, get: (c) => u(BigInt.asUintN(64, BigInt(c.rip)), 8), set: (c, b) => { c.rip = Number(BigInt.asIntN(64, num(b))); } });
  regs.push({ name: 'eflags', bits: 32, type: 'i386_eflags', feature: core, get: (c) => u(getRflags(c), 4), set: (c, b) => setRflags(c, Number(num(b))) });
  for (const [name, k] of SEGS) regs.push({ name, bits: 32, type: 'int32', feature: core, get: (c) => u(c.sel[k], 4), set: (c, b) => { c.sel[k] = Number(num(b) & 0xffffn); } });
  for (let i = 0; i < 8; i++) {
    regs.push({
      name: `st${i}`, bits: 80, type: 'i387_ext', feature: core,
      get: (c) => c.st.slice(10 * ((c.ftop + i) & 7), 10 * ((c.ftop + i) & 7) + 10),
      set: (c, b) => { c.st.set(b.subarray(0, 10), 10 * ((c.ftop + i) & 7)); },
    });
  }
  const fl = (name: string, get: (c: Cpu) => number, set: (c: Cpu, v: number) => void): GdbReg =>
    ({ name, bits: 32, type: 'int', group: 'float', feature: core, get: (c) => u(get(c) >>> 0, 4), set: (c, b) => set(c, Number(num(b))) });
  regs.push(
    fl('fctrl', (c) => c.fcw & 0xffff, (c, v) => { c.fcw = v & 0xffff; }),
    fl('fstat', (c) => ((c.fsw & ~0x3800) | ((c.ftop & 7) << 11)) & 0xffff, (c, v) => { c.fsw = v & 0xffff & ~0x3800; c.ftop = (v >> 11) & 7; }),
    fl('ftag', (c) => c.ftw & 0xffff, (c, v) => { c.ftw = v & 0xffff; }),
    fl('fiseg', (c) => c.fcs & 0xffff, (c, v) => { c.fcs = v & 0xffff; }),
    fl('fioff', (c) => c.fip % P2_32, (c, v) => { c.fip = v >>> 0; }),
    fl('foseg', (c) => c.fds & 0xffff, (c, v) => { c.fds = v & 0xffff; }),
    fl('fooff', (c) => c.fdp % P2_32, (c, v) => { c.fdp = v >>> 0; }),
    fl('fop', (c) => c.fop & 0x7ff, (c, v) => { c.fop = v & 0x7ff; }),
  );
  const sse = 'org.gnu.gdb.i386.sse';
  for (let n = 0; n < 16; n++) regs.push(vecReg(`xmm${n}`, sse, 'vec128', 128, n, 0));
  regs.push({ name: 'mxcsr', bits: 32, type: 'i386_mxcsr', group: 'vector', feature: sse, get: (c) => u(c.mxcsr >>> 0, 4), set: (c, b) => { c.mxcsr = Number(num(b)); } });
  const segf = 'org.gnu.gdb.i386.segments';
  regs.push({ name: 'fs_base', bits: 64, type: 'int', feature: segf, get: (c) => u(BigInt.asUintN(64, BigInt(c.fsBase)), 8), set: (c, b) => { c.fsBase = Number(BigInt.asIntN(64, num(b))); } });
  regs.push({ name: 'gs_base', bits: 64, type: 'int', feature: segf, get: (c) => u(BigInt.asUintN(64, BigInt(c.gsBase)), 8), set: (c, b) => { c.gsBase = Number(BigInt.asIntN(64, num(b))); } });
  const sup = xcr0Supported(model);
  if (sup & 4n) {
    const avx = 'org.gnu.gdb.i386.avx';
    for (let n = 0; n < 16; n++) regs.push(vecReg(`ymm${n}h`, avx, 'uint128', 128, n, 16));
  }
  if ((sup & 0xe0n) === 0xe0n) {
    const f = 'org.gnu.gdb.i386.avx512';
    for (let n = 16; n < 32; n++) regs.push(vecReg(`xmm${n}`, f, 'vec128', 128, n, 0));
    for (let n = 16; n < 32; n++) regs.push(vecReg(`ymm${n}h`, f, 'uint128', 128, n, 16));
    for (let k = 0; k < 8; k++) regs.push({ name: `k${k}`, bits: 64, type: 'uint64', feature: f, get: (c) => u(c.k64[k], 8), set: (c, b) => { c.k64[k] = num(b); } });
    for (let n = 0; n < 32; n++) regs.push(vecReg(`zmm${n}h`, f, 'v2ui128', 256, n, 32));
  }
  if (sup & 0x200n) {
    regs.push({
      name: 'pkru', bits: 32, type: 'uint32', feature: 'org.gnu.gdb.i386.pkeys',
      get: (c) => u(c.pkru >>> 0, 4),
      set: (c, b) => { const v = Number(num(b)); if (v !== c.pkru >>> 0) c.flushTlb(); c.pkru = v; },
    });
  }
  return regs;
}

const VEC128 = `  <vector id="v4f" type="ieee_single" count="4"/>
  <vector id="v2d" type="ieee_double" count="2"/>
  <vector id="v16i8" type="int8" count="16"/>
  <vector id="v8i16" type="int16" count="8"/>
  <vector id="v4i32" type="int32" count="4"/>
  <vector id="v2i64" type="int64" count="2"/>
  <union id="vec128">
    <field name="v4_float" type="v4f"/>
    <field name="v2_double" type="v2d"/>
    <field name="v16_int8" type="v16i8"/>
    <field name="v8_int16" type="v8i16"/>
    <field name="v4_int32" type="v4i32"/>
    <field name="v2_int64" type="v2i64"/>
    <field name="uint128" type="uint128"/>
  </union>
`;

const FEATURE_TYPES: Record<string, string> = {
  'org.gnu.gdb.i386.core': `  <flags id="i386_eflags" size="4">
${[['CF', 0], ['', 1], ['PF', 2], ['AF', 4], ['ZF', 6], ['SF', 7], ['TF', 8], ['IF', 9], ['DF', 10], ['OF', 11], ['NT', 14], ['RF', 16], ['VM', 17], ['AC', 18], ['VIF', 19], ['VIP', 20], ['ID', 21]].map(([n, b]) => `    <field name="${n}" start="${b}" end="${b}"/>`).join('\n')}
  </flags>
`,
  'org.gnu.gdb.i386.sse': `${VEC128}  <flags id="i386_mxcsr" size="4">
${[['IE', 0], ['DE', 1], ['ZE', 2], ['OE', 3], ['UE', 4], ['PE', 5], ['DAZ', 6], ['IM', 7], ['DM', 8], ['ZM', 9], ['OM', 10], ['UM', 11], ['PM', 12], ['FZ', 15]].map(([n, b]) => `    <field name="${n}" start="${b}" end="${b}"/>`).join('\n')}
  </flags>
`,
  'org.gnu.gdb.i386.avx512': `${VEC128}  <vector id="v2ui128" type="uint128" count="2"/>
`,
};

/** target.xml for these registers. */
export function targetXml(regs: GdbReg[]): string {
  const out = ['<?xml version="1.0"?>', '<!DOCTYPE target SYSTEM "gdb-target.dtd">', '<target version="1.0">', '  <architecture>i386:x86-64</architecture>'];
  let feature = '';
  regs.forEach((r, n) => {
    if (r.feature !== feature) {
      if (feature) out.push('</feature>');
      feature = r.feature;
      out.push(`<feature name="${feature}">`);
      if (FEATURE_TYPES[feature]) out.push(FEATURE_TYPES[feature].trimEnd());
    }
    out.push(`  <reg name="${r.name}" bitsize="${r.bits}" type="${r.type}" regnum="${n}"${r.group ? ` group="${r.group}"` : ''}/>`);
  });
  out.push('</feature>', '</target>');
  return out.join('\n') + '\n';
}
