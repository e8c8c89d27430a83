/**
 * Generates the XSAVE-family conformance suite test/conformance/xsave-*.json.
 *   npx tsx tools/xsave-cases/gen.ts
 *
 * Expected results come from ref.ts (an independent model of the spec's
 * layout and header rules) or are written by hand here (faults, XSETBV
 * validity, XGETBV values); nothing is captured from the emulator. Random
 * data comes from a fixed-seed generator, so the output is reproducible.
 *
 * Each state case starts with `xrstor64 [rsi]` (RFBM = all) from a
 * standard-form source image at SRC, then runs its body, then int3. Results
 * that are not memory of the body are observed with `xsave64 [rbx]`
 * (RFBM = all) into OBS. Bytes the spec leaves to the implementation are
 * masked (legacy byte 5, bytes 10-15 of each ST slot, bytes 416-463).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRefCpu, RefState, refXrstor, refXsave, refXsavec, refFxsave, refFxrstor, refXcr0Valid, compactedOffsets, type RefCpu } from './ref.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED = join(ROOT, '..', 'shared', 'conformance');
const SPR = loadRefCpu(join(SHARED, 'cpu-sapphire-rapids.json'), 'sapphire-rapids');
const GENOA = loadRefCpu(join(SHARED, 'cpu-genoa.json'), 'genoa');

// ------------------------------------------------------------------ helpers
let seed = 0x1234567;
function rnd(): number { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) & 0xff; }
function rndBytes(n: number): Uint8Array { const b = new Uint8Array(n); for (let k = 0; k < n; k++) b[k] = rnd(); return b; }
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const h = (n: number | bigint) => `0x${BigInt.asUintN(64, BigInt(n)).toString(16)}`;
const le32 = (n: number) => hex(new Uint8Array(new Uint32Array([n >>> 0]).buffer));

const SRC = 0x20000000, DST = 0x20010000, AUX = 0x20020000, OBS = 0x20030000;
const AREA = 0x40; // areas start 64 bytes into their region
const REGION = 0x1000; // one page: the largest area used (XCR0 = 0x2e7, 2696 bytes) fits after AREA
const CODE = 0x10000000;

// Instruction bytes (hand-assembled; ModRM reg field selects the instruction, rm the base register).
const I = {
  prologue: '480fae2e', // xrstor64 [rsi]
  observe: 'b8ffffffffbaffffffff480fae23', // mov eax,-1; mov edx,-1; xsave64 [rbx]
  xsave: '0fae27', xsave64: '480fae27', xsaveopt: '0fae37', xsaveopt64: '480fae37',
  xsavec: '0fc727', xsavec64: '480fc727', xsaves: '0fc72f', xsaves64: '480fc72f',
  xrstor: '0fae2f', xrstor64: '480fae2f', xrstors: '0fc71f', xrstors64: '480fc71f',
  fxsave: '0fae07', fxsave64: '480fae07', fxrstor: '0fae0f', fxrstor64: '480fae0f',
  xgetbv: '0f01d0', xsetbv: '0f01d1', int3: 'cc',
  rfbm: (lo: number, hi = 0) => `b8${le32(lo)}ba${le32(hi)}`,
  ecx: (v: number) => `b9${le32(v)}`,
};

interface Mem { addr: number; bytes: Uint8Array; perm?: 'r' | 'rw' }
interface ExpMem { addr: number; bytes: Uint8Array; mask?: Uint8Array }
interface Spec {
  name: string; note: string; cpl?: number; xcr0: number; xss?: number; cr0?: number; cr4?: number;
  msrs?: Record<string, string>;
  regs?: Record<string, bigint | number>; memory: Mem[]; code: string;
  stop: { vector: number; ripAt?: 'int3' | 'body' | number; error?: number };
  expRegs?: Record<string, bigint | number>; expMsrs?: Record<string, bigint | number>; expMem?: ExpMem[];
}

function toCase(s: Spec, bodyOff: number): unknown {
  const code = s.code;
  const len = code.length / 2;
  const rip = s.stop.ripAt === 'int3' ? CODE + len - 1 : s.stop.ripAt === 'body' || s.stop.ripAt === undefined ? CODE + bodyOff : CODE + s.stop.ripAt;
  const c: Record<string, unknown> = { name: s.name, note: s.note, cpl: s.cpl ?? 3, xcr0: h(s.xcr0), xss: h(s.xss ?? 0) };
  if (s.cr0 !== undefined) c.cr0 = h(s.cr0);
  if (s.cr4 !== undefined) c.cr4 = h(s.cr4);
  if (s.msrs) c.msrs = s.msrs;
  const regs: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.regs ?? {})) regs[k] = h(v);
  c.regs = regs;
  c.memory = s.memory.map((m) => ({ addr: h(m.addr), hex: hex(m.bytes), perm: m.perm ?? 'rw' }));
  c.code_addr = h(CODE);
  c.code = code;
  const stop: Record<string, unknown> = { vector: s.stop.vector, rip: h(rip) };
  if (s.stop.error !== undefined) stop.error_code = h(s.stop.error);
  const expect: Record<string, unknown> = { stop };
  if (s.expRegs) { const r: Record<string, string> = {}; for (const [k, v] of Object.entries(s.expRegs)) r[k] = h(v); expect.regs = r; }
  if (s.expMsrs) { const r: Record<string, string> = {}; for (const [k, v] of Object.entries(s.expMsrs)) r[k] = h(v); expect.msrs = r; }
  if (s.expMem) expect.memory = s.expMem.map((m) => ({ addr: h(m.addr), hex: hex(m.bytes), ...(m.mask ? { mask: hex(m.mask) } : {}) }));
  c.expect = expect;
  return c;
}

/** Mask for a region holding an area at `AREA`: legacy byte 5, ST reserved bytes and 416-463 are open. */
function areaMask(n: number): Uint8Array {
  const m = new Uint8Array(n).fill(0xff);
  const a = AREA;
  m[a + 5] = 0;
  for (let j = 0; j < 8; j++) m.fill(0, a + 32 + 16 * j + 10, a + 32 + 16 * j + 16);
  m.fill(0, a + 416, a + 464);
  return m;
}

/** A random standard-format image: every component of `bv` filled, header XSTATE_BV = bv. */
function stdImage(cpu: RefCpu, bv: number, opts: { mxcsr?: number; zero?: number } = {}): Uint8Array {
  const img = rndBytes(REGION);
  const a = AREA, dv = new DataView(img.buffer);
  dv.setUint16(a, 0x37f ^ (rnd() & 0x0c00), true); // FCW: RC bits vary
  dv.setUint32(a + 24, opts.mxcsr ?? ((0x1f80 ^ (rnd() << 5)) & 0xffbf & cpu.mxcsrMask), true);
  img.fill(0, a + 512, a + 576);
  dv.setBigUint64(a + 512, BigInt(bv), true);
  for (let i = 0; i < 31; i++) if (((opts.zero ?? 0) >>> i) & 1) {
    if (i === 1) img.fill(0, a + 160, a + 416);
    else if (cpu.comps.get(i)) img.fill(0, a + cpu.comps.get(i)!.offset, a + cpu.comps.get(i)!.offset + cpu.comps.get(i)!.size);
  }
  return img;
}

