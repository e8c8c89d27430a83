/**
 * Compares a finished case with its expectations (FORMAT.md "What is
 * compared") and returns the first difference, or null.
 */
import { getRflags } from '../cpu/flags.ts';
import { GPR_NAMES } from '../cpu/state.ts';
import { bigToLa, laToBig } from '../msr.ts';
import { VECTOR_NAMES } from '../faults.ts';
import type { Case } from './format.ts';
import type { CaseMachine } from './setup.ts';
import type { StopInfo } from '../cpu/cpu.ts';

const hex = (v: bigint | number) => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
const vname = (v: number) => `${v} (${VECTOR_NAMES[v] ?? 'interrupt'})`;

export function firstDifference(k: Case, cm: CaseMachine, stop: StopInfo): string | null {
  const { m, cpu: c, mapper } = cm;
  const e = k.expect;
  if (stop.kind !== 'exception') return `stop: expected vector ${vname(e.vector)}, but the case ${stop.kind === 'budget' ? 'did not stop within the instruction limit' : `ended with ${stop.kind}${stop.reason ? ': ' + stop.reason : ''}`}`;
  if (stop.vector !== e.vector) return `stop.vector: expected ${vname(e.vector)}, got ${vname(stop.vector!)}${stop.reason ? ` [${stop.reason}]` : ''} at rip ${hex(stop.rip!)}`;
  if (e.errorCode !== null) {
    const mask = e.errorCodeMask ?? 0xffffffffffffffffn;
    const got = BigInt(stop.errorCode ?? -1);
    if ((got & mask) !== (e.errorCode & mask)) return `stop.error_code: expected ${hex(e.errorCode)}, got ${stop.errorCode! < 0 ? 'none' : hex(got)}${stop.reason ? ` [${stop.reason}]` : ''}`;
  }
  if (e.rip !== null && laToBig(stop.rip!) !== e.rip) return `stop.rip: expected ${hex(e.rip)}, got ${hex(laToBig(stop.rip!))}${stop.reason ? ` [${stop.reason}]` : ''}`;
  for (const [name, want] of e.regs) {
    const got = c.R64[GPR_NAMES.indexOf(name)];
    if (got !== want) return `regs.${name}: expected ${hex(want)}, got ${hex(got)}`;
  }
  for (const [index, want] of e.msrs) {
    let got: bigint;
    try {
      got = m.msrs.read(c, index);
    } catch (err) {
      return `msrs.${hex(index)}: cannot be read: ${err}`;
    }
    if (got !== want) return `msrs.${hex(index)}: expected ${hex(want)}, got ${hex(got)}`;
  }
  if (e.rflags) {
    const got = BigInt(getRflags(c));
    if ((got & e.rflags.mask) !== (e.rflags.value & e.rflags.mask)) {
      const diff = (got ^ e.rflags.value) & e.rflags.mask;
      return `rflags: expected ${hex(e.rflags.value)}, got ${hex(got)} (differing bits ${hex(diff)} under mask ${hex(e.rflags.mask)})`;
    }
  }
  for (const r of e.memory) {
    const base = bigToLa(r.addr);
    for (let b = 0; b < r.bytes.length; b++) {
      const mask = r.mask ? r.mask[b] : 0xff;
      if (mask === 0) continue;
      const pa = mapper.phys(base + b);
      const got = pa === undefined ? 0 : m.mem.u8[pa];
      if ((got & mask) !== (r.bytes[b] & mask)) {
        return `memory ${hex(r.addr + BigInt(b))} (region ${hex(r.addr)} + ${b}): expected ${r.bytes[b].toString(16).padStart(2, '0')}, got ${got.toString(16).padStart(2, '0')}${mask !== 0xff ? ` (mask ${mask.toString(16)})` : ''}${pa === undefined ? ' [not mapped]' : ''}`;
      }
    }
  }
  return null;
}
