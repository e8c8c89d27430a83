/**
 * The gdb stub against the real gdb (`gdb --batch -ex 'target remote :PORT'`),
 * plus a raw-protocol client for what gdb --batch cannot do (Ctrl-C = 0x03).
 *
 * gdb must be installed; this suite installs nothing. Without it every test
 * fails with the message below (CI: `apt-get install -y gdb` in .ci/run).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { basicImage, spinImage, xsaveImage, BIN, ROOT, stripNpmNoise } from '../repl/images.ts';

const HAS_GDB = spawnSync('sh', ['-c', 'command -v gdb'], { encoding: 'utf8' }).status === 0;
const NO_GDB = 'gdb is not installed: these tests drive the real gdb (install it, e.g. apt-get install -y gdb; CI: .ci/run must install it)';

interface Stub { port: number; proc: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> }

function waitFor(get: () => string, re: RegExp, ms = 30000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      const m = re.exec(get());
      if (m) return resolve(m);
      if (Date.now() - t0 > ms) return reject(new Error(`timed out waiting for ${re} in:\n${get()}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}

/** `x86emu boot IMAGE --gdb 0 [...]`: waits for the port it prints. */
async function stub(image: string, extra: string[] = []): Promise<Stub> {
  const proc = spawn(process.execPath, [BIN, 'boot', image, '--gdb', '0', '--mem', '16M', ...extra], { cwd: ROOT });
  let out = '', err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d) => { out += d; });
  proc.stderr!.setEncoding('utf8').on('data', (d) => { err += d; });
  const exit = new Promise<number | null>((r) => proc.on('close', r));
  const m = await waitFor(() => err, /gdbserver listening on 127\.0\.0\.1:(\d+) \(in gdb: target remote :\d+\)\n/);
  return { port: Number(m[1]), proc, out: () => out, err: () => stripNpmNoise(err), exit };
}

/** gdb --batch with the ELF's symbols, connected to the stub. */
function gdb(port: number, elf: string, cmds: string[]): Promise<string> {
  const args = ['--batch', '-nx', '-iex', 'set pagination off', '-iex', 'set confirm off', elf, '-ex', `target remote 127.0.0.1:${port}`];
  for (const c of cmds) args.push('-ex', c);
  return new Promise((resolve, reject) => {
    const p = spawn('gdb', args, { cwd: ROOT });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    p.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
    const t = setTimeout(() => p.kill('SIGKILL'), 60000);
    p.on('error', reject);
    p.on('close', () => { clearTimeout(t); resolve(out); });
  });
}

let basic: string, spin: string, xs: string;
beforeAll(() => {
  basic = basicImage(); spin = spinImage(); xs = xsaveImage();
});