/** A compacted image for format `fmt` and XSTATE_BV `bv`. */
function cmpImage(cpu: RefCpu, fmt: number, bv: number, mxcsr?: number): Uint8Array {
  const img = stdImage(cpu, 0, { mxcsr });
  const dv = new DataView(img.buffer);
  dv.setBigUint64(AREA + 512, BigInt(bv), true);
  dv.setBigUint64(AREA + 520, BigInt(fmt) | (1n << 63n), true);
  return img;
}

const ALL = 0xffffffffffffffffn;
const cases: Record<string, unknown[]> = { 'xsave-spr': [], 'xsave-genoa': [] };
function add(file: string, s: Spec, bodyOff?: number): void {
  cases[file].push(toCase(s, bodyOff ?? I.prologue.length / 2));
}
function fileOf(cpu: RefCpu): string { return cpu === SPR ? 'xsave-spr' : 'xsave-genoa'; }

/** Prologue state: XRSTOR64 of `src` with RFBM = all. */
function startState(cpu: RefCpu, src: Uint8Array, xcr0: number): RefState {
  const s = new RefState(cpu);
  const f = refXrstor(s, src, AREA, ALL, xcr0, 0, true, false);
  if (f !== null) throw new Error('generator: the prologue image must be valid');
  return s;
}

// ------------------------------------------------------------------ save cases
type SaveKind = 'xsave' | 'xsave64' | 'xsaveopt' | 'xsaveopt64' | 'xsavec' | 'xsavec64';
function saveCase(cpu: RefCpu, kind: SaveKind, name: string, note: string, xcr0: number, srcBv: number, rfbm: bigint, opts: { zero?: number; mxcsr?: number } = {}): void {
  const src = stdImage(cpu, srcBv, opts);
  const s = startState(cpu, src, xcr0);
  const dst = rndBytes(REGION);
  const exp = dst.slice();
  const rexw = kind.endsWith('64');
  if (kind.startsWith('xsavec')) refXsavec(s, exp, AREA, rfbm, xcr0, 0, rexw, false);
  else refXsave(s, exp, AREA, rfbm, xcr0, rexw, kind.startsWith('xsaveopt'));
  const body = I.rfbm(Number(rfbm & 0xffffffffn), Number(rfbm >> 32n)) + I[kind];
  add(fileOf(cpu), {
    name, note, xcr0,
    regs: { rax: ALL, rdx: ALL, rsi: SRC + AREA, rdi: DST + AREA },
    memory: [{ addr: SRC, bytes: src, perm: 'r' }, { addr: DST, bytes: dst }],
    code: I.prologue + body + I.int3,
    stop: { vector: 3, ripAt: 'int3' },
    expMem: [{ addr: DST, bytes: exp, mask: areaMask(REGION) }],
  });
}

const X = 0x2e7; // SPR XCR0 without AMX (AMX rows come with their issue)
for (const [kind, r] of [['xsave64', 0n], ['xsave64', 1n], ['xsave64', 2n], ['xsave64', 4n], ['xsave', 0x20n], ['xsave', 0x40n], ['xsave64', 0x80n], ['xsave64', 0x200n],
  ['xsave', BigInt(X)], ['xsave64', ALL], ['xsave64', 0x6n], ['xsave', 0x100000000n]] as [SaveKind, bigint][]) {
  saveCase(SPR, kind, `xsave/rfbm-${r.toString(16)}-${kind}`, `${kind.toUpperCase()} RFBM request ${h(r)} (XCR0=${h(X)}): components in RFBM written at their standard offsets (init ones too), MXCSR when RFBM[1]|RFBM[2], XSTATE_BV = (old & ~RFBM) | (XINUSE & RFBM) (spec 6).`, X, X, r);
}
saveCase(SPR, 'xsave64', 'xsave/init-components-written', 'XSAVE writes components in their initial configuration too (their init values) and clears their XSTATE_BV bits; here AVX, opmask and PKRU were initialized by the prologue (XSTATE_BV=0x23) (spec 6 step 6).', X, 0xc3, ALL);
saveCase(SPR, 'xsave64', 'xsave/pkru-bytes-4-7-zero', 'XSAVE of PKRU writes bytes 4-7 as 0 (decision for spec 21.13; the prefill there is random).', X, 0x203, 0x200n);
saveCase(SPR, 'xsave', 'xsave/fip-32bit-format', 'XSAVE without REX.W: FIP[31:0] at +8, FCS at +12 stored as 0 (CPUID.(7,0):EBX[13] on SPR), FDP[31:0] at +16, FDS 0 (spec 3.1).', X, 0x3, 1n);
saveCase(SPR, 'xsave64', 'xsave/zero-data-loaded-intel', 'XRSTOR loads all-zero AVX data with XSTATE_BV[2]=1: on this Intel model XINUSE[2] stays 1 (project XINUSE decision: loaded by XRSTOR), so XSAVE reports XSTATE_BV[2]=1.', X, X, ALL, { zero: 0x4 });
saveCase(GENOA, 'xsave64', 'xsave/zero-data-loaded-amd', 'XRSTOR loads all-zero AVX data with XSTATE_BV[2]=1: on this AMD model XINUSE follows values (as Zen 4 silicon), so XSAVE reports XSTATE_BV[2]=0. x87 pointers: AMD saves FOP/FIP/FDP as 0 while FSW.ES=0.', 0xe7, 0xe7, ALL, { zero: 0x4 });
for (const [kind, r] of [['xsaveopt64', ALL], ['xsaveopt', 0x3n], ['xsaveopt64', 0x4n]] as [SaveKind, bigint][]) {
  saveCase(SPR, kind, `xsaveopt/init-opt-${r.toString(16)}`, `${kind.toUpperCase()} to an address no XRSTOR used: the init optimization skips components in their initial configuration (prologue XSTATE_BV=0x83: AVX, opmask, ZMM_Hi256 and PKRU init and untouched in memory); MXCSR is written whenever RFBM[1]|RFBM[2] (spec 7).`, X, 0x83, r);
}
for (const [kind, r] of [['xsavec64', ALL], ['xsavec64', 0x0n], ['xsavec', 0x1n], ['xsavec64', 0x2n], ['xsavec64', 0x4n], ['xsavec64', 0x80n], ['xsavec', 0x200n], ['xsavec64', 0xa5n], ['xsavec64', 0x100000000n]] as [SaveKind, bigint][]) {
  saveCase(SPR, kind, `xsavec/rfbm-${r.toString(16)}-${kind}`, `${kind.toUpperCase()} RFBM request ${h(r)}: compacted layout by RFBM, only components in use written, XSTATE_BV = XINUSE & RFBM, XCOMP_BV = RFBM | bit 63, header bytes 528-575 untouched (spec 8).`, X, X, r);
}
saveCase(SPR, 'xsavec64', 'xsavec/init-skipped-slot-kept', 'XSAVEC with AVX and opmask init (prologue XSTATE_BV=0x2c3): their bytes are left unchanged but their slots are reserved in the compacted layout (spec 8 step 4).', X, 0x2c3, ALL);
saveCase(SPR, 'xsavec64', 'xsavec/mxcsr-forces-sse', 'XSAVEC with XMM0-15 in their initial configuration (never loaded: prologue XSTATE_BV=0x1) but MXCSR != 1F80H: SSE is saved (MXCSR, MXCSR_MASK, XMM) and XSTATE_BV[1]=1 (spec 8 step 2).', X, 0x1, 0x3n, { mxcsr: 0x1fa0 });
saveCase(SPR, 'xsavec64', 'xsavec/mxcsr-default-sse-skipped', 'XSAVEC with XMM0-15 init and MXCSR = 1F80H: SSE is not saved (its bytes, MXCSR included, stay as they were), XSTATE_BV[1]=0 (spec 8).', X, 0x1, 0x3n, { mxcsr: 0x1f80 });
saveCase(SPR, 'xsavec64', 'xsavec/rfbm2-mxcsr-not-written', 'XSAVEC with RFBM=4: MXCSR is not written (only TO_SAVE[1] writes it in the compacted form) (spec 8 step 3).', X, X, 0x4n, { mxcsr: 0x1fa0 });

