/**
 * Prints how many handlers the dispatch switch inlines and its source size;
 * with line numbers (comma-separated) prints those lines of the generated
 * function, to read CPU-profile line ticks: npx tsx tools/dispatch-info.ts 10,24
 */
import '../emulator/machine.ts';
import { dispatchInfo, getExecRange } from '../emulator/cpu/dispatch.ts';

console.log(dispatchInfo());
const s = getExecRange().toString().split('\n');
// Profiles number the lines of a `new Function` body from the wrapper's first line: two lines before the body.
for (const n of (process.argv[2] ?? '').split(',').filter(Boolean)) console.log(n, s[Number(n) - 3]);
