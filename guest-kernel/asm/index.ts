// Public entry point of the TypeScript-hosted assembler.
export { Asm, type AsmOptions, type LabelOptions, type DbValue, type StructValue } from './asm.ts';
export * from './registers.ts';
export { mem, ref, Label, LabelRef, Mem, Decorator, rn_sae, rd_sae, ru_sae, rz_sae, sae, type Operand, type LabelLike, type MemOpts, type Disp, type Imm } from './operands.ts';
export { defineStruct, type Struct, type AnyStruct, type FieldSpec, type FieldInfo, type ScalarType } from './struct.ts';
export { AsmError } from './site.ts';
export type { LinkResult, LinkedSection, SymbolInfo, SourceMapEntry, SectionOptions, SectionFlags } from './items.ts';
export type { Cc } from './mnemonics.ts';
export { Code } from 'iced-x86';
export { writeElf, type ElfWriteOptions } from './elf-writer.ts';
export { readElf, ElfError, type ElfImage, type ElfSegment, type ElfSymbol, type ElfSection } from './elf-reader.ts';
