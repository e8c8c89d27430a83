// MOVS/STOS/LODS/SCAS/CMPS with REP/REPE/REPNE, DF and the 67H address size:
// expected values by hand from the SDM ("MOVS", ..., "REP/REPE/REPNE").
import { describe, it, expect } from 'vitest';
import { ok, run, le, CF, PF, AF, ZF, SF, DF, ARITH, DATA } from './harness.ts';

const SRC = DATA, DST = DATA + 0x1000n;
const bytes = (n: number, f: (k: number) => number) => Array.from({ length: n }, (_, k) => f(k) & 0xff);

describe('MOVS', () => {
  it('single element of each width, DF = 0 and DF = 1', () => {
    const mem = [{ addr: DATA, bytes: bytes(0x2000, (k) => k) }];
    for (const [s, size] of [['b', 1], ['w', 2], ['d', 4], ['q', 8]] as [string, number][]) {
      let r = ok({ asm: [`movs${s}`], regs: { rsi: SRC + 0x10n, rdi: DST }, mem });
      expect(r.mem(DST, size)).toEqual(bytes(size, (k) => 0x10 + k));
      expect(r.reg('rsi')).toBe(SRC + 0x10n + BigInt(size));
      expect(r.reg('rdi')).toBe(DST + BigInt(size));
      r = ok({ asm: [`movs${s}`], regs: { rsi: SRC + 0x10n, rdi: DST }, mem, flags: DF });
      expect(r.reg('rsi')).toBe(SRC + 0x10n - BigInt(size));
      expect(r.reg('rdi')).toBe(DST - BigInt(size));
    }
  });
  it('REP MOVSB across pages, REP MOVSQ backwards, count 0', () => {
    const mem = [{ addr: DATA, bytes: bytes(0x3000, (k) => k * 7) }];
    // 5000 bytes from SRC+0x123 to DATA+0x1556 (both cross page boundaries; no overlap).
    let r = ok({ asm: ['rep movsb'], regs: { rsi: SRC + 0x123n, rdi: DATA + 0x1556n, rcx: 5000n }, mem, flags: CF | ZF });
    expect(r.mem(DATA + 0x1556n, 5000)).toEqual(bytes(5000, (k) => (k + 0x123) * 7));
    expect(r.reg('rcx')).toBe(0n);
    expect(r.reg('rsi')).toBe(SRC + 0x123n + 5000n);
    expect(r.reg('rdi')).toBe(DATA + 0x1556n + 5000n);
    expect(r.flags & ARITH).toBe(CF | ZF); // no flags written
    // DF = 1: 3 qwords, last element first: copies [SRC+0x10 .. SRC+0x28) to [DST+0x10 .. DST+0x28).
    r = ok({ asm: ['rep movsq'], regs: { rsi: SRC + 0x20n, rdi: DST + 0x20n, rcx: 3n }, mem, flags: DF });
    expect(r.mem(DST + 0x10n, 24)).toEqual(bytes(24, (k) => (k + 0x10) * 7));
    expect(r.reg('rsi')).toBe(SRC + 0x8n);
    expect(r.reg('rdi')).toBe(DST + 0x8n);
    // Count 0: nothing happens (RSI/RDI unchanged).
    r = ok({ asm: ['rep movsq'], regs: { rsi: SRC, rdi: DST, rcx: 0n }, mem });
    expect(r.reg('rsi')).toBe(SRC);
    expect(r.mem(DST, 8)).toEqual(bytes(8, (k) => (k + 0x1000) * 7));
  });
  it('overlapping forward copy replicates the pattern element by element', () => {
    // rep movsb with RDI = RSI + 1 copies byte 0 forward: every byte becomes the first.
    let r = ok({ asm: ['rep movsb'], regs: { rsi: SRC, rdi: SRC + 1n, rcx: 100n }, mem: [{ addr: DATA, bytes: bytes(0x200, (k) => k + 1) }] });
    expect(r.mem(SRC, 101)).toEqual(Array(101).fill(1));
    // rep movsq with RDI = RSI + 4 (inside one element): element k reads [RSI+8k, +8) after element k-1 wrote [RSI+4+8(k-1), +8).
    // Start 00 01 02 03 04 05 06 07 08 09 0a 0b ...: element 0 reads 00..07, writes at +4 -> 00 01 02 03 00 01 02 03 04 05 06 07;
    // element 1 reads +8..+15 = 04 05 06 07 0c 0d 0e 0f, writes at +12.
    r = ok({ asm: ['rep movsq'], regs: { rsi: SRC, rdi: SRC + 4n, rcx: 2n }, mem: [{ addr: DATA, bytes: bytes(0x40, (k) => k) }] });
    expect(r.mem(SRC, 20)).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7, 0xc, 0xd, 0xe, 0xf]);
  });
  it('a #PF in the middle of REP MOVSD leaves RCX/RSI/RDI at the completed iterations', () => {
    // Destination page DATA+0x1000 is read-only... instead the source runs off the mapped region:
    // RSI = DATA + 0x1ff8, 4 dwords: two complete (0x1ff8, 0x1ffc), the third reads DATA + 0x2000 (unmapped).
    const mem = [{ addr: DATA, bytes: bytes(0x2000, (k) => k) }];
    const r = run({ asm: ['rep movsd'], regs: { rsi: DATA + 0x1ff8n, rdi: DATA + 0x100n, rcx: 4n }, mem });
    expect(r.vector).toBe(14);
    expect(r.rip).toBe(0x10000000n); // on the instruction, which resumes
    expect(r.reg('rcx')).toBe(2n);
    expect(r.reg('rsi')).toBe(DATA + 0x2000n);
    expect(r.reg('rdi')).toBe(DATA + 0x108n);
    expect(r.mem(DATA + 0x100n, 8)).toEqual([0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff]);
  });
  it('a write fault in the middle of REP STOSB (read-only page)', () => {
    // RDI = DATA + 0xffd, 10 bytes: 3 written in the writable page, the 4th hits the read-only page.
    const mem = [{ addr: DATA, bytes: bytes(0x1000, () => 0) }, { addr: DATA + 0x1000n, bytes: bytes(0x1000, () => 0), perm: 'r' as const }];
    const r = run({ asm: ['rep stosb'], regs: { rax: 0xabn, rdi: DATA + 0xffdn, rcx: 10n }, mem });
    expect(r.vector).toBe(14);
    expect(r.errorCode).toBe(7);
    expect(r.reg('rcx')).toBe(7n);
    expect(r.reg('rdi')).toBe(DATA + 0x1000n);
    expect(r.mem(DATA + 0xffdn, 3)).toEqual([0xab, 0xab, 0xab]);
  });
  it('segment override on the source (FS), none on the destination', () => {
    // With FS base 0 (the case machine), fs: behaves like ds: - checks that the override decodes and runs.
    const r = ok({ bytes: [0x64, 0xa4], regs: { rsi: SRC, rdi: DST }, mem: [{ addr: DATA, bytes: bytes(0x2000, (k) => k + 3) }] });
    expect(r.mem(DST, 1)).toEqual([3]);
  });
});