// ------------------------------------------------------------------ restore cases, observed by XSAVE64
type RstKind = 'xrstor' | 'xrstor64';
function restoreCase(cpu: RefCpu, kind: RstKind, name: string, note: string, xcr0: number, img: Uint8Array, rfbm: bigint, pre: { srcBv?: number } = {}): void {
  const src = stdImage(cpu, pre.srcBv ?? (xcr0 & 0x2e7));
  const s = startState(cpu, src, xcr0);
  const f = refXrstor(s, img, AREA, rfbm, xcr0, 0, kind === 'xrstor64', false);
  const obs = rndBytes(REGION);
  const exp = obs.slice();
  if (f === null) refXsave(s, exp, AREA, ALL, xcr0, true, false);
  const body = I.rfbm(Number(rfbm & 0xffffffffn), Number(rfbm >> 32n)) + I[kind];
  const bodyOff = I.prologue.length / 2 + 10;
  add(fileOf(cpu), {
    name, note, xcr0,
    regs: { rax: ALL, rdx: ALL, rsi: SRC + AREA, rdi: AUX + AREA, rbx: OBS + AREA },
    memory: [{ addr: SRC, bytes: src, perm: 'r' }, { addr: AUX, bytes: img, perm: 'r' }, { addr: OBS, bytes: obs }],
    code: I.prologue + body + I.observe + I.int3,
    stop: f === null ? { vector: 3, ripAt: 'int3' } : { vector: f, ripAt: bodyOff, error: 0 },
    expMem: [{ addr: OBS, bytes: exp, mask: areaMask(REGION) }],
  }, bodyOff);
}
for (const r of [0n, 1n, 2n, 4n, 0x20n, 0xe0n, 0x200n, BigInt(X), ALL]) {
  restoreCase(SPR, 'xrstor64', `xrstor/std-rfbm-${r.toString(16)}`, `XRSTOR64 standard form, XSTATE_BV=0x2a5, RFBM request ${h(r)}: RFBM & XSTATE_BV loaded, RFBM & ~XSTATE_BV initialized, others kept; MXCSR loaded whenever RFBM[1]|RFBM[2] (spec 10 step 5). Observed with XSAVE64.`, X, stdImage(SPR, 0x2a5), r);
}
restoreCase(SPR, 'xrstor', 'xrstor/std-32bit-x87', 'XRSTOR (no REX.W) loads FIP/FDP as 32-bit offsets with FCS/FDS selectors; XSAVE64 then stores the zero-extended FIP/FDP (spec 3.1, 12).', X, stdImage(SPR, 0x3), 1n);
restoreCase(SPR, 'xrstor64', 'xrstor/std-mxcsr-via-avx-only', 'XRSTOR RFBM=4 with XSTATE_BV=0: AVX initialized and MXCSR still loaded from +24 (spec 10 step 5).', X, stdImage(SPR, 0x0, { mxcsr: 0x3f80 }), 4n);
restoreCase(SPR, 'xrstor64', 'xrstor/std-sse-init-keeps-loaded-mxcsr', 'XRSTOR RFBM=2 with XSTATE_BV[1]=0: XMM0-15 zeroed, MXCSR loaded from the image (the standard form never initializes MXCSR) (spec 10 step 5).', X, stdImage(SPR, 0x1, { mxcsr: 0x1fc0 }), 2n);
restoreCase(SPR, 'xrstor64', 'xrstor/cmp-sse-init-sets-mxcsr', 'Compacted XRSTOR with XSTATE_BV[1]=0 (format 0x7): XMM0-15 zeroed and MXCSR=1F80H (spec 10 step 6).', X, cmpImage(SPR, 0x7, 0x5, 0x3f80), ALL);
restoreCase(SPR, 'xrstor64', 'xrstor/cmp-format-not-rfbm', 'Compacted XRSTOR, XCOMP_BV=0x8000000000000224 (AVX at 576, opmask at 832, PKRU at 896), XSTATE_BV=0x224, RFBM=0x20: only opmask loaded, read at 832 (the layout follows XCOMP_BV) (spec 3.3, 10 step 6).', X, cmpImage(SPR, 0x224, 0x224), 0x20n);
restoreCase(SPR, 'xrstor64', 'xrstor/cmp-rfbm-outside-format-init', 'Compacted XRSTOR, format 0x3, RFBM=all: AVX, AVX-512 and PKRU are not in the format, so they are initialized (spec 10 step 6: TO_INIT includes RFBM & ~FORMAT).', X, cmpImage(SPR, 0x3, 0x3), ALL);
restoreCase(SPR, 'xrstor64', 'xrstor/cmp-mxcsr-reserved-unused', 'Compacted XRSTOR whose MXCSR image has reserved bits but SSE is not loaded (XSTATE_BV[1]=0): no #GP, MXCSR becomes 1F80H (spec 10 step 6).', X, cmpImage(SPR, 0x7, 0x5, 0x40000), ALL);

