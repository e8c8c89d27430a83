/**
 * Runs conformance cases, each on a fresh machine, and reports per case.
 */
import { readFileSync } from 'node:fs';
import { parseCaseFile, type Case } from './format.ts';
import { setupCase, SetupError } from './setup.ts';
import { firstDifference } from './compare.ts';

export const CASE_INSN_LIMIT = 100000;

export interface CaseResult { file: string; name: string; pass: boolean; detail: string | null }

export function runCase(k: Case, cpuModel: string): string | null {
  let cm;
  try {
    cm = setupCase(k, cpuModel);
  } catch (e) {
    if (e instanceof SetupError) return `setup: ${e.message}`;
    throw e;
  }
  const stop = cm.m.run(CASE_INSN_LIMIT);
  return firstDifference(k, cm, stop);
}

/** A glob with `*` and `?` over case names. */
export function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`);
}

export interface RunOptions { cpu?: string; filter?: string; onResult?: (r: CaseResult) => void }

/** Runs every case of `files`; the CPU model is `opts.cpu`, else the file's `cpu`, else the default. */
export function runFiles(files: string[], opts: RunOptions = {}): CaseResult[] {
  const re = opts.filter ? globToRegExp(opts.filter) : null;
  const out: CaseResult[] = [];
  for (const file of files) {
    const doc = parseCaseFile(readFileSync(file, 'utf8'), file);
    const model = opts.cpu ?? doc.cpu ?? 'sapphire-rapids';
    for (const k of doc.cases) {
      if (re && !re.test(k.name)) continue;
      let detail: string | null;
      try {
        detail = runCase(k, model);
      } catch (e) {
        detail = `emulator error: ${(e as Error).stack ?? e}`;
      }
      const r = { file, name: k.name, pass: detail === null, detail };
      out.push(r);
      opts.onResult?.(r);
    }
  }
  return out;
}
