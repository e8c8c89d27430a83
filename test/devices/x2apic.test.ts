/**
 * x2APIC tests. Expected values are worked out from the SDM vol. 3 chapter 11
 * (11.4.7 APIC states, 11.5.3 ESR, 11.5.4 timer, 11.6 IPIs / ICR, 11.8 priority,
 * 11.12 x2APIC: MSR map, LDR derivation, SELF IPI) in the comments next to them.
 */
import { describe, it, expect } from 'vitest';
import { ApicBus, encodeIcr, decodeIcr, DM_INIT, DM_STARTUP, DM_NMI, DM_LOWEST, DM_SMI } from '../../emulator/devices/apic-bus.ts';
import { X2Apic, apicBaseMsrValue } from '../../emulator/devices/x2apic.ts';

function machine(n: number, ids?: number[]) {
  const bus = new ApicBus();
  const apics = (ids ?? Array.from({ length: n }, (_, i) => i)).map((id) => new X2Apic(id, bus, { softwareEnabled: true }));
  return { bus, apics };
}

/** wrmsr that must succeed. */
function wr(a: X2Apic, index: number, value: bigint | number) {
  const r = a.wrmsr(index, BigInt(value));
  expect(r, `wrmsr ${index.toString(16)}`).toBeNull();
}
function rd(a: X2Apic, index: number): bigint {
  const v = a.rdmsr(index);
  expect(v, `rdmsr ${index.toString(16)}: ${a.lastFault}`).not.toBeNull();
  return v!;
}

