/** SSE, AVX/AVX2, AVX-512 and opmask families: inputs loaded from 0x20000000, results stored to 0x20010000. */
import { type Operand, type Decorator, rn_sae, rd_sae, ru_sae, rz_sae, sae } from '../../guest-kernel/asm/index.ts';
import { type Spec, type Gpr, type Line, ins, R, gname, gprs, rnd64, rint, pick, chance, mask, le, absMem, sizedMem, IN, OUT, DATA, GPRS, randBytes, val } from './core.ts';

type Elem = 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64' | 'f16';
type Enc = 'sse' | 'vex' | 'evex';
const EB: Record<Elem, number> = { i8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8, f16: 2 };

const F32S = [0n, 0x80000000n, 0x3f800000n, 0xbf800000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0xffc00000n, 0x7fa00001n, 0xff811111n, 0x7f7fffffn, 0x00800000n, 0x00000001n, 0x807fffffn, 0x00400000n, 0x3fc00000n, 0x4f000000n, 0xcf000000n, 0x5f000000n, 0x3effffffn];
const F64S = [0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff0000000000001n, 0x7fefffffffffffffn, 0x0010000000000000n, 0x0000000000000001n, 0x800fffffffffffffn, 0x3ff8000000000000n, 0x41e0000000000000n, 0xc3e0000000000000n, 0x43f0000000000000n];
function fpElem(bits: number): bigint {
  if (chance(0.35)) return pick(bits === 32 ? F32S : F64S);
  const r = rnd64() & mask(bits);
  if (chance(0.2)) return r;
  // a normal number with an exponent near 0, so operations round
  if (bits === 32) return (r & 0x807fffffn) | (BigInt(127 + rint(40) - 20) << 23n);
  return (r & 0x800fffffffffffffn) | (BigInt(1023 + rint(80) - 40) << 52n);
}
function f16Elem(): bigint { return chance(0.3) ? pick([0n, 0x8000n, 0x3c00n, 0x7c00n, 0xfc00n, 0x7e00n, 0x7d00n, 0x0001n, 0x03ffn, 0x7bffn]) : rnd64() & 0xffffn; }
export function vdata(elem: Elem, n: number): Uint8Array {
  const b = new Uint8Array(n), eb = EB[elem];
  for (let o = 0; o < n; o += eb) {
    const v = elem === 'f32' ? fpElem(32) : elem === 'f64' ? fpElem(64) : elem === 'f16' ? f16Elem() : val(eb * 8);
    b.set(le(v, eb), o);
  }
  return b;
}

const MXCSRS = [0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x1fc0, 0x9f80, 0x9fc0, 0xff80, 0x1fbf & ~0x3f | 0x1f80];
const mxName = (m: number) => `MXCSR=${'0x' + m.toString(16)} (RC ${['nearest', 'down', 'up', 'zero'][(m >> 13) & 3]}${m & 0x40 ? ', DAZ' : ''}${m & 0x8000 ? ', FTZ' : ''})`;

export interface VOpts {
  fam: string; mn: string; ops: string; w: number; enc: Enc; elem: Elem;
  imm?: number; mem?: boolean; k?: 'merge' | 'zero'; bcst?: boolean; er?: Decorator; mx?: number; tag?: string; note?: string;
  regs?: Partial<Record<Gpr, bigint>>; data?: (slot: number, bytes: number) => Uint8Array;
}

const vname = (n: number, w: number) => `${w === 128 ? 'x' : w === 256 ? 'y' : 'z'}mm${n}`;
const SIZES: Record<string, (w: number) => number> = { '': (w) => w, h: (w) => Math.max(128, w / 2), q: (w) => Math.max(128, w / 4), X: () => 128, Y: () => 256, Z: () => 512 };

/** Builds one vector case from an operand-shape string (see the token list in README.md). */
export function vcase(o: VOpts): Spec {
  const toks = o.ops.split(',').filter(Boolean);
  const evex = o.enc === 'evex';
  const used = new Set<number>();
  const vreg = () => { for (;;) { const n = rint(evex ? 32 : 16); if (!used.has(n) && !(o.enc === 'sse' && n === 0)) { used.add(n); return n; } } };
  const kused = new Set<number>();
  const kreg = () => { for (;;) { const n = 1 + rint(7); if (!kused.has(n)) { kused.add(n); return n; } } };
  const regs: Partial<Record<Gpr, bigint>> = { ...(o.regs ?? {}) };
  const pre: Line[] = [], post: Line[] = [];
  const inBytes: Uint8Array = new Uint8Array(0x300);
  const ops: Operand[] = [];
  const data = o.data ?? ((_s: number, n: number) => vdata(o.elem, n));
  let slot = 0, outSlot = 0, kOut = 0;
  const mx = o.mx;
  let memDest = false;
  const descs: string[] = [];
  if (mx !== undefined) { inBytes.set(le(BigInt(mx), 4), 0); pre.push(ins('ldmxcsr', absMem(4, IN))); }
  let wk: number | undefined;
  if (o.k) { wk = kreg(); const kv = rnd64(); inBytes.set(le(kv, 8), 8); pre.push(ins('kmovq', R(`k${wk}`), absMem(8, IN + 8))); descs.push(`k${wk}=0x${kv.toString(16)}`); }
  let kin = 1;
  toks.forEach((t, ti) => {
    const [main, alt] = t.split('/');
    const useMem = !!alt && !!o.mem;
    if (useMem || main.startsWith('M')) {
      const spec = useMem ? alt : main;
      const isDest = spec.startsWith('Md');
      const sz = spec.replace(/^M[ds]?|^m/, '');
      const bytes = o.bcst && useMem ? EB[o.elem] : /^\d+$/.test(sz) ? Number(sz) / 8 : sz === 'h' ? o.w / 16 : sz === 'q' ? o.w / 32 : SIZES[sz](o.w) / 8;
      const region = isDest ? DATA : IN + 0x200;
      if (!isDest) inBytes.set(data(9, 64), 0x200);
      const avoid = Object.keys(regs).map((g) => GPRS.indexOf(g as Gpr));
      const [b] = gprs(1, avoid);
      const disp = pick([0, rint(256) - 128, rint(1 << 20)]);
      regs[GPRS[b]] = BigInt(region - disp);
      let m = sizedMem(bytes, R(GPRS[b]), disp);
      if (o.bcst && useMem) m = m.b;
      if (isDest) { memDest = true; if (o.k && ti === 0) { m = m.k(R(`k${wk}`)); } }
      ops.push(m);
      return;
    }
    if (main === 'I') { ops.push(o.imm ?? rint(256)); return; }
    if (main === 'Kd' || main === 'Ks') {
      const n = kreg();
      if (main === 'Ks') { const kv = rnd64(); inBytes.set(le(kv, 8), 8 + 8 * kin); pre.push(ins('kmovq', R(`k${n}`), absMem(8, IN + 8 + 8 * kin))); kin++; }
      else { post.push(ins('kmovq', absMem(8, OUT + 8 + 8 * kOut), R(`k${n}`))); kOut++; }
      let r = R(`k${n}`);
      if (main === 'Kd' && o.k && ti === 0) r = r.k(R(`k${wk}`));
      ops.push(r);
      return;
    }
    if (main.startsWith('G')) {
      const gw = Number(main.slice(2));
      const avoid = Object.keys(regs).map((g) => GPRS.indexOf(g as Gpr));
      const [n] = gprs(1, avoid);
      regs[GPRS[n]] = main[1] === 's' ? val(64) : rnd64();
      ops.push(R(gname(n, gw)));
      return;
    }
    // vector register
    const cls = main[0];
    const rw = cls === 'V' ? o.w : SIZES[cls === 'H' ? 'h' : cls === 'Q' ? 'q' : cls](o.w);
    const n = vreg();
    const isDest = main.length === 1 || main.endsWith('d');
    inBytes.set(data(slot, 64), 0x40 + 0x40 * slot);
    pre.push(ins('vmovdqu64', R(`zmm${n}`), absMem(64, IN + 0x40 + 0x40 * slot)));
    slot++;
    if (isDest || main.endsWith('x')) { post.push(ins('vmovdqu64', absMem(64, OUT + 0x40 + 0x40 * outSlot), R(`zmm${n}`))); outSlot++; }
    let r = R(vname(n, rw));
    if (ti === 0 && o.k && isDest) { r = r.k(R(`k${wk}`)); if (o.k === 'zero') r = r.z; }
    ops.push(r);
  });
  if (o.enc === 'sse') { inBytes.set(data(7, 64), 0x40 + 0x40 * slot); pre.push(ins('vmovdqu64', R('zmm0'), absMem(64, IN + 0x40 + 0x40 * slot))); }
  if (o.er) ops.push(o.er);
  if (mx !== undefined) post.push(ins('stmxcsr', absMem(4, OUT)));
  let used_ = inBytes.length; while (used_ > 16 && inBytes[used_ - 1] === 0) used_--;
  const memory: { addr: number; bytes: Uint8Array; perm?: "r" | "rw" }[] = [{ addr: IN, bytes: inBytes.slice(0, (used_ + 15) & ~15), perm: 'r' as const }, { addr: OUT, bytes: new Uint8Array(0x40 + 0x40 * Math.max(outSlot, 1)) }];
  if (memDest) memory.push({ addr: DATA, bytes: randBytes(128) });
  const form = o.tag ?? `${o.w}${o.mem ? 'm' : 'r'}${o.k ? (o.k === 'zero' ? 'kz' : 'k') : ''}${o.bcst ? 'b' : ''}${o.er ? o.er.name.replace('-sae', '') : ''}`;
  const note = [`${o.mn.toUpperCase()} ${o.enc.toUpperCase()}.${o.w} (${o.mem ? 'memory' : 'register'} source${o.bcst ? ', embedded broadcast' : ''}${o.er ? `, {${o.er.name}}` : ''})`,
    o.k ? `masking ${o.k === 'zero' ? '{z}' : 'merge'} with ${descs[0]}` : '', mx !== undefined ? mxName(mx) + ', exceptions masked; result and MXCSR flags' : '', o.note ?? ''].filter(Boolean).join('; ');
  return { name: `${o.fam}/${o.mn}-${form}`, note, regs, memory, code: [...pre, ins(o.mn, ...ops), ...post] };
}

