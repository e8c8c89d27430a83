// A small, strict ELF64 reader for static x86-64 executables: the PT_LOAD
// segments, the entry point and the symbol table. Anything it cannot trust
// raises an ElfError saying what is wrong.
import * as E from './elf-consts.ts';

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

export interface ElfSegment {
  /** 'r-x' style permissions from p_flags */
  perms: string;
  flags: number;
  offset: number;
  vaddr: bigint;
  filesz: number;
  memsz: number;
  align: bigint;
  /** the p_filesz bytes of the file image (the rest up to memsz is zero) */
  data: Uint8Array;
}

export interface ElfSection { name: string; type: number; flags: number; addr: bigint; offset: number; size: number }

export interface ElfSymbol {
  name: string;
  value: bigint;
  size: number;
  type: 'notype' | 'object' | 'func' | 'section' | 'file' | 'other';
  bind: 'local' | 'global' | 'weak' | 'other';
  /** section index; the section's name when it has one */
  shndx: number;
  section?: string;
}

export interface ElfImage {
  entry: bigint;
  segments: ElfSegment[];
  sections: ElfSection[];
  symbols: ElfSymbol[];
}

const TYPE_NAMES: Record<number, string> = { 0: 'ET_NONE', 1: 'ET_REL', 2: 'ET_EXEC', 3: 'ET_DYN', 4: 'ET_CORE' };

function num(v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`${what} 0x${v.toString(16)} is too large`);
  return Number(v);
}

function within(len: number, off: number, size: number, what: string): void {
  if (off < 0 || size < 0 || off + size > len) {
    throw new ElfError(`truncated ${what}: needs bytes [0x${off.toString(16)}, 0x${(off + size).toString(16)}) but the file has ${len} bytes`);
  }
}

function cstr(bytes: Uint8Array, off: number, what: string): string {
  if (off >= bytes.length) throw new ElfError(`${what}: string offset ${off} is outside its string table`);
  let end = off;
  while (end < bytes.length && bytes[end] !== 0) end++;
  if (end === bytes.length) throw new ElfError(`${what}: string at offset ${off} is not NUL-terminated`);
  return new TextDecoder().decode(bytes.subarray(off, end));
}

