/**
 * Extended state views: `xstate` (the live state of every XSAVE component of
 * the selected vCPU, with its XINUSE bit) and `xsave ADDR` (an XSAVE area in
 * memory, standard or compacted per XCOMP_BV[63], decoded component by
 * component and checked against CPUID and the vCPU's XCR0 / IA32_XSS).
 *
 * Components are decoded from their XSAVE image in both views: the live view
 * asks each component's row (isa-ext/xsave) to save itself into a scratch
 * buffer, so an extension that registers a row (AMX, UINTR, PASID) shows up
 * here, as hex until it registers a decoder (registry.ts defineXstateDecoder).
 */
import type { Cpu } from '../cpu/cpu.ts';
import type { Session } from './session.ts';
import { REGISTRY, ReplError, type CommandOutput } from './registry.ts';
import { geometry, xstateRow, OPT_REXW, HDR_OFF, type Geometry } from '../../isa-ext/xsave/table.ts';
import { xinuse } from '../../isa-ext/xsave/xinuse.ts';
import { vcpu as xsaveVcpu } from '../../isa-ext/xsave/vcpu.ts';
import { cpuid, xcr0Supported, xssSupported } from '../models/index.ts';
import { readLinear, leToBig, hexAddr } from './memory.ts';
import { xfeatures, XFEATURE_NAMES } from './views.ts';

const hx = (v: bigint | number, w = 0) => `0x${(typeof v === 'bigint' ? v : BigInt(v >>> 0)).toString(16).padStart(w, '0')}`;
const hexLE = (b: Uint8Array, off: number, n: number) => {
  let s = '';
  for (let k = n - 1; k >= 0; k--) s += b[off + k].toString(16).padStart(2, '0');
  return `0x${s}`;
};
const allZero = (b: Uint8Array, off: number, n: number) => { for (let k = 0; k < n; k++) if (b[off + k]) return false; return true; };

/** An 80-bit extended-precision value: a decimal approximation. */
export function f80Decimal(b: Uint8Array, off = 0): string {
  const mant = leToBig(b, off, 8);
  const se = b[off + 8] | (b[off + 9] << 8);
  const sign = se & 0x8000 ? '-' : '+';
  const exp = se & 0x7fff;
  const int = mant >> 63n;
  if (exp === 0x7fff) {
    const frac = mant & ((1n << 63n) - 1n);
    if (!int) return `${sign}pseudo-${frac ? 'NaN' : 'inf'}`;
    return frac === 0n ? `${sign}inf` : frac >> 62n ? `${sign}qNaN` : `${sign}sNaN`;
  }
  if (mant === 0n) return `${sign}0`;
  // value = mant / 2^63 * 2^(e - 16383), e = 1 for denormals
  const e = (exp === 0 ? 1 : exp) - 16383;
  const bits = mant.toString(2).length; // mant in [2^(bits-1), 2^bits)
  const top = Number(mant >> BigInt(Math.max(0, bits - 53))) * 2 ** Math.min(0, bits - 53);
  const log10 = Math.log10(top) + (Math.max(0, bits - 53) - 63 + e) * Math.log10(2);
  let exp10 = Math.floor(log10);
  let digits = 10 ** (log10 - exp10);
  if (digits >= 9.9999999999999995) { digits /= 10; exp10++; }
  const tag = exp === 0 ? ' (denormal)' : !int ? ' (unnormal)' : '';
  const txt = exp10 >= -6 && exp10 <= 15 ? String(Number((digits * 10 ** exp10).toPrecision(18))) : `${digits.toFixed(17).replace(/0+$/, '').replace(/\.$/, '')}e${exp10 >= 0 ? '+' : ''}${exp10}`;
  return `${sign}${txt}${tag}`;
}

/** Runs of registers: `name: value`, consecutive all-zero registers collapsed. */
function regRun(prefix: string, first: number, count: number, width: number, b: Uint8Array, off: number, suffix = ''): string[] {
  const out: string[] = [];
  let k = 0;
  while (k < count) {
    if (allZero(b, off + k * width, width)) {
      let j = k;
      while (j + 1 < count && allZero(b, off + (j + 1) * width, width)) j++;
      out.push(j > k ? `${prefix}${first + k}${suffix}..${prefix}${first + j}${suffix} = 0` : `${prefix}${first + k}${suffix} = 0`);
      k = j + 1;
    } else {
      out.push(`${prefix}${first + k}${suffix} = ${hexLE(b, off + k * width, width)}`);
      k++;
    }
  }
  return out;
}