/** Adds variants of one instruction: every width, register and memory forms, and `n` random data sets each. */
function variants(out: Spec[], base: Omit<VOpts, 'w' | 'mem'>, widths: number[], opts: { mem?: boolean; n?: number; k?: boolean; bcst?: boolean; er?: boolean; fp?: boolean } = {}) {
  const n = opts.n ?? 1;
  const seen = new Set(out.map((s) => s.name));
  const push = (s: Spec) => { let name = s.name, k = 1; while (seen.has(`${name}-${String(k).padStart(2, '0')}`)) k++; s.name = `${name}-${String(k).padStart(2, '0')}`; seen.add(s.name); out.push(s); };
  for (const w of widths) for (const m of opts.mem === false ? [false] : [false, true]) for (let i = 0; i < n; i++) {
    const mx = opts.fp ? pick(MXCSRS) : undefined;
    const t = (f: () => Spec) => { try { push(f()); } catch (e) { console.error(`skip ${base.mn} ${base.ops} ${w} ${m}: ${(e as Error).message.split('\n')[0].slice(0, 200)}`); } };
    t(() => vcase({ ...base, w, mem: m, mx }));
    if (opts.k) { t(() => vcase({ ...base, w, mem: m, mx, k: 'merge' })); if (i === 0 && w === widths[widths.length - 1]) t(() => vcase({ ...base, w, mem: m, mx, k: 'zero' })); }
    if (opts.bcst && m && i === 0) t(() => vcase({ ...base, w, mem: true, mx, bcst: true, k: opts.k ? 'merge' : undefined }));
    if (opts.er && !m && w === 512 && i === 0) for (const er of [rn_sae, rd_sae, ru_sae, rz_sae]) t(() => vcase({ ...base, w, mem: false, mx, er }));
  }
}

