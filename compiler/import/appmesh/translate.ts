import type { JsonPath } from '../../diagnostics/diagnostic.js';
import { compareStrings } from '../../util/compare.js';
import { defined } from '../../util/defined.js';
import { Findings, isObj, listAt, objAt } from './fields.js';
import { ResourceIndex } from './index.js';
import { commentText, firstLabel, label, serviceName } from './names.js';
import type { Ref, VirtualNode, VirtualRouter } from './resources.js';
import { importRoutes, type ImportedRoute } from './routes.js';
import { dropped, listenerSettings } from './settings.js';

/** One contract to write: its data and the comments that explain where it came from. */
export interface ImportedContract {
  namespace: string;
  name: string;
  mesh: string;
  platform: 'eks' | 'ecs';
  /** The virtual nodes it stands for, as App Mesh names them. */
  nodes: string[];
  data: Record<string, unknown>;
  comments: [JsonPath, string][];
}

export interface ImportedGateway {
  mesh: string;
  name: string;
  namespace: string;
  podSelector?: Record<string, string>;
}

export interface Translation {
  contracts: ImportedContract[];
  gateways: ImportedGateway[];
  meshes: { name: string; egress?: string }[];
}

/** Who calls a service: the ports (or all), and for an ingress gateway its name. */
interface CallerEntry {
  ports: Set<number> | 'all';
  gateway?: string;
}

/** A service: the virtual nodes one router splits traffic between, or a node alone. */
interface Group {
  nodes: VirtualNode[];
  name: string;
  namespace: string;
  mesh: string;
  platform: 'eks' | 'ecs';
  /** Version label of each node, when the group has versions. */
  versions: Map<string, string>;
  routers: VirtualRouter[];
}

const clusterName = (mesh: string, platform: string) => `${label(mesh, 59, 'mesh')}-${platform}`;

/** EKS for the controller's objects and for nodes found by a Kubernetes DNS name; ECS otherwise. */
function platformOf(n: VirtualNode): 'eks' | 'ecs' {
  if (n.form === 'kubernetes') return 'eks';
  return n.discovery?.dns?.endsWith('.svc.cluster.local') ? 'eks' : 'ecs';
}

