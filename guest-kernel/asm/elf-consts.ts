// ELF64 constants (System V ABI, gABI 4.1 and the x86-64 psABI).
export const EHDR_SIZE = 64;
export const PHDR_SIZE = 56;
export const SHDR_SIZE = 64;
export const SYM_SIZE = 24;

export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const EV_CURRENT = 1;
export const ELFOSABI_SYSV = 0;
export const ET_EXEC = 2;
export const EM_X86_64 = 62;

export const PT_LOAD = 1;
export const PT_GNU_STACK = 0x6474e551;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;
export const SHF_WRITE = 1;
export const SHF_ALLOC = 2;
export const SHF_EXECINSTR = 4;
export const SHN_UNDEF = 0;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;

export const PAGE = 0x1000;

/** 'r-x' style permissions of ELF p_flags. */
export function permString(pflags: number): string {
  return `${pflags & PF_R ? 'r' : '-'}${pflags & PF_W ? 'w' : '-'}${pflags & PF_X ? 'x' : '-'}`;
}

export function pflagsOf(perm: string): number {
  return (perm[0] === 'r' ? PF_R : 0) | (perm[1] === 'w' ? PF_W : 0) | (perm[2] === 'x' ? PF_X : 0);
}
