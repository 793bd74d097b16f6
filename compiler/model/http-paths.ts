/**
 * The one meaning of a contract path pattern, on every layer. `/v1/*` is everything under `/v1/`
 * (`/v1/` itself included, `/v1` not: it is another path); `/*` is every path; any other
 * pattern is exactly itself, case-sensitive. Routing (Istio, the Lattice listener rules that
 * Terraform or the AWS Gateway API Controller create) and authorization (Istio `paths`, Lattice
 * auth-policy resources) all spell this one match, so they agree on every request.
 */
export type PathMatch = { kind: 'exact'; value: string } | { kind: 'prefix'; value: string };

export function pathMatch(pattern: string): PathMatch {
  return pattern.endsWith('/*') ? { kind: 'prefix', value: pattern.slice(0, -1) } : { kind: 'exact', value: pattern };
}

/** Does a contract path pattern admit a path? */
export function pathPatternAdmits(pattern: string, path: string): boolean {
  const m = pathMatch(pattern);
  return m.kind === 'prefix' ? path.startsWith(m.value) : path === m.value;
}

/** A gRPC pattern as service and method: `/pkg.Svc/Method`, `/pkg.Svc/*` (any method), `/*` (anything). */
export function grpcMethodMatch(pattern: string): { service?: string; method?: string } {
  const [service = '', method = ''] = pattern.slice(1).split('/');
  if (service === '*' || service === '') return {};
  return method === '*' || method === '' ? { service } : { service, method };
}

// Istio compares a request's path after its default normalization (`BASE`), and sends the
// normalized path on to the workload: percent-encoded unreserved characters (letters, digits,
// `-`, `.`, `_`, `~`, in either case of hex) are decoded, once, and `.` and `..` segments are
// resolved as RFC 3986 says. HTTP clients do the same before they send. A pattern that this
// changes matches no request the mesh passes on, so the edge it declares would never work there.
const unreserved = /%(2[dDeE]|3[0-9]|4[1-9a-fA-F]|5[0-9aA]|5[fF]|6[1-9a-fA-F]|7[0-9aA]|7[eE])/g;

/** RFC 3986 section 5.2.4, on a path that starts with `/`. */
function removeDotSegments(path: string): string {
  const segments = path.split('/').slice(1);
  const out: string[] = [];
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..') out.pop();
      // A dot segment at the end leaves the path ending in `/`.
      if (last) out.push('');
    } else out.push(segment);
  });
  return `/${out.join('/')}`;
}

/**
 * A contract path pattern as the mesh would compare it: its normal form, which is the pattern
 * itself when nothing in it is rewritten. A prefix stays a prefix (`/a/../b/*` is `/b/*`).
 */
export function normalPath(pattern: string): string {
  const m = pathMatch(pattern);
  const decoded = m.value.replace(unreserved, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
  const normal = removeDotSegments(decoded);
  if (m.kind === 'exact') return normal;
  return normal.endsWith('/') ? `${normal}*` : `${normal}/*`;
}

/**
 * Can a gRPC request's path (`/package.Service/Method`) match the pattern? Only `/*`, a service's
 * methods `/package.Service/*` and one method `/package.Service/Method` can: any other pattern
 * declares an edge no gRPC call takes, and the routes made from it do not agree between Istio
 * (its path, as written) and the AWS Gateway API Controller (a service alone, any method).
 */
export function isGrpcPattern(pattern: string): boolean {
  return /^\/(\*|[^/*]+\/(\*|[^/*]+))$/.test(pattern);
}