/** x87 component (bytes 0-23 and 32-159 of the legacy region). */
function decodeX87(b: Uint8Array): string[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fcw = dv.getUint16(0, true), fsw = dv.getUint16(2, true), ftw = b[4], fop = dv.getUint16(6, true);
  const top = (fsw >> 11) & 7;
  const L = [
    `fcw=${hx(fcw, 4)} fsw=${hx(fsw, 4)} (top ${top}) ftw=${hx(ftw, 2)} (abridged) fop=${hx(fop, 3)}`,
    `fip=${hexLE(b, 8, 8)} fdp=${hexLE(b, 16, 8)} (64-bit form; 32-bit form: fcs=${hx(dv.getUint16(12, true), 4)} fds=${hx(dv.getUint16(20, true), 4)})`,
  ];
  for (let j = 0; j < 8; j++) {
    const phys = (top + j) & 7;
    const used = (ftw >> phys) & 1;
    const off = 32 + 16 * j;
    const raw = hexLE(b, off, 10);
    L.push(`st${j} (R${phys}) ${used ? 'valid' : 'empty'} ${raw.slice(0, 6)}_${raw.slice(6)}  ${f80Decimal(b, off)}`);
  }
  return L;
}

function decodePkru(b: Uint8Array): string[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true);
  const keys: string[] = [];
  for (let k = 0; k < 16; k++) {
    const ad = (v >>> (2 * k)) & 1, wd = (v >>> (2 * k + 1)) & 1;
    if (ad || wd) keys.push(`key${k}:${ad ? 'AD' : ''}${wd ? 'WD' : ''}`);
  }
  return [`pkru = ${hx(v, 8)}${keys.length ? `  (${keys.join(' ')})` : ''}${b.length > 4 && !allZero(b, 4, b.length - 4) ? `  bytes 4-${b.length - 1} non-zero: ${hexLE(b, 4, b.length - 4)}` : ''}`];
}

function hexDump(b: Uint8Array): string[] {
  if (allZero(b, 0, b.length)) return [`all ${b.length} bytes zero`];
  const out: string[] = [];
  let zeroRun = -1;
  for (let o = 0; o < b.length; o += 16) {
    const n = Math.min(16, b.length - o);
    if (allZero(b, o, n)) { if (zeroRun < 0) zeroRun = o; continue; }
    if (zeroRun >= 0) { out.push(`+${hx(zeroRun, 3)}..+${hx(o - 1, 3)}: zero`); zeroRun = -1; }
    out.push(`+${hx(o, 3)}: ${Array.from(b.subarray(o, o + n), (x) => x.toString(16).padStart(2, '0')).join(' ')}`);
  }
  if (zeroRun >= 0) out.push(`+${hx(zeroRun, 3)}..+${hx(b.length - 1, 3)}: zero`);
  return out;
}

/** Decodes component i's image. */
export function decodeComponent(s: Session, i: number, b: Uint8Array): string[] {
  const ext = REGISTRY.xstateDecoders.get(i);
  if (ext) return ext(b, { session: s, index: i });
  switch (i) {
    case 0: return decodeX87(b);
    case 1: return regRun('xmm', 0, 16, 16, b, 0);
    case 2: return regRun('ymm', 0, 16, 16, b, 0, '[255:128]');
    case 5: return regRun('k', 0, 8, 8, b, 0);
    case 6: return regRun('zmm', 0, 16, 32, b, 0, '[511:256]');
    case 7: return regRun('zmm', 16, 16, 64, b, 0);
    case 9: return decodePkru(b);
    default: return hexDump(b);
  }
}

function compName(g: Geometry, i: number): string {
  const c = g.model.xsave.components.find((x) => x.index === i);
  return c?.name ?? (i === 0 ? 'x87' : i === 1 ? 'sse' : XFEATURE_NAMES[i]?.toLowerCase() ?? `component${i}`);
}

