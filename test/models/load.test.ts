// Loading: known names, the unknown-name error, and errors for malformed model files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError, listModels, loadModel, loadModelFile } from '../../emulator/models/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'x86emu-models-'));
const sprText = readFileSync(loadModel('sapphire-rapids').file, 'utf8');
const genoaText = readFileSync(loadModel('genoa').file, 'utf8');

/** Write `text` as <dir>/<name>.toml and load it; return the thrown error. */
function loadError(text: string, name = 'sapphire-rapids'): ModelError {
  const file = join(dir, `${name}.toml`);
  writeFileSync(file, text);
  try {
    loadModelFile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    return e as ModelError;
  }
  throw new Error('expected the model to be rejected');
}

/** 1-based line of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('model names', () => {
  it('listModels() lists the TOML files', () => {
    expect(listModels()).toEqual(['genoa', 'sapphire-rapids']);
  });
  it('an unknown name throws an error listing the known names', () => {
    expect(() => loadModel('pentium')).toThrow("unknown CPU model 'pentium'; known models: genoa, sapphire-rapids");
  });
  it('loading is cached and models are frozen', () => {
    const m = loadModel('genoa');
    expect(loadModel('genoa')).toBe(m);
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(m.xsave.components[0])).toBe(true);
  });
  it('an unchanged copy of a model file loads', () => {
    const file = join(dir, 'genoa.toml');
    writeFileSync(file, genoaText);
    expect(loadModelFile(file).xsave.components.length).toBe(6);
  });
});

describe('malformed model files name the file, the line and the key', () => {
  it('TOML syntax error: file and line', () => {
    const text = sprText.replace('stepping = 8', 'stepping = ');
    const e = loadError(text);
    expect(e.file).toBe(join(dir, 'sapphire-rapids.toml'));
    expect(e.line).toBe(lineOf(text, 'stepping = '));
    expect(e.message).toContain(`${join(dir, 'sapphire-rapids.toml')}:${e.line}: TOML syntax error`);
  });

  it('unknown top-level key', () => {
    const text = sprText.replace('stepping = 8', 'stepping = 8\nstepings = 9');
    const e = loadError(text);
    expect(e.key).toBe('stepings');
    expect(e.line).toBe(lineOf(text, 'stepings = 9'));
    expect(e.message).toMatch(/sapphire-rapids\.toml:\d+: stepings: unknown key/);
  });

  it('unknown key inside an array of tables', () => {
    // Third [[xsave.component]] (index 6): misspell "size".
    const text = sprText.replace('index = 6\nname = "zmm_hi256"\nsize = 512', 'index = 6\nname = "zmm_hi256"\nsise = 512');
    const e = loadError(text);
    expect(e.key).toBe('xsave.component[2].sise');
    expect(e.line).toBe(lineOf(text, 'sise = 512'));
  });

  it('wrong type', () => {
    const text = sprText.replace('mxcsr_mask = 0xffff', 'mxcsr_mask = "0xffff"');
    const e = loadError(text);
    expect(e.key).toBe('mxcsr_mask');
    expect(e.line).toBe(lineOf(text, 'mxcsr_mask = "0xffff"'));
    expect(e.message).toContain('expected an integer');
  });

  it('wrong type in a [[leaf]]', () => {
    const text = sprText.replace('ebx = 0x00010800', 'ebx = true');
    const e = loadError(text);
    expect(e.key).toBe('leaf[0].ebx');
    expect(e.line).toBe(lineOf(text, 'ebx = true'));
  });

  it('a feature name that is not a bit of that register', () => {
    const text = sprText.replace('"sse3", "pclmulqdq"', '"sse3", "avx2"'); // avx2 lives in 7.0:EBX
    const e = loadError(text);
    expect(e.key).toBe('leaf[0].ecx[1]');
    expect(e.line).toBe(lineOf(text, '"sse3", "avx2"'));
    expect(e.message).toContain("'avx2' is not a feature of CPUID.(0x1,0):ECX");
  });

  it('a raw feature-register value with a bit that has no name', () => {
    const text = genoaText.replace('edx = 0x00000010', 'edx = 0x00000011'); // 7.0:EDX[0]
    const e = loadError(text, 'genoa');
    expect(e.key).toBe('leaf[1].edx');
    expect(e.message).toContain('bits 0x1 have no name in features.ts');
  });

  it('leaf 1 EAX must encode family/model/stepping', () => {
    const e = loadError(sprText.replace('stepping = 8', 'stepping = 7'));
    expect(e.key).toBe('leaf[0].eax');
    expect(e.message).toContain('does not match family/model/stepping (0x806f7)');
  });

  it('generated leaves may not be listed', () => {
    const e = loadError(`${sprText}\n[[leaf]]\nleaf = 0xd\nsubleaf = 2\neax = 1\n`);
    expect(e.key).toBe('leaf[7].leaf');
    expect(e.message).toContain('leaf 0xd is generated');
  });

  it('an XSAVE component outside the supported masks', () => {
    const e = loadError(sprText.replace('xss_supported = 0xdd00', 'xss_supported = 0x9d00')); // drop UINTR (bit 14)
    expect(e.key).toBe('xsave.component[9].index');
    expect(e.message).toContain('component 14 is not in xss_supported');
  });

  it('the name must match the file', () => {
    const e = loadError(sprText, 'spr');
    expect(e.key).toBe('name');
    expect(e.line).toBe(lineOf(sprText, 'name = "sapphire-rapids"'));
  });
});
