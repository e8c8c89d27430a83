/** `x86emu disasm IMAGE [SYMBOL]`: disassembly with symbols, by iced-x86's formatter. */
import { readFileSync, existsSync } from 'node:fs';
import iced from 'iced-x86';
import { readElf, ElfError } from '../../guest-kernel/asm/elf-reader.ts';
import { parseArgs, UsageError } from './args.ts';

const SYNTAX: Record<string, number> = {
  intel: iced.FormatterSyntax.Intel, gas: iced.FormatterSyntax.Gas, nasm: iced.FormatterSyntax.Nasm, masm: iced.FormatterSyntax.Masm,
};

export function disasmCommand(argv: string[]): number {
  const { opts, pos } = parseArgs(argv, { syntax: 'string' });
  if (pos.length < 1 || pos.length > 2) throw new UsageError('disasm needs IMAGE [SYMBOL]');
  const syntax = (opts.syntax as string | undefined) ?? 'intel';
  if (!(syntax in SYNTAX)) throw new UsageError(`--syntax must be one of ${Object.keys(SYNTAX).join(', ')}`);
  if (!existsSync(pos[0])) throw new UsageError(`${pos[0]}: no such file`);
  let elf;
  try { elf = readElf(new Uint8Array(readFileSync(pos[0]))); } catch (e) {
    if (e instanceof ElfError) throw new UsageError(`${pos[0]}: ${e.message}`);
    throw e;
  }
  process.stdout.write(disassemble(elf, pos[1], SYNTAX[syntax]));
  return 0;
}

export function disassemble(elf: ReturnType<typeof readElf>, symbol: string | undefined, syntax: number): string {
  const syms = elf.symbols.filter((s) => s.type === 'func' || s.type === 'notype' || s.type === 'object');
  const byAddr = new Map<bigint, string[]>();
  for (const s of syms) (byAddr.get(s.value) ?? byAddr.set(s.value, []).get(s.value)!).push(s.name);
  const out: string[] = [];
  const fmt = new iced.Formatter(syntax);
  for (const seg of elf.segments) {
    if (!seg.perms.includes('x')) continue;
    let start = seg.vaddr, end = seg.vaddr + BigInt(seg.filesz);
    if (symbol) {
      const s = syms.find((x) => x.name === symbol);
      if (!s) throw new UsageError(`no symbol '${symbol}'`);
      if (s.value < start || s.value >= end) continue;
      start = s.value;
      end = s.value + BigInt(s.size || 1);
    }
    const off = Number(start - seg.vaddr);
    const bytes = seg.data.subarray(off, Number(end - seg.vaddr));
    const dec = new iced.Decoder(64, bytes, iced.DecoderOptions.None);
    dec.ip = start;
    const ins = new iced.Instruction();
    while (dec.canDecode) {
      dec.decodeOut(ins);
      const names = byAddr.get(ins.ip);
      if (names) out.push(`\n${names.map((n) => `${n}:`).join('\n')}`);
      const at = Number(ins.ip - seg.vaddr);
      const hexb = Buffer.from(seg.data.subarray(at, at + ins.length)).toString('hex');
      out.push(`  ${ins.ip.toString(16).padStart(16, '0')}  ${hexb.padEnd(24)} ${fmt.format(ins)}`);
    }
    ins.free(); dec.free();
  }
  fmt.free();
  return out.join('\n') + '\n';
}