// ------------------------------------------------------------------ SSE integer
export function sseInt(): Spec[] {
  const out: Spec[] = [];
  const bin: [string, Elem][] = [];
  for (const [p, e] of [['b', 'i8'], ['w', 'i16'], ['d', 'i32'], ['q', 'i64']] as [string, Elem][]) bin.push([`padd${p}`, e], [`psub${p}`, e], [`pcmpeq${p}`, e], [`pcmpgt${p}`, e]);
  bin.push(['paddsb', 'i8'], ['paddsw', 'i16'], ['paddusb', 'i8'], ['paddusw', 'i16'], ['psubsb', 'i8'], ['psubsw', 'i16'], ['psubusb', 'i8'], ['psubusw', 'i16'],
    ['pmullw', 'i16'], ['pmulhw', 'i16'], ['pmulhuw', 'i16'], ['pmuludq', 'i64'], ['pmuldq', 'i64'], ['pmulld', 'i32'], ['pmaddwd', 'i16'], ['pmaddubsw', 'i8'], ['pmulhrsw', 'i16'],
    ['pavgb', 'i8'], ['pavgw', 'i16'], ['psadbw', 'i8'], ['pminub', 'i8'], ['pminsw', 'i16'], ['pminsb', 'i8'], ['pminsd', 'i32'], ['pminuw', 'i16'], ['pminud', 'i32'],
    ['pmaxub', 'i8'], ['pmaxsw', 'i16'], ['pmaxsb', 'i8'], ['pmaxsd', 'i32'], ['pmaxuw', 'i16'], ['pmaxud', 'i32'], ['pand', 'i64'], ['pandn', 'i64'], ['por', 'i64'], ['pxor', 'i64'],
    ['packsswb', 'i16'], ['packssdw', 'i32'], ['packuswb', 'i16'], ['packusdw', 'i32'], ['punpcklbw', 'i8'], ['punpcklwd', 'i16'], ['punpckldq', 'i32'], ['punpcklqdq', 'i64'],
    ['punpckhbw', 'i8'], ['punpckhwd', 'i16'], ['punpckhdq', 'i32'], ['punpckhqdq', 'i64'], ['pshufb', 'i8'], ['psignb', 'i8'], ['psignw', 'i16'], ['psignd', 'i32'],
    ['phaddw', 'i16'], ['phaddd', 'i32'], ['phaddsw', 'i16'], ['phsubw', 'i16'], ['phsubd', 'i32'], ['phsubsw', 'i16'], ['pcmpgtq', 'i64'],
    ['psllw', 'i16'], ['pslld', 'i32'], ['psllq', 'i64'], ['psrlw', 'i16'], ['psrld', 'i32'], ['psrlq', 'i64'], ['psraw', 'i16'], ['psrad', 'i32'], ['pblendvb', 'i8'], ['ptest', 'i64']);
  const shiftCount = (_s: number, n: number) => { const b = randBytes(n); b.fill(0, 1, 8); b[0] = pick([0, 1, 7, 15, 16, 31, 32, 63, 64, 200]); if (chance(0.2)) b[3] = 1; return b; };
  for (const [mn, elem] of bin) {
    const isShift = /^ps(ll|rl|ra)[wdq]$/.test(mn);
    variants(out, { fam: 'sse-int', mn, ops: mn === 'ptest' ? 'Vs,Vs/m' : 'V,Vs/m', enc: 'sse', elem, data: isShift ? (s, n) => (s === 1 || s === 9 ? shiftCount(s, n) : vdata(elem, n)) : undefined }, [128], { n: 2 });
  }
  for (const [mn, elem, ops] of [['pabsb', 'i8', 'Vd,Vs/m'], ['pabsw', 'i16', 'Vd,Vs/m'], ['pabsd', 'i32', 'Vd,Vs/m'], ['phminposuw', 'i16', 'Vd,Vs/m'],
    ['pmovzxbw', 'i8', 'Vd,Vs/m64'], ['pmovzxbd', 'i8', 'Vd,Vs/m32'], ['pmovzxbq', 'i8', 'Vd,Vs/m16'], ['pmovzxwd', 'i16', 'Vd,Vs/m64'], ['pmovzxwq', 'i16', 'Vd,Vs/m32'], ['pmovzxdq', 'i32', 'Vd,Vs/m64'],
    ['pmovsxbw', 'i8', 'Vd,Vs/m64'], ['pmovsxbd', 'i8', 'Vd,Vs/m32'], ['pmovsxbq', 'i8', 'Vd,Vs/m16'], ['pmovsxwd', 'i16', 'Vd,Vs/m64'], ['pmovsxwq', 'i16', 'Vd,Vs/m32'], ['pmovsxdq', 'i32', 'Vd,Vs/m64'],
    ['pmovmskb', 'i8', 'Gd32,Vs'], ['movmskps', 'f32', 'Gd32,Vs'], ['movmskpd', 'f64', 'Gd32,Vs'], ['movq', 'i64', 'Vd,Vs/m64'], ['movd', 'i32', 'Vd,Gs32/m32'], ['movd', 'i32', 'Gd32,Vs'], ['movq', 'i64', 'Gd64,Vs'],
  ] as [string, Elem, string][]) variants(out, { fam: 'sse-int', mn, ops, enc: 'sse', elem }, [128], { n: 2, mem: ops.includes('/') });
  for (const [mn, elem, ops, imms] of [['pshufd', 'i32', 'Vd,Vs/m,I', [0x1b, 0, 0xff, -1]], ['pshufhw', 'i16', 'Vd,Vs/m,I', [0x1b, -1]], ['pshuflw', 'i16', 'Vd,Vs/m,I', [0xe4, -1]],
    ['psllw', 'i16', 'V,I', [0, 1, 15, 16, 200]], ['pslld', 'i32', 'V,I', [1, 31, 32]], ['psllq', 'i64', 'V,I', [1, 63, 64]], ['psrlw', 'i16', 'V,I', [3, 16]], ['psrld', 'i32', 'V,I', [5, 33]], ['psrlq', 'i64', 'V,I', [7, 64]],
    ['psraw', 'i16', 'V,I', [1, 15, 16, 255]], ['psrad', 'i32', 'V,I', [1, 31, 32]], ['pslldq', 'i8', 'V,I', [1, 15, 16, 255]], ['psrldq', 'i8', 'V,I', [3, 16]],
    ['palignr', 'i8', 'V,Vs/m,I', [0, 4, 15, 16, 20, 32, 255]], ['pblendw', 'i16', 'V,Vs/m,I', [0xa5, -1]], ['mpsadbw', 'i8', 'V,Vs/m,I', [0, 5, 7]], ['pclmulqdq', 'i64', 'V,Vs/m,I', [0, 1, 0x10, 0x11]],
    ['pinsrb', 'i8', 'V,Gs32/m8,I', [0, 15, 17]], ['pinsrw', 'i16', 'V,Gs32/m16,I', [0, 7, 9]], ['pinsrd', 'i32', 'V,Gs32/m32,I', [0, 3]], ['pinsrq', 'i64', 'V,Gs64/m64,I', [1]],
    ['pextrb', 'i8', 'Gd32,Vs,I', [0, 15, 17]], ['pextrw', 'i16', 'Gd32,Vs,I', [0, 7]], ['pextrd', 'i32', 'Gd32,Vs,I', [1, 3]], ['pextrq', 'i64', 'Gd64,Vs,I', [1]],
  ] as [string, Elem, string, number[]][]) for (const imm of imms) variants(out, { fam: 'sse-int', mn, ops, enc: 'sse', elem, imm: imm < 0 ? rint(256) : imm }, [128], { mem: ops.includes('/') });
  // PCMPxSTRx: the string data is short words/bytes with terminators; lengths in EAX/EDX for the explicit forms
  const strData = (_s: number, n: number) => { const b = new Uint8Array(n); const alpha = pick([4, 16, 256]); for (let i = 0; i < n; i++) b[i] = rint(alpha) + (alpha < 256 ? 0x61 : 0); if (chance(0.5)) b[rint(16)] = 0; if (chance(0.3)) b[rint(16)] = 0; return b; };
  for (const mn of ['pcmpestri', 'pcmpestrm', 'pcmpistri', 'pcmpistrm']) for (let i = 0; i < 14; i++) {
    const imm = i < 12 ? [0x00, 0x04, 0x08, 0x0c, 0x01, 0x05, 0x09, 0x0d, 0x10, 0x34, 0x40, 0x7a][i] | (chance(0.3) ? 0x40 : 0) : rint(128);
    const regs = mn.includes('estr') ? { rax: BigInt.asUintN(64, BigInt(pick([0, 1, 5, 8, 16, 17, -3, -20, rint(40) - 20]))), rdx: BigInt.asUintN(64, BigInt(pick([0, 2, 7, 16, 100, -1, rint(40) - 20]))) } : {};
    variants(out, { fam: 'sse-int', mn, ops: 'Vs,Vs/m,I', enc: 'sse', elem: 'i8', imm, regs, data: strData, note: `imm8 ${'0x' + imm.toString(16)}; flags CF ZF SF OF from the comparison, AF PF cleared` }, [128], { mem: i % 3 === 0 ? undefined : false });
  }
  // CRC32
  for (const [d, s] of [[32, 8], [32, 16], [32, 32], [64, 8], [64, 64]]) for (const m of [false, true]) for (let i = 0; i < 3; i++) {
    const regs: Partial<Record<Gpr, bigint>> = {};
    const [dn, sn] = gprs(2);
    regs[GPRS[dn]] = rnd64(); regs[GPRS[sn]] = rnd64();
    const src = m ? sizedMem(s / 8, R(GPRS[sn]), 0) : R(gname(sn, s));
    if (m) regs[GPRS[sn]] = BigInt(IN + 0x10);
    out.push({ name: `sse-int/crc32-${d}-${s}${m ? 'm' : 'r'}-${String(i + 1).padStart(2, '0')}`, note: `CRC32 (Castagnoli) accumulating a ${s}-bit source into a ${d}-bit register; flags unchanged`, regs, memory: [{ addr: IN, bytes: randBytes(64), perm: 'r' }], code: [ins('crc32', R(gname(dn, d)), src)] });
  }
  return out;
}