// ------------------------------------------------------------------ XSAVEOPT modified optimization
{
  // XRSTOR64 [rdi] from the destination itself, then scribble bytes with MOV, then XSAVEOPT64 [rdi].
  const cpu = SPR;
  for (const [name, rstRfbm, note] of [
    ['xsaveopt/modified-opt-all-clean', 0x2e7, 'XRSTOR64 [area] (RFBM=all), bytes of the area overwritten by MOVs, XSAVEOPT64 [area]: nothing was modified since the XRSTOR at this address, so the overwritten bytes survive; MXCSR and XSTATE_BV are still written (spec 4, 7).'],
    ['xsaveopt/modified-opt-rfbm-subset', 0x3, 'XRSTOR64 [area] with RFBM=3 sets XMODIFIED for every other component; XSAVEOPT64 [area] then rewrites AVX, opmask, ZMM and PKRU (modified) but not x87/SSE (spec 4: XRSTOR sets XMODIFIED[i]=1 for RFBM[i]=0).'],
  ] as [string, number, string][]) {
    const src = stdImage(cpu, X);
    const s = startState(cpu, src, X);
    const area = stdImage(cpu, X);
    refXrstor(s, area, AREA, BigInt(rstRfbm), X, 0, true, false);
    // MOV byte [abs], imm8 for three bytes: x87 ST0 (+32), XMM3 (+208), AVX (+600), MXCSR byte (+25).
    const scrib: [number, number][] = [[32, 0xc9], [208, 0x8a], [600, 0x7d], [25, 0x3f]];
    const exp = area.slice();
    for (const [o, v] of scrib) exp[AREA + o] = v;
    const modified = ~rstRfbm;
    refXsave(s, exp, AREA, ALL, X, true, true, modified);
    let code = I.prologue + I.rfbm(rstRfbm) + I.xrstor64;
    for (const [o, v] of scrib) code += 'c60425' + le32(DST + AREA + o) + v.toString(16).padStart(2, '0'); // mov byte [disp32], imm8
    code += I.rfbm(-1, -1) + I.xsaveopt64 + I.int3;
    add('xsave-spr', {
      name, note, xcr0: X,
      regs: { rax: ALL, rdx: ALL, rsi: SRC + AREA, rdi: DST + AREA },
      memory: [{ addr: SRC, bytes: src, perm: 'r' }, { addr: DST, bytes: area }],
      code, stop: { vector: 3, ripAt: 'int3' },
      expMem: [{ addr: DST, bytes: exp, mask: areaMask(REGION) }],
    });
  }
  // XRSTOR at another address: no modified optimization.
  const src = stdImage(cpu, X);
  const s = startState(cpu, src, X);
  const dst = rndBytes(REGION);
  const exp = dst.slice();
  refXsave(s, exp, AREA, ALL, X, true, true);
  add('xsave-spr', {
    name: 'xsaveopt/other-address-no-modified-opt', note: 'XRSTOR64 from SRC then XSAVEOPT64 to another area: XRSTOR_INFO does not match, every component in use is written (spec 4, 7).', xcr0: X,
    regs: { rax: ALL, rdx: ALL, rsi: SRC + AREA, rdi: DST + AREA }, memory: [{ addr: SRC, bytes: src, perm: 'r' }, { addr: DST, bytes: dst }],
    code: I.prologue + I.xsaveopt64 + I.int3, stop: { vector: 3, ripAt: 'int3' }, expMem: [{ addr: DST, bytes: exp, mask: areaMask(REGION) }],
  });
}

// ------------------------------------------------------------------ XSAVES / XRSTORS (CPL 0, supervisor components)
{
  const cpu = SPR;
  const xss = 0x9900; // PT, CET_U, CET_S, Arch LBR (plain MSR state)
  const fmt = X | xss;
  const img = cmpImage(cpu, fmt, fmt);
  // Arch LBR depth (+8) left as in the image; every supervisor component loaded.
  const s = new RefState(cpu);
  if (refXrstor(s, img, AREA, ALL, X, xss, true, true) !== null) throw new Error('bad XRSTORS image');
  const dst = rndBytes(REGION);
  const exp = dst.slice();
  refXsavec(s, exp, AREA, ALL, X, xss, true, true);
  add('xsave-spr', {
    name: 'xsaves/roundtrip-supervisor', note: 'XRSTORS64 of a compacted image with PT, CET_U, CET_S and Arch LBR (IA32_XSS=0x9900), then XSAVES64 to another area: same layout and values, XCOMP_BV = RFBM | bit 63 (spec 3.3, 9, 11).', cpl: 0, xcr0: X, xss,
    regs: { rax: ALL, rdx: ALL, rdi: SRC + AREA, rbx: DST + AREA }, memory: [{ addr: SRC, bytes: img, perm: 'r' }, { addr: DST, bytes: dst }],
    code: I.xrstors64 + '480fc72b' /* xsaves64 [rbx] */ + I.int3, stop: { vector: 3, ripAt: 'int3' }, expMem: [{ addr: DST, bytes: exp, mask: areaMask(REGION) }],
  }, 0);
  // XSAVES modified optimization: XRSTORS [area], scribble, XSAVES [area] with the same RFBM.
  const area = cmpImage(cpu, fmt, fmt);
  const s2 = new RefState(cpu);
  refXrstor(s2, area, AREA, ALL, X, xss, true, true);
  const offs = compactedOffsets(cpu, fmt);
  const scrib: [number, number][] = [[40, 0x11], [offs.get(8)! + 3, 0x22], [offs.get(15)! + 100, 0x33]];
  const exp2 = area.slice();
  for (const [o, v] of scrib) exp2[AREA + o] = v;
  refXsavec(s2, exp2, AREA, ALL, X, xss, true, true, 0);
  let code = I.xrstors64;
  for (const [o, v] of scrib) code += 'c60425' + le32(DST + AREA + o) + v.toString(16).padStart(2, '0');
  code += '480fc72f' + I.int3;
  add('xsave-spr', {
    name: 'xsaves/modified-opt', note: 'XRSTORS64 [area] (RFBM=XCR0|XSS), MOV stores into the area, XSAVES64 [area] with the same RFBM: XRSTOR_INFO matches (CPL, address, XCOMP_BV = RFBM|bit 63) and nothing was modified, so the stored bytes survive; the header is rewritten (spec 4, 9).', cpl: 0, xcr0: X, xss,
    regs: { rax: ALL, rdx: ALL, rdi: DST + AREA }, memory: [{ addr: DST, bytes: area }],
    code, stop: { vector: 3, ripAt: 'int3' }, expMem: [{ addr: DST, bytes: exp2, mask: areaMask(REGION) }],
  }, 0);
}

// ------------------------------------------------------------------ FXSAVE / FXRSTOR
for (const kind of ['fxsave', 'fxsave64'] as const) {
  const src = stdImage(SPR, X);
  const s = startState(SPR, src, X);
  const dst = rndBytes(REGION);
  const exp = dst.slice();
  refFxsave(s, exp, AREA, kind === 'fxsave64');
  add('xsave-spr', {
    name: `fxsave/${kind}`, note: `${kind.toUpperCase()}: legacy region only (x87 in the ${kind === 'fxsave64' ? '64-bit' : '32-bit'} pointer format, MXCSR, MXCSR_MASK=0xffff, XMM0-15); bytes 416-511 and the header untouched; independent of XCR0/XINUSE (spec 12).`, xcr0: X,
    regs: { rax: ALL, rdx: ALL, rsi: SRC + AREA, rdi: DST + AREA }, memory: [{ addr: SRC, bytes: src, perm: 'r' }, { addr: DST, bytes: dst }],
    code: I.prologue + I[kind] + I.int3, stop: { vector: 3, ripAt: 'int3' }, expMem: [{ addr: DST, bytes: exp, mask: areaMask(REGION) }],
  });
}
for (const kind of ['fxrstor', 'fxrstor64'] as const) {
  const src = stdImage(SPR, X);
  const s = startState(SPR, src, X);
  const img = stdImage(SPR, 0);
  refFxrstor(s, img, AREA, kind === 'fxrstor64');
  const obs = rndBytes(REGION);
  const exp = obs.slice();
  refXsave(s, exp, AREA, ALL, X, true, false);
  add('xsave-spr', {
    name: `fxrstor/${kind}-then-xsave`, note: `${kind.toUpperCase()} loads x87, MXCSR and XMM0-15 (others unchanged); XINUSE follows the values (FXRSTOR is not an XRSTOR), observed with XSAVE64 (spec 12, 4).`, xcr0: X,
    regs: { rax: ALL, rdx: ALL, rsi: SRC + AREA, rdi: AUX + AREA, rbx: OBS + AREA },
    memory: [{ addr: SRC, bytes: src, perm: 'r' }, { addr: AUX, bytes: img, perm: 'r' }, { addr: OBS, bytes: obs }],
    code: I.prologue + I[kind] + I.observe + I.int3, stop: { vector: 3, ripAt: 'int3' }, expMem: [{ addr: OBS, bytes: exp, mask: areaMask(REGION) }],
  });
}