describe('x2APIC registers', () => {
  it('reset values (11.4.7.1): ID, version, SVR 0xFF, LVTs masked, timer stopped', () => {
    const bus = new ApicBus();
    const a = new X2Apic(5, bus);
    expect(rd(a, 0x802)).toBe(5n);
    // version 0x14, max LVT entry 6 (7 entries) in bits 23:16, no EOI-broadcast suppression (bit 24)
    expect(rd(a, 0x803)).toBe(0x60014n);
    expect(rd(a, 0x808)).toBe(0n);
    expect(rd(a, 0x80a)).toBe(0n);
    expect(rd(a, 0x80f)).toBe(0xffn);
    for (const lvt of [0x82f, 0x832, 0x833, 0x834, 0x835, 0x836, 0x837]) expect(rd(a, lvt)).toBe(0x10000n);
    for (const r of [0x828, 0x830, 0x838, 0x839, 0x83e]) expect(rd(a, r)).toBe(0n);
    for (let i = 0; i < 8; i++) {
      expect(rd(a, 0x810 + i)).toBe(0n);
      expect(rd(a, 0x818 + i)).toBe(0n);
      expect(rd(a, 0x820 + i)).toBe(0n);
    }
    expect(a.softwareEnabled()).toBe(false);
  });

  it('LDR is derived from the x2APIC ID: cluster = id >> 4 in 31:16, bit (id & 15) in 15:0 (11.12.10.2)', () => {
    const bus = new ApicBus();
    // id 0 -> cluster 0, bit 0 = 0x1; id 1 -> 0x2; id 0x13 -> cluster 1, bit 3 -> 0x10008;
    // id 0x2f -> cluster 2, bit 15 -> 0x28000; id 0x12345 -> cluster 0x1234, bit 5 -> 0x12340020
    for (const [id, ldr] of [[0, 0x1n], [1, 0x2n], [0x13, 0x10008n], [0x2f, 0x28000n], [0x12345, 0x12340020n]] as const) {
      expect(rd(new X2Apic(id, bus), 0x80d)).toBe(ldr);
    }
    expect(() => new X2Apic(1, bus)).toThrow(/duplicate APIC ID 1/);
  });

  it('read-only registers #GP on write, with a reason', () => {
    const { apics: [a] } = machine(1);
    expect(a.wrmsr(0x803, 0n)).toBe('x2APIC: write to read-only register 0x803 (version)');
    expect(a.wrmsr(0x802, 0n)).toBe('x2APIC: write to read-only register 0x802 (ID)');
    expect(a.wrmsr(0x80a, 0n)).toMatch(/read-only register 0x80a \(PPR\)/);
    expect(a.wrmsr(0x80d, 1n)).toMatch(/read-only register 0x80d \(LDR\)/);
    expect(a.wrmsr(0x810, 0n)).toMatch(/read-only register 0x810 \(ISR0\)/);
    expect(a.wrmsr(0x81f, 0n)).toMatch(/read-only register 0x81f \(TMR7\)/);
    expect(a.wrmsr(0x827, 0n)).toMatch(/read-only register 0x827 \(IRR7\)/);
    expect(a.wrmsr(0x839, 5n)).toMatch(/read-only register 0x839 \(timer current count\)/);
  });

  it('write-only registers (EOI, SELF IPI) #GP on read', () => {
    const { apics: [a] } = machine(1);
    expect(a.rdmsr(0x80b)).toBeNull();
    expect(a.lastFault).toBe('x2APIC: read of write-only register 0x80b (EOI)');
    expect(a.rdmsr(0x83f)).toBeNull();
    expect(a.lastFault).toBe('x2APIC: read of write-only register 0x83f (SELF IPI)');
  });

  it('reserved indices (incl. xAPIC-only APR 0x809, RRD 0x80C, DFR 0x80E, ICR high 0x831) #GP both ways', () => {
    const { apics: [a] } = machine(1);
    for (const i of [0x800, 0x801, 0x804, 0x809, 0x80c, 0x80e, 0x829, 0x82e, 0x831, 0x83a, 0x83d, 0x840, 0x8ff]) {
      expect(a.rdmsr(i), i.toString(16)).toBeNull();
      expect(a.lastFault).toBe(`x2APIC: RDMSR of reserved register 0x${i.toString(16)}`);
      expect(a.wrmsr(i, 0n)).toBe(`x2APIC: WRMSR to reserved register 0x${i.toString(16)}`);
    }
    expect(X2Apic.handles(0x800)).toBe(true);
    expect(X2Apic.handles(0x8ff)).toBe(true);
    expect(X2Apic.handles(0x900)).toBe(false);
  });

  it('reserved bits #GP: bits 63:32 of 32-bit registers, TPR 31:8, SVR bits 9+, divide bits 2 and 4+', () => {
    const { apics: [a] } = machine(1);
    expect(a.wrmsr(0x808, 1n << 32n)).toMatch(/reserved bits 63:32 set in write to 0x808 \(TPR\)/);
    expect(a.wrmsr(0x808, 0x100n)).toBe('x2APIC: reserved bits 0x100 set in write to 0x808 (TPR): 0x100');
    // SVR bit 12 (EOI-broadcast suppression) is reserved because version bit 24 = 0; bit 9 (focus) too
    expect(a.wrmsr(0x80f, 0x11ffn)).toBe('x2APIC: reserved bits 0x1000 set in write to 0x80f (SVR): 0x11ff');
    expect(a.wrmsr(0x80f, 0x2ffn)).toMatch(/reserved bits 0x200/);
    expect(a.wrmsr(0x83e, 0x4n)).toMatch(/reserved bits 0x4 set in write to 0x83e/);
    expect(a.wrmsr(0x83e, 0x10n)).toMatch(/reserved bits 0x10/);
    expect(a.wrmsr(0x838, 0x1_0000_0000n)).toMatch(/reserved bits 63:32/);
    expect(a.wrmsr(0x83f, 0x140n)).toMatch(/reserved bits 0x100 set in write to 0x83f \(SELF IPI\)/);
    // none of them changed anything
    expect(rd(a, 0x808)).toBe(0n);
    expect(rd(a, 0x80f)).toBe(0x1ffn);
    expect(rd(a, 0x83e)).toBe(0n);
  });

  it('EOI and ESR accept only 0', () => {
    const { apics: [a] } = machine(1);
    expect(a.wrmsr(0x80b, 1n)).toBe('x2APIC: non-zero write 0x1 to EOI (0x80b)');
    expect(a.wrmsr(0x828, 0x40n)).toBe('x2APIC: non-zero write 0x40 to ESR (0x828)');
    wr(a, 0x80b, 0);
    wr(a, 0x828, 0);
  });

  it('LVT entries: writable fields, reserved bits, unsupported delivery modes, RO status bits ignored', () => {
    const { apics: [a] } = machine(1);
    wr(a, 0x835, 0x1a7ff); // LINT0: vector 0xFF, ExtINT (111), active low, level, masked
    expect(rd(a, 0x835)).toBe(0x1a7ffn);
    wr(a, 0x836, 0x5040); // LINT1 with delivery status (12) and remote IRR (14) set: ignored
    expect(rd(a, 0x836)).toBe(0x40n);
    expect(a.wrmsr(0x837, 0x400n)).toMatch(/reserved bits 0x400 set in write to 0x837 \(LVT error\)/);
    expect(a.wrmsr(0x832, 0x100n)).toMatch(/reserved bits 0x100 set in write to 0x832 \(LVT timer\)/);
    expect(a.wrmsr(0x832, 0x80000n)).toMatch(/reserved bits 0x80000/);
    // INIT (101) is not supported in the CMCI, thermal and perf entries
    expect(a.wrmsr(0x82f, 0x500n)).toBe('x2APIC: delivery mode 5 not supported in LVT CMCI (0x82f)');
    expect(a.wrmsr(0x834, 0x300n)).toMatch(/delivery mode 3 not supported in LVT perf/);
    wr(a, 0x834, 0x400); // NMI is fine
    expect(rd(a, 0x834)).toBe(0x400n);
    // timer mode 10 = TSC-deadline: not supported; 11 reserved
    expect(a.wrmsr(0x832, 0x40000n)).toBe('x2APIC: TSC-deadline timer mode not supported (LVT timer 0x40000)');
    expect(a.wrmsr(0x832, 0x60000n)).toMatch(/reserved timer mode 3/);
    wr(a, 0x832, 0x20040);
    expect(rd(a, 0x832)).toBe(0x20040n);
  });

  it('software-disabled (SVR bit 8 = 0): LVTs forced masked, fixed interrupts dropped (11.4.7.2)', () => {
    const bus = new ApicBus();
    const a = new X2Apic(0, bus);
    wr(a, 0x832, 0x30); // try to unmask
    expect(rd(a, 0x832)).toBe(0x10030n);
    expect(a.accept(0x40)).toBe(false);
    expect(a.pendingVector()).toBe(-1);
    wr(a, 0x80f, 0x1ff);
    expect(rd(a, 0x832)).toBe(0x10030n); // enabling does not unmask
    wr(a, 0x832, 0x30);
    expect(rd(a, 0x832)).toBe(0x30n);
    expect(a.accept(0x40)).toBe(true);
    wr(a, 0x80f, 0xff); // disabling sets every mask bit; IRR keeps its content
    expect(rd(a, 0x832)).toBe(0x10030n);
    expect(a.inIrr(0x40)).toBe(true);
  });

  it('IA32_APIC_BASE value: 0xFEE00000 | EN | EXTD (| BSP)', () => {
    expect(apicBaseMsrValue(true)).toBe(0xfee00d00n);
    expect(apicBaseMsrValue(false)).toBe(0xfee00c00n);
  });
});