// ------------------------------------------------------------------ SSE floating point
export function sseFp(): Spec[] {
  const out: Spec[] = [];
  for (const [sfx, elem, sz] of [['ps', 'f32', ''], ['pd', 'f64', ''], ['ss', 'f32', '32'], ['sd', 'f64', '64']] as [string, Elem, string][]) {
    for (const op of ['add', 'sub', 'mul', 'div', 'min', 'max', 'sqrt']) variants(out, { fam: 'sse-fp', mn: op + sfx, ops: op === 'sqrt' && sfx[0] === 'p' ? 'Vd,Vs/m' : `V,Vs/m${sz}`, enc: 'sse', elem }, [128], { n: 3, fp: true });
    for (const imm of [0, 1, 2, 3, 4, 5, 6, 7]) variants(out, { fam: 'sse-fp', mn: 'cmp' + sfx, ops: `V,Vs/m${sz},I`, enc: 'sse', elem, imm }, [128], { fp: true, mem: imm === 3 ? undefined : false });
    for (const imm of [0, 1, 2, 3, 4, 8, 9, 0xc]) variants(out, { fam: 'sse-fp', mn: 'round' + sfx, ops: sfx[0] === 'p' ? 'Vd,Vs/m,I' : `V,Vs/m${sz},I`, enc: 'sse', elem, imm }, [128], { fp: true, mem: false });
  }
  for (const mn of ['comiss', 'ucomiss', 'comisd', 'ucomisd']) variants(out, { fam: 'sse-fp', mn, ops: `Vs,Vs/m${mn.endsWith('ss') ? 32 : 64}`, enc: 'sse', elem: mn.endsWith('ss') ? 'f32' : 'f64', note: 'ZF PF CF from the comparison, OF SF AF cleared' }, [128], { fp: true, n: 6 });
  for (const [mn, elem] of [['andps', 'f32'], ['andnps', 'f32'], ['orps', 'f32'], ['xorps', 'f32'], ['unpcklps', 'f32'], ['unpckhpd', 'f64'], ['haddps', 'f32'], ['hsubpd', 'f64'], ['addsubps', 'f32'], ['addsubpd', 'f64'], ['blendvps', 'f32'], ['movsd', 'f64'], ['movss', 'f32'], ['movhlps', 'f32'], ['movlhps', 'f32']] as [string, Elem][])
    variants(out, { fam: 'sse-fp', mn, ops: mn.startsWith('mov') ? 'V,Vs' : 'V,Vs/m', enc: 'sse', elem }, [128], { fp: true, n: 2, mem: mn.startsWith('mov') ? false : undefined });
  for (const [mn, imms] of [['shufps', [0x1b, -1]], ['shufpd', [1, 2]], ['dpps', [0xff, 0x71, -1]], ['dppd', [0x33, 0x31, -1]], ['blendps', [5]], ['insertps', [0x1d, 0xc0, -1]]] as [string, number[]][])
    for (const imm of imms) variants(out, { fam: 'sse-fp', mn, ops: mn === 'insertps' ? 'V,Vs/m32,I' : 'V,Vs/m,I', enc: 'sse', elem: mn.endsWith('d') ? 'f64' : 'f32', imm: imm < 0 ? rint(256) : imm }, [128], { fp: true, n: 2 });
  const cv: [string, string, Elem][] = [
    ['cvtsi2ss', 'V,Gs32/m32', 'i32'], ['cvtsi2sd', 'V,Gs32/m32', 'i32'], ['cvtsi2ss', 'V,Gs64/m64', 'i64'], ['cvtsi2sd', 'V,Gs64/m64', 'i64'],
    ['cvtss2si', 'Gd32,Vs/m32', 'f32'], ['cvttss2si', 'Gd32,Vs/m32', 'f32'], ['cvtsd2si', 'Gd32,Vs/m64', 'f64'], ['cvttsd2si', 'Gd32,Vs/m64', 'f64'],
    ['cvtss2si', 'Gd64,Vs/m32', 'f32'], ['cvttss2si', 'Gd64,Vs/m32', 'f32'], ['cvtsd2si', 'Gd64,Vs/m64', 'f64'], ['cvttsd2si', 'Gd64,Vs/m64', 'f64'],
    ['cvtps2dq', 'Vd,Vs/m', 'f32'], ['cvttps2dq', 'Vd,Vs/m', 'f32'], ['cvtdq2ps', 'Vd,Vs/m', 'i32'], ['cvtpd2dq', 'Vd,Vs/m', 'f64'], ['cvttpd2dq', 'Vd,Vs/m', 'f64'], ['cvtpd2ps', 'Vd,Vs/m', 'f64'],
    ['cvtps2pd', 'Vd,Vs/m64', 'f32'], ['cvtdq2pd', 'Vd,Vs/m64', 'i32'], ['cvtss2sd', 'V,Vs/m32', 'f32'], ['cvtsd2ss', 'V,Vs/m64', 'f64'],
  ];
  for (const [mn, ops, elem] of cv) variants(out, { fam: 'sse-fp', mn, ops, enc: 'sse', elem }, [128], { fp: true, n: 4 });
  return out;
}

