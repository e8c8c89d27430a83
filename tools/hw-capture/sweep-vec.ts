/**
 * Systematic sweep of the VEX/EVEX/opmask instructions the emulator implements: for every
 * iced Code in that domain (registry `definedCodes()`, CPUID features of the Zen 4 model
 * only), a few cases with random and edge operands, register and memory forms, merge and
 * zero masking with random masks, embedded broadcast, {er}/{sae}, and FP specials under
 * several MXCSR settings (exceptions masked). The instruction is encoded by iced-x86 from
 * its Code (so every encoding is the one named); inputs are loaded from 0x20000000
 * (`vmovdqu64 zmm`, `kmovq`, `ldmxcsr`) and the destination is stored to 0x20010000.
 *
 *   npx tsx tools/hw-capture/sweep-vec.ts capture --harness BIN [--out DIR] [--n N] [--seed S] [--only CODE-REGEX] [--budget BYTES] [--all FILE]
 *
 * Writes test/conformance/host/sweep-vec-{vex,evex,kmask}.json. With --budget, a stable hash
 * of the name keeps cases up to that many bytes in all, but every case the emulator fails
 * today is kept (so the known-failure list names captured cases).
 */
import iced from 'iced-x86';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import '../../emulator/insns/index.ts';
import { definedCodes, codeName } from '../../emulator/insns/registry.ts';
import { runCase } from '../../emulator/conform/runner.ts';
import { parseCaseFile } from '../../emulator/conform/format.ts';
import { type Spec, type Gpr, type Line, ins, R, gprs, rnd64, rint, pick, chance, le, absMem, IN, OUT, DATA, GPRS, randBytes, val, seed, build, runHarness, toCase, hostModel, CODE_ADDR, type Built } from './core.ts';
import { vdata } from './vec.ts';

const { CodeExt, OpCodeOperandKind: OK, EncodingKind, Instruction, Encoder, MemoryOperand, Register, MemorySize, RoundingControl, CpuidFeature, Mnemonic } = iced as any;

/** CPUID features of the Zen 4 (genoa) model in this domain. */
const FEATURES = new Set(['AVX', 'AVX2', 'FMA', 'F16C', 'AVX512F', 'AVX512BW', 'AVX512DQ', 'AVX512VL', 'AVX512CD', 'AVX512_VBMI', 'AVX512_VBMI2', 'AVX512_VNNI', 'AVX512_IFMA',
  'AVX512_BITALG', 'AVX512_VPOPCNTDQ', 'AVX512_BF16', 'GFNI', 'VAES', 'VPCLMULQDQ', 'AES', 'PCLMULQDQ']);
/** Not swept: BMI (integer engineer), approximations (implementation-specific), VSIB (own families), no operands. */
const SKIP_MN = /^(ANDN|BEXTR|BLS|BZHI|MULX|PDEP|PEXT|RORX|SARX|SHLX|SHRX|VRCP|VRSQRT|VZERO)/;

type Elem = 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64' | 'f16';
// exceptions masked, except the last three (all unmasked, DM unmasked, PM unmasked: #XM when raised)
const MXCSRS = [0x1f80, 0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x1fc0, 0x9f80, 0x9fc0, 0xff80, 0x1f80 | 0x3f, 0x0000, 0x1e80, 0x0f80];

function elemOf(o: any, mn: string): Elem {
  const ms = [o.memorySize, o.broadcastMemorySize].map((m: number) => MemorySize[m] as string).find((s) => s && s !== 'Unknown') ?? '';
  const m = /(Float16|Float32|Float64|BFloat16|U?Int8|U?Int16|U?Int32|U?Int64)/.exec(ms)?.[1];
  if (m) return ({ Float16: 'f16', BFloat16: 'i16', Float32: 'f32', Float64: 'f64', Int8: 'i8', UInt8: 'i8', Int16: 'i16', UInt16: 'i16', Int32: 'i32', UInt32: 'i32', Int64: 'i64', UInt64: 'i64' } as Record<string, Elem>)[m];
  const l = mn.toLowerCase();
  if (/(ps|ss)$/.test(l)) return 'f32';
  if (/(pd|sd)$/.test(l)) return 'f64';
  return (({ b: 'i8', w: 'i16', d: 'i32', q: 'i64' } as Record<string, Elem>)[l[l.length - 1]]) ?? 'i64';
}

interface Target { code: number; name: string; mn: string; enc: 'VEX' | 'EVEX'; kinds: string[]; o: any; elem: Elem; fp: boolean }

