import { hbonePort } from '../kubernetes/names.js';
import { usesWaypoint } from '../kubernetes/mesh.js';
import { indexModel, latticeRanges, type ModelIndex } from '../model/query.js';
import type { EdgeModel, Model, ServiceModel } from '../model/types.js';
import { planSecurityGroups, type SecurityGroupRule } from '../security-groups/rules.js';
import { ownerStackName, groupsStackName } from '../cdktf/stack-plan.js';
import { ipInCidr } from '../validate/cidr.js';
import { pathPatternAdmits } from '../model/http-paths.js';
import { objectsIn, type Located } from './objects.js';

export type Who =
  | { kind: 'service'; service: ServiceModel }
  | { kind: 'principal'; iamRole: string; sourceVpc?: string }
  | { kind: 'address'; ip: string };

export interface Request {
  port?: number;
  method?: string;
  path?: string;
}

export interface LayerFinding {
  layer: 'contract' | 'security group' | 'NetworkPolicy' | 'Istio' | 'VPC Lattice';
  admits: boolean;
  /** Where: a contract line, or a generated file and object. */
  where: string[];
  note: string;
}

export interface Explanation {
  caller: string;
  callee: string;
  request: Request;
  verdict: 'allowed' | 'denied';
  reason: string;
  layers: LayerFinding[];
}

/** The caller entries of the callee that name this caller. */
function edgesFor(index: ModelIndex, who: Who, callee: ServiceModel): EdgeModel[] {
  return index
    .into(callee.id)
    .filter((e) =>
      who.kind === 'service'
        ? e.caller.kind === 'service' && e.caller.service === who.service.id
        : who.kind === 'principal'
          ? e.caller.kind === 'principal' &&
            e.caller.iamRole === who.iamRole &&
            (e.caller.sourceVpc === undefined || e.caller.sourceVpc === who.sourceVpc)
          : e.caller.kind === 'cidr' && ipInCidr(who.ip, e.caller.cidr),
    );
}

/** Why an entry does or does not admit the request; undefined when it admits. */
function refusal(e: EdgeModel, r: Request): string | undefined {
  if (r.port !== undefined && !e.ports.some((p) => p.port === r.port))
    return `port ${r.port} is not among the caller's ports (${e.ports.map((p) => p.port).join(', ')})`;
  if (r.method !== undefined && e.methods && !e.methods.includes(r.method))
    return `method ${r.method} is not among ${e.methods.join(', ')}`;
  if (r.path !== undefined && e.paths && !e.paths.some((p) => pathPatternAdmits(p, r.path as string)))
    return `path ${r.path} matches none of ${e.paths.join(', ')}`;
  return undefined;
}

const limits = (e: EdgeModel) =>
  [e.methods ? `methods ${e.methods.join(', ')}` : '', e.paths ? `paths ${e.paths.join(', ')}` : '']
    .filter(Boolean)
    .join(', ');

export function explain(
  model: Model,
  files: ReadonlyMap<string, string>,
  who: Who,
  callee: ServiceModel,
  request: Request,
  where: (e: Pick<EdgeModel, 'source'>) => string,
): Explanation {
  const index = indexModel(model);
  const callerName = who.kind === 'service' ? who.service.id : who.kind === 'principal' ? who.iamRole : who.ip;
  const entries = edgesFor(index, who, callee);
  const admitting = entries.filter((e) => refusal(e, request) === undefined);
  const layers: LayerFinding[] = [];
  const edge = admitting[0] ?? entries[0];
  const reason =
    admitting.length > 0
      ? `\`${callee.id}\` declares the caller${edge && limits(edge) ? ` (${limits(edge)})` : ''}`
      : entries.length > 0
        ? entries.map((e) => refusal(e, request)).join('; ')
        : `\`${callee.id}\` has no caller entry for \`${callerName}\``;
  layers.push({
    layer: 'contract',
    admits: admitting.length > 0,
    where:
      entries.length > 0 ? entries.map(where) : [where({ source: { ...callee.source, path: ['spec', 'callers'] } })],
    note: admitting.length > 0 ? `caller entry over ${edge?.path}` : reason,
  });
  const port = request.port ?? edge?.ports[0]?.port ?? callee.ports[0]?.port ?? 0;
  const path =
    edge?.path ??
    (who.kind === 'address'
      ? 'network'
      : who.kind === 'principal'
        ? 'lattice'
        : who.service.cluster === callee.cluster && callee.exposure.mesh && callee.platform === 'eks'
          ? 'mesh'
          : 'lattice');
  const allowed = admitting.length > 0;
  if (callee.platform === 'eks') {
    layers.push(networkPolicy(index, files, who, callee, path, port, allowed));
    if (index.cluster(callee.cluster).mesh !== 'none')
      layers.push(istio(index, files, who, callee, path, port, allowed));
  }
  if (path === 'lattice') layers.push(lattice(files, who, callee, allowed));
  const groups = securityGroups(index, who, callee, path, port, allowed);
  if (groups) layers.push(groups);
  return {
    caller: callerName,
    callee: callee.id,
    request: { ...request, port },
    verdict: allowed ? 'allowed' : 'denied',
    reason,
    layers,
  };
}

