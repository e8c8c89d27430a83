/**
 * `x86emu repl`, driven for real: the CLI spawned with commands on stdin
 * (--batch) or in a file (--script), text and --json output, and the error
 * cases (one line on stderr, the session goes on). Images are built with the
 * assembler (test/repl/images.ts).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { basicImage, faultImage, gpImage, pfImage, spinImage, repl, cli, TMP, DATA } from './images.ts';

let basic: string;
beforeAll(() => { basic = basicImage(); });

const lines = (s: string) => s.split('\n').filter((l) => l.length > 0);

describe('x86emu repl: execution', () => {
  it('step, next over a call, break/continue, finish, until, backtrace', async () => {
    const r = await repl(basic, [
      'step', 'step 2', 'next', 'regs',
      'break leaf', 'continue', 'backtrace', 'finish', 'until done', 'x/2xg ' + DATA, 'continue',
    ]);
    expect(r.stderr).toBe('');
    const o = r.stdout;
    // step: mov rax,1 executed, at mov rbx,2
    expect(o).toMatch(/^0x200007 <_start\+0x7>: mov rbx, 2\n/);
    // step 2: mov rbx,2; call func -> first instruction of func
    expect(o).toMatch(/\n0x200[0-9a-f]+ <func>: push rbp\n/);
    // next steps over `call leaf`? no: next at `push rbp` is a plain step
    expect(o).toMatch(/\n0x200[0-9a-f]+ <func\+0x1>: mov rbp, rsp\n/);
    expect(o).toMatch(/\nrax    0x0000000000000001  1\n/);
    expect(o).toMatch(/\nrbx    0x0000000000000002  2\n/);
    expect(o).toMatch(/rip    0x0000000000200[0-9a-f]+  <func\+0x1>\n/);
    expect(o).toMatch(/rflags 0x00000002  \[ - \]\n/);
    expect(o).toMatch(/Breakpoint 1 at 0x200[0-9a-f]+ <leaf>\n/);
    expect(o).toMatch(/Breakpoint 1, 0x200[0-9a-f]+ <leaf>: push rbp\n/);
    // backtrace at leaf's entry: leaf, func (after call leaf), _start (after call func)
    expect(o).toMatch(/#0  0x200[0-9a-f]+ <leaf>\n#1  0x200[0-9a-f]+ <func\+0x9>\n#2  0x200[0-9a-f]+ <_start\+0x13>\n/);
    expect(o).toMatch(/Run till exit to 0x200[0-9a-f]+ <func\+0x9>\n0x200[0-9a-f]+ <func\+0x9>: add rax, rbx\n/);
    expect(o).toMatch(/\n0x200[0-9a-f]+ <done>: mov eax, 7\n/);
    // DATA = rax = 3, DATA+8 = rcx = 10
    expect(o).toContain(`0x${DATA.toString(16)}:\t0x0000000000000003\t0x000000000000000a`);
    expect(o).toMatch(/The guest exited with status 7\.\n$/);
    expect(r.status).toBe(0);
  });

  it('a breakpoint at the entry point stops the first continue (as gdb does)', async () => {
    const r = await repl(basic, ['break _start', 'continue', 'continue']);
    expect(r.stdout).toMatch(/^Breakpoint 1 at 0x200000 <_start>\nBreakpoint 1, 0x200000 <_start>: /);
  });

  it('next steps over a CALL (the callee runs)', async () => {
    const r = await repl(basic, ['step 2', 'next', 'regs']);
    expect(r.stdout).toMatch(/0x200[0-9a-f]+ <_start\+0x13>: mov \[0x400000\], rax/);
    expect(r.stdout).toMatch(/rax    0x0000000000000003  3/);
  });

  it('conditional breakpoints over registers and memory', async () => {
    const r = await repl(basic, ['break counter if rcx == 4', 'continue', 'print rcx', `break done if qword[${DATA + 8}] == 10 && rcx != 0`, 'continue', 'print rcx', 'info breakpoints']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Breakpoint 1 at 0x200[0-9a-f]+ <counter> if rcx == 4\n/);
    expect(r.stdout).toMatch(/Breakpoint 1, 0x200[0-9a-f]+ <counter>: inc rcx\n0x4  4\n/);
    expect(r.stdout).toMatch(/Breakpoint 2, 0x200[0-9a-f]+ <done>: mov eax, 7\n0xa  10\n/);
    expect(r.stdout).toMatch(/1    breakpoint           y    0x200[0-9a-f]+ <counter> if rcx == 4  \(hit 1 time\)/);
  });

  it('watchpoints: write (old and new value, the writing instruction), read and access', async () => {
    const r = await repl(basic, [`watch ${DATA + 8}`, 'continue', 'continue', 'delete', `rwatch ${DATA + 16} 8`, 'continue', 'print rdx']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Watchpoint 1: 8 bytes at 0x400008\n/);
    expect(r.stdout).toMatch(/Watchpoint 1 at 0x400008 by the instruction at 0x200[0-9a-f]+ <counter\+0x3>\nOld value = 0x0 \(0\)\nNew value = 0x1 \(1\)\n0x200[0-9a-f]+ <counter\+0xb>: cmp rcx, 0xa\n/);
    expect(r.stdout).toMatch(/Old value = 0x1 \(1\)\nNew value = 0x2 \(2\)/);
    expect(r.stdout).toMatch(/Read watchpoint 2 at 0x400010 by the instruction at 0x200[0-9a-f]+ <counter\+0x11>\n0x200[0-9a-f]+ <done>: mov eax, 7/);
  });

  it('catchpoints stop before the handler with vector, error code and reason; step delivers', async () => {
    const r = await repl(faultImage(), ['catch ud', 'continue', 'regs', 'step', 'info breakpoints']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Catchpoint 1: vector 6 \(#UD\)\n/);
    expect(r.stdout).toMatch(/Catchpoint 1: #UD \(vector 6\): .*UD2.*\n0x200[0-9a-f]+ <bad>: ud2\n\(the handler has not run yet/);
    expect(r.stdout).toMatch(/rip    0x0000000000200[0-9a-f]+  <bad>/);
    expect(r.stdout).toMatch(/#UD delivered: .*\n0x200[0-9a-f]+ <exc6>: push 0\n/);
    expect(r.stdout).toMatch(/catchpoint +y +vector 6 \(#UD\)  \(hit 1 time\)/);
    const gp = await repl(gpImage(), ['catch gp', 'continue']);
    expect(gp.stdout).toMatch(/Catchpoint 1: #GP \(vector 13\) error code 0x0: non-canonical address 0x8000000000000000\n0x200[0-9a-f]+ <gp>: mov \[rax\], rbx/);
    const pf = await repl(pfImage(), ['catch 14', 'continue', 'continue']);
    expect(pf.stdout).toMatch(/Catchpoint 1: #PF \(vector 14\) error code 0x2: write at 0x400000000000: not present/);
    expect(pf.stdout).toMatch(/The guest exited with status 78\./); // 0x40 + 14 from the test IDT's handler
  });

  it('run boots the image again; continue after an exit says so', async () => {
    const r = await repl(basic, ['continue', 'continue', 'run', 'regs']);
    expect(r.stdout.match(/The guest exited with status 7\./g)).toHaveLength(2);
    expect(r.stderr).toBe("error: the guest exited with status 7; 'run' boots it again\n");
  });
});

describe('x86emu repl: looking', () => {
  it('regs, sregs (bits decoded), msr, x/FMT (virtual, physical, strings, instructions), disas', async () => {
    const r = await repl(basic, ['sregs', 'msr efer', 'msr 0x1c4', 'msr IA32_XSS', 'x/8xb _start', 'x/2xg 0x2000', 'xp/4xw 0x2000', 'x/8xbp 0x2000', 'x/s 0x3000', 'x/2i _start', 'x/3dw 0x2010', 'disas func 3']);
    expect(r.stderr).toBe('');
    const o = r.stdout;
    expect(o).toMatch(/cr0    0x80010033  PE=1 MP=1 EM=0 TS=0 ET=1 NE=1 WP=1 AM=0 NW=0 CD=0 PG=1\n/);
    expect(o).toMatch(/cr4    0x00000620  .*PAE=1 .*OSFXSR=1 OSXMMEXCPT=1 .*OSXSAVE=0/);
    expect(o).toMatch(/efer   0x00000d01  SCE=1 LME=1 LMA=1 NXE=1/);
    expect(o).toMatch(/cs     0x0010 \(index 2, GDT, RPL 0\)/);
    expect(o).toMatch(/gdtr   base 0x0000000000001000 limit 0x004f/);
    expect(o).toMatch(/tr     0x0040 \(index 8, GDT, RPL 0\)  base 0x0000000000001100/);
    expect(o).toMatch(/xcr0   0x0000000000000001  x87/);
    expect(o).toMatch(/xss     0x0000000000000000  none\nxfd     0x0000000000000000  none\nxfd_err 0x0000000000000000  none/);
    expect(o).toMatch(/IA32_EFER \(0xc0000080\) = 0x0000000000000d01/);
    expect(o).toMatch(/IA32_XFD \(0x1c4\) = 0x0000000000000000/);
    expect(o).toMatch(/0x200000 <_start>:\t0x48\t0xc7\t0xc0\t0x01\t0x00\t0x00\t0x00\t0x48/);
    // boot information block at 0x2000: magic 0x3149423638786e65, version 1, size 0x60
    expect(o).toMatch(/0x2000:\t0x3149423638786e65\t0x0000006000000001/);
    expect(o).toMatch(/p:0x2000:\t0x38786e65\t0x31494236\t0x00000001\t0x00000060/);
    expect(o).toMatch(/p:0x2000:\t0x65\t0x6e\t0x78\t0x38\t0x36\t0x42\t0x49\t0x31/);
    expect(o).toMatch(/0x3000:\t""/);
    expect(o).toMatch(/=> 0x200000 <_start>:  48 c7 c0 01 00 00 00 +mov rax, 1\n   0x200007 <_start\+0x7>:/);
    expect(o).toMatch(/0x2010:\t1\t0\t\d+/); // vCPU count 1, BSP APIC id 0, RAM size low dword
    expect(o).toMatch(/func:\n   0x200[0-9a-f]+ <func>:  55 +push rbp\n   0x200[0-9a-f]+ <func\+0x1>:  48 89 e5 +mov rbp, rsp\n/);
  });

  it('vcpu, info tlb/apic/blocks/vcpus, set reg, set mem, print', async () => {
    const r = await repl(basic, ['vcpu', 'vcpu 1', 'regs', 'vcpu 0', 'step', 'info tlb', 'info tlb 0x200000', 'info apic', 'info blocks',
      'set reg rax 0x1234', 'print rax + 1', 'set mem 0x400000 de ad be ef', 'x/4xb 0x400000', 'set reg rip &done', 'print $rip'], ['--smp', '2']);
    expect(r.stderr).toBe('');
    const o = r.stdout;
    expect(o).toMatch(/\* vCPU 0  0x200000 <_start>  0 instructions\n  vCPU 1  0x0  \(halted\)  0 instructions\n/);
    expect(o).toMatch(/\[vCPU 1\] 0x0 \(halted\)\n/);
    expect(o).toMatch(/cs     0x0010  ss 0x0018  cpl 0  \(halted\)/);
    expect(o).toMatch(/vCPU 0 software TLB: \d+ valid entries \(of 1536\)\n  supervisor fetch 0x200000 +-> 0x200000/);
    expect(o).toMatch(/0x200000: physical 0x200000 \(2M page, writable, supervisor\)\n  level 4 entry at 0x10000 = 0x[0-9a-f]{16}\n  level 3 entry at 0x11000 = 0x[0-9a-f]{16}\n  level 2 entry at 0x12008 = 0x00000000002000[0-9a-f]{2}/);
    expect(o).toMatch(/x2APIC id=0 /);
    expect(o).toMatch(/decode cache: 1 blocks, generation \d+/);
    expect(o).toMatch(/rax = 0x1234\n0x1235  4661\n/);
    expect(o).toMatch(/wrote 4 bytes at 0x400000\n0x400000:\t0xde\t0xad\tbe|0x400000:\t0xde\t0xad\t0xbe\t0xef/);
    expect(o).toMatch(/0x200[0-9a-f]+  \d+  <done>\n$/);
  });

  it('the source location (file:line) of images our assembler built, and print ADDR as STRUCT', async () => {
    const r = await repl('test/repl/fixtures/structs.toml', ['disas _start 2', 'until stop', 'print rec as task', 'info structs']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/=> 0x200000 <_start>:  48 8d 3d [0-9a-f ]+ lea rdi, \[0x201000\]  <rec>    ; test\/repl\/fixtures\/structs-image\.ts:14\n/);
    expect(r.stdout).toMatch(/mov dword ptr \[rdi\], 0x2a    ; test\/repl\/fixtures\/structs-image\.ts:15\n/);
    expect(r.stdout).toMatch(/0x20001b <stop>: mov eax, 3    ; test\/repl\/fixtures\/structs-image\.ts:19\n/);
    expect(r.stdout).toContain('struct task at 0x201000 <rec> (40 bytes):\n  +0     pid              0x2a (42)\n  +8     flags            0x123456789abcdef0 (1311768467463790320)\n  +16    name             16 bytes, all zero\n  +32    next             0x0 (0)\n');
    expect(r.stdout).toContain('struct task (40 bytes, align 8): pid@0:4 flags@8:8 name@16:16 next@32:8');
  });

  it('plain ELF: symbols only; print as STRUCT says there are no layouts', async () => {
    const r = await repl(basic, ['disas _start 1', 'print 0x400000 as task']);
    expect(r.stdout).toMatch(/=> 0x200000 <_start>:  48 c7 c0 01 00 00 00 +mov rax, 1\n/);
    expect(r.stdout).not.toMatch(/;/);
    expect(r.stderr).toBe("error: the image recorded no struct layouts (a manifest's build module can export them as `structs`)\n");
  });

  it('trace on exceptions|insns prints what ran', async () => {
    const r = await repl(faultImage(), ['trace on insns', 'step 2', 'trace off insns', 'trace on exceptions', 'continue']);
    expect(r.stdout).toMatch(/\[cpu0\] 0x200000 <_start>: lea rax, \[0x200[0-9a-f]+\]/);
    expect(r.stdout).toMatch(/\[cpu0\] #UD at 0x200[0-9a-f]+ <bad>: .*UD2/);
    expect(r.stdout).toMatch(/The guest exited with status 70\./);
  });
});

describe('x86emu repl: errors are one line and the session goes on', () => {
  const CASES: [string, string][] = [
    ['frobnicate', "error: unknown command 'frobnicate' (try 'help')"],
    ['x/4xb 1 +', "error: incomplete expression '1 +'"],
    ['x/4xb 12ab', "error: bad number '12ab' (hexadecimal needs 0x)"],
    ['x/4xq 0x1000', "error: bad format '/4xq' (x/[N][FMT][SIZE], FMT one of x d u o t a c f s i, SIZE one of b h w g; p = physical)"],
    ['x/4xb 0x7fff00000000', 'error: cannot access memory at 0x7fff00000000: not mapped (level-4 entry at 0x107f8 not present)'],
    ['x/4xb 0x900000000000000', 'error: cannot access memory at 0x900000000000000: non-canonical address'],
    ['xp/4xb 0x40000000', 'error: cannot access memory at physical 0x40000000: outside RAM'],
    ['break nosuch', "error: no symbol 'nosuch'"],
    ['until nosuch', "error: no symbol 'nosuch'"],
    ['set reg xyz 1', "error: no register 'xyz'"],
    ['msr 0x12345', "error: no MSR '0x12345' on this machine"],
    ['catch 999', "error: unknown vector '999' (names: de db nmi bp of br ud nm df ts np ss gp pf mf ac mc xm ve cp; or 0..255)"],
    ['info frob', "error: unknown view 'info frob' (known: breakpoints, registers, tlb, apic, blocks, vcpus, symbols, structs)"],
    ['step 0', 'error: N must be 1..10000000, got 0'],
    ['vcpu 5', 'error: vCPU must be 0..0, got 5'],
  ];
  it('unknown command, bad expression, bad format, unmapped memory, unknown symbol, bad arguments', async () => {
    const r = await repl(basic, CASES.flatMap(([cmd]) => [cmd, 'print 1+1']));
    expect(r.stderr.split('\n').filter(Boolean)).toEqual(CASES.map(([, msg]) => msg));
    expect(r.stdout).toBe('0x2  2\n'.repeat(CASES.length)); // every next command still ran
    expect(r.status).toBe(1);
  });
});



describe('x86emu repl: --json, --script, help, completion', () => {
  it('--json prints one JSON object per command', async () => {
    const r = await repl(basic, ['step', 'regs', 'x/2xb _start', 'nosuch', 'continue'], ['--json']);
    const objs = lines(r.stdout).map((l) => JSON.parse(l));
    expect(objs.map((o) => o.cmd ?? o.event)).toEqual(['step', 'regs', 'x', 'nosuch', 'continue']);
    expect(objs[0]).toMatchObject({ ok: true, data: { kind: 'step', cpu: 0, rip: '0x200007', symbol: '_start+0x7' } });
    expect(objs[1].data).toMatchObject({ rax: '0x0000000000000001', rip: '0x0000000000200007', rflags: '0x00000002' });
    expect(objs[2].data).toEqual({ addr: '0x200000', physical: false, size: 1, format: 'x', values: ['0x48', '0xc7'] });
    expect(objs[3]).toEqual({ cmd: 'nosuch', ok: false, error: "unknown command 'nosuch' (try 'help')" });
    expect(objs[4]).toMatchObject({ ok: true, data: { kind: 'exited', status: 7 } });
    expect(r.stderr).toBe('');
  });

  it('--script FILE runs the commands and exits', async () => {
    const f = join(TMP, 'cmds.txt');
    writeFileSync(f, '# a comment\nbreak done\ncontinue\nprint rcx\n\nquit\nprint 99\n');
    const r = await cli(['repl', basic, '--script', f, '--mem', '16M']);
    expect(r.stdout).toMatch(/^Breakpoint 1 at 0x200[0-9a-f]+ <done>\nBreakpoint 1, 0x200[0-9a-f]+ <done>: mov eax, 7\n0xa  10\n$/);
    expect(r.status).toBe(0);
    expect((await cli(['repl', basic, '--script', join(TMP, 'none.txt')])).stderr).toMatch(/--script .*none.txt: no such file/);
    expect((await cli(['repl'])).stderr).toBe('x86emu: repl needs exactly one IMAGE or MANIFEST\n');
    expect((await cli(['repl', 'nonexistent.elf'])).status).toBe(2);
  });

  it('help lists every command; help NAME gives details', async () => {
    const r = await repl(basic, ['help', 'help x', 'help nosuch']);
    for (const c of ['step', 'next', 'continue', 'until', 'finish', 'run', 'break', 'watch', 'rwatch', 'awatch', 'catch', 'regs', 'sregs', 'msr', 'x', 'disas', 'vcpu', 'backtrace', 'info', 'xstate', 'xsave', 'print', 'trace', 'set', 'gdbserver', 'quit']) {
      expect(r.stdout).toMatch(new RegExp(`\\n  ${c} +\\S`));
    }
    expect(r.stdout).toMatch(/x: examine memory: x\/FMT ADDR/);
    expect(r.stderr).toBe("error: unknown command 'nosuch' (try 'help')\n");
  });

  it('tab completion: commands, symbols, registers', async () => {
    const { complete } = await import('../../emulator/repl/main.ts');
    const { loadTarget } = await import('../../emulator/repl/image.ts');
    const { Session } = await import('../../emulator/repl/session.ts');
    const s = new Session(await loadTarget(basic, { mem: '16M' }), { console: () => {}, log: () => {} });
    expect(complete(s, 'dis')[0]).toEqual(['disable', 'disas', 'disassemble']);
    expect(complete(s, 'break fu')).toEqual([['func'], 'fu']);
    expect(complete(s, 'print r1')[0]).toEqual(expect.arrayContaining(['r10', 'r11', 'r15', 'r10d']));
    expect(complete(s, 'x/4xg $rs')[0]).toEqual(expect.arrayContaining(['$rsp', '$rsi']));
    expect(complete(s, 'trace on i')).toEqual([['insns'], 'i']);
    expect(complete(s, 'info br')).toEqual([['breakpoints'], 'br']);
  });
});

export { spinImage };
