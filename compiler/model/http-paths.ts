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
