// Register operands: one frozen object per iced `Register`, named as Intel
// syntax names them (rax, r8d, r8b, xmm31, k1, tmm0, st0, cr3, fs ...).
// EVEX decorations: `zmm0.k(k1)` gives {k1}, `.z` adds {z}.
import { Register } from 'iced-x86';

export type RegClass =
  | 'gpr8' | 'gpr16' | 'gpr32' | 'gpr64' | 'ip' | 'seg' | 'cr' | 'dr' | 'tr'
  | 'st' | 'mm' | 'xmm' | 'ymm' | 'zmm' | 'k' | 'tmm' | 'bnd';

const SIZES: Record<RegClass, number> = {
  gpr8: 1, gpr16: 2, gpr32: 4, gpr64: 8, ip: 8, seg: 2, cr: 8, dr: 8, tr: 4,
  st: 10, mm: 8, xmm: 16, ymm: 32, zmm: 64, k: 8, tmm: 1024, bnd: 16,
};

export class Reg {
  readonly kind = 'reg' as const;
  constructor(
    readonly reg: Register,
    readonly name: string,
    readonly cls: RegClass,
    readonly mask: Register = Register.None,
    readonly zeroing = false,
  ) {}
  get size(): number { return SIZES[this.cls]; }
  /** EVEX op-mask decoration `{k}` (k1..k7). */
  k(mask: Reg): Reg {
    if (mask.cls !== 'k' || mask.reg === Register.K0) throw new Error(`${this.name}: op mask must be k1..k7, got ${mask.name}`);
    return new Reg(this.reg, this.name, this.cls, mask.reg, this.zeroing);
  }
  /** EVEX zeroing-masking decoration `{z}`. */
  get z(): Reg { return new Reg(this.reg, this.name, this.cls, this.mask, true); }
  toString(): string {
    let s = this.name;
    if (this.mask !== Register.None) s += `{${Register[this.mask].toLowerCase()}}`;
    if (this.zeroing) s += '{z}';
    return s;
  }
}

function classify(n: string): RegClass | undefined {
  if (/^([ABCD][LH]|SPL|BPL|SIL|DIL|R\d+L)$/.test(n)) return 'gpr8';
  if (/^([ABCD]X|SP|BP|SI|DI|R\d+W)$/.test(n)) return 'gpr16';
  if (/^(E[ABCD]X|ESP|EBP|ESI|EDI|R\d+D)$/.test(n)) return 'gpr32';
  if (/^(R[ABCD]X|RSP|RBP|RSI|RDI|R\d+)$/.test(n)) return 'gpr64';
  if (n === 'RIP' || n === 'EIP') return 'ip';
  if (/^[ECSDFG]S$/.test(n)) return 'seg';
  const m = /^(CR|DR|TR|ST|MM|XMM|YMM|ZMM|K|TMM|BND)\d+$/.exec(n);
  return m ? (m[1].toLowerCase() as RegClass) : undefined;
}

/** Intel name (lower case) of an iced register: R8L is spelled r8b. */
function intelName(n: string): string {
  return /^R\d+L$/.test(n) ? n.slice(0, -1).toLowerCase() + 'b' : n.toLowerCase();
}

const byName = new Map<string, Reg>();
const byRegister = new Map<Register, Reg>();
for (const [key, value] of Object.entries(Register)) {
  if (typeof value !== 'number') continue;
  const cls = classify(key);
  if (!cls) continue;
  const r = new Reg(value, intelName(key), cls);
  byName.set(r.name, r);
  byRegister.set(value, r);
}
byName.set('r8l', byName.get('r8b')!);

/** Looks a register up by its Intel name (`'rax'`, `'xmm17'`, `'st(1)'`); undefined if unknown. */
export function regByName(name: string): Reg | undefined {
  const st = /^st\((\d)\)$/.exec(name.toLowerCase());
  return byName.get(st ? `st${st[1]}` : name.toLowerCase());
}