// ------------------------------------------------------------------ AVX / AVX2 / FMA / F16C
export function avx(): Spec[] {
  const out: Spec[] = [];
  const W2 = [128, 256];
  for (const [mn, elem] of [['vpaddd', 'i32'], ['vpsubq', 'i64'], ['vpmullw', 'i16'], ['vpmulld', 'i32'], ['vpmaddwd', 'i16'], ['vpshufb', 'i8'], ['vpunpcklbw', 'i8'], ['vpunpckhqdq', 'i64'], ['vpackssdw', 'i32'], ['vpackuswb', 'i16'],
    ['vphaddd', 'i32'], ['vpavgb', 'i8'], ['vpsadbw', 'i8'], ['vpminsd', 'i32'], ['vpmaxub', 'i8'], ['vpcmpgtq', 'i64'], ['vpsignw', 'i16'], ['vpsllvd', 'i32'], ['vpsrlvd', 'i32'], ['vpsravd', 'i32'], ['vpsllvq', 'i64'], ['vpsrlvq', 'i64'],
    ['vpermd', 'i32'], ['vpermps', 'f32'], ['vpermilps', 'f32'], ['vpermilpd', 'f64'], ['vpsrlw', 'i16'], ['vpsrad', 'i32'], ['vandnpd', 'f64'], ['vpmuldq', 'i64'], ['vpmulhrsw', 'i16']] as [string, Elem][]) {
    const shiftXmm = /^vps(ll|rl|ra)[wdq]$/.test(mn);
    const perm = mn === 'vpermd' || mn === 'vpermps';
    const vshift = /^vps(ll|rl|ra)v[dq]$/.test(mn);
    variants(out, { fam: 'avx', mn, ops: shiftXmm ? 'Vd,Vs,Xs/m128' : 'Vd,Vs,Vs/m', enc: 'vex', elem, data: vshift ? (s, n) => (s === 2 || s === 9 ? Uint8Array.from(vdata(elem, n), (x, i) => (i % EB[elem] === 0 ? x % 80 : 0)) : vdata(elem, n)) : undefined }, perm ? [256] : W2);
  }
  for (const [mn, ops, elem, imm, ws] of [['vpermq', 'Vd,Vs/m,I', 'i64', -1, [256]], ['vpermpd', 'Vd,Vs/m,I', 'f64', 0x1b, [256]], ['vperm2i128', 'Vd,Vs,Vs/m,I', 'i64', -1, [256]], ['vperm2f128', 'Vd,Vs,Vs/m,I', 'f64', 0x28, [256]],
    ['vpermilps', 'Vd,Vs/m,I', 'f32', -1, W2], ['vpalignr', 'Vd,Vs,Vs/m,I', 'i8', 5, W2], ['vpblendd', 'Vd,Vs,Vs/m,I', 'i32', -1, W2], ['vpblendw', 'Vd,Vs,Vs/m,I', 'i16', -1, W2],
    ['vinserti128', 'Vd,Vs,Xs/m128,I', 'i64', 1, [256]], ['vextracti128', 'Xd,Vs,I', 'i64', 1, [256]], ['vextractf128', 'Md128,Vs,I', 'f32', 1, [256]], ['vpshufd', 'Vd,Vs/m,I', 'i32', -1, W2],
    ['vpsllq', 'Vd,Vs,I', 'i64', 3, W2], ['vpsrldq', 'Vd,Vs,I', 'i8', 5, W2], ['vmpsadbw', 'Vd,Vs,Vs/m,I', 'i8', 3, W2], ['vcvtps2ph', 'Hd,Vs,I', 'f32', 0, W2], ['vcvtps2ph', 'Hd,Vs,I', 'f32', 4, W2], ['vcvtps2ph', 'Hd,Vs,I', 'f32', 3, W2],
    ['vroundpd', 'Vd,Vs/m,I', 'f64', 9, W2], ['vdpps', 'Vd,Vs,Vs/m,I', 'f32', 0xf1, W2], ['vcmpps', 'Vd,Vs,Vs/m,I', 'f32', -2, W2], ['vcmppd', 'Vd,Vs,Vs/m,I', 'f64', -2, W2]] as [string, string, Elem, number, number[]][])
    for (let i = 0; i < (imm === -2 ? 6 : 1); i++) variants(out, { fam: 'avx', mn, ops, enc: 'vex', elem, imm: imm === -1 ? rint(256) : imm === -2 ? rint(32) : imm }, ws, { fp: elem[0] === 'f', mem: ops.includes('/') || ops.startsWith('M') ? undefined : false });
  for (const [mn, ops, elem] of [['vpbroadcastb', 'Vd,Xs/m8', 'i8'], ['vpbroadcastw', 'Vd,Xs/m16', 'i16'], ['vpbroadcastd', 'Vd,Xs/m32', 'i32'], ['vpbroadcastq', 'Vd,Xs/m64', 'i64'], ['vbroadcastss', 'Vd,Xs/m32', 'f32'],
    ['vpmovzxbd', 'Vd,Xs/mq', 'i8'], ['vpmovsxwq', 'Vd,Xs/mq', 'i16'], ['vpmovsxdq', 'Vd,Xs/mh', 'i32'], ['vcvtph2ps', 'Vd,Xs/mh', 'f16'], ['vcvtps2pd', 'Vd,Xs/mh', 'f32'], ['vcvtpd2ps', 'Xd,Vs', 'f64'], ['vcvttpd2dq', 'Xd,Vs', 'f64'],
    ['vsqrtps', 'Vd,Vs/m', 'f32'], ['vrcpps', 'Vd,Vs/m', 'f32'], ['vptest', 'Vs,Vs/m', 'i64'], ['vtestps', 'Vs,Vs/m', 'f32'], ['vtestpd', 'Vs,Vs/m', 'f64'], ['vmovmskps', 'Gd32,Vs', 'f32'], ['vpmovmskb', 'Gd32,Vs', 'i8']] as [string, string, Elem][]) {
    if (mn === 'vrcpps') continue; // approximation: implementation-specific
    variants(out, { fam: 'avx', mn, ops, enc: 'vex', elem }, W2, { fp: elem[0] === 'f', n: 2, mem: ops.includes('/') ? undefined : false });
  }
  for (const [mn, elem] of [['vaddps', 'f32'], ['vmulpd', 'f64'], ['vdivps', 'f32'], ['vmaxpd', 'f64'], ['vminps', 'f32'], ['vhaddpd', 'f64'], ['vaddsubps', 'f32'], ['vblendvps', 'f32'], ['vpblendvb', 'i8']] as [string, Elem][])
    variants(out, { fam: 'avx', mn, ops: mn.includes('blendv') ? 'Vd,Vs,Vs/m,Vs' : 'Vd,Vs,Vs/m', enc: 'vex', elem }, W2, { fp: true, n: 2 });
  // scalar VEX: bits 127:64/32 from the first source, 255:128 zeroed
  for (const [mn, elem, sz] of [['vaddss', 'f32', 32], ['vsqrtsd', 'f64', 64], ['vmaxss', 'f32', 32], ['vcvtsd2ss', 'f64', 64], ['vcvtss2sd', 'f32', 32], ['vroundss', 'f32', 32]] as [string, Elem, number][])
    variants(out, { fam: 'avx', mn, ops: `Xd,Xs,Xs/m${sz}${mn === 'vroundss' ? ',I' : ''}`, enc: 'vex', elem, imm: mn === 'vroundss' ? pick([0, 1, 2, 3, 4, 12]) : undefined }, [128], { fp: true, n: 2 });
  // FMA
  for (const op of ['vfmadd', 'vfmsub', 'vfnmadd', 'vfnmsub', 'vfmaddsub', 'vfmsubadd']) for (const ord of ['132', '213', '231']) for (const sfx of ['ps', 'pd', 'ss', 'sd']) {
    if (op.length > 8 && sfx[0] === 's') continue;
    const elem: Elem = sfx.endsWith('s') ? 'f32' : 'f64';
    if (sfx[0] === 's') variants(out, { fam: 'avx', mn: op + ord + sfx, ops: `X,Xs,Xs/m${elem === 'f32' ? 32 : 64}`, enc: 'vex', elem }, [128], { fp: true, n: 2 });
    else variants(out, { fam: 'avx', mn: op + ord + sfx, ops: 'V,Vs,Vs/m', enc: 'vex', elem }, ord === '213' ? W2 : [pick(W2)], { fp: true, n: 1 });
  }
  // masked moves: masked-off elements never fault, are not written (store) and read as zero (load)
  for (const [mn, elem] of [['vmaskmovps', 'f32'], ['vmaskmovpd', 'f64'], ['vpmaskmovd', 'i32'], ['vpmaskmovq', 'i64']] as [string, Elem][]) for (const w of W2) for (let i = 0; i < 2; i++) {
    out.push(vcase({ fam: 'avx', mn, ops: 'Vd,Vs,Ms', enc: 'vex', elem, w, mem: true, tag: `${w}load-${i + 1}` }));
    out.push(vcase({ fam: 'avx', mn, ops: 'Md,Vs,Vs', enc: 'vex', elem, w, mem: true, tag: `${w}store-${i + 1}` }));
  }
  // gathers
  for (const [mn, iw, ew] of [['vpgatherdd', 32, 32], ['vpgatherdq', 32, 64], ['vpgatherqd', 64, 32], ['vpgatherqq', 64, 64], ['vgatherdps', 32, 32], ['vgatherqpd', 64, 64]] as [string, number, number][]) for (const w of W2) for (let i = 0; i < 3; i++) out.push(gather(mn, iw, ew, w, i));
  for (const mn of ['vzeroupper', 'vzeroall']) {
    const s = vcase({ fam: 'avx', mn: 'vmovdqu64', ops: 'Vd,Vs', enc: 'evex', elem: 'i64', w: 512, tag: mn });
    s.name = `avx/${mn}-01`; s.note = `${mn.toUpperCase()} after loading zmm registers: ${mn === 'vzeroupper' ? 'bits 511:128 of zmm0-15 zeroed, zmm16-31 untouched' : 'zmm0-15 zeroed, zmm16-31 untouched'}`;
    const ld = s.code.slice(0, -2) ; void ld;
    s.code.splice(s.code.length - 2, 0, ins(mn));
    out.push(s);
  }
  return out;
}