describe('STOS / LODS', () => {
  it('STOS every width, REP', () => {
    let r = ok({ asm: ['stosw'], regs: { rax: 0x1234n, rdi: DST }, mem: [{ addr: DST, bytes: [0, 0, 0] }] });
    expect(r.mem(DST, 3)).toEqual([0x34, 0x12, 0]);
    expect(r.reg('rdi')).toBe(DST + 2n);
    r = ok({ asm: ['rep stosq'], regs: { rax: 0x0102030405060708n, rdi: DST, rcx: 600n }, mem: [{ addr: DST, bytes: bytes(0x2000, () => 0) }] });
    for (const off of [0n, 8n, 4088n, 4096n, 4792n]) expect(r.memVal(DST + off, 8)).toBe(0x0102030405060708n);
    expect(r.memVal(DST + 4800n, 8)).toBe(0n);
    expect(r.reg('rdi')).toBe(DST + 4800n);
    r = ok({ asm: ['rep stosd'], regs: { rax: 0xdeadbeefn, rdi: DST + 8n, rcx: 2n }, flags: DF, mem: [{ addr: DST, bytes: bytes(16, () => 0) }] });
    expect(r.mem(DST, 16)).toEqual([0, 0, 0, 0, 0xef, 0xbe, 0xad, 0xde, 0xef, 0xbe, 0xad, 0xde, 0, 0, 0, 0]);
    expect(r.reg('rdi')).toBe(DST);
  });
  it('LODS every width (merge rules), REP LODS keeps the last element', () => {
    const mem = [{ addr: SRC, bytes: [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99] }];
    let r = ok({ asm: ['lodsb'], regs: { rax: -1n, rsi: SRC }, mem });
    expect(r.reg('rax')).toBe(0xffffffffffffff11n);
    r = ok({ asm: ['lodsw'], regs: { rax: -1n, rsi: SRC }, mem });
    expect(r.reg('rax')).toBe(0xffffffffffff2211n);
    r = ok({ asm: ['lodsd'], regs: { rax: -1n, rsi: SRC }, mem });
    expect(r.reg('rax')).toBe(0x44332211n);
    r = ok({ asm: ['rep lodsq'], regs: { rsi: SRC, rcx: 1n }, mem });
    expect(r.reg('rax')).toBe(0x8877665544332211n);
    r = ok({ asm: ['rep lodsb'], regs: { rsi: SRC, rcx: 9n }, mem });
    expect(r.reg('rax')).toBe(0x99n);
    expect(r.reg('rsi')).toBe(SRC + 9n);
  });
});

