/**
 * One vCPU: the interpreter loop over decoded blocks, effective addresses,
 * and the entry points to event delivery.
 *
 * RIP holds the address of the instruction being executed; a handler that
 * faults throws before committing anything, so the fault's RIP is that
 * instruction. Non-branch instructions never touch RIP: the loop knows each
 * instruction's offset in the block.
 */
import { CpuMem } from '../memory/mmu.ts';
import { PhysMemory } from '../memory/phys.ts';
import { X86Fault, GP, SS as SS_VEC } from '../faults.ts';
import { BlockCache, Block } from './block.ts';
import { decodeBlock } from './decode.ts';
import { getExecRange } from './dispatch.ts';
import { Insn, BASE_RIP } from './insn.ts';
import { SEG_FS, SEG_SS } from './state.ts';
import type { Machine } from '../machine.ts';

const P2_32 = 4294967296;
const JC_SIZE = 4096;
// Local copies of imported constants: the hot path never reads a module binding.
const BASE_RIP_ = BASE_RIP, FS_ = SEG_FS, SS_ = SEG_SS;

/** Why `run` returned. */
export interface StopInfo {
  kind: 'exit' | 'exception' | 'triple-fault' | 'halt' | 'budget' | 'break' | 'error';
  vector?: number;
  errorCode?: number;
  rip?: number;
  reason?: string;
  status?: number;
}

/** What a vCPU needs from the machine around it. */
export interface CpuHost {
  /** Delivers or stops on an exception/interrupt (events.ts). */
  deliver(c: Cpu, vector: number, errorCode: number, returnRip: number, kind: EventKind, reason: string, addr: number): void;
  /** Checks pending external events at an instruction boundary; returns true if one was taken. */
  poll(c: Cpu): boolean;
}
export const enum EventKind { Fault = 0, Trap = 1, SoftInt = 2, External = 3 }

export class Cpu extends CpuMem {
  readonly id: number;
  readonly cache: BlockCache;
  host!: CpuHost;
  /** The machine this vCPU belongs to (CPUID model, MSRs, devices). */
  machine!: Machine;
  /** Instructions retired. */
  icount = 0;
  /** Exceptions taken, by vector (for --stats). */
  readonly excCount = new Float64Array(256);
  /** Set by devices/extensions when an event may need attention at the next boundary. */
  eventPending = false;
  stop: StopInfo | null = null;
  /** Stop after the current instruction (REPL breakpoints, exit port). */
  stopRequested = false;
  /** End this scheduling round at the next block boundary (an APIC timer was armed: the round must end at its deadline). */
  yieldRequested = false;
  private readonly jcTag = new Float64Array(JC_SIZE).fill(NaN);
  private readonly jcBlk: (Block | null)[] = new Array(JC_SIZE).fill(null);
  private jcGen = -1;
  /** The block loop with the hot handlers inlined (dispatch.ts). */
  private readonly execRange = getExecRange();
  /** Instructions of the current block completed before a fault (set by execRange). */
  execK = 0;
  /** Last fault, for traces. */
  lastFault: X86Fault | null = null;
  /** Instruction trace hook (REPL/--trace insns); null in normal runs. */
  traceHook: ((c: Cpu, i: Insn) => void) | null = null;

  constructor(id: number, mem: PhysMemory, cache: BlockCache) {
    super(mem);
    this.id = id;
    this.cache = cache;
    this.icount = 0.5; // a count past 2^31 is a double: the Double representation from the start (CpuState's constructor)
    this.icount = 0;
  }

  override flushTlb(): void {
    super.flushTlb();
    this.jcTag.fill(NaN);
  }

  override invlpg(la: number): void {
    super.invlpg(la);
    this.jcTag.fill(NaN);
  }

  override setCpl(cpl: number): void {
    if (cpl !== this.cpl) this.jcTag.fill(NaN);
    super.setCpl(cpl);
  }

  // ---------------------------------------------------------------- addresses
  /** Effective linear address of the memory operand (signed form); #GP/#SS if non-canonical. */
  ea(i: Insn): number {
    const lo = this.eaLo(i);
    return this.eaJoin(i, lo, this.eah);
  }

  /** Bits 63:32 of the last `eaLo` result. */
  eah = 0;

