/** The built-in REPL commands, registered through the same registry extensions use. */
import { defineCommand, defineInfoView, REGISTRY, ReplError, type CommandContext, type CommandOutput } from './registry.ts';
import type { Session, StopEvent } from './session.ts';
import { regsView, sregsView, msrView, parseXFormat, examine, disasView, backtraceView, tlbView, apicView, blocksView, type XFormat } from './views.ts';
import { xstateView, xsaveAreaView } from './xstate.ts';
import { REGISTER_NAMES, regAccess } from './regs.ts';
import { writeLinear, writePhys, readLinear, leToBig, hexAddr } from './memory.ts';
import { compile } from './expr.ts';
import { SYNTAXES, setSyntax } from './disasm.ts';
import { VECTOR_NAMES } from '../faults.ts';

const owner = 'core';

/** Completes symbols and register names (the default for commands taking expressions). */
export function completeExpr(partial: string, _args: string[], ctx: { session: Session }): string[] {
  const p = partial.replace(/^[*&[$]+/, '');
  const pre = partial.slice(0, partial.length - p.length);
  const pool = [...REGISTER_NAMES, ...ctx.session.symbols.names()];
  return pool.filter((n) => n.startsWith(p)).map((n) => pre + n);
}

function stopResult(s: Session, ev: StopEvent): CommandOutput {
  const data: Record<string, unknown> = { ...ev };
  if ('cpu' in ev && ev.kind !== 'triple-fault') {
    const c = s.m.cpus[ev.cpu];
    data.rip = hexAddr(c.rip);
    data.symbol = s.symbols.describe(c.rip) || null;
    data.source = s.symbols.source(c.rip)?.site ?? null;
  }
  if ('addr' in ev && typeof ev.addr === 'number') data.addr = hexAddr(ev.addr);
  if ('writer' in ev && typeof ev.writer === 'number') data.writer = Number.isNaN(ev.writer) ? null : hexAddr(ev.writer);
  if ('rip' in ev && typeof (ev as { rip?: unknown }).rip === 'number') data.faultRip = hexAddr((ev as { rip: number }).rip);
  if (ev.kind === 'catch') data.vectorName = VECTOR_NAMES[ev.vector] ?? null;
  return { text: s.describeStop(ev), data };
}

function intArg(v: string | undefined, what: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) throw new ReplError(`${what} must be a number, got '${v}'`);
  const n = Number(v);
  if (n < min || n > max) throw new ReplError(`${what} must be ${min}..${max}, got ${v}`);
  return n;
}

/** `foo`, `*0x200000`, `0x200000`, `foo+8`: a code location. */
function location(ctx: CommandContext, spec: string): number {
  return ctx.address(spec.replace(/^\*/, ''));
}

// ------------------------------------------------------------------- execution
defineCommand({
  name: 'step', aliases: ['s', 'si', 'stepi'], owner,
  summary: 'execute N instructions of the selected vCPU (default 1); the other vCPUs stay stopped',
  help: 'step [N]   single-step the selected vCPU N instructions; stops early at a breakpoint, watchpoint, catchpoint, HLT or exit',
  run(args, ctx) {
    const n = intArg(args[0], 'N', 1, 10_000_000, 1);
    let ev: StopEvent = { kind: 'step', cpu: ctx.cpu.id };
    const c = ctx.cpu;
    for (let k = 0; k < n; k++) {
      ev = ctx.session.stepInsn(c);
      if (ev.kind !== 'step') break;
    }
    return stopResult(ctx.session, ev);
  },
});

defineCommand({
  name: 'next', aliases: ['n', 'ni', 'nexti'], owner,
  summary: 'step one instruction, stepping over CALLs',
  help: 'next   like step, but a CALL runs (all vCPUs) until it returns to the next instruction',
  async run(_args, ctx) { return stopResult(ctx.session, await ctx.session.nextInsn()); },
});

defineCommand({
  name: 'continue', aliases: ['c', 'cont'], owner,
  summary: 'run all vCPUs until a breakpoint, watchpoint, catchpoint, exit or Ctrl-C',
  async run(_args, ctx) { return stopResult(ctx.session, await ctx.session.resume()); },
});

