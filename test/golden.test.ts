import { readdirSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
    if (updateGolden) {
      mkdirSync(expectedDir, { recursive: true });
      writeFileSync(join(expectedDir, 'diagnostics.txt'), text);
      writeFileSync(join(expectedDir, 'exit-code'), `${run.code}\n`);
      if (produced['graph.json']) writeFileSync(join(expectedDir, 'graph.json'), produced['graph.json']);
    }
    expect(text).toBe(readFileSync(join(expectedDir, 'diagnostics.txt'), 'utf8'));
    expect(`${run.code}\n`).toBe(readFileSync(join(expectedDir, 'exit-code'), 'utf8'));
    const expectedGraph = join(expectedDir, 'graph.json');
    if (existsSync(expectedGraph)) expect(produced['graph.json']).toBe(readFileSync(expectedGraph, 'utf8'));
    else expect(produced['graph.json']).toBeUndefined();
  });
});
