/** The "looking" views: registers, system registers, MSRs, memory, disassembly, backtrace, TLB, APIC. */
import type { Cpu } from '../cpu/cpu.ts';
import { GPR_NAMES, SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS } from '../cpu/state.ts';
import { getRflags } from '../cpu/flags.ts';
import { laToBig } from '../msr.ts';
import { X86Fault } from '../faults.ts';
import type { Session } from './session.ts';
import { ReplError, type CommandOutput } from './registry.ts';
import { readLinear, readPhys, tryReadLinear, hexAddr, leToBig } from './memory.ts';
import { disasmOne } from './disasm.ts';

const h = (v: bigint | number, w = 16) => `0x${(typeof v === 'bigint' ? v : BigInt(v)).toString(16).padStart(w, '0')}`;

export const RFLAGS_BITS: [number, string][] = [[0, 'CF'], [2, 'PF'], [4, 'AF'], [6, 'ZF'], [7, 'SF'], [8, 'TF'], [9, 'IF'], [10, 'DF'], [11, 'OF'], [14, 'NT'], [16, 'RF'], [17, 'VM'], [18, 'AC'], [19, 'VIF'], [20, 'VIP'], [21, 'ID']];
export const CR0_BITS: [number, string][] = [[0, 'PE'], [1, 'MP'], [2, 'EM'], [3, 'TS'], [4, 'ET'], [5, 'NE'], [16, 'WP'], [18, 'AM'], [29, 'NW'], [30, 'CD'], [31, 'PG']];
export const CR4_BITS: [number, string][] = [[0, 'VME'], [1, 'PVI'], [2, 'TSD'], [3, 'DE'], [4, 'PSE'], [5, 'PAE'], [6, 'MCE'], [7, 'PGE'], [8, 'PCE'], [9, 'OSFXSR'], [10, 'OSXMMEXCPT'], [11, 'UMIP'], [12, 'LA57'], [13, 'VMXE'], [14, 'SMXE'], [16, 'FSGSBASE'], [17, 'PCIDE'], [18, 'OSXSAVE'], [19, 'KL'], [20, 'SMEP'], [21, 'SMAP'], [22, 'PKE'], [23, 'CET'], [24, 'PKS'], [25, 'UINTR'], [28, 'LAM_SUP']];
export const EFER_BITS: [number, string][] = [[0, 'SCE'], [8, 'LME'], [10, 'LMA'], [11, 'NXE'], [12, 'SVME'], [13, 'LMSLE'], [14, 'FFXSR'], [15, 'TCE']];
export const XFEATURE_NAMES: Record<number, string> = {
  0: 'x87', 1: 'SSE', 2: 'AVX', 3: 'BNDREGS', 4: 'BNDCSR', 5: 'opmask', 6: 'ZMM_Hi256', 7: 'Hi16_ZMM', 8: 'PT', 9: 'PKRU',
  10: 'PASID', 11: 'CET_U', 12: 'CET_S', 13: 'HDC', 14: 'UINTR', 15: 'LBR', 16: 'HWP', 17: 'XTILECFG', 18: 'XTILEDATA', 19: 'APX',
};

/** `CF PF ZF IF` style list of set bits. */
export function setBits(v: number, bits: [number, string][]): string {
  return bits.filter(([b]) => Math.floor(v / 2 ** b) % 2 === 1).map(([, n]) => n).join(' ');
}
/** Every defined bit as NAME=0|1. */
function allBits(v: number, bits: [number, string][]): string {
  return bits.map(([b, n]) => `${n}=${Math.floor(v / 2 ** b) % 2}`).join(' ');
}
export function xfeatures(mask: number): string {
  const out: string[] = [];
  for (let i = 0; i < 32; i++) if ((mask >>> i) & 1) out.push(XFEATURE_NAMES[i] ?? `bit${i}`);
  return out.join(' ') || 'none';
}