function gather(mn: string, iw: number, ew: number, w: number, i: number): Spec {
  // destination w if elements are as wide as or wider than indices...; index vector width follows the SDM forms
  const n = Math.min(w / Math.max(iw, ew), w / ew);
  const dw = ew === 32 && iw === 64 ? 128 : w, xw = iw === 32 && ew === 64 ? 128 : w;
  const [d, x, m] = [1 + rint(4), 5 + rint(4), 9 + rint(4)];
  const scale = pick([1, 2, 4, 8] as const);
  const idx = new Uint8Array(64), maskb = new Uint8Array(64), init = vdata(ew === 32 ? 'i32' : 'i64', 64);
  for (let e = 0; e < n; e++) {
    const on = chance(0.7);
    const ix = on ? BigInt(rint(24) * ew / 8 / scale * scale === 0 ? 0 : rint(24)) : BigInt(0x40000000 + rint(1000));
    idx.set(le(BigInt.asUintN(iw, on ? BigInt(Math.floor(rint(64 - ew / 8) / scale)) : (chance(0.5) ? -ix : ix)), iw / 8), e * iw / 8);
    maskb.set(le(on ? mask(ew) : BigInt(rint(1 << 20)), ew / 8), e * ew / 8);
  }
  const inBytes = new Uint8Array(0x300);
  inBytes.set(init, 0); inBytes.set(idx, 0x140); inBytes.set(maskb, 0x180); inBytes.set(randBytes(64), 0x200);
  const [base] = gprs(1);
  const regs: Partial<Record<Gpr, bigint>> = { [GPRS[base]]: BigInt(IN + 0x200) };
  const vn = (r: number, ww: number) => R(vname(r, ww));
  const msz = ew / 8;
  const memop = sizedMem(msz, R(GPRS[base]), 0, vn(x, xw), scale);
  return {
    name: `avx/${mn}-${w}-s${scale}-${String(i + 1).padStart(2, '0')}`,
    note: `${mn.toUpperCase()} ${dw}-bit destination, ${iw}-bit indices, scale ${scale}: elements whose mask sign bit is set are gathered, the others keep the destination (a masked-off index may point outside mapped memory); the mask register is cleared; bits above the destination width zeroed`,
    regs, memory: [{ addr: IN, bytes: inBytes, perm: 'r' }, { addr: OUT, bytes: new Uint8Array(0xc0) }],
    code: [ins('vmovdqu', R(`ymm${d}`), absMem(32, IN)), ins('vmovdqu', R(`ymm${x}`), absMem(32, IN + 0x140)), ins('vmovdqu', R(`ymm${m}`), absMem(32, IN + 0x180)),
      ins(mn, vn(d, dw), memop, vn(m, dw)), ins('vmovdqu', absMem(32, OUT + 0x40), R(`ymm${d}`)), ins('vmovdqu', absMem(32, OUT + 0x80), R(`ymm${m}`))],
  };
}

