import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildReport, summarize, type DiffReport } from '../../compiler/diff/report.js';
import { TerraformGroups } from '../../compiler/evaluators/security-groups.js';
import type { PipelineResult } from '../../compiler/pipeline.js';
import { runFiles } from '../support/estate.js';
import { platformChangeArbitrary, serviceFlowChangeArbitrary, type GeneratedEstate } from './estate-arbitrary.js';

// A pull request that changes only the Platform, or only what one contract may reach (its egress,
// its AWS APIs, its probe ports), changes no edge, yet it changes what the layers admit: `diff`
// must call such a change widening whenever the compiled layers admit anything they did not. What they admit is read here from the output, rule by rule (each
// NetworkPolicy rule's peers and ports, each security group rule), not from the diff's reasoning;
// and where the diff finds the Platforms alike, the layers must admit exactly the same.

interface Peer {
  ipBlock?: { cidr: string; except?: string[] };
  namespaceSelector?: unknown;
  podSelector?: unknown;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { protocol?: string; port?: number | string; endPort?: number }[];
}
interface Policy {
  kind: string;
  metadata: { name: string; namespace: string };
  spec: { podSelector: unknown; ingress?: Rule[]; egress?: Rule[] };
}

const compile = (estate: GeneratedEstate): PipelineResult => {
  const result = runFiles(Object.fromEntries(estate.documents.map((d, i) => [`c${i}.yaml`, stringify(d)])));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result;
};

/** Everything the NetworkPolicies and security groups admit, one peer and one port at a time. */
function admitted(result: PipelineResult): Set<string> {
  const atoms = new Set<string>();
  for (const f of result.files ?? []) {
    if (f.path.startsWith('kubernetes/') && !f.path.endsWith('kustomization.yaml'))
      for (const doc of parseAllDocuments(f.content)) {
        const p = doc.toJS() as Policy;
        if (p.kind !== 'NetworkPolicy') continue;
        const where = [f.path.split('/')[1], p.metadata.namespace, JSON.stringify(p.spec.podSelector)];
        for (const [direction, rules] of [
          ['ingress', p.spec.ingress],
          ['egress', p.spec.egress],
        ] as const)
          for (const r of rules ?? [])
            for (const peer of (direction === 'ingress' ? r.from : r.to) ?? [{}])
              for (const port of r.ports ?? [{}])
                atoms.add(JSON.stringify([...where, direction, peer, port.protocol ?? 'TCP', port.port, port.endPort]));
      }
  }
  const stacks = new Map(
    (result.files ?? [])
      .filter((f) => f.path.startsWith('cdktf/') && f.path.endsWith('/cdk.tf.json'))
      .map((f) => [f.path.split('/')[1] ?? '', JSON.parse(f.content) as object]),
  );
  for (const r of new TerraformGroups(stacks).rules)
    atoms.add(JSON.stringify(['sg', r.group, r.direction, r.protocol, r.from, r.to, r.peer]));
  return atoms;
}

/**
 * For random pairs of versions: whenever the layers of the new one admit what those of the old one
 * did not, the diff says access widens; and where it reports no change of the kind the pair
 * differs in (`changed`), the layers admit exactly the same.
 */
function widensWhenLayersAdmitMore(
  versions: fc.Arbitrary<{ base: GeneratedEstate; head: GeneratedEstate }>,
  changed: (report: DiffReport) => readonly unknown[],
  numRuns: number,
): void {
  fc.assert(
    fc.property(versions, ({ base, head }) => {
      const before = compile(base);
      const after = compile(head);
      const report = buildReport(summarize('base', before), summarize('head', after));
      expect(report.changes).toEqual([]);
      const was = admitted(before);
      const now = admitted(after);
      const gained = [...now].filter((a) => !was.has(a));
      if (gained.length > 0) expect(report.summary.widens, `admits now: ${gained.join('\n')}`).toBe(true);
      if (changed(report).length === 0) expect([...now].sort()).toEqual([...was].sort());
    }),
    { numRuns },
  );
}

describe('a change to what one contract may reach, and nothing else', () => {
  it('is widening whenever the layers admit something they did not, and changes nothing unreported', () => {
    widensWhenLayersAdmitMore(serviceFlowChangeArbitrary, (r) => r.serviceChanges, 150);
  });
});

describe('a change to the Platform alone', () => {
  it('is widening whenever the layers admit something they did not, and changes nothing unreported', () => {
    widensWhenLayersAdmitMore(platformChangeArbitrary, (r) => r.platformChanges, 200);
  });
});
