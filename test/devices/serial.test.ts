import { describe, it, expect } from 'vitest';
import { IoBus } from '../../emulator/devices/io-bus.ts';
import { Serial16550 } from '../../emulator/devices/serial.ts';

const COM1 = 0x3f8;
const THR = COM1 + 0, RBR = COM1 + 0, DLL = COM1 + 0, DLM = COM1 + 1, IER = COM1 + 1;
const IIR = COM1 + 2, FCR = COM1 + 2, LCR = COM1 + 3, MCR = COM1 + 4, LSR = COM1 + 5, MSR = COM1 + 6, SCR = COM1 + 7;

function setup(input?: string) {
  const bus = new IoBus();
  const out: number[] = [];
  const irqs: boolean[] = [];
  const uart = new Serial16550({
    sink: (b) => out.push(b),
    input: input === undefined ? undefined : Buffer.from(input, 'latin1'),
    onIrq: (l) => irqs.push(l),
  }).attach(bus);
  return { bus, out, uart, irqs };
}

describe('16550A UART', () => {
  it('THR bytes go to the sink; LSR has THRE|TEMT (0x60) always', () => {
    const { bus, out } = setup();
    expect(bus.in(LSR, 1)).toBe(0x60);
    for (const c of 'hi\n') bus.out(THR, 1, c.charCodeAt(0));
    expect(Buffer.from(out).toString()).toBe('hi\n');
    expect(bus.in(LSR, 1)).toBe(0x60);
  });

  it('reset values: IER 0, IIR 0x01, LCR 0, MCR 0, MSR CTS|DSR (no input: DCD 0), SCR 0', () => {
    const { bus } = setup();
    expect(bus.in(IER, 1)).toBe(0);
    expect(bus.in(IIR, 1)).toBe(0x01);
    expect(bus.in(LCR, 1)).toBe(0);
    expect(bus.in(MCR, 1)).toBe(0);
    expect(bus.in(MSR, 1)).toBe(0x30);
    expect(bus.in(SCR, 1)).toBe(0);
  });

  it('input: DR while bytes remain, RBR consumes them in order, EOF clears DR and DCD', () => {
    const { bus, uart } = setup('ab');
    expect(bus.in(LSR, 1)).toBe(0x61); // DR | THRE | TEMT
    expect(bus.in(MSR, 1)).toBe(0xb0); // DCD | DSR | CTS: input remains
    expect(bus.in(RBR, 1)).toBe(0x61);
    expect(bus.in(LSR, 1) & 1).toBe(1);
    expect(uart.inputRemaining()).toBe(1);
    expect(bus.in(RBR, 1)).toBe(0x62);
    expect(uart.atEof()).toBe(true);
    expect(bus.in(LSR, 1)).toBe(0x60); // EOF: no DR
    expect(bus.in(MSR, 1)).toBe(0x30); // carrier dropped at EOF
    expect(bus.in(RBR, 1)).toBe(0x62); // RBR holds the last byte received
    expect(bus.in(LSR, 1)).toBe(0x60);
    expect(uart.stats).toEqual({ bytesOut: 0, bytesIn: 2 });
  });

  it('empty input is EOF from the start; RBR reads 0', () => {
    const { bus, uart } = setup('');
    expect(uart.atEof()).toBe(true);
    expect(bus.in(LSR, 1)).toBe(0x60);
    expect(bus.in(RBR, 1)).toBe(0);
  });

  it('divisor latch: DLAB=1 maps offsets 0/1 to DLL/DLM without touching THR/IER', () => {
    const { bus, out, uart } = setup();
    expect(uart.divisor()).toBe(12);
    bus.out(IER, 1, 0x05);
    bus.out(LCR, 1, 0x83); // DLAB | 8N1
    bus.out(DLL, 1, 0x01); // 115200 baud
    bus.out(DLM, 1, 0x00);
    expect(bus.in(DLL, 1)).toBe(1);
    expect(bus.in(DLM, 1)).toBe(0);
    expect(out).toEqual([]); // the DLL write was not transmitted
    expect(uart.divisor()).toBe(1);
    expect(uart.baud()).toBe(115200);
    bus.out(LCR, 1, 0x03);
    expect(bus.in(IER, 1)).toBe(0x05); // IER unchanged by the DLM write
    bus.out(LCR, 1, 0x80);
    bus.out(DLL, 1, 0x80);
    bus.out(DLM, 1, 0x01);
    expect(uart.divisor()).toBe(0x180); // 300 baud
    expect(uart.baud()).toBe(300);
    expect(bus.in(LCR, 1)).toBe(0x80);
  });

  it('scratch register, MCR keeps bits 4:0, LSR/MSR writes are ignored', () => {
    const { bus } = setup();
    bus.out(SCR, 1, 0x5a);
    expect(bus.in(SCR, 1)).toBe(0x5a);
    bus.out(MCR, 1, 0xff);
    expect(bus.in(MCR, 1)).toBe(0x1f);
    bus.out(MCR, 1, 0x0b);
    bus.out(LSR, 1, 0);
    bus.out(MSR, 1, 0);
    expect(bus.in(LSR, 1)).toBe(0x60);
  });

  it('IER keeps bits 3:0; IIR reports received data (0x04) only when enabled and DR', () => {
    const { bus, uart, irqs } = setup('x');
    bus.out(IER, 1, 0xff);
    expect(bus.in(IER, 1)).toBe(0x0f);
    bus.out(IER, 1, 0x01); // ERBFI only
    expect(uart.irqPending()).toBe(true);
    expect(bus.in(IIR, 1)).toBe(0x04);
    expect(irqs).toEqual([true]);
    bus.in(RBR, 1);
    expect(uart.irqPending()).toBe(false);
    expect(bus.in(IIR, 1)).toBe(0x01);
    expect(irqs).toEqual([true, false]);
  });

  it('irqLine is gated by MCR.OUT2', () => {
    const { bus, uart } = setup('x');
    bus.out(IER, 1, 0x01);
    expect(uart.irqPending()).toBe(true);
    expect(uart.irqLine()).toBe(false);
    bus.out(MCR, 1, 0x08);
    expect(uart.irqLine()).toBe(true);
  });

  it('THRE interrupt (0x02): raised by enabling ETBEI and by THR writes, cleared by reading IIR', () => {
    const { bus } = setup();
    bus.out(IER, 1, 0x02);
    expect(bus.in(IIR, 1)).toBe(0x02);
    expect(bus.in(IIR, 1)).toBe(0x01); // the read cleared it
    bus.out(THR, 1, 0x41);
    expect(bus.in(IIR, 1)).toBe(0x02);
    expect(bus.in(IIR, 1)).toBe(0x01);
  });

  it('received data outranks THRE; FIFO enable sets IIR bits 7:6', () => {
    const { bus } = setup('z');
    bus.out(FCR, 1, 0xc7); // enable + clear FIFOs, trigger 14
    bus.out(IER, 1, 0x03);
    expect(bus.in(IIR, 1)).toBe(0xc4);
    bus.in(RBR, 1);
    expect(bus.in(IIR, 1)).toBe(0xc2);
    expect(bus.in(IIR, 1)).toBe(0xc1);
    bus.out(FCR, 1, 0x00);
    expect(bus.in(IIR, 1)).toBe(0x01);
  });

  it('loopback: THR goes to RBR, MSR mirrors MCR, overflow sets LSR.OE (cleared on read)', () => {
    const { bus, out } = setup();
    bus.out(MCR, 1, 0x1e); // LOOP | OUT2 | OUT1 | RTS, the probe Linux uses is similar
    expect(bus.in(MSR, 1)).toBe(0xd0); // DCD(OUT2) | RI(OUT1) | CTS(RTS)
    bus.out(MCR, 1, 0x11); // LOOP | DTR
    expect(bus.in(MSR, 1)).toBe(0x20); // DSR
    bus.out(THR, 1, 0x55);
    expect(out).toEqual([]);
    expect(bus.in(LSR, 1)).toBe(0x61);
    bus.out(THR, 1, 0x66); // no FIFO: one holding register, overrun
    expect(bus.in(LSR, 1)).toBe(0x63);
    expect(bus.in(LSR, 1)).toBe(0x61);
    expect(bus.in(RBR, 1)).toBe(0x55);
    expect(bus.in(LSR, 1)).toBe(0x60);
    bus.out(MCR, 1, 0x00);
    bus.out(THR, 1, 0x77);
    expect(out).toEqual([0x77]);
  });

  it('a 16-bit read of offset 0 reads RBR then IER (byte accesses at consecutive ports)', () => {
    const { bus } = setup('AB');
    bus.out(IER, 1, 0x0d);
    expect(bus.in(RBR, 2)).toBe(0x0d41);
    bus.out(COM1 + 6, 2, 0x0000); // MSR + SCR: SCR gets the high byte 0
    expect(bus.in(SCR, 1)).toBe(0);
  });
});
