/**
 * Runs every case file in test/conformance/ (their `cpu` field picks the
 * model) and the shared samples: hw-genoa-sample.json (captured on AMD
 * silicon, --cpu genoa) and spr-sample.json (--cpu sapphire-rapids). One
 * test per case, named by file and case. Cases of later issues are listed in
 * pending.ts and run as expected failures.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCaseFile } from '../../emulator/conform/format.ts';
import { runCase } from '../../emulator/conform/runner.ts';
import { registerAllInsns } from '../../emulator/insns/index.ts';
import { PENDING } from './pending.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const SHARED = join(HERE, '..', '..', '..', 'shared', 'conformance');

const files: [string, string | null][] = [
  ...readdirSync(HERE).filter((f) => f.endsWith('.json')).sort().map((f) => [join(HERE, f), null] as [string, null]),
  [join(SHARED, 'hw-genoa-sample.json'), 'genoa'],
  [join(SHARED, 'spr-sample.json'), 'sapphire-rapids'],
];

registerAllInsns();

for (const [file, cpuOverride] of files) {
  const doc = parseCaseFile(readFileSync(file, 'utf8'), file);
  const cpu = cpuOverride ?? doc.cpu ?? 'sapphire-rapids';
  const short = file.split('/').slice(-1)[0];
  describe(`${short} (${cpu})`, () => {
    const table = doc.cases.map((k) => [k.name, k] as const);
    it.each(table)('%s', (name, k) => {
      const pending = PENDING[name];
      const detail = runCase(k, cpu);
      if (pending) {
        // Expected to fail until the named issue lands; remove the entry from pending.ts when it passes.
        expect(detail, `${name} passes now: remove it from test/conformance/pending.ts (${pending})`).not.toBeNull();
        return;
      }
      expect(detail, `${name}: ${detail}`).toBeNull();
    });
  });
}