export function translate(index: ResourceIndex, findings: Findings): Translation {
  // Which nodes each virtual service reaches, and through which router.
  const providers = new Map<string, { nodes: VirtualNode[]; router?: VirtualRouter; ports?: number[] }>();
  for (const vs of index.services) {
    if (!vs.provider) {
      providers.set(vs.key, { nodes: [] });
      continue;
    }
    if ('node' in vs.provider) {
      const n = index.resolve('VirtualNode', vs.provider.node, findings);
      providers.set(vs.key, { nodes: n ? [n] : [] });
      continue;
    }
    const router = index.resolve('VirtualRouter', vs.provider.router, findings);
    if (!router) {
      providers.set(vs.key, { nodes: [] });
      continue;
    }
    const nodes = new Map<string, VirtualNode>();
    const ports: number[] = [];
    for (const route of router.routes)
      for (const t of route.targets) {
        const n = index.resolve('VirtualNode', t.node, findings);
        if (n) nodes.set(n.key, n);
        if (t.port !== undefined) ports.push(t.port);
      }
    providers.set(vs.key, {
      nodes: [...nodes.values()],
      router,
      ports: [...ports, ...router.listeners.map((l) => l.port)],
    });
  }

  const groups = groupNodes(index, providers, findings);
  const groupOf = new Map<string, Group>();
  for (const g of groups) for (const n of g.nodes) groupOf.set(n.key, g);

  // Callers: each node's backends, through the service to the nodes that serve it.
  const callers = new Map<Group, Map<string, CallerEntry>>();
  const admit = (callee: Group, caller: string, ports: number[] | 'all', gateway?: string) => {
    const byCaller = callers.get(callee) ?? new Map<string, CallerEntry>();
    callers.set(callee, byCaller);
    const entry: CallerEntry = byCaller.get(caller) ?? { ports: new Set<number>(), ...(gateway ? { gateway } : {}) };
    if (ports === 'all' || entry.ports === 'all') entry.ports = 'all';
    else for (const p of ports) entry.ports.add(p);
    byCaller.set(caller, entry);
  };
  for (const node of index.nodes) {
    const from = defined(groupOf.get(node.key), node.key);
    const backends: Ref[] = [...node.backends, ...node.backendGroups.flatMap((g) => index.backendGroup(g, findings))];
    for (const b of backends) {
      const vs = index.resolve('VirtualService', b, findings);
      const p = vs ? providers.get(vs.key) : undefined;
      for (const target of p?.nodes ?? []) {
        const to = defined(groupOf.get(target.key), target.key);
        admit(to, serviceRef(from, to), p?.router ? portsThrough(target, p.ports ?? []) : 'all');
      }
    }
  }
  const gateways: ImportedGateway[] = [];
  for (const gw of index.gateways)
    gateways.push({
      mesh: gw.mesh,
      name: label(gw.name, 63, 'gateway'),
      // The API does not say where a gateway runs: its namespace is left to fill in.
      namespace: gw.namespace === undefined ? 'TODO' : label(gw.namespace, 63, 'default'),
      ...(gw.podSelector ? { podSelector: gw.podSelector } : {}),
    });
  for (const gr of index.gatewayRoutes) {
    const gw = gr.gateway
      ? index.resolve('VirtualGateway', gr.gateway, findings)
      : index.gateways.filter((g) => g.mesh === gr.mesh).length === 1
        ? index.gateways.find((g) => g.mesh === gr.mesh)
        : undefined;
    if (!gw) {
      if (!gr.gateway)
        findings.add({
          code: 'appmesh-reference-unknown',
          doc: gr.at.doc,
          path: gr.at.path,
          data: { kind: 'VirtualGateway', name: gr.name },
        });
      continue;
    }
    const vs = gr.target ? index.resolve('VirtualService', gr.target, findings) : undefined;
    const p = vs ? providers.get(vs.key) : undefined;
    // The gateway's own path matching and rewriting stay with the gateway.
    const match = objAt(gr.body, 'match');
    if (match && !(Object.keys(match).length === 1 && match.prefix === '/'))
      dropped(findings, gr.at.doc, [...gr.bodyPath, 'match'], 'gatewayRoute', 'match');
    for (const target of p?.nodes ?? []) {
      const to = defined(groupOf.get(target.key), target.key);
      if (to.platform === 'ecs') {
        dropped(findings, gr.at.doc, gr.at.path, 'gatewayToEcs', 'GatewayRoute');
        continue;
      }
      const name = label(gw.name, 63, 'gateway');
      admit(to, `gateway:${name}`, 'all', name);
    }
  }

  const keyOf = (ref: Ref) => {
    const r = index.lookup(ref);
    return r && 'key' in r ? r.key : ref.key;
  };
  const contracts = groups.map((g) => contractOf(g, callers.get(g), keyOf, findings));
  const meshes = index.meshes.map((m) => ({ name: m.name, ...(m.egress ? { egress: m.egress } : {}) }));
  for (const m of index.meshes)
    if (m.egress === 'ALLOW_ALL')
      findings.add({
        code: 'appmesh-egress-allow-all',
        doc: m.at.doc,
        path: [...m.at.path, 'spec', 'egressFilter'],
        data: { mesh: m.name },
      });
  return { contracts, gateways, meshes };
}

/** The ports of a node a caller reaches through a router: those the router sends to. */
function portsThrough(node: VirtualNode, ports: number[]): number[] | 'all' {
  const own = node.listeners.map((l) => l.port);
  const reached = own.filter((p) => ports.includes(p));
  if (reached.length > 0) return reached;
  // A router on another port than the node's single listener still reaches that listener.
  return own.length === 1 ? own : 'all';
}

function serviceRef(from: Group, to: Group): string {
  return from.namespace === to.namespace ? from.name : `${from.namespace}/${from.name}`;
}