// ------------------------------------------------------------------ XGETBV after each kind of state change
function xgetbv1Case(name: string, note: string, body: string, expect: (s: RefState) => number, srcBv: number, mods: { mxcsr?: number; zero?: number; aux?: Uint8Array } = {}): void {
  const src = stdImage(SPR, srcBv, { mxcsr: mods.mxcsr, zero: mods.zero });
  const s = startState(SPR, src, X);
  const v = expect(s);
  add('xsave-spr', {
    name, note, xcr0: X,
    regs: { rax: ALL, rdx: ALL, rsi: SRC + AREA, rdi: AUX + AREA },
    memory: [{ addr: SRC, bytes: src, perm: 'r' }, ...(mods.aux ? [{ addr: AUX, bytes: mods.aux, perm: 'r' as const }] : [])],
    code: I.prologue + body + I.ecx(1) + I.xgetbv + I.int3, stop: { vector: 3, ripAt: 'int3' },
    expRegs: { rax: v, rdx: 0 },
  });
}
xgetbv1Case('xgetbv/ecx1-after-reset-state', 'XGETBV(1) after an XRSTOR that initialized everything (XSTATE_BV=0, MXCSR image 1F80H): 0 (spec 4, 13).', '', () => 0, 0, { mxcsr: 0x1f80 });
xgetbv1Case('xgetbv/ecx1-mxcsr-forces-bit1', 'XGETBV(1) with XMM0-15 init but MXCSR != 1F80H: bit 1 is 1 (SDM 13.6, spec 13).', '', () => 2, 0, { mxcsr: 0x1fa0 });
xgetbv1Case('xgetbv/ecx1-after-load', 'XGETBV(1) after an XRSTOR loading every XCR0 component: XCR0 & XINUSE = 0x2e7 (spec 13).', '', () => X, X);
xgetbv1Case('xgetbv/ecx1-loaded-zero-intel', 'XGETBV(1) after an XRSTOR that loaded all-zero AVX and PKRU data (XSTATE_BV=0x207): Intel model, so bits 2 and 9 are 1 (project XINUSE decision), MXCSR image 1F80H.', '', () => 0x207, 0x207, { zero: 0x204, mxcsr: 0x1f80 });
{
  // XRSTOR with RFBM=4 initializing AVX after it was loaded: bit 2 back to 0.
  const aux = stdImage(SPR, 0x3, { mxcsr: 0x1f80 });
  xgetbv1Case('xgetbv/ecx1-after-xrstor-init', 'XGETBV(1) after a second XRSTOR (RFBM=0x204, XSTATE_BV=3) initialized AVX and PKRU: bits 2 and 9 are 0 again (spec 4), x87/SSE unchanged.',
    I.rfbm(0x204) + '480fae2f', (s) => { refXrstor(s, aux, AREA, 0x204n, X, 0, true, false); return s.xinuse(X) | (s.mxcsr !== 0x1f80 ? 2 : 0); }, X, { aux });
  const fx = stdImage(SPR, 0, { mxcsr: 0x1f80 });
  fx.fill(0, AREA + 160, AREA + 416);
  xgetbv1Case('xgetbv/ecx1-after-fxrstor-zero-xmm', 'XGETBV(1) after FXRSTOR64 loaded zero XMM registers and MXCSR=1F80H over an XRSTOR-loaded SSE state: FXRSTOR is not an XRSTOR, the Intel "loaded" bit stays, so bit 1 stays 1 (project XINUSE decision).',
    '480fae0f', () => 0x2e7, X, { aux: fx });
}
add('xsave-spr', {
  name: 'xgetbv/ecx0-xcr0-e7', note: 'XGETBV(0) returns XCR0 in EDX:EAX, upper halves cleared (spec 13).', xcr0: 0xe7,
  regs: { rax: ALL, rdx: ALL, rcx: 0xffffffff00000000n }, memory: [], code: I.xgetbv + I.int3, stop: { vector: 3, ripAt: 'int3' }, expRegs: { rax: 0xe7, rdx: 0 },
}, 0);

// ------------------------------------------------------------------ XSETBV validity
for (const v of [0x1n, 0x3n, 0x7n, 0xe7n, 0x2e7n, 0x203n, 0x2n, 0x5n, 0x27n, 0x47n, 0x87n, 0x67n, 0xe3n, 0x8n, 0x18n, 0x400n, 0x20003n, 0x40003n, 0x100000003n, 0x8000000000000003n]) {
  const ok = refXcr0Valid({ ...SPR, xcr0Sup: 0x2e7 }, v);
  add('xsave-spr', {
    name: `xsetbv/value-${v.toString(16)}`, note: `XSETBV EDX:EAX=${h(v)} at CPL0 on SPR without AMX components (supported 0x2e7): ${ok ? 'valid, read back by XGETBV(0)' : '#GP(0)'} (spec 14).`, cpl: 0, xcr0: 0x3,
    regs: { rax: v & 0xffffffffn, rdx: v >> 32n, rcx: 0 }, memory: [], code: I.xsetbv + '31c9' + I.xgetbv + I.int3,
    stop: ok ? { vector: 3, ripAt: 'int3' } : { vector: 13, ripAt: 0, error: 0 }, ...(ok ? { expRegs: { rax: v, rdx: 0 } } : {}),
  }, 0);
}
add('xsave-spr', { name: 'xsetbv/gp-ecx1', note: 'XSETBV with ECX=1 (XINUSE is read-only): #GP(0) (spec 14).', cpl: 0, xcr0: 0x3, regs: { rax: 3, rcx: 1 }, memory: [], code: I.xsetbv + I.int3, stop: { vector: 13, ripAt: 0, error: 0 } }, 0);
add('xsave-spr', { name: 'xsetbv/gp-cpl3', note: 'XSETBV at CPL3: #GP(0) (spec 14).', cpl: 3, xcr0: 0x3, regs: { rax: 3 }, memory: [], code: I.xsetbv + I.int3, stop: { vector: 13, ripAt: 0, error: 0 } }, 0);
add('xsave-spr', { name: 'xsetbv/ud-no-osxsave', note: 'XSETBV with CR4.OSXSAVE=0: #UD (spec 14).', cpl: 0, xcr0: 0x3, cr4: 0x620, regs: { rax: 3 }, memory: [], code: I.xsetbv + I.int3, stop: { vector: 6, ripAt: 0 } }, 0);
add('xsave-spr', { name: 'xsetbv/ud-lock', note: 'LOCK XSETBV: #UD (spec 14).', cpl: 0, xcr0: 0x3, regs: { rax: 3 }, memory: [], code: 'f0' + I.xsetbv + I.int3, stop: { vector: 6, ripAt: 0 } }, 0);
add('xsave-spr', { name: 'xgetbv/ud-no-osxsave', note: 'XGETBV with CR4.OSXSAVE=0: #UD (spec 13).', xcr0: 0x3, cr4: 0x620, memory: [], code: I.xgetbv + I.int3, stop: { vector: 6, ripAt: 0 } }, 0);
add('xsave-spr', { name: 'xgetbv/ud-66', note: '66 XGETBV: #UD (spec 13, [IX]).', xcr0: 0x3, memory: [], code: '66' + I.xgetbv + I.int3, stop: { vector: 6, ripAt: 0 } }, 0);
add('xsave-spr', { name: 'xgetbv/ud-lock', note: 'LOCK XGETBV: #UD (spec 13).', xcr0: 0x3, memory: [], code: 'f0' + I.xgetbv + I.int3, stop: { vector: 6, ripAt: 0 } }, 0);
add('xsave-spr', { name: 'xgetbv/gp-ecx-ffffffff', note: 'XGETBV with ECX=0xffffffff: #GP(0) (spec 13).', xcr0: 0x3, regs: { rcx: 0xffffffff }, memory: [], code: I.xgetbv + I.int3, stop: { vector: 13, ripAt: 0, error: 0 } }, 0);

