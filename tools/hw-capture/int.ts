/** Integer-ISA families: ALU, MUL/DIV, shifts, bit ops, BMI, SETcc/CMOVcc/Jcc, moves, XCHG*, LEA, stack, strings, faults. */
import { mem, type Operand, type Mem } from '../../guest-kernel/asm/index.ts';
import {
  type Spec, type Gpr, type Region, ins, raw, R, gname, gprs, val, rnd64, rint, pick, chance, mask, le, h, randFlags,
  sizedMem, F, DATA, STACK, GPRS, randBytes,
} from './core.ts';

const W = [8, 16, 32, 64];
const wsfx = (w: number) => String(w);

/** A memory operand into DATA (64 bytes, or `span`) through a random base (and sometimes an index). */
export function memop(size: number, avoid: number[], regs: Partial<Record<Gpr, bigint>>, span = 64, off?: number): Mem {
  avoid = [...avoid, ...Object.keys(regs).map((g) => GPRS.indexOf(g as Gpr))];
  const [b] = gprs(1, avoid);
  const o = off ?? rint(span - size + 1);
  const target = BigInt(DATA + o);
  const disp = pick([0, rint(256) - 128, rint(1 << 30) - (1 << 29)]);
  if (chance(0.3)) {
    const [ix] = gprs(1, [...avoid, b]);
    const scale = pick([1, 2, 4, 8] as const);
    const iv = BigInt(rint(64) - 32);
    regs[GPRS[ix]] = iv & mask(64);
    regs[GPRS[b]] = (target - BigInt(disp) - iv * BigInt(scale)) & mask(64);
    return sizedMem(size, R(GPRS[b]), disp, R(GPRS[ix]), scale);
  }
  regs[GPRS[b]] = (target - BigInt(disp)) & mask(64);
  return sizedMem(size, R(GPRS[b]), disp);
}
const dataRegion = (n = 64): Region => ({ addr: DATA, bytes: randBytes(n) });
const setReg = (regs: Partial<Record<Gpr, bigint>>, n: number, w: number, v: bigint) => {
  // keep random upper bits for 8/16-bit operands (they must survive), zero-or-random for 32
  const base = rnd64();
  regs[GPRS[n]] = w === 64 ? v : (base & ~mask(w)) | (v & mask(w));
};
/** Writes an 8-bit value to a high-byte register (ah..bh = 4..7 of the legacy numbering). */
function setHigh(regs: Partial<Record<Gpr, bigint>>, n: number, v: bigint) {
  const r = rnd64();
  regs[GPRS[n]] = (r & ~0xff00n) | ((v & 0xffn) << 8n);
}

/** A register operand of width w: returns name; for w = 8 sometimes a high-byte register (then `legacy` set). */
function regOp(w: number, avoid: number[], regs: Partial<Record<Gpr, bigint>>, v: bigint, allowHigh = true): { name: string; n: number; high: boolean } {
  avoid = [...avoid, ...Object.keys(regs).map((g) => GPRS.indexOf(g as Gpr))];
  if (w === 8 && allowHigh && chance(0.2)) {
    const cands = [0, 1, 2, 3].filter((x) => !avoid.includes(x));
    if (cands.length) {
      const n = pick(cands);
      setHigh(regs, n, v);
      return { name: ['ah', 'ch', 'dh', 'bh'][n], n, high: true };
    }
  }
  const [n] = gprs(1, avoid);
  setReg(regs, n, w, v);
  return { name: gname(n, w), n, high: false };
}

