import { describe, it, expect } from 'vitest';
import { IoBus, type IoDevice } from '../../emulator/devices/io-bus.ts';
import { MmioRegistry } from '../../emulator/devices/mmio.ts';
import { ExitPort, EXIT_PORT } from '../../emulator/devices/exit-port.ts';

describe('IoBus', () => {
  it('unclaimed reads return all ones of the access size and are counted', () => {
    const bus = new IoBus();
    expect(bus.in(0x80, 1)).toBe(0xff);
    expect(bus.in(0x80, 2)).toBe(0xffff);
    expect(bus.in(0x80, 4)).toBe(0xffffffff);
    expect(bus.stats.unclaimedReads).toBe(3);
    expect(bus.stats.unclaimedByPort.get(0x80)).toEqual({ reads: 3, writes: 0 });
  });

  it('unclaimed writes are dropped and counted per port', () => {
    const bus = new IoBus();
    bus.out(0x80, 1, 0x12);
    bus.out(0x80, 2, 0x1234);
    bus.out(0x1234, 4, 0xdeadbeef);
    expect(bus.stats.unclaimedWrites).toBe(3);
    expect(bus.stats.unclaimedByPort.get(0x80)).toEqual({ reads: 0, writes: 2 });
    expect(bus.stats.unclaimedByPort.get(0x1234)).toEqual({ reads: 0, writes: 1 });
  });

  it('routes claimed ports with the absolute port, size and masked value', () => {
    const bus = new IoBus();
    const log: string[] = [];
    const dev: IoDevice = {
      in: (port, size) => {
        log.push(`in ${port.toString(16)} ${size}`);
        return 0x1234567890; // wider than any size: the bus masks it
      },
      out: (port, size, value) => log.push(`out ${port.toString(16)} ${size} ${value.toString(16)}`),
    };
    bus.register(0x60, 5, dev, 'kbd');
    expect(bus.in(0x64, 1)).toBe(0x90);
    expect(bus.in(0x60, 2)).toBe(0x7890);
    expect(bus.in(0x60, 4)).toBe(0x34567890);
    bus.out(0x61, 1, 0x1ff);
    bus.out(0x61, 4, -1);
    expect(log).toEqual(['in 64 1', 'in 60 2', 'in 60 4', 'out 61 1 ff', 'out 61 4 ffffffff']);
    expect(bus.in(0x65, 1)).toBe(0xff); // just past the range
    expect(bus.claimant(0x62)).toBe('kbd');
    expect(bus.claimant(0x65)).toBeUndefined();
  });

  it('port numbers wrap at 16 bits', () => {
    const bus = new IoBus();
    let seen = -1;
    bus.register(0x10, 1, { in: (p) => (seen = p), out: () => {} });
    bus.in(0x10010, 1);
    expect(seen).toBe(0x10);
  });

  it('rejects overlapping and out-of-range registrations', () => {
    const bus = new IoBus();
    const dev: IoDevice = { in: () => 0, out: () => {} };
    bus.register(0x3f8, 8, dev, 'serial COM1');
    expect(() => bus.register(0x3ff, 2, dev, 'other')).toThrow(/other \[0x3ff-0x400\] overlaps serial COM1 \[0x3f8-0x3ff\]/);
    expect(() => bus.register(0xffff, 2, dev)).toThrow(/bad port range/);
    expect(() => bus.register(0x10, 0, dev)).toThrow(/bad port range/);
    bus.register(0x400, 1, dev); // adjacent is fine
  });
});

describe('ExitPort', () => {
  it('an OUT of each size requests exit with status value & 0xFF', () => {
    for (const [size, value, status] of [
      [1, 0x00, 0],
      [1, 0x2a, 42],
      [2, 0x1ff, 0xff],
      [4, 0x103, 3],
      [4, 0xffffff00, 0],
    ] as const) {
      const bus = new IoBus();
      const calls: number[] = [];
      const dev = new ExitPort((s) => calls.push(s)).attach(bus);
      expect(dev.exitStatus).toBeNull();
      bus.out(EXIT_PORT, size, value);
      expect(calls).toEqual([status]);
      expect(dev.exitStatus).toBe(status);
    }
  });

  it('only the first request counts until reset; reads are all ones; 0xF5 is not claimed', () => {
    const bus = new IoBus();
    const calls: number[] = [];
    const dev = new ExitPort((s) => calls.push(s)).attach(bus);
    bus.out(0xf4, 1, 7);
    bus.out(0xf4, 1, 9);
    expect(calls).toEqual([7]);
    dev.reset();
    bus.out(0xf4, 1, 9);
    expect(calls).toEqual([7, 9]);
    expect(bus.in(0xf4, 1)).toBe(0xff);
    expect(bus.in(0xf4, 4)).toBe(0xffffffff);
    bus.out(0xf5, 1, 1);
    expect(bus.stats.unclaimedWrites).toBe(1);
    expect(calls).toEqual([7, 9]);
  });
});