describe('gdb remote stub, with the real gdb', () => {
  it('gdb is installed', () => {
    if (!HAS_GDB) throw new Error(NO_GDB);
  });

  it('registers, memory, breakpoints (Z0/Z1), stepi, continue to the exit', async () => {
    if (!HAS_GDB) throw new Error(NO_GDB);
    const s = await stub(basic);
    const o = await gdb(s.port, basic, [
      'info registers rip rax rsp', 'x/8xb _start', 'p $cs', 'p $fs_base',
      'break *func', 'hbreak *leaf', 'continue', 'p $rax', 'p $rbx', 'continue', 'bt',
      'stepi', 'p $pc', 'set {long}0x400000 = 0x1122334455667788', 'x/gx 0x400000', 'set $rax = 41', 'p $rax',
      'delete', 'continue',
    ]);
    expect(o).toMatch(/rip +0x200000 +0x200000 <_start>/);
    expect(o).toMatch(/rsp +0x10000 +0x10000/);
    expect(o).toMatch(/<_start>:\t0x48\t0xc7\t0xc0\t0x01\t0x00\t0x00\t0x00\t0x48/);
    expect(o).toMatch(/\$1 = 16\n\$2 = 0\n/);
    expect(o).toMatch(/Breakpoint 1 at 0x200[0-9a-f]+\nHardware assisted breakpoint 2 at 0x200[0-9a-f]+\n/);
    expect(o).toMatch(/Breakpoint 1, 0x0*200[0-9a-f]+ in func \(\)\n\$3 = 1\n\$4 = 2\n/);
    expect(o).toMatch(/Breakpoint 2, 0x0*200[0-9a-f]+ in leaf \(\)\n#0  0x0*200[0-9a-f]+ in leaf \(\)\n#1  0x0*200[0-9a-f]+ in func \(\)\n#2  0x0*200[0-9a-f]+ in _start \(\)/);
    expect(o).toMatch(/\$5 = \(void \(\*\)\(\)\) 0x200[0-9a-f]+ <leaf\+1>/);
    expect(o).toMatch(/0x400000:\t0x1122334455667788\n\$6 = 41\n/);
    expect(o).toMatch(/\[Inferior 1 \(Remote target\) exited with code 07\]/);
    expect(await s.exit).toBe(7);
  });

  it('watchpoints: write (Z2), read (Z3), access (Z4)', async () => {
    if (!HAS_GDB) throw new Error(NO_GDB);
    const s = await stub(basic);
    const o = await gdb(s.port, basic, [
      'watch *(long*)0x400008', 'continue', 'continue', 'delete',
      'rwatch *(long*)0x400010', 'continue', 'delete', 'awatch *(long*)0x400000', 'p $pc', 'kill',
    ]);
    expect(o).toMatch(/Hardware watchpoint 1: \*\(long\*\)0x400008\n\nHardware watchpoint 1: \*\(long\*\)0x400008\n\nOld value = 0\nNew value = 1\n/);
    expect(o).toMatch(/Old value = 1\nNew value = 2\n/);
    expect(o).toMatch(/Hardware read watchpoint 2: \*\(long\*\)0x400010\n\nValue = 0\n0x0*200[0-9a-f]+ in done \(\)/);
    expect(o).toMatch(/Hardware access \(read\/write\) watchpoint 3: \*\(long\*\)0x400000/);
    await s.exit;
  });

  it('the target description: x87, SSE, AVX, AVX-512 and PKRU registers', async () => {
    if (!HAS_GDB) throw new Error(NO_GDB);
    const s = await stub(xs);
    const o = await gdb(s.port, xs, [
      'break *save', 'continue', 'set $pkru = 0xc', 'break *done', 'continue',
      'p $st0', 'p/x $xmm0.uint128', 'p/x $ymm1.v2_int128', 'p/x $zmm1.v4_int128', 'p $k1', 'p/x $pkru', 'p/x $mxcsr', 'p/x $fstat', 'p/x $ftag',
      'x/2xg 0x500200', 'p/x $xmm31.uint128', 'set $k2 = 5', 'p $k2', 'kill',
    ]);
    expect(o).toMatch(/\$1 = 1\n/);
    expect(o).toMatch(/\$2 = 0xffeeddccbbaa99887766554433221100\n/);
    expect(o).toMatch(/\$3 = \{0xffeeddccbbaa99887766554433221100, 0xffeeddccbbaa9988776655443322110\}\n/);
    expect(o).toMatch(/\$4 = \{0xffeeddccbbaa99887766554433221100, 0xffeeddccbbaa9988776655443322110, 0x0, 0x0\}\n/);
    expect(o).toMatch(/\$5 = 0\n\$6 = 0xc\n\$7 = 0x1f80\n\$8 = 0x3800\n\$9 = 0x3fff\n/);
    // the XSAVEC header the guest wrote: XSTATE_BV = XCOMP_BV[62:0] = 0x207 (PKRU set through gdb)
    expect(o).toMatch(/0x500200:\t0x0000000000000207\t0x8000000000000207\n/);
    expect(o).toMatch(/\$10 = 0x0\n\$11 = 5\n/);
    await s.exit;
  });

  it('one thread per vCPU: info threads, thread N', async () => {
    if (!HAS_GDB) throw new Error(NO_GDB);
    const s = await stub(basic, ['--smp', '2']);
    const o = await gdb(s.port, basic, ['info threads', 'thread 2', 'p $pc', 'p $rdi', 'thread 1', 'p $pc', 'kill']);
    expect(o).toMatch(/\* 1 +Thread 1 \(vCPU 0\) +0x0*200000 in _start \(\)\n +2 +Thread 2 \(vCPU 1 \(halted\)\) +0x0+ in \?\? \(\)/);
    expect(o).toMatch(/\[Switching to thread 2 \(Thread 2\)\]/);
    expect(o).toMatch(/\$1 = \(void \(\*\)\(\)\) 0x0\n\$2 = 0\n/);
    expect(o).toMatch(/\$3 = \(void \(\*\)\(\)\) 0x200000 <_start>/);
    await s.exit;
  });
});

/** A minimal remote-protocol client: send a packet, read one reply. */
class Rsp {
  private buf = '';
  private waiters: (() => void)[] = [];
  constructor(private readonly sock: net.Socket) {
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => { this.buf += d; this.waiters.splice(0).forEach((w) => w()); });
  }
  static connect(port: number): Promise<Rsp> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new Rsp(s)));
      s.on('error', reject);
    });
  }
  send(body: string): void {
    let sum = 0;
    for (const ch of body) sum = (sum + ch.charCodeAt(0)) & 0xff;
    this.sock.write(`$${body}#${sum.toString(16).padStart(2, '0')}`);
  }
  raw(s: string): void { this.sock.write(s); }
  async reply(): Promise<string> {
    for (;;) {
      this.buf = this.buf.replace(/^[+-]+/, '');
      const m = /^\$([^#]*)#[0-9a-f]{2}/.exec(this.buf);
      if (m) { this.buf = this.buf.slice(m[0].length); this.sock.write('+'); return m[1]; }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  async ask(body: string): Promise<string> { this.send(body); return this.reply(); }
  close(): void { this.sock.end(); }
}

describe('gdb remote protocol, raw', () => {
  it('continue is interrupted by 0x03 (T02), and the session goes on', async () => {
    const s = await stub(spin);
    const c = await Rsp.connect(s.port);
    expect(await c.ask('qSupported:multiprocess+;swbreak+;hwbreak+')).toBe('PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+');
    expect(await c.ask('?')).toBe('T05thread:1;');
    expect(await c.ask('qfThreadInfo')).toBe('m1');
    expect(await c.ask('vCont?')).toBe('vCont;c;C;s;S');
    c.send('vCont;c');
    await new Promise((r) => setTimeout(r, 300));
    c.raw('\x03');
    expect(await c.reply()).toBe('T02thread:1;');
    // rip (register 16) is inside the spin loop; rcx (register 2) counted many iterations
    const rip = await c.ask('p10');
    expect(['00002000' + '00000000', '03002000' + '00000000']).toContain(rip);
    const rcx = BigInt('0x' + (await c.ask('p2')).match(/../g)!.reverse().join(''));
    expect(rcx > 1000n).toBe(true);
    expect(await c.ask('s')).toBe('T05thread:1;');
    expect(await c.ask('m7fff00000000,4')).toBe('E14'); // not mapped
    expect(await c.ask('m200000,3')).toBe('48ffc1'); // inc rcx
    expect(await c.ask('Z0,200000,1')).toBe('OK');
    expect(await c.ask('c')).toBe('T05thread:1;swbreak:;');
    expect(await c.ask('p10')).toBe('0000200000000000');
    expect(await c.ask('Z9,0,0')).toBe('');
    c.send('k');
    expect(await s.exit).toBe(3);
    expect(s.err()).toMatch(/killed by gdb; the guest did not exit/);
  });

  it('qXfer:features:read serves target.xml with gdb\'s standard x86-64 features', async () => {
    const s = await stub(basic);
    const c = await Rsp.connect(s.port);
    let xml = '';
    for (;;) {
      const r = await c.ask(`qXfer:features:read:target.xml:${xml.length.toString(16)},800`);
      xml += r.slice(1);
      if (r[0] === 'l') break;
    }
    expect(xml).toMatch(/^<\?xml version="1\.0"\?>\n<!DOCTYPE target SYSTEM "gdb-target\.dtd">\n<target version="1\.0">\n  <architecture>i386:x86-64<\/architecture>/);
    for (const f of ['core', 'sse', 'segments', 'avx', 'avx512', 'pkeys']) expect(xml).toContain(`<feature name="org.gnu.gdb.i386.${f}">`);
    expect(xml).toContain('<reg name="st0" bitsize="80" type="i387_ext" regnum="24"/>');
    expect(xml).toContain('<reg name="xmm0" bitsize="128" type="vec128" regnum="40"/>');
    expect(xml).toContain('<reg name="zmm31h" bitsize="256" type="v2ui128"');
    expect(xml).toContain('<reg name="pkru" bitsize="32" type="uint32"');
    c.send('D');
    expect(await c.reply()).toBe('OK');
    // detached: the guest runs to its exit
    expect(await s.exit).toBe(7);
  });

  it('gdbserver PORT from the REPL', async () => {
    if (!HAS_GDB) throw new Error(NO_GDB);
    const proc = spawn(process.execPath, [BIN, 'repl', basic, '--batch', '--mem', '16M'], { cwd: ROOT });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    const done = new Promise((r) => proc.on('close', r));
    proc.stdin.write('gdbserver 0\n');
    const m = await waitFor(() => out, /gdbserver listening on 127\.0\.0\.1:(\d+)\n/);
    const o = await gdb(Number(m[1]), basic, ['break *done', 'continue', 'p $rcx', 'detach']);
    expect(o).toMatch(/Breakpoint 1, 0x0*200[0-9a-f]+ in done \(\)\n\$1 = 10\n/);
    proc.stdin.end('regs\n');
    await done;
    expect(out).toMatch(/rcx    0x000000000000000a  10\n/);
    expect(out).toMatch(/rip    0x0000000000200[0-9a-f]+  <done>/);
  });
});
