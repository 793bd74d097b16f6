import { Findings, isObj, objAt, strAt } from './fields.js';
import type { Ref, Route } from './resources.js';
import { dropped, duration, retries, type Retries } from './settings.js';
import { normalPath } from '../../model/http-paths.js';

// App Mesh routes as contract mesh routes. App Mesh matches a prefix as a string (`/a` takes
// `/a`, `/a/b` and `/ab`); a contract path is exact, or a prefix of whole segments (`/a/*`).

const httpPath =
  /^(\/\*|\/([A-Za-z0-9._~!&'()+,;=:@-]|%[0-9A-Fa-f]{2})*(\/([A-Za-z0-9._~!&'()+,;=:@-]|%[0-9A-Fa-f]{2})+)*(\/\*)?)$/;

export interface ImportedRoute {
  /** Contract paths this route's match becomes; `['/*']` for a route that takes everything. */
  paths: string[];
  targets: { node: Ref; weight: number }[];
  timeout?: string;
  retries?: Retries;
  route: Route;
}

/** The paths a route's match becomes, or undefined (with a finding) when it cannot be said. */
function matchPaths(route: Route, findings: Findings): string[] | undefined {
  const doc = route.at.doc;
  const matchPath = [...route.bodyPath, 'match'];
  const match = objAt(route.body, 'match') ?? {};
  if (route.type === 'tcpRoute') return ['/*'];
  if (route.type === 'grpcRoute') {
    if (isObj(match.metadata)) {
      dropped(findings, doc, [...matchPath, 'metadata'], 'routeMatch', 'metadata');
      return undefined;
    }
    const service = strAt(match, 'serviceName');
    const method = strAt(match, 'methodName');
    const path = service === undefined ? '/*' : method === undefined ? `/${service}/*` : `/${service}/${method}`;
    return checked([path], route, findings);
  }
  for (const field of ['method', 'headers', 'queryParameters', 'scheme', 'port', 'hostname']) {
    if (match[field] !== undefined) {
      dropped(findings, doc, [...matchPath, field], 'routeMatch', field);
      return undefined;
    }
  }
  const exact = strAt(objAt(match, 'path'), 'exact');
  if (objAt(match, 'path')?.regex !== undefined) {
    dropped(findings, doc, [...matchPath, 'path', 'regex'], 'regex', 'regex');
    return undefined;
  }
  if (exact !== undefined) return checked([exact], route, findings);
  const prefix = strAt(match, 'prefix') ?? '/';
  if (prefix === '/') return ['/*'];
  if (prefix.endsWith('/')) return checked([`${prefix}*`], route, findings);
  findings.add({ code: 'appmesh-prefix-narrowed', doc, path: [...matchPath, 'prefix'], data: { prefix } });
  return checked([prefix, `${prefix}/*`], route, findings);
}

function checked(paths: string[], route: Route, findings: Findings): string[] | undefined {
  const held = paths.every((p) => httpPath.test(p) && p.length <= 200);
  // Istio matches paths after normalizing them (`path-not-normal`): a route that names a path in
  // another form would take no request there.
  if (held && paths.every((p) => normalPath(p) === p)) return paths;
  findings.malformed(
    route.at.doc,
    [...route.bodyPath, 'match'],
    held
      ? 'a path in the form Istio matches requests in (no `.` or `..` segments, no escaped letters, digits or `-._~`)'
      : "a path a contract can hold (`/`, letters, digits and `-._~!&'()+,;=:@%`)",
  );
  return undefined;
}

/** A router's routes, ordered as App Mesh orders them: by priority, unprioritised last. */
export function importRoutes(routes: readonly Route[], findings: Findings): ImportedRoute[] {
  const ordered = routes
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.priority ?? Infinity) - (b.r.priority ?? Infinity) || a.i - b.i)
    .map(({ r }) => r);
  const out: ImportedRoute[] = [];
  for (const route of ordered) {
    const paths = matchPaths(route, findings);
    if (!paths) continue;
    const doc = route.at.doc;
    const timeoutObj = objAt(route.body, 'timeout');
    const timeout = duration(
      objAt(timeoutObj ?? {}, 'perRequest'),
      doc,
      [...route.bodyPath, 'timeout', 'perRequest'],
      findings,
    );
    if (isObj(timeoutObj?.idle)) dropped(findings, doc, [...route.bodyPath, 'timeout', 'idle'], 'idle', 'idle');
    const r = retries(route, findings);
    out.push({
      paths,
      targets: route.targets.map((t) => ({ node: t.node, weight: t.weight })),
      ...(timeout ? { timeout } : {}),
      ...(r ? { retries: r } : {}),
      route,
    });
  }
  return out;
}