export function regsView(s: Session, c: Cpu): CommandOutput {
  const lines: string[] = [];
  const data: Record<string, string> = {};
  for (let k = 0; k < 16; k++) {
    const v = c.R64[k];
    data[GPR_NAMES[k]] = h(v);
    lines.push(`${GPR_NAMES[k].padEnd(7)}${h(v)}  ${BigInt.asIntN(64, v)}`);
  }
  const rip = laToBig(c.rip);
  data.rip = h(rip);
  lines.push(`${'rip'.padEnd(7)}${h(rip)}  ${s.symbols.describe(c.rip) ? `<${s.symbols.describe(c.rip)}>` : ''}`.trimEnd());
  const f = getRflags(c);
  data.rflags = h(f, 8);
  const iopl = (f >> 12) & 3;
  lines.push(`${'rflags'.padEnd(7)}${h(f, 8)}  [ ${`${setBits(f, RFLAGS_BITS)}${iopl ? ` IOPL=${iopl}` : ''}`.trim() || '-'} ]`);
  lines.push(`${'cs'.padEnd(7)}${h(c.sel[SEG_CS], 4)}  ss ${h(c.sel[SEG_SS], 4)}  cpl ${c.cpl}${c.halted ? '  (halted)' : ''}`);
  return { text: lines.join('\n'), data: { vcpu: c.id, ...data, symbol: s.symbols.describe(c.rip) || null, cpl: c.cpl, halted: c.halted } };
}

function msrValue(s: Session, c: Cpu, name: string): { text: string; value: bigint | null } {
  const d = s.m.msrs.byNameOrIndex(name);
  if (!d) return { text: '(not on this model)', value: null };
  try {
    const v = BigInt.asUintN(64, d.read(c));
    return { text: h(v), value: v };
  } catch (e) {
    return { text: `(unreadable: ${e instanceof X86Fault ? e.reason : (e as Error).message})`, value: null };
  }
}

function selector(sel: number): string {
  return `${h(sel, 4)} (index ${sel >> 3}, ${sel & 4 ? 'LDT' : 'GDT'}, RPL ${sel & 3})`;
}

export function sregsView(s: Session, c: Cpu): CommandOutput {
  const L: string[] = [];
  const data: Record<string, unknown> = {};
  const cr0 = c.cr0 >>> 0, cr4 = c.cr4 >>> 0;
  L.push(`cr0    ${h(cr0, 8)}  ${allBits(cr0, CR0_BITS)}`);
  L.push(`cr2    ${h(laToBig(c.cr2))}`);
  const pcide = (cr4 >> 17) & 1;
  L.push(`cr3    ${h(c.cr3)}  PML4 at ${h(Math.floor(c.cr3 / 4096) * 4096, 1)}${pcide ? ` PCID=${c.cr3 % 4096}` : ` PWT=${(c.cr3 >> 3) & 1} PCD=${(c.cr3 >> 4) & 1}`}`);
  L.push(`cr4    ${h(cr4, 8)}  ${allBits(cr4, CR4_BITS)}`);
  L.push(`cr8    ${h(c.cr8, 1)}`);
  L.push(`efer   ${h(c.efer, 8)}  ${allBits(c.efer, EFER_BITS)}`);
  Object.assign(data, { cr0: h(cr0, 8), cr2: h(laToBig(c.cr2)), cr3: h(c.cr3), cr4: h(cr4, 8), cr8: c.cr8, efer: h(c.efer, 8) });
  const segs: [string, number][] = [['cs', SEG_CS], ['ss', SEG_SS], ['ds', SEG_DS], ['es', SEG_ES], ['fs', SEG_FS], ['gs', SEG_GS]];
  for (const [n, k] of segs) {
    const base = k === SEG_FS ? c.fsBase : k === SEG_GS ? c.gsBase : 0;
    L.push(`${n.padEnd(7)}${selector(c.sel[k])}  base ${h(laToBig(base))}`);
    data[n] = { selector: h(c.sel[k], 4), base: h(laToBig(base)) };
  }
  L.push(`kgsbase ${h(laToBig(c.kernelGsBase))}`);
  L.push(`gdtr   base ${h(laToBig(c.gdtBase))} limit ${h(c.gdtLimit, 4)}`);
  L.push(`idtr   base ${h(laToBig(c.idtBase))} limit ${h(c.idtLimit, 4)}`);
  L.push(`tr     ${selector(c.trSel)}  base ${h(laToBig(c.trBase))} limit ${h(c.trLimit, 4)}`);
  L.push(`ldtr   ${h(c.ldtSel, 4)}`);
  Object.assign(data, {
    gdtr: { base: h(laToBig(c.gdtBase)), limit: c.gdtLimit }, idtr: { base: h(laToBig(c.idtBase)), limit: c.idtLimit },
    tr: { selector: h(c.trSel, 4), base: h(laToBig(c.trBase)), limit: c.trLimit }, ldtr: h(c.ldtSel, 4),
  });
  L.push(`xcr0   ${h(c.xcr0 >>> 0)}  ${xfeatures(c.xcr0)}`);
  data.xcr0 = h(c.xcr0 >>> 0);
  for (const name of ['IA32_XSS', 'IA32_XFD', 'IA32_XFD_ERR']) {
    const v = msrValue(s, c, name);
    const extra = v.value !== null ? `  ${xfeatures(Number(v.value & 0xffffffffn))}` : '';
    L.push(`${name.toLowerCase().replace('ia32_', '').padEnd(8)}${v.text}${extra}`);
    data[name] = v.value === null ? null : h(v.value);
  }
  for (const name of ['IA32_STAR', 'IA32_LSTAR', 'IA32_FMASK', 'IA32_PAT', 'IA32_APIC_BASE']) {
    const v = msrValue(s, c, name);
    L.push(`${name.toLowerCase().replace('ia32_', '').padEnd(10)}${v.text}`);
    data[name] = v.value === null ? null : h(v.value);
  }
  L.push(`pkru   ${h(c.pkru >>> 0, 8)}  mxcsr ${h(c.mxcsr >>> 0, 8)}  cpl ${c.cpl}`);
  Object.assign(data, { pkru: h(c.pkru >>> 0, 8), mxcsr: h(c.mxcsr >>> 0, 8), cpl: c.cpl });
  return { text: L.join('\n'), data };
}