// ------------------------------------------------------------------ MSRs
add('xsave-spr', { name: 'xss/wrmsr-valid-9900', note: 'WRMSR IA32_XSS=0x9900 (PT, CET_U, CET_S, Arch LBR: the supervisor components this project implements as state) and RDMSR it back (spec 1.4).', cpl: 0, xcr0: 0x3,
  memory: [], code: I.ecx(0xda0) + I.rfbm(0x9900) + '0f30' + '0f32' + I.int3, stop: { vector: 3, ripAt: 'int3' }, expRegs: { rax: 0x9900, rdx: 0 } }, 0);
add('xsave-spr', { name: 'xss/wrmsr-gp-bit0', note: 'WRMSR IA32_XSS with bit 0 (x87 is an XCR0 component): #GP(0), IA32_XSS unchanged (spec 1.4).', cpl: 0, xcr0: 0x3, xss: 0x100,
  memory: [], code: I.ecx(0xda0) + I.rfbm(0x101) + '0f30' + I.int3, stop: { vector: 13, ripAt: 15, error: 0 }, expMsrs: { '0xda0': 0x100 } }, 0);
add('xsave-spr', { name: 'xfd/wrmsr-gp-bit2', note: 'WRMSR IA32_XFD with bit 2 (AVX is not XFD-capable, CPUID.(0DH,2):ECX[2]=0): #GP(0) (spec 1.4).', cpl: 0, xcr0: 0x7,
  memory: [], code: I.ecx(0x1c4) + I.rfbm(0x4) + '0f30' + I.int3, stop: { vector: 13, ripAt: 15, error: 0 } }, 0);
add('xsave-genoa', { name: 'xfd/no-msr-on-genoa', note: 'RDMSR IA32_XFD on a model without XFD (CPUID.(0DH,1):EAX[4]=0): #GP(0) (spec 1.4).', cpl: 0, xcr0: 0x7,
  memory: [], code: I.ecx(0x1c4) + '0f32' + I.int3, stop: { vector: 13, ripAt: 5, error: 0 } }, 0);

