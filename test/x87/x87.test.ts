/**
 * x87 instruction semantics, expectations derived by hand from the SDM
 * (vol. 1 ch. 8, vol. 2 instruction pages). FSW bits: IE 0, DE 1, ZE 2,
 * OE 3, UE 4, PE 5, SF 6, ES 7, C0 8, C1 9, C2 10, TOP 13:11, C3 14, B 15.
 */
import { describe, it, expect } from 'vitest';
import { st0, st1, st2, ax } from '../../guest-kernel/asm/index.ts';
import { runX87, m16, m32, m64, m80, mptr, f80Bytes, le, f80Hex, CODE, DATA, assemble } from './harness.ts';

const ONE = f80Bytes(0x3fff, 0x8000000000000000n); // 1.0
const TWO = f80Bytes(0x4000, 0x8000000000000000n); // 2.0
const TWO_HALF = f80Bytes(0x4000, 0xa000000000000000n); // 2.5 = 1.01b · 2^1
const QNAN = f80Bytes(0x7fff, 0xc000000000000001n);
const DENORMAL = f80Bytes(0x0000, 0x0000000000000001n); // smallest extended denormal
const INDEFINITE = 'ffffc000000000000000';

describe('stack faults', () => {
  it('push onto a full stack: IE, SF, C1 = 1, the indefinite is pushed (masked)', () => {
    const r = runX87((a) => {
      a.fninit();
      for (let k = 0; k < 9; k++) a.fld1();
      a.fnstsw(m16(0x100));
      a.fstp(m80(0x110));
      a.int3();
    });
    expect(r.stop.vector).toBe(3);
    // 9 pushes from TOP 0: TOP = -9 mod 8 = 7. FSW = TOP 7 (0x3800) | C1 (0x200) | SF (0x40) | IE (0x1)
    expect(r.u16(0x100)).toBe(0x3a41);
    expect(f80Hex(r, 0x110)).toBe(INDEFINITE);
  });

  it('underflow on an empty operand: IE, SF, C1 = 0; masked result is the indefinite', () => {
    const r = runX87((a) => {
      a.fninit();
      a.fadd(st0, st1); // both empty
      a.fnstenv(mptr(0x100));
      a.fstp(m80(0x120));
      a.int3();
    });
    // FSW = IE | SF = 0x41, TOP 0; ST(0) = R0 written with the indefinite: tag 10 (special)
    expect(r.u16(0x104)).toBe(0x0041);
    expect(r.u16(0x108)).toBe(0xfffe);
    expect(f80Hex(r, 0x120)).toBe(INDEFINITE);
  });

  it('unmasked underflow changes nothing but FSW, then #MF at the next waiting instruction', () => {
    const r = runX87((a) => {
      a.fninit();
      a.fldcw(m16(0));           // FCW = 0x037e: IM = 0
      a.fadd(st0, st1);
      a.fnstsw(m16(0x100));      // non-waiting: no #MF
      a.fld1();                  // waiting: #MF here
      a.int3();
    }, { data: [[0, le(0x037e, 2)]] });
    // FSW = B (0x8000) | ES (0x80) | SF (0x40) | IE (1) = 0x80c1
    expect(r.u16(0x100)).toBe(0x80c1);
    expect(r.stop.vector).toBe(16);
    expect(r.c.ftw).toBe(0xffff); // nothing was written
    // rip of FLD1: fninit (2) + fldcw [abs] (7) + fadd (2) + fnstsw [abs] (7) = 18
    expect(r.stop.rip).toBe(CODE + 18);
  });

  it('FXCH with an empty register exchanges the indefinite in (masked)', () => {
    const r = runX87((a) => {
      a.fninit();
      a.fld1();
      a.fxch(st0, st2); // ST(2) empty
      a.fnstsw(m16(0x100));
      a.fstp(m80(0x110));
      a.fstp(m80(0x120));
      a.fstp(m80(0x130));
      a.int3();
    });
    expect(r.u16(0x100) & 0x3fff).toBe(0x3841); // TOP 7, SF, IE
    expect(f80Hex(r, 0x110)).toBe(INDEFINITE);  // ST(0) ← old ST(2) (empty → indefinite)
    expect(f80Hex(r, 0x130)).toBe('3fff8000000000000000'); // ST(2) ← 1.0
  });
});

