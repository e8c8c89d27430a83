/**
 * Systematic sweep of the legacy-encoded instructions the emulator implements
 * (integer, x87, MMX, SSE..SSE4.2, AES/SHA/PCLMUL/CRC32/GFNI): for every iced Code
 * registered in emulator/insns (definedCodes()) whose encoding is legacy, a few
 * encodings are built from iced's opcode string (random registers, ModRM forms,
 * immediates), decoded back to check the Code, and given random and edge operands:
 *   - GPR operands: edge values (val); memory operands point into DATA (0x20020000)
 *     through the ModRM base register; implicit memory (stack, strings) into STACK/DATA;
 *   - XMM/MM operands: loaded from IN with MOVDQU/MOVQ, stored to OUT afterwards
 *     (MM cases also FNSTENV: the tag word); SSE cases load a random MXCSR and STMXCSR it;
 *   - x87: FNINIT, FLDCW (exceptions masked), three FLDs, the instruction, FNSTENV and
 *     four FSTP m80 (as x87.ts).
 * Flags the SDM leaves undefined are masked (iced's rflagsUndefined, refined for
 * shifts/SHxD/DIV as int.ts does). Privileged instructions get one case (their CPL3 #GP).
 */
import iced from 'iced-x86';
import { definedCodes, codeName, lookupInsn } from '../../emulator/insns/registry.ts';
import { registerAllInsns } from '../../emulator/insns/index.ts';
import { type Spec, type Gpr, type Line, type Region, ins, raw, R, rnd64, rint, pick, chance, le, absMem, IN, OUT, DATA, STACK, GPRS, val, randBytes, F, mask } from './core.ts';
import { f80, f64, f32 } from './x87.ts';

const { CodeExt, Decoder, DecoderOptions, EncodingKind, FlowControl, InstructionInfoFactory, RegisterExt, MemorySizeExt, OpKind, Register, Mnemonic } = iced as any;

const OWNERS = new Set(['alu', 'stack', 'mov', 'muldiv', 'string', 'xchg', 'system', 'misc', 'convert', 'x87', 'shift', 'hints', 'sse-avx', 'mmx', 'cond', 'bits', 'sha', 'gfni', 'aes', 'bmi']);
/** Not swept: host-specific results (CPUID, TSC, PKRU, FS/GS bases, descriptor tables under UMIP), control flow
 * (the cond/stack families cover it), calls into the kernel, transcendental x87 (implementation-specific), x87
 * environment images (x87/xsave families), POPF (TF/AC), MONITOR/MWAIT. */
const SKIP = /^(Fstcw|Feni|Fdisi|Fclex|Finit|Fsetpm|Fstsw_|Int_|Int1|Int3|Into|Iret|Syscall|Sysenter|Cpuid|Rdtsc|Rdtscp|Rdpmc|Rdpid|Rdrand|Rdseed|Rd[fg]sbase|Wr[fg]sbase|Xgetbv|Sldt|Str_|Sgdt|Sidt|Smsw|Lar_|Lsl_|Verr|Verw|Mov_r\d+m16_Sreg|Mov_Sreg|Push[qw]?_[FG]S|Pop[qw]?_[FG]S|Monitor|Mwait|Rdpkru|Wrpkru|Popf|Pushf|Retf|Serialize|F2xm1|Fyl2x|Fptan|Fpatan|Fyl2xp1|Fsincos|Fsin|Fcos|Fnstenv|Fstenv|Fldenv|Fnsave|Fsave|Frstor|Fxsave|Fxrstor|Ldmxcsr|Stmxcsr|Fldcw|Enter|Cldemote|Prefetchit|Prefetchwt1|Clwb|Clflush|Lfence|Mfence|Sfence|Ud0|Endbr|Xlat|Lahf|Sahf|Pause|Nop|Reservednop|Prefetch|Fnop|Fwait|Wait|Maskmov)/;
// (LAHF/SAHF/NOPs/fences/prefetches: trivially covered elsewhere; kept out to stay under the size budget)