export function readElf(bytes: Uint8Array): ElfImage {
  const len = bytes.length;
  if (len < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError('not an ELF file (bad magic; expected 7f 45 4c 46)');
  }
  if (len < E.EHDR_SIZE) throw new ElfError(`truncated ELF header: ${len} bytes, need ${E.EHDR_SIZE}`);
  if (bytes[4] !== E.ELFCLASS64) throw new ElfError(`not ELF64 (EI_CLASS=${bytes[4]}${bytes[4] === 1 ? ', ELF32' : ''})`);
  if (bytes[5] !== E.ELFDATA2LSB) throw new ElfError(`not little-endian (EI_DATA=${bytes[5]})`);
  if (bytes[6] !== E.EV_CURRENT) throw new ElfError(`unsupported ELF version ${bytes[6]}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = v.getUint16(16, true);
  const machine = v.getUint16(18, true);
  if (machine !== E.EM_X86_64) throw new ElfError(`not x86-64 (e_machine=${machine})`);
  if (type !== E.ET_EXEC) throw new ElfError(`not ET_EXEC: e_type=${type} (${TYPE_NAMES[type] ?? 'unknown'}); only static executables are loaded`);
  const entry = v.getBigUint64(24, true);
  const phoff = num(v.getBigUint64(32, true), 'e_phoff');
  const shoff = num(v.getBigUint64(40, true), 'e_shoff');
  const phentsize = v.getUint16(54, true);
  const phnum = v.getUint16(56, true);
  const shentsize = v.getUint16(58, true);
  const shnum = v.getUint16(60, true);
  const shstrndx = v.getUint16(62, true);

  const segments: ElfSegment[] = [];
  if (phnum > 0) {
    if (phentsize !== E.PHDR_SIZE) throw new ElfError(`e_phentsize is ${phentsize}, expected ${E.PHDR_SIZE}`);
    within(len, phoff, phnum * E.PHDR_SIZE, 'program header table');
  }
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * E.PHDR_SIZE;
    if (v.getUint32(o, true) !== E.PT_LOAD) continue;
    const flags = v.getUint32(o + 4, true);
    const offset = num(v.getBigUint64(o + 8, true), `segment ${i} p_offset`);
    const vaddr = v.getBigUint64(o + 16, true);
    const filesz = num(v.getBigUint64(o + 32, true), `segment ${i} p_filesz`);
    const memsz = num(v.getBigUint64(o + 40, true), `segment ${i} p_memsz`);
    const align = v.getBigUint64(o + 48, true);
    if (filesz > memsz) throw new ElfError(`segment ${i}: p_filesz ${filesz} exceeds p_memsz ${memsz}`);
    if (align > 1n && (vaddr - BigInt(offset)) % align !== 0n) throw new ElfError(`segment ${i}: p_vaddr and p_offset are not congruent modulo p_align`);
    if (filesz > 0) within(len, offset, filesz, `segment ${i} data`);
    segments.push({ perms: E.permString(flags), flags, offset, vaddr, filesz, memsz, align, data: bytes.slice(offset, offset + filesz) });
  }

  const sections: ElfSection[] = [];
  const symbols: ElfSymbol[] = [];
  if (shoff !== 0 && shnum > 0) {
    if (shentsize !== E.SHDR_SIZE) throw new ElfError(`e_shentsize is ${shentsize}, expected ${E.SHDR_SIZE}`);
    within(len, shoff, shnum * E.SHDR_SIZE, 'section header table');
    const raw = Array.from({ length: shnum }, (_, i) => {
      const o = shoff + i * E.SHDR_SIZE;
      return {
        name: v.getUint32(o, true), type: v.getUint32(o + 4, true), flags: num(v.getBigUint64(o + 8, true), 'sh_flags'),
        addr: v.getBigUint64(o + 16, true), offset: num(v.getBigUint64(o + 24, true), `section ${i} sh_offset`),
        size: num(v.getBigUint64(o + 32, true), `section ${i} sh_size`), link: v.getUint32(o + 40, true),
      };
    });
    const body = (i: number, what: string): Uint8Array => {
      const s = raw[i];
      if (!s) throw new ElfError(`${what}: section index ${i} out of range`);
      if (s.type === E.SHT_NOBITS) return new Uint8Array(0);
      within(len, s.offset, s.size, what);
      return bytes.subarray(s.offset, s.offset + s.size);
    };
    const shstr = shstrndx !== 0 ? body(shstrndx, 'section name table') : undefined;
    raw.forEach((s, i) => sections.push({
      name: shstr && s.name ? cstr(shstr, s.name, `section ${i} name`) : '', type: s.type, flags: s.flags, addr: s.addr, offset: s.offset, size: s.size,
    }));
    const symIdx = raw.findIndex((s) => s.type === E.SHT_SYMTAB);
    if (symIdx >= 0) {
      const tab = body(symIdx, 'symbol table');
      const str = body(raw[symIdx].link, 'symbol string table');
      const sv = new DataView(tab.buffer, tab.byteOffset, tab.byteLength);
      for (let o = E.SYM_SIZE; o + E.SYM_SIZE <= tab.length; o += E.SYM_SIZE) {
        const info = sv.getUint8(o + 4);
        const shndx = sv.getUint16(o + 6, true);
        const t = info & 0xf, b = info >> 4;
        symbols.push({
          name: cstr(str, sv.getUint32(o, true), 'symbol name'),
          value: sv.getBigUint64(o + 8, true),
          size: num(sv.getBigUint64(o + 16, true), 'st_size'),
          type: t === E.STT_NOTYPE ? 'notype' : t === E.STT_OBJECT ? 'object' : t === E.STT_FUNC ? 'func' : t === E.STT_SECTION ? 'section' : t === E.STT_FILE ? 'file' : 'other',
          bind: b === E.STB_LOCAL ? 'local' : b === E.STB_GLOBAL ? 'global' : b === E.STB_WEAK ? 'weak' : 'other',
          shndx,
          section: sections[shndx]?.name || undefined,
        });
      }
    }
  }
  return { entry, segments, sections, symbols };
}