describe('x2APIC priorities (11.8)', () => {
  it('IRR/ISR/TMR register layout: vector v is bit v%32 of register 0x820 + v/32', () => {
    const { apics: [a] } = machine(1);
    a.accept(0x45); // 0x45 = 69 -> IRR2 (0x822) bit 5
    a.accept(0xff, 'level'); // 255 -> IRR7 bit 31, and TMR7 bit 31
    a.accept(0x20); // 32 -> IRR1 bit 0
    expect(rd(a, 0x822)).toBe(0x20n);
    expect(rd(a, 0x827)).toBe(0x80000000n);
    expect(rd(a, 0x821)).toBe(1n);
    expect(rd(a, 0x81f)).toBe(0x80000000n);
    expect(rd(a, 0x818 + 2)).toBe(0n);
  });

  it('the highest IRR vector is delivered first', () => {
    const { apics: [a] } = machine(1);
    for (const v of [0x21, 0xe0, 0x80]) a.accept(v);
    expect(a.pendingVector()).toBe(0xe0);
    expect(a.acknowledge()).toBe(0xe0);
    // 0xe0 in service: PPR = 0xe0, so 0x80 and 0x21 (lower classes) wait
    expect(rd(a, 0x80a)).toBe(0xe0n);
    expect(a.pendingVector()).toBe(-1);
    expect(a.acknowledge()).toBe(-1); // nothing changes
    wr(a, 0x80b, 0);
    expect(a.acknowledge()).toBe(0x80);
    wr(a, 0x80b, 0);
    expect(a.acknowledge()).toBe(0x21);
  });

  it('TPR masking: deliverable only when vector class > TPR class', () => {
    const { apics: [a] } = machine(1);
    a.accept(0x45);
    wr(a, 0x808, 0x40); // class 4 = class of 0x45: masked
    expect(rd(a, 0x80a)).toBe(0x40n);
    expect(a.pendingVector()).toBe(-1);
    wr(a, 0x808, 0x4f);
    expect(a.pendingVector()).toBe(-1);
    wr(a, 0x808, 0x3f); // class 3 < 4: delivered
    expect(a.pendingVector()).toBe(0x45);
    wr(a, 0x808, 0xf0);
    expect(a.pendingVector()).toBe(-1);
    wr(a, 0x808, 0);
    expect(a.pendingVector()).toBe(0x45);
  });

  it('PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0 (11.8.3.1)', () => {
    const { apics: [a] } = machine(1);
    a.accept(0x5a);
    expect(a.acknowledge()).toBe(0x5a);
    wr(a, 0x808, 0x35); // TPR class 3 < ISRV class 5 -> PPR = 0x50
    expect(rd(a, 0x80a)).toBe(0x50n);
    wr(a, 0x808, 0x57); // same class -> PPR = TPR = 0x57
    expect(rd(a, 0x80a)).toBe(0x57n);
    wr(a, 0x808, 0x65); // TPR class higher -> 0x65
    expect(rd(a, 0x80a)).toBe(0x65n);
    wr(a, 0x808, 0);
    wr(a, 0x80b, 0);
    expect(rd(a, 0x80a)).toBe(0n);
  });

  it('ISR nesting: a higher class preempts; EOI retires the highest in-service vector first', () => {
    const { apics: [a] } = machine(1);
    a.accept(0x30);
    a.acknowledge();
    a.accept(0x35);
    a.accept(0x41);
    expect(a.acknowledge()).toBe(0x41);
    // ISR: 0x30 -> ISR1 bit 16; 0x41 -> ISR2 bit 1
    expect(rd(a, 0x811)).toBe(1n << 16n);
    expect(rd(a, 0x812)).toBe(2n);
    expect(rd(a, 0x80a)).toBe(0x40n);
    wr(a, 0x80b, 0); // retires 0x41 (the highest), not 0x30
    expect(a.inIsr(0x41)).toBe(false);
    expect(a.inIsr(0x30)).toBe(true);
    expect(a.pendingVector()).toBe(-1); // 0x35 still blocked by 0x30 in service
    wr(a, 0x80b, 0); // retires 0x30
    expect(a.pendingVector()).toBe(0x35);
    expect(a.acknowledge()).toBe(0x35);
    wr(a, 0x80b, 0);
    wr(a, 0x80b, 0); // EOI with nothing in service: harmless
    expect(rd(a, 0x811)).toBe(0n);
    expect(a.stats.eois).toBe(3);
  });

  it('vectors 16-31 are deliverable with TPR 0 (class 1 > 0); 0-15 are illegal: ESR bit 6', () => {
    const { apics: [a] } = machine(1);
    expect(a.accept(0x10)).toBe(true);
    expect(a.pendingVector()).toBe(0x10);
    expect(a.accept(0x0f)).toBe(false);
    expect(a.inIrr(0x0f)).toBe(false);
    // ESR is latched by a write (11.5.3): before the write it still reads 0
    expect(rd(a, 0x828)).toBe(0n);
    wr(a, 0x828, 0);
    expect(rd(a, 0x828)).toBe(0x40n);
    wr(a, 0x828, 0);
    expect(rd(a, 0x828)).toBe(0n);
  });

  it('an error raises the LVT error vector when unmasked', () => {
    const { apics: [a] } = machine(1);
    wr(a, 0x837, 0xfe);
    a.accept(3);
    expect(a.pendingVector()).toBe(0xfe);
    // an illegal vector in the error LVT itself does not loop
    wr(a, 0x837, 0x02);
    expect(a.accept(4)).toBe(false);
  });
});