const XMX = [0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x1fc0, 0x9f80, 0x9fc0, 0xff80];
const CWS = [0x037f, 0x027f, 0x007f, 0x077f, 0x0b7f, 0x0f7f, 0x047f, 0x087f, 0x0c7f];

function fpMix(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let o = 0; o < n; o += 8) {
    const k = rint(4);
    if (k === 0) b.set(f64(), o);
    else if (k === 1) { b.set(f32(), o); b.set(f32(), o + 4); }
    else if (k === 2) b.set(le(val(64), 8), o);
    else b.set(randBytes(8), o);
  }
  return b;
}

interface Enc { bytes: number[]; rep?: boolean }
/** Builds one encoding of `code` from its opcode string; null when the string has a token this does not handle. */
function encode(code: number, wantMem: boolean, rep: boolean): Enc | null {
  const oc = CodeExt.opCode(code);
  const toks: string[] = oc.opCodeString.split(' ');
  const pfx: number[] = [];
  const op: number[] = [];
  let rexW = false, rexR = 0, rexX = 0, rexB = 0;
  let modrm: number | null = null, modReg = -1;
  const tail: number[] = [];
  for (const t of toks) {
    if (t === 'NP' || t === 'o32' || t === 'a64') continue;
    if (t === 'o16') { pfx.push(0x66); continue; }
    if (t === 'o64' || t === 'REX.W') { rexW = true; continue; }
    if (t === 'a32') { pfx.push(0x67); continue; }
    if (/^[0-9A-F]{2}$/.test(t)) {
      const v = parseInt(t, 16);
      if (op.length === 0 && [0x66, 0xf2, 0xf3, 0xf0].includes(v) && toks.indexOf(t) < toks.length - 1) { pfx.push(v); continue; }
      op.push(v); continue;
    }
    let m;
    if ((m = /^([0-9A-F]{2})\+i$/.exec(t))) { op.push(parseInt(m[1], 16) + rint(8)); continue; }
    if ((m = /^([0-9A-F]{2})\+r[bwdo]$/.exec(t))) { const r = rint(16); op.push(parseInt(m[1], 16) + (r & 7)); rexB = r >> 3; continue; }
    if (t === '/r') { modReg = rint(16); continue; }
    if ((m = /^\/([0-7])$/.exec(t))) { modReg = Number(m[1]); continue; }
    if (t === 'ib' || t === 'cb') { tail.push(rint(256)); continue; }
    if (t === 'iw' || t === 'cw') { tail.push(...le(val(16), 2)); continue; }
    if (t === 'id' || t === 'cd') { tail.push(...le(val(32), 4)); continue; }
    if (t === 'io') { tail.push(...le(val(64), 8)); continue; }
    if (t === 'mo') { tail.push(...le(BigInt(DATA + 8 * rint(7)), 8)); continue; }
    return null;
  }
  const body: number[] = [...op];
  if (modReg >= 0) {
    rexR = modReg >> 3;
    const reg = modReg & 7;
    if (!wantMem) { const r = rint(16); rexB = r >> 3; modrm = 0xc0 | (reg << 3) | (r & 7); body.push(modrm); }
    else {
      let r = rint(16); while ((r & 7) === 4) r = rint(16);
      rexB = r >> 3;
      const mod = pick([1, 2]);
      body.push((mod << 6) | (reg << 3) | (r & 7));
      if (mod === 1) body.push(rint(256));
      else body.push(...le(BigInt.asUintN(32, BigInt(rint(1 << 24) - (1 << 23))), 4));
    }
  }
  body.push(...tail);
  const needRex = rexW || rexR || rexX || rexB || chance(0.25);
  const rex = needRex ? [0x40 | (rexW ? 8 : 0) | (rexR << 2) | (rexX << 1) | rexB] : [];
  const rp = rep ? [pick([0xf3, 0xf2])] : [];
  // LOCK where the instruction allows it (the register form: #UD), and 32-bit addressing (67h) now and then
  if (oc.canUseLockPrefix && chance(0.3)) rp.push(0xf0);
  if ((wantMem || oc.canUseRepPrefix) && !toks.some((t) => /^a(32|64)$/.test(t) || t === 'mo') && chance(0.15)) rp.push(0x67);
  // the mandatory prefix goes last before REX; a REP prefix before it
  return { bytes: [...rp, ...pfx, ...rex, ...body], rep };
}