// ------------------------------------------------------------------ AVX-512
export function avx512(): Spec[] {
  const out: Spec[] = [];
  const W3 = [128, 256, 512];
  const kb = { k: true };
  for (const [mn, elem, extra] of [['vpaddd', 'i32', { bcst: true }], ['vpaddq', 'i64', { bcst: true }], ['vpaddb', 'i8', {}], ['vpsubw', 'i16', {}], ['vpmullq', 'i64', { bcst: true }], ['vpmulld', 'i32', {}], ['vpminsq', 'i64', { bcst: true }], ['vpmaxuq', 'i64', {}],
    ['vpandd', 'i32', { bcst: true }], ['vpandnq', 'i64', {}], ['vpxorq', 'i64', {}], ['vpsravq', 'i64', {}], ['vpsllvw', 'i16', {}], ['vpsrlvw', 'i16', {}], ['vprolvd', 'i32', {}], ['vprorvq', 'i64', {}],
    ['vpermd', 'i32', {}], ['vpermq', 'i64', {}], ['vpermw', 'i16', {}], ['vpermb', 'i8', {}], ['vpermt2d', 'i32', {}], ['vpermt2q', 'i64', { bcst: true }], ['vpermi2w', 'i16', {}], ['vpermt2b', 'i8', {}], ['vpermt2ps', 'f32', {}],
    ['vpshufb', 'i8', {}], ['vpmaddubsw', 'i8', {}], ['vpmadd52luq', 'i64', {}], ['vpmadd52huq', 'i64', {}], ['vpdpbusd', 'i32', {}], ['vpdpwssds', 'i32', {}], ['vpshldvd', 'i32', {}], ['vpshrdvw', 'i16', {}],
    ['vpmultishiftqb', 'i64', {}], ['vgf2p8mulb', 'i8', {}], ['vpackusdw', 'i32', {}], ['vpunpckhwd', 'i16', {}], ['vpavgw', 'i16', {}], ['vpaddusb', 'i8', {}], ['vpsubsw', 'i16', {}], ['vpsraq', 'i64', {}], ['vpmuludq', 'i64', {}]] as [string, Elem, { bcst?: boolean }][]) {
    const ops = mn === 'vpsraq' ? 'Vd,Vs,Xs/m128' : mn.startsWith('vpermt2') || mn.startsWith('vpermi2') || mn.startsWith('vpdp') || mn.startsWith('vpshldv') || mn.startsWith('vpshrdv') || mn.startsWith('vpmadd52') ? 'V,Vs,Vs/m' : 'Vd,Vs,Vs/m';
    variants(out, { fam: 'avx512', mn, ops, enc: 'evex', elem }, mn === 'vpermd' || mn === 'vpermq' ? [256, 512] : W3, { ...kb, ...extra });
  }
  for (const [mn, ops, elem, imms, o] of [['vpternlogd', 'V,Vs,Vs/m,I', 'i32', [0x96, 0xe8, 0xca, -1], { bcst: true }], ['vpternlogq', 'V,Vs,Vs/m,I', 'i64', [0xfe, -1], {}], ['vprold', 'Vd,Vs/m,I', 'i32', [0, 5, 33], {}], ['vprorq', 'Vd,Vs/m,I', 'i64', [63], {}],
    ['vpsraq', 'Vd,Vs/m,I', 'i64', [1, 63, 64], {}], ['valignd', 'Vd,Vs,Vs/m,I', 'i32', [3, 17], {}], ['valignq', 'Vd,Vs,Vs/m,I', 'i64', [1, 9], {}], ['vshufi64x2', 'Vd,Vs,Vs/m,I', 'i64', [0x1b], {}], ['vshuff32x4', 'Vd,Vs,Vs/m,I', 'f32', [0x4e], {}],
    ['vdbpsadbw', 'Vd,Vs,Vs/m,I', 'i8', [0x1b, 0xe4], {}], ['vgf2p8affineqb', 'Vd,Vs,Vs/m,I', 'i8', [0, 0x63], {}], ['vpshldd', 'Vd,Vs,Vs/m,I', 'i32', [7, 40], {}], ['vpshrdq', 'Vd,Vs,Vs/m,I', 'i64', [13], {}],
    ['vextracti32x4', 'Xd,Vs,I', 'i32', [1, 3], {}], ['vextracti64x4', 'Yd,Vs,I', 'i64', [1], {}], ['vinserti32x8', 'Vd,Vs,Ys/m256,I', 'i32', [1], {}], ['vinserti64x2', 'Vd,Vs,Xs/m128,I', 'i64', [1, 3], {}]] as [string, string, Elem, number[], { bcst?: boolean }][])
    for (const imm of imms) {
      const ws = /extract|insert/.test(mn) ? (mn.includes('x8') || mn.includes('64x4') ? [512] : [256, 512]) : mn === 'vshufi64x2' || mn === 'vshuff32x4' ? [256, 512] : W3;
      variants(out, { fam: 'avx512', mn, ops, enc: 'evex', elem, imm: imm < 0 ? rint(256) : imm }, ws, { ...kb, ...o, mem: ops.includes('/') ? undefined : false });
    }
  // compares into k (write mask = AND), tests
  for (const [mn, elem, imms] of [['vpcmpd', 'i32', [0, 1, 2, 4, 5, 6]], ['vpcmpuq', 'i64', [1, 2, 5]], ['vpcmpb', 'i8', [0, 6]], ['vpcmpuw', 'i16', [1, 4]], ['vcmpps', 'f32', [0, 1, 3, 4, 13, 17, 30, 31]], ['vcmppd', 'f64', [2, 7, 12, 18, 29]],
    ['vfpclassps', 'f32', [0x01, 0x81, 0x18, 0xff]], ['vfpclasspd', 'f64', [0x22, 0x46]]] as [string, Elem, number[]][])
    for (const imm of imms) variants(out, { fam: 'avx512', mn, ops: mn.startsWith('vfpclass') ? 'Kd,Vs/m,I' : 'Kd,Vs,Vs/m,I', enc: 'evex', elem, imm, mx: elem[0] === 'f' ? pick([0x1f80, 0x1fc0]) : undefined, note: 'the write mask ANDs into the result mask' }, imm === imms[0] ? W3 : [pick(W3)], { k: true, mem: undefined, bcst: elem.length > 2 && elem !== 'i8' && elem !== 'i16' });
  for (const [mn, elem] of [['vptestmd', 'i32'], ['vptestnmq', 'i64'], ['vptestmb', 'i8'], ['vpcmpeqq', 'i64'], ['vpcmpgtw', 'i16']] as [string, Elem][]) variants(out, { fam: 'avx512', mn, ops: 'Kd,Vs,Vs/m', enc: 'evex', elem }, W3, { k: true });
  for (const [mn, elem] of [['vpmovm2d', 'i32'], ['vpmovm2b', 'i8'], ['vpmovq2m', 'i64'], ['vpmovw2m', 'i16']] as [string, Elem][]) variants(out, { fam: 'avx512', mn, ops: mn.includes('2m') ? 'Kd,Vs' : 'Vd,Ks', enc: 'evex', elem }, W3, { mem: false });
  // unary / conversions
  for (const [mn, ops, elem, o] of [['vpabsq', 'Vd,Vs/m', 'i64', { bcst: true }], ['vpconflictd', 'Vd,Vs/m', 'i32', {}], ['vpconflictq', 'Vd,Vs/m', 'i64', {}], ['vplzcntd', 'Vd,Vs/m', 'i32', { bcst: true }], ['vplzcntq', 'Vd,Vs/m', 'i64', {}], ['vpopcntd', 'Vd,Vs/m', 'i32', {}], ['vpopcntb', 'Vd,Vs/m', 'i8', {}],
    ['vpcompressd', 'Vd,Vs', 'i32', {}], ['vpcompressq', 'Vd,Vs', 'i64', {}], ['vcompressps', 'Vd,Vs', 'f32', {}], ['vpexpandd', 'Vd,Vs/m', 'i32', {}], ['vpexpandq', 'Vd,Vs/m', 'i64', {}], ['vpcompressb', 'Vd,Vs', 'i8', {}], ['vpexpandw', 'Vd,Vs/m', 'i16', {}],
    ['vpmovqd', 'Hd,Vs', 'i64', {}], ['vpmovsqd', 'Hd,Vs', 'i64', {}], ['vpmovusqd', 'Hd,Vs', 'i64', {}], ['vpmovdb', 'Qd,Vs', 'i32', {}], ['vpmovswb', 'Hd,Vs', 'i16', {}], ['vpmovuswb', 'Hd,Vs', 'i16', {}],
    ['vpbroadcastd', 'Vd,Gs32', 'i32', {}], ['vpbroadcastq', 'Vd,Gs64', 'i64', {}], ['vpbroadcastb', 'Vd,Gs32', 'i8', {}], ['vbroadcasti32x4', 'Vd,Ms128', 'i32', {}], ['vbroadcasti64x4', 'Vd,Ms256', 'i64', {}],
    ['vpmovzxbd', 'Vd,Qs/mq', 'i8', {}], ['vpmovsxwd', 'Vd,Hs/mh', 'i16', {}]] as [string, string, Elem, { bcst?: boolean }][]) {
    const ws = mn.includes('x4') ? (mn.includes('64x4') ? [512] : [256, 512]) : W3;
    variants(out, { fam: 'avx512', mn, ops, enc: 'evex', elem }, ws, { k: true, ...o, mem: ops.includes('/') ? undefined : false });
  }
  for (const mn of ['vpcompressd', 'vcompresspd']) for (const w of W3) out.push(vcase({ fam: 'avx512', mn, ops: 'Md,Vs', enc: 'evex', elem: mn.endsWith('d') && mn.startsWith('vp') ? 'i32' : 'f64', w, mem: true, k: 'merge', tag: `${w}store` , note: 'compress to memory: only the selected elements are written, contiguously' }));
  for (const mn of ['vmovdqu8', 'vmovdqu16', 'vmovdqu32', 'vmovdqu64', 'vmovups', 'vmovapd']) for (const w of W3) {
    out.push(vcase({ fam: 'avx512', mn, ops: 'Md,Vs', enc: 'evex', elem: 'i8', w, mem: true, k: 'merge', tag: `${w}store` }));
    out.push(vcase({ fam: 'avx512', mn, ops: 'Vd,Vs/m', enc: 'evex', elem: 'i8', w, mem: true, k: 'zero', tag: `${w}load-z` }));
  }
  // floating point with masking, broadcast and static rounding
  for (const [mn, ops, elem, o] of [['vaddps', 'Vd,Vs,Vs/m', 'f32', { bcst: true, er: true }], ['vmulpd', 'Vd,Vs,Vs/m', 'f64', { bcst: true, er: true }], ['vdivps', 'Vd,Vs,Vs/m', 'f32', { er: true }], ['vsqrtpd', 'Vd,Vs/m', 'f64', { er: true }],
    ['vscalefps', 'Vd,Vs,Vs/m', 'f32', { er: true }], ['vgetexppd', 'Vd,Vs/m', 'f64', {}], ['vminps', 'Vd,Vs,Vs/m', 'f32', {}], ['vmaxpd', 'Vd,Vs,Vs/m', 'f64', { bcst: true }],
    ['vfmadd213ps', 'V,Vs,Vs/m', 'f32', { er: true, bcst: true }], ['vfnmsub231pd', 'V,Vs,Vs/m', 'f64', { er: true }], ['vfmaddsub132ps', 'V,Vs,Vs/m', 'f32', {}],
    ['vcvtps2udq', 'Vd,Vs/m', 'f32', { er: true }], ['vcvttps2udq', 'Vd,Vs/m', 'f32', {}], ['vcvtudq2ps', 'Vd,Vs/m', 'i32', { er: true }], ['vcvtqq2pd', 'Vd,Vs/m', 'i64', { er: true }], ['vcvtpd2qq', 'Vd,Vs/m', 'f64', { er: true }],
    ['vcvttpd2uqq', 'Vd,Vs/m', 'f64', {}], ['vcvtps2qq', 'Vd,Hs/mh', 'f32', {}], ['vcvtuqq2ps', 'Hd,Vs', 'i64', {}], ['vcvtpd2ps', 'Hd,Vs', 'f64', { er: true }], ['vcvtps2pd', 'Vd,Hs/mh', 'f32', {}], ['vcvtph2ps', 'Vd,Hs/mh', 'f16', {}], ['vcvtps2ph', 'Hd,Vs,I', 'f32', {}],
    ['vcvtdq2ps', 'Vd,Vs/m', 'i32', { er: true }], ['vcvttps2dq', 'Vd,Vs/m', 'f32', {}], ['vcvtpd2udq', 'Hd,Vs', 'f64', {}]] as [string, string, Elem, { bcst?: boolean; er?: boolean }][])
    variants(out, { fam: 'avx512', mn, ops, enc: 'evex', elem, imm: mn === 'vcvtps2ph' ? pick([0, 1, 4]) : undefined }, W3, { k: true, fp: true, mem: ops.includes('/') ? undefined : false, ...o });
  for (const [mn, imms, elem] of [['vgetmantps', [0, 1, 2, 3, 0xc, 0x8], 'f32'], ['vrndscalepd', [0, 1, 2, 3, 0x14, 0x43, 0x2b], 'f64'], ['vreduceps', [0, 0x11, 0x23], 'f32'], ['vrangeps', [0, 5, 0xa, 0xf], 'f32'], ['vrangepd', [2, 6], 'f64'], ['vfixupimmps', [0, 0x10], 'f32']] as [string, number[], Elem][])
    for (const imm of imms) variants(out, { fam: 'avx512', mn, ops: mn.startsWith('vrange') || mn.startsWith('vfixup') ? (mn.startsWith('vfixup') ? 'V,Vs,Vs/m,I' : 'Vd,Vs,Vs/m,I') : 'Vd,Vs/m,I', enc: 'evex', elem, imm, data: mn.startsWith('vfixup') ? (s, n) => (s === 2 || s === 9 ? randBytes(n) : vdata(elem, n)) : undefined }, [pick(W3)], { k: true, fp: true, mem: undefined });
  // scalar EVEX with {er}/{sae} and masking
  for (const [mn, elem, sz, o] of [['vaddss', 'f32', 32, { er: true }], ['vdivsd', 'f64', 64, { er: true }], ['vmaxss', 'f32', 32, {}], ['vscalefsd', 'f64', 64, {}], ['vgetexpss', 'f32', 32, {}], ['vfmadd231sd', 'f64', 64, { er: true }], ['vsqrtss', 'f32', 32, { er: true }]] as [string, Elem, number, { er?: boolean }][])
    for (const m of [false, true]) for (const k of [undefined, 'merge', 'zero'] as const) {
      const mx = pick(MXCSRS);
      out.push(vcase({ fam: 'avx512', mn, ops: `${mn.includes('231') ? 'X' : 'Xd'},Xs,Xs/m${sz}`, enc: 'evex', elem, w: 128, mem: m, k, mx, tag: `${m ? 'm' : 'r'}${k ?? ''}` }));
      if (o.er && !m && !k) for (const er of [rd_sae, ru_sae, rz_sae]) out.push(vcase({ fam: 'avx512', mn, ops: `${mn.includes('231') ? 'X' : 'Xd'},Xs,Xs${sz}`, enc: 'evex', elem, w: 128, mem: false, mx, er, tag: `r-${er.name}` }));
    }
  for (const [mn, ops, elem] of [['vcvtss2usi', 'Gd32,Xs/m32', 'f32'], ['vcvttsd2usi', 'Gd64,Xs/m64', 'f64'], ['vcvtusi2sd', 'Xd,Xs,Gs64', 'i64'], ['vcvtusi2ss', 'Xd,Xs,Gs32', 'i32'], ['vcvtsd2usi', 'Gd32,Xs', 'f64']] as [string, string, Elem][])
    variants(out, { fam: 'avx512', mn, ops, enc: 'evex', elem }, [128], { fp: true, n: 4, mem: ops.includes('/') ? undefined : false });
  for (const mn of ['vcomiss', 'vucomisd']) { const s = vcase({ fam: 'avx512', mn, ops: 'Xs,Xs', enc: 'evex', elem: mn.endsWith('ss') ? 'f32' : 'f64', w: 128, mx: 0x1f80, er: sae, tag: 'sae' }); out.push(s); }
  return out;
}