describe('tag word', () => {
  it('tags follow the contents: zero 01, valid 00, special 10, empty 11', () => {
    const r = runX87((a) => {
      a.fninit();
      a.fldz();          // R7: zero
      a.fld1();          // R6: valid
      a.fld(m80(0x10));  // R5: denormal → special
      a.fnstenv(mptr(0x100));
      a.ffree(st1);      // R6 → empty
      a.fnstenv(mptr(0x200));
      a.int3();
    }, { data: [[0x10, DENORMAL]] });
    // R7 01, R6 00, R5 10, R4..R0 11: 0b01_00_10_1111111111 = 0x4bff
    expect(r.u16(0x108)).toBe(0x4bff);
    // after FFREE ST(1) (= R6): 0b01_11_10_1111111111 = 0x7bff
    expect(r.u16(0x208)).toBe(0x7bff);
    // TOP = 5
    expect((r.u16(0x204) >> 11) & 7).toBe(5);
  });

  it('FINCSTP/FDECSTP move TOP without touching tags; EMMS empties every tag', () => {
    const r = runX87((a) => {
      a.fninit();
      a.fld1();
      a.fincstp();
      a.fnstenv(mptr(0x100));
      a.fdecstp();
      a.fdecstp();
      a.fnstenv(mptr(0x200));
      a.emms();
      a.fnstenv(mptr(0x300));
      a.int3();
    });
    expect(r.u16(0x104)).toBe(0x0000);          // TOP 7 + 1 = 0, C1 = 0
    expect(r.u16(0x108)).toBe(0x3fff);          // R7 still valid
    expect((r.u16(0x204) >> 11) & 7).toBe(6);   // TOP 0 - 2 = 6
    expect(r.u16(0x308)).toBe(0xffff);
  });
});

