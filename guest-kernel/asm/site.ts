// Call sites: which line of the program being assembled called the builder.
// Capturing keeps the raw V8 CallSite (a few microseconds, no string work);
// turning it into "file:line" happens only when needed (errors, link), through
// whatever Error.prepareStackTrace is installed (tsx and vitest install
// source-map-aware ones), so the line is the TypeScript line.
import { fileURLToPath } from 'node:url';
import { dirname, relative, isAbsolute } from 'node:path';

interface CallSite {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
}

const ASM_DIR = dirname(fileURLToPath(import.meta.url));

function toPath(f: string): string {
  return f.startsWith('file://') ? fileURLToPath(f) : f;
}

/** A captured, not yet resolved call site. */
export class Site {
  private resolved: string | undefined;
  constructor(private readonly cs: CallSite | undefined, fixed?: string) { this.resolved = fixed; }
  toString(): string {
    if (this.resolved === undefined) this.resolved = resolve(this.cs);
    return this.resolved;
  }
}

const userFiles = new Map<string, boolean>();
const userFrame = (f: string | null | undefined): boolean => {
  if (!f) return false;
  let u = userFiles.get(f);
  if (u === undefined) {
    const p = f.startsWith('node:') ? '' : toPath(f);
    u = p !== '' && !p.startsWith(ASM_DIR + '/') && !p.includes('/node_modules/');
    userFiles.set(f, u);
  }
  return u;
};

/** The first stack frame outside guest-kernel/asm/ (and node_modules). */
export function captureSite(): Site {
  const prep = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_e, frames) => frames;
  Error.stackTraceLimit = 30;
  const holder: { stack?: unknown } = {};
  Error.captureStackTrace(holder, captureSite);
  const frames = holder.stack as CallSite[] | undefined;
  Error.prepareStackTrace = prep;
  Error.stackTraceLimit = limit;
  const frame = frames?.find((f) => userFrame(f.getFileName()));
  return new Site(frame);
}

const FRAME_RE = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/;

const resolved = new Map<string, string>();

function resolve(cs: CallSite | undefined): string {
  if (!cs) return '<unknown>';
  const key = `${cs.getFileName()}:${cs.getLineNumber()}:${cs.getColumnNumber()}`;
  let r = resolved.get(key);
  if (r === undefined) { r = resolveUncached(cs); resolved.set(key, r); }
  return r;
}

function resolveUncached(cs: CallSite): string {
  let file = cs.getFileName() ?? '<unknown>';
  let line = cs.getLineNumber() ?? 0;
  const prep = Error.prepareStackTrace;
  if (typeof prep === 'function') {
    try {
      const text = String(prep(new Error(), [cs as unknown as NodeJS.CallSite]));
      const m = FRAME_RE.exec(text.split('\n').filter((l) => l.trim().startsWith('at ')).pop() ?? '');
      if (m) { file = m[1]; line = Number(m[2]); }
    } catch {
      // fall back to the generated position
    }
  }
  const path = toPath(file);
  const rel = isAbsolute(path) ? relative(process.cwd(), path) : path;
  return `${rel.startsWith('..') ? path : rel}:${line}`;
}

/** Error raised while building or linking; the message starts with the call site. */
export class AsmError extends Error {
  constructor(readonly site: string, readonly detail: string) {
    super(`${site}: ${detail}`);
    this.name = 'AsmError';
  }
}

export function fail(site: Site | string, detail: string): never {
  throw new AsmError(String(site), detail);
}