function dyn(c: Cpu) {
  return { xcr0: BigInt(c.xcr0 >>> 0), xss: BigInt(c.xss >>> 0), cr4: c.cr4, apicId: c.id, vcpuCount: c.machine.cpus.length };
}

// ------------------------------------------------------------------- xstate (live)
export function xstateView(s: Session, c: Cpu): CommandOutput {
  const g = geometry(s.m.model);
  const v = xsaveVcpu(c);
  if (!v) throw new ReplError('the XSAVE extension is not installed on this machine');
  const all = g.modelMask;
  const inuse = xinuse(c, all);
  const xgetbv1 = (xinuse(c, c.xcr0) | ((c.xcr0 & 2) && c.mxcsr !== 0x1f80 ? 2 : 0)) >>> 0;
  const L = [
    `vCPU ${c.id}: XCR0=${hx(c.xcr0)} (${xfeatures(c.xcr0)})  IA32_XSS=${hx(c.xss)} (${xfeatures(c.xss)})`,
    `XINUSE=${hx(inuse)} (${xfeatures(inuse)})  XGETBV(1)=${hx(xgetbv1)}  XMODIFIED=${hx(c.xmodified)}`,
    `IA32_XFD=${hx(v.xfd)}  IA32_XFD_ERR=${hx(v.xfdErr)}  MXCSR=${hx(c.mxcsr, 8)}`,
  ];
  const comps: unknown[] = [];
  for (let i = 0; i < 31; i++) {
    if (!((all >>> i) & 1)) continue;
    const sup = g.supervisor[i] === 1;
    const enabled = ((sup ? c.xss : c.xcr0) >>> i) & 1;
    const row = xstateRow(i);
    const bit = (inuse >>> i) & 1;
    const flags = [`${sup ? 'supervisor, IA32_XSS' : 'user, XCR0'}[${i}]=${enabled}`, `XINUSE=${bit}`];
    if (g.xfdCap[i]) flags.push(`XFD=${(v.xfd >>> i) & 1}`);
    L.push(`component ${i} ${compName(g, i)} (${g.size[i]} bytes${sup ? '' : `, standard offset ${g.stdOff[i]}`}): ${flags.join(', ')}`);
    let lines: string[];
    if (!row) lines = ['(no row registered: this emulator does not implement the component)'];
    else if (!bit && i !== 1) lines = ['initial configuration'];
    else {
      const size = Math.max(g.size[i], i === 0 ? 160 : 0);
      const u8 = new Uint8Array(size);
      row.save(c, { u8, dv: new DataView(u8.buffer) }, 0, OPT_REXW);
      lines = bit ? decodeComponent(s, i, u8) : ['initial configuration (XMM0-15 zero)'];
    }
    for (const l of lines) L.push(`    ${l}`);
    comps.push({ index: i, name: compName(g, i), size: g.size[i], supervisor: sup, enabled: !!enabled, xinuse: !!bit, xfd: g.xfdCap[i] ? !!((v.xfd >>> i) & 1) : null, contents: lines });
  }
  return {
    text: L.join('\n'),
    data: { vcpu: c.id, xcr0: hx(c.xcr0), xss: hx(c.xss), xinuse: hx(inuse), xgetbv1: hx(xgetbv1), xfd: hx(v.xfd), xfdErr: hx(v.xfdErr), mxcsr: hx(c.mxcsr, 8), components: comps },
  };
}

// ------------------------------------------------------------------- xsave ADDR
export interface XsaveDecoding {
  addr: string;
  format: 'standard' | 'compacted';
  xstateBv: string;
  xcompBv: string;
  components: { index: number; name: string; offset: number; size: number; inXstateBv: boolean; contents: string[] }[];
  size: number;
  cpuidSize: number;
  problems: string[];
}