export function targets(): Target[] {
  const out: Target[] = [];
  for (const code of definedCodes()) {
    const o = CodeExt.opCode(code);
    const enc = EncodingKind[o.encoding];
    if (enc !== 'VEX' && enc !== 'EVEX') continue;
    const mn = Mnemonic[o.mnemonic] as string;
    if (SKIP_MN.test(mn.toUpperCase())) continue;
    const kinds: string[] = [];
    for (let i = 0; i < o.opCount; i++) kinds.push(OK[o.opKind(i)]);
    if (!kinds.length || kinds.some((k) => k === 'seg_rDI')) continue;
    const insn = Instruction.create(code);
    const feats = Array.from(insn.cpuidFeatures() as Int32Array, (f: number) => CpuidFeature[f] as string);
    insn.free();
    if (!feats.every((f) => FEATURES.has(f))) continue;
    const elem = elemOf(o, mn);
    const fp = elem[0] === 'f' || /CVT|^VF|RND|ROUND|GETEXP|GETMANT|SCALEF|REDUCE|RANGE|FIXUP|DPBF|DPP/.test(mn.toUpperCase());
    out.push({ code, name: codeName(code), mn: mn.toLowerCase(), enc, kinds, o, elem, fp });
  }
  return out;
}

const IMMS = [0, 1, 0xff, 0x80, 0x7f, 4, 8, 0x10, 0x1b, 0x44];
function maskVal(): bigint { return chance(0.15) ? pick([0n, (1n << 64n) - 1n, 0x5555555555555555n, 1n, 0x8000000000000000n]) : rnd64(); }

interface Form { lay?: number; lowMask?: boolean; mem: boolean; k?: 'merge' | 'zero'; bcst?: boolean; rc?: number; sae?: boolean; mx?: number }

