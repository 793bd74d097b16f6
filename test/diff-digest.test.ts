import { describe, expect, it } from 'vitest';
import { digest, memoOf, type DigestMemo } from '../compiler/diff/files.js';
import { lazyFile } from '../compiler/emit/lazy-file.js';
import type { Artifact, ArtifactAddress } from '../compiler/targets/target.js';

// diff digests the base's output, then the head's. A head file made from the same objects as the
// base's (its fingerprint) is taken as the base's without being spelled; the memo between the two
// holds hashes, never the text (60 MB at 5,000 contracts, alive while the head compiled).

const address = (target: string, name: string): ArtifactAddress => ({
  type: 'kubernetes',
  target,
  file: 'kubernetes/c/apps/a.yaml',
  cluster: 'c',
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: 'apps',
  name,
});

function counted(
  text: string,
  print: string | undefined,
  addresses = [address('netpol', 'a')],
  path = 'kubernetes/c/apps/a.yaml',
) {
  const spelled = { count: 0 };
  const file: Artifact = lazyFile(
    path,
    () => {
      spelled.count++;
      return text;
    },
    addresses,
    print,
  );
  return { file, spelled };
}

describe('digesting two versions of the output', () => {
  it('takes a file of the same fingerprint as digested, unspelled, and keeps no text', () => {
    const memo: DigestMemo = new Map();
    const base = counted('a: 1\n', 'p1');
    const first = digest([base.file], memo);
    expect(base.spelled.count).toBe(1);
    expect(JSON.stringify([...memo.values()])).not.toContain('a: 1');
    const head = counted('a: 1\n', 'p1');
    expect(digest([head.file], memo)).toEqual(first);
    expect(head.spelled.count).toBe(0);
  });

  it('takes a file as digested from a summary read back (its prints), as from one compiled in the run', () => {
    const plain = counted('b: 1\n', undefined, [{ type: 'file', target: 'graph', file: 'graph.json' }], 'graph.json');
    const base = digest([counted('a: 1\n', 'p1').file, plain.file]);
    // Only the file made from a fingerprint has a print; what a summary stores goes through JSON.
    expect([...base.prints.keys()]).toEqual(['kubernetes/c/apps/a.yaml']);
    const stored = JSON.parse(JSON.stringify([...base.prints])) as [string, { fingerprint: string; keys: string[] }][];
    const read = { ...base, prints: new Map(stored) };
    const head = counted('a: 1\n', 'p1');
    expect(digest([head.file], memoOf(read))).toEqual(digest([counted('a: 1\n', 'p1').file]));
    expect(head.spelled.count).toBe(0);
    // Another fingerprint, or a print whose parts the summary lacks: spelled.
    const other = counted('a: 2\n', 'p2');
    digest([other.file], memoOf(read));
    expect(other.spelled.count).toBe(1);
    const partless = { ...read, objects: new Map() };
    expect(memoOf(partless).size).toBe(0);
  });

  it('digests the text again for another fingerprint, no fingerprint, or other addresses', () => {
    for (const [text, print, addresses] of [
      ['a: 2\n', 'p2', undefined],
      ['a: 2\n', undefined, undefined],
      // Same fingerprint, but the object is another target's, or another object: not the base's parts.
      ['a: 1\n', 'p1', [address('istio', 'a')]],
      ['a: 1\n', 'p1', [address('netpol', 'b')]],
    ] as const) {
      const memo: DigestMemo = new Map();
      digest([counted('a: 1\n', 'p1').file], memo);
      const head = counted(text, print, addresses ? [...addresses] : undefined);
      const fresh = digest([counted(text, print, addresses ? [...addresses] : undefined).file]);
      expect(digest([head.file], memo), `${text} ${String(print)}`).toEqual(fresh);
      expect(head.spelled.count).toBe(1);
    }
  });
});
