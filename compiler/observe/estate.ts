import type { EdgeModel, Model, ServiceModel } from '../model/types.js';
import type { Observation } from './records.js';
import { selects } from '../evaluators/netpol.js';
import { roleKey } from '../analysis/arn.js';
import { latticeServiceName } from '../analysis/names.js';

// The estate as the logs name it: mesh identities, IAM roles, Kubernetes host names, Lattice
// service ARNs and pod labels, each to the contracts they stand for.

/** The IAM role ARN a session ARN came from (its path, which the session ARN drops, unknown). */
export function roleArnOf(arn: string): string | undefined {
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]*$/.exec(arn);
  if (session) return `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
  return /^arn:aws[a-z-]*:iam::\d{12}:role\//.test(arn) ? arn : undefined;
}

/** Who a call came from, as the estate knows it. */
export interface CallerIdentity {
  /** Stable, for grouping: the identity the log gave. */
  key: string;
  /** For people: the contracts, or the identity when none has it. */
  shown: string;
  /** Contracts that run under this identity (several when they share it). */
  services: string[];
  /** An ingress gateway's identity. */
  gatewayPrincipal?: string;
  /** The IAM role of a Lattice caller, when no contract has it. */
  roleArn?: string;
}

const hostPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.svc(\..*)?)?$/;

export class EstateIndex {
  private readonly byPrincipal = new Map<string, string[]>();
  private readonly gatewayPrincipals = new Set<string>();
  private readonly byRole = new Map<string, string[]>();
  private readonly byLatticeName = new Map<string, string>();
  private readonly services: Map<string, ServiceModel>;
  readonly into = new Map<string, EdgeModel[]>();

  constructor(
    readonly model: Model,
    private readonly latticeArns: ReadonlyMap<string, string> = new Map(),
  ) {
    this.services = new Map(model.services.map((s) => [s.id, s]));
    const push = (m: Map<string, string[]>, k: string, v: string) => m.set(k, [...(m.get(k) ?? []), v]);
    for (const s of model.services) {
      if (s.meshPrincipal) push(this.byPrincipal, s.meshPrincipal, s.id);
      const role = s.iamRole ? roleKey(s.iamRole) : undefined;
      if (role) push(this.byRole, role, s.id);
      if (s.exposure.lattice) this.byLatticeName.set(latticeServiceName(s), s.id);
    }
    for (const e of model.edges) {
      this.into.set(e.callee, [...(this.into.get(e.callee) ?? []), e]);
      if (e.caller.kind === 'gateway' && e.caller.meshPrincipal) this.gatewayPrincipals.add(e.caller.meshPrincipal);
    }
  }

  service(id: string): ServiceModel | undefined {
    return this.services.get(id);
  }

  caller(o: Observation): CallerIdentity {
    const c = o.caller;
    if (c.principal) {
      const services = this.byPrincipal.get(c.principal) ?? [];
      const gateway = this.gatewayPrincipals.has(c.principal) ? { gatewayPrincipal: c.principal } : {};
      return {
        key: `mesh ${c.principal}`,
        shown: services.join(', ') || `identity ${c.principal}`,
        services,
        ...gateway,
      };
    }
    if (c.iamPrincipal) {
      const key = roleKey(c.iamPrincipal);
      const services = key ? (this.byRole.get(key) ?? []) : [];
      const roleArn = roleArnOf(c.iamPrincipal);
      return {
        key: `iam ${key ?? c.iamPrincipal}`,
        shown: services.join(', ') || `principal ${roleArn ?? c.iamPrincipal}`,
        services,
        ...(roleArn ? { roleArn } : {}),
      };
    }
    if (c.pod) {
      const services = this.selecting(c.pod);
      return {
        key: `pod ${c.pod.namespace} ${JSON.stringify(c.pod.labels)}`,
        shown: services.join(', ') || `a pod in ${c.pod.namespace}`,
        services,
      };
    }
    return { key: `ip ${c.ip ?? 'unknown'}`, shown: `address ${c.ip ?? 'unknown'}`, services: [] };
  }

  /** The contract a call went to, or undefined when no contract describes its destination. */
  callee(o: Observation): ServiceModel | undefined {
    const c = o.callee;
    if (c.latticeService) {
      const name = this.latticeArns.get(c.latticeService);
      const id = name === undefined ? undefined : this.byLatticeName.get(name);
      return id === undefined ? undefined : this.services.get(id);
    }
    if (c.host) {
      const m = hostPattern.exec(c.host.toLowerCase());
      return m ? this.services.get(`${m[3]}/${m[1]}`) : undefined;
    }
    if (c.pod) return this.services.get(this.selecting(c.pod)[0] ?? '');
    return undefined;
  }

  /** A description of a destination no contract describes. */
  static destination(o: Observation): string {
    const c = o.callee;
    return c.latticeService ?? c.host ?? (c.pod ? `a pod in ${c.pod.namespace}` : 'an unknown destination');
  }

  /**
   * Contracts whose pods these labels select, by the NetworkPolicy evaluator's own selector match.
   * Asked once per Envoy line that names its pod: remembered per label set, which a log repeats.
   */
  private selecting(pod: { namespace: string; labels: Record<string, string> }): string[] {
    const key = `${pod.namespace}\u0000${JSON.stringify(pod.labels)}`;
    const known = this.selected.get(key);
    if (known) return known;
    const ids = this.model.services
      .filter(
        (s) =>
          s.platform === 'eks' &&
          s.namespace === pod.namespace &&
          selects({ matchLabels: s.podSelector ?? {} }, pod.labels),
      )
      .map((s) => s.id);
    // Bounded: label sets are per workload, but a log could carry any number of them.
    if (this.selected.size < 10_000) this.selected.set(key, ids);
    return ids;
  }
  private readonly selected = new Map<string, string[]>();
}