defineCommand({
  name: 'until', aliases: ['u'], owner, complete: completeExpr,
  summary: 'run until the selected vCPU reaches ADDR or SYMBOL',
  help: 'until ADDR|SYMBOL',
  async run(args, ctx) {
    if (!ctx.raw.trim()) throw new ReplError('until needs ADDR or SYMBOL');
    return stopResult(ctx.session, await ctx.session.runUntil(location(ctx, ctx.raw.trim())));
  },
});

defineCommand({
  name: 'finish', aliases: ['fin'], owner,
  summary: 'run until the current function returns (frame pointers, or the return address at a function entry)',
  async run(_args, ctx) {
    let ra: number;
    try { ra = ctx.session.returnAddress().ra; } catch (e) { throw new ReplError((e as Error).message); }
    const ev = await ctx.session.finish();
    const out = stopResult(ctx.session, ev) as { text: string; data: Record<string, unknown> };
    return { text: `Run till exit to ${ctx.session.fmt(ra)}\n${out.text}`, data: { ...out.data, returnTo: hexAddr(ra) } };
  },
});

defineCommand({
  name: 'run', aliases: ['r'], owner,
  summary: 'boot the image (again, from its entry point) and continue; breakpoints are kept',
  async run(_args, ctx) {
    const s = ctx.session;
    if (s.running) throw new ReplError('the guest is running');
    if (s.started || s.terminal) s.boot();
    return stopResult(s, await s.resume());
  },
});

// ------------------------------------------------------------------- breakpoints
defineCommand({
  name: 'break', aliases: ['b', 'hbreak'], owner, complete: completeExpr,
  summary: 'set a breakpoint at ADDR or SYMBOL, optionally conditional: break foo if rax == 3',
  help: 'break ADDR|SYMBOL [if EXPR]   EXPR over registers, symbols and memory ([rdi], byte[rsi+1]); stops when non-zero',
  run(_args, ctx) {
    const raw = ctx.raw.trim();
    if (!raw) throw new ReplError('break needs ADDR or SYMBOL');
    const m = /^(.*?)\s+if\s+(.+)$/.exec(raw);
    const where = (m ? m[1] : raw).trim();
    const cond = m?.[2].trim();
    if (cond) compile(cond); // syntax errors now, not at the first hit
    const addr = location(ctx, where);
    const bp = ctx.session.addBreakpoint(addr, where, { cond });
    return { text: `Breakpoint ${bp.id} at ${ctx.session.fmt(addr)}${cond ? ` if ${cond}` : ''}`, data: { id: bp.id, addr: hexAddr(addr), cond: cond ?? null } };
  },
});

function watchCmd(name: string, kind: 'write' | 'read' | 'access', aliases: string[], summary: string) {
  defineCommand({
    name, aliases, owner, complete: completeExpr, summary,
    help: `${name} ADDR [LEN]   LEN bytes (default 8) at linear ADDR${kind === 'write' ? ' (stops after an instruction that changed them)' : ''}`,
    run(args, ctx) {
      const raw = ctx.raw.trim();
      if (!raw) throw new ReplError(`${name} needs ADDR [LEN]`);
      const m = /^(.*?)(?:\s+(\d+|0x[0-9a-f]+))?$/i.exec(raw)!;
      const addr = ctx.address(m[1]);
      const len = intArg(m[2], 'LEN', 1, 4096, 8);
      const w = ctx.session.addWatchpoint(addr, len, kind, m[1]);
      return { text: `${kind === 'write' ? 'Watchpoint' : kind === 'read' ? 'Read watchpoint' : 'Access watchpoint'} ${w.id}: ${len} bytes at ${ctx.session.fmt(addr)}`, data: { id: w.id, addr: hexAddr(addr), len, kind } };
    },
  });
}
watchCmd('watch', 'write', ['w'], 'stop when memory at ADDR changes (checked after every instruction)');
watchCmd('rwatch', 'read', [], 'stop after an instruction reads memory at ADDR');
watchCmd('awatch', 'access', [], 'stop after an instruction reads or writes memory at ADDR');

const VECTOR_BY_NAME: Record<string, number> = {};
for (const [v, n] of Object.entries(VECTOR_NAMES)) VECTOR_BY_NAME[n.replace('#', '').toLowerCase()] = Number(v);