describe('x2APIC IPIs', () => {
  it('SELF IPI (0x83F): fixed edge interrupt to self, visible once the WRMSR returns', () => {
    const { apics: [a] } = machine(1);
    wr(a, 0x83f, 0x40);
    expect(a.inIrr(0x40)).toBe(true);
    expect(rd(a, 0x818 + 2)).toBe(0n); // edge: TMR clear
    expect(a.pendingVector()).toBe(0x40);
  });

  it('SELF IPI with an illegal vector sends nothing and sets ESR bit 5 (send illegal vector)', () => {
    const { apics: [a] } = machine(1);
    wr(a, 0x83f, 0x05);
    expect(a.pendingVector()).toBe(-1);
    wr(a, 0x828, 0);
    expect(rd(a, 0x828)).toBe(0x20n);
  });

  it('ICR encoding round-trips', () => {
    const icr = encodeIcr({ vector: 0x41, deliveryMode: DM_LOWEST, logical: true, assert: true, levelTriggered: true, shorthand: 0, dest: 0x10003 });
    // vector 0x41 | DM 001 << 8 | logical bit 11 | level bit 14 | trigger bit 15, dest in 63:32
    expect(icr).toBe(0x0001_0003_0000_c941n);
    expect(decodeIcr(icr)).toEqual({ vector: 0x41, deliveryMode: 1, logical: true, assert: true, levelTriggered: true, shorthand: 0, dest: 0x10003 });
  });

  it('ICR reserved bits and reserved delivery modes #GP and send nothing', () => {
    const { apics: [a, b] } = machine(2);
    for (const bit of [12, 13, 16, 17, 20, 31]) {
      expect(a.wrmsr(0x830, (1n << 32n) | 0x4050n | (1n << BigInt(bit)))).toBe(
        `x2APIC: ICR reserved bits 0x${(1 << bit >>> 0).toString(16)} set: 0x${((1n << 32n) | 0x4050n | (1n << BigInt(bit))).toString(16)}`,
      );
    }
    expect(a.wrmsr(0x830, (1n << 32n) | 0x4350n)).toMatch(/ICR reserved delivery mode 3/);
    expect(a.wrmsr(0x830, (1n << 32n) | 0x4750n)).toMatch(/ICR reserved delivery mode 7/);
    expect(b.pendingVector()).toBe(-1);
    expect(rd(a, 0x830)).toBe(0n);
  });

  it('ICR, physical destination: only the APIC with that x2APIC ID; ICR reads back', () => {
    const { apics } = machine(4);
    const icr = (2n << 32n) | 0x4050n; // dest 2, fixed, physical, assert, vector 0x50
    wr(apics[0], 0x830, icr);
    expect(rd(apics[0], 0x830)).toBe(icr);
    expect(apics.map((x) => x.inIrr(0x50))).toEqual([false, false, true, false]);
  });

  it('ICR with a level-triggered fixed IPI sets the target TMR bit', () => {
    const { apics } = machine(2);
    wr(apics[0], 0x830, (1n << 32n) | 0xc061n);
    expect(rd(apics[1], 0x818 + 3)).toBe(2n); // 0x61 -> TMR3 bit 1
  });

  it('ICR shorthands: self, all including self, all excluding self; and physical broadcast 0xFFFFFFFF', () => {
    const cases: [bigint, boolean[]][] = [
      [0x4_4051n, [false, true, false, false]], // 01 self (sender is APIC 1; destination ignored)
      [(3n << 32n) | 0x4_4051n, [false, true, false, false]],
      [0x8_4051n, [true, true, true, true]], // 10 all including self
      [0xc_4051n, [true, false, true, true]], // 11 all excluding self
      [(0xffffffffn << 32n) | 0x4051n, [true, true, true, true]], // broadcast ID
      [(7n << 32n) | 0x4051n, [false, false, false, false]], // no such APIC
    ];
    for (const [icr, expected] of cases) {
      const { bus, apics } = machine(4);
      wr(apics[1], 0x830, icr);
      expect(apics.map((x) => x.inIrr(0x51)), icr.toString(16)).toEqual(expected);
      if (!expected.includes(true)) expect(bus.stats.noTarget).toBe(1);
    }
  });

  it('logical destination: cluster in bits 31:16, bitmap in 15:0', () => {
    const ids = [0, 1, 0x10, 0x11, 0x12, 0x1f];
    const send = (dest: number) => {
      const { apics } = machine(0, ids);
      wr(apics[0], 0x830, (BigInt(dest) << 32n) | 0x4860n); // logical (bit 11), vector 0x60
      return apics.filter((x) => x.inIrr(0x60)).map((x) => x.id);
    };
    expect(send(0x0001_0005)).toEqual([0x10, 0x12]); // cluster 1, bits 0 and 2
    expect(send(0x0000_0002)).toEqual([1]); // cluster 0, bit 1
    expect(send(0x0001_8000)).toEqual([0x1f]); // cluster 1, bit 15
    expect(send(0x0002_ffff)).toEqual([]); // no cluster 2
    expect(send(0x0000_0000)).toEqual([]); // empty bitmap
    expect(send(0xffffffff)).toEqual(ids); // broadcast
  });

  it('lowest priority goes to the lowest PPR among the destinations, ties to the lowest ID', () => {
    const { apics } = machine(4);
    wr(apics[0], 0x808, 0x30);
    wr(apics[1], 0x808, 0x20);
    wr(apics[2], 0x808, 0x10);
    wr(apics[3], 0x808, 0x10);
    const lowest = (0xfn << 32n) | 0x4970n; // logical cluster 0 bits 0-3, lowest priority (001), vector 0x70
    wr(apics[0], 0x830, lowest);
    expect(apics.map((x) => x.inIrr(0x70))).toEqual([false, false, true, false]);
    wr(apics[2], 0x808, 0x40);
    wr(apics[0], 0x830, lowest | 1n); // vector 0x71
    expect(apics.map((x) => x.inIrr(0x71))).toEqual([false, false, false, true]);
  });

  it('ICR fixed IPI with vector 0-15: nothing sent, sender ESR bit 5', () => {
    const { apics } = machine(2);
    wr(apics[0], 0x830, (1n << 32n) | 0x4007n);
    expect(apics[1].pendingVector()).toBe(-1);
    wr(apics[0], 0x828, 0);
    expect(rd(apics[0], 0x828)).toBe(0x20n);
  });

  it('NMI and SMI delivery modes set the target latches; onEvent wakes the target', () => {
    const { bus, apics } = machine(2);
    const woke: number[] = [];
    bus.onEvent = (t) => woke.push(t.id);
    wr(apics[0], 0x830, encodeIcr({ deliveryMode: DM_NMI, dest: 1 }));
    expect(apics[1].nmiPending).toBe(true);
    expect(apics[1].takeNmi()).toBe(true);
    expect(apics[1].takeNmi()).toBe(false);
    wr(apics[0], 0x830, encodeIcr({ deliveryMode: DM_SMI, dest: 1 }));
    expect(apics[1].smiPending).toBe(true);
    wr(apics[0], 0x830, (1n << 32n) | 0x4090n);
    expect(woke).toEqual([1, 1, 1]);
  });
});