export function xsaveAreaView(s: Session, c: Cpu, addr: number): CommandOutput {
  const g = geometry(s.m.model);
  const hdr = readLinear(c, addr, HDR_OFF + 64);
  const xstateBv = leToBig(hdr, HDR_OFF, 8), xcompBv = leToBig(hdr, HDR_OFF + 8, 8);
  const compacted = (xcompBv >> 63n) === 1n;
  const bvLo = Number(xstateBv & 0x7fffffffn);
  const compLo = Number(xcompBv & 0x7fffffffn);
  const problems: string[] = [];
  const L: string[] = [];
  const model = s.m.model;
  const supported = Number((xcr0Supported(model) | xssSupported(model)) & 0x7fffffffn) | 3;
  const bitsOf = (v: bigint) => { const o: number[] = []; for (let i = 0; i < 64; i++) if ((v >> BigInt(i)) & 1n) o.push(i); return o; };
  const names = (v: bigint) => bitsOf(v).map((i) => XFEATURE_NAMES[i] ?? `bit${i}`).join(' ') || 'none';
  if (addr % 64 !== 0) problems.push(`the area is not 64-byte aligned (XSAVE*/XRSTOR* #GP)`);
  L.push(`XSAVE area at ${hexAddr(addr)} (${compacted ? 'compacted' : 'standard'} format)`);
  L.push(`header: XSTATE_BV=${hx(xstateBv, 16)} (${names(xstateBv)})`);
  L.push(`        XCOMP_BV=${hx(xcompBv, 16)} (${compacted ? `compacted: ${names(xcompBv & ((1n << 63n) - 1n))}` : 'standard'})`);
  const reservedNZ: number[] = [];
  for (let k = HDR_OFF + 16; k < HDR_OFF + 64; k++) if (hdr[k]) reservedNZ.push(k);
  if (reservedNZ.length) problems.push(`header bytes ${reservedNZ[0] - HDR_OFF}-63 are reserved but not zero (first at area byte ${reservedNZ[0]}; XRSTOR #GP)`);
  if (xstateBv >> 31n) problems.push(`XSTATE_BV sets bits above 30 (${names(xstateBv >> 31n << 31n)}): no such component on this CPU`);
  for (const i of bitsOf(xstateBv & 0x7fffffffn)) if (!((supported >>> i) & 1)) problems.push(`XSTATE_BV bit ${i} (${XFEATURE_NAMES[i] ?? '?'}): component not supported by CPUID.(0DH,0)/(0DH,1)`);
  const mxcsr = new DataView(hdr.buffer, hdr.byteOffset).getUint32(24, true), mask = new DataView(hdr.buffer, hdr.byteOffset).getUint32(28, true);
  L.push(`legacy: MXCSR=${hx(mxcsr, 8)} MXCSR_MASK=${hx(mask, 8)}`);
  if (mxcsr & ~s.m.model.mxcsrMask) problems.push(`MXCSR ${hx(mxcsr, 8)} sets bits outside MXCSR_MASK ${hx(s.m.model.mxcsrMask, 8)} (XRSTOR #GP when it loads MXCSR)`);
  const dy = dyn(c);
  let offsets: Int32Array | null = null;
  let show: number[];
  let size: number;
  let cpuidSize: number;
  if (compacted) {
    if (xcompBv & ((1n << 63n) - 1n) & ~0x7fffffffn) problems.push(`XCOMP_BV sets bits 62:31: no such components (XRSTOR #GP)`);
    for (const i of bitsOf(xstateBv & 0x7fffffffn)) if (!((compLo >>> i) & 1)) problems.push(`XSTATE_BV bit ${i} (${XFEATURE_NAMES[i] ?? '?'}) is not in XCOMP_BV (XRSTOR/XRSTORS #GP)`);
    for (const i of bitsOf(BigInt(compLo))) {
      if (!((supported >>> i) & 1)) { problems.push(`XCOMP_BV bit ${i} (${XFEATURE_NAMES[i] ?? '?'}): component not supported by CPUID (XRSTOR #GP)`); continue; }
      if (i < 2) continue;
      const sup = g.supervisor[i] === 1;
      if (sup && !((c.xss >>> i) & 1)) problems.push(`XCOMP_BV bit ${i} (${XFEATURE_NAMES[i] ?? '?'}) is a supervisor component not enabled in IA32_XSS (XRSTORS #GP; XRSTOR always #GP)`);
      else if (sup) problems.push(`XCOMP_BV bit ${i} (${XFEATURE_NAMES[i] ?? '?'}) is a supervisor component: only XSAVES/XRSTORS use this area (XRSTOR #GP)`);
      else if (!((c.xcr0 >>> i) & 1)) problems.push(`XCOMP_BV bit ${i} (${XFEATURE_NAMES[i] ?? '?'}) is not enabled in XCR0 of vCPU ${c.id} (XRSTOR #GP)`);
    }
    offsets = g.compacted(compLo & g.modelMask);
    size = offsets[32];
    cpuidSize = cpuid(model, 0xd, 1, dy)[1];
    show = [0, 1, ...bitsOf(BigInt(compLo & g.modelMask & ~3))];
    if (size > cpuidSize) problems.push(`the compacted layout for XCOMP_BV needs ${size} bytes, more than CPUID.(0DH,1).EBX = ${cpuidSize} for XCR0|IA32_XSS = ${hx((c.xcr0 | c.xss) >>> 0)} (a buffer sized from CPUID is too small)`);
  } else {
    if (xcompBv !== 0n) problems.push(`XCOMP_BV = ${hx(xcompBv)} in a standard-format area: must be 0 (XRSTOR #GP)`);
    for (const i of bitsOf(BigInt(bvLo))) {
      if (g.supervisor[i]) problems.push(`XSTATE_BV bit ${i} (${XFEATURE_NAMES[i] ?? '?'}) is a supervisor component: the standard format has no place for it (XRSTOR #GP)`);
      else if (!((c.xcr0 >>> i) & 1) && ((supported >>> i) & 1)) problems.push(`XSTATE_BV bit ${i} (${XFEATURE_NAMES[i] ?? '?'}) is not enabled in XCR0 of vCPU ${c.id} (XRSTOR #GP)`);
    }
    show = [0, 1, ...bitsOf(BigInt(bvLo & g.modelMask & ~3)).filter((i) => !g.supervisor[i])];
    size = 576;
    for (let i = 2; i < 31; i++) if ((((bvLo | c.xcr0) & g.modelMask) >>> i) & 1 && !g.supervisor[i]) size = Math.max(size, g.stdOff[i] + g.size[i]);
    cpuidSize = cpuid(model, 0xd, 0, dy)[1];
    if (size > cpuidSize) problems.push(`the components in XSTATE_BV end at byte ${size}, beyond CPUID.(0DH,0).EBX = ${cpuidSize} for XCR0 = ${hx(c.xcr0)}`);
  }
  const comps: XsaveDecoding['components'] = [];
  for (const i of show) {
    const off = i === 0 ? 0 : i === 1 ? 160 : offsets ? offsets[i] : g.stdOff[i];
    const sz = g.size[i];
    const inBv = ((bvLo >>> i) & 1) === 1;
    const head = `component ${i} ${compName(g, i)}: offset ${off} (${hx(off)}), size ${sz}${inBv ? '' : ', not in XSTATE_BV: XRSTOR loads its initial configuration'}`;
    L.push(head);
    let contents: string[] = [];
    if (inBv) {
      try {
        const b = readLinear(c, addr + off, sz);
        contents = decodeComponent(s, i, b);
      } catch (e) {
        contents = [(e as Error).message];
        problems.push(`component ${i}: ${(e as Error).message}`);
      }
      for (const l of contents) L.push(`    ${l}`);
    }
    comps.push({ index: i, name: compName(g, i), offset: off, size: sz, inXstateBv: inBv, contents });
  }
  L.push(`size: ${size} bytes (${compacted ? 'CPUID.(0DH,1).EBX' : 'CPUID.(0DH,0).EBX'} = ${cpuidSize} for the current ${compacted ? 'XCR0|IA32_XSS' : 'XCR0'})`);
  if (problems.length) { L.push(`problems:`); for (const p of problems) L.push(`  ! ${p}`); }
  else L.push('no problems found');
  const data: XsaveDecoding = {
    addr: hexAddr(addr), format: compacted ? 'compacted' : 'standard', xstateBv: hx(xstateBv, 16), xcompBv: hx(xcompBv, 16),
    components: comps, size, cpuidSize, problems,
  };
  return { text: L.join('\n'), data };
}