describe('SCAS / CMPS', () => {
  it('REPE SCASB stops at the first mismatch; flags of the last compare', () => {
    // AL = 0x41; bytes 41 41 42 ...: iterations 1, 2 equal, 3rd: 0x41 - 0x42 = 0xff -> CF SF AF PF, ZF = 0. RCX = 10 - 3.
    const r = ok({ asm: ['repe scasb'], regs: { rax: 0x41n, rdi: DST, rcx: 10n }, mem: [{ addr: DST, bytes: [0x41, 0x41, 0x42, 0x41] }] });
    expect(r.reg('rcx')).toBe(7n);
    expect(r.reg('rdi')).toBe(DST + 3n);
    expect(r.flags & ARITH).toBe(CF | SF | AF | PF);
  });
  it('REPNE SCASD finds the value; SCASQ compares all 64 bits; DF = 1', () => {
    let r = ok({ asm: ['repne scasd'], regs: { rax: 0xffffffff00000007n, rdi: DST, rcx: 100n }, mem: [{ addr: DST, bytes: [...le(1n, 4), ...le(2n, 4), ...le(7n, 4), ...le(7n, 4)] }] });
    expect(r.reg('rcx')).toBe(97n);
    expect(r.reg('rdi')).toBe(DST + 12n);
    expect(r.flags & ZF).toBe(ZF);
    // scasw with DF = 1: AX = 0x0001 vs 0x0002: 1 - 2 = 0xffff -> CF SF AF PF, RDI - 2.
    r = ok({ asm: ['scasw'], regs: { rax: 1n, rdi: DST + 2n }, flags: DF, mem: [{ addr: DST, bytes: [0, 0, 2, 0] }] });
    expect(r.reg('rdi')).toBe(DST);
    expect(r.flags & ARITH).toBe(CF | SF | AF | PF);
    // REPE SCASW with RCX = 0: no iteration, no flags written.
    r = ok({ asm: ['repe scasw'], regs: { rcx: 0n, rdi: DST }, flags: ZF | CF | DF });
    expect(r.flags & ARITH).toBe(ZF | CF);
    r = ok({ asm: ['scasq'], regs: { rax: 0x100000000n, rdi: DST }, mem: [{ addr: DST, bytes: le(0x100000000n, 8) }] });
    expect(r.flags & (ZF | CF)).toBe(ZF);
  });
  it('REPE/REPNE CMPS of every width', () => {
    // repne cmpsw: stops at the first equal word (index 2) -> RCX = 26 - 3 = 23.
    const a = [1, 2, 3, 4, 5].flatMap((v) => le(BigInt(v), 2)), b = [9, 9, 3, 9, 9].flatMap((v) => le(BigInt(v), 2));
    let r = ok({ asm: ['repne cmpsw'], regs: { rsi: SRC, rdi: DST, rcx: 26n }, mem: [{ addr: SRC, bytes: a }, { addr: DST, bytes: b }] });
    expect(r.reg('rcx')).toBe(23n);
    expect(r.reg('rsi')).toBe(SRC + 6n);
    expect(r.reg('rdi')).toBe(DST + 6n);
    expect(r.flags & ZF).toBe(ZF);
    // repe cmpsq: all 3 equal -> runs out, ZF = 1, RCX = 0.
    const q = [...le(5n, 8), ...le(6n, 8), ...le(7n, 8)];
    r = ok({ asm: ['repe cmpsq'], regs: { rsi: SRC, rdi: DST, rcx: 3n }, mem: [{ addr: SRC, bytes: q }, { addr: DST, bytes: q }] });
    expect(r.reg('rcx')).toBe(0n);
    expect(r.flags & ZF).toBe(ZF);
    // cmpsb compares [RSI] - [RDI]: 0x80 - 0x01 = 0x7f -> OF = 1 (negative - positive = positive), AF = 1.
    r = ok({ asm: ['cmpsb'], regs: { rsi: SRC, rdi: DST }, mem: [{ addr: SRC, bytes: [0x80] }, { addr: DST, bytes: [0x01] }] });
    expect(r.flags & ARITH).toBe(0x800 | AF);
    // repe cmpsd with DF = 1: second dword differs (scanning down from +4): RCX = 5 - 2.
    r = ok({ asm: ['repe cmpsd'], regs: { rsi: SRC + 4n, rdi: DST + 4n, rcx: 5n }, flags: DF, mem: [{ addr: SRC, bytes: [...le(1n, 4), ...le(2n, 4)] }, { addr: DST, bytes: [...le(3n, 4), ...le(2n, 4)] }] });
    expect(r.reg('rcx')).toBe(3n);
    expect(r.reg('rsi')).toBe(SRC - 4n);
    expect(r.flags & (ZF | CF)).toBe(CF); // 1 - 3 borrows
  });
  it('67H: ESI/EDI/ECX, 32-bit updates (bits 63:32 of RCX/RSI/RDI cleared)', () => {
    // addr32 repe cmpsb, ECX = 3 (RCX bits 63:32 set and ignored), all equal.
    const m = [{ addr: SRC, bytes: [1, 2, 3] }, { addr: DST, bytes: [1, 2, 3] }];
    const r = ok({ asm: ['addr32 repe cmpsb'], regs: { rsi: 0xabcd00000000n | SRC, rdi: 0x1234500000000n | DST, rcx: 0x100000003n }, mem: m });
    expect(r.reg('rcx')).toBe(0n);
    expect(r.reg('rsi')).toBe(SRC + 3n);
    expect(r.reg('rdi')).toBe(DST + 3n);
    expect(r.flags & ZF).toBe(ZF);
    // addr32 rep stosb with ECX = 0 but RCX != 0: nothing happens.
    const r2 = ok({ asm: ['addr32 rep stosb'], regs: { rcx: 0x100000000n, rdi: DST }, mem: [{ addr: DST, bytes: [0x55] }] });
    expect(r2.mem(DST, 1)).toEqual([0x55]);
    expect(r2.reg('rcx')).toBe(0x100000000n);
  });
  it('a fault in the middle of REPE CMPSB keeps the flags of the last completed compare', () => {
    // Source at the end of the mapped region: 2 equal bytes compared, the 3rd source read faults.
    const r = run({ asm: ['repe cmpsb'], regs: { rsi: DATA + 0x1ffen, rdi: DATA + 0x10n, rcx: 5n }, mem: [{ addr: DATA, bytes: bytes(0x2000, (k) => (k === 0x10 || k === 0x1ffe ? 7 : k === 0x11 || k === 0x1fff ? 9 : 0)) }] });
    expect(r.vector).toBe(14);
    expect(r.reg('rcx')).toBe(3n);
    expect(r.reg('rsi')).toBe(DATA + 0x2000n);
    expect(r.reg('rdi')).toBe(DATA + 0x12n);
    expect(r.flags & (ZF | CF)).toBe(ZF);
  });
});