defineCommand({
  name: 'catch', owner,
  summary: 'stop before an exception or interrupt vector is delivered: catch nm | catch gp | catch 14',
  help: `catch VECTOR...   by name (${Object.keys(VECTOR_BY_NAME).join(' ')}) or number 0..255; reports vector, error code and the fault's reason`,
  complete: (p) => Object.keys(VECTOR_BY_NAME).filter((n) => n.startsWith(p)),
  run(args, ctx) {
    if (!args.length) throw new ReplError('catch needs a vector (e.g. catch gp, catch 14)');
    const out: string[] = [];
    const data: unknown[] = [];
    for (const a of args) {
      const key = a.replace(/^#/, '').toLowerCase();
      const v = key in VECTOR_BY_NAME ? VECTOR_BY_NAME[key] : /^(0x[0-9a-f]+|\d+)$/i.test(key) ? Number(key) : NaN;
      if (!(v >= 0 && v <= 255)) throw new ReplError(`unknown vector '${a}' (names: ${Object.keys(VECTOR_BY_NAME).join(' ')}; or 0..255)`);
      const cp = ctx.session.addCatchpoint(v, a);
      out.push(`Catchpoint ${cp.id}: vector ${v}${VECTOR_NAMES[v] ? ` (${VECTOR_NAMES[v]})` : ''}`);
      data.push({ id: cp.id, vector: v });
    }
    return { text: out.join('\n'), data };
  },
});

defineCommand({
  name: 'delete', aliases: ['d'], owner,
  summary: 'delete breakpoints, watchpoints or catchpoints by number (all without arguments)',
  run(args, ctx) {
    const s = ctx.session;
    if (!args.length) {
      for (const id of [...s.bps.keys(), ...s.watches.keys(), ...s.catches.keys()]) s.deleteBreakpoint(id);
      return { text: 'Deleted all breakpoints, watchpoints and catchpoints.', data: { deleted: 'all' } };
    }
    for (const a of args) {
      const id = intArg(a, 'breakpoint number', 1, 1e9, 0);
      if (!s.deleteBreakpoint(id)) throw new ReplError(`no breakpoint number ${a}`);
    }
    return { text: `Deleted ${args.join(', ')}.`, data: { deleted: args.map(Number) } };
  },
});

for (const [name, en] of [['enable', true], ['disable', false]] as const) {
  defineCommand({
    name, owner, summary: `${name} breakpoints by number`,
    run(args, ctx) {
      const s = ctx.session;
      const ids = args.length ? args.map((a) => intArg(a, 'breakpoint number', 1, 1e9, 0)) : [...s.bps.keys()].filter((k) => k > 0);
      for (const id of ids) {
        const bp = s.bps.get(id);
        if (!bp) throw new ReplError(`no breakpoint number ${id}`);
        bp.enabled = en;
      }
      s.updateHook();
      return { text: `${en ? 'Enabled' : 'Disabled'} ${ids.join(', ') || 'nothing'}.`, data: { ids, enabled: en } };
    },
  });
}

// ------------------------------------------------------------------- looking
defineCommand({ name: 'regs', aliases: ['registers'], owner, summary: 'general registers, RIP with symbol+offset, RFLAGS decoded', run: (_a, ctx) => regsView(ctx.session, ctx.cpu) });
defineCommand({ name: 'sregs', owner, summary: 'control registers bit by bit, EFER, segments, GDTR/IDTR/TR, XCR0, XSS, XFD, XFD_ERR', run: (_a, ctx) => sregsView(ctx.session, ctx.cpu) });
defineCommand({
  name: 'msr', owner, summary: 'read an MSR by number or name (all registered MSRs without an argument)',
  help: 'msr [N|NAME]   e.g. msr 0xc0000080, msr IA32_XFD, msr xss',
  complete: (p, _a, ctx) => ctx.session.m.msrs.all().map((d) => d.name).filter((n) => !n.startsWith('X2APIC') && n.toLowerCase().startsWith(p.toLowerCase())),
  run: (args, ctx) => msrView(ctx.session, ctx.cpu, args[0]),
});

let lastX: XFormat = { count: 1, fmt: 'x', size: 4, phys: false };
function examineCmd(name: string, phys: boolean) {
  defineCommand({
    name, owner, complete: completeExpr,
    summary: phys ? 'examine physical memory: xp/FMT PADDR' : 'examine memory: x/FMT ADDR (x/16xb, x/4xg, x/s, x/i; add p for physical: x/8xbp 0x1000)',
    help: `${name}/[N][FMT][SIZE] ADDR   FMT: x hex, d signed, u unsigned, o octal, t binary, c char, a address, f float, s string, i instruction; SIZE: b h w g`,
    run(_args, ctx) {
      const f = parseXFormat(ctx.fmt, lastX);
      if (phys) f.phys = true;
      lastX = { ...f, count: 1 };
      const expr = ctx.raw.trim();
      if (!expr) throw new ReplError(`${name} needs an address`);
      const v = ctx.evaluate(expr);
      const addr = f.phys ? Number(v) : Number(BigInt.asIntN(64, v));
      return examine(ctx.session, ctx.cpu, f, addr);
    },
  });
}
examineCmd('x', false);
examineCmd('xp', true);

defineCommand({
  name: 'disas', aliases: ['disassemble'], owner, complete: completeExpr,
  summary: 'disassemble N instructions (default 10) at ADDR (default RIP), with symbols and file:line',
  help: 'disas [ADDR] [N]',
  run(args, ctx) {
    const raw = ctx.raw.trim();
    let addr = ctx.cpu.rip, n = 10;
    if (raw) {
      const m = /^(.*?)(?:\s+(\d+))?$/.exec(raw)!;
      if (m[1]) addr = ctx.address(m[1]);
      else if (m[2]) { n = Number(m[2]); }
      if (m[1] && m[2]) n = Number(m[2]);
      if (!m[1] && !m[2]) addr = ctx.address(raw);
    }
    if (n < 1 || n > 10000) throw new ReplError('N must be 1..10000');
    return disasView(ctx.session, ctx.cpu, addr, n);
  },
});

defineCommand({ name: 'backtrace', aliases: ['bt', 'where'], owner, summary: 'call stack by frame pointers (RBP chain)', run: (_a, ctx) => backtraceView(ctx.session, ctx.cpu) });

defineCommand({
  name: 'vcpu', aliases: ['thread'], owner,
  summary: 'select vCPU N (list them without an argument)',
  run(args, ctx) {
    const s = ctx.session;
    if (args.length) {
      const n = intArg(args[0], 'vCPU', 0, s.m.cpus.length - 1, 0);
      s.cur = n;
    }
    const rows = s.m.cpus.map((c) => ({ id: c.id, rip: hexAddr(c.rip), symbol: s.symbols.describe(c.rip) || null, halted: c.halted, icount: c.icount, selected: c.id === s.cur }));
    const text = args.length
      ? `[vCPU ${s.cur}] ${s.fmt(s.cpu.rip)}${s.cpu.halted ? ' (halted)' : ''}`
      : rows.map((r) => `${r.selected ? '*' : ' '} vCPU ${r.id}  ${s.fmt(s.m.cpus[r.id].rip)}${r.halted ? '  (halted)' : ''}  ${r.icount} instructions`).join('\n');
    return { text, data: args.length ? rows[s.cur] : rows };
  },
});

// ------------------------------------------------------------------- info
/** gdb's short forms. */
const INFO_ALIASES: Record<string, string> = { b: 'breakpoints', br: 'breakpoints', break: 'breakpoints', watch: 'breakpoints', watchpoints: 'breakpoints', r: 'registers', reg: 'registers', threads: 'vcpus', sym: 'symbols' };

defineCommand({
  name: 'info', aliases: ['i'], owner,
  summary: 'info breakpoints|registers|tlb [ADDR]|apic|blocks|vcpus|symbols|structs|… (extensions add views)',
  complete: (p) => [...REGISTRY.infoViews.keys()].filter((n) => n.startsWith(p)),
  async run(args, ctx) {
    const [what, ...rest] = args;
    if (!what) throw new ReplError(`info needs a view: ${[...REGISTRY.infoViews.keys()].join(', ')}`);
    const hits = [...REGISTRY.infoViews.keys()].filter((n) => n === what || n.startsWith(what));
    const alias = INFO_ALIASES[what];
    const view = REGISTRY.infoViews.get(alias ?? what) ?? (hits.length === 1 ? REGISTRY.infoViews.get(hits[0]) : undefined);
    if (!view) throw new ReplError(`unknown view 'info ${what}' (known: ${[...REGISTRY.infoViews.keys()].join(', ')})`);
    return view.run(rest, { ...ctx, raw: ctx.raw.trim().slice(what.length).trim() });
  },
});

defineInfoView({
  name: 'breakpoints', owner, summary: 'breakpoints, watchpoints and catchpoints',
  run(_a, ctx) {
    const s = ctx.session;
    const rows: Record<string, unknown>[] = [];
    for (const b of s.bps.values()) if (!b.temp) rows.push({ id: b.id, type: b.hw ? 'hw breakpoint' : 'breakpoint', enabled: b.enabled, addr: hexAddr(b.addr), what: s.fmt(b.addr), cond: b.cond ?? null, hits: b.hits, origin: b.origin });
    for (const w of s.watches.values()) rows.push({ id: w.id, type: `${w.kind} watchpoint`, enabled: true, addr: hexAddr(w.addr), what: `${w.len} bytes at ${s.fmt(w.addr)}`, cond: null, hits: w.hits, origin: w.origin });
    for (const c of s.catches.values()) rows.push({ id: c.id, type: 'catchpoint', enabled: true, addr: null, what: `vector ${c.vector}${VECTOR_NAMES[c.vector] ? ` (${VECTOR_NAMES[c.vector]})` : ''}`, cond: null, hits: c.hits, origin: 'repl' });
    rows.sort((a, b) => (a.id as number) - (b.id as number));
    const text = rows.length ? ['Num  Type                 Enb  What', ...rows.map((r) => `${String(r.id).padEnd(4)} ${String(r.type).padEnd(20)} ${r.enabled ? 'y' : 'n'}    ${r.what}${r.cond ? ` if ${r.cond}` : ''}${r.hits ? `  (hit ${r.hits} time${r.hits === 1 ? '' : 's'})` : ''}`)].join('\n') : 'No breakpoints, watchpoints or catchpoints.';
    return { text, data: rows };
  },
});
defineInfoView({ name: 'registers', owner, summary: 'same as regs', run: (_a, ctx) => regsView(ctx.session, ctx.cpu) });
defineInfoView({ name: 'tlb', owner, summary: 'the vCPU\'s software TLB, or the page walk of ADDR', run: (a, ctx) => tlbView(ctx.session, ctx.cpu, a[0], a.length ? ctx.address(ctx.raw) : undefined) });
defineInfoView({ name: 'apic', owner, summary: 'the selected vCPU\'s x2APIC', run: (_a, ctx) => apicView(ctx.session, ctx.cpu) });
defineInfoView({ name: 'blocks', owner, summary: 'decode cache size', run: (_a, ctx) => blocksView(ctx.session) });
defineInfoView({ name: 'vcpus', owner, summary: 'same as vcpu', run: (_a, ctx) => REGISTRY.get('vcpu')!.run([], ctx) });
defineInfoView({
  name: 'symbols', owner, summary: 'symbols of the image (matching a substring)',
  run(a, ctx) {
    const s = ctx.session;
    const names = s.symbols.names().filter((n) => !a[0] || n.includes(a[0]));
    const rows = names.map((n) => s.symbols.lookup(n)!).sort((x, y) => x.addr - y.addr);
    return { text: rows.map((r) => `${hexAddr(r.addr).padEnd(20)} ${r.name}${r.size ? `  (${r.size} bytes)` : ''}`).join('\n') || 'No symbols.', data: rows.map((r) => ({ name: r.name, addr: hexAddr(r.addr), size: r.size })) };
  },
});
defineInfoView({
  name: 'structs', owner, summary: 'struct layouts recorded by the image\'s build',
  run(_a, ctx) {
    const st = ctx.session.target.structs;
    if (!st.size) throw new ReplError('the image recorded no struct layouts (a manifest\'s build module can export them as `structs`)');
    const lines: string[] = [];
    for (const s of st.values()) lines.push(`struct ${s.name} (${s.size} bytes, align ${s.align}): ${Object.entries(s.fields).map(([n, f]) => `${n}@${f.offset}:${f.size}`).join(' ')}`);
    return { text: lines.join('\n'), data: [...st.values()].map((s) => ({ name: s.name, size: s.size, align: s.align, fields: s.fields })) };
  },
});

// ------------------------------------------------------------------- extended state
defineCommand({ name: 'xstate', owner, summary: 'every XSAVE component of the selected vCPU with its XINUSE bit', run: (_a, ctx) => xstateView(ctx.session, ctx.cpu) });
defineCommand({
  name: 'xsave', owner, complete: completeExpr,
  summary: 'decode the XSAVE area at ADDR (standard or compacted), flagging mismatches against CPUID and XCR0/IA32_XSS',
  run(_a, ctx) {
    const raw = ctx.raw.trim();
    if (!raw) throw new ReplError('xsave needs ADDR');
    return xsaveAreaView(ctx.session, ctx.cpu, ctx.address(raw));
  },
});

// ------------------------------------------------------------------- structures and values
defineCommand({
  name: 'print', aliases: ['p'], owner, complete: completeExpr,
  summary: 'print EXPR, or print ADDR as STRUCT (layouts from the image\'s build)',
  help: 'print EXPR | print ADDR as STRUCT',
  run(_a, ctx) {
    const raw = ctx.raw.trim();
    if (!raw) throw new ReplError('print needs an expression');
    const m = /^(.*)\s+as\s+([\w.$]+)$/.exec(raw);
    if (!m) {
      const v = ctx.evaluate(raw);
      const a = Number(BigInt.asIntN(64, v));
      const sym = ctx.session.symbols.describe(a);
      return { text: `0x${v.toString(16)}  ${BigInt.asIntN(64, v)}${sym ? `  <${sym}>` : ''}`, data: { value: `0x${v.toString(16)}`, signed: BigInt.asIntN(64, v).toString(), symbol: sym || null } };
    }
    const structs = ctx.session.target.structs;
    if (!structs.size) throw new ReplError('the image recorded no struct layouts (a manifest\'s build module can export them as `structs`)');
    const st = structs.get(m[2]);
    if (!st) throw new ReplError(`no struct '${m[2]}' (known: ${[...structs.keys()].join(', ')})`);
    const addr = ctx.address(m[1]);
    const b = readLinear(ctx.cpu, addr, st.size);
    const lines = [`struct ${st.name} at ${ctx.session.fmt(addr)} (${st.size} bytes):`];
    const fields: Record<string, string> = {};
    for (const [name, f] of Object.entries(st.fields)) {
      let v: string;
      if (f.size === 1 || f.size === 2 || f.size === 4 || f.size === 8) {
        const n = leToBig(b, f.offset, f.size);
        v = `0x${n.toString(16)} (${n})`;
        fields[name] = `0x${n.toString(16)}`;
      } else {
        const bytes = Array.from(b.subarray(f.offset, f.offset + f.size), (x) => x.toString(16).padStart(2, '0'));
        const zero = bytes.every((x) => x === '00');
        v = zero ? `${f.size} bytes, all zero` : bytes.length > 32 ? `${bytes.slice(0, 32).join(' ')} … (${f.size} bytes)` : bytes.join(' ');
        fields[name] = bytes.join('');
      }
      lines.push(`  +${String(f.offset).padEnd(5)} ${name.padEnd(16)} ${v}`);
    }
    return { text: lines.join('\n'), data: { struct: st.name, addr: hexAddr(addr), fields } };
  },
});

defineCommand({
  name: 'trace', owner,
  summary: 'trace on|off [exceptions|insns|xstate|all] (default exceptions)',
  complete: (p, args) => (args.length === 0 ? ['on', 'off'] : ['exceptions', 'insns', 'xstate', 'all']).filter((n) => n.startsWith(p)),
  run(args, ctx) {
    const s = ctx.session;
    if (!args.length) return { text: `trace: exceptions ${s.trace.exceptions ? 'on' : 'off'}, insns ${s.trace.insns ? 'on' : 'off'}, xstate ${s.trace.xstate ? 'on' : 'off'}`, data: { ...s.trace } };
    const on = args[0] === 'on' ? true : args[0] === 'off' ? false : null;
    if (on === null) throw new ReplError(`trace on|off [exceptions|insns|xstate|all], got '${args[0]}'`);
    const kinds = args.length > 1 ? args.slice(1) : ['exceptions'];
    for (const k of kinds) {
      if (k === 'all') { s.trace.exceptions = s.trace.insns = s.trace.xstate = on; continue; }
      if (!(k in s.trace)) throw new ReplError(`unknown trace kind '${k}' (exceptions, insns, xstate, all)`);
      s.trace[k as keyof typeof s.trace] = on;
    }
    s.updateHook();
    return { text: `trace: exceptions ${s.trace.exceptions ? 'on' : 'off'}, insns ${s.trace.insns ? 'on' : 'off'}, xstate ${s.trace.xstate ? 'on' : 'off'}`, data: { ...s.trace } };
  },
});

defineCommand({
  name: 'set', owner,
  summary: 'set reg NAME VALUE | set mem ADDR BYTES... | set pmem PADDR BYTES... | set syntax intel|gas|nasm|masm',
  complete: (p, args, ctx) => (args.length === 0 ? ['reg', 'mem', 'pmem', 'syntax'] : args[0] === 'reg' && args.length === 1 ? REGISTER_NAMES : args[0] === 'syntax' ? Object.keys(SYNTAXES) : completeExpr(p, args, ctx)).filter((n) => n.startsWith(p)),
  run(args, ctx) {
    const [what, ...rest] = args;
    if (what === 'reg') {
      if (rest.length < 2) throw new ReplError('set reg NAME VALUE');
      const r = regAccess(rest[0]);
      if (!r) throw new ReplError(`no register '${rest[0]}'`);
      const v = ctx.evaluate(rest.slice(1).join(' '));
      r.set(ctx.cpu, v);
      return { text: `${rest[0]} = 0x${r.get(ctx.cpu).toString(16)}`, data: { reg: rest[0], value: `0x${r.get(ctx.cpu).toString(16)}` } };
    }
    if (what === 'mem' || what === 'pmem') {
      if (rest.length < 2) throw new ReplError(`set ${what} ADDR BYTES...`);
      const bytes = rest.slice(1).map((b) => {
        if (!/^(0x[0-9a-f]{1,2}|[0-9a-f]{1,2})$/i.test(b)) throw new ReplError(`'${b}' is not a byte (hex, e.g. 0x90 or 90)`);
        return parseInt(b.replace(/^0x/i, ''), 16);
      });
      const v = ctx.evaluate(rest[0]);
      if (what === 'pmem') writePhys(ctx.session.m.mem, Number(v), Uint8Array.from(bytes));
      else writeLinear(ctx.cpu, Number(BigInt.asIntN(64, v)), Uint8Array.from(bytes));
      return { text: `wrote ${bytes.length} byte${bytes.length === 1 ? '' : 's'} at ${what === 'pmem' ? `physical 0x${v.toString(16)}` : ctx.session.fmt(Number(BigInt.asIntN(64, v)))}`, data: { addr: `0x${v.toString(16)}`, bytes: bytes.length } };
    }
    if (what === 'syntax') {
      if (!rest[0] || !(rest[0] in SYNTAXES)) throw new ReplError(`set syntax ${Object.keys(SYNTAXES).join('|')}`);
      setSyntax(rest[0]);
      return { text: `syntax ${rest[0]}`, data: { syntax: rest[0] } };
    }
    throw new ReplError(`set reg NAME VALUE | set mem ADDR BYTES... | set pmem PADDR BYTES... | set syntax NAME${what ? ` (not '${what}')` : ''}`);
  },
});

defineCommand({
  name: 'help', aliases: ['h', '?'], owner,
  summary: 'list commands, or help COMMAND',
  complete: (p) => REGISTRY.allNames().filter((n) => n.startsWith(p)),
  run(args, ctx) {
    if (args[0]) {
      const d = REGISTRY.get(args[0]);
      if (!d) throw new ReplError(`unknown command '${args[0]}' (try 'help')`);
      return { text: `${d.name}${d.aliases?.length ? ` (${d.aliases.join(', ')})` : ''}: ${d.summary}${d.help ? `\n  ${d.help}` : ''}`, data: { name: d.name, aliases: d.aliases ?? [], summary: d.summary, help: d.help ?? null, owner: d.owner ?? null } };
    }
    const all = REGISTRY.all();
    const lines = all.map((d) => `  ${d.name.padEnd(11)} ${d.summary}`);
    return { text: ['commands (help NAME for details):', ...lines].join('\n'), data: all.map((d) => ({ name: d.name, aliases: d.aliases ?? [], summary: d.summary, owner: d.owner ?? null })) };
    void ctx;
  },
});
