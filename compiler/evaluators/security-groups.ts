import { inCidr } from './cidr.js';

// Security-group evaluation over synthesized Terraform JSON, written from the AWS and provider
// documentation (targets-reference.md §1.4 and the Terraform table), importing nothing from the
// targets. Groups are stateful: a connection needs an egress rule of the source's group and an
// ingress rule of the destination's; `aws_security_group` has no default egress under Terraform.

type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
};

export type Peer = { cidr: string } | { prefixList: string } | { group: string };

export interface GroupRule {
  /** Where the rule is: its stack and Terraform address (`aws_vpc_security_group_ingress_rule.<name>`). */
  stack: string;
  address: string;
  group: string;
  direction: 'ingress' | 'egress';
  protocol: string;
  from: number;
  to: number;
  peer: Peer;
}

/** A value of a resource's argument as text: strings as they are, anything else as JSON. */
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The stacks as Terraform would see them, with every reference resolved to a stable name. */
export class TerraformGroups {
  readonly rules: GroupRule[] = [];

  constructor(private readonly stacks: ReadonlyMap<string, TfJson>) {
    for (const [stack, json] of stacks) {
      for (const [type, direction] of [
        ['aws_vpc_security_group_ingress_rule', 'ingress'],
        ['aws_vpc_security_group_egress_rule', 'egress'],
      ] as const) {
        for (const [name, r] of Object.entries(json.resource?.[type] ?? {})) {
          const present = ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id', 'referenced_security_group_id'].filter(
            (k) => r[k] !== undefined,
          );
          if (present.length !== 1)
            throw new Error(`${stack}: a rule needs exactly one peer, has ${present.join(', ') || 'none'}`);
          const peer: Peer =
            r.cidr_ipv4 !== undefined
              ? { cidr: text(r.cidr_ipv4) }
              : r.cidr_ipv6 !== undefined
                ? { cidr: text(r.cidr_ipv6) }
                : r.prefix_list_id !== undefined
                  ? { prefixList: this.resolve(stack, r.prefix_list_id) }
                  : { group: this.resolve(stack, r.referenced_security_group_id) };
          this.rules.push({
            stack,
            address: `${type}.${name}`,
            group: this.resolve(stack, r.security_group_id),
            direction,
            protocol: String(r.ip_protocol),
            from: Number(r.from_port),
            to: Number(r.to_port),
            peer,
          });
        }
      }
      for (const [name, g] of Object.entries(json.resource?.aws_security_group ?? {})) {
        for (const inline of ['ingress', 'egress'])
          if (g[inline] !== undefined) throw new Error(`${stack}: group ${name} has inline ${inline} rules`);
      }
    }
  }

  /** A literal id, `stack/aws_security_group.name` for a created group, `prefix-list:<name>` for a lookup. */
  resolve(stack: string, value: unknown): string {
    const text = String(value);
    const ref = /^\$\{([^}]*)\}$/.exec(text)?.[1];
    if (ref === undefined) {
      if (text.includes('${')) throw new Error(`${stack}: an interpolation inside a literal: ${text}`);
      return text;
    }
    const json = this.stacks.get(stack) ?? {};
    let m = /^aws_security_group\.([^.]+)\.id$/.exec(ref);
    if (m) {
      if (!json.resource?.aws_security_group?.[m[1] ?? '']) throw new Error(`${stack}: no group ${m[1]}`);
      return `${stack}/aws_security_group.${m[1]}`;
    }
    m = /^data\.aws_ec2_managed_prefix_list\.([^.]+)\.id$/.exec(ref);
    if (m) return `prefix-list:${String(json.data?.aws_ec2_managed_prefix_list?.[m[1] ?? '']?.name)}`;
    m = /^data\.terraform_remote_state\.([^.]+)\.outputs\.(.+)$/.exec(ref);
    if (m) {
      const config = json.data?.terraform_remote_state?.[m[1] ?? '']?.config;
      const path =
        typeof config === 'object' && config !== null && 'path' in config && typeof config.path === 'string'
          ? config.path
          : '';
      const other = /terraform\.(.+)\.tfstate$/.exec(path)?.[1];
      const output = other === undefined ? undefined : this.stacks.get(other)?.output?.[m[2] ?? ''];
      if (other === undefined || !output) throw new Error(`${stack}: unresolved ${ref}`);
      return this.resolve(other, output.value);
    }
    throw new Error(`${stack}: a reference the oracle does not know: ${ref}`);
  }

  /** The group behind a stack output, as an EKS SecurityGroupPolicy or ECS service would read it. */
  output(id: string): string | undefined {
    for (const [stack, json] of this.stacks) if (json.output?.[id]) return this.resolve(stack, json.output[id].value);
    return undefined;
  }
}

/** One end of a connection. */
export interface SgEndpoint {
  /** Its groups; none means no security group stands in the way at this end. */
  groups: string[];
  address?: string;
  /** Traffic from or to VPC Lattice carries the addresses of this managed prefix list. */
  prefixList?: string;
}

export interface SgWorld {
  rules: readonly GroupRule[];
  /**
   * Groups whose own rules callgate does not manage: they admit their members and let anything out (an EKS cluster
   * group).
   */
  shared: ReadonlySet<string>;
}

function matches(rule: GroupRule, protocol: string, port: number, other: SgEndpoint): boolean {
  if (rule.protocol !== protocol || port < rule.from || port > rule.to) return false;
  if ('cidr' in rule.peer) return other.address !== undefined && inCidr(other.address, rule.peer.cidr);
  if ('prefixList' in rule.peer) return other.prefixList === rule.peer.prefixList;
  return other.groups.includes(rule.peer.group);
}

/** The verdict of the groups at both ends of a connection, and the rules that admit it. */
export interface GroupsDecision {
  allowed: boolean;
  /** Whether the source may send it: no group, a shared group, or these egress rules. */
  egress: { allowed: boolean; rules: GroupRule[] };
  /** Whether the destination may receive it: no group, a member of its shared group, or these ingress rules. */
  ingress: { allowed: boolean; rules: GroupRule[] };
}

export function groupsDecision(
  world: SgWorld,
  from: SgEndpoint,
  to: SgEndpoint,
  protocol: string,
  port: number,
): GroupsDecision {
  const ruleHits = (direction: GroupRule['direction'], groups: string[], other: SgEndpoint) =>
    world.rules.filter(
      (r) => groups.includes(r.group) && r.direction === direction && matches(r, protocol, port, other),
    );
  const egressRules = ruleHits('egress', from.groups, to);
  const ingressRules = ruleHits('ingress', to.groups, from);
  const out = from.groups.length === 0 || from.groups.some((g) => world.shared.has(g)) || egressRules.length > 0;
  const inn =
    to.groups.length === 0 ||
    to.groups.some((g) => world.shared.has(g) && from.groups.includes(g)) ||
    ingressRules.length > 0;
  return {
    allowed: out && inn,
    egress: { allowed: out, rules: egressRules },
    ingress: { allowed: inn, rules: ingressRules },
  };
}

export function groupsAllow(world: SgWorld, from: SgEndpoint, to: SgEndpoint, protocol: string, port: number): boolean {
  return groupsDecision(world, from, to, protocol, port).allowed;
}
