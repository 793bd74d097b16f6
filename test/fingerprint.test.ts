import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../compiler/emit/fingerprint.js';
import { yamlText } from '../compiler/emit/yaml-text.js';
import { layoutManifests } from '../compiler/kubernetes/layout.js';
import type { Manifest } from '../compiler/targets/target.js';

// A laid-out file is matched by the fingerprint of its objects instead of its text
// (`compile --cache`). That is sound only if data with one fingerprint is spelled one way: the
// fingerprint digests JSON, so every value JSON would spell like another must have none.

describe('fingerprints of laid-out data', () => {
  it('has none for data JSON spells like other data', () => {
    class Port {
      constructor(readonly port: number) {}
    }
    for (const odd of [
      { a: undefined },
      [undefined],
      { port: Number.NaN },
      { port: Infinity },
      { port: -0 },
      { m: new Map([['a', 1]]) },
      { d: new Date(0) },
      { p: new Port(1) },
      { f: () => 1 },
      { b: 1n },
    ])
      expect(fingerprint('code', [odd])).toBeUndefined();
    // What each of them would otherwise be taken for is spelled differently.
    expect(yamlText({ port: Number.NaN })).not.toBe(yamlText({ port: null }));
    expect(yamlText({ port: -0 })).not.toBe(yamlText({ port: 0 }));
  });

  it('is the same for data spelled the same, and names the code', () => {
    expect(fingerprint('code', [{ a: 1, b: ['x'] }])).toBe(fingerprint('code', [{ a: 1, b: ['x'] }]));
    expect(fingerprint('code', [{ a: 1, b: ['x'] }])).not.toBe(fingerprint('code', [{ b: ['x'], a: 1 }]));
    expect(fingerprint('code', [{ a: 1 }])).not.toBe(fingerprint('code', [{ a: '1' }]));
    expect(fingerprint('code', [{ a: 1 }])).not.toBe(fingerprint('other', [{ a: 1 }]));
  });

  it('data with a fingerprint is spelled as the JSON it was digested as (so one fingerprint, one text)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true }), (v) => {
        if (typeof v !== 'object' || v === null) return;
        if (fingerprint('code', [v]) === undefined) return;
        const json: unknown = JSON.parse(JSON.stringify(v));
        expect(yamlText(json as object)).toBe(yamlText(v));
      }),
      { numRuns: 500 },
    );
  });

  it('differs between laid-out files whose text differs, and is left unspelled until read', () => {
    const manifest = (labels: Record<string, string>, source?: string): Manifest & { target: string } => ({
      cluster: 'c',
      namespace: 'n',
      file: 's',
      ...(source ? { source } : {}),
      target: 'netpol',
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 's', namespace: 'n', labels } },
    });
    const one = layoutManifests([manifest({ a: 'b' }, 'x.yaml')], { fingerprints: true }).find((f) =>
      f.path.endsWith('/s.yaml'),
    );
    const same = layoutManifests([manifest({ a: 'b' }, 'x.yaml')], { fingerprints: true }).find((f) =>
      f.path.endsWith('/s.yaml'),
    );
    const label = layoutManifests([manifest({ a: 'c' }, 'x.yaml')], { fingerprints: true }).find((f) =>
      f.path.endsWith('/s.yaml'),
    );
    const source = layoutManifests([manifest({ a: 'b' }, 'y.yaml')], { fingerprints: true }).find((f) =>
      f.path.endsWith('/s.yaml'),
    );
    expect(one?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(same?.fingerprint).toBe(one?.fingerprint);
    expect(label?.fingerprint).not.toBe(one?.fingerprint);
    expect(source?.fingerprint).not.toBe(one?.fingerprint);
    expect(one?.content).toContain('from x.yaml');
    // Without a cache to match it against, no fingerprint is taken.
    expect(layoutManifests([manifest({ a: 'b' })]).every((f) => f.fingerprint === undefined)).toBe(true);
  });
});
