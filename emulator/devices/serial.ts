/**
 * A 16550A UART subset, by default COM1 at ports 0x3F8-0x3FF.
 *
 * Register map (offset from the base; DLAB = LCR bit 7):
 *   0  read RBR / write THR        (DLAB=1: DLL, divisor latch low)
 *   1  IER, bits 3:0               (DLAB=1: DLM, divisor latch high)
 *   2  read IIR / write FCR
 *   3  LCR
 *   4  MCR, bits 4:0 (DTR, RTS, OUT1, OUT2, LOOP)
 *   5  LSR (writes ignored)
 *   6  MSR (writes ignored)
 *   7  SCR
 *
 * Model, deterministic and timeless:
 * - Transmission is instant: a THR write hands the byte to `sink` at once, so
 *   LSR.THRE (bit 5) and LSR.TEMT (bit 6) always read 1.
 * - Reception: the input is a byte string given up front (stdin or a file).
 *   LSR.DR (bit 0) is 1 while unread input remains; reading RBR consumes one
 *   byte. At EOF DR stays 0 and RBR keeps returning the last byte received
 *   (0 before any). So that a guest can tell "no more input, ever" from
 *   "nothing yet", MSR.DCD (carrier detect, bit 7) reads 1 while input remains
 *   and drops to 0 at EOF, like a hang-up.
 * - Loopback (MCR bit 4): THR bytes go to the receive side instead of the sink
 *   (a 16-byte FIFO with FCR.0 set, else one holding register; overflow sets
 *   LSR.OE, cleared by reading LSR), and MSR bits 7:4 mirror MCR (DCD=OUT2,
 *   RI=OUT1, DSR=DTR, CTS=RTS). Outside loopback MSR = CTS|DSR|DCD (DCD as above).
 *   MSR delta bits 3:0 are never set.
 * - The divisor latch is stored and readable (reset 12, i.e. 9600 baud from the
 *   1.8432 MHz clock); it does not affect timing since there is none.
 * - Interrupts: IIR reports, highest priority first, receiver line status
 *   (0x06: IER.2 and LSR.OE), received data available (0x04: IER.0 and DR),
 *   THR empty (0x02: IER.1, raised when IER.1 is written as 1 and after every THR
 *   write, cleared by reading IIR while it reports 0x02 or by writing THR/IER),
 *   none (0x01). Bits 7:6 read 11 while FIFOs are enabled (FCR.0). The UART's
 *   interrupt output is `irqPending()`; `onIrq(level)` is called when it
 *   changes. (PC boards gate the line with MCR.OUT2; `irqPending()` reports
 *   the UART output itself and `irqLine()` the OUT2-gated one.)
 * - Multi-byte accesses are split into byte accesses at consecutive ports.
 */

import type { IoBus, IoDevice, IoSize } from './io-bus.ts';

export const COM1_BASE = 0x3f8;

export const LSR_DR = 0x01;
export const LSR_OE = 0x02;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;
export const MSR_CTS = 0x10;
export const MSR_DSR = 0x20;
export const MSR_RI = 0x40;
export const MSR_DCD = 0x80;

export interface SerialOptions {
  /** Receives each transmitted byte (the CLI writes them to stdout). */
  sink?: (byte: number) => void;
  /** Input bytes, read by the guest through RBR; EOF after the last one. */
  input?: Uint8Array;
  /** Called with the new level whenever `irqPending()` changes. */
  onIrq?: (level: boolean) => void;
  /** Base port (default 0x3F8, COM1). */
  base?: number;
}

export class Serial16550 implements IoDevice {
  readonly base: number;
  private sink: (byte: number) => void;
  private input: Uint8Array;
  private inputPos = 0;
  private onIrq?: (level: boolean) => void;

  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private dll = 12;
  private dlm = 0;
  private fifoEnabled = false;
  private fcrTrigger = 0;
  private overrun = false;
  private threPending = false;
  private rbr = 0;
  /** Loopback receive FIFO. */
  private loopRx: number[] = [];
  private irqLevel = false;

  readonly stats = { bytesOut: 0, bytesIn: 0 };

  constructor(opts: SerialOptions = {}) {
    this.base = opts.base ?? COM1_BASE;
    this.sink = opts.sink ?? (() => {});
    this.input = opts.input ?? new Uint8Array(0);
    this.onIrq = opts.onIrq;
  }

  /** Claim the 8 ports on `bus`. */
  attach(bus: IoBus): this {
    bus.register(this.base, 8, this, this.base === COM1_BASE ? 'serial COM1' : `serial@0x${this.base.toString(16)}`);
    return this;
  }

  /** Bytes of input not yet read by the guest. */
  inputRemaining(): number {
    return this.input.length - this.inputPos;
  }

  /** True once the guest has read every input byte. */
  atEof(): boolean {
    return this.inputPos >= this.input.length;
  }