let forceMisalign = false;
/** Share of cases with some SSE/x87 exceptions unmasked (#XM / #MF). */
let unmaskP = Number(process.env.SWEEP_UNMASK ?? 0.15);
export function setUnmask(p: number): void { unmaskP = p; }
interface Dec { ins: any; info: any; len: number }
const factory = new InstructionInfoFactory();
function dec(bytes: number[]): Dec | null {
  const d = new Decoder(64, Uint8Array.from(bytes), DecoderOptions.None);
  d.ip = 0x10000000n;
  const i = d.decode();
  const len = i.length;
  d.free();
  if (len !== bytes.length) { i.free(); return null; }
  return { ins: i, info: factory.info(i), len };
}

const MN = (i: any) => String(codeName(i.code));
const isShift = (n: string) => /^(Shl|Sal|Shr|Sar|Rol|Ror|Rcl|Rcr)_/.test(n);
const isShxd = (n: string) => /^(Shld|Shrd)_/.test(n);

function gprIndex(reg: number): number { return RegisterExt.number(RegisterExt.fullRegister(reg)) - RegisterExt.number(Register.RAX); }

/** One case for an encoding; returns null when the encoding is unusable. */
function makeCase(code: number, e: Enc, k: number, group: string): Spec | null {
  const d = dec(e.bytes);
  if (!d) return null;
  const i = d.ins;
  if (i.code !== code) { i.free(); return null; }
  const name = codeName(code);
  const regs: Partial<Record<Gpr, bigint>> = {};
  const fixed = new Set<number>();
  const memory: Region[] = [];
  const notes: string[] = [];
  let dataBytes: Uint8Array | null = null;
  const msz = i.memorySize ? MemorySizeExt.size(i.memorySize) : 0;
  // explicit memory operand: base register -> DATA
  let hasMemOp = false;
  for (let n = 0; n < i.opCount; n++) if (i.opKind(n) === OpKind.Memory) hasMemOp = true;
  const usedMem: any[] = d.info.usedMemory();
  const usedRegs: any[] = d.info.usedRegisters();
  let stack = false;
  const dataSize = Math.max(64, Math.min(512, msz * 2 + 32));
  if (hasMemOp && i.memoryBase !== Register.None && i.memoryBase !== Register.RIP) {
    const b = gprIndex(i.memoryBase);
    let off: number;
    if (forceMisalign) off = 16 * rint(Math.max(1, (dataSize - msz) / 16)) + 1 + rint(15);
    else if (msz >= 16 && chance(0.85)) off = 16 * rint(Math.max(1, (dataSize - msz) / 16 + 1));
    else off = rint(Math.max(1, dataSize - msz + 1));
    if (off + msz > dataSize) off = 0;
    regs[GPRS[b]] = BigInt.asUintN(64, BigInt(DATA + off) - BigInt.asIntN(64, i.memoryDisplacementU64 ?? i.memoryDisplacement));
    fixed.add(b);
    dataBytes = new Uint8Array(dataSize);
  }
  for (const m of usedMem) {
    if (hasMemOp && m.base === i.memoryBase) continue;
    if (m.base === Register.None) continue;
    if (m.base === Register.RIP) continue;
    const b = gprIndex(m.base);
    if (fixed.has(b)) continue;
    if (b === 4 || b === 5) { regs[GPRS[b]] = BigInt(STACK + 0x80); stack = true; }
    else { regs[GPRS[b]] = BigInt(DATA + 0x40); dataBytes ??= new Uint8Array(128); if (dataBytes.length < 128) dataBytes = new Uint8Array(128); }
    fixed.add(b);
  }
  for (const m of usedMem) if (m.index !== Register.None && RegisterExt.isGPR(m.index) && !fixed.has(gprIndex(m.index))) {
    // XLAT (index AL) etc.: keep it small
    const x = gprIndex(m.index); regs[GPRS[x]] = (rnd64() & ~0xffn) | BigInt(rint(32)); fixed.add(x);
  }
  if (i.isStringInstruction && (i.hasRepPrefix || i.hasRepePrefix || i.hasRepnePrefix)) { regs.rcx = BigInt(rint(6)); fixed.add(1); notes.push(`RCX=${regs.rcx}`); }
  if (!fixed.has(4)) { regs.rsp = BigInt(STACK + 0x80); fixed.add(4); }
  // GPR operands: edge values
  for (const u of usedRegs) {
    const r = u.register;
    if (!RegisterExt.isGPR(r)) continue;
    const g = gprIndex(r);
    if (g < 0 || g > 15 || fixed.has(g)) continue;
    regs[GPRS[g]] = chance(0.5) ? val(64) : (rnd64() & ~mask(8)) | val(8);
    fixed.add(g);
  }
  // shift counts in CL: interesting counts
  let count = -1;
  const uses = (reg: number) => usedRegs.some((u: any) => u.register === reg);
  const memRegs = new Set<number>();
  for (const m of usedMem) { if (m.base !== Register.None && RegisterExt.isGPR(m.base)) memRegs.add(gprIndex(m.base)); if (m.index !== Register.None && RegisterExt.isGPR(m.index)) memRegs.add(gprIndex(m.index)); }
  if (hasMemOp && i.memoryBase !== Register.None && RegisterExt.isGPR(i.memoryBase)) memRegs.add(gprIndex(i.memoryBase));
  const clash = (g: number) => memRegs.has(g);
  if (((isShift(name) || isShxd(name)) && uses(Register.CL) && clash(1)) || (/^I?div_/.test(name) && (clash(0) || clash(2))) ||
    (/^Bt[src]?_rm\d+_r\d+$/.test(name) && hasMemOp && clash(gprIndex(i.opRegister(1))))) { i.free(); return null; }
  if ((isShift(name) || isShxd(name)) && uses(Register.CL)) { count = pick([0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, rint(256)]); regs.rcx = (rnd64() & ~0xffn) | BigInt(count); }
  if ((isShift(name) || isShxd(name)) && !uses(Register.CL)) count = /_1$/.test(name) ? 1 : Number(i.immediate8 ?? 0);
  if (/^I?div_/.test(name) && chance(0.6)) {
    // small dividend high half so the quotient often fits
    const hi = name.startsWith('Idiv') ? (chance(0.5) ? 0n : mask(64)) : 0n;
    regs.rdx = hi; if (name.includes('8')) regs.rax = (regs.rax ?? rnd64()) & 0xffffn;
  }
  if (/^Bt[src]?_rm\d+_r\d+$/.test(name) && hasMemOp) {
    const r = gprIndex(i.opRegister(1)); regs[GPRS[r]] = BigInt.asUintN(64, BigInt(rint(512) - 256));
  }
  // vector registers
  const xmms = new Set<number>(), mms = new Set<number>();
  for (const u of usedRegs) {
    if (RegisterExt.isXMM(u.register)) xmms.add(u.register - Register.XMM0);
    if (RegisterExt.isMM(u.register)) mms.add(u.register - Register.MM0);
  }
  const x87 = lookupInsn(code)!.owner === 'x87';
  const sse = xmms.size > 0 || group === 'sse';
  const inb: number[] = [];
  const inBytes = new Uint8Array(0x10 + 16 * (xmms.size + mms.size + 4));
  const pre: Line[] = [], post: Line[] = [];
  let slot = 0, oslot = 0;
  const outSize = () => 0x40 + 16 * oslot;
  let envAt = -1;
  if (sse) {
    const mx = chance(unmaskP) ? 0x1f80 & ~((1 + rint(63)) << 7) | (rint(4) << 13) : pick(XMX); inBytes.set(le(BigInt(mx), 4), 0); pre.push(ins('ldmxcsr', absMem(4, IN)));
    post.push(ins('stmxcsr', absMem(4, OUT)));
    notes.push(`MXCSR=0x${mx.toString(16)}`);
  }
  for (const x of [...xmms].sort((a, b) => a - b)) {
    inBytes.set(fpMix(16), 0x10 + 16 * slot);
    pre.push(ins('movdqu', R(`xmm${x}`), absMem(16, IN + 0x10 + 16 * slot))); slot++;
    post.push(ins('movdqu', absMem(16, OUT + 0x40 + 16 * oslot), R(`xmm${x}`))); oslot++;
  }
  for (const x of [...mms].sort((a, b) => a - b)) {
    inBytes.set(fpMix(8), 0x10 + 16 * slot);
    pre.push(ins('movq', R(`mm${x}`), absMem(8, IN + 0x10 + 16 * slot))); slot++;
    post.push(ins('movq', absMem(8, OUT + 0x40 + 16 * oslot), R(`mm${x}`))); oslot++;
  }
  let undefC = false;
  if (x87) {
    const cw = chance(unmaskP) ? (pick(CWS) & ~(1 + rint(63))) | 0x40 : pick(CWS); inBytes.set(le(BigInt(cw), 2), 4);
    pre.push(ins('fninit'), ins('fldcw', absMem(2, IN + 4)));
    const nld = pick([3, 3, 3, 2, 4, 1]);
    for (let n = 0; n < nld; n++) {
      const t = pick(['t', 't', 'q', 'd']);
      const v = t === 't' ? f80() : t === 'q' ? f64() : f32();
      inBytes.set(v, 0x10 + 16 * slot);
      pre.push(ins('fld', absMem(v.length, IN + 0x10 + 16 * slot))); slot++;
    }
    notes.push(`FCW=0x${cw.toString(16)}, ${nld} values loaded`);
    undefC = !/^(Fcom|Fucom|Ficom|Ftst|Fxam|Fprem|Fnstsw|Fstsw|Fnstcw|Fstcw|Fninit|Finit|Fcomi|Fucomi|Fcomip|Fucomip)/.test(name);
  }
  if (x87 || mms.size) { envAt = 0x10; post.push(ins('fnstenv', absMem(28, OUT + 0x10))); }
  const fstps = x87 ? 4 : 0;
  for (let n = 0; n < fstps; n++) { post.push(ins('fstp', absMem(10, OUT + 0x40 + 16 * oslot))); oslot++; }
  // memory operand data
  if (dataBytes) {
    if (x87 && hasMemOp) {
      const kind = i.memorySize;
      const fill = (): Uint8Array => {
        const n = MemorySizeExt.size(kind);
        const nm = String((iced as any).MemorySize[kind]);
        if (nm === 'Float32') return f32(); if (nm === 'Float64') return f64(); if (nm === 'Float80') return f80();
        if (/^Int/.test(nm)) return le(BigInt.asUintN(n * 8, pick([0n, 1n, -1n, 1n << BigInt(n * 8 - 1), rnd64(), rnd64() >> BigInt(rint(60))])), n);
        return randBytes(n);
      };
      for (let o = 0; o + msz <= dataBytes.length; o += Math.max(msz, 1)) dataBytes.set(fill().slice(0, dataBytes.length - o), o);
      // the operand itself may be unaligned relative to the fill: refill at its offset
      const at = Number(BigInt.asUintN(64, (regs[GPRS[gprIndex(i.memoryBase)]] ?? 0n) + BigInt.asIntN(64, i.memoryDisplacementU64 ?? 0n)) - BigInt(DATA));
      if (at >= 0 && at + msz <= dataBytes.length) dataBytes.set(fill(), at);
    } else if (sse || mms.size) dataBytes.set(fpMix(dataBytes.length));
    else for (let o = 0; o < dataBytes.length; o += 8) dataBytes.set(le(val(64), 8), o);
    memory.push({ addr: DATA, bytes: dataBytes });
  }
  if (stack) memory.push({ addr: STACK, bytes: randBytes(0x100) });
  let used = inBytes.length; while (used > 16 && inBytes[used - 1] === 0) used--;
  if (pre.length) memory.push({ addr: IN, bytes: inBytes.slice(0, (used + 15) & ~15), perm: 'r' });
  if (post.length) memory.push({ addr: OUT, bytes: new Uint8Array(outSize()) });
  void inb;
  // flags
  let flagsUndefExact: bigint | undefined;
  const ignoreRegs: string[] = [];
  let ignoreWhy = '';
  const memMasks: { addr: number; len: number; bits?: number }[] = [];
  const why: string[] = [];
  const opw = i.opCount > 0 && i.opKind(0) === OpKind.Register ? RegisterExt.size(i.opRegister(0)) * 8 : msz * 8;
  if (count >= 0) {
    const masked = count & (opw === 64 ? 63 : 31);
    let u = 0n;
    if (isShift(name)) {
      if (masked !== 0) {
        if (/^(Shl|Sal|Shr|Sar)/.test(name)) u |= F.AF;
        if (masked !== 1) u |= F.OF;
        if (/^(Shl|Sal|Shr)/.test(name) && masked >= opw) u |= F.CF;
      }
    } else {
      u = masked === 0 ? 0n : masked === 1 ? F.AF : F.AF | F.OF;
      if (masked > opw) {
        u = 0x8d5n;
        why.push('SHLD/SHRD count > operand size: destination undefined');
        if (i.opKind(0) === OpKind.Register) { ignoreRegs.push(GPRS[gprIndex(i.opRegister(0))]); ignoreWhy = 'SDM: the result is undefined when the count is greater than the operand size'; }
        else {
          const at = Number(BigInt.asUintN(64, (regs[GPRS[gprIndex(i.memoryBase)]] ?? 0n) + BigInt.asIntN(64, i.memoryDisplacementU64 ?? 0n)) - BigInt(DATA));
          memMasks.push({ addr: DATA + at, len: opw / 8 });
        }
      }
    }
    flagsUndefExact = u;
    notes.push(`count ${count} (masked ${masked})`);
  }
  if (/^I?div_/.test(name)) flagsUndefExact = 0x8d5n;
  if (/^Cmpxchg_rm32_r32$/.test(name) && i.opKind(0) === OpKind.Register) { ignoreRegs.push(GPRS[gprIndex(i.opRegister(0))]); ignoreWhy = 'CMPXCHG r32 with unequal values: the SDM pseudo-code writes the destination back (zeroing bits 63:32), this part leaves it unchanged'; }
  if (envAt >= 0) {
    memMasks.push({ addr: OUT + envAt + 2, len: 2 }, { addr: OUT + envAt + 6, len: 2 }, { addr: OUT + envAt + 10, len: 2 }, { addr: OUT + envAt + 12, len: 16 });
    why.push('FNSTENV reserved bytes and FIP/FCS/FOP/FDP/FDS (this part stores them even with no exception pending)');
    if (undefC) { memMasks.push({ addr: OUT + envAt + 5, len: 1, bits: 0x45 }); why.push('C0 C2 C3 undefined after this instruction'); }
  }
  const rflags = 0x202n | (rnd64() & 0x8d5n) | (i.isStringInstruction && chance(0.3) ? 0x400n : 0n);
  const privileged = CodeExt.opCode(code).isPrivileged;
  const spec: Spec = {
    name: `sweep-legacy/${name}-${String(k).padStart(2, '0')}`,
    note: `sweep of ${name} (${hasMemOp ? 'memory' : 'register'} form${privileged ? ', privileged: CPL3 #GP' : ''})${notes.length ? '; ' + notes.join(', ') : ''}`,
    regs, rflags, memory, code: [...pre, raw(...e.bytes), ...post],
  };
  if (flagsUndefExact !== undefined) spec.flagsUndefExact = flagsUndefExact;
  if (ignoreRegs.length) { spec.ignoreRegs = ignoreRegs; spec.ignoreWhy = ignoreWhy; }
  if (memMasks.length) { spec.memMasks = memMasks; spec.memMaskWhy = why.join('; '); }
  i.free();
  return spec;
}

