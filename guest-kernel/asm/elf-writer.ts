// ELF64 ET_EXEC writer for a linked image: one PT_LOAD per non-empty section
// (p_offset congruent to p_vaddr modulo the page size), section headers for
// the sections plus .symtab/.strtab/.shstrtab, locals before globals.
import * as E from './elf-consts.ts';
import type { LinkResult } from './items.ts';

class StrTab {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private size = 1;
  private readonly seen = new Map<string, number>();
  add(s: string): number {
    if (s === '') return 0;
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    const b = new TextEncoder().encode(s + '\0');
    const off = this.size;
    this.parts.push(b);
    this.size += b.length;
    this.seen.set(s, off);
    return off;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export interface ElfWriteOptions {
  /** add a PT_GNU_STACK header asking for a non-executable stack (default true) */
  gnuStack?: boolean;
}

export function writeElf(img: LinkResult, opts: ElfWriteOptions = {}): Uint8Array {
  const secs = img.sections.filter((s) => s.memSize > 0);
  const gnuStack = opts.gnuStack ?? true;
  const phnum = secs.length + (gnuStack ? 1 : 0);

  // file layout
  let cur = E.EHDR_SIZE + phnum * E.PHDR_SIZE;
  const fileOff = secs.map((s) => {
    const want = Number(s.addr % BigInt(E.PAGE));
    const off = cur + ((want - (cur % E.PAGE) + E.PAGE) % E.PAGE);
    if (!s.nobits) cur = off + s.bytes.length;
    return off;
  });

  // symbols: locals first (gABI), then globals
  const strtab = new StrTab();
  const secIndex = new Map(secs.map((s, i) => [s.name, i + 1]));
  const ordered = [...img.symbols.filter((s) => s.binding === 'local'), ...img.symbols.filter((s) => s.binding === 'global')];
  const symtab = new Uint8Array((ordered.length + 1) * E.SYM_SIZE);
  const sv = new DataView(symtab.buffer);
  ordered.forEach((s, i) => {
    const o = (i + 1) * E.SYM_SIZE;
    sv.setUint32(o, strtab.add(s.name), true);
    const bind = s.binding === 'global' ? E.STB_GLOBAL : E.STB_LOCAL;
    sv.setUint8(o + 4, (bind << 4) | (s.kind === 'func' ? E.STT_FUNC : E.STT_OBJECT));
    sv.setUint8(o + 5, 0);
    sv.setUint16(o + 6, secIndex.get(s.section) ?? E.SHN_UNDEF, true);
    sv.setBigUint64(o + 8, s.addr, true);
    sv.setBigUint64(o + 16, BigInt(s.size), true);
  });
  const firstGlobal = 1 + ordered.filter((s) => s.binding === 'local').length;
  const strBytes = strtab.bytes();

  const shstr = new StrTab();
  const names = secs.map((s) => shstr.add(`.${s.name}`));
  const nSymtab = shstr.add('.symtab');
  const nStrtab = shstr.add('.strtab');
  const nShstrtab = shstr.add('.shstrtab');
  const shstrBytes = shstr.bytes();

  const symOff = alignUp(cur, 8);
  const strOff = symOff + symtab.length;
  const shstrOff = strOff + strBytes.length;
  const shOff = alignUp(shstrOff + shstrBytes.length, 8);
  const shnum = secs.length + 4;
  const total = shOff + shnum * E.SHDR_SIZE;

  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  // ELF header
  out.set([0x7f, 0x45, 0x4c, 0x46, E.ELFCLASS64, E.ELFDATA2LSB, E.EV_CURRENT, E.ELFOSABI_SYSV], 0);
  v.setUint16(16, E.ET_EXEC, true);
  v.setUint16(18, E.EM_X86_64, true);
  v.setUint32(20, E.EV_CURRENT, true);
  v.setBigUint64(24, img.entry, true);
  v.setBigUint64(32, BigInt(E.EHDR_SIZE), true);
  v.setBigUint64(40, BigInt(shOff), true);
  v.setUint32(48, 0, true);
  v.setUint16(52, E.EHDR_SIZE, true);
  v.setUint16(54, E.PHDR_SIZE, true);
  v.setUint16(56, phnum, true);
  v.setUint16(58, E.SHDR_SIZE, true);
  v.setUint16(60, shnum, true);
  v.setUint16(62, shnum - 1, true);

  // program headers
  secs.forEach((s, i) => {
    const o = E.EHDR_SIZE + i * E.PHDR_SIZE;
    v.setUint32(o, E.PT_LOAD, true);
    v.setUint32(o + 4, E.pflagsOf(s.flags), true);
    v.setBigUint64(o + 8, BigInt(fileOff[i]), true);
    v.setBigUint64(o + 16, s.addr, true);
    v.setBigUint64(o + 24, s.addr, true);
    v.setBigUint64(o + 32, BigInt(s.nobits ? 0 : s.bytes.length), true);
    v.setBigUint64(o + 40, BigInt(s.memSize), true);
    v.setBigUint64(o + 48, BigInt(E.PAGE), true);
    if (!s.nobits) out.set(s.bytes, fileOff[i]);
  });
  if (gnuStack) {
    const o = E.EHDR_SIZE + secs.length * E.PHDR_SIZE;
    v.setUint32(o, E.PT_GNU_STACK, true);
    v.setUint32(o + 4, E.PF_R | E.PF_W, true);
    v.setBigUint64(o + 48, 16n, true);
  }

  out.set(symtab, symOff);
  out.set(strBytes, strOff);
  out.set(shstrBytes, shstrOff);

  // section headers: [0] null, sections, .symtab, .strtab, .shstrtab
  const sh = (i: number, name: number, type: number, flags: number, addr: bigint, off: number, size: number, link: number, info: number, align: number, entsize: number): void => {
    const o = shOff + i * E.SHDR_SIZE;
    v.setUint32(o, name, true);
    v.setUint32(o + 4, type, true);
    v.setBigUint64(o + 8, BigInt(flags), true);
    v.setBigUint64(o + 16, addr, true);
    v.setBigUint64(o + 24, BigInt(off), true);
    v.setBigUint64(o + 32, BigInt(size), true);
    v.setUint32(o + 40, link, true);
    v.setUint32(o + 44, info, true);
    v.setBigUint64(o + 48, BigInt(align), true);
    v.setBigUint64(o + 56, BigInt(entsize), true);
  };
  secs.forEach((s, i) => {
    const flags = E.SHF_ALLOC | (s.flags[1] === 'w' ? E.SHF_WRITE : 0) | (s.flags[2] === 'x' ? E.SHF_EXECINSTR : 0);
    sh(i + 1, names[i], s.nobits ? E.SHT_NOBITS : E.SHT_PROGBITS, flags, s.addr, fileOff[i], s.memSize, 0, 0, 16, 0);
  });
  const iSym = secs.length + 1;
  sh(iSym, nSymtab, E.SHT_SYMTAB, 0, 0n, symOff, symtab.length, iSym + 1, firstGlobal, 8, E.SYM_SIZE);
  sh(iSym + 1, nStrtab, E.SHT_STRTAB, 0, 0n, strOff, strBytes.length, 0, 0, 1, 0);
  sh(iSym + 2, nShstrtab, E.SHT_STRTAB, 0, 0n, shstrOff, shstrBytes.length, 0, 0, 1, 0);
  return out;
}
