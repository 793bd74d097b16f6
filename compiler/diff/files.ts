import { createHash } from 'node:crypto';
import type { Artifact, ArtifactAddress } from '../targets/target.js';
import { compareStrings } from '../util/compare.js';
import { parseJson, recordAt } from '../util/json.js';
import { textOf } from '../emit/lazy-file.js';

/** One generated thing, by address: which target made it, how to name it, and a hash of its text. */
export interface DigestEntry {
  target: string;
  label: string;
  hash: string;
}

/** A compiled version's output as hashes: whole files, and every object by its address. */
export interface OutputDigest {
  files: ReadonlyMap<string, string>;
  objects: ReadonlyMap<string, DigestEntry>;
  /**
   * Of each file made from a fingerprint (`emit/fingerprint.ts`), the fingerprint and the keys of
   * its parts in order: with `files` and `objects`, what a later digest needs to take a file of the
   * same fingerprint as this one unspelled (`memoOf`), also when this digest was read from a cache.
   */
  prints: ReadonlyMap<string, { fingerprint: string; keys: string[] }>;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function keyOf(a: ArtifactAddress): { key: string; label: string } {
  switch (a.type) {
    case 'kubernetes':
      return {
        key: `k8s\u0000${a.cluster}\u0000${a.kind}\u0000${a.namespace}\u0000${a.name}`,
        label: `${a.kind} ${a.namespace}/${a.name} in ${a.cluster}`,
      };
    case 'terraform':
      return { key: `tf\u0000${a.stack}\u0000${a.resource}`, label: `${a.resource} in stack ${a.stack}` };
    case 'lattice-policy':
    case 'file':
      return { key: `file\u0000${a.file}`, label: a.file };
  }
}

/** The text of each addressed part of a file (its text is `content`), in address order. */
function partsOf(f: Artifact, content: string): { address: ArtifactAddress; text: string }[] {
  const first = f.addresses[0];
  if (first?.type === 'kubernetes') {
    // Objects are separate YAML documents, in address order (compiler/kubernetes/layout.ts).
    const docs = content.split(/^---$/m);
    return f.addresses.map((address, i) => ({ address, text: docs[i] ?? '' }));
  }
  if (first?.type === 'terraform') {
    const json = parseJson(content);
    const block = (resource: string) => {
      const data = resource.startsWith('data.');
      const [type = '', name = ''] = (data ? resource.slice(5) : resource).split('.');
      return recordAt(recordAt(recordAt(json, data ? 'data' : 'resource'), type), name);
    };
    return f.addresses.map((address) => ({
      address,
      text: address.type === 'terraform' ? JSON.stringify(block(address.resource)) : '',
    }));
  }
  return f.addresses.map((address) => ({ address, text: content }));
}

/**
 * Files already digested, by path: the two versions a diff compares share most files, and a
 * file's parts (its addresses included) follow from its path and text. A file of the head made
 * from the same objects as the base's (the same fingerprint, `emit/fingerprint.ts`) is not even
 * spelled; any other is hashed, and split into parts only where its hash differs. The text itself
 * is not kept: the base's, held while the head compiled, was 60 MB at 5,000 contracts.
 */
export type DigestMemo = Map<string, { fingerprint?: string; hash: string; parts: [string, DigestEntry][] }>;

/** Whether a file's addresses are those of the parts digested before, in order. */
const sameParts = (f: Artifact, known: { parts: readonly [string, DigestEntry][] }) =>
  f.addresses.length === known.parts.length &&
  f.addresses.every((a, i) => {
    const part = known.parts[i];
    return part !== undefined && part[0] === keyOf(a).key && part[1].target === a.target;
  });

export function digest(files: readonly Artifact[], memo: DigestMemo = new Map()): OutputDigest {
  const objects = new Map<string, DigestEntry>();
  const hashes = new Map<string, string>();
  const prints = new Map<string, { fingerprint: string; keys: string[] }>();
  for (const f of files) {
    const was = memo.get(f.path);
    // The fingerprint vouches for the text; the addresses (the target's among them) are compared.
    let known =
      was && f.fingerprint !== undefined && was.fingerprint === f.fingerprint && sameParts(f, was) ? was : undefined;
    if (!known) {
      // Spelled once here, and let go (a file spelled on demand does not keep it).
      const content = textOf(f);
      const hash = sha(content);
      const parts =
        was?.hash === hash && sameParts(f, was)
          ? was.parts
          : partsOf(f, content).map(({ address, text }): [string, DigestEntry] => {
              const { key, label } = keyOf(address);
              // A part that is the whole file has the file's hash.
              return [key, { target: address.target, label, hash: text === content ? hash : sha(text) }];
            });
      known = { ...(f.fingerprint === undefined ? {} : { fingerprint: f.fingerprint }), hash, parts };
      memo.set(f.path, known);
    }
    hashes.set(f.path, known.hash);
    for (const [key, entry] of known.parts) objects.set(key, entry);
    if (f.fingerprint !== undefined)
      prints.set(f.path, { fingerprint: f.fingerprint, keys: known.parts.map(([k]) => k) });
  }
  return { files: hashes, objects, prints };
}

/**
 * What `digest` would have memoized of a version's files made from a fingerprint, rebuilt from
 * its digest: a version summarized in an earlier run lets the next head skip spelling the files it
 * shares with it, as one compiled in this run does. A file whose parts the digest lacks is left out.
 */
export function memoOf(output: OutputDigest): DigestMemo {
  const memo: DigestMemo = new Map();
  for (const [path, { fingerprint, keys }] of output.prints) {
    const hash = output.files.get(path);
    const parts = keys.flatMap((k): [string, DigestEntry][] => {
      const entry = output.objects.get(k);
      return entry ? [[k, entry]] : [];
    });
    if (hash !== undefined && parts.length === keys.length) memo.set(path, { fingerprint, hash, parts });
  }
  return memo;
}

export interface Changes {
  added: string[];
  changed: string[];
  removed: string[];
}

function changes<T>(
  b: ReadonlyMap<string, T>,
  h: ReadonlyMap<string, T>,
  same: (x: T, y: T) => boolean,
  name: (k: string, v: T) => string,
): Changes {
  const sorted = (xs: string[]) => xs.sort(compareStrings);
  const names = (m: ReadonlyMap<string, T>, keep: (k: string, v: T) => boolean) =>
    sorted([...m].filter(([k, v]) => keep(k, v)).map(([k, v]) => name(k, v)));
  return {
    added: names(h, (k) => !b.has(k)),
    changed: names(h, (k, v) => {
      const before = b.get(k);
      return before !== undefined && !same(before, v);
    }),
    removed: names(b, (k) => !h.has(k)),
  };
}

/** Files added, changed and removed; and per target, the objects it adds, changes or removes, by address. */
export function diffOutput(b: OutputDigest, h: OutputDigest): { all: Changes; byTarget: Record<string, Changes> } {
  const all = changes(
    b.files,
    h.files,
    (x, y) => x === y,
    (k) => k,
  );
  const targets = [...new Set([...b.objects.values(), ...h.objects.values()].map((e) => e.target))].sort(
    compareStrings,
  );
  const only = (d: OutputDigest, t: string) => new Map([...d.objects].filter(([, e]) => e.target === t));
  const byTarget = Object.fromEntries(
    targets.map((t) => [
      t,
      changes(
        only(b, t),
        only(h, t),
        (x, y) => x.hash === y.hash,
        (_, e) => e.label,
      ),
    ]),
  );
  return { all, byTarget };
}