// ------------------------------------------------------------------ faults (spec 20)
interface FaultSpec { name: string; note: string; code: string; vector: number; error?: number; cpl?: number; cr0?: number; cr4?: number; xcr0?: number; xss?: number; rdi?: bigint | number; rsp?: bigint | number; img?: Uint8Array; perm?: 'r' | 'rw'; mapLen?: number; rax?: bigint | number; expMsrs?: Record<string, number> }
function fault(f: FaultSpec): void {
  const img = f.img ?? stdImage(SPR, 0x3);
  const region = f.mapLen !== undefined ? img.slice(0, f.mapLen) : img;
  add('xsave-spr', {
    name: f.name, note: f.note, cpl: f.cpl, xcr0: f.xcr0 ?? X, xss: f.xss, cr0: f.cr0, cr4: f.cr4,
    regs: { rax: f.rax ?? ALL, rdx: ALL, rdi: f.rdi ?? DST + AREA, rsp: f.rsp ?? 0 },
    memory: [{ addr: DST, bytes: region, perm: f.perm ?? 'rw' }],
    code: f.code + I.int3, stop: { vector: f.vector, ripAt: 0, error: f.error },
    expMsrs: f.expMsrs,
    expMem: f.vector === 3 ? undefined : [{ addr: DST, bytes: region }],
  }, 0);
}
const saves = ['xsave64', 'xsaveopt64', 'xsavec64', 'xsaves64', 'xrstor64', 'xrstors64'] as const;
for (const k of saves) {
  const sup = k === 'xsaves64' || k === 'xrstors64';
  const img = k.startsWith('xrstors') ? cmpImage(SPR, 0x3, 0x3) : stdImage(SPR, 0x3);
  fault({ name: `${k.replace('64', '')}/ud-lock`, note: `LOCK ${k.toUpperCase()}: #UD (spec 5 step 1).`, code: 'f0' + I[k], vector: 6, cpl: sup ? 0 : 3, img });
  fault({ name: `${k.replace('64', '')}/ud-no-osxsave`, note: `${k.toUpperCase()} with CR4.OSXSAVE=0: #UD (spec 5 step 1).`, code: I[k], vector: 6, cr4: 0x620, cpl: sup ? 0 : 3, img });
  fault({ name: `${k.replace('64', '')}/nm-ts`, note: `${k.toUpperCase()} with CR0.TS=1: #NM; IA32_XFD_ERR untouched (spec 5 step 2).`, code: I[k], vector: 7, cr0: 0x8001002b, cpl: sup ? 0 : 3, img, expMsrs: { '0x1c5': 0 } });
  fault({ name: `${k.replace('64', '')}/gp-misaligned-32`, note: `${k.toUpperCase()} to an area 32 bytes past a 64-byte boundary: #GP(0), memory unchanged (spec 5 step 5).`, code: I[k], vector: 13, error: 0, rdi: DST + AREA + 32, cpl: sup ? 0 : 3, img });
  fault({ name: `${k.replace('64', '')}/gp-non-canonical`, note: `${k.toUpperCase()} at 0x0000800000000000: #GP(0) (spec 5 step 4).`, code: I[k], vector: 13, error: 0, rdi: 0x800000000000n, cpl: sup ? 0 : 3, img });
  fault({ name: `${k.replace('64', '')}/ss-non-canonical`, note: `${k.toUpperCase()} [rsp] with a non-canonical RSP: #SS(0) (spec 5 step 4).`, code: I[k].slice(0, -2) + (parseInt(I[k].slice(-2), 16) - 7 + 4).toString(16).padStart(2, '0') + '24', vector: 12, error: 0, rsp: 0xffff7fffffffff00n, cpl: sup ? 0 : 3, img });
  fault({ name: `${k.replace('64', '')}/pf-header-unmapped-rfbm0`, note: `${k.toUpperCase()} with RFBM=0 and the header on an unmapped page: #PF (the header is accessed even with RFBM=0) (spec 5 step 6, 6 step 2).`, code: I.rfbm(0) + I[k], vector: 14, rdi: DST + 0x1000 - 512, mapLen: 0x1000, cpl: sup ? 0 : 3, img }, );
  if (sup) fault({ name: `${k.replace('64', '')}/gp-cpl3`, note: `${k.toUpperCase()} at CPL3: #GP(0) (spec 5 step 3).`, code: I[k], vector: 13, error: 0, cpl: 3, img });
}
// fix the RIP of the pf-header cases (the body starts after the RFBM moves)
for (const c of cases['xsave-spr'] as { name: string; expect: { stop: { rip: string } } }[]) if (c.name.includes('pf-header-unmapped')) c.expect.stop.rip = h(CODE + 10);
{
  // An area whose only unmapped page holds components outside RFBM: no fault (spec 5 step 6).
  const img = stdImage(SPR, 0x3);
  const s = startState(SPR, stdImage(SPR, 0x3), X);
  void s;
  for (const k of ['xsave64', 'xsavec64', 'xrstor64'] as const) {
    const region = img.slice(0, 0x1000); // area at +0xdc0: legacy and header on the mapped page, AVX beyond
    const rdv = new DataView(region.buffer);
    region.fill(0, 0xdc0 + 512, 0x1000);
    rdv.setBigUint64(0xdc0 + 512, 0x3n, true);
    rdv.setUint32(0xdc0 + 24, 0x1f80, true);
    add('xsave-spr', {
      name: `${k.replace('64', '')}/no-pf-outside-rfbm`, note: `${k.toUpperCase()} with RFBM=3 on an area whose extended region lies on an unmapped page: no fault, only the header and RFBM components are touched (spec 5 step 6).`, xcr0: X,
      regs: { rax: 3, rdx: 0, rdi: DST + 0xdc0 }, memory: [{ addr: DST, bytes: region }],
      code: I[k] + I.int3, stop: { vector: 3, ripAt: 'int3' },
    }, 0);
  }
  const pf = stdImage(SPR, 0x7).slice(0, 0x1000);
  new DataView(pf.buffer).setBigUint64(0xdc0 + 512, 0x7n, true);
  pf.fill(0, 0xdc0 + 520, 0x1000);
  for (const k of ['xsave64', 'xrstor64'] as const) {
    add('xsave-spr', {
      name: `${k.replace('64', '')}/pf-avx-unmapped`, note: `${k.toUpperCase()} with RFBM=7 whose AVX section is on an unmapped page: #PF (${k === 'xsave64' ? 'write' : 'read'}, user) and nothing written (spec 5 step 6).`, xcr0: X,
      regs: { rax: 7, rdx: 0, rdi: DST + 0xdc0 }, memory: [{ addr: DST, bytes: pf }],
      code: I[k] + I.int3, stop: { vector: 14, ripAt: 0, error: k === 'xsave64' ? 6 : 4 },
      expMem: [{ addr: DST, bytes: pf }],
    }, 0);
  }
  const ro = stdImage(SPR, 0x3).slice(0, 0x1000);
  add('xsave-spr', {
    name: 'xsave/pf-read-only', note: 'XSAVE64 to a read-only page: #PF with W=1 (error 7: present, write, user), nothing written (spec 5 step 6).', xcr0: X,
    regs: { rax: 3, rdx: 0, rdi: DST + AREA }, memory: [{ addr: DST, bytes: ro, perm: 'r' }],
    code: I.xsave64 + I.int3, stop: { vector: 14, ripAt: 0, error: 7 }, expMem: [{ addr: DST, bytes: ro }],
  }, 0);
}
// XRSTOR header #GP cases.
function hdrImage(bv: bigint, xc: bigint, extra?: [number, number]): Uint8Array {
  const img = stdImage(SPR, 0);
  const dv = new DataView(img.buffer);
  dv.setBigUint64(AREA + 512, bv, true);
  dv.setBigUint64(AREA + 520, xc, true);
  if (extra) img[AREA + extra[0]] = extra[1];
  return img;
}
const C63 = 1n << 63n;
for (const [name, img, note, kind, rax, cpl, xss] of [
  ['xrstor/gp-std-xstate-bv-not-in-xcr0', hdrImage(0x10n, 0n), 'standard form, XSTATE_BV bit 4 not in XCR0 (whole XSTATE_BV checked, RFBM=1)', 'xrstor64', 1, 3, 0],
  ['xrstor/gp-std-xstate-bv-bit63', hdrImage(C63 | 3n, 0n), 'standard form, XSTATE_BV bit 63', 'xrstor64', ALL, 3, 0],
  ['xrstor/gp-std-header-byte-530', hdrImage(3n, 0n, [530, 1]), 'standard form, header byte 530 (within bytes 8-23) not zero', 'xrstor64', ALL, 3, 0],
  ['xrstor/std-header-byte-540-ok', hdrImage(3n, 0n, [540, 1]), 'standard form, header byte 540 (outside bytes 8-23) not zero: no fault', 'xrstor64', ALL, 3, 0],
  ['xrstor/gp-std-mxcsr-reserved-rfbm4', (() => { const i = hdrImage(0n, 0n); new DataView(i.buffer).setUint32(AREA + 24, 0x10000, true); return i; })(), 'standard form, MXCSR image bit 16 set, RFBM=4 only (MXCSR read whenever RFBM[1]|RFBM[2])', 'xrstor64', 4, 3, 0],
  ['xrstor/gp-cmp-xcomp-not-in-xcr0', hdrImage(0n, C63 | 0x400n), 'compacted form, XCOMP_BV bit 10 not in XCR0', 'xrstor64', ALL, 3, 0],
  ['xrstor/gp-cmp-xstate-not-in-xcomp', hdrImage(0x7n, C63 | 0x3n), 'compacted form, XSTATE_BV bit 2 not in XCOMP_BV', 'xrstor64', ALL, 3, 0],
  ['xrstor/gp-cmp-xstate-bit63', hdrImage(C63 | 0x3n, C63 | 0x3n), 'compacted form, XSTATE_BV bit 63 (not in XCOMP_BV[62:0])', 'xrstor64', ALL, 3, 0],
  ['xrstor/gp-cmp-header-byte-570', hdrImage(0x3n, C63 | 0x3n, [570, 0x80]), 'compacted form, header byte 570 not zero, RFBM=0', 'xrstor64', 0, 3, 0],
  ['xrstor/gp-cmp-mxcsr-reserved', (() => { const i = hdrImage(0x3n, C63 | 0x3n); new DataView(i.buffer).setUint32(AREA + 24, 0x10000, true); return i; })(), 'compacted form loading SSE with MXCSR image bit 16 set', 'xrstor64', ALL, 3, 0],
  ['xrstors/gp-standard-form', hdrImage(0x3n, 0n), 'XRSTORS of a standard-form image (XCOMP_BV[63]=0)', 'xrstors64', ALL, 0, 0x1800],
  ['xrstors/gp-xcomp-not-in-xcr0-xss', hdrImage(0n, C63 | 0x100n), 'XRSTORS, XCOMP_BV bit 8 (PT) not in XCR0|IA32_XSS (0x1800)', 'xrstors64', ALL, 0, 0x1800],
  ['xrstors/gp-xstate-bit63', hdrImage(C63, C63 | 0x1800n), 'XRSTORS, XSTATE_BV bit 63', 'xrstors64', ALL, 0, 0x1800],
  ['xrstors/gp-header-byte-560', hdrImage(0x0n, C63 | 0x1800n, [560, 4]), 'XRSTORS, header byte 560 not zero', 'xrstors64', 0, 0, 0x1800],
] as [string, Uint8Array, string, 'xrstor64' | 'xrstors64', bigint | number, number, number][]) {
  const ok = name.endsWith('-ok');
  add('xsave-spr', {
    name, note: `${kind.toUpperCase()}: ${note}: ${ok ? 'no fault' : '#GP(0), state unchanged'} (spec 10 steps 3-4, 11).`, cpl, xcr0: X, xss,
    regs: { rax: rax, rdx: typeof rax === 'bigint' ? rax >> 32n : 0, rdi: DST + AREA }, memory: [{ addr: DST, bytes: img, perm: 'r' }],
    code: I[kind] + I.int3, stop: ok ? { vector: 3, ripAt: 'int3' } : { vector: 13, ripAt: 0, error: 0 },
  }, 0);
}
// FXSAVE/FXRSTOR faults.
for (const k of ['fxsave64', 'fxrstor64'] as const) {
  fault({ name: `${k.replace('64', '')}/ud-lock`, note: `LOCK ${k.toUpperCase()}: #UD (spec 12).`, code: 'f0' + I[k], vector: 6 });
  fault({ name: `${k.replace('64', '')}/ud-em`, note: `${k.toUpperCase()} with CR0.EM=1: #UD (SDM; spec 12).`, code: I[k], vector: 6, cr0: 0x80010027 });
  fault({ name: `${k.replace('64', '')}/nm-ts`, note: `${k.toUpperCase()} with CR0.TS=1: #NM (spec 12).`, code: I[k], vector: 7, cr0: 0x8001002b });
  fault({ name: `${k.replace('64', '')}/gp-misaligned-8`, note: `${k.toUpperCase()} to an address 8 bytes past a 16-byte boundary: #GP(0) (spec 12).`, code: I[k], vector: 13, error: 0, rdi: DST + AREA + 8 });
  fault({ name: `${k.replace('64', '')}/ss-non-canonical`, note: `${k.toUpperCase()} [rsp] with a non-canonical RSP: #SS(0) (spec 12).`, code: I[k].slice(0, -2) + (parseInt(I[k].slice(-2), 16) - 7 + 4).toString(16).padStart(2, '0') + '24', vector: 12, error: 0, rsp: 0xffff7fffffffff00n });
  fault({ name: `${k.replace('64', '')}/pf-byte-511-unmapped`, note: `${k.toUpperCase()} with only bytes 0-447 of its 512-byte operand mapped: #PF, nothing written (spec 12).`, code: I[k], vector: 14, rdi: DST + 0x1000 - 448, mapLen: 0x1000 });
}
{
  const img = stdImage(SPR, 0);
  new DataView(img.buffer).setUint32(AREA + 24, 0x20000, true);
  fault({ name: 'fxrstor/gp-mxcsr-reserved', note: 'FXRSTOR64 with MXCSR image bit 17 set (MXCSR_MASK 0xffff on SPR): #GP(0) (spec 12).', code: I.fxrstor64, vector: 13, error: 0, img, perm: 'r' });
}