describe('x2APIC INIT / SIPI', () => {
  it('INIT resets the target to its INIT state and makes it wait for SIPI; the first SIPI starts it', () => {
    const { apics: [bsp, ap] } = machine(2);
    wr(ap, 0x808, 0x20);
    ap.accept(0x99);
    wr(ap, 0x838, 1000);
    // INIT: delivery mode 101, level assert (bit 14), edge, physical dest 1 -> 0x4500
    wr(bsp, 0x830, (1n << 32n) | 0x4500n);
    expect(ap.initReceived).toBe(true);
    expect(ap.waitingForSipi).toBe(true);
    expect(rd(ap, 0x808)).toBe(0n);
    expect(ap.inIrr(0x99)).toBe(false);
    expect(rd(ap, 0x80f)).toBe(0xffn); // software-disabled again
    expect(rd(ap, 0x838)).toBe(0n);
    expect(rd(ap, 0x802)).toBe(1n); // ID survives
    expect(bsp.initReceived).toBe(false);
    expect(ap.takeInit()).toBe(true);
    expect(ap.takeInit()).toBe(false);
    // SIPI: delivery mode 110, vector 0x08 -> the AP starts at 0x08000
    wr(bsp, 0x830, (1n << 32n) | 0x4608n);
    expect(ap.sipiVector).toBe(8);
    expect(ap.waitingForSipi).toBe(false);
    // the customary second SIPI is ignored: the AP is no longer waiting
    wr(bsp, 0x830, (1n << 32n) | 0x4609n);
    expect(ap.takeSipi()).toBe(8);
    expect(ap.takeSipi()).toBe(-1);
    expect(ap.stats.ignoredSipis).toBe(1);
  });

  it('SIPI to an APIC not waiting for SIPI is ignored; INIT level de-assert is ignored', () => {
    const { apics: [bsp, ap] } = machine(2);
    wr(bsp, 0x830, encodeIcr({ deliveryMode: DM_STARTUP, vector: 0x10, dest: 1 }));
    expect(ap.sipiVector).toBe(-1);
    // INIT level de-assert: DM 101, level 0, trigger level (bit 15) -> 0x8500
    wr(bsp, 0x830, (1n << 32n) | 0x8500n);
    expect(ap.initReceived).toBe(false);
    expect(ap.waitingForSipi).toBe(false);
  });

  it('INIT-SIPI-SIPI to all excluding self starts every AP at power-on wait-for-SIPI', () => {
    const bus = new ApicBus();
    const bsp = new X2Apic(0, bus, { softwareEnabled: true });
    const aps = [1, 2, 3].map((id) => new X2Apic(id, bus, { waitForSipi: true }));
    wr(bsp, 0x830, encodeIcr({ deliveryMode: DM_INIT, shorthand: 3 }));
    wr(bsp, 0x830, encodeIcr({ deliveryMode: DM_STARTUP, vector: 0x9a, shorthand: 3 }));
    wr(bsp, 0x830, encodeIcr({ deliveryMode: DM_STARTUP, vector: 0x9a, shorthand: 3 }));
    expect(aps.map((a) => [a.takeInit(), a.takeSipi()])).toEqual([[true, 0x9a], [true, 0x9a], [true, 0x9a]]);
    expect(bsp.initReceived).toBe(false);
    // an AP created waiting for SIPI accepts a SIPI without an INIT
    const late = new X2Apic(4, bus, { waitForSipi: true });
    wr(bsp, 0x830, encodeIcr({ deliveryMode: DM_STARTUP, vector: 0x20, dest: 4 }));
    expect(late.takeSipi()).toBe(0x20);
  });
});

