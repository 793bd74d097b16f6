import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dotGraph, mermaidGraph } from '../compiler/graph/render.js';
import type { EdgeModel } from '../compiler/model/types.js';
import { cli, updateGolden } from './support/estate.js';

const repo = join(import.meta.dirname, '..');

describe('graph', () => {
  it.each([
    ['mermaid', []],
    ['dot', []],
    ['mermaid', ['--namespace', 'chain']],
    ['mermaid', ['--owner', 'team-data']],
  ] as const)('%s %j of the bundled estate matches its golden file', async (format, filter) => {
    const r = await cli(['graph', '--format', format, ...filter], repo);
    expect(r.code, r.stderr).toBe(0);
    const golden = join(repo, 'test', 'graph', `${format}${filter.join('').replace(/-+/g, '-')}.txt`);
    if (updateGolden || !existsSync(golden)) writeFileSync(golden, r.stdout);
    expect(r.stdout).toBe(readFileSync(golden, 'utf8'));
  });

  it('filters keep the edges from or to the namespace or owner', async () => {
    const chain = (await cli(['graph', '--namespace', 'chain'], repo)).stdout;
    expect(chain).toContain('"payments/billing"');
    expect(chain).not.toContain('"apps/datastore"');
    expect((await cli(['graph', '--owner', 'nobody'], repo)).stdout).toBe('flowchart LR\n');
    expect((await cli(['graph', '--format', 'svg'], repo)).code).toBe(2);
  });

  it('no text from a name becomes Mermaid or DOT syntax', () => {
    const hostile = 'x"] --> evil["y\\" -> z; <b>#1|';
    const edge: EdgeModel = {
      id: 'e',
      callee: hostile,
      caller: { kind: 'cidr', cidr: '10.0.0.0/8"];evil' },
      path: 'network',
      ports: [{ name: 'p', port: 1, protocol: 'tcp' }],
      methods: null,
      paths: null,
      source: { file: 'f', doc: 0, path: [] },
    };
    const mermaid = mermaidGraph([edge]);
    for (const line of mermaid.split('\n').slice(1, 3)) expect(line).toMatch(/^ {2}n\d\["[^"<>|]*"\]$/);
    const dot = dotGraph([edge]);
    // Every label is one DOT string: after removing escaped characters, quotes pair up per line.
    for (const line of dot.split('\n')) expect((line.replace(/\\./g, '').match(/"/g) ?? []).length % 2).toBe(0);
    expect(dot).toContain('label="x\\"] --> evil[\\"y\\\\\\" -> z; <b>#1|"');
  });
});
