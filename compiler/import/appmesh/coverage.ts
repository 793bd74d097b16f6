import type { JsonPath } from '../../diagnostics/diagnostic.js';
import { Findings, isObj } from './fields.js';

// Every field of an App Mesh resource is either imported, reported where it is read, or reported
// here: the patterns below are what the importer reads (`*` is any key or index), and any other
// field a resource carries is a setting the contract does not hold.

type Pattern = readonly string[];

const listener = (prefix: string): Pattern[] =>
  ['portMapping', 'timeout', 'connectionPool', 'outlierDetection', 'tls', 'healthCheck'].map((f) => [prefix, '*', f]);

/** What is read, per kind, in both forms (the API's spec has the same shape as the controller's). */
const read: Record<string, Pattern[]> = {
  VirtualNode: [
    ['awsName'],
    ['meshRef'],
    ['podSelector', 'matchLabels'],
    ['podSelector', 'matchExpressions'],
    ...listener('listeners'),
    ['serviceDiscovery', 'dns', 'hostname'],
    ['serviceDiscovery', 'awsCloudMap', 'namespaceName'],
    ['serviceDiscovery', 'awsCloudMap', 'serviceName'],
    ['serviceDiscovery', 'awsCloudMap', 'attributes'],
    ['backends', '*', 'virtualService', 'virtualServiceRef'],
    ['backends', '*', 'virtualService', 'virtualServiceARN'],
    ['backends', '*', 'virtualService', 'virtualServiceName'],
    ['backends', '*', 'virtualService', 'clientPolicy'],
    ['backendGroups'],
    ['backendDefaults', 'clientPolicy'],
    ['logging'],
  ],
  VirtualService: [['awsName'], ['meshRef'], ['provider']],
  VirtualRouter: [
    ['awsName'],
    ['meshRef'],
    ['listeners', '*', 'portMapping'],
    ...['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'].flatMap((r): Pattern[] => [
      ['routes', '*', r, 'match'],
      ['routes', '*', r, 'action', 'weightedTargets'],
      ['routes', '*', r, 'retryPolicy'],
      ['routes', '*', r, 'timeout'],
    ]),
    ['routes', '*', 'name'],
    ['routes', '*', 'priority'],
  ],
  Route: [
    ...['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'].flatMap((r): Pattern[] => [
      [r, 'match'],
      [r, 'action', 'weightedTargets'],
      [r, 'retryPolicy'],
      [r, 'timeout'],
    ]),
    ['priority'],
  ],
  VirtualGateway: [['awsName'], ['meshRef'], ['podSelector'], ['namespaceSelector'], ['gatewayRouteSelector']],
  GatewayRoute: [
    ['awsName'],
    ['meshRef'],
    ['virtualGatewayRef'],
    ['priority'],
    ...['httpRoute', 'http2Route', 'grpcRoute'].flatMap((r): Pattern[] => [
      [r, 'match'],
      [r, 'action', 'target', 'virtualService'],
    ]),
  ],
  Mesh: [['awsName'], ['egressFilter'], ['namespaceSelector'], ['meshOwner']],
  BackendGroup: [['meshRef'], ['virtualservices']],
};

const matches = (pattern: Pattern, path: readonly (string | number)[]) =>
  pattern.length <= path.length && pattern.every((p, i) => p === '*' || p === String(path[i]));
const leadsTo = (pattern: Pattern, path: readonly (string | number)[]) =>
  path.length < pattern.length && path.every((p, i) => pattern[i] === '*' || pattern[i] === String(p));

/** Report each field of `spec` the importer does not read, at its first key nobody reads. */
export function reportUnread(kind: string, spec: unknown, doc: number, specPath: JsonPath, findings: Findings): void {
  const patterns = read[kind] ?? [];
  const walk = (value: unknown, path: (string | number)[]) => {
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i): [number, unknown] => [i, v])
      : isObj(value)
        ? Object.entries(value)
        : [];
    for (const [k, v] of entries) {
      const next = [...path, k];
      if (patterns.some((p) => matches(p, next))) continue;
      if (patterns.some((p) => leadsTo(p, next))) walk(v, next);
      else
        findings.add({
          code: 'appmesh-setting-dropped',
          doc,
          path: [...specPath, ...next],
          at: 'key',
          data: { setting: next.filter((x) => typeof x === 'string').join('.') },
        });
    }
  };
  walk(spec, []);
}
