import type { JsonPath } from '../../diagnostics/diagnostic.js';
import { discoveryAt, Findings, isObj, labelsAt, listAt, numAt, objAt, strAt, type Obj } from './fields.js';
import type { Listener, Ref, Resource, Route, WeightedTarget } from './resources.js';
import { refFromArn } from './refs.js';
import { reportUnread } from './coverage.js';

// The App Mesh controller's objects (appmesh.k8s.aws/v1beta2), as `kubectl get -o yaml` prints
// them. References name other objects by namespace and name, the namespace defaulting to the
// referring object's own.

export const kubernetesKinds = [
  'Mesh',
  'VirtualNode',
  'VirtualService',
  'VirtualRouter',
  'VirtualGateway',
  'GatewayRoute',
  'BackendGroup',
] as const;

export const k8sKey = (kind: string, namespace: string, name: string) => `k8s/${kind}/${namespace}/${name}`;

function objectRef(
  kind: string,
  ref: Obj | undefined,
  ownNamespace: string,
  doc: number,
  path: JsonPath,
): Ref | undefined {
  const name = strAt(ref, 'name');
  if (name === undefined) return undefined;
  const namespace = strAt(ref, 'namespace') ?? ownNamespace;
  return { key: k8sKey(kind, namespace, name), shown: `${namespace}/${name}`, at: { doc, path } };
}

/** A reference given either as `<kind>Ref` (an object) or `<kind>ARN`. */
function eitherRef(
  kind: string,
  holder: Obj | undefined,
  refField: string,
  arnField: string,
  ns: string,
  doc: number,
  path: JsonPath,
): Ref | undefined {
  if (holder === undefined) return undefined;
  const byRef = objectRef(kind, objAt(holder, refField), ns, doc, [...path, refField]);
  if (byRef) return byRef;
  const arn = strAt(holder, arnField);
  return arn === undefined ? undefined : refFromArn(kind, arn, { doc, path: [...path, arnField] });
}

export function listeners(spec: Obj, doc: number, specPath: JsonPath, findings: Findings): Listener[] {
  const out: Listener[] = [];
  listAt(spec, 'listeners').forEach((l, i) => {
    const path = [...specPath, 'listeners', i];
    const pm = isObj(l) ? objAt(l, 'portMapping') : undefined;
    const port = numAt(pm, 'port');
    const protocol = strAt(pm, 'protocol');
    if (!isObj(l) || port === undefined || !Number.isInteger(port) || port < 1 || port > 65535 || !protocol) {
      findings.malformed(doc, path, 'a listener with `portMapping.port` (1 to 65535) and `portMapping.protocol`');
      return;
    }
    out.push({ port, protocol, at: { doc, path }, raw: l });
  });
  return out;
}

export function routeOf(
  r: unknown,
  doc: number,
  path: JsonPath,
  targetRef: (t: Obj, p: JsonPath) => Ref | undefined,
  findings: Findings,
): Route | undefined {
  if (!isObj(r)) {
    findings.malformed(doc, path, 'a route object');
    return undefined;
  }
  const type = (['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'] as const).find((t) => isObj(r[t]));
  const name = strAt(r, 'name') ?? strAt(r, 'routeName') ?? '';
  if (!type) {
    findings.malformed(doc, path, 'a route with one of `httpRoute`, `http2Route`, `grpcRoute` or `tcpRoute`');
    return undefined;
  }
  const body = objAt(r, type) ?? {};
  const bodyPath = [...path, type];
  const targets: WeightedTarget[] = [];
  listAt(objAt(body, 'action'), 'weightedTargets').forEach((t, j) => {
    const tPath = [...bodyPath, 'action', 'weightedTargets', j];
    const node = isObj(t) ? targetRef(t, tPath) : undefined;
    const weight = isObj(t) ? numAt(t, 'weight') : undefined;
    if (!isObj(t) || !node || weight === undefined || !Number.isInteger(weight) || weight < 0) {
      findings.malformed(doc, tPath, 'a weighted target with a virtual node and a whole-number `weight`');
      return;
    }
    const port = numAt(t, 'port');
    targets.push({ node, weight, ...(port !== undefined ? { port } : {}) });
  });
  const priority = numAt(r, 'priority');
  return { name, type, body, targets, bodyPath, at: { doc, path }, ...(priority !== undefined ? { priority } : {}) };
}

