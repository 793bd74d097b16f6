import { readdirSync, existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, jsonDiagnosticLines, readTree, tempDir, updateGolden, type JsonDiagnostic } from './support/estate.js';

// Golden end-to-end cases: test/cases/<name>/contracts in, expected/ out.
// Update with: UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts
const casesDir = join(import.meta.dirname, 'cases');

describe.each(readdirSync(casesDir).sort())('case %s', (name) => {
  const dir = join(casesDir, name);
  const expectedDir = join(dir, 'expected');
  it('produces the expected diagnostics, exit code and graph.json', async () => {
    const outDir = join(await tempDir(), 'out');
    const run = await cli(['compile', 'contracts', '--out', outDir, '--format', 'json'], dir);
    const text = jsonDiagnosticLines(JSON.parse(run.stdout || '[]') as JsonDiagnostic[]);
    const produced = await readTree(outDir);
    const expectedOut = join(expectedDir, 'out');
    if (updateGolden) {
      mkdirSync(expectedDir, { recursive: true });
      writeFileSync(join(expectedDir, 'diagnostics.txt'), text);
      writeFileSync(join(expectedDir, 'exit-code'), `${run.code}\n`);
      rmSync(expectedOut, { recursive: true, force: true });
      for (const [path, content] of Object.entries(produced)) {
        mkdirSync(dirname(join(expectedOut, path)), { recursive: true });
        writeFileSync(join(expectedOut, path), content);
      }
    }
    expect(text).toBe(readFileSync(join(expectedDir, 'diagnostics.txt'), 'utf8'));
    expect(`${run.code}\n`).toBe(readFileSync(join(expectedDir, 'exit-code'), 'utf8'));
    // check builds no output but must find exactly what compile finds.
    const checked = await cli(['check', 'contracts', '--format', 'json'], dir);
    expect(jsonDiagnosticLines(JSON.parse(checked.stdout || '[]') as JsonDiagnostic[])).toBe(text);
    // The whole output tree, file for file: nothing missing, nothing extra, every byte.
    expect(produced).toEqual(existsSync(expectedOut) ? await readTree(expectedOut) : {});
  });
});
