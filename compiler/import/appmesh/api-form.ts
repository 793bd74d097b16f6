import type { JsonPath } from '../../diagnostics/diagnostic.js';
import { discoveryAt, Findings, isObj, listAt, objAt, strAt, type Obj } from './fields.js';
import { listeners, opt, routeOf } from './kubernetes-form.js';
import { apiKey } from './refs.js';
import { reportUnread } from './coverage.js';
import type { Ref, Resource } from './resources.js';

// The App Mesh API's JSON: what `aws appmesh describe-virtual-node` and friends print (one
// resource under `virtualNode`, `route`, …), or the same data objects in lists. Resources name
// each other by mesh and name.

/** The wrapper key of each describe-* output, and the plural used for lists. */
export const apiWrappers = {
  mesh: 'meshes',
  virtualNode: 'virtualNodes',
  virtualService: 'virtualServices',
  virtualRouter: 'virtualRouters',
  route: 'routes',
  virtualGateway: 'virtualGateways',
  gatewayRoute: 'gatewayRoutes',
} as const;

export type ApiKind = keyof typeof apiWrappers;

/** Which resource a bare data object is, by the name fields the API gives each kind. */
export function apiKindOf(o: Obj): ApiKind | undefined {
  if (typeof o.meshName !== 'string') return undefined;
  if (typeof o.routeName === 'string') return 'route';
  if (typeof o.gatewayRouteName === 'string') return 'gatewayRoute';
  if (typeof o.virtualNodeName === 'string') return 'virtualNode';
  if (typeof o.virtualServiceName === 'string') return 'virtualService';
  if (typeof o.virtualRouterName === 'string') return 'virtualRouter';
  if (typeof o.virtualGatewayName === 'string') return 'virtualGateway';
  return 'mesh';
}

/** The namespace a DNS name implies: `b` of `a.b.svc.cluster.local` or of `a.b.local`. */
function namespaceOfHost(host: string | undefined): string | undefined {
  const labels = host?.split('.') ?? [];
  return labels.length >= 2 ? labels[1] : undefined;
}

function named(
  kind: string,
  mesh: string,
  holder: Obj | undefined,
  field: string,
  doc: number,
  path: JsonPath,
): Ref | undefined {
  const name = strAt(holder, field);
  return name === undefined
    ? undefined
    : { key: apiKey(kind, mesh, name), shown: name, at: { doc, path: [...path, field] } };
}

export function readApiObject(
  kind: ApiKind,
  o: Obj,
  doc: number,
  path: JsonPath,
  findings: Findings,
): Resource | undefined {
  const mesh = strAt(o, 'meshName') ?? '';
  const spec = objAt(o, 'spec') ?? {};
  const specPath = [...path, 'spec'];
  const at = { doc, path };
  reportUnread(kind.charAt(0).toUpperCase() + kind.slice(1), spec, doc, specPath, findings);
  switch (kind) {
    case 'mesh':
      return { kind: 'Mesh', name: mesh, at, ...opt('egress', strAt(objAt(spec, 'egressFilter'), 'type')) };
    case 'virtualNode': {
      const name = String(o.virtualNodeName);
      const backends: Ref[] = [];
      listAt(spec, 'backends').forEach((b, i) => {
        const p = [...specPath, 'backends', i, 'virtualService'];
        const ref = named(
          'VirtualService',
          mesh,
          isObj(b) ? objAt(b, 'virtualService') : undefined,
          'virtualServiceName',
          doc,
          p,
        );
        if (ref) backends.push(ref);
        else
          findings.malformed(doc, [...specPath, 'backends', i], 'a backend with `virtualService.virtualServiceName`');
      });
      const discovery = discoveryAt(spec);
      const namespace =
        discovery.dns !== undefined ? namespaceOfHost(discovery.dns) : discovery.cloudMap?.namespace.split('.')[0];
      return {
        kind: 'VirtualNode',
        form: 'api',
        mesh,
        name,
        ...opt('namespace', namespace),
        key: apiKey('VirtualNode', mesh, name),
        listeners: listeners(spec, doc, specPath, findings),
        backends,
        backendGroups: [],
        discovery,
        at,
        spec,
        specPath,
      };
    }
    case 'virtualService': {
      const name = String(o.virtualServiceName);
      const provider = objAt(spec, 'provider') ?? {};
      const pPath = [...specPath, 'provider'];
      const node = named('VirtualNode', mesh, objAt(provider, 'virtualNode'), 'virtualNodeName', doc, [
        ...pPath,
        'virtualNode',
      ]);
      const router = named('VirtualRouter', mesh, objAt(provider, 'virtualRouter'), 'virtualRouterName', doc, [
        ...pPath,
        'virtualRouter',
      ]);
      return {
        kind: 'VirtualService',
        form: 'api',
        mesh,
        name,
        ...opt('namespace', namespaceOfHost(name)),
        key: apiKey('VirtualService', mesh, name),
        host: name,
        ...(node ? { provider: { node } } : router ? { provider: { router } } : {}),
        at,
      };
    }
    case 'virtualRouter': {
      const name = String(o.virtualRouterName);
      return {
        kind: 'VirtualRouter',
        form: 'api',
        mesh,
        name,
        key: apiKey('VirtualRouter', mesh, name),
        listeners: listeners(spec, doc, specPath, findings),
        routes: [],
        at,
      };
    }
    case 'route': {
      // The route's spec holds the body and the priority; its name is beside the spec.
      const route = routeOf(
        { ...spec, routeName: o.routeName },
        doc,
        specPath,
        (t, p) => named('VirtualNode', mesh, t, 'virtualNode', doc, p),
        findings,
      );
      return route
        ? { kind: 'Route', router: strAt(o, 'virtualRouterName') ?? '', route: { ...route, at }, mesh }
        : undefined;
    }
    case 'virtualGateway': {
      const name = String(o.virtualGatewayName);
      return { kind: 'VirtualGateway', form: 'api', mesh, name, key: apiKey('VirtualGateway', mesh, name), at };
    }
    case 'gatewayRoute': {
      const type = (['httpRoute', 'http2Route', 'grpcRoute'] as const).find((t) => isObj(spec[t]));
      const body = type ? (objAt(spec, type) ?? {}) : {};
      const bodyPath = type ? [...specPath, type] : specPath;
      const target = named(
        'VirtualService',
        mesh,
        objAt(objAt(objAt(body, 'action') ?? {}, 'target') ?? {}, 'virtualService'),
        'virtualServiceName',
        doc,
        [...bodyPath, 'action', 'target', 'virtualService'],
      );
      const gateway = named('VirtualGateway', mesh, o, 'virtualGatewayName', doc, path);
      return {
        kind: 'GatewayRoute',
        form: 'api',
        mesh,
        name: strAt(o, 'gatewayRouteName') ?? '',
        body,
        bodyPath,
        at,
        ...opt('gateway', gateway),
        ...opt('target', target),
      };
    }
  }
}
