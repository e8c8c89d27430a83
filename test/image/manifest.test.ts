/** Image manifests: parsing, errors naming file/line/key, and build caching. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync, utimesSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadManifest, parseSize, ManifestError } from '../../emulator/image/manifest.ts';
import { buildImage } from '../../emulator/image/build.ts';
import { readElf } from '../../guest-kernel/asm/elf-reader.ts';

/** A scratch project: package.json marks the root that manifest paths are relative to. */
function project(manifest: string, files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'x86emu-mf-'));
  writeFileSync(join(root, 'package.json'), '{}');
  mkdirSync(join(root, 'images'));
  for (const [p, text] of Object.entries(files)) { mkdirSync(join(root, p, '..'), { recursive: true }); writeFileSync(join(root, p), text); }
  writeFileSync(join(root, 'images/test.toml'), manifest);
  return join(root, 'images/test.toml');
}

const KERNEL_TS = `
import { Asm } from '${join(__dirname, '../../guest-kernel/asm/index.ts')}';
export function build() { const a = new Asm({ base: 0x200000n }); a.label('_start'); a.hlt(); return a.link(); }
`;

describe('manifest parsing', () => {
  it('reads machine, kernel and modules with defaults', () => {
    const f = project('[machine]\nvcpus = 2\nmemory = "64M"\n[kernel]\nbuild = "k.ts"\ncmdline = "x y"\n[[module]]\nname = "data"\npath = "d.bin"\n', { 'k.ts': KERNEL_TS, 'd.bin': 'abc' });
    const m = loadManifest(f);
    expect(m.machine).toEqual({ cpu: 'sapphire-rapids', vcpus: 2, memory: 64 * 1024 * 1024 });
    expect(m.kernel.cmdline).toBe('x y');
    expect(m.modules).toHaveLength(1);
    expect(m.modules[0].name).toBe('data');
  });

  it.each([
    ['[machine]\nvcpu = 2\n[kernel]\nbuild = "k.ts"\n', /test\.toml:2: machine\.vcpu: unknown key/],
    ['[machine]\nvcpus = "two"\n[kernel]\nbuild = "k.ts"\n', /test\.toml:2: machine\.vcpus: must be an integer 1\.\.64/],
    ['[machine]\nmemory = "lots"\n[kernel]\nbuild = "k.ts"\n', /test\.toml:2: machine\.memory: bad size 'lots'/],
    ['[kernel]\nelf = "missing.elf"\n', /test\.toml:2: kernel\.elf: file not found/],
    ['[kernel]\nbuild = "k.ts"\nelf = "k.ts"\n', /kernel: needs exactly one of build, elf, raw/],
    ['[kernel]\nraw = "k.ts"\n', /kernel\.load_address: required/],
    ['[kernel]\nbuild = "k.ts"\n[[module]]\nname = 3\npath = "k.ts"\n', /module\[0\]\.name: must be a string/],
    ['[kernel\nbuild = "k.ts"\n', /test\.toml:\d+: TOML syntax error/],
    ['[kernal]\nbuild = "k.ts"\n', /test\.toml:1: kernal: unknown key/],
  ])('%j is an error naming file, line and key', (text, msg) => {
    const f = project(text as string, { 'k.ts': KERNEL_TS });
    expect(() => loadManifest(f)).toThrow(ManifestError);
    expect(() => loadManifest(f)).toThrow(msg as RegExp);
  });

  it('parses sizes', () => {
    expect(parseSize('256M')).toBe(268435456);
    expect(parseSize('1G')).toBe(1073741824);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize('64KiB')).toBe(65536);
    expect(() => parseSize('1T')).toThrow(/bad size/);
  });
});

describe('build caching', () => {
  it('builds once, then reuses the output until a source is newer', async () => {
    const f = project('[kernel]\nbuild = "guest-kernel/k.ts"\n', { 'guest-kernel/k.ts': KERNEL_TS });
    const mf = loadManifest(f);
    const first = await buildImage(mf);
    expect(first.rebuilt).toBe(true);
    expect(existsSync(first.kernelPath)).toBe(true);
    expect(readElf(first.kernel).entry).toBe(0x200000n);
    const second = await buildImage(mf);
    expect(second.rebuilt).toBe(false);
    // Touch the source into the future: the next build redoes it.
    const src = join(mf.root, 'guest-kernel/k.ts');
    const later = new Date(statSync(first.kernelPath).mtimeMs + 5000);
    utimesSync(src, later, later);
    expect((await buildImage(mf)).rebuilt).toBe(true);
    expect((await buildImage(mf, true)).rebuilt).toBe(true);
  });
});
