/**
 * Runs every case captured on this project's own silicon (test/conformance/host/,
 * made by tools/hw-capture) and expects each to pass, except the cases listed in
 * host-known-failures.ts: those must still fail (delete the entry when the bug is fixed).
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { parseCaseFile } from '../../emulator/conform/format.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFiles, type CaseResult } from '../../emulator/conform/runner.ts';
import { HOST_KNOWN_FAILURES } from './host-known-failures.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'host');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

for (const f of files) {
  describe(`host/${f}`, () => {
    const results: CaseResult[] = runFiles([join(DIR, f)], { cpu: 'genoa' });
    it('has cases', () => expect(results.length).toBeGreaterThan(0));
    const unexpected = results.filter((r) => !r.pass && !(r.name in HOST_KNOWN_FAILURES));
    const fixed = results.filter((r) => r.pass && r.name in HOST_KNOWN_FAILURES);
    it('every case passes, except the known failures', () => {
      expect(unexpected.map((r) => `${r.name}: ${r.detail}`)).toEqual([]);
    });
    it('known failures still fail (remove fixed ones from host-known-failures.ts)', () => {
      expect(fixed.map((r) => r.name)).toEqual([]);
    });
  });
}

it('every known failure names a captured case', () => {
  const names = new Set(files.flatMap((f) => parseCaseFile(readFileSync(join(DIR, f), 'utf8'), f).cases.map((k) => k.name)));
  expect(Object.keys(HOST_KNOWN_FAILURES).filter((n) => !names.has(n))).toEqual([]);
});
