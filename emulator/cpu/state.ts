/**
 * Architectural state of one vCPU, as plain numbers and typed arrays.
 *
 * General registers live in one Int32Array as (lo, hi) halves: R[2*n] is bits
 * 31:0 of register n, R[2*n+1] bits 63:32. The BigUint64Array `R64` views the
 * same bytes for the REPL, tests and the conformance runner — never the hot loop.
 *
 * Linear addresses (RIP, FS/GS bases, CR2, descriptor-table bases) are held as
 * JS numbers in *signed* form: a canonical address is in [-2^47, 2^47) (or
 * [-2^56, 2^56) with LA57) and is therefore exact in a double.
 */
export const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
export const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/** RFLAGS bits. */
export const CF = 1 << 0, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, TF = 1 << 8,
  IF = 1 << 9, DF = 1 << 10, OF = 1 << 11, IOPL = 3 << 12, NT = 1 << 14, RF = 1 << 16,
  VM = 1 << 17, AC = 1 << 18, VIF = 1 << 19, VIP = 1 << 20, ID = 1 << 21;
/** The arithmetic flags kept lazily (see flags.ts). */
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;

/** Segment register numbers as iced orders them (ES, CS, SS, DS, FS, GS). */
export const SEG_ES = 0, SEG_CS = 1, SEG_SS = 2, SEG_DS = 3, SEG_FS = 4, SEG_GS = 5;

/** Bytes of one vector register slot (ZMM width). Slots 32.. are scratch. */
export const VEC_BYTES = 64;
export const VEC_SLOTS = 36;
/** Scratch vector slots handlers use for memory operands and results. */
export const VTMP0 = 32, VTMP1 = 33, VTMP2 = 34, VTMP3 = 35;

export class CpuState {
  readonly regBuf = new ArrayBuffer(16 * 8);
  /** GPRs as int32 halves. */
  readonly R = new Int32Array(this.regBuf);
  /** GPRs as 64-bit values (REPL, tests, boundaries only). */
  readonly R64 = new BigUint64Array(this.regBuf);

  /** Address of the instruction being executed (signed linear). */
  rip = 0;

  // Lazy arithmetic flags: ZF = (fz === 0), SF = (fs < 0), PF = even parity of
  // (fp & 0xff), CF/AF/OF are the matching bits of fa. See flags.ts.
  fz = 1;
  fs = 0;
  fp = 1;
  fa = 0;
  /** RFLAGS bits other than the arithmetic six (bit 1 always reads 1). */
  flagsRest = 0x2;

  // Control and system registers.
  cpl = 0;
  cr0 = 0x80010033;
  cr2 = 0;
  cr3 = 0;
  cr4 = 0;
  cr8 = 0;
  efer = 0xd01; // SCE | LME | LMA | NXE
  dr = new Float64Array(8);
  /** Segment selectors, indexed by SEG_*. */
  readonly sel = new Uint16Array(6);
  fsBase = 0;
  gsBase = 0;
  kernelGsBase = 0;
  gdtBase = 0;
  gdtLimit = 0;
  idtBase = 0;
  idtLimit = 0;
  trSel = 0;
  trBase = 0;
  trLimit = 0;
  ldtSel = 0;
  // SYSCALL MSRs.
  star = 0n;
  lstar = 0;
  cstar = 0;
  sfmask = 0;
  tscAux = 0;
  /** IA32_TSC minus retired instructions (guest time is 1 instruction per tick). */
  tscOffset = 0;
  pat = 0x0007040600070406n;
  apicBase = 0xfee00c00; // x2APIC enabled, BSP
  /** Interrupt shadow: instructions still blocked after STI / MOV SS. */
  shadow = 0;
  /** The last instruction was MOV SS / POP SS (blocks user interrupts too). */
  ssShadow = false;
  halted = false;

  // Extended state (see isa-ext/xsave for the component table).
  readonly vecBuf = new ArrayBuffer(VEC_SLOTS * VEC_BYTES);
  readonly v8 = new Uint8Array(this.vecBuf);
  readonly v16 = new Uint16Array(this.vecBuf);
  readonly v32 = new Uint32Array(this.vecBuf);
  readonly vi32 = new Int32Array(this.vecBuf);
  readonly vf32 = new Float32Array(this.vecBuf);
  readonly vf64 = new Float64Array(this.vecBuf);
  readonly v64 = new BigUint64Array(this.vecBuf);
  /** Opmask registers k0-k7 as (lo, hi) halves. */
  readonly kBuf = new ArrayBuffer(8 * 8);
  readonly k32 = new Int32Array(this.kBuf);
  readonly k64 = new BigUint64Array(this.kBuf);
  mxcsr = 0x1f80;
  pkru = 0;
  // x87: physical registers R0-R7, 10 bytes each (FXSAVE byte order).
  readonly st = new Uint8Array(80);
  fcw = 0x37f;
  /** FSW without TOP (bits 13:11 are kept in `ftop`). */
  fsw = 0;
  ftop = 0;
  /** Full tag word, 2 bits per physical register (11 = empty). */
  ftw = 0xffff;
  fop = 0;
  fip = 0;
  fcs = 0;
  fdp = 0;
  fds = 0;

  /** XCR0 (bits 31:0; bits 63:32 are never settable on supported models). */
  xcr0 = 1;
  /** IA32_XSS. */
  xss = 0;
  /**
   * XSAVE tracking kept by isa-ext/xsave: bit i = component i counts as in use
   * whatever its value (Intel models: loaded from memory by XRSTOR*). Core
   * instructions that put a component into its initial configuration
   * (VZEROUPPER, VZEROALL) clear their bits, like XRSTOR* initialization does.
   */
  xloaded = 0;
  /** XMODIFIED: bit i set = component i written since the last XRSTOR*. */
  xmodified = -1;

  /** Per-extension private state, keyed by extension name. */
  readonly ext: Record<string, unknown> = {};

  constructor() {
    // Fields that hold linear addresses (doubles beyond int32) get V8's Double representation from the
    // first object on: storing a non-integer first does that. Otherwise the first large value to arrive
    // generalises the field mid-run and deoptimises every function that stored into it ('not a Smi').
    this.rip = this.fsBase = this.gsBase = this.kernelGsBase = this.fip = this.fdp = 0.5;
    this.rip = this.fsBase = this.gsBase = this.kernelGsBase = this.fip = this.fdp = 0;
  }
}