describe('long REP', () => {
  it('more than REP_CHUNK iterations: the handler returns with RIP on the instruction and resumes', () => {
    const n = (1 << 20) + 4096 + 3; // one full chunk, then the rest
    const r = ok({ asm: ['rep stosb'], regs: { rax: 0x5an, rdi: DATA, rcx: BigInt(n) }, mem: [{ addr: DATA, bytes: new Uint8Array(n + 1) }] });
    expect(r.reg('rcx')).toBe(0n);
    expect(r.reg('rdi')).toBe(DATA + BigInt(n));
    expect(r.mem(DATA + BigInt(n) - 2n, 3)).toEqual([0x5a, 0x5a, 0]);
    // The REP STOSB ran as two instruction executions (plus nothing else before the int3).
    const small = ok({ asm: ['rep stosb'], regs: { rax: 0x5an, rdi: DATA, rcx: 3n }, mem: [{ addr: DATA, bytes: [0, 0, 0] }] });
    expect(r.icount - small.icount).toBe(1);
    // Same through the element loop (REPE SCASB does not use the page fast path).
    const r2 = ok({ asm: ['repe scasb'], regs: { rax: 0n, rdi: DATA, rcx: BigInt(n) }, mem: [{ addr: DATA, bytes: new Uint8Array(n + 1) }] });
    expect(r2.reg('rcx')).toBe(0n);
    expect(r2.flags & ZF).toBe(ZF);
  });
});