  /** The divisor latch value (DLM:DLL). */
  divisor(): number {
    return (this.dlm << 8) | this.dll;
  }

  /** Line speed implied by the divisor (115200 / divisor), 0 if the divisor is 0. */
  baud(): number {
    const d = this.divisor();
    return d === 0 ? 0 : 115200 / d;
  }

  in(port: number, size: IoSize): number {
    let v = 0;
    for (let i = 0; i < size; i++) {
      const off = port + i - this.base;
      const b = off >= 0 && off < 8 ? this.readReg(off) : 0xff;
      v |= b << (8 * i);
    }
    this.updateIrq();
    return v >>> 0;
  }

  out(port: number, size: IoSize, value: number): void {
    for (let i = 0; i < size; i++) {
      const off = port + i - this.base;
      if (off >= 0 && off < 8) this.writeReg(off, (value >>> (8 * i)) & 0xff);
    }
    this.updateIrq();
  }

  /** The UART's interrupt output (some enabled condition holds). */
  irqPending(): boolean {
    return (this.iir() & 1) === 0;
  }

  /** The interrupt as a PC board delivers it: gated by MCR.OUT2. */
  irqLine(): boolean {
    return this.irqPending() && (this.mcr & 0x08) !== 0;
  }

  private loopback(): boolean {
    return (this.mcr & 0x10) !== 0;
  }

  private dataReady(): boolean {
    return this.loopback() ? this.loopRx.length > 0 : this.inputPos < this.input.length;
  }

  private lsr(): number {
    return (this.dataReady() ? LSR_DR : 0) | (this.overrun ? LSR_OE : 0) | LSR_THRE | LSR_TEMT;
  }

  private msr(): number {
    if (this.loopback()) {
      const m = this.mcr;
      return ((m & 0x02) ? MSR_CTS : 0) | ((m & 0x01) ? MSR_DSR : 0) | ((m & 0x04) ? MSR_RI : 0) | ((m & 0x08) ? MSR_DCD : 0);
    }
    return MSR_CTS | MSR_DSR | (this.atEof() ? 0 : MSR_DCD);
  }

  /** IIR value without side effects. */
  private iir(): number {
    const fifo = this.fifoEnabled ? 0xc0 : 0;
    if ((this.ier & 0x04) && this.overrun) return fifo | 0x06;
    if ((this.ier & 0x01) && this.dataReady()) return fifo | 0x04;
    if ((this.ier & 0x02) && this.threPending) return fifo | 0x02;
    return fifo | 0x01;
  }

  private readReg(off: number): number {
    const dlab = (this.lcr & 0x80) !== 0;
    switch (off) {
      case 0:
        if (dlab) return this.dll;
        if (this.loopback()) {
          if (this.loopRx.length > 0) this.rbr = this.loopRx.shift()!;
        } else if (this.inputPos < this.input.length) {
          this.rbr = this.input[this.inputPos++];
          this.stats.bytesIn++;
        }
        return this.rbr;
      case 1:
        return dlab ? this.dlm : this.ier;
      case 2: {
        const v = this.iir();
        if ((v & 0x0f) === 0x02) this.threPending = false;
        return v;
      }
      case 3:
        return this.lcr;
      case 4:
        return this.mcr;
      case 5: {
        const v = this.lsr();
        this.overrun = false;
        return v;
      }
      case 6:
        return this.msr();
      default:
        return this.scr;
    }
  }

  private writeReg(off: number, v: number): void {
    const dlab = (this.lcr & 0x80) !== 0;
    switch (off) {
      case 0:
        if (dlab) {
          this.dll = v;
          return;
        }
        if (this.loopback()) {
          if (this.loopRx.length < (this.fifoEnabled ? 16 : 1)) this.loopRx.push(v);
          else this.overrun = true;
        } else {
          this.stats.bytesOut++;
          this.sink(v);
        }
        this.threPending = true;
        return;
      case 1:
        if (dlab) {
          this.dlm = v;
          return;
        }
        this.ier = v & 0x0f;
        this.threPending = (v & 0x02) !== 0;
        return;
      case 2: {
        const enable = (v & 0x01) !== 0;
        if (enable !== this.fifoEnabled || (v & 0x02)) this.loopRx.length = 0;
        this.fifoEnabled = enable;
        this.fcrTrigger = (v >> 6) & 3;
        return;
      }
      case 3:
        this.lcr = v;
        return;
      case 4:
        this.mcr = v & 0x1f;
        return;
      case 5:
      case 6:
        return;
      default:
        this.scr = v;
    }
  }

  private updateIrq(): void {
    const level = this.irqPending();
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.onIrq?.(level);
    }
  }

  /** FIFO receive trigger level from FCR bits 7:6 (1, 4, 8 or 14 bytes); informational. */
  rxTriggerLevel(): number {
    return [1, 4, 8, 14][this.fcrTrigger];
  }
}