describe('x2APIC timer (11.5.4; base clock 1 GHz of guest time)', () => {
  // divide configuration value -> divisor (Figure 11-10: bits 3,1:0)
  const DIVIDES: [number, number][] = [
    [0x0, 2], [0x1, 4], [0x2, 8], [0x3, 16], [0x8, 32], [0x9, 64], [0xa, 128], [0xb, 1],
  ];

  for (const [cfg, div] of DIVIDES) {
    it(`one-shot with divide config 0x${cfg.toString(16)} (/${div}) fires at T + N*${div} ns`, () => {
      const { bus, apics: [a] } = machine(1);
      const T = 1000;
      const N = 10;
      bus.time = T;
      wr(a, 0x83e, cfg);
      wr(a, 0x832, 0x30); // one-shot, vector 0x30
      wr(a, 0x838, N);
      expect(a.nextDeadline()).toBe(T + N * div);
      expect(bus.nextDeadline()).toBe(T + N * div);
      // 3 full divided ticks and a partial one have passed: count 10 - 3 = 7
      bus.time = T + 3 * div + (div - 1);
      expect(rd(a, 0x839)).toBe(7n);
      bus.tick(T + N * div - 1);
      expect(a.inIrr(0x30)).toBe(false);
      expect(rd(a, 0x839)).toBe(1n); // N-1 ticks done
      bus.tick(T + N * div);
      expect(a.inIrr(0x30)).toBe(true);
      expect(rd(a, 0x839)).toBe(0n);
      expect(a.nextDeadline()).toBe(Infinity);
      // no second interrupt
      a.acknowledge();
      wr(a, 0x80b, 0);
      bus.tick(T + 100 * N * div);
      expect(a.inIrr(0x30)).toBe(false);
      expect(a.stats.timerFires).toBe(1);
      expect(rd(a, 0x83e)).toBe(BigInt(cfg));
    });
  }

  it('periodic (LVT bits 18:17 = 01): interrupts at T + k*N*div, count reloads at 0', () => {
    const { bus, apics: [a] } = machine(1);
    wr(a, 0x83e, 0xb); // /1
    wr(a, 0x832, 0x20031); // periodic, vector 0x31
    wr(a, 0x838, 5); // T = 0
    const fired: number[] = [];
    const counts: bigint[] = [rd(a, 0x839)];
    for (let t = 1; t <= 16; t++) {
      bus.tick(t);
      counts.push(rd(a, 0x839));
      if (a.acknowledge() === 0x31) {
        fired.push(t);
        wr(a, 0x80b, 0);
      }
    }
    expect(fired).toEqual([5, 10, 15]);
    // count = 5 - (t mod 5): it is reloaded with 5 at the instant it reaches 0
    expect(counts).toEqual([5n, 4n, 3n, 2n, 1n, 5n, 4n, 3n, 2n, 1n, 5n, 4n, 3n, 2n, 1n, 5n, 4n]);
    expect(a.nextDeadline()).toBe(20);
    // a long gap (e.g. HLT skipped ahead): one coalesced interrupt, next deadline stays on the grid
    bus.tick(37);
    expect(a.inIrr(0x31)).toBe(true);
    expect(a.stats.timerFires).toBe(4);
    expect(a.nextDeadline()).toBe(40);
    expect(rd(a, 0x839)).toBe(3n); // 5 - (37 mod 5)
  });

  it('periodic with /4: period N*4 ns', () => {
    const { bus, apics: [a] } = machine(1);
    bus.time = 100;
    wr(a, 0x83e, 0x1);
    wr(a, 0x832, 0x20040);
    wr(a, 0x838, 25); // period 100 ns
    expect(a.nextDeadline()).toBe(200);
    bus.tick(200);
    expect(a.nextDeadline()).toBe(300);
    bus.time = 250;
    expect(rd(a, 0x839)).toBe(13n); // 50 ns = 12 ticks of /4 (12.5 floored) -> 25 - 12
  });

  it('masked LVT timer: counts but raises nothing; an expired one-shot does not fire on unmask', () => {
    const { bus, apics: [a] } = machine(1);
    wr(a, 0x83e, 0xb);
    wr(a, 0x832, 0x10030); // masked one-shot
    wr(a, 0x838, 10);
    expect(a.nextDeadline()).toBe(Infinity);
    bus.time = 4;
    expect(rd(a, 0x839)).toBe(6n);
    bus.tick(100);
    expect(a.inIrr(0x30)).toBe(false);
    bus.time = 200;
    expect(rd(a, 0x839)).toBe(0n);
    wr(a, 0x832, 0x30);
    bus.tick(300);
    expect(a.inIrr(0x30)).toBe(false);
    expect(a.stats.timerFires).toBe(0);
  });

  it('masked periodic timer keeps its phase; unmasking resumes at the next period', () => {
    const { bus, apics: [a] } = machine(1);
    wr(a, 0x83e, 0xb);
    wr(a, 0x832, 0x30031); // periodic, masked
    wr(a, 0x838, 5);
    bus.tick(23);
    expect(a.inIrr(0x31)).toBe(false);
    wr(a, 0x832, 0x20031); // unmask at t = 23
    expect(a.nextDeadline()).toBe(25);
    bus.tick(25);
    expect(a.inIrr(0x31)).toBe(true);
  });

  it('changing the divider mid-count keeps the current count and continues at the new rate', () => {
    const { bus, apics: [a] } = machine(1);
    wr(a, 0x83e, 0xb);
    wr(a, 0x832, 0x30);
    wr(a, 0x838, 100); // t = 0, fires at 100 with /1
    bus.time = 40;
    expect(rd(a, 0x839)).toBe(60n);
    wr(a, 0x83e, 0x1); // /4: 60 counts left -> 240 ns more
    expect(rd(a, 0x839)).toBe(60n);
    expect(a.nextDeadline()).toBe(280);
    bus.time = 80;
    expect(rd(a, 0x839)).toBe(50n);
    bus.tick(279);
    expect(a.inIrr(0x30)).toBe(false);
    bus.tick(280);
    expect(a.inIrr(0x30)).toBe(true);
  });

  it('writing 0 to the initial count stops the timer; rewriting restarts from now', () => {
    const { bus, apics: [a] } = machine(1);
    wr(a, 0x83e, 0xb);
    wr(a, 0x832, 0x30);
    wr(a, 0x838, 10);
    bus.time = 5;
    wr(a, 0x838, 0);
    expect(rd(a, 0x839)).toBe(0n);
    expect(a.nextDeadline()).toBe(Infinity);
    bus.tick(50);
    expect(a.inIrr(0x30)).toBe(false);
    wr(a, 0x838, 10);
    expect(rd(a, 0x838)).toBe(10n);
    expect(a.nextDeadline()).toBe(60);
  });

  it('switching periodic -> one-shot lets the current period finish, then stops', () => {
    const { bus, apics: [a] } = machine(1);
    wr(a, 0x83e, 0xb);
    wr(a, 0x832, 0x20030);
    wr(a, 0x838, 10);
    bus.tick(13); // one period done
    expect(a.acknowledge()).toBe(0x30);
    wr(a, 0x80b, 0);
    bus.time = 14;
    wr(a, 0x832, 0x30); // one-shot now
    expect(rd(a, 0x839)).toBe(6n);
    expect(a.nextDeadline()).toBe(20);
    bus.tick(20);
    expect(a.acknowledge()).toBe(0x30);
    expect(a.nextDeadline()).toBe(Infinity);
    expect(rd(a, 0x839)).toBe(0n);
  });

  it('bus.nextDeadline is the earliest unmasked timer over all APICs; a clock function can drive time', () => {
    let now = 0;
    const bus = new ApicBus(() => now);
    const a = new X2Apic(0, bus, { softwareEnabled: true });
    const b = new X2Apic(1, bus, { softwareEnabled: true });
    wr(a, 0x83e, 0xb);
    wr(b, 0x83e, 0xb);
    wr(a, 0x832, 0x30);
    wr(b, 0x832, 0x31);
    now = 10;
    wr(a, 0x838, 500);
    wr(b, 0x838, 300);
    expect(bus.nextDeadline()).toBe(310);
    now = 110;
    expect(rd(b, 0x839)).toBe(200n);
    now = 310;
    // the RDMSR itself brings the timer up to date
    expect(rd(b, 0x820 + 1)).toBe(1n << 17n); // 0x31 -> IRR1 bit 17
    expect(bus.nextDeadline()).toBe(510);
  });

  it('a software-disabled APIC timer never fires', () => {
    const bus = new ApicBus();
    const a = new X2Apic(0, bus);
    wr(a, 0x83e, 0xb);
    wr(a, 0x832, 0x30);
    wr(a, 0x838, 10);
    expect(a.nextDeadline()).toBe(Infinity);
    bus.tick(100);
    expect(a.pendingVector()).toBe(-1);
  });
});