export function msrView(s: Session, c: Cpu, key: string | undefined): CommandOutput {
  if (!key) {
    const rows = s.m.msrs.all().filter((d) => !d.name.startsWith('X2APIC_'));
    const lines = rows.map((d) => `${('0x' + d.index.toString(16)).padEnd(12)} ${d.name.padEnd(24)} ${msrValue(s, c, d.name).text}`);
    return { text: lines.join('\n'), data: rows.map((d) => ({ index: d.index, name: d.name, value: msrValue(s, c, d.name).value?.toString(16) ?? null })) };
  }
  const d = s.m.msrs.byNameOrIndex(key) ?? s.m.msrs.byNameOrIndex(`IA32_${key}`);
  if (!d) throw new ReplError(`no MSR '${key}' on this machine`);
  const v = msrValue(s, c, d.name);
  if (v.value === null) throw new ReplError(`MSR ${d.name} (0x${d.index.toString(16)}): ${v.text.replace(/^\(|\)$/g, '')}`);
  return { text: `${d.name} (0x${d.index.toString(16)}) = ${v.text}`, data: { index: d.index, name: d.name, value: h(v.value) } };
}

// ------------------------------------------------------------------- x/FMT
export interface XFormat { count: number; fmt: string; size: number; phys: boolean }

export function parseXFormat(f: string, last: XFormat): XFormat {
  const m = /^(\d*)([xduotacfsip]*)([bhwg]?)([xduotacfsip]*)$/.exec(f);
  if (!m) throw new ReplError(`bad format '/${f}' (x/[N][FMT][SIZE], FMT one of x d u o t a c f s i, SIZE one of b h w g; p = physical)`);
  const letters = (m[2] + m[4]).split('');
  const phys = letters.includes('p');
  const fl = letters.filter((l) => l !== 'p');
  if (fl.length > 1) throw new ReplError(`bad format '/${f}': one format letter at most`);
  const fmt = fl[0] ?? last.fmt;
  const sizeLetter = m[3];
  let size = sizeLetter ? { b: 1, h: 2, w: 4, g: 8 }[sizeLetter as 'b' | 'h' | 'w' | 'g'] : fmt === 'a' ? 8 : fmt === 'c' ? 1 : last.size;
  if (fmt === 'f' && !sizeLetter) size = 8;
  return { count: m[1] ? Number(m[1]) : 1, fmt, size, phys };
}

