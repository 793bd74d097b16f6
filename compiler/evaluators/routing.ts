/**
 * Which rule of a route takes a request path, by each data plane's own semantics, read from the
 * generated objects (never from the contract). Used by the property tests to show that routing
 * and authorization agree on what every path pattern matches.
 */

/** Istio's StringMatch on the URI: `exact` is equality, `prefix` a plain string prefix; case-sensitive. */
export interface IstioUriMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export function istioUriMatches(m: IstioUriMatch, path: string): boolean {
  if (m.exact !== undefined) return path === m.exact;
  if (m.prefix !== undefined) return path.startsWith(m.prefix);
  return false;
}

/** A VirtualService's HTTP routes: the name of the first route whose match takes the path (no match: matches all). */
export function virtualServiceRoute(
  http: readonly { name?: string; match?: readonly { uri?: IstioUriMatch }[] }[],
  path: string,
): string | undefined {
  return http.find((r) => !r.match || r.match.some((m) => !m.uri || istioUriMatches(m.uri, path)))?.name;
}

/**
 * A VPC Lattice listener rule's path match: `exact` equality or `prefix` a plain string prefix
 * (AWS: "a prefix match of the path"), case-insensitive unless `caseSensitive` (the default is false).
 */
export interface LatticePathMatch {
  match: { exact?: string; prefix?: string };
  caseSensitive?: boolean;
}

export function latticePathMatches(m: LatticePathMatch, path: string): boolean {
  const fold = (s: string) => (m.caseSensitive ? s : s.toLowerCase());
  if (m.match.exact !== undefined) return fold(path) === fold(m.match.exact);
  if (m.match.prefix !== undefined) return fold(path).startsWith(fold(m.match.prefix));
  return false;
}

/**
 * The Lattice rule the AWS Gateway API Controller creates for an HTTPRoute path match: it copies
 * the value as written, `Exact` to an exact match and `PathPrefix` to a (string) prefix match,
 * case-sensitive (the controller's `model_build_rule.go` and `rule_manager.go`).
 */
export function controllerHttpRule(
  path: { type: 'Exact' | 'PathPrefix'; value: string } | undefined,
): LatticePathMatch {
  if (!path) return { match: { prefix: '/' }, caseSensitive: true };
  return {
    match: path.type === 'Exact' ? { exact: path.value } : { prefix: path.value },
    caseSensitive: true,
  };
}

/**
 * The Lattice rule the controller creates for a GRPCRoute method match: no service matches
 * every path (`/`), a service alone the prefix `/<service>/`, a service and method the exact
 * `/<service>/<method>`.
 */
export function controllerGrpcRule(method: { service?: string; method?: string } | undefined): LatticePathMatch {
  if (!method?.service) return { match: { prefix: '/' }, caseSensitive: true };
  if (!method.method) return { match: { prefix: `/${method.service}/` }, caseSensitive: true };
  return { match: { exact: `/${method.service}/${method.method}` }, caseSensitive: true };
}
