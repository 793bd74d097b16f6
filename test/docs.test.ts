import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { updateGolden } from './support/estate.js';
import { renderDiagnosticsDoc } from './support/render-docs.js';

const docPath = join(import.meta.dirname, '..', 'docs', 'diagnostics.md');

it('docs/diagnostics.md is current with the catalog and the examples', () => {
  const text = renderDiagnosticsDoc();
  if (updateGolden) {
    mkdirSync(join(docPath, '..'), { recursive: true });
    writeFileSync(docPath, text);
  }
  expect(text).toBe(readFileSync(docPath, 'utf8'));
});