function groupNodes(
  index: ResourceIndex,
  providers: Map<string, { nodes: VirtualNode[]; router?: VirtualRouter }>,
  findings: Findings,
): Group[] {
  // Nodes a router splits traffic between are versions of one service (union-find).
  const parent = new Map<string, string>(index.nodes.map((n) => [n.key, n.key]));
  const find = (k: string): string => {
    const p = parent.get(k) ?? k;
    if (p === k) return k;
    const root = find(p);
    parent.set(k, root);
    return root;
  };
  const routersOf = new Map<string, VirtualRouter[]>();
  const serviceOfRouter = new Map<string, string>();
  for (const vs of index.services) {
    const p = providers.get(vs.key);
    if (!p?.router) continue;
    const [first, ...rest] = p.nodes;
    if (first) for (const n of rest) parent.set(find(n.key), find(first.key));
    if (!serviceOfRouter.has(p.router.key))
      serviceOfRouter.set(p.router.key, vs.form === 'kubernetes' ? vs.name : vs.host);
    for (const n of p.nodes) {
      const list = routersOf.get(n.key) ?? [];
      if (!list.includes(p.router)) list.push(p.router);
      routersOf.set(n.key, list);
    }
  }
  const members = new Map<string, VirtualNode[]>();
  for (const n of index.nodes) {
    const root = find(n.key);
    members.set(root, [...(members.get(root) ?? []), n]);
  }
  // Versions are told apart by a `version` label, and the service's pods by the labels its versions
  // share. Where those shared labels also select another node's pods, one contract would admit
  // for pods that are not its own: the nodes stay contracts of their own, and the weights go.
  const split: VirtualNode[][] = [];
  for (const nodes of members.values()) {
    if (nodes.length < 2 || !overlapsOthers(nodes, index.nodes)) {
      split.push(nodes);
      continue;
    }
    for (const r of [...new Set(nodes.flatMap((n) => routersOf.get(n.key) ?? []))])
      dropped(findings, r.at.doc, r.at.path, 'versionsOverlap', r.name);
    for (const n of nodes) {
      split.push([n]);
      routersOf.delete(n.key);
    }
  }
  const taken = new Set<string>();
  const groups: Group[] = [];
  for (const nodes of split.sort((a, b) => compareStrings(a[0]?.key ?? '', b[0]?.key ?? ''))) {
    const first = defined(nodes[0], 'a group of nodes');
    const routers = [...new Set(nodes.flatMap((n) => routersOf.get(n.key) ?? []))].sort((a, b) =>
      compareStrings(a.key, b.key),
    );
    const router = routers[0];
    const wanted =
      nodes.length > 1 && router
        ? serviceName(firstLabel(serviceOfRouter.get(router.key) ?? router.name))
        : serviceName(first.name);
    const namespace = label(first.namespace ?? first.mesh, 63, 'default');
    let name = wanted;
    for (let i = 2; taken.has(`${namespace}/${name}`); i++) name = `${wanted.slice(0, 36)}-${i}`;
    taken.add(`${namespace}/${name}`);
    const original = nodes.length > 1 ? undefined : first.name;
    if (original !== undefined && name !== original)
      findings.add({
        code: 'appmesh-renamed',
        doc: first.at.doc,
        path: first.at.path,
        data: { from: original, to: `${namespace}/${name}` },
      });
    const versions = new Map<string, string>();
    if (nodes.length > 1 || (routers.length > 0 && first.podSelector?.version !== undefined)) {
      const used = new Set<string>();
      for (const n of nodes) {
        const fromLabel = n.podSelector?.version;
        const stripped = n.name.startsWith(`${wanted}-`) ? n.name.slice(wanted.length + 1) : n.name;
        const base = label(fromLabel ?? stripped, 20, 'v');
        let v = base;
        for (let i = 2; used.has(v); i++) v = `${base.slice(0, 17)}-${i}`;
        used.add(v);
        versions.set(n.key, v);
        if (fromLabel !== v)
          findings.add({
            code: 'appmesh-version-label',
            doc: n.at.doc,
            path: n.at.path,
            data: { node: n.name, version: v },
          });
      }
    }
    groups.push({ nodes, name, namespace, mesh: first.mesh, platform: platformOf(first), versions, routers });
  }
  return groups;
}

/** The labels every node of a group shares (but `version`), in a fixed order. */
function sharedLabels(nodes: readonly VirtualNode[]): [string, string][] {
  const selectors = nodes.map((n) => n.podSelector ?? {});
  return Object.entries(selectors[0] ?? {})
    .filter(([k, v]) => k !== 'version' && selectors.every((s) => s[k] === v))
    .sort(([a], [b]) => compareStrings(a, b));
}

/** Do the labels a group's nodes share also select pods of a node outside it (in its namespace)? */
function overlapsOthers(nodes: readonly VirtualNode[], all: readonly VirtualNode[]): boolean {
  const shared = sharedLabels(nodes);
  const namespace = nodes[0]?.namespace;
  return all.some(
    (o) =>
      !nodes.includes(o) &&
      o.namespace === namespace &&
      o.podSelector !== undefined &&
      shared.every(([k, v]) => o.podSelector?.[k] === v),
  );
}