export function examine(s: Session, c: Cpu, f: XFormat, addr: number): CommandOutput {
  if (f.count < 1 || f.count > 65536) throw new ReplError('count must be 1..65536');
  const read = (a: number, n: number) => (f.phys ? readPhys(s.m.mem, a, n) : readLinear(c, a, n));
  const label = (a: number) => (f.phys ? `p:0x${a.toString(16)}` : s.fmt(a));
  if (f.fmt === 'i') {
    if (f.phys) throw new ReplError('x/i reads virtual memory only');
    return disasView(s, c, addr, f.count);
  }
  if (f.fmt === 's') {
    const lines: string[] = [];
    const strs: { addr: string; value: string }[] = [];
    let a = addr;
    for (let k = 0; k < f.count; k++) {
      const bytes: number[] = [];
      for (;;) {
        const b = read(a + bytes.length, 1)[0];
        if (b === 0 || bytes.length >= 4096) break;
        bytes.push(b);
      }
      const str = JSON.stringify(Buffer.from(bytes).toString('latin1'));
      lines.push(`${label(a)}:\t${str}`);
      strs.push({ addr: hexAddr(a), value: Buffer.from(bytes).toString('latin1') });
      a += bytes.length + 1;
    }
    return { text: lines.join('\n'), data: strs };
  }
  const n = f.count * f.size;
  const bytes = read(addr, n);
  const perRow = f.fmt === 'c' ? 8 : f.size === 8 ? 2 : f.size === 4 ? 4 : 8;
  const values: string[] = [];
  const fmtOne = (k: number): string => {
    const v = leToBig(bytes, k * f.size, f.size);
    switch (f.fmt) {
      case 'x': return `0x${v.toString(16).padStart(2 * f.size, '0')}`;
      case 'd': return BigInt.asIntN(8 * f.size, v).toString();
      case 'u': return v.toString();
      case 'o': return `0${v.toString(8)}`;
      case 't': return v.toString(2).padStart(8 * f.size, '0');
      case 'c': { const b = Number(v & 0xffn); return `${b} ${b >= 32 && b < 127 ? `'${String.fromCharCode(b)}'` : `'\\x${b.toString(16).padStart(2, '0')}'`}`; }
      case 'a': { const a = Number(BigInt.asIntN(64, v)); const d = s.symbols.describe(a); return `0x${v.toString(16)}${d ? ` <${d}>` : ''}`; }
      case 'f': {
        if (f.size === 8) return new DataView(bytes.buffer, bytes.byteOffset + k * 8, 8).getFloat64(0, true).toString();
        if (f.size === 4) return new DataView(bytes.buffer, bytes.byteOffset + k * 4, 4).getFloat32(0, true).toString();
        return `0x${v.toString(16)}`;
      }
    }
    return `0x${v.toString(16)}`;
  };
  const lines: string[] = [];
  for (let k = 0; k < f.count; k++) values.push(fmtOne(k));
  for (let r = 0; r < f.count; r += perRow) {
    lines.push(`${label(addr + r * f.size)}:\t${values.slice(r, r + perRow).join('\t')}`);
  }
  return { text: lines.join('\n'), data: { addr: f.phys ? `0x${addr.toString(16)}` : hexAddr(addr), physical: f.phys, size: f.size, format: f.fmt, values } };
}

