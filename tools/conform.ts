/**
 * Developer tool: runs conformance files and prints a per-group tally.
 *   npx tsx tools/conform.ts FILE... [--cpu NAME] [--filter GLOB] [-v]
 */
import { runFiles } from '../emulator/conform/runner.ts';

const args = process.argv.slice(2);
const files: string[] = [];
let cpu: string | undefined, filter: string | undefined, verbose = false;
for (let k = 0; k < args.length; k++) {
  if (args[k] === '--cpu') cpu = args[++k];
  else if (args[k] === '--filter') filter = args[++k];
  else if (args[k] === '-v') verbose = true;
  else files.push(args[k]);
}
let p = 0, f = 0;
const groups: Record<string, [number, number]> = {};
runFiles(files, {
  cpu, filter,
  onResult: (r) => {
    const g = r.name.split('/')[0];
    groups[g] ??= [0, 0];
    if (r.pass) { p++; groups[g][0]++; } else { f++; groups[g][1]++; if (verbose) console.log(`FAIL ${r.name}: ${r.detail}`); }
  },
});
for (const [g, [a, b]] of Object.entries(groups)) console.log(`${g.padEnd(14)} ${a} passed, ${b} failed`);
console.log(`${p} passed, ${f} failed`);
