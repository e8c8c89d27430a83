/**
 * A small option parser: `--name value`, `--name=value`, flags, positionals.
 * Unknown options are errors (exit status 2 through UsageError).
 */
export class UsageError extends Error {}

export interface OptSpec { [name: string]: 'string' | 'flag' }

export function parseArgs(argv: string[], spec: OptSpec): { opts: Record<string, string | boolean>; pos: string[] } {
  const opts: Record<string, string | boolean> = {};
  const pos: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--') { pos.push(...argv.slice(k + 1)); break; }
    if (!a.startsWith('--') || a === '-') { pos.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === 'flag') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      opts[name] = true;
    } else {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++k];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      opts[name] = v;
    }
  }
  return { opts, pos };
}

export function intOpt(v: string | boolean | undefined, name: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (typeof v !== 'string' || !/^(0x[0-9a-f]+|\d+)$/i.test(v) || !Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer ${min}..${max}, got '${v}'`);
  return n;
}
