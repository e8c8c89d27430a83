/**
 * Debug exit device, by default at I/O port 0xF4.
 *
 * Contract (cited by the README): an OUT of any size (byte, word or dword) to
 * port 0xF4 with value V asks the machine to stop, with exit status V & 0xFF.
 * This is like QEMU's isa-debug-exit, except that the status is the value
 * written itself, not (V << 1) | 1: `mov al, 0; out 0xf4, al` exits with 0,
 * `mov eax, 0x103; out dx, eax` (dx = 0xF4) exits with 3.
 *
 * The device records the request (`exitStatus`, null until one) and calls
 * `onExit(status)`; the machine stops at the end of the OUT instruction (the
 * OUT retires). Only the first request counts until `reset()`. Reads (IN from
 * 0xF4) return all ones and have no effect. Only port 0xF4 itself is claimed:
 * a word/dword OUT to 0xF4 is one access at 0xF4, whereas an access starting at
 * 0xF5..0xF7 is unclaimed.
 */

import type { IoBus, IoDevice, IoSize } from './io-bus.ts';
import { allOnes } from './io-bus.ts';

export const EXIT_PORT = 0xf4;

export class ExitPort implements IoDevice {
  /** The requested exit status (0..255), or null while none was requested. */
  exitStatus: number | null = null;
  readonly port: number;
  private readonly onExit: (status: number) => void;

  constructor(onExit: (status: number) => void = () => {}, port = EXIT_PORT) {
    this.onExit = onExit;
    this.port = port;
  }

  attach(bus: IoBus): this {
    bus.register(this.port, 1, this, 'debug exit');
    return this;
  }

  in(_port: number, size: IoSize): number {
    return allOnes(size);
  }

  out(_port: number, _size: IoSize, value: number): void {
    if (this.exitStatus !== null) return;
    const status = value & 0xff;
    this.exitStatus = status;
    this.onExit(status);
  }

  reset(): void {
    this.exitStatus = null;
  }
}