describe('INS / OUTS', () => {
  it('#GP(0) at CPL 3 with IOPL 0, before any access', () => {
    for (const b of [[0x6c], [0xf3, 0x6d], [0x6e], [0x66, 0xf3, 0x6f]]) {
      const r = run({ bytes: b, regs: { rsi: DATA, rdi: DATA, rcx: 2n, rdx: 0x80n }, mem: [{ addr: DATA, bytes: [1, 2, 3, 4] }] });
      expect(r.vector).toBe(13);
      expect(r.errorCode).toBe(0);
      expect(r.reg('rcx')).toBe(2n);
    }
  });
  it('at CPL 0: REP INSW stores what the port returns (an unclaimed port reads all ones); OUTS reads memory', () => {
    let r = ok({ cpl: 0, bytes: [0x66, 0xf3, 0x6d], regs: { rdi: DATA, rcx: 2n, rdx: 0x1e0n }, mem: [{ addr: DATA, bytes: [0, 0, 0, 0, 0] }] });
    expect(r.mem(DATA, 5)).toEqual([0xff, 0xff, 0xff, 0xff, 0]);
    expect(r.reg('rdi')).toBe(DATA + 4n);
    expect(r.reg('rcx')).toBe(0n);
    r = ok({ cpl: 0, bytes: [0xf3, 0x6e], regs: { rsi: DATA, rcx: 3n, rdx: 0x1e0n }, mem: [{ addr: DATA, bytes: [1, 2, 3] }] });
    expect(r.reg('rsi')).toBe(DATA + 3n);
    // INSB into a read-only page faults before the port is read; RDI unchanged.
    r = run({ cpl: 0, bytes: [0x6c], regs: { rdi: DATA, rdx: 0x1e0n }, mem: [{ addr: DATA, bytes: [0], perm: 'r' }] });
    expect(r.vector).toBe(14);
    expect(r.reg('rdi')).toBe(DATA);
  });
});

describe('XLAT', () => {
  it('AL := [RBX + AL]', () => {
    const r = ok({ asm: ['xlatb'], regs: { rax: 0xff05n, rbx: SRC }, mem: [{ addr: SRC, bytes: bytes(16, (k) => 0xa0 + k) }] });
    expect(r.reg('rax')).toBe(0xffa5n);
  });
});
