import { parseAllDocuments } from 'yaml';
import type { IamPolicy } from '../evaluators/iam.js';
import { TerraformGroups } from '../evaluators/security-groups.js';
import type { Artifact, ArtifactAddress } from '../targets/target.js';
import { isRecord, parseJson, stringAt, type JsonRecord } from '../util/json.js';

type KubernetesAddress = Extract<ArtifactAddress, { type: 'kubernetes' }>;
type PolicyAddress = Extract<ArtifactAddress, { type: 'lattice-policy' }>;

/** A generated Kubernetes object, found by its address, with the line its `kind` is on. */
export interface LocatedObject<T = JsonRecord> {
  address: KubernetesAddress;
  line: number;
  object: T;
}

/**
 * Generated objects as the evaluators' types. They are callgate's own output of that kind (the
 * address says so, and `objectsOf` checks kind and name), and the tests validate every emitted
 * object against its kind's upstream schema: this is the one place that trusts that shape.
 */
function asKind<T>(objects: LocatedObject[]): LocatedObject<T>[] {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- own output, see above
  return objects as unknown as LocatedObject<T>[];
}

/**
 * The generated artifacts, looked up by their typed addresses. Files are parsed only when an
 * address in them is asked for; each object is matched to its address by position and checked
 * against it, so a citation names exactly the object that was evaluated.
 */
export class ArtifactIndex {
  private readonly parsed = new Map<string, LocatedObject[]>();
  private readonly byKinds = new Map<string, LocatedObject[]>();
  private parsedStacks: Map<string, JsonRecord> | undefined;
  private groups: TerraformGroups | undefined;

  constructor(private readonly artifacts: readonly Artifact[]) {}

  /**
   * Kubernetes objects of one kind in one namespace of a cluster, in file order, typed as that
   * kind. One namespace, because the evaluators judge a pod by the policies of its own namespace
   * only; parsing the whole cluster's took 6 of the 15 seconds of an explain at 5,000 contracts.
   */
  objects<T>(cluster: string, kind: string, namespace: string): LocatedObject<T>[] {
    const key = `${cluster}\u0000${kind}\u0000${namespace}`;
    const known = this.byKinds.get(key);
    if (known) return asKind<T>(known);
    const wanted = (x: ArtifactAddress) =>
      x.type === 'kubernetes' && x.cluster === cluster && x.kind === kind && x.namespace === namespace;
    const files = this.artifacts.filter((a) => a.addresses.some(wanted));
    const found = files.flatMap((f) => this.objectsOf(f).filter((o) => wanted(o.address)));
    this.byKinds.set(key, found);
    return asKind<T>(found);
  }

  /** The Lattice policy of a service (`namespace/name`) or of a service network, parsed. */
  latticePolicy(
    of: { service: string } | { network: string },
  ): { address: PolicyAddress; document: IamPolicy } | undefined {
    for (const a of this.artifacts)
      for (const x of a.addresses) {
        if (x.type !== 'lattice-policy' || JSON.stringify(x.of) !== JSON.stringify(of)) continue;
        const document = parseJson(a.content);
        if (!isRecord(document) || !Array.isArray(document.Statement))
          throw new Error(`internal: ${a.path} is not a policy document`);
        // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- own policy, shape checked
        return { address: x, document: document as unknown as IamPolicy };
      }
    return undefined;
  }

  /** Every synthesized Terraform stack, by stack name, parsed. */
  stacks(): Map<string, JsonRecord> {
    if (this.parsedStacks) return this.parsedStacks;
    const out = new Map<string, JsonRecord>();
    for (const a of this.artifacts) {
      const stack = a.addresses.find((x) => x.type === 'terraform');
      const json = parseJson(a.content);
      if (stack?.type === 'terraform' && isRecord(json)) out.set(stack.stack, json);
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
      const object: unknown = d.toJS();
      const address = addresses[i];
      const name = isRecord(object) ? stringAt(object.metadata, 'name') : undefined;
      if (!isRecord(object) || !address || address.kind !== object.kind || address.name !== name)
        throw new Error(`internal: ${file.path} document ${i + 1} is not the object its address names`);
      const kindAt = content.indexOf('\nkind:', d.range[0] - 1);
      return { address, line: lineOf(kindAt >= 0 ? kindAt + 1 : d.range[0]), object };
    });
    this.parsed.set(file.path, located);
    return located;
  }
}