/** The operand object for an iced `Register` value. */
export function regOf(r: Register): Reg {
  const x = byRegister.get(r);
  if (!x) throw new Error(`no operand for iced register ${Register[r] ?? r}`);
  return x;
}

const get = (n: string): Reg => byName.get(n)!;
const seq = (prefix: string, n: number, suffix = ''): Reg[] => Array.from({ length: n }, (_, i) => get(`${prefix}${i}${suffix}`));
const names = (s: string): Reg[] => s.split(' ').map(get);

export const [rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi] = names('rax rcx rdx rbx rsp rbp rsi rdi');
export const [r8, r9, r10, r11, r12, r13, r14, r15] = names('r8 r9 r10 r11 r12 r13 r14 r15');
export const [eax, ecx, edx, ebx, esp, ebp, esi, edi] = names('eax ecx edx ebx esp ebp esi edi');
export const [r8d, r9d, r10d, r11d, r12d, r13d, r14d, r15d] = names('r8d r9d r10d r11d r12d r13d r14d r15d');
export const [ax, cx, dx, bx, sp, bp, si, di] = names('ax cx dx bx sp bp si di');
export const [r8w, r9w, r10w, r11w, r12w, r13w, r14w, r15w] = names('r8w r9w r10w r11w r12w r13w r14w r15w');
export const [al, cl, dl, bl, ah, ch, dh, bh, spl, bpl, sil, dil] = names('al cl dl bl ah ch dh bh spl bpl sil dil');
export const [r8b, r9b, r10b, r11b, r12b, r13b, r14b, r15b] = names('r8b r9b r10b r11b r12b r13b r14b r15b');
export const rip = get('rip');
export const [es, cs, ss, ds, fs, gs] = names('es cs ss ds fs gs');
export const [cr0, cr1, cr2, cr3, cr4, cr5, cr6, cr7, cr8] = seq('cr', 9);
export const [dr0, dr1, dr2, dr3, dr4, dr5, dr6, dr7] = seq('dr', 8);
export const [st0, st1, st2, st3, st4, st5, st6, st7] = seq('st', 8);
export const [mm0, mm1, mm2, mm3, mm4, mm5, mm6, mm7] = seq('mm', 8);
export const [k0, k1, k2, k3, k4, k5, k6, k7] = seq('k', 8);
export const [tmm0, tmm1, tmm2, tmm3, tmm4, tmm5, tmm6, tmm7] = seq('tmm', 8);
export const [bnd0, bnd1, bnd2, bnd3] = seq('bnd', 4);
export const [
  xmm0, xmm1, xmm2, xmm3, xmm4, xmm5, xmm6, xmm7, xmm8, xmm9, xmm10, xmm11, xmm12, xmm13, xmm14, xmm15,
  xmm16, xmm17, xmm18, xmm19, xmm20, xmm21, xmm22, xmm23, xmm24, xmm25, xmm26, xmm27, xmm28, xmm29, xmm30, xmm31,
] = seq('xmm', 32);
export const [
  ymm0, ymm1, ymm2, ymm3, ymm4, ymm5, ymm6, ymm7, ymm8, ymm9, ymm10, ymm11, ymm12, ymm13, ymm14, ymm15,
  ymm16, ymm17, ymm18, ymm19, ymm20, ymm21, ymm22, ymm23, ymm24, ymm25, ymm26, ymm27, ymm28, ymm29, ymm30, ymm31,
] = seq('ymm', 32);
export const [
  zmm0, zmm1, zmm2, zmm3, zmm4, zmm5, zmm6, zmm7, zmm8, zmm9, zmm10, zmm11, zmm12, zmm13, zmm14, zmm15,
  zmm16, zmm17, zmm18, zmm19, zmm20, zmm21, zmm22, zmm23, zmm24, zmm25, zmm26, zmm27, zmm28, zmm29, zmm30, zmm31,
] = seq('zmm', 32);

/** x87 stack register `st(i)`. */
export function st(i: number): Reg {
  if (!Number.isInteger(i) || i < 0 || i > 7) throw new Error(`st(${i}): index must be 0..7`);
  return get(`st${i}`);
}
