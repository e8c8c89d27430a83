// Method names for every iced mnemonic (`a.vfmadd231ps(...)`, `a.xsaves64(...)`),
// plus the condition-code aliases Intel lists (jz = je, setnae = setb, ...).
import type { Mnemonic } from 'iced-x86';
import type { Operand } from './operands.ts';

/** Condition codes as iced names them, and the aliases the SDM also accepts. */
export const CC_ALIASES: Record<string, string> = {
  z: 'e', nz: 'ne', c: 'b', nc: 'ae', nae: 'b', nb: 'ae', na: 'be', nbe: 'a',
  pe: 'p', po: 'np', nge: 'l', nl: 'ge', ng: 'le', nle: 'g',
};
export const CC_CANONICAL = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'] as const;
export type CcCanonical = (typeof CC_CANONICAL)[number];
export type CcAlias = 'z' | 'nz' | 'c' | 'nc' | 'nae' | 'nb' | 'na' | 'nbe' | 'pe' | 'po' | 'nge' | 'nl' | 'ng' | 'nle';
export type Cc = CcCanonical | CcAlias;

/** Canonical condition code for a name or alias; undefined if it is neither. */
export function canonicalCc(cc: string): CcCanonical | undefined {
  const c = cc.toLowerCase();
  const k = (CC_ALIASES[c] ?? c) as CcCanonical;
  return (CC_CANONICAL as readonly string[]).includes(k) ? k : undefined;
}

/** Alias mnemonic (jz, setnae, cmovnz, loopz, ...) to the iced mnemonic name; others unchanged. */
export function canonicalMnemonic(name: string): string {
  const n = name.toLowerCase();
  if (n === 'loopz') return 'loope';
  if (n === 'loopnz') return 'loopne';
  const m = /^(j|set|cmov)([a-z]+)$/.exec(n);
  if (m && CC_ALIASES[m[2]] && !['jmp'].includes(n)) return m[1] + CC_ALIASES[m[2]];
  return n;
}

export const ALIAS_METHODS: string[] = [
  ...Object.keys(CC_ALIASES).flatMap((a) => [`j${a}`, `set${a}`, `cmov${a}`]),
  'loopz', 'loopnz',
];

/** Names a builder method may not take from the mnemonic table (data directives are the builder's own). */
export type ReservedMnemonic = 'invalid' | 'db' | 'dw' | 'dd' | 'dq';

type Method<R> = (...ops: Operand[]) => R;
export type MnemonicMethods<R> = {
  [K in Exclude<Lowercase<keyof typeof Mnemonic>, ReservedMnemonic>]: Method<R>;
} & {
  [K in `j${CcAlias}` | `set${CcAlias}` | `cmov${CcAlias}` | 'loopz' | 'loopnz']: Method<R>;
};