function oneCase(t: Target, f: Form, idx: number): Spec | null {
  const o = t.o, evex = t.enc === 'EVEX';
  const usedV = new Set<number>(), usedK = new Set<number>();
  const vreg = (lim: number) => { for (;;) { const n = rint(lim); if (!usedV.has(n)) { usedV.add(n); return n; } } };
  const kreg = (zeroOk: boolean) => { for (;;) { const n = zeroOk && chance(0.1) ? 0 : 1 + rint(7); if (!usedK.has(n)) { usedK.add(n); return n; } } };
  const regs: Partial<Record<Gpr, bigint>> = {};
  const avoidG: number[] = [];
  const inB = new Uint8Array(0x200);
  const pre: Line[] = [], post: Line[] = [];
  const descs: string[] = [];
  let vslot = 0, kslot = 0;
  if (f.mx !== undefined) { inB.set(le(BigInt(f.mx), 4), 0); pre.push(ins('ldmxcsr', absMem(4, IN))); post.push(ins('stmxcsr', absMem(4, OUT))); descs.push(`MXCSR=0x${f.mx.toString(16)}`); }
  const loadK = (n: number, v: bigint) => { const a = IN + 8 + 8 * kslot++; inB.set(le(v, 8), a - IN); pre.push(ins('kmovq', R(`k${n}`), absMem(8, a))); };
  const ops: any[] = [];
  let memOp: any = null, memBytes = 0, hasMem = false;
  let storeIdx = -1, vsib = false;
  const extraV: number[] = [], allV: number[] = [];
  t.kinds.forEach((k, i) => {
    const isDest = i === 0;
    let kind = k;
    if (k.endsWith('_or_mem')) kind = f.mem ? 'mem' : k.replace('_or_mem', '_rm');
    if (kind === 'mem') {
      hasMem = true;
      const [b] = gprs(1, avoidG); avoidG.push(b);
      const disp = pick([0, rint(256) - 128, 0x40]);
      // the operand: aligned at DATA+0xf40, misaligned, or running into the unmapped page at DATA+0x1000
      const lay = f.lay ?? 0;
      const addr = lay === 0 ? DATA + 0xf40 : lay === 1 ? DATA + 0xf40 + 1 + rint(63) : DATA + 0x1000 - 1 - rint(64);
      if (lay) descs.push(`memory operand at 0x${addr.toString(16)}${lay === 2 ? ' (the page after 0x20021000 is unmapped)' : ''}`);
      regs[GPRS[b]] = BigInt(addr - disp);
      memOp = new MemoryOperand(Register.RAX + b, Register.None, 1, BigInt(disp), disp ? 1 : 0, !!f.bcst, Register.None);
      ops.push({ t: 'm' });
      return;
    }
    const vs = /^mem_vsib(32|64)([xyz])$/.exec(kind);
    if (vs) {
      // gather/scatter: base DATA+0xf00, indices into the 256-byte region; now and then one past the page end
      hasMem = true; vsib = true;
      const [b] = gprs(1, avoidG); avoidG.push(b);
      regs[GPRS[b]] = BigInt(DATA + 0xf00);
      const iw = Number(vs[1]), xn = vreg(evex ? 32 : 16), scale = pick([1, 2, 4, 8]);
      const idx = new Uint8Array(64);
      for (let e = 0; e < 64 / (iw / 8); e++) {
        const off = chance(0.08) ? 0x100 + rint(0x100) : rint(0xf8 / scale + 1) * scale - (chance(0.3) ? rint(8) : 0);
        idx.set(le(BigInt.asUintN(iw, BigInt(Math.floor(Math.max(off, 0) / scale))), iw / 8), e * iw / 8);
      }
      const a = IN + 0x40 + 0x40 * vslot++;
      inB.set(idx, a - IN);
      pre.push(ins('vmovdqu64', R(`zmm${xn}`), absMem(64, a)));
      extraV.push(xn);
      const xb = vs[2] === 'x' ? Register.XMM0 : vs[2] === 'y' ? Register.YMM0 : Register.ZMM0;
      memOp = new MemoryOperand(Register.RAX + b, xb + xn, scale, 0n, 0, false, Register.None);
      descs.push(`VSIB base 0x${(DATA + 0xf00).toString(16)}, scale ${scale}`);
      ops.push({ t: 'm' });
      return;
    }
    if (kind === 'imm8') { const v = chance(0.5) ? pick(IMMS) : rint(256); ops.push({ t: 'i', v }); descs.push(`imm8=0x${v.toString(16)}`); return; }
    const m = /^(xmm|ymm|zmm|k|r32|r64)_(reg|rm|vvvv|is4)$/.exec(kind);
    if (!m) throw new Error(`operand kind ${k}`);
    const [, cls, where] = m;
    if (cls === 'k') {
      const n = kreg(false);
      if (!isDest || t.o.isOpMaskReadWrite) loadK(n, maskVal());
      if (isDest) { post.push(ins('kmovq', absMem(8, OUT + 8), R(`k${n}`))); }
      if (!isDest && !t.kinds[0].startsWith('k')) { /* source mask */ }
      ops.push({ t: 'r', r: Register.K0 + n });
      return;
    }
    if (cls === 'r32' || cls === 'r64') {
      const [n] = gprs(1, avoidG); avoidG.push(n);
      regs[GPRS[n]] = chance(0.5) ? val(64) : rnd64();
      ops.push({ t: 'r', r: (cls === 'r32' ? Register.EAX : Register.RAX) + n });
      return;
    }
    const lim = !evex || where === 'is4' ? 16 : 32;
    const n = vreg(lim);
    const a = IN + 0x40 + 0x40 * vslot++;
    inB.set(vdata(t.elem, 64), a - IN);
    pre.push(ins('vmovdqu64', R(`zmm${n}`), absMem(64, a)));
    if (isDest) storeIdx = n; else allV.push(n);
    const base = cls === 'xmm' ? Register.XMM0 : cls === 'ymm' ? Register.YMM0 : Register.ZMM0;
    ops.push({ t: 'r', r: base + n });
  });
  if (f.mem !== hasMem) return null;
  if (hasMem) {
    // element data for the memory operand at DATA+0x40
    const d = new Uint8Array(0x100); d.set(randBytes(0x100)); d.set(vdata(t.elem, 64), 0x40); d.set(vdata(t.elem, 64), 0xc0);
    memBytes = 0x100;
    (ops as any).dataRegion = d;
  }
  if (storeIdx >= 0) post.push(ins('vmovdqu64', absMem(64, OUT + 0x40), R(`zmm${storeIdx}`)));
  // gathers also clear their mask (a vector register for VEX, the opmask for EVEX): store every other vector register
  if (vsib) allV.forEach((n, j) => post.push(ins('vmovdqu64', absMem(64, OUT + 0x80 + 0x40 * j), R(`zmm${n}`))));
  // build the iced instruction
  const sig = ops.map((x: any) => (x.t === 'r' ? 'Reg' : x.t === 'm' ? 'Mem' : 'U32')).join('');
  const fn = (Instruction as any)[`create${sig}`];
  if (!fn) throw new Error(`no Instruction.create${sig}`);
  const args = ops.map((x: any) => (x.t === 'r' ? x.r : x.t === 'm' ? memOp : x.v));
  const insn = fn.call(Instruction, t.code, ...args);
  if (f.k) {
    const kn = kreg(false);
    const kv = f.lowMask ? rnd64() & ((1n << BigInt(1 + rint(8))) - 1n) : maskVal();
    loadK(kn, kv);
    insn.opMask = Register.K0 + kn;
    if (f.k === 'zero') insn.zeroingMasking = true;
    if (vsib) post.push(ins('kmovq', absMem(8, OUT + 8), R(`k${kn}`)));
    descs.push(`{k${kn}}${f.k === 'zero' ? '{z}' : ''} k${kn}=0x${kv.toString(16)}`);
  }
  if (f.bcst) { insn.isBroadcast = true; descs.push('{1toN}'); }
  if (f.rc) { insn.roundingControl = f.rc; descs.push(`{${['', 'rn', 'rd', 'ru', 'rz'][f.rc]}-sae}`); }
  else if (f.sae) { insn.suppressAllExceptions = true; descs.push('{sae}'); }
  const enc = new Encoder(64);
  let bytes: Uint8Array;
  try { enc.encode(insn, CODE_ADDR); bytes = enc.takeBuffer(); } finally { enc.free(); insn.free(); }
  const memory: Spec['memory'] = [];
  let used = inB.length; while (used > 16 && inB[used - 1] === 0) used--;
  memory.push({ addr: IN, bytes: inB.slice(0, (used + 15) & ~15), perm: 'r' });
  memory.push({ addr: OUT, bytes: new Uint8Array(vsib ? 0x80 + 0x40 * allV.length : storeIdx >= 0 ? 0x80 : 0x10) });
  if (hasMem) memory.push({ addr: DATA + 0xf00, bytes: (ops as any).dataRegion.slice(0, memBytes) });
  const form = `${f.mem ? (f.lowMask ? 'mfs' : ['m', 'mu', 'mx'][f.lay ?? 0]) : 'r'}${f.k ? (f.k === 'zero' ? 'kz' : 'k') : ''}${f.bcst ? 'b' : ''}${f.rc ? ['', 'rn', 'rd', 'ru', 'rz'][f.rc] : f.sae ? 'sae' : ''}`;
  return {
    name: `sweep-vec/${t.name}-${form}-${String(idx).padStart(2, '0')}`,
    note: `${t.name} (${t.o.instructionString}); ${descs.join(', ')}; the destination is stored whole (zmm/kmovq)${f.mx !== undefined ? ', then MXCSR' : ''}`,
    regs, memory, code: [...pre, { bytes: [...bytes] }, ...post],
  };
}

