/**
 * Text for `x86emu cpus [NAME]` (the CLI prints what this returns).
 *
 *   cpusReport(name?: string): string   every model, or just NAME (unknown NAME throws the
 *                                       loader's error listing the known models)
 *
 * Per model: identity, default marker, what the guest is advertised and what is masked
 * (features and XSAVE components), from describeModel() under the current implemented set.
 */

import { describeModel, xcr0Supported, xssSupported } from './cpuid.ts';
import { DEFAULT_MODEL, listModels, loadModel } from './load.ts';

function wrap(items: string[], indent: string, width = 96): string {
  if (items.length === 0) return `${indent}(none)`;
  const lines: string[] = [];
  let cur = indent;
  for (const it of items) {
    if (cur.length + it.length + 1 > width && cur.trim()) {
      lines.push(cur.trimEnd());
      cur = indent;
    }
    cur += `${it} `;
  }
  lines.push(cur.trimEnd());
  return lines.join('\n');
}

export function cpusReport(name?: string): string {
  const names = name === undefined ? listModels() : [loadModel(name).name];
  const out: string[] = [];
  for (const n of names) {
    const m = loadModel(n);
    const d = describeModel(m);
    out.push(
      `${m.name}${m.name === DEFAULT_MODEL ? ' (default)' : ''}: ${m.brand}, ${m.vendorString} ` +
        `family ${m.family} model ${m.model} stepping ${m.stepping}`,
      `  XCR0 supported 0x${xcr0Supported(m).toString(16)} (part: 0x${m.xsave.xcr0Supported.toString(16)}), ` +
        `XSS supported 0x${xssSupported(m).toString(16)} (part: 0x${m.xsave.xssSupported.toString(16)})`,
      `  advertises (${d.advertised.length}):`,
      wrap(d.advertised, '    '),
      `  masks (${d.masked.length}):`,
      wrap(d.masked, '    '),
      `  xsave components advertised: ${d.xstate.advertised.join(', ') || '(none)'}`,
      `  xsave components masked: ${d.xstate.masked.join(', ') || '(none)'}`,
      '',
    );
  }
  return out.join('\n');
}