describe('FNSTENV / FNSAVE / FRSTOR images', () => {
  const prog = (a: Parameters<Parameters<typeof runX87>[0]>[0]) => {
    a.fninit();
    a.fld(m32(0x10)); // D9 04 25 disp32: FOP = (D9 & 7) << 8 | 04 = 0x104, FDP = DATA + 0x10
    a.fnstenv(mptr(0x100));
    a.int3();
  };

  it('genoa: 28-byte layout with FIP, FCS|FOP<<16, FDP, FDS, reserved halves FFFFH', () => {
    const r = runX87(prog, { data: [[0x10, le(0x3f800000, 4)]] });
    expect(r.u32(0x100)).toBe(0xffff037f);
    expect(r.u32(0x104)).toBe(0xffff3800);            // TOP 7
    expect(r.u32(0x108)).toBe(0xffff3fff);            // R7 valid
    expect(r.u32(0x10c)).toBe(CODE + 2);               // FLD after the 2-byte FNINIT
    expect(r.u32(0x110)).toBe(((0x104 << 16) | r.c.sel[1]) >>> 0);
    expect(r.c.sel[1]).not.toBe(0);
    expect(r.u32(0x114)).toBe(DATA + 0x10);
    expect(r.u32(0x118)).toBe((0xffff0000 | r.c.sel[3]) >>> 0);
    // FNSTENV then masks every exception
    expect(r.c.fcw).toBe(0x037f);
  });

  it('sapphire-rapids: FCS/FDS stored as 0, FDP only for an unmasked exception', () => {
    const r = runX87(prog, { cpu: 'sapphire-rapids', data: [[0x10, le(0x3f800000, 4)]] });
    expect(r.u32(0x10c)).toBe(CODE + 2);
    expect(r.u32(0x110)).toBe(0x104 << 16);           // FCS = 0
    expect(r.u32(0x114)).toBe(0);                      // no exception: FDP not updated
    expect(r.u32(0x118)).toBe(0xffff0000);
    // with an unmasked exception (FLD m32 of an SNaN with IM = 0) FDP is updated
    const r2 = runX87((a) => {
      a.fninit();
      a.fldcw(m16(0));
      a.fld(m32(0x10));
      a.fnstenv(mptr(0x100));
      a.int3();
    }, { cpu: 'sapphire-rapids', data: [[0, le(0x037e, 2)], [0x10, le(0x7f800001, 4)]] });
    expect(r2.u32(0x114)).toBe(DATA + 0x10);
    expect(r2.u16(0x104)).toBe(0x8081);               // B, ES, IE; nothing pushed (TOP 0)
  });

  it('FNSAVE stores env + ST(0..7) in stack order, then initializes; FRSTOR restores', () => {
    const r = runX87((a) => {
      a.fninit();
      a.fld1();          // R7 = 1.0
      a.fld(m80(0x10));  // R6 = 2.0 = ST(0)
      a.fnsave(mptr(0x100));
      a.fnstenv(mptr(0x200));
      a.frstor(mptr(0x100));
      a.fstp(m80(0x300));
      a.fstp(m80(0x310));
      a.int3();
    }, { data: [[0x10, TWO]] });
    expect(r.u16(0x104)).toBe(0x3000);                 // TOP 6
    expect(r.u16(0x108)).toBe(0x0fff);                 // R7, R6 valid
    expect(r.hex(0x100 + 28, 10)).toBe(Buffer.from(TWO).toString('hex'));  // ST(0)
    expect(r.hex(0x100 + 38, 10)).toBe(Buffer.from(ONE).toString('hex'));  // ST(1)
    // after FNSAVE: FCW 037F, FSW 0, FTW FFFF, pointers 0
    expect(r.u32(0x200)).toBe(0xffff037f);
    expect(r.u32(0x204)).toBe(0xffff0000);
    expect(r.u32(0x208)).toBe(0xffffffff);
    expect(r.u32(0x20c)).toBe(0);
    expect(f80Hex(r, 0x300)).toBe('40008000000000000000');
    expect(f80Hex(r, 0x310)).toBe('3fff8000000000000000');
  });

  it('FLDENV with an unmasked pending flag makes the next waiting instruction raise #MF', () => {
    const env = [...le(0xffff037b, 4), ...le(0xffff0004, 4), ...le(0xffffffff, 4), ...new Array(16).fill(0)];
    const r = runX87((a) => {
      a.fninit();
      a.fldenv(mptr(0x10)); // FCW 037B (ZM = 0), FSW 0004 (ZE): pending
      a.fnstsw(ax);
      a.fnclex();
      a.fld1();             // no #MF after FNCLEX
      a.fldenv(mptr(0x10));
      a.wait();            // #MF
      a.int3();
    }, { data: [[0x10, env]] });
    expect(r.c.R[0] & 0xffff).toBe(0x8084);           // B | ES | ZE
    expect(r.stop.vector).toBe(16);
    // FWAIT is at 2 + 7 + 2 + 2 + 2 + 7 = 22
    expect(r.stop.rip).toBe(CODE + 22);
  });
});

describe('#MF', () => {
  it('unmasked ZE: no result, ES/B set, FNSTSW works, FWAIT faults', () => {
    const r = runX87((a) => {
      a.fninit();
      a.fldcw(m16(0));  // 037B: ZM = 0
      a.fld1();
      a.fldz();
      a.fdiv(st1, st0); // ST(1) = 1/0 → ZE
      a.fnstsw(m16(0x100));
      a.wait();
      a.int3();
    }, { data: [[0, le(0x037b, 2)]] });
    // FSW = B | ES | ZE, TOP 6 = 0x3000: 0x8000 | 0x3000 | 0x80 | 0x4 = 0xb084
    expect(r.u16(0x100)).toBe(0xb084);
    expect(r.stop.vector).toBe(16);
    expect(r.stop.rip).toBe(CODE + 2 + 7 + 2 + 2 + 2 + 7);
    // ST(1) still 1.0 (R7)
    expect(r.c.st[7 * 10 + 9]).toBe(0x3f);
  });

  it('CR0.TS: x87 instructions raise #NM before #MF', () => {
    const r = runX87((a) => { a.fld1(); a.int3(); }, { cr0: 0x8001002b });
    expect(r.stop.vector).toBe(7);
  });
});