// ------------------------------------------------------------------ opmask instructions
export function kmask(): Spec[] {
  const out: Spec[] = [];
  for (const sfx of ['b', 'w', 'd', 'q']) {
    for (const op of ['kand', 'kandn', 'kor', 'kxor', 'kxnor', 'kadd']) variants(out, { fam: 'kmask', mn: op + sfx, ops: 'Kd,Ks,Ks', enc: 'vex', elem: 'i8' }, [128], { mem: false, n: 2 });
    for (const op of ['knot', 'kmov']) variants(out, { fam: 'kmask', mn: op + sfx, ops: 'Kd,Ks', enc: 'vex', elem: 'i8' }, [128], { mem: false, n: 2 });
    for (const op of ['kortest', 'ktest']) variants(out, { fam: 'kmask', mn: op + sfx, ops: 'Ks,Ks', enc: 'vex', elem: 'i8', note: 'ZF/CF from the masks; other arithmetic flags cleared' }, [128], { mem: false, n: 3 });
    for (const imm of [0, 1, 7, 8, 15, 31, 32, 63, 64, 200]) for (const op of ['kshiftl', 'kshiftr']) variants(out, { fam: 'kmask', mn: op + sfx, ops: 'Kd,Ks,I', enc: 'vex', elem: 'i8', imm }, [128], { mem: false });
    variants(out, { fam: 'kmask', mn: 'kmov' + sfx, ops: sfx === 'q' ? 'Kd,Gs64' : 'Kd,Gs32', enc: 'vex', elem: 'i8' }, [128], { mem: false, n: 2 });
    variants(out, { fam: 'kmask', mn: 'kmov' + sfx, ops: sfx === 'q' ? 'Gd64,Ks' : 'Gd32,Ks', enc: 'vex', elem: 'i8' }, [128], { mem: false, n: 2 });
    variants(out, { fam: 'kmask', mn: 'kmov' + sfx, ops: 'Kd,Ms' + { b: 8, w: 16, d: 32, q: 64 }[sfx], enc: 'vex', elem: 'i8' }, [128], { mem: true });
    variants(out, { fam: 'kmask', mn: 'kmov' + sfx, ops: 'Md' + { b: 8, w: 16, d: 32, q: 64 }[sfx] + ',Ks', enc: 'vex', elem: 'i8' }, [128], { mem: true });
  }
  for (const mn of ['kunpckbw', 'kunpckwd', 'kunpckdq']) variants(out, { fam: 'kmask', mn, ops: 'Kd,Ks,Ks', enc: 'vex', elem: 'i8' }, [128], { mem: false, n: 2 });
  return out;
}
void gname; void sae;