export function groupOf(code: number): string | null {
  const def = lookupInsn(code);
  if (!def || !OWNERS.has(def.owner)) return null;
  const oc = CodeExt.opCode(code);
  if (oc.encoding !== EncodingKind.Legacy || !oc.mode64) return null;
  const name = codeName(code);
  if (SKIP.test(name)) return null;
  if (def.owner === 'control') return null;
  const i = iced.Instruction.create(code);
  const fc = i.flowControl; i.free();
  if (fc !== FlowControl.Next && !oc.isPrivileged) return null;
  if (def.owner === 'x87') return 'x87';
  if (def.owner === 'mmx') return 'mmx';
  if (['sse-avx', 'sha', 'aes', 'gfni'].includes(def.owner) || /xmm/.test(name)) return 'sse';
  return 'int';
}

/** The sweep of one group ('int' | 'x87' | 'mmx' | 'sse'), `per` cases per Code (one for privileged ones). */
export function sweep(group: string, per = 3): Spec[] {
  registerAllInsns();
  const out: Spec[] = [];
  for (const code of definedCodes()) {
    if (groupOf(code) !== group) continue;
    const oc = CodeExt.opCode(code);
    const n = oc.isPrivileged ? 1 : per;
    let made = 0;
    for (let k = 0, tries = 0; made < n && tries < 80; tries++) {
      const wantMem = made % 2 === 1 ? true : made === 0 ? false : chance(0.5);
      const rep = oc.canUseRepPrefix || oc.canUseRepnePrefix ? chance(0.5) : false;
      const e = encode(code, tries > 40 ? !wantMem : wantMem, rep);
      if (!e) break;
      const s = makeCase(code, e, k + 1, group);
      if (!s) continue;
      out.push(s); made++; k++;
    }
    // one more: a misaligned 16-byte memory operand (#GP for legacy SSE except the unaligned moves and a few others)
    if (made && group !== 'int') for (let tries = 0; tries < 40; tries++) {
      const e = encode(code, true, false);
      if (!e) break;
      const d = dec(e.bytes);
      if (!d) continue;
      const ok = d.ins.code === code && d.ins.memorySize && MemorySizeExt.size(d.ins.memorySize) === 16;
      d.ins.free();
      if (!ok) continue;
      forceMisalign = true;
      const s = makeCase(code, e, 90, group);
      forceMisalign = false;
      if (s) { s.name = s.name.replace(/-90$/, '-misaligned'); s.note += '; the 16-byte memory operand is misaligned'; out.push(s); }
      break;
    }
    if (!made) console.error(`sweep: no encoding for ${codeName(code)} (${oc.opCodeString})`);
  }
  return out;
}

export const sweepInt = () => sweep('int');
export const sweepX87 = () => sweep('x87');
export const sweepMmx = () => sweep('mmx');
export const sweepSse = () => sweep('sse');
void Mnemonic;