describe('FCOMI / FUCOMI flags', () => {
  const cmp = (x: number[], y: number[], op: 'fcomi' | 'fucomi' | 'fcomip', rflags = 0x202) => runX87((a) => {
    a.fninit();
    a.fld(m80(0x20)); // ST(1) = y
    a.fld(m80(0x10)); // ST(0) = x
    a[op](st0, st1);
    a.fnstsw(m16(0x100));
    a.int3();
  }, { rflags, data: [[0x10, x], [0x20, y]] });
  const CF = 1, PF = 4, ZF = 0x40, AF = 0x10, SF = 0x80, OF = 0x800;
  const fl = (r: ReturnType<typeof runX87>) => {
    let f = r.c.fa & (CF | AF | OF);
    if (r.c.fz === 0) f |= ZF;
    if (r.c.fs < 0) f |= SF;
    let p = r.c.fp & 0xff, par = 1;
    while (p) { par ^= p & 1; p >>= 1; }
    return f | (par ? PF : 0);
  };

  it('less: CF = 1; equal: ZF = 1; greater: none; OF SF AF cleared', () => {
    expect(fl(cmp(ONE, TWO, 'fcomi', 0x202 | OF | SF | AF))).toBe(CF);
    expect(fl(cmp(TWO, TWO, 'fcomi'))).toBe(ZF);
    expect(fl(cmp(TWO, ONE, 'fcomi', 0x202 | CF | ZF | PF))).toBe(0);
  });

  it('unordered: ZF PF CF = 111; IE for FCOMI on a QNaN, not for FUCOMI; C1 = 0', () => {
    const a = cmp(QNAN, ONE, 'fcomi');
    expect(fl(a)).toBe(ZF | PF | CF);
    expect(a.u16(0x100) & 0x3f).toBe(1);
    const b = cmp(QNAN, ONE, 'fucomi');
    expect(fl(b)).toBe(ZF | PF | CF);
    expect(b.u16(0x100) & 0x3f).toBe(0);
    expect(b.u16(0x100) & 0x200).toBe(0);
  });

  it('FCOMIP pops once', () => {
    const r = cmp(ONE, TWO, 'fcomip');
    expect((r.u16(0x100) >> 11) & 7).toBe(7); // TOP 6 + 1
  });
});