describe('MmioRegistry', () => {
  function ram(len: number) {
    const mem = new Uint8Array(len);
    const dv = new DataView(mem.buffer);
    return {
      mem,
      read: (off: number, size: number) => (size === 1 ? mem[off] : size === 2 ? dv.getUint16(off, true) : dv.getUint32(off, true)),
      write: (off: number, size: number, v: number) =>
        size === 1 ? (mem[off] = v) : size === 2 ? dv.setUint16(off, v, true) : dv.setUint32(off, v >>> 0, true),
    };
  }

  it('routes by physical address with region-relative offsets', () => {
    const reg = new MmioRegistry();
    const a = ram(0x1000);
    const b = ram(0x100);
    reg.add(0xfee00000, 0x1000, a, 'a');
    reg.add(0xfec00000, 0x100, b, 'b');
    reg.write(0xfee00010, 4, 0x11223344);
    expect(a.mem[0x10]).toBe(0x44);
    expect(reg.read(0xfee00012, 2)).toBe(0x1122);
    reg.write(0xfec000ff, 1, 0x1ab);
    expect(b.mem[0xff]).toBe(0xab);
    expect(reg.find(0xfec00100)).toBeUndefined();
    expect(reg.find(0xfec000ff)?.name).toBe('b');
  });

  it('follows PhysMemory conventions: unclaimed reads all ones (size 4 as int32 -1), writes dropped', () => {
    const reg = new MmioRegistry();
    expect(reg.read(0x1000, 1)).toBe(0xff);
    expect(reg.read(0x1000, 2)).toBe(0xffff);
    expect(reg.read(0x1000, 4)).toBe(-1);
    reg.write(0x1000, 4, 5);
    expect(reg.stats).toMatchObject({ unclaimedReads: 3, unclaimedWrites: 1 });
  });

  it('64-bit accesses are two 4-byte accesses, low half first', () => {
    const reg = new MmioRegistry();
    const a = ram(0x10);
    reg.add(0x2000, 0x10, a, 'a');
    reg.write64(0x2008, 0x8877665544332211n);
    expect(Array.from(a.mem.subarray(8, 16))).toEqual([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
    expect(reg.read64(0x2008)).toBe(0x8877665544332211n);
  });

  it('throws a clear error on overlap, and allows adjacent regions', () => {
    const reg = new MmioRegistry();
    const d = { read: () => 0, write: () => {} };
    reg.add(0xfee00000, 0x1000, d, 'lapic');
    expect(() => reg.add(0xfee00800, 0x1000, d, 'dev')).toThrow(
      'MMIO: region dev [0xfee00800, 0xfee01800) overlaps lapic [0xfee00000, 0xfee01000)',
    );
    expect(() => reg.add(0xfedff000, 0x2000, d, 'big')).toThrow(/overlaps lapic/);
    reg.add(0xfee01000, 0x1000, d, 'after');
    reg.add(0xfedff000, 0x1000, d, 'before');
    expect(reg.list().map((r) => r.name)).toEqual(['before', 'lapic', 'after']);
    expect(() => reg.add(0, 0, d, 'empty')).toThrow(/bad range/);
  });

  it('remove frees the range', () => {
    const reg = new MmioRegistry();
    const d = { read: () => 7, write: () => {} };
    const r = reg.add(0x1000, 0x10, d, 'x');
    expect(reg.read(0x1000, 1)).toBe(7);
    expect(reg.remove(r)).toBe(true);
    expect(reg.read(0x1000, 1)).toBe(0xff);
    reg.add(0x1008, 0x10, d, 'y');
  });
});

describe('createStandardIo', () => {
  it('puts COM1 and the exit port on one bus', async () => {
    const { createStandardIo } = await import('../../emulator/devices/index.ts');
    const out: number[] = [];
    let status = -1;
    const { io, serial, exit } = createStandardIo({ serialSink: (b) => out.push(b), serialInput: Buffer.from('q'), onExit: (s) => (status = s) });
    io.out(0x3f8, 1, 0x4f);
    expect(out).toEqual([0x4f]);
    expect(io.in(0x3fd, 1)).toBe(0x61);
    expect(io.in(0x3f8, 1)).toBe(0x71);
    expect(serial.atEof()).toBe(true);
    io.out(0xf4, 1, 0);
    expect(status).toBe(0);
    expect(exit.exitStatus).toBe(0);
    expect(io.claimant(0x3ff)).toBe('serial COM1');
    expect(io.claimant(0xf4)).toBe('debug exit');
  });
});