export function disasView(s: Session, c: Cpu, addr: number, count: number): CommandOutput {
  const lines: string[] = [];
  const data: unknown[] = [];
  let a = addr;
  for (let k = 0; k < count; k++) {
    const d = disasmOne(c, a);
    if (!d) {
      if (k === 0) readLinear(c, a, 1); // throws the one-line reason
      lines.push(`${s.fmt(a)}: (cannot read memory)`);
      break;
    }
    for (const sym of s.symbols.startingAt(a)) lines.push(`${sym.name}:`);
    const src = s.symbols.source(a);
    const hexb = Array.from(d.bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const tgt = d.target !== undefined && s.symbols.describe(d.target) ? `  <${s.symbols.describe(d.target)}>` : '';
    const mark = a === c.rip ? '=>' : '  ';
    lines.push(`${mark} ${s.fmt(a)}:  ${hexb.padEnd(30)} ${d.text}${tgt}${src ? `    ; ${src.site}` : ''}`);
    data.push({ addr: hexAddr(a), symbol: s.symbols.describe(a) || null, bytes: hexb, text: d.text, source: src?.site ?? null, current: a === c.rip });
    a += d.len;
  }
  return { text: lines.join('\n'), data };
}

export function backtraceView(s: Session, c: Cpu): CommandOutput {
  const frames = s.backtrace(c);
  const lines = frames.map((f, k) => {
    const src = s.symbols.source(k === 0 ? f.pc : f.pc - 1);
    return `#${k}  ${s.fmt(f.pc)}${src ? `  at ${src.site}` : ''}`;
  });
  return { text: lines.join('\n'), data: frames.map((f) => ({ pc: hexAddr(f.pc), symbol: s.symbols.describe(f.pc) || null, frame: h(f.frame) })) };
}

const TLB_KINDS = ['read', 'write', 'fetch'];
export function tlbView(s: Session, c: Cpu, addrExpr: string | undefined, addr: number | undefined): CommandOutput {
  if (addrExpr !== undefined && addr !== undefined) {
    const w = s.walk(addr);
    const lines = [`${hexAddr(addr)}: ${w.pa >= 0 ? `physical 0x${w.pa.toString(16)} (${w.pageSize >= 1 << 30 ? '1G' : w.pageSize >= 1 << 21 ? '2M' : '4K'} page, ${w.writable ? 'writable' : 'read-only'}, ${w.user ? 'user' : 'supervisor'}${w.nx ? ', no-execute' : ''})` : w.error}`];
    for (const st of w.steps) lines.push(`  level ${st.level} entry at 0x${st.entryPa.toString(16)} = 0x${st.entry.toString(16).padStart(16, '0')}`);
    return { text: lines.join('\n'), data: { addr: hexAddr(addr), pa: w.pa >= 0 ? `0x${w.pa.toString(16)}` : null, error: w.error ?? null, steps: w.steps.map((st) => ({ level: st.level, entry: `0x${st.entry.toString(16)}` })) } };
  }
  const n = c.tlbTag.length / 6;
  const rows: { priv: string; kind: string; la: string; pa: string }[] = [];
  for (let b = 0; b < 6; b++) {
    for (let i = 0; i < n; i++) {
      const tag = c.tlbTag[b * n + i];
      if (Number.isNaN(tag)) continue;
      rows.push({ priv: b < 3 ? 'supervisor' : 'user', kind: TLB_KINDS[b % 3], la: hexAddr(tag * 4096), pa: `0x${c.tlbPa[b * n + i].toString(16)}` });
    }
  }
  const lines = [`vCPU ${c.id} software TLB: ${rows.length} valid entries (of ${c.tlbTag.length})`, ...rows.map((r) => `  ${r.priv.padEnd(10)} ${r.kind.padEnd(5)} ${r.la.padEnd(20)} -> ${r.pa}`)];
  return { text: lines.join('\n'), data: { vcpu: c.id, entries: rows } };
}

export function apicView(s: Session, c: Cpu): CommandOutput {
  const a = s.m.apics[c.id];
  return { text: a.describe(), data: { id: a.id, pending: a.pendingVector(), text: a.describe() } };
}

export function blocksView(s: Session): CommandOutput {
  return { text: `decode cache: ${s.m.cache.size} blocks, generation ${s.m.cache.generation}`, data: { blocks: s.m.cache.size, generation: s.m.cache.generation } };
}

export function readStructBytes(s: Session, c: Cpu, addr: number, size: number): Uint8Array {
  return readLinear(c, addr, size);
}

export { tryReadLinear };