describe('FIST out of range and rounding control', () => {
  it('FIST m16 of 40000: IE, integer indefinite 8000H (masked); unmasked: memory unchanged', () => {
    const r = runX87((a) => {
      a.fninit();
      a.fild(m32(0x10));     // 40000
      a.fist(m16(0x100));
      a.fnstsw(m16(0x102));
      a.fldcw(m16(0x20));    // 037E: IM = 0
      a.fist(m16(0x104));
      a.fnstsw(m16(0x106));
      a.int3();
    }, { data: [[0x10, le(40000, 4)], [0x20, le(0x037e, 2)], [0x104, [0x55, 0x55]]] });
    expect(r.u16(0x100)).toBe(0x8000);
    expect(r.u16(0x102)).toBe(0x3801);   // TOP 7, IE
    // the FLDCW unmasked a pending IE: ES/B are set before the second FIST, which then raises #MF
    expect(r.stop.vector).toBe(16);
    expect(r.u16(0x104)).toBe(0x5555);
  });

  it('FISTP m32: 2^31 is out of range, -2^31 fits', () => {
    const r = runX87((a) => {
      a.fninit();
      a.fld(m80(0x10));      // 2^31
      a.fistp(m32(0x100));
      a.fld(m80(0x20));      // -2^31
      a.fistp(m32(0x104));
      a.fnstsw(m16(0x108));
      a.int3();
    }, { data: [[0x10, f80Bytes(0x401e, 1n << 63n)], [0x20, f80Bytes(0xc01e, 1n << 63n)]] });
    expect(r.u32(0x100)).toBe(0x80000000);
    expect(r.u32(0x104)).toBe(0x80000000);
    expect(r.u16(0x108)).toBe(0x0001);      // IE sticky, TOP back to 0
  });

  // 2.5 and -2.5 by RC: nearest-even 2/-2, down 2/-3, up 3/-2, toward zero 2/-2.
  // C1 = 1 when the magnitude was rounded up (3 and -3); PE always.
  const cases: [number, number, number, number, number][] = [
    // fcw, expected for 2.5, C1, expected for -2.5, C1
    [0x037f, 2, 0, -2, 0],
    [0x077f, 2, 0, -3, 1],
    [0x0b7f, 3, 1, -2, 0],
    [0x0f7f, 2, 0, -2, 0],
  ];
  for (const [fcw, p, pc1, n, nc1] of cases) {
    it(`FIST and FRNDINT with FCW ${fcw.toString(16)}`, () => {
      const r = runX87((a) => {
        a.fninit();
        a.fldcw(m16(0));
        a.fld(m80(0x10));
        a.fist(m16(0x100));
        a.fnstsw(m16(0x102));
        a.fchs();
        a.fistp(m16(0x104));
        a.fnstsw(m16(0x106));
        a.fld(m80(0x10));
        a.frndint();
        a.fistp(m16(0x108));
        a.int3();
      }, { data: [[0, le(fcw, 2)], [0x10, TWO_HALF]] });
      expect((r.u16(0x100) << 16) >> 16).toBe(p);
      expect(r.u16(0x102) & 0x220).toBe(0x20 | (pc1 ? 0x200 : 0));
      expect((r.u16(0x104) << 16) >> 16).toBe(n);
      expect(r.u16(0x106) & 0x220).toBe(0x20 | (nc1 ? 0x200 : 0));
      expect((r.u16(0x108) << 16) >> 16).toBe(p);
    });
  }

  it('precision control: 1/3 with PC = 24 bits rounds the significand to 24 bits', () => {
    // 1/3 = 0.0101...b = 1.0101...b · 2^-2: biased exponent 3FFDH, significand AAAA...;
    // at 24 bits the rest (1010...) is above half: nearest rounds up to AAAAAB, down truncates.
    const run = (fcw: number) => runX87((a) => {
      a.fninit();
      a.fldcw(m16(0));
      a.fld1();
      a.fild(m16(0x10));
      a.fdivp(st1, st0);
      a.fnstsw(m16(0x100));
      a.fstp(m80(0x110));
      a.int3();
    }, { data: [[0, le(fcw, 2)], [0x10, le(3, 2)]] });
    const near = run(0x007f), down = run(0x047f);
    expect(f80Hex(near, 0x110)).toBe('3ffdaaaaab0000000000');
    expect(near.u16(0x100) & 0x220).toBe(0x220);   // PE, C1 (rounded up)
    expect(f80Hex(down, 0x110)).toBe('3ffdaaaaaa0000000000');
    expect(down.u16(0x100) & 0x220).toBe(0x020);
  });
});

describe('FXAM, FCMOV, FNSTSW AX', () => {
  it('FXAM of an empty register: C3 C0 = 1, C1 = sign of the stale contents', () => {
    const r = runX87((a) => {
      a.fninit();
      a.fxam();
      a.fnstsw(ax);
      a.int3();
    });
    expect(r.c.R[0] & 0x4700).toBe(0x4100);
  });

  it('FCMOVB moves when CF = 1 only', () => {
    const prog = (a: Parameters<Parameters<typeof runX87>[0]>[0]) => {
      a.fninit(); a.fld1(); a.fldz(); a.fcmovb(st0, st1); a.fstp(m80(0x100)); a.int3();
    };
    expect(f80Hex(runX87(prog, { rflags: 0x203 }), 0x100)).toBe('3fff8000000000000000');
    expect(f80Hex(runX87(prog, { rflags: 0x202 }), 0x100)).toBe('00000000000000000000');
  });

  it('assembles FIP-relevant code at the expected addresses', () => {
    // sanity check of the byte counts the #MF tests rely on
    expect(assemble((a) => { a.fninit(); a.fldcw(m16(0)); }).length).toBe(9);
    expect(assemble((a) => { a.fdiv(st1, st0); a.fld(m64(0)); }).length).toBe(9);
    void st2;
  });
});