function manifestOf(files: ReadonlyMap<string, string>, s: ServiceModel): Located[] {
  const file = `kubernetes/${s.cluster}/${s.namespace}/${s.name}.yaml`;
  return objectsIn(`out/${file}`, files.get(file));
}

const at = (o: Located, rule?: number) =>
  `${o.file}:${o.line} ${o.object.kind} ${o.object.metadata.name}${rule === undefined ? '' : `, rule ${rule + 1}`}`;

function networkPolicy(
  index: ModelIndex,
  files: ReadonlyMap<string, string>,
  who: Who,
  callee: ServiceModel,
  path: string,
  port: number,
  allowed: boolean,
): LayerFinding {
  const policy = manifestOf(files, callee).find(
    (o) => o.object.kind === 'NetworkPolicy' && o.object.metadata.name === `callgate-${callee.name}`,
  );
  const namespaceDeny = `out/kubernetes/${callee.cluster}/${callee.namespace}/_namespace.yaml (default deny)`;
  if (!policy)
    return {
      layer: 'NetworkPolicy',
      admits: false,
      where: [namespaceDeny],
      note: 'no policy selects the service, so the namespace default denies everything',
    };
  const ingress = (policy.object.spec?.ingress ?? []) as {
    from?: Record<string, unknown>[];
    ports?: { port: number }[];
  }[];
  const waypoint = path === 'mesh' && usesWaypoint(index, callee);
  const wantPort = waypoint ? hbonePort : port;
  const matches = ingress.flatMap((rule, i) => {
    const portOk = (rule.ports ?? []).some((p) => p.port === wantPort);
    const peerOk = (rule.from ?? []).some((peer) => {
      if (who.kind === 'service' && path === 'mesh' && !waypoint) {
        const labels = (peer.podSelector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
        const ns = (peer.namespaceSelector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels?.[
          'kubernetes.io/metadata.name'
        ];
        return (
          ns === who.service.namespace && Object.entries(labels).every(([k, v]) => who.service.podSelector?.[k] === v)
        );
      }
      if (waypoint) return JSON.stringify(peer).includes(`${callee.name}-waypoint`);
      const block = (peer.ipBlock as { cidr?: string } | undefined)?.cidr;
      if (!block) return false;
      return path === 'lattice'
        ? latticeRanges(index.model, callee.region).includes(block)
        : who.kind === 'address' && ipInCidr(who.ip, block);
    });
    return portOk && peerOk ? [i] : [];
  });
  const admits = matches.length > 0;
  const via = waypoint
    ? `through the waypoint on HBONE ${hbonePort}`
    : path === 'lattice'
      ? 'from the VPC Lattice ranges'
      : path === 'network'
        ? "from the caller's range"
        : "from the caller's pods";
  return {
    layer: 'NetworkPolicy',
    admits,
    where: admits ? matches.map((i) => at(policy, i)) : [at(policy), namespaceDeny],
    note: admits
      ? `ingress ${via} on port ${wantPort}${allowed ? '' : ' (the contract does not admit the request: narrower layers decide)'}`
      : `no ingress rule admits it on port ${wantPort}`,
  };
}

function istio(
  index: ModelIndex,
  files: ReadonlyMap<string, string>,
  who: Who,
  callee: ServiceModel,
  path: string,
  port: number,
  allowed: boolean,
): LayerFinding {
  const policies = manifestOf(files, callee).filter((o) => o.object.kind === 'AuthorizationPolicy');
  const principal = who.kind === 'service' ? who.service.meshPrincipal : undefined;
  const hits: string[] = [];
  for (const p of policies) {
    (
      (p.object.spec?.rules ?? []) as {
        from?: { source?: { principals?: string[]; ipBlocks?: string[] } }[];
        to?: { operation?: { ports?: string[] } }[];
      }[]
    ).forEach((rule, i) => {
      const sources = (rule.from ?? []).map((f) => f.source ?? {});
      const fromOk = sources.some(
        (s) =>
          (path === 'mesh' && principal !== undefined && (s.principals ?? []).includes(principal)) ||
          (path !== 'mesh' &&
            (s.ipBlocks ?? []).some((b) =>
              path === 'lattice'
                ? latticeRanges(index.model, callee.region).includes(b)
                : who.kind === 'address' && ipInCidr(who.ip, b),
            )),
      );
      const portOk =
        (rule.to ?? []).length === 0 ||
        (rule.to ?? []).some(
          (t) => (t.operation?.ports ?? []).length === 0 || (t.operation?.ports ?? []).includes(String(port)),
        );
      if (fromOk && portOk) hits.push(at(p, i));
    });
  }
  const mode = index.cluster(callee.cluster).mesh;
  const admits = hits.length > 0;
  return {
    layer: 'Istio',
    admits,
    where: admits ? hits : policies.map((p) => at(p)),
    note: admits
      ? `${mode}: an ALLOW rule names ${path === 'mesh' ? `\`${principal}\`` : path === 'lattice' ? 'the VPC Lattice ranges (plaintext from Lattice, accepted on that port only)' : "the caller's range"}${allowed ? '' : '; the contract still denies the request (method or path)'}`
      : `${mode}: no ALLOW rule names the caller, so the service's ALLOW policies deny it`,
  };
}

function lattice(files: ReadonlyMap<string, string>, who: Who, callee: ServiceModel, allowed: boolean): LayerFinding {
  const l = callee.exposure.lattice;
  if (!l)
    return {
      layer: 'VPC Lattice',
      admits: false,
      where: [callee.source.file],
      note: `\`${callee.id}\` is not exported over VPC Lattice`,
    };
  const file = `lattice/${l.serviceNetwork}/services/${callee.namespace}/${callee.name}.json`;
  const text = files.get(file);
  const role = who.kind === 'service' ? who.service.iamRole : who.kind === 'principal' ? who.iamRole : undefined;
  const statements = text
    ? (JSON.parse(text) as { Statement: { Sid: string; Principal: { AWS: string | string[] } }[] }).Statement
    : [];
  const hits = statements
    .filter((s) => role !== undefined && [s.Principal.AWS].flat().includes(role))
    .map((s) => `out/${file} statement ${s.Sid}`);
  const delivery =
    callee.platform === 'eks'
      ? `IAMAuthPolicy ${callee.name} in out/kubernetes/${callee.cluster}/${callee.namespace}/${callee.name}.yaml`
      : `aws_vpclattice_auth_policy.${callee.namespace}-${callee.name}-auth-policy in out/cdktf/${ownerStackName(callee)}/cdk.tf.json`;
  const admits = hits.length > 0 && allowed;
  return {
    layer: 'VPC Lattice',
    admits,
    where: [
      ...(hits.length > 0 ? hits : [`out/${file}`]),
      `out/lattice/${l.serviceNetwork}/service-network.json`,
      delivery,
    ],
    note:
      hits.length > 0
        ? `the service policy allows \`${role}\`${allowed ? '' : ', but not this method or path'} (the network policy admits signed principals)`
        : role
          ? `no statement allows \`${role}\``
          : 'a caller without an IAM role cannot sign requests',
  };
}

function securityGroups(
  index: ModelIndex,
  who: Who,
  callee: ServiceModel,
  path: string,
  port: number,
  allowed: boolean,
): LayerFinding | undefined {
  const plan = planSecurityGroups(index);
  const own = plan.services.get(callee.id);
  const clusterRules = plan.clusters.get(callee.cluster);
  if (!own && !clusterRules) return undefined;
  const rules: { rule: SecurityGroupRule; stack: string; prefix: string }[] = [
    ...(own ?? []).map((rule) => ({
      rule,
      stack: ownerStackName(callee),
      prefix: `${callee.namespace}-${callee.name}`,
    })),
    ...(clusterRules ?? []).map((rule) => ({
      rule,
      stack: groupsStackName(callee),
      prefix: `cluster-${callee.cluster}`,
    })),
  ];
  const wantPort = path === 'mesh' && usesWaypoint(index, callee) ? hbonePort : port;
  const hits = rules.filter(({ rule }) => {
    if (rule.direction !== 'ingress' || rule.port !== wantPort) return false;
    if ('service' in rule.owner ? rule.owner.service !== callee.id : !clusterRules) return false;
    if (path === 'lattice') return rule.peer.kind === 'lattice';
    if (path === 'network')
      return rule.peer.kind === 'cidr' && who.kind === 'address' && ipInCidr(who.ip, rule.peer.cidr);
    return (
      rule.peer.kind === 'group' &&
      who.kind === 'service' &&
      ('service' in rule.peer.group
        ? rule.peer.group.service === who.service.id
        : rule.peer.group.cluster === who.service.cluster)
    );
  });
  if (hits.length === 0 && !own) return undefined;
  const admits = hits.length > 0;
  return {
    layer: 'security group',
    admits,
    where: hits.map(
      ({ rule, stack, prefix }) =>
        `out/cdktf/${stack}/cdk.tf.json aws_vpc_security_group_ingress_rule.${prefix}-${rule.key}`,
    ),
    note: admits
      ? `ingress ${rule(hits)} on port ${wantPort}${allowed ? '' : ' (groups cannot see methods or paths)'}`
      : `the service's group has no ingress rule for this caller on port ${wantPort}`,
  };
}

const rule = (hits: { rule: SecurityGroupRule }[]) =>
  hits[0]?.rule.peer.kind === 'lattice'
    ? 'from the Lattice prefix lists'
    : hits[0]?.rule.peer.kind === 'cidr'
      ? "from the caller's range"
      : "from the caller's group";
