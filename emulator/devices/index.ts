/**
 * The machine's devices. `createStandardIo` builds the I/O side every machine
 * has: COM1 (16550A at 0x3F8) and the debug exit port (0xF4) on one I/O bus.
 * The x2APICs are per vCPU: `new ApicBus(clock)`, then `new X2Apic(id, bus)`
 * for each vCPU, routing RDMSR/WRMSR 0x800-0x8FF to it.
 */

import { IoBus } from './io-bus.ts';
import { Serial16550 } from './serial.ts';
import { ExitPort } from './exit-port.ts';

export * from './io-bus.ts';
export * from './mmio.ts';
export * from './serial.ts';
export * from './exit-port.ts';
export * from './apic-bus.ts';
export * from './x2apic.ts';

export interface StandardIoOptions {
  /** Serial output, one byte at a time (the CLI writes them to stdout). */
  serialSink?: (byte: number) => void;
  /** Serial input given up front (stdin or a file); EOF after it. */
  serialInput?: Uint8Array;
  /** Called once when the guest writes the exit port. */
  onExit?: (status: number) => void;
}

export function createStandardIo(opts: StandardIoOptions = {}): { io: IoBus; serial: Serial16550; exit: ExitPort } {
  const io = new IoBus();
  const serial = new Serial16550({ sink: opts.serialSink, input: opts.serialInput }).attach(io);
  const exit = new ExitPort(opts.onExit).attach(io);
  return { io, serial, exit };
}
