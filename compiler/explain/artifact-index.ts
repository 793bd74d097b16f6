import { parseAllDocuments } from 'yaml';
import { TerraformGroups } from '../evaluators/security-groups.js';
import type { Artifact, ArtifactAddress } from '../targets/target.js';

type KubernetesAddress = Extract<ArtifactAddress, { type: 'kubernetes' }>;
type PolicyAddress = Extract<ArtifactAddress, { type: 'lattice-policy' }>;

/** A generated Kubernetes object, found by its address, with the line its `kind` is on. */
export interface LocatedObject {
  address: KubernetesAddress;
  line: number;
  object: { kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, unknown> };
}

/**
 * The generated artifacts, looked up by their typed addresses. Files are parsed only when an
 * address in them is asked for; each object is matched to its address by position and checked
 * against it, so a citation names exactly the object that was evaluated.
 */
export class ArtifactIndex {
  private readonly parsed = new Map<string, LocatedObject[]>();
  private readonly byKinds = new Map<string, LocatedObject[]>();
  private parsedStacks: Map<string, object> | undefined;
  private groups: TerraformGroups | undefined;

  constructor(private readonly artifacts: readonly Artifact[]) {}

  /** Kubernetes objects of these kinds in a cluster, in file order. */
  objects(cluster: string, kinds: readonly string[]): LocatedObject[] {
    const key = `${cluster}\u0000${kinds.join()}`;
    const known = this.byKinds.get(key);
    if (known) return known;
    const files = this.artifacts.filter((a) =>
      a.addresses.some((x) => x.type === 'kubernetes' && x.cluster === cluster && kinds.includes(x.kind)),
    );
    const found = files.flatMap((f) => this.objectsOf(f).filter((o) => kinds.includes(o.address.kind)));
    this.byKinds.set(key, found);
    return found;
  }

  /** The Lattice policy of a service (`namespace/name`) or of a service network, parsed. */
  latticePolicy(
    of: { service: string } | { network: string },
  ): { address: PolicyAddress; document: unknown } | undefined {
    for (const a of this.artifacts)
      for (const x of a.addresses)
        if (x.type === 'lattice-policy' && JSON.stringify(x.of) === JSON.stringify(of))
          return { address: x, document: JSON.parse(a.content) as unknown };
    return undefined;
  }

  /** Every synthesized Terraform stack, by stack name, parsed. */
  stacks(): Map<string, object> {
    if (this.parsedStacks) return this.parsedStacks;
    const out = new Map<string, object>();
    for (const a of this.artifacts) {
      const stack = a.addresses.find((x) => x.type === 'terraform');
      if (stack?.type === 'terraform') out.set(stack.stack, JSON.parse(a.content) as object);
    }
    this.parsedStacks = out;
    return out;
  }

  /** The security-group rules of every stack, with their references resolved. */
  terraformGroups(): TerraformGroups {
    this.groups ??= new TerraformGroups(this.stacks());
    return this.groups;
  }

  /** The file of a Terraform resource, by stack and address. */
  terraformFile(stack: string, resource: string): string | undefined {
    for (const a of this.artifacts)
      for (const x of a.addresses)
        if (x.type === 'terraform' && x.stack === stack && x.resource === resource) return x.file;
    return undefined;
  }

  private objectsOf(file: Artifact): LocatedObject[] {
    const known = this.parsed.get(file.path);
    if (known) return known;
    const content = file.content;
    const addresses = file.addresses.filter((x): x is KubernetesAddress => x.type === 'kubernetes');
    const lineOf = (offset: number) => content.slice(0, offset).split('\n').length;
    const located = parseAllDocuments(content).map((d, i) => {
      const object = d.toJS() as LocatedObject['object'];
      const address = addresses[i];
      if (!address || address.kind !== object.kind || address.name !== object.metadata.name)
        throw new Error(`internal: ${file.path} document ${i + 1} is not the object its address names`);
      const kindAt = content.indexOf('\nkind:', d.range[0] - 1);
      return { address, line: lineOf(kindAt >= 0 ? kindAt + 1 : d.range[0]), object };
    });
    this.parsed.set(file.path, located);
    return located;
  }
}
