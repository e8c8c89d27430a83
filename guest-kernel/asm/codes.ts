// A table of every iced `Code` valid in 64-bit mode, built once from iced's
// OpCodeInfo: operand kinds, memory sizes and EVEX capabilities, grouped by
// mnemonic so that `Asm` can pick a Code from the operands it is given.
import { Code, CodeExt, Mnemonic, MemorySizeExt, OpCodeOperandKind as K, EncodingKind, MemorySize } from 'iced-x86';

export interface CodeDesc {
  code: Code;
  name: string;
  mnemonic: Mnemonic;
  /** operand kinds, implicit string operands (es:[rdi], ds:[rsi] ...) removed */
  ops: K[];
  /** true if the instruction has implicit string-memory operands */
  implicitMem: boolean;
  /** bytes of the memory operand (0 = unknown/any) */
  memSize: number;
  /** bytes of one broadcast element (0 = cannot broadcast) */
  bcstSize: number;
  canMask: boolean;
  canZero: boolean;
  canRc: boolean;
  canSae: boolean;
  operandSize: number;
  encoding: EncodingKind;
  /** lower is preferred on a tie: 0 normal, 1 needs a special decoder option */
  prio: number;
  instructionString: string;
}

export const IMPLICIT_KINDS = new Set<K>([K.seg_rSI, K.es_rDI, K.seg_rDI, K.seg_rBX_al]);
/** Kinds that never take an operand from the user in 64-bit code. */
const UNUSABLE_KINDS = new Set<K>([K.br16_1, K.br16_2, K.br32_1, K.br32_4, K.brdisp_2, K.brdisp_4, K.farbr2_2, K.farbr4_2]);
/** Decoder option bit for Knights Corner (MVEX, KNC VEX): never auto-selected. */
const KNC_OPTION = 0x1000000;

let table: Map<Mnemonic, CodeDesc[]> | undefined;
const byCode = new Map<Code, CodeDesc>();

function describe(code: Code): CodeDesc {
  const oc = CodeExt.opCode(code);
  try {
    const all: K[] = [];
    for (let i = 0; i < oc.opCount; i++) all.push(oc.opKind(i));
    const ms = oc.memorySize;
    return {
      code,
      name: Code[code],
      mnemonic: oc.mnemonic,
      ops: all.filter((k) => !IMPLICIT_KINDS.has(k)),
      implicitMem: all.some((k) => IMPLICIT_KINDS.has(k)),
      memSize: ms === MemorySize.Unknown ? 0 : MemorySizeExt.size(ms),
      bcstSize: oc.canBroadcast ? MemorySizeExt.size(oc.broadcastMemorySize) : 0,
      canMask: oc.canUseOpMaskRegister,
      canZero: oc.canUseZeroingMasking,
      canRc: oc.canUseRoundingControl,
      canSae: oc.canSuppressAllExceptions,
      operandSize: oc.operandSize,
      encoding: oc.encoding,
      prio: oc.decoderOption ? 1 : 0,
      instructionString: oc.instructionString,
    };
  } finally {
    oc.free();
  }
}

/** Description of one Code (any Code, including ones not valid in 64-bit mode). */
export function codeDesc(code: Code): CodeDesc {
  let d = byCode.get(code);
  if (!d) { d = describe(code); byCode.set(code, d); }
  return d;
}

/** Codes of a mnemonic that can be assembled from operands in 64-bit mode. */
export function codesOf(mn: Mnemonic): CodeDesc[] {
  if (!table) {
    table = new Map();
    for (const v of Object.values(Code)) {
      if (typeof v !== 'number') continue;
      const oc = CodeExt.opCode(v);
      const ok = oc.isInstruction && oc.mode64 && (oc.decoderOption & KNC_OPTION) === 0 && oc.encoding !== EncodingKind.MVEX;
      oc.free();
      if (!ok) continue;
      const d = codeDesc(v);
      if (d.ops.some((k) => UNUSABLE_KINDS.has(k))) continue;
      let list = table.get(d.mnemonic);
      if (!list) table.set(d.mnemonic, (list = []));
      list.push(d);
    }
  }
  return table.get(mn) ?? [];
}

const MNEMONIC_BY_NAME = new Map<string, Mnemonic>();
for (const [k, v] of Object.entries(Mnemonic)) if (typeof v === 'number') MNEMONIC_BY_NAME.set(k.toLowerCase(), v);

export function mnemonicByName(name: string): Mnemonic | undefined {
  return MNEMONIC_BY_NAME.get(name.toLowerCase());
}

export function mnemonicName(mn: Mnemonic): string {
  return (Mnemonic[mn] ?? String(mn)).toLowerCase();
}