export function alu(): Spec[] {
  const out: Spec[] = [];
  const ops = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp', 'test'];
  for (const op of ops) for (const w of W) {
    const forms = op === 'test' ? ['rr', 'ri', 'mr', 'mi', 'acc'] : ['rr', 'rr-rev', 'ri', 'ri8', 'rm', 'mr', 'mi', 'acc', 'same', 'lock-mr'];
    for (const form of forms) {
      if (form === 'ri8' && w === 8) continue;
      if (form === 'lock-mr' && (op === 'cmp')) continue;
      for (let k = 1; k <= 2; k++) {
        const regs: Partial<Record<Gpr, bigint>> = {};
        const a = val(w), b = val(w);
        const immW = form === 'ri8' ? 8 : Math.min(w, 32);
        const imm = BigInt.asIntN(immW, b);
        let code: ReturnType<typeof ins>[];
        const memory: Region[] = [];
        let desc = `${h(a & mask(w))} ${op} ${h(form === 'ri' || form === 'ri8' || form === 'mi' || form === 'acc' ? BigInt.asUintN(w, imm) : b)}`;
        if (form === 'rr') {
          const d = regOp(w, [], regs, a);
          const s = regOp(w, d.high ? [d.n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : [d.n], regs, b, !d.high && d.n < 8 && ![4, 5, 6, 7].includes(d.n));
          if (d.high && !s.high && s.n >= 4) { /* avoided above */ }
          code = [ins(op, R(d.name), R(s.name))];
        } else if (form === 'rr-rev') {
          // the reg, r/m encoding (opcode 02/03, 0A/0B, ... 3A/3B) with a register r/m operand
          const [dn, sn] = gprs(2);
          setReg(regs, dn, w, a); setReg(regs, sn, w, b);
          const base = { add: 0, or: 8, adc: 0x10, sbb: 0x18, and: 0x20, sub: 0x28, xor: 0x30, cmp: 0x38 }[op]!;
          const rex = 0x40 | (w === 64 ? 8 : 0) | ((dn >> 3) << 2) | (sn >> 3);
          code = [raw(...(w === 16 ? [0x66] : []), ...(rex !== 0x40 || w === 8 ? [rex] : []), base + 2 + (w > 8 ? 1 : 0), 0xc0 | ((dn & 7) << 3) | (sn & 7))];
          desc = `${h(a & mask(w))} ${op} ${h(b & mask(w))} (reg, r/m encoding)`;
        } else if (form === 'same') {
          const d = regOp(w, [], regs, a, false);
          desc = `${h(a & mask(w))} ${op} itself`;
          code = [ins(op, R(d.name), R(d.name))];
        } else if (form === 'ri' || form === 'ri8') {
          const d = regOp(w, [], regs, a);
          code = [ins(op, R(d.name), imm)];
        } else if (form === 'acc') {
          setReg(regs, 0, w, a);
          code = [ins(op, R(gname(0, w)), imm)];
        } else if (form === 'rm' || form === 'mr' || form === 'lock-mr') {
          const d = regOp(w, [], regs, form === 'rm' ? a : b, false);
          const m = memop(w / 8, [d.n], regs);
          memory.push({ addr: DATA, bytes: randBytes(64) });
          const o = Number(m.disp) ; void o;
          code = form === 'rm' ? [ins(op, R(d.name), m)] : [{ mn: op, ops: [m, R(d.name)], prefix: form === 'lock-mr' ? 'lock' : undefined }];
          desc = `${op} with a random memory operand and ${h(form === 'rm' ? a & mask(w) : b & mask(w))}`;
        } else {
          const m = memop(w / 8, [], regs);
          memory.push({ addr: DATA, bytes: randBytes(64) });
          code = [ins(op, m, imm)];
          desc = `${op} of a random memory operand with ${h(BigInt.asUintN(w, imm))}`;
        }
        out.push({ name: `alu/${op}-${form}${wsfx(w)}-${String(k).padStart(2, '0')}`, note: `${op.toUpperCase()} ${w}-bit (${form}): ${desc}`, regs, memory, code });
      }
    }
  }
  return out;
}

export function incdec(): Spec[] {
  const out: Spec[] = [];
  for (const op of ['inc', 'dec', 'neg', 'not']) for (const w of W) for (const form of ['r', 'm', 'lock-m']) for (let k = 1; k <= 3; k++) {
    if (form === 'lock-m' && k > 1) continue;
    const regs: Partial<Record<Gpr, bigint>> = {};
    const a = pick([0n, 1n, mask(w), 1n << BigInt(w - 1), (1n << BigInt(w - 1)) - 1n, val(w)]);
    const memory: Region[] = [];
    let code;
    if (form === 'r') {
      const d = regOp(w, [], regs, a);
      code = [ins(op, R(d.name))];
    } else {
      const m = memop(w / 8, [], regs, 64, 8);
      const bytes = randBytes(64); bytes.set(le(a, w / 8), 8);
      memory.push({ addr: DATA, bytes });
      code = [{ mn: op, ops: [m], prefix: form === 'lock-m' ? 'lock' as const : undefined }];
    }
    out.push({ name: `incdec/${op}-${form}${w}-${String(k).padStart(2, '0')}`, note: `${op.toUpperCase()} ${w}-bit of ${h(a)}${op === 'inc' || op === 'dec' ? '; CF is not affected' : ''}`, regs, memory, code });
  }
  return out;
}

export function muldiv(): Spec[] {
  const out: Spec[] = [];
  const acc = (w: number) => (w === 8 ? 'al' : gname(0, w));
  for (const w of W) {
    for (const op of ['mul', 'imul']) for (let k = 1; k <= 6; k++) {
      const regs: Partial<Record<Gpr, bigint>> = {};
      const a = val(w), b = val(w);
      setReg(regs, 0, w, a);
      regs.rdx = rnd64();
      const memory: Region[] = [];
      let src: Operand;
      if (k % 3 === 0) {
        const m = memop(w / 8, [0, 2], regs, 64, 16);
        const bytes = randBytes(64); bytes.set(le(b, w / 8), 16); memory.push({ addr: DATA, bytes });
        src = m;
      } else {
        const s = regOp(w, [0, 2], regs, b, w === 8);
        src = R(s.name);
      }
      out.push({ name: `muldiv/${op}1-${w}-${String(k).padStart(2, '0')}`, note: `${op.toUpperCase()} ${w}-bit one-operand: ${h(a)} * ${h(b)}; CF=OF=upper half significant; SF ZF AF PF undefined`, regs, memory, code: [ins(op, src)] });
    }
    if (w === 8) continue;
    for (const form of ['rr', 'rm', 'rri8', 'rri', 'rmi']) for (let k = 1; k <= 3; k++) {
      const regs: Partial<Record<Gpr, bigint>> = {};
      const a = val(w), b = val(w);
      const d = regOp(w, [], regs, a, false);
      const memory: Region[] = [];
      const imm = form === 'rri8' ? BigInt.asIntN(8, val(8)) : BigInt.asIntN(Math.min(32, w), val(Math.min(32, w)));
      let code;
      if (form === 'rr') { const s = regOp(w, [d.n], regs, b, false); code = [ins('imul', R(d.name), R(s.name))]; }
      else if (form === 'rm' || form === 'rmi') {
        const m = memop(w / 8, [d.n], regs, 64, 8);
        const bytes = randBytes(64); bytes.set(le(b, w / 8), 8); memory.push({ addr: DATA, bytes });
        code = [form === 'rm' ? ins('imul', R(d.name), m) : ins('imul', R(d.name), m, imm)];
      } else { const s = regOp(w, [d.n], regs, b, false); code = [ins('imul', R(d.name), R(s.name), imm)]; }
      out.push({ name: `muldiv/imul-${form}${w}-${String(k).padStart(2, '0')}`, note: `IMUL ${w}-bit (${form}): ${h(a)}, ${h(b)}, imm ${imm}; result truncated; CF=OF=signed overflow; SF ZF AF PF undefined`, regs, memory, code });
    }
  }
  // DIV / IDIV
  for (const w of W) for (const op of ['div', 'idiv']) for (const kind of ['ok', 'ok', 'ok', 'ok', 'zero', 'ovf']) {
    const regs: Partial<Record<Gpr, bigint>> = {};
    const signed = op === 'idiv';
    let d: bigint, q: bigint, r: bigint, hi: bigint, lo: bigint;
    const M = mask(w);
    if (kind === 'zero') { d = 0n; hi = val(w); lo = val(w); }
    else if (kind === 'ovf') {
      if (signed) { d = pick([-1n, 1n, 2n]); const dividend = d === -1n ? -(1n << BigInt(2 * w - 1)) : (1n << BigInt(w - 1)) * d * (chance(0.5) ? 1n : -1n) * (d === 1n ? 1n : 1n) + (d === 2n ? 0n : 0n); const dv = d === -1n ? dividend : (d === 1n ? (1n << BigInt(w - 1)) : (1n << BigInt(w)) ); hi = (BigInt.asUintN(2 * w, dv) >> BigInt(w)) & M; lo = BigInt.asUintN(2 * w, dv) & M; }
      else { d = val(w) | 1n; hi = d + BigInt(rint(3)) > M ? M : d + BigInt(rint(2)); lo = val(w); if (hi < d) hi = d; }
    } else {
      d = val(w); if (d === 0n) d = 3n;
      if (signed) {
        const ds = BigInt.asIntN(w, d);
        q = BigInt.asIntN(w, val(w)) >> BigInt(rint(w));
        const absd = ds < 0n ? -ds : ds;
        r = absd > 1n ? BigInt(rint(Number(absd > 1000000n ? 1000000n : absd))) : 0n;
        let dv = q * ds + (q * ds < 0n ? -r : r);
        if (chance(0.3)) dv = q * ds; // exact
        const full = BigInt.asUintN(2 * w, dv);
        hi = full >> BigInt(w); lo = full & M;
      } else {
        q = val(w);
        r = d > 1n ? rnd64() % d : 0n;
        const full = q * d + r;
        hi = (full >> BigInt(w)) & M; lo = full & M;
      }
    }
    const memory: Region[] = [];
    if (w === 8) { regs.rax = (rnd64() & ~0xffffn) | (hi << 8n) | lo; regs.rdx = rnd64(); }
    else { setReg(regs, 0, w, lo); setReg(regs, 2, w, hi); }
    let src: Operand;
    if (chance(0.3)) {
      const m = memop(w / 8, [0, 2], regs, 64, 24);
      const bytes = randBytes(64); bytes.set(le(d, w / 8), 24); memory.push({ addr: DATA, bytes });
      src = m;
    } else { const s = regOp(w, [0, 2], regs, d, false); src = R(s.name); }
    const idx = out.filter((s) => s.name.startsWith(`muldiv/${op}-${kind}${w}-`)).length + 1;
    out.push({ name: `muldiv/${op}-${kind}${w}-${String(idx).padStart(2, '0')}`, note: `${op.toUpperCase()} ${w}-bit: ${h(hi)}:${h(lo)} / ${h(d & M)}${kind === 'ok' ? '' : ': #DE (' + (kind === 'zero' ? 'divide by zero' : 'quotient too large') + ')'}; all six arithmetic flags undefined`, regs, memory, code: [ins(op, src)], flagsUndefExact: 0x8d5n });
  }
  void acc;
  return out;
}

export function shift(): Spec[] {
  const out: Spec[] = [];
  for (const op of ['shl', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr']) for (const w of W) for (const form of ['1', 'imm', 'cl', 'cl-m']) {
    const counts = form === '1' ? [1, 1] : [0, 1, w - 1, w, w + 1, 31, 32, 63, 64 + 3, rint(256)];
    counts.forEach((cnt, k) => {
      const regs: Partial<Record<Gpr, bigint>> = {};
      const a = val(w);
      const memory: Region[] = [];
      let dst: Operand;
      if (form === 'cl-m') {
        const m = memop(w / 8, [1], regs, 64, 8);
        const bytes = randBytes(64); bytes.set(le(a, w / 8), 8); memory.push({ addr: DATA, bytes });
        dst = m;
      } else dst = R(regOp(w, [1], regs, a, form !== 'cl').name);
      if (form.startsWith('cl')) regs.rcx = (rnd64() & ~0xffn) | BigInt(cnt & 0xff);
      const code = [form === '1' ? ins(op, dst, 1) : ins(op, dst, form === 'imm' ? cnt & 0xff : R('cl'))];
      const masked = cnt & (w === 64 ? 63 : 31);
      let undef = 0n;
      const why: string[] = [];
      if (masked !== 0) {
        if (op.startsWith('sh') || op === 'sar') undef |= F.AF;
        if (masked !== 1) { undef |= F.OF; }
        if ((op === 'shl' || op === 'shr') && masked >= w) { undef |= F.CF; why.push('CF undefined: count >= operand size'); }
      }
      out.push({
        name: `shift/${op}-${form}${w}-${String(k + 1).padStart(2, '0')}`, note: `${op.toUpperCase()} ${w}-bit ${h(a)} by ${cnt} (masked count ${masked})${why.length ? '; ' + why.join('; ') : ''}`,
        regs, memory, code, flagsUndefExact: undef,
      });
    });
  }
  return out;
}

export function shxd(): Spec[] {
  const out: Spec[] = [];
  for (const op of ['shld', 'shrd']) for (const w of [16, 32, 64]) for (const form of ['imm', 'cl', 'cl-m']) {
    const counts = [0, 1, w - 1, 8, w === 16 ? 16 : w - 2, w === 16 ? 20 : 33, w + 1, 63, rint(256)];
    counts.forEach((cnt, k) => {
      const regs: Partial<Record<Gpr, bigint>> = {};
      const a = val(w), b = val(w);
      const memory: Region[] = [];
      let dst: Operand, dn = -1;
      if (form === 'cl-m') {
        const m = memop(w / 8, [1], regs, 64, 8);
        const bytes = randBytes(64); bytes.set(le(a, w / 8), 8); memory.push({ addr: DATA, bytes }); dst = m;
      } else { const d = regOp(w, [1], regs, a, false); dst = R(d.name); dn = d.n; }
      const s = regOp(w, [1, dn], regs, b, false);
      if (form !== 'imm') regs.rcx = (rnd64() & ~0xffn) | BigInt(cnt & 0xff);
      const masked = cnt & (w === 64 ? 63 : 31);
      const spec: Spec = {
        name: `shxd/${op}-${form}${w}-${String(k + 1).padStart(2, '0')}`, note: `${op.toUpperCase()} ${w}-bit dest ${h(a)} src ${h(b)} by ${cnt} (masked ${masked})`,
        regs, memory, code: [ins(op, dst, R(s.name), form === 'imm' ? cnt & 0xff : R('cl'))],
        flagsUndefExact: masked === 0 ? 0n : masked === 1 ? F.AF : F.AF | F.OF,
      };
      if (masked > w) {
        spec.flagsUndefExact = 0x8d5n;
        spec.note += '; count > operand size: destination and flags undefined';
        if (dn >= 0) { spec.ignoreRegs = [GPRS[dn]]; spec.ignoreWhy = 'SDM: the result is undefined when the count is greater than the operand size'; }
        else { spec.memMasks = [{ addr: DATA + 8, len: w / 8 }]; spec.memMaskWhy = 'the destination is undefined when the count is greater than the operand size'; }
      }
      out.push(spec);
    });
  }
  return out;
}

export function bittest(): Spec[] {
  const out: Spec[] = [];
  for (const op of ['bt', 'bts', 'btr', 'btc']) for (const w of [16, 32, 64]) for (const form of ['ri', 'rr', 'mi', 'mr', 'lock-mr']) for (let k = 1; k <= 3; k++) {
    if (form === 'lock-mr' && (op === 'bt' || k > 1)) continue;
    const regs: Partial<Record<Gpr, bigint>> = {};
    const a = val(w);
    const memory: Region[] = [];
    const bit = form === 'ri' || form === 'mi' ? rint(256) : form === 'rr' ? Number(val(w) & 0xffffn) : rint(6000) - 3000;
    let code;
    if (form === 'ri' || form === 'rr') {
      const d = regOp(w, [], regs, a, false);
      if (form === 'ri') code = [ins(op, R(d.name), bit)];
      else { const s = regOp(w, [d.n], regs, BigInt.asUintN(w, BigInt(bit)), false); code = [ins(op, R(d.name), R(s.name))]; }
    } else {
      memory.push({ addr: DATA, bytes: randBytes(768) });
      const m = memop(w / 8, [], regs, 768, 384);
      const [s] = gprs(1, Object.keys(regs).map((g) => GPRS.indexOf(g as Gpr)));
      if (form === 'mi') code = [ins(op, m, bit & 0xff)];
      else { regs[GPRS[s]] = BigInt.asUintN(64, BigInt(bit)); code = [{ mn: op, ops: [m, R(gname(s, w))], prefix: form === 'lock-mr' ? 'lock' as const : undefined }]; }
    }
    out.push({ name: `bittest/${op}-${form}${w}-${String(k).padStart(2, '0')}`, note: `${op.toUpperCase()} ${w}-bit ${form}, bit offset ${bit}${form === 'mr' || form === 'lock-mr' ? ' (register offset into memory: signed, may leave the operand)' : ' (taken modulo the operand size)'}; OF SF AF PF undefined, ZF unchanged`, regs, memory, code, undefFlags: 0n });
  }
  return out;
}

export function bitscan(): Spec[] {
  const out: Spec[] = [];
  for (const op of ['bsf', 'bsr', 'tzcnt', 'lzcnt', 'popcnt']) for (const w of [16, 32, 64]) for (const kind of ['zero', 'one', 'msb', 'bit', 'rand', 'rand', 'mem']) {
    const regs: Partial<Record<Gpr, bigint>> = {};
    const v = kind === 'zero' ? 0n : kind === 'one' ? 1n : kind === 'msb' ? 1n << BigInt(w - 1) : kind === 'bit' ? 1n << BigInt(rint(w)) : val(w);
    const d = regOp(w, [], regs, val(w), false);
    const memory: Region[] = [];
    let src: Operand;
    if (kind === 'mem') {
      const m = memop(w / 8, [d.n], regs, 64, 8);
      const bytes = randBytes(64); memory.push({ addr: DATA, bytes }); src = m;
    } else src = R(regOp(w, [d.n], regs, v, false).name);
    const idx = out.filter((s) => s.name.startsWith(`bitscan/${op}-${kind}${w}-`)).length + 1;
    out.push({ name: `bitscan/${op}-${kind}${w}-${String(idx).padStart(2, '0')}`, note: `${op.toUpperCase()} ${w}-bit of ${kind === 'mem' ? 'a random memory operand' : h(v)}${(op === 'bsf' || op === 'bsr') && kind === 'zero' ? '; zero source: ZF=1 and the destination is left unchanged (AMD APM; the SDM says undefined)' : ''}`, regs, memory, code: [ins(op, R(d.name), src)] });
  }
  return out;
}

export function bmi(): Spec[] {
  const out: Spec[] = [];
  const three = ['andn', 'bextr', 'bzhi', 'pdep', 'pext', 'sarx', 'shlx', 'shrx', 'mulx'];
  const two = ['blsi', 'blsmsk', 'blsr'];
  for (const w of [32, 64]) {
    for (const op of [...three, ...two, 'rorx', 'adcx', 'adox']) for (let k = 1; k <= 5; k++) {
      const regs: Partial<Record<Gpr, bigint>> = {};
      const memory: Region[] = [];
      const [dn, s1, s2] = gprs(3, op === 'mulx' ? [2] : []);
      const a = val(w);
      let b = val(w);
      if (op === 'bextr') b = BigInt(rint(80)) | (BigInt(rint(80)) << 8n) | (chance(0.3) ? (rnd64() << 16n) & mask(w) : 0n);
      if (op === 'bzhi' || op.endsWith('x') && op !== 'mulx' && op !== 'adcx' && op !== 'adox') b = chance(0.5) ? BigInt(rint(80)) : val(w);
      setReg(regs, dn, w, val(w)); setReg(regs, s1, w, a); setReg(regs, s2, w, b);
      const useMem = k === 5;
      let srcOp: Operand = R(gname(s1, w));
      if (useMem) {
        const m = memop(w / 8, [dn, s1, s2, 2], regs, 64, 8);
        const bytes = randBytes(64); bytes.set(le(a, w / 8), 8); memory.push({ addr: DATA, bytes }); srcOp = m;
      }
      let code;
      if (op === 'mulx') { regs.rdx = b; code = [ins('mulx', R(gname(dn, w)), R(gname(s2, w)), srcOp)]; }
      else if (op === 'andn' || op === 'pdep' || op === 'pext') code = [ins(op, R(gname(dn, w)), R(gname(s2, w)), srcOp)];
      else if (three.includes(op)) code = [ins(op, R(gname(dn, w)), srcOp, R(gname(s2, w)))];
      else if (two.includes(op)) code = [ins(op, R(gname(dn, w)), srcOp)];
      else if (op === 'rorx') code = [ins('rorx', R(gname(dn, w)), srcOp, rint(256))];
      else code = [ins(op, R(gname(dn, w)), srcOp)];
      if (op === 'mulx' && dn === s2) continue;
      out.push({ name: `bmi/${op}-${useMem ? 'm' : 'r'}${w}-${String(k).padStart(2, '0')}`, note: `${op.toUpperCase()} ${w}-bit: sources ${h(a)}, ${h(b)}`, regs, memory, code });
    }
  }
  return out;
}

const CCS = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
export function cond(): Spec[] {
  const out: Spec[] = [];
  for (const cc of CCS) {
    for (let k = 1; k <= 3; k++) {
      const regs: Partial<Record<Gpr, bigint>> = {};
      const d = regOp(8, [], regs, val(8));
      out.push({ name: `cond/set${cc}-${String(k).padStart(2, '0')}`, note: `SET${cc.toUpperCase()} with random flags`, regs, code: [ins(`set${cc}`, R(d.name))] });
    }
    for (const w of [16, 32, 64]) for (let k = 1; k <= 2; k++) {
      const regs: Partial<Record<Gpr, bigint>> = {};
      const d = regOp(w, [], regs, val(w), false);
      const memory: Region[] = [];
      let src: Operand;
      if (k === 2) { const m = memop(w / 8, [d.n], regs); memory.push({ addr: DATA, bytes: randBytes(64) }); src = m; }
      else src = R(regOp(w, [d.n], regs, val(w), false).name);
      out.push({ name: `cond/cmov${cc}-${k === 2 ? 'm' : 'r'}${w}-01`, note: `CMOV${cc.toUpperCase()} ${w}-bit with random flags (a 32-bit CMOV zeroes bits 63:32 even when the condition is false)`, regs, memory, code: [ins(`cmov${cc}`, R(d.name), src)] });
    }
    for (const near of [false, true]) {
      const code = [ins(`j${cc}`, 'tgt'), ins('mov', R('eax'), 0x11111111), raw(0xcc), ...(near ? [raw(...new Array(140).fill(0x90))] : []), { label: 'tgt' }, ins('mov', R('eax'), 0x22222222)];
      out.push({ name: `cond/j${cc}-${near ? 'near' : 'short'}-01`, note: `J${cc.toUpperCase()} ${near ? 'rel32' : 'rel8'} with random flags: taken reaches the second mov`, code });
    }
  }
  // CMOV with a false condition still reads (and faults on) its memory operand
  out.push({ name: 'cond/cmovne-m32-false-pf-01', note: 'CMOVNE with ZF=1 and an unmapped source: the read happens regardless of the condition: #PF', regs: { rsi: 0x20040000n }, rflags: 0x246n, code: [ins('cmovne', R('eax'), mem.dword(R('rsi')))] });
  return out;
}

export function movx(): Spec[] {
  const out: Spec[] = [];
  const combos: [string, number, number][] = [['movzx', 16, 8], ['movzx', 32, 8], ['movzx', 64, 8], ['movzx', 32, 16], ['movzx', 64, 16], ['movsx', 16, 8], ['movsx', 32, 8], ['movsx', 64, 8], ['movsx', 32, 16], ['movsx', 64, 16], ['movsxd', 64, 32], ['movsxd', 32, 32], ['movsxd', 16, 16]];
  for (const [op, dw, sw] of combos) for (const form of ['r', 'm']) for (let k = 1; k <= 2; k++) {
    const regs: Partial<Record<Gpr, bigint>> = {};
    const d = regOp(dw, [], regs, val(dw), false);
    const v = pick([1n << BigInt(sw - 1), mask(sw), val(sw)]);
    const memory: Region[] = [];
    let src: Operand;
    if (form === 'm') { const m = memop(sw / 8, [d.n], regs, 64, 8); const bytes = randBytes(64); bytes.set(le(v, sw / 8), 8); memory.push({ addr: DATA, bytes }); src = m; }
    else src = R(regOp(sw, [d.n], regs, v, dw < 64 && d.n < 4).name);
    const mn = op;
    let code;
    if (op === 'movsxd' && dw !== 64) {
      // 63 /r without REX.W: 32-bit and 16-bit destination forms
      const modrm = form === 'r' ? null : null; void modrm;
      if (form === 'm') continue;
      const s = (src as { name: string }).name;
      const sn = GPRS.indexOf(s.replace(/d$|w$/, '') as Gpr) >= 0 ? GPRS.indexOf(s.replace(/d$|w$/, '') as Gpr) : ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'].indexOf(s) % 8;
      const rex = 0x40 | ((d.n >> 3) << 2) | (sn >> 3);
      const bytes = [...(dw === 16 ? [0x66] : []), ...(rex !== 0x40 ? [rex] : []), 0x63, 0xc0 | ((d.n & 7) << 3) | (sn & 7)];
      code = [raw(...bytes)];
    } else code = [ins(mn, R(d.name), src)];
    out.push({ name: `movx/${op}-${dw}-${sw}${form}-${String(k).padStart(2, '0')}`, note: `${op.toUpperCase()} r${dw} from ${sw}-bit ${h(v)}`, regs, memory, code });
  }
  for (const w of [16, 32, 64]) for (const dir of ['load', 'store']) for (let k = 1; k <= 2; k++) {
    const regs: Partial<Record<Gpr, bigint>> = {};
    const d = regOp(w, [], regs, val(w), false);
    const m = memop(w / 8, [d.n], regs, 64, 8);
    out.push({ name: `movx/movbe-${dir}${w}-${String(k).padStart(2, '0')}`, note: `MOVBE ${dir} ${w}-bit: byte-swapped move`, regs, memory: [dataRegion()], code: [dir === 'load' ? ins('movbe', R(d.name), m) : ins('movbe', m, R(d.name))] });
  }
  for (const w of [32, 64]) for (let k = 1; k <= 3; k++) {
    const regs: Partial<Record<Gpr, bigint>> = {};
    const d = regOp(w, [], regs, val(w), false);
    out.push({ name: `movx/bswap${w}-${String(k).padStart(2, '0')}`, note: `BSWAP r${w}`, regs, code: [ins('bswap', R(d.name))] });
  }
  return out;
}

export function xchg(): Spec[] {
  const out: Spec[] = [];
  for (const w of W) {
    for (const form of ['rr', 'rm', 'acc']) for (let k = 1; k <= 2; k++) {
      const regs: Partial<Record<Gpr, bigint>> = {};
      const d = form === 'acc' ? { n: 0, name: gname(0, w) } : regOp(w, [], regs, val(w), false);
      if (form === 'acc') setReg(regs, 0, w, val(w));
      const memory: Region[] = [];
      let code;
      if (form === 'rm') { const m = memop(w / 8, [d.n], regs); memory.push(dataRegion()); code = [ins('xchg', R(d.name), m)]; }
      else { const s = regOp(w, [d.n], regs, val(w), false); code = [ins('xchg', R(d.name), R(s.name))]; }
      if (form === 'acc' && w === 8) continue;
      out.push({ name: `xchg/xchg-${form}${w}-${String(k).padStart(2, '0')}`, note: `XCHG ${w}-bit (${form}); no flags affected`, regs, memory, code });
    }
    for (const form of ['rr', 'mr', 'lock-mr']) {
      const regs: Partial<Record<Gpr, bigint>> = {};
      const a = val(w), b = val(w);
      const s = regOp(w, [], regs, b, false);
      const memory: Region[] = [];
      let code;
      if (form === 'rr') { const d = regOp(w, [s.n], regs, a, false); code = [ins('xadd', R(d.name), R(s.name))]; }
      else { const m = memop(w / 8, [s.n], regs); memory.push(dataRegion()); code = [{ mn: 'xadd', ops: [m, R(s.name)], prefix: form === 'lock-mr' ? 'lock' as const : undefined }]; }
      out.push({ name: `xchg/xadd-${form}${w}-01`, note: `XADD ${w}-bit (${form}); flags as ADD`, regs, memory, code });
    }
    for (const eq of [true, false]) for (const form of ['rr', 'mr', 'lock-mr']) {
      const regs: Partial<Record<Gpr, bigint>> = {};
      const acc = val(w);
      setReg(regs, 0, w, acc);
      const s = regOp(w, [0], regs, val(w), false);
      const memory: Region[] = [];
      let code;
      const spec: Partial<Spec> = {};
      if (form === 'rr') {
        const d = regOp(w, [0, s.n], regs, eq ? acc : val(w) ^ 1n, false);
        code = [ins('cmpxchg', R(d.name), R(s.name))];
        if (!eq && w === 32) { spec.ignoreRegs = [GPRS[d.n]]; spec.ignoreWhy = 'CMPXCHG r32 with unequal values: the SDM pseudo-code writes the destination back (zeroing bits 63:32), this part leaves it unchanged'; }
      } else {
        const m = memop(w / 8, [0, s.n], regs, 64, 8);
        const bytes = randBytes(64); bytes.set(le(eq ? acc : acc ^ 1n, w / 8), 8); memory.push({ addr: DATA, bytes });
        code = [{ mn: 'cmpxchg', ops: [m, R(s.name)], prefix: form === 'lock-mr' ? 'lock' as const : undefined }];
      }
      out.push({ name: `xchg/cmpxchg-${eq ? 'eq' : 'ne'}-${form}${w}-01`, note: `CMPXCHG ${w}-bit (${form}), accumulator ${eq ? 'equal to' : 'different from'} the destination`, regs, memory, code, ...spec });
    }
  }
  for (const w of [8, 16]) for (const eq of [true, false]) for (const lock of [false, true]) for (const mis of w === 16 ? [0, 8] : [0, 4]) {
    const regs: Partial<Record<Gpr, bigint>> = {};
    const n = w; const off = 16 + mis;
    const bytes = randBytes(64);
    const lo = rnd64(), hi = rnd64();
    regs.rax = rnd64(); regs.rdx = rnd64(); regs.rbx = rnd64(); regs.rcx = rnd64();
    if (eq) {
      if (w === 8) { bytes.set(le((regs.rdx & 0xffffffffn) << 32n | (regs.rax & 0xffffffffn), 8), off); }
      else { bytes.set(le(regs.rax, 8), off); bytes.set(le(regs.rdx, 8), off + 8); }
    }
    void lo; void hi;
    const m = memop(n, [0, 1, 2, 3], regs, 64, off);
    const name = w === 8 ? 'cmpxchg8b' : 'cmpxchg16b';
    out.push({ name: `xchg/${name}-${eq ? 'eq' : 'ne'}${lock ? '-lock' : ''}${mis ? '-misaligned' : ''}-01`, note: `${name.toUpperCase()} ${eq ? 'equal' : 'unequal'}${mis ? `, ${mis} bytes past a ${n}-byte boundary${w === 16 ? ': #GP(0)' : ' (allowed)'}` : ''}`, regs, memory: [{ addr: DATA, bytes }], code: [{ mn: name, ops: [m], prefix: lock ? 'lock' as const : undefined }] });
  }
  return out;
}

export function lea(): Spec[] {
  const out: Spec[] = [];
  for (const asz of [64, 32]) for (const osz of [16, 32, 64]) for (const form of ['base', 'base+d8', 'base+d32', 'sib', 'sib+d8', 'index+d32', 'rip']) {
    if (form === 'rip' && asz === 32) continue;
    const regs: Partial<Record<Gpr, bigint>> = {};
    const [d, b, x] = gprs(3, [], false);
    const ab = asz === 64 ? R(GPRS[b]) : R(gname(b, 32)), ax = asz === 64 ? R(GPRS[x]) : R(gname(x, 32));
    const disp = form.endsWith('d8') ? rint(256) - 128 : form.endsWith('d32') ? Number(BigInt.asIntN(32, rnd64())) : 0;
    const scale = pick([1, 2, 4, 8] as const);
    let m: Mem;
    if (form === 'rip') m = mem.ptr('tgt');
    else if (form.startsWith('base')) m = mem.ptr(ab, { disp });
    else if (form.startsWith('sib')) m = mem.ptr(ab, { index: ax, scale, disp });
    else m = mem.ptr({ index: ax, scale, disp, abs: true } as never);
    const code = [ins('lea', R(gname(d, osz)), m), ...(form === 'rip' ? [raw(0xcc), { label: 'tgt' }] : [])];
    out.push({ name: `lea/lea-a${asz}-o${osz}-${form}-01`, note: `LEA, ${asz}-bit address size, ${osz}-bit destination, ${form}: the address wraps at the address size and is truncated to the destination; no memory access`, regs, code });
  }
  return out;
}

export function stack(): Spec[] {
  const out: Spec[] = [];
  const mk = (name: string, note: string, code: ReturnType<typeof ins>[], extra: Partial<Record<Gpr, bigint>> = {}, mis = 0, rflags?: bigint) => {
    const regs: Partial<Record<Gpr, bigint>> = { rsp: BigInt(STACK + 0x80 + mis), ...extra };
    out.push({ name: `stack/${name}`, note: `${note}; RSP ${mis ? 'misaligned by ' + mis : 'aligned'}`, regs, rflags, memory: [{ addr: STACK, bytes: randBytes(256) }], code });
  };
  for (const mis of [0, 2, 4]) {
    const [n] = gprs(1);
    mk(`push-r64-${mis}`, 'PUSH r64', [ins('push', R(GPRS[n]))], {}, mis);
    mk(`push-r16-${mis}`, 'PUSH r16 (66h): RSP -= 2', [ins('push', R(gname(n, 16)))], {}, mis);
    mk(`pop-r64-${mis}`, 'POP r64', [ins('pop', R(GPRS[n]))], {}, mis);
    mk(`pop-r16-${mis}`, 'POP r16 (66h): RSP += 2, bits 63:16 of the register kept', [ins('pop', R(gname(n, 16)))], {}, mis);
    mk(`push-imm8-${mis}`, 'PUSH imm8 (sign-extended to 64)', [ins('push', -5)], {}, mis);
    mk(`push-imm32-${mis}`, 'PUSH imm32 (sign-extended to 64)', [ins('push', -0x12345678)], {}, mis);
    mk(`push-imm16-${mis}`, 'PUSH imm16 (66h)', [raw(0x66, 0x68, 0x34, 0x92)], {}, mis);
    mk(`push-rsp-${mis}`, 'PUSH RSP: stores the value before the decrement', [ins('push', R('rsp'))], {}, mis);
    mk(`pop-rsp-${mis}`, 'POP RSP: RSP gets the popped value', [ins('pop', R('rsp'))], {}, mis);
    mk(`push-m64-${mis}`, 'PUSH m64 through RSP', [ins('push', mem.qword(R('rsp'), 8))], {}, mis);
    mk(`push-m16-${mis}`, 'PUSH m16 through RSP', [ins('push', mem.word(R('rsp'), 8))], {}, mis);
    mk(`pop-m64-rsp-${mis}`, 'POP m64 [rsp+8]: the address is computed after RSP is incremented', [ins('pop', mem.qword(R('rsp'), 8))], {}, mis);
    mk(`pop-m16-rsp-${mis}`, 'POP m16 [rsp+8]: the address is computed after RSP is incremented', [ins('pop', mem.word(R('rsp'), 8))], {}, mis);
    mk(`pushf-${mis}`, 'PUSHFQ (RF and VM stored as 0)', [ins('pushfq')], {}, mis);
    mk(`pushfw-${mis}`, 'PUSHFW (66h)', [ins('pushf')], {}, mis);
    mk(`leave-${mis}`, 'LEAVE: RSP = RBP, pop RBP', [ins('leave')], { rbp: BigInt(STACK + 0x90 + mis) }, mis);
    mk(`leavew-${mis}`, 'LEAVE (66h): SP = BP... RSP = RBP then pop 16 bits into BP', [raw(0x66, 0xc9)], { rbp: BigInt(STACK + 0x90 + mis) }, mis);
    for (const lvl of [0, 1, 2, 3]) mk(`enter-${lvl}-${mis}`, `ENTER 0x18, ${lvl}`, [ins('enter', 0x18, lvl)], { rbp: BigInt(STACK + 0xa0) }, mis);
    mk(`call-ret-${mis}`, 'CALL rel32 then RET: the return address on the stack', [ins('call', 'f'), ins('mov', R('ecx'), 0x33), raw(0xcc), { label: 'f' }, ins('mov', R('edx'), 0x44), ins('ret')], {}, mis);
    mk(`call-retimm-${mis}`, 'CALL then RET imm16: RSP += 8 + imm', [ins('call', 'f'), raw(0xcc), { label: 'f' }, ins('ret', 0x10)], {}, mis);
  }
  // POPF/POPFQ with random images: IOPL and IF are not changed at CPL 3 with IOPL 0; VM, RF cleared; TF kept clear here
  for (let k = 1; k <= 8; k++) {
    const v = (rnd64() & 0x3f7fd5n & ~0x100n & ~0x40000n) | (k > 5 ? 0x40000n : 0n);
    const bytes = randBytes(256); bytes.set(le(v, 8), 0x80);
    out.push({ name: `stack/popfq-${String(k).padStart(2, '0')}`, note: `POPFQ of ${h(v)} at CPL 3 (IOPL 0): IF and IOPL unchanged, VM and RF not set, reserved bits fixed`, regs: { rsp: BigInt(STACK + 0x80) }, memory: [{ addr: STACK, bytes }], code: [ins('popfq')] });
    const v16 = Number(v & 0x7ed5n);
    const b2 = randBytes(256); b2.set(le(BigInt(v16), 2), 0x80);
    out.push({ name: `stack/popfw-${String(k).padStart(2, '0')}`, note: `POPFW of ${h(v16)}: only bits 15:0, with the same CPL 3 rules`, regs: { rsp: BigInt(STACK + 0x80) }, memory: [{ addr: STACK, bytes: b2 }], code: [raw(0x66, 0x9d)] });
  }
  return out;
}

export function string(): Spec[] {
  const out: Spec[] = [];
  const sz: [string, number][] = [['b', 1], ['w', 2], ['d', 4], ['q', 8]];
  for (const op of ['movs', 'stos', 'lods', 'cmps', 'scas']) for (const [s, n] of sz) for (const pre of ['', 'rep', 'repne']) for (const df of [0, 1]) {
    if (pre === 'repne' && !(op === 'cmps' || op === 'scas')) continue;
    const counts = pre ? [0, 1, 7] : [1];
    for (const cnt of counts) {
      const regs: Partial<Record<Gpr, bigint>> = {};
      regs.rsi = BigInt(DATA + 0x200 + rint(8));
      regs.rdi = BigInt(DATA + 0x280 + rint(8));
      regs.rcx = pre ? BigInt(cnt) : rnd64();
      const bytes = randBytes(1024);
      if (op === 'cmps' || op === 'scas') {
        // make some elements equal so REPE/REPNE stop at different places
        for (let i = -64; i < 64; i++) if (chance(0.5)) bytes[0x280 + i + 8] = bytes[0x200 + i + 8];
        const acc = rnd64();
        regs.rax = acc;
        if (chance(0.5)) bytes.set(le(acc, n), Number(regs.rdi) - DATA);
      }
      const name = `${op}${s}`;
      const prefix = pre === 'rep' ? 'rep' as const : pre === 'repne' ? 'repne' as const : undefined;
      const code = [...(df ? [ins('std')] : []), { mn: name, ops: [], prefix }];
      const what = pre === 'rep' && (op === 'cmps' || op === 'scas') ? 'REPE' : pre.toUpperCase();
      out.push({ name: `string/${pre ? pre + '-' : ''}${name}-df${df}-c${cnt}`, note: `${what ? what + ' ' : ''}${name.toUpperCase()}, count ${pre ? cnt : '(no prefix)'}, DF=${df}`, regs, memory: [{ addr: DATA, bytes }], code });
    }
  }
  return out;
}

export function cvtflag(): Spec[] {
  const out: Spec[] = [];
  for (const op of ['cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo', 'lahf', 'sahf', 'clc', 'stc', 'cmc', 'cld', 'std']) for (let k = 1; k <= 3; k++) {
    const regs: Partial<Record<Gpr, bigint>> = { rax: pick([0x80n, 0x7fn, 0x8000n, 0x80000000n, 0x8000000000000000n, 0n, rnd64()]) | (rnd64() & ~mask(pick([8, 16, 32, 63]))) };
    out.push({ name: `cvtflag/${op}-${String(k).padStart(2, '0')}`, note: `${op.toUpperCase()} with RAX ${h(regs.rax!)}`, regs, code: [ins(op)] });
  }
  return out;
}

export function fault(): Spec[] {
  const out: Spec[] = [];
  const add = (name: string, note: string, code: ReturnType<typeof ins>[], regs: Partial<Record<Gpr, bigint>> = {}, memory: Region[] = []) =>
    out.push({ name: `fault/${name}`, note, regs, memory, code });
  const priv: [string, ReturnType<typeof ins>[]][] = [
    ['hlt', [ins('hlt')]], ['cli', [ins('cli')]], ['sti', [ins('sti')]], ['in-al-dx', [ins('in', R('al'), R('dx'))]], ['out-dx-al', [ins('out', R('dx'), R('al'))]],
    ['in-imm', [ins('in', R('eax'), 0x60)]], ['insb', [ins('insb')]], ['outsb', [ins('outsb')]],
    ['rdmsr', [ins('rdmsr')]], ['wrmsr', [ins('wrmsr')]], ['mov-cr0-r', [ins('mov', R('rax'), R('cr0'))]], ['mov-r-cr3', [ins('mov', R('cr3'), R('rax'))]],
    ['mov-dr7', [ins('mov', R('rax'), R('dr7'))]], ['lgdt', [ins('lgdt', mem.ptr(R('rbx')))]], ['lidt', [ins('lidt', mem.ptr(R('rbx')))]],
    ['lldt', [ins('lldt', R('ax'))]], ['ltr', [ins('ltr', R('ax'))]], ['lmsw', [ins('lmsw', R('ax'))]], ['invlpg', [ins('invlpg', mem.byte(R('rbx')))]],
    ['invd', [ins('invd')]], ['wbinvd', [ins('wbinvd')]], ['clts', [ins('clts')]], ['swapgs', [ins('swapgs')]], ['sysretq', [ins('sysretq')]],
    ['xsetbv', [ins('xsetbv')]], ['invpcid', [ins('invpcid', R('rax'), mem.xmmword(R('rbx')))]], ['wrmsr-0', [ins('wrmsr')]], ['hlt-after-nop', [ins('nop'), ins('hlt')]],
  ];
  for (const [n, c] of priv) add(`${n}-priv-01`, `${n} at CPL 3 (IOPL 0): #GP(0)`, c, { rbx: BigInt(DATA), rcx: 0n, rdx: 0x80n }, [{ addr: DATA, bytes: randBytes(64) }]);
  const ud: [string, number[]][] = [
    ['ud2', [0x0f, 0x0b]], ['ud0', [0x0f, 0xff, 0xc0]], ['ud1', [0x0f, 0xb9, 0xc0]], ['aaa', [0x37]], ['daa', [0x27]], ['das', [0x2f]], ['aas', [0x3f]], ['aam', [0xd4, 0x0a]], ['aad', [0xd5, 0x0a]],
    ['push-es', [0x06]], ['pop-es', [0x07]], ['push-cs', [0x0e]], ['push-ss', [0x16]], ['pop-ss', [0x17]], ['push-ds', [0x1e]], ['pop-ds', [0x1f]], ['pusha', [0x60]], ['popa', [0x61]],
    ['into', [0xce]], ['salc', [0xd6]], ['jmp-far-imm', [0xea, 0, 0, 0, 0, 0, 0]], ['call-far-imm', [0x9a, 0, 0, 0, 0, 0, 0]], ['lea-reg', [0x8d, 0xc0]],
    ['lock-nop', [0xf0, 0x90]], ['lock-add-rr', [0xf0, 0x01, 0xc0]], ['lock-mov', [0xf0, 0x89, 0x03]], ['lock-cmp-m', [0xf0, 0x39, 0x03]], ['lock-bt-m', [0xf0, 0x0f, 0xa3, 0x03]],
    ['les', [0xc4, 0x03]], ['lds', [0xc5, 0x03]], ['mov-sreg-cs', [0x8e, 0xc8]], ['movbe-reg', [0x0f, 0x38, 0xf0, 0xc0]], ['cmpxchg8b-reg', [0x0f, 0xc7, 0xc8]],
    ['bound', [0x62, 0x03]], ['arpl-is-movsxd', [0x63, 0xc0]], ['lfence-bad', [0x0f, 0xae, 0xe8]], ['rdrand-mem', [0x0f, 0xc7, 0x33]],
  ];
  for (const [n, b] of ud) add(`${n}-ud-01`, `${n}: #UD in 64-bit mode (or a valid instruction where noted by the name)`, [raw(...b)], { rbx: BigInt(DATA) }, [{ addr: DATA, bytes: randBytes(64) }]);
  const nc = 0x8000000000001000n;
  add('noncanon-load-01', 'non-canonical address (load): #GP(0)', [ins('mov', R('rax'), mem.qword(R('rbx')))], { rbx: nc });
  add('noncanon-store-01', 'non-canonical address (store): #GP(0)', [ins('mov', mem.dword(R('rbx'), 0x10), R('eax'))], { rbx: 0x0000800000000000n });
  add('noncanon-rmw-01', 'non-canonical address (rmw): #GP(0)', [ins('add', mem.dword(R('rdi'), 0x10), 1)], { rdi: 0xffff7ffffffffff0n });
  add('noncanon-rbp-01', 'non-canonical address through RBP: #SS(0)', [ins('mov', R('rax'), mem.qword(R('rbp')))], { rbp: nc });
  add('noncanon-rsp-base-01', 'non-canonical address through RSP: #SS(0)', [ins('mov', R('rax'), mem.qword(R('rsp'), 8))], { rsp: nc });
  add('noncanon-push-01', 'PUSH with a non-canonical RSP: #SS(0)', [ins('push', R('rax'))], { rsp: nc });
  add('noncanon-pop-01', 'POP with a non-canonical RSP: #SS(0)', [ins('pop', R('rax'))], { rsp: nc });
  add('noncanon-jmp-01', 'JMP to a non-canonical target: #GP(0) at the JMP', [ins('jmp', R('rax'))], { rax: nc });
  add('noncanon-ret-01', 'RET to a non-canonical address: #GP(0) at the RET', [ins('ret')], { rsp: BigInt(STACK + 0x80) }, [{ addr: STACK, bytes: (() => { const b = randBytes(256); b.set(le(nc, 8), 0x80); return b; })() }]);
  add('noncanon-wrap-01', 'an address that wraps past 2^64 to a canonical low address is fine: base + disp wraps', [ins('mov', R('rax'), mem.qword(R('rbx'), 0x20))], { rbx: BigInt.asUintN(64, BigInt(DATA) - 0x20n) }, [{ addr: DATA, bytes: randBytes(64) }]);
  add('read-pf-01', 'read of an unmapped page: #PF, error code 0x4 (U)', [ins('mov', R('rax'), mem.qword(R('rbx')))], { rbx: 0x20040000n });
  add('write-pf-01', 'write to an unmapped page: #PF, error code 0x6 (U|W)', [ins('mov', mem.qword(R('rbx')), R('rax'))], { rbx: 0x20040000n });
  add('write-ro-pf-01', 'write to a read-only page: #PF, error code 0x7 (P|W|U)', [ins('mov', mem.qword(R('rbx')), R('rax'))], { rbx: 0x20000008n }, [{ addr: 0x20000000, bytes: randBytes(64), perm: 'r' }]);
  add('rmw-ro-pf-01', 'read-modify-write of a read-only page: #PF 0x7; nothing written', [ins('add', mem.qword(R('rbx')), R('rax'))], { rbx: 0x20000008n }, [{ addr: 0x20000000, bytes: randBytes(64), perm: 'r' }]);
  add('read-split-pf-01', '8-byte read whose last 4 bytes are on the unmapped next page: #PF 0x4', [ins('mov', R('rax'), mem.qword(R('rbx')))], { rbx: BigInt(DATA + 0xffc) }, [{ addr: DATA, bytes: randBytes(64) }]);
  add('write-split-pf-01', '8-byte write crossing into the unmapped next page: #PF 0x6; no byte written', [ins('mov', mem.qword(R('rbx')), R('rax'))], { rbx: BigInt(DATA + 0xffc) }, [{ addr: DATA + 0xf00, bytes: randBytes(256) }]);
  add('movs-split-pf-01', 'REP MOVSB whose destination runs into an unmapped page: #PF after the bytes before it are copied (RCX/RSI/RDI show progress)', [{ mn: 'movsb', ops: [], prefix: 'rep' }], { rsi: BigInt(DATA), rdi: BigInt(DATA + 0x1ff8), rcx: 16n }, [{ addr: DATA, bytes: randBytes(64) }, { addr: DATA + 0x1000, bytes: randBytes(4096) }]);
  add('fetch-pf-01', 'jump to an unmapped page: #PF on the fetch, error code 0x14 (U|I)', [ins('jmp', R('rax'))], { rax: 0x20040000n });
  add('fetch-nx-01', 'jump into a data page (NX): #PF, error code 0x15 (P|U|I)', [ins('jmp', R('rax'))], { rax: BigInt(DATA) }, [{ addr: DATA, bytes: randBytes(64) }]);
  add('push-pf-01', 'PUSH to an unmapped stack page: #PF 0x6', [ins('push', R('rax'))], { rsp: 0x20040008n });
  add('call-pf-01', 'CALL with the stack unmapped: #PF 0x6 at the CALL; RSP unchanged', [ins('call', 'f'), { label: 'f' }], { rsp: 0x20040008n });
  add('int3-mid-01', 'INT3 in the middle stops the case there', [ins('add', R('rax'), 1), raw(0xcc), ins('add', R('rax'), 1)]);
  add('int-n-gp-01', 'INT 0x21 at CPL 3 through a DPL 0 gate', [raw(0xcd, 0x21)]);
  add('ud2-after-write-01', 'UD2 after a store: the store retired', [ins('mov', mem.qword(R('rbx')), R('rax')), raw(0x0f, 0x0b)], { rbx: BigInt(DATA) }, [{ addr: DATA, bytes: randBytes(64) }]);
  // misaligned SSE operands
  for (const [mn, mk] of [['movaps', (m: Mem) => ins('movaps', R('xmm3'), m)], ['movdqa-store', (m: Mem) => ins('movdqa', m, R('xmm3'))], ['addps', (m: Mem) => ins('addps', R('xmm3'), m)], ['pxor', (m: Mem) => ins('pxor', R('xmm3'), m)], ['vmovaps-ymm', (m: Mem) => ins('vmovaps', R('ymm3'), m)], ['vaddps-unaligned-ok', (m: Mem) => ins('vaddps', R('xmm3'), R('xmm3'), m)], ['movntdq', (m: Mem) => ins('movntdq', m, R('xmm3'))], ['vmovdqa64-zmm', (m: Mem) => ins('vmovdqa64', R('zmm3'), m)]] as [string, (m: Mem) => ReturnType<typeof ins>][]) {
      const isY = mn.includes('ymm') ? 32 : mn.includes('zmm') ? 64 : 16;
      add(`${mn}-misaligned-01`, `${mn} with an operand 8 bytes past a ${isY}-byte boundary${mn.includes('ok') ? ' (VEX: no alignment needed)' : ': #GP(0)'}`, [mk(sizedMem(isY, R('rbx')))], { rbx: BigInt(DATA + 8) }, [{ addr: DATA, bytes: randBytes(128) }]);
  }
  return out;
}