export function sweep(n: number, only?: RegExp): Spec[] {
  const out: Spec[] = [];
  for (const t of targets()) {
    if (only && !only.test(t.name)) continue;
    const o = t.o;
    const hasMem = t.kinds.some((k) => k.startsWith('mem') || k.endsWith('_or_mem'));
    const hasReg = !t.kinds.some((k) => k.startsWith('mem'));
    const forms: Form[] = [];
    const mx = () => (t.fp ? pick(MXCSRS) : undefined);
    for (let i = 0; i < n; i++) {
      const km = o.requireOpMaskRegister ? 'merge' as const : o.canUseOpMaskRegister ? pick([undefined, 'merge', 'merge', o.canUseZeroingMasking ? 'zero' : 'merge'] as const) : undefined;
      if (hasReg) forms.push({ mem: false, k: km, mx: mx() });
      if (hasMem && (i < Math.ceil(n / 2))) forms.push({ mem: true, k: km, mx: mx(), lay: chance(0.6) ? 0 : chance(0.5) ? 1 : 2 });
    }
    // memory fault suppression: only low elements selected, the operand runs into the unmapped page
    if (hasMem && o.canUseOpMaskRegister) for (let i = 0; i < 2; i++) forms.push({ mem: true, lay: 2, lowMask: true, k: i ? 'merge' : o.canUseZeroingMasking ? 'zero' : 'merge', mx: mx() });
    if (hasMem && o.canBroadcast) forms.push({ mem: true, bcst: true, k: o.canUseOpMaskRegister ? 'merge' : undefined, mx: mx() });
    if (hasReg && o.canUseRoundingControl) forms.push({ mem: false, rc: 1 + rint(4), k: o.canUseOpMaskRegister && chance(0.5) ? 'merge' : undefined, mx: mx() });
    else if (hasReg && o.canSuppressAllExceptions) forms.push({ mem: false, sae: true, k: o.canUseOpMaskRegister && chance(0.5) ? 'merge' : undefined, mx: mx() });
    const seen = new Map<string, number>();
    for (const f of forms) {
      const key = JSON.stringify([f.mem, f.lay, f.lowMask, f.k, f.bcst, f.rc, f.sae]);
      const idx = (seen.get(key) ?? 0) + 1; seen.set(key, idx);
      try { const s = oneCase(t, f, idx); if (s) out.push(s); } catch (e) { console.error(`skip ${t.name}: ${(e as Error).message.split('\n')[0].slice(0, 160)}`); }
    }
  }
  return out;
}