function contractOf(
  g: Group,
  callers: Map<string, CallerEntry> | undefined,
  keyOf: (ref: Ref) => string,
  findings: Findings,
): ImportedContract {
  const comments: [JsonPath, string][] = [];
  const cluster = clusterName(g.mesh, g.platform);
  const workload: Record<string, unknown> = { platform: g.platform, cluster };
  const first = defined(g.nodes[0], g.name);
  for (const n of g.nodes)
    if (platformOf(n) !== g.platform)
      findings.add({
        code: 'appmesh-setting-conflict',
        doc: n.at.doc,
        path: n.at.path,
        data: { setting: 'platform', kept: g.platform },
      });
  if (g.platform === 'ecs')
    comments.push([
      ['spec', 'workload', 'platform'],
      first.discovery?.cloudMap
        ? 'found through Cloud Map: ECS tasks'
        : 'found by a DNS name outside Kubernetes: ECS tasks',
    ]);
  // Labels every version's selector shares, but `version`, which tells the versions apart.
  const shared =
    g.nodes.length > 1
      ? sharedLabels(g.nodes)
      : Object.entries(first.podSelector ?? {}).sort(([a], [b]) => compareStrings(a, b));
  if (g.platform === 'eks' && shared.length > 0) workload.podSelector = Object.fromEntries(shared);
  for (const n of g.nodes) {
    const sel = objAt(n.spec, 'podSelector');
    if (sel && listAt(sel, 'matchExpressions').length > 0)
      dropped(
        findings,
        n.at.doc,
        [...n.specPath, 'podSelector', 'matchExpressions'],
        'selectorExpressions',
        'matchExpressions',
      );
    const cm = objAt(objAt(n.spec, 'serviceDiscovery') ?? {}, 'awsCloudMap');
    if (cm && listAt(cm, 'attributes').length > 0)
      dropped(
        findings,
        n.at.doc,
        [...n.specPath, 'serviceDiscovery', 'awsCloudMap', 'attributes'],
        'cloudMapAttributes',
        'attributes',
      );
    if (isObj(n.spec.logging)) dropped(findings, n.at.doc, [...n.specPath, 'logging'], 'logging', 'logging');
    const defaults = objAt(n.spec, 'backendDefaults');
    if (defaults && isObj(defaults.clientPolicy))
      findings.add({
        code: 'appmesh-tls-replaced',
        doc: n.at.doc,
        path: [...n.specPath, 'backendDefaults', 'clientPolicy'],
        data: {},
      });
    listAt(n.spec, 'backends').forEach((b, i) => {
      if (isObj(b) && isObj(b.virtualService) && isObj(b.virtualService.clientPolicy))
        findings.add({
          code: 'appmesh-tls-replaced',
          doc: n.at.doc,
          path: [...n.specPath, 'backends', i, 'virtualService', 'clientPolicy'],
          data: {},
        });
    });
  }

  // Ports: every version's listeners; one port number has one protocol.
  const ports: { name: string; port: number; protocol: string }[] = [];
  const resilience: Record<string, unknown> = {};
  const circuitBreaker: Record<string, number> = {};
  const outlier: Record<string, number | string> = {};
  let mtls: string | undefined;
  for (const n of g.nodes)
    for (const l of n.listeners) {
      const same = ports.find((p) => p.port === l.port);
      if (same && same.protocol !== l.protocol)
        findings.add({
          code: 'appmesh-setting-conflict',
          doc: l.at.doc,
          path: [...l.at.path, 'portMapping', 'protocol'],
          data: { setting: `port ${l.port}`, kept: same.protocol },
        });
      if (!same) ports.push({ name: '', port: l.port, protocol: l.protocol });
      const s = listenerSettings(l, findings);
      if (s.timeout && resilience.timeout === undefined) resilience.timeout = s.timeout;
      for (const [k, v] of Object.entries(s.circuitBreaker)) circuitBreaker[k] ??= v;
      for (const [k, v] of Object.entries(s.outlierDetection)) outlier[k] ??= v;
      if (s.tls && mtls === undefined) mtls = s.tls;
      else if (s.tls && s.tls !== mtls)
        findings.add({
          code: 'appmesh-setting-conflict',
          doc: l.at.doc,
          path: [...l.at.path, 'tls', 'mode'],
          data: { setting: 'tls.mode', kept: mtls ?? '' },
        });
    }
  ports.sort((a, b) => a.port - b.port);
  for (const p of ports) {
    const alone = ports.filter((q) => q.protocol === p.protocol).length === 1;
    p.name = alone ? p.protocol : `${p.protocol}-${p.port}`;
  }

  // Routes: the first router's (by name); a service behind two routers keeps one set.
  const meshRoutes: Record<string, unknown>[] = [];
  const [router, ...others] = g.routers;
  for (const o of others) dropped(findings, o.at.doc, o.at.path, 'otherRouter', o.name);
  // Routes split HTTP requests: a service without an HTTP, HTTP/2 or gRPC port has none to split.
  const l7 = ports.some((p) => p.protocol !== 'tcp');
  // ECS tasks have no mesh routes (no waypoint serves them).
  const routable = l7 && g.platform === 'eks';
  if (router && router.routes.length > 0 && !routable)
    dropped(findings, router.at.doc, router.at.path, l7 ? 'ecsRoutes' : 'noHttpPort', router.name);
  const routes: ImportedRoute[] = router && routable ? importRoutes(router.routes, findings) : [];
  const seen = new Set<string>();
  for (const r of routes) {
    const catchAll = r.paths.length === 1 && r.paths[0] === '/*';
    const versions = r.targets.map((t) => ({ version: g.versions.get(keyOf(t.node)), weight: t.weight }));
    const split = g.versions.size > 0 && versions.every((v) => v.version !== undefined);
    if (r.route.type === 'tcpRoute' && r.targets.length > 1) {
      dropped(
        findings,
        r.route.at.doc,
        [...r.route.bodyPath, 'action', 'weightedTargets'],
        'tcpWeights',
        'weightedTargets',
      );
      continue;
    }
    if (!split || r.route.type === 'tcpRoute') {
      // One version: a route that takes everything is the service's resilience.
      if (catchAll) {
        if (r.timeout) resilience.timeout = r.timeout;
        if (r.retries) resilience.retries = r.retries;
      } else if (r.timeout || r.retries)
        dropped(findings, r.route.at.doc, r.route.at.path, 'singleVersionRoute', r.route.name);
      continue;
    }
    for (const path of r.paths) {
      if (seen.has(path)) {
        dropped(findings, r.route.at.doc, [...r.route.bodyPath, 'match'], 'duplicateRoute', path);
        continue;
      }
      seen.add(path);
      meshRoutes.push({
        path,
        backends: versions.map((v) => ({ version: v.version, weight: Math.min(v.weight, 999) })),
        ...(r.timeout ? { timeout: r.timeout } : {}),
        ...(r.retries ? { retries: r.retries } : {}),
      });
    }
  }

  const callerList = [...(callers ?? new Map<string, CallerEntry>())]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([ref, c]) => {
      const reached = c.ports;
      const names = reached === 'all' ? [] : ports.filter((p) => reached.has(p.port)).map((p) => p.name);
      const all = reached === 'all' || names.length === ports.length || names.length === 0;
      return { ...(c.gateway ? { gateway: c.gateway } : { service: ref }), ...(all ? {} : { ports: names }) };
    });

  if (Object.keys(circuitBreaker).length > 0) resilience.circuitBreaker = circuitBreaker;
  if (Object.keys(outlier).length > 0) resilience.outlierDetection = outlier;
  const spec: Record<string, unknown> = { workload };
  if (ports.length > 0) spec.ports = ports;
  if (meshRoutes.length > 0) spec.exposure = { mesh: { routes: meshRoutes } };
  spec.callers = callerList;
  // On ECS the mesh binds no waypoint to tasks, so resilience would apply nowhere (resilience-needs-mesh).
  if (Object.keys(resilience).length > 0 && g.platform === 'ecs')
    dropped(findings, first.at.doc, [...first.specPath, 'listeners'], 'ecsResilience', 'listeners');
  else if (Object.keys(resilience).length > 0) spec.resilience = orderedResilience(resilience);
  if (mtls) spec.mtls = mtls;
  const owner = label(g.namespace, 63, 'default');
  comments.push([['metadata', 'owner'], 'App Mesh names no owner: the namespace stands in']);
  if (callerList.length === 0) comments.push([['spec', 'callers'], 'no virtual node names this one as a backend']);
  return {
    namespace: g.namespace,
    name: g.name,
    mesh: g.mesh,
    platform: g.platform,
    nodes: g.nodes.map((n) => commentText(n.name)),
    data: {
      apiVersion: 'callgate.dev/v1alpha1',
      kind: 'ServiceContract',
      metadata: { name: g.name, namespace: g.namespace, owner },
      spec,
    },
    comments,
  };
}

function orderedResilience(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['timeout', 'retries', 'circuitBreaker', 'outlierDetection']) if (r[k] !== undefined) out[k] = r[k];
  return out;
}