// ------------------------------------------------------------------ pending (later issues)
{
  // XFD: XRSTOR loading XTILEDATA while IA32_XFD[18]=1 -> #NM, IA32_XFD_ERR = 0x40000 (needs the AMX rows).
  const img = hdrImage(0x40000n, 0n);
  add('xsave-spr', {
    name: 'xrstor/nm-xfd-tiledata', note: 'XRSTOR64 of an image with XSTATE_BV[18]=1 while XCR0[18]=IA32_XFD[18]=1: #NM, IA32_XFD_ERR := 0x40000, after the header checks (spec 10 step 8, 15, decision 21.4). Needs the AMX components (pending).', xcr0: 0x602e7,
    msrs: { '0x1c4': '0x40000' },
    regs: { rax: ALL, rdx: ALL, rdi: DST + AREA }, memory: [{ addr: DST, bytes: img.slice(0, 0x1000), perm: 'r' }],
    code: I.xrstor64 + I.int3, stop: { vector: 7, ripAt: 0 }, expMsrs: { '0x1c5': 0x40000 },
  }, 0);
  const img2 = hdrImage(0x0n, 0n);
  add('xsave-spr', {
    name: 'xrstor/xfd-init-only-no-nm', note: 'XRSTOR64 with RFBM[18]=1, XSTATE_BV[18]=0 while IA32_XFD[18]=1: XTILEDATA is only initialized, no #NM, IA32_XFD_ERR unchanged (spec 10 step 8). Needs the AMX components (pending).', xcr0: 0x602e7,
    msrs: { '0x1c4': '0x40000' },
    regs: { rax: ALL, rdx: ALL, rdi: DST + AREA }, memory: [{ addr: DST, bytes: img2.slice(0, 0x1000), perm: 'r' }],
    code: I.xrstor64 + I.int3, stop: { vector: 3, ripAt: 'int3' }, expMsrs: { '0x1c5': 0 },
  }, 0);
  const img3 = hdrImage(0x0n, C63 | 0x4000n);
  add('xsave-spr', {
    name: 'xrstors/gp-uinv-nonzero-init', note: 'XRSTORS with RFBM[14]=1 while UINV != 0 (IA32_UINTR_MISC[39:32]=0xec) and an image that only initializes UINTR (XSTATE_BV[14]=0): #GP(0) (decision for spec 21.6: the UINV check applies whether the component is loaded or initialized). Needs the UINTR component (pending).', cpl: 0, xcr0: 0x3, xss: 0x4000,
    msrs: { '0x988': '0xec00000000' },
    regs: { rax: ALL, rdx: ALL, rdi: DST + AREA }, memory: [{ addr: DST, bytes: img3.slice(0, 0x1000), perm: 'r' }],
    code: I.xrstors64 + I.int3, stop: { vector: 13, ripAt: 0, error: 0 },
  }, 0);
}

// ------------------------------------------------------------------ write
const OUT = join(ROOT, 'test', 'conformance');
for (const [file, list] of Object.entries(cases)) {
  const cpu = file === 'xsave-spr' ? 'sapphire-rapids' : 'genoa';
  const doc = {
    format: 'x86-conformance/1', cpu,
    source: 'generated by tools/xsave-cases/gen.ts from shared/spec/xstate-uintr-pasid.md §1-15 (reference model tools/xsave-cases/ref.ts; faults and XSETBV/XGETBV values by hand)',
    cases: list,
  };
  writeFileSync(join(OUT, `${file}.json`), JSON.stringify(doc, null, 1) + '\n');
  console.log(`${file}.json: ${list.length} cases`);
}