function fnv(s: string): number { let x = 0x811c9dc5; for (const c of s) { x ^= c.charCodeAt(0); x = Math.imul(x, 0x01000193) >>> 0; } return x; }

const args = process.argv.slice(2);
const opt = (k: string) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
if (args[0] === 'capture') {
  const bin = opt('--harness') ?? '/tmp/hwcap';
  const outDir = opt('--out') ?? 'test/conformance/host';
  const budget = Number(opt('--budget') ?? 6e6);
  mkdirSync(outDir, { recursive: true });
  seed(BigInt(opt('--seed') ?? '0x5eec5eec'));
  const specs = sweep(Number(opt('--n') ?? 3), opt('--only') ? new RegExp(opt('--only')!) : undefined);
  const built: Built[] = [];
  for (const s of specs) { try { built.push(build(s)); } catch (e) { console.error(`${s.name}: cannot assemble: ${(e as Error).message.split('\n')[0].slice(0, 200)}`); } }
  const { results, unstable } = runHarness(bin, built, 2);
  const model = hostModel();
  const source = `captured on hardware: ${model} (this host; AVX-512 Zen), Linux user mode (CPL 3), by tools/hw-capture/sweep-vec.ts (harness.c, 2 runs per case, identical)`;
  const caps: { name: string; json: string; file: string; c: unknown }[] = [];
  results.forEach((r, k) => {
    const b = built[k];
    if (typeof r === 'string') { console.error(`${b.spec.name}: harness ${r}`); return; }
    if (unstable.includes(k)) { console.error(`${b.spec.name}: runs differ, dropped`); return; }
    const c = toCase(b, r);
    const nm = b.spec.name.slice('sweep-vec/'.length);
    caps.push({ name: b.spec.name, json: JSON.stringify(c), c, file: /^VEX_K/.test(nm) ? 'kmask' : nm.startsWith('VEX_') ? 'vex' : 'evex' });
  });
  if (opt('--all')) writeFileSync(opt('--all')!, JSON.stringify({ format: 'x86-conformance/1', cpu: 'genoa', source, cases: caps.map((a) => a.c) }));
  console.error(`${caps.length} captured; running the emulator`);
  const all: { name: string; json: string; fail: boolean; file: string }[] = [];
  for (const a of caps) {
    const doc = parseCaseFile(JSON.stringify({ format: 'x86-conformance/1', cpu: 'genoa', source, cases: [a.c] }), 'x');
    if (process.env.SWEEP_TRACE) console.error(a.name);
    const res = runCase(doc.cases[0], 'genoa');
    all.push({ name: a.name, json: a.json, fail: res !== null, file: a.file });
    if (res !== null) console.log(`FAIL ${a.name}: ${res}`);
  }
  // keep every failing case, then by hash until the budget is spent
  let size = all.filter((a) => a.fail).reduce((s, a) => s + a.json.length + 2, 0);
  const rest = all.filter((a) => !a.fail).sort((a, b) => fnv(a.name) - fnv(b.name));
  const keep = new Set(all.filter((a) => a.fail).map((a) => a.name));
  for (const a of rest) { if (size + a.json.length + 2 > budget) continue; size += a.json.length + 2; keep.add(a.name); }
  for (const file of ['vex', 'evex', 'kmask']) {
    const cs = all.filter((a) => a.file === file && keep.has(a.name));
    writeFileSync(join(outDir, `sweep-vec-${file}.json`), `{"format": "x86-conformance/1", "cpu": "genoa",\n "source": ${JSON.stringify(source)},\n "cases": [\n${cs.map((c) => c.json).join(',\n')}\n]}\n`);
    console.log(`sweep-vec-${file}: ${cs.length} cases`);
  }
  console.log(`${all.length} captured, ${all.filter((a) => a.fail).length} failing in the emulator, ${keep.size} kept (${size} bytes)`);
}