  /**
   * The memory operand's linear address as int32 halves, computed with integer
   * operations only: returns bits 31:0 and leaves bits 63:32 (mod 2^64, as the
   * hardware wraps) in `eah`. The canonical check is left to the access's slow
   * path (`eaJoin`): a TLB hit implies a canonical address.
   */
  eaLo(i: Insn): number {
    const R = this.R, b = i.base;
    let lo: number, hi: number;
    if (b === BASE_RIP_) {
      const la = this.rip + i.len + (i.dispHi * P2_32 + i.dispLo);
      hi = Math.floor(la / P2_32);
      lo = (la - hi * P2_32) | 0;
      hi |= 0;
    } else {
      lo = i.dispLo | 0;
      hi = i.dispHi;
      if (b >= 0) {
        const s = (lo + R[2 * b]) | 0;
        hi = (hi + R[2 * b + 1] + ((s >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
        lo = s;
      }
      const x = i.index;
      if (x >= 0) {
        let xl = R[2 * x], xh = R[2 * x + 1];
        const k = i.scaleShift;
        if (k !== 0) { xh = (xh << k) | (xl >>> (32 - k)); xl <<= k; }
        const s = (lo + xl) | 0;
        hi = (hi + xh + ((s >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
        lo = s;
      }
      if (i.asz === 32) hi = 0;
    }
    const seg = i.seg;
    if (seg >= FS_) {
      const base = seg === FS_ ? this.fsBase : this.gsBase;
      const bh = Math.floor(base / P2_32), bl = (base - bh * P2_32) | 0;
      const s = (lo + bl) | 0;
      hi = (hi + bh + ((s >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
      lo = s;
    }
    this.eah = hi;
    return lo;
  }

  /** The signed linear address of halves (lo, hi) from `eaLo`; #GP(0), or #SS(0) for SS-relative operands, if not canonical. */
  eaJoin(i: Insn, lo: number, hi: number): number {
    const la = hi * P2_32 + (lo >>> 0);
    if (la < -140737488355328 || la >= 140737488355328) {
      const big = BigInt.asUintN(64, BigInt(la));
      throw new X86Fault(i.seg === SS_ ? SS_VEC : GP, 0, `non-canonical address 0x${big.toString(16)}`);
    }
    return la;
  }

  // Accesses at an `eaLo` address: the integer TLB fast path (mmu.ts paH), else the checked double path.
  // `rdw*` read through the write TLB: a read-modify-write checks write access before reading.
  rd8e(i: Insn, lo: number, hi: number): number {
    const pa = this.paH(lo, hi, 0, 0);
    return pa >= 0 ? this.u8[pa] : this.rd8(this.eaJoin(i, lo, hi));
  }
  rd16e(i: Insn, lo: number, hi: number): number {
    const pa = this.paH(lo, hi, 0, 1);
    return pa >= 0 ? this.dv.getUint16(pa, true) : this.rd16(this.eaJoin(i, lo, hi));
  }
  rd32e(i: Insn, lo: number, hi: number): number {
    const pa = this.paH(lo, hi, 0, 3);
    return pa >= 0 ? this.ld32(pa) : this.rd32(this.eaJoin(i, lo, hi));
  }
  rd64e(i: Insn, lo: number, hi: number): number {
    const pa = this.paH(lo, hi, 0, 7);
    if (pa < 0) return this.rd64(this.eaJoin(i, lo, hi));
    this.mhi = this.ld32(pa + 4);
    return this.ld32(pa);
  }
  rdw8e(i: Insn, lo: number, hi: number): number {
    const pa = this.paH(lo, hi, 1, 0);
    return pa >= 0 ? this.u8[pa] : this.rdw8(this.eaJoin(i, lo, hi));
  }
  rdw16e(i: Insn, lo: number, hi: number): number {
    const pa = this.paH(lo, hi, 1, 1);
    return pa >= 0 ? this.dv.getUint16(pa, true) : this.rdw16(this.eaJoin(i, lo, hi));
  }
  rdw32e(i: Insn, lo: number, hi: number): number {
    const pa = this.paH(lo, hi, 1, 3);
    return pa >= 0 ? this.ld32(pa) : this.rdw32(this.eaJoin(i, lo, hi));
  }
  rdw64e(i: Insn, lo: number, hi: number): number {
    const pa = this.paH(lo, hi, 1, 7);
    if (pa < 0) return this.rdw64(this.eaJoin(i, lo, hi));
    this.mhi = this.ld32(pa + 4);
    return this.ld32(pa);
  }
  wr8e(i: Insn, lo: number, hi: number, v: number): void {
    const pa = this.paH(lo, hi, 1, 0);
    if (pa >= 0) this.u8[pa] = v; else this.wr8(this.eaJoin(i, lo, hi), v);
  }
  wr16e(i: Insn, lo: number, hi: number, v: number): void {
    const pa = this.paH(lo, hi, 1, 1);
    if (pa >= 0) this.dv.setUint16(pa, v, true); else this.wr16(this.eaJoin(i, lo, hi), v);
  }
  wr32e(i: Insn, lo: number, hi: number, v: number): void {
    const pa = this.paH(lo, hi, 1, 3);
    if (pa >= 0) this.st32(pa, v); else this.wr32(this.eaJoin(i, lo, hi), v);
  }
  wr64e(i: Insn, lo: number, hi: number, vlo: number, vhi: number): void {
    const pa = this.paH(lo, hi, 1, 7);
    if (pa >= 0) { this.st32(pa, vlo); this.st32(pa + 4, vhi); } else this.wr64(this.eaJoin(i, lo, hi), vlo, vhi);
  }

  /** Checks a linear address computed outside `ea` (stack, strings, branch targets). */
  canon(la: number, ssRel = false, what = 'address'): number {
    if (la < -140737488355328 || la >= 140737488355328) {
      const big = BigInt.asUintN(64, BigInt(Math.round(la)));
      throw new X86Fault(ssRel ? SS_VEC : GP, 0, `non-canonical ${what} 0x${big.toString(16)}`);
    }
    return la;
  }

  // ---------------------------------------------------------------- stack
  // Methods, not module functions: under tsx an imported function is a getter call
  // on every use, which cost ~10% of the call/ret benchmark.

  /** RSP as a signed linear address. */
  getRsp(): number {
    return this.R[9] * P2_32 + (this.R[8] >>> 0);
  }

  setRsp(v: number): void {
    const hi = Math.floor(v / P2_32);
    this.R[8] = (v - hi * P2_32) | 0;
    this.R[9] = hi | 0;
  }

  /** RSP += d for |d| < 2^31, in integer arithmetic (wraps mod 2^64 like the hardware). */
  addRsp(d: number): void {
    const R = this.R;
    const lo = (R[8] >>> 0) + d;
    R[8] = lo | 0;
    if (lo < 0) R[9] = (R[9] - 1) | 0;
    else if (lo > 4294967295) R[9] = (R[9] + 1) | 0;
  }

  /** The stack address RSP + d (signed linear); #SS(0) if not canonical. */
  stackAddr(d: number): number {
    const la = this.R[9] * P2_32 + (this.R[8] >>> 0) + d;
    return la >= -140737488355328 && la < 140737488355328 ? la : this.canon(la, true, 'stack address');
  }

  /** Pushes a qword; the write (#SS/#PF) happens before RSP is committed. */
  push64(lo: number, hi: number): void {
    const R = this.R, sl = R[8];
    // Fast path: RSP - 8 borrows nothing from bits 63:32 and the write TLB hits.
    const pa = (sl >>> 0) >= 8 ? this.paH((sl - 8) | 0, R[9], 1, 7) : -1;
    if (pa >= 0) {
      this.st32(pa, lo);
      this.st32(pa + 4, hi);
      R[8] = (sl - 8) | 0;
      return;
    }
    this.wr64(this.stackAddr(-8), lo, hi);
    this.addRsp(-8);
  }

  push16(v: number): void {
    this.wr16(this.stackAddr(-2), v);
    this.addRsp(-2);
  }

  /** Pops a qword (bits 63:32 in `mhi`) and commits RSP. */
  pop64(): number {
    const lo = this.peek64();
    this.addRsp(8);
    return lo;
  }

  /** Reads the qword at RSP (bits 63:32 in `mhi`) without popping it. */
  peek64(): number {
    const R = this.R;
    const pa = this.paH(R[8], R[9], 0, 7);
    if (pa < 0) return this.rd64(this.stackAddr(0));
    this.mhi = this.ld32(pa + 4);
    return this.ld32(pa);
  }

  // ---------------------------------------------------------------- execution
  /**
   * Runs up to `budget` instructions. Returns the number retired. Stops early
   * on `stop`/`stopRequested`, HLT with nothing pending, or a triple fault.
   */
  run(budget: number): number {
    const start = this.icount;
    let left = budget;
    this.yieldRequested = false;
    while (left > 0 && this.stop === null && !this.stopRequested && !this.yieldRequested) {
      if (this.eventPending && this.shadow === 0 && this.host.poll(this)) continue;
      if (this.halted) break;
      let blk: Block;
      try {
        blk = this.lookup();
      } catch (e) {
        this.fault(e);
        continue;
      }
      const insns = blk.insns;
      const n = insns.length;
      const lim = this.shadow > 0 ? 1 : n < left ? n : left;
      const base = this.rip;
      const hook = this.traceHook;
      // Traced, single-stepped or only part of the block: the exact handlers, one call each, so that the
      // flags are right wherever it stops (flow.ts). Otherwise the dispatch switch runs the whole block.
      const exact = hook !== null || lim < n;
      let k = 0;
      try {
        if (exact) {
          for (; k < lim; k++) {
            const ins = insns[k];
            this.rip = base + ins.off;
            if (hook) hook(this, ins);
            ins.full(this, ins);
            if (this.smc) break;
          }
        } else {
          k = this.execRange(this, insns, base, lim);
        }
      } catch (e) {
        if (!exact) k = this.execK;
        this.icount += k;
        left -= k;
        this.fault(e);
        continue;
      }
      if (this.smc) {
        this.smc = false;
        const ins = insns[k];
        if (!ins.term) this.rip = base + ins.off + ins.len;
        k++;
      } else if (k < n) {
        this.rip = base + insns[k].off;
      } else if (!insns[n - 1].term) {
        this.rip = base + blk.bytes;
      }
      if (this.shadow > 0 && k > 0) this.shadow--;
      this.icount += k;
      left -= k;
    }
    return this.icount - start;
  }

  /** Finds or decodes the block at RIP (jump cache, then the physical cache). */
  private lookup(): Block {
    const rip = this.rip;
    if (this.jcGen !== this.cache.generation) { this.jcTag.fill(NaN); this.jcGen = this.cache.generation; }
    const j = (rip & (JC_SIZE - 1));
    if (this.jcTag[j] === rip) {
      const b = this.jcBlk[j]!;
      if (b.valid) return b;
    }
    const pa = this.translate(rip, 2);
    let b = this.cache.get(pa);
    if (!b) {
      b = decodeBlock(this, rip);
      this.cache.add(b);
      this.markCode(b);
    }
    this.jcTag[j] = rip;
    this.jcBlk[j] = b;
    return b;
  }

  /** Marks a block's pages as code so writes to them invalidate it. */
  markCode(b: Block): void {
    const ppn = Math.floor(b.pa / 4096);
    if (!this.mem.codePage[ppn]) { this.mem.codePage[ppn] = 1; this.host && this.onNewCodePage(ppn); }
    if (b.pa2page >= 0 && !this.mem.codePage[b.pa2page]) { this.mem.codePage[b.pa2page] = 1; this.onNewCodePage(b.pa2page); }
  }

  /** Every vCPU of the machine drops its write-TLB entries for the page (a method, not a per-machine closure: one call target for V8). */
  onNewCodePage(ppn: number): void {
    const cpus = this.machine ? this.machine.cpus : [this];
    for (const o of cpus) o.dropWriteEntries(ppn);
  }

  /** Routes anything thrown by a handler: architectural faults are delivered. */
  private fault(e: unknown): void {
    if (!(e instanceof X86Fault)) throw e;
    this.lastFault = e;
    this.host.deliver(this, e.vector, e.errorCode, this.rip, EventKind.Fault, e.reason, e.addr);
  }

  /** INT3/INT n/INTO/INT1: software events whose return address is the next instruction. */
  softInt(vector: number, i: Insn, kind: EventKind = EventKind.SoftInt, reason = `INT ${vector}`): void {
    this.host.deliver(this, vector, -1, this.rip + i.len, kind, reason, 0);
  }
}