/** One Kubernetes object, or nothing (and a finding) when it is not an App Mesh resource. */
export function readKubernetesObject(o: Obj, doc: number, path: JsonPath, findings: Findings): Resource | undefined {
  const kind = strAt(o, 'kind') ?? '';
  const metadata = objAt(o, 'metadata');
  const name = strAt(metadata, 'name');
  const spec = objAt(o, 'spec') ?? {};
  const specPath = [...path, 'spec'];
  const at = { doc, path };
  if (name === undefined) {
    findings.malformed(doc, [...path, 'metadata'], '`metadata.name`');
    return undefined;
  }
  // Meshes are cluster-scoped; everything else lives in a namespace.
  const namespace = strAt(metadata, 'namespace') ?? 'default';
  const mesh = strAt(objAt(spec, 'meshRef'), 'name') ?? '';
  reportUnread(kind, spec, doc, specPath, findings);
  switch (kind) {
    case 'Mesh':
      return { kind: 'Mesh', name, at, ...opt('egress', strAt(objAt(spec, 'egressFilter'), 'type')) };
    case 'VirtualNode': {
      const backends: Ref[] = [];
      listAt(spec, 'backends').forEach((b, i) => {
        const p = [...specPath, 'backends', i, 'virtualService'];
        const ref = eitherRef(
          'VirtualService',
          isObj(b) ? objAt(b, 'virtualService') : undefined,
          'virtualServiceRef',
          'virtualServiceARN',
          namespace,
          doc,
          p,
        );
        if (ref) backends.push(ref);
        else
          findings.malformed(
            doc,
            [...specPath, 'backends', i],
            'a backend with `virtualService.virtualServiceRef` or `virtualServiceARN`',
          );
      });
      const backendGroups: Ref[] = [];
      listAt(spec, 'backendGroups').forEach((g, i) => {
        const ref = objectRef('BackendGroup', isObj(g) ? g : undefined, namespace, doc, [
          ...specPath,
          'backendGroups',
          i,
        ]);
        if (ref) backendGroups.push(ref);
        else findings.malformed(doc, [...specPath, 'backendGroups', i], 'a backend group with `name`');
      });
      const discovery = discoveryAt(spec);
      return {
        kind: 'VirtualNode',
        form: 'kubernetes',
        mesh,
        name,
        namespace,
        key: k8sKey('VirtualNode', namespace, name),
        listeners: listeners(spec, doc, specPath, findings),
        backends,
        backendGroups,
        ...opt('podSelector', labelsAt(objAt(spec, 'podSelector'))),
        discovery,
        at,
        spec,
        specPath,
      };
    }
    case 'VirtualService': {
      const provider = objAt(spec, 'provider');
      const pPath = [...specPath, 'provider'];
      const node = eitherRef(
        'VirtualNode',
        objAt(provider ?? {}, 'virtualNode'),
        'virtualNodeRef',
        'virtualNodeARN',
        namespace,
        doc,
        [...pPath, 'virtualNode'],
      );
      const router = eitherRef(
        'VirtualRouter',
        objAt(provider ?? {}, 'virtualRouter'),
        'virtualRouterRef',
        'virtualRouterARN',
        namespace,
        doc,
        [...pPath, 'virtualRouter'],
      );
      return {
        kind: 'VirtualService',
        form: 'kubernetes',
        mesh,
        name,
        namespace,
        key: k8sKey('VirtualService', namespace, name),
        host: strAt(spec, 'awsName') ?? `${name}.${namespace}`,
        ...(node ? { provider: { node } } : router ? { provider: { router } } : {}),
        at,
      };
    }
    case 'VirtualRouter': {
      const routes: Route[] = [];
      listAt(spec, 'routes').forEach((r, i) => {
        const route = routeOf(
          r,
          doc,
          [...specPath, 'routes', i],
          (t, p) => eitherRef('VirtualNode', t, 'virtualNodeRef', 'virtualNodeARN', namespace, doc, p),
          findings,
        );
        if (route) routes.push(route);
      });
      return {
        kind: 'VirtualRouter',
        form: 'kubernetes',
        mesh,
        name,
        namespace,
        key: k8sKey('VirtualRouter', namespace, name),
        listeners: listeners(spec, doc, specPath, findings),
        routes,
        at,
      };
    }
    case 'VirtualGateway':
      return {
        kind: 'VirtualGateway',
        form: 'kubernetes',
        mesh,
        name,
        namespace,
        key: k8sKey('VirtualGateway', namespace, name),
        ...opt('podSelector', labelsAt(objAt(spec, 'podSelector'))),
        at,
      };
    case 'GatewayRoute': {
      const type = (['httpRoute', 'http2Route', 'grpcRoute'] as const).find((t) => isObj(spec[t]));
      const body = type ? (objAt(spec, type) ?? {}) : {};
      const bodyPath = type ? [...specPath, type] : specPath;
      const targetPath = [...bodyPath, 'action', 'target', 'virtualService'];
      const target = eitherRef(
        'VirtualService',
        objAt(objAt(objAt(body, 'action') ?? {}, 'target') ?? {}, 'virtualService'),
        'virtualServiceRef',
        'virtualServiceARN',
        namespace,
        doc,
        targetPath,
      );
      const gateway = objectRef('VirtualGateway', objAt(spec, 'virtualGatewayRef'), namespace, doc, [
        ...specPath,
        'virtualGatewayRef',
      ]);
      return {
        kind: 'GatewayRoute',
        form: 'kubernetes',
        mesh,
        name,
        namespace,
        body,
        bodyPath,
        at,
        ...opt('gateway', gateway),
        ...opt('target', target),
      };
    }
    case 'BackendGroup': {
      const services: Ref[] = [];
      listAt(spec, 'virtualservices').forEach((s, i) => {
        const ref = objectRef('VirtualService', isObj(s) ? s : undefined, namespace, doc, [
          ...specPath,
          'virtualservices',
          i,
        ]);
        if (ref) services.push(ref);
      });
      return {
        kind: 'BackendGroup',
        mesh,
        name,
        namespace,
        key: k8sKey('BackendGroup', namespace, name),
        services,
        at,
      };
    }
    default:
      return undefined;
  }
}

/** `{key: value}` when the value is defined, `{}` otherwise: optional fields stay absent. */
export function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  const out: Partial<Record<K, V>> = {};
  if (value !== undefined) out[key] = value;
  return out;
}
