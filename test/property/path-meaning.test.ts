import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type IamPolicy } from '../../compiler/evaluators/iam.js';
import {
  sidecarAllows,
  type AuthorizationPolicyObject,
  type PeerAuthenticationObject,
} from '../../compiler/evaluators/istio.js';
import {
  controllerGrpcRule,
  controllerHttpRule,
  latticePathMatches,
  virtualServiceRoute,
  type LatticePathMatch,
} from '../../compiler/evaluators/routing.js';
import { runDocs } from '../support/estate.js';
import { platformDoc } from './estate-arbitrary.js';

// One meaning of every path pattern, on every layer: for a random pattern used both as a route
// and as a caller's `paths`, each data plane routes a random request to that route exactly when
// each authorizer admits it, and both exactly when the contract language says the pattern
// matches (`/x/*`: everything under `/x/`; `/*`: everything; anything else: itself).
// Every verdict is read from the generated objects by each layer's own semantics.

const contractMatches = (pattern: string, path: string) =>
  pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;

const SERVICE_ID = 'svc-0123456789abcdef0';
const READER = 'arn:aws:iam::111111111111:role/reader';

const contract = (namespace: string, name: string, spec: object) => ({
  apiVersion: 'callgate.dev/v1alpha1',
  kind: 'ServiceContract',
  metadata: { name, namespace, owner: 'team' },
  spec,
});

const routes = (path: string) => [{ path, backends: [{ version: 'v1', weight: 100 }] }];
const reader = (path: string) => ({ principal: { iamRole: READER }, paths: [path] });

function estate(http: string, grpc: string) {
  const lattice = (path: string) => ({ serviceNetwork: 'net', listener: { protocol: 'http' }, routes: routes(path) });
  // The shared estate's Platform: eks-a (sidecar) in 111111111111, ecs-c in 222222222222.
  return runDocs(platformDoc, [
    contract('apps', 'api', {
      workload: { platform: 'eks', cluster: 'eks-a', iamRole: 'arn:aws:iam::111111111111:role/api' },
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      exposure: { mesh: true, lattice: lattice(http) },
      callers: [{ service: 'web', paths: [http] }, reader(http)],
    }),
    contract('apps', 'mapi', {
      workload: { platform: 'eks', cluster: 'eks-a', iamRole: 'arn:aws:iam::111111111111:role/mapi' },
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      exposure: { mesh: { routes: routes(http) } },
      callers: [{ service: 'web', paths: [http] }],
    }),
    contract('apps', 'web', {
      workload: { platform: 'eks', cluster: 'eks-a', iamRole: 'arn:aws:iam::111111111111:role/web' },
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      callers: [],
    }),
    contract('apps', 'rpc', {
      workload: { platform: 'eks', cluster: 'eks-a', iamRole: 'arn:aws:iam::111111111111:role/rpc' },
      ports: [{ name: 'grpc', port: 9090, protocol: 'grpc' }],
      exposure: { lattice: lattice(grpc) },
      callers: [reader(grpc)],
    }),
    contract('pay', 'ledger', {
      workload: { platform: 'ecs', cluster: 'ecs-c', iamRole: 'arn:aws:iam::222222222222:role/ledger' },
      ports: [{ name: 'http', port: 8080, protocol: 'http' }],
      exposure: { lattice: lattice(http) },
      callers: [reader(http)],
    }),
  ]);
}

interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

type Verdicts = Record<string, boolean>;

/** Every layer's verdict on one request path: routed to the pattern's route, and admitted. */
function verdicts(files: Map<string, string>, path: string, grpcPath: string): { http: Verdicts; grpc: Verdicts } {
  const objects = (file: string) => parseAllDocuments(files.get(file) ?? '').map((d) => d.toJS() as K8sObject);
  const api = objects('kubernetes/eks-a/apps/api.yaml');
  const mapi = objects('kubernetes/eks-a/apps/mapi.yaml');
  const rpc = objects('kubernetes/eks-a/apps/rpc.yaml');
  const of = (list: K8sObject[], kind: string) => list.filter((o) => o.kind === kind);

  // Istio: the VirtualService's first matching route, and the sidecar's authorization.
  const vs = of(api, 'VirtualService')[0]?.spec.http as { name?: string; match?: { uri?: object }[] }[];
  const meshVs = of(mapi, 'VirtualService')[0]?.spec.http as { name?: string; match?: { uri?: object }[] }[];
  const policies = of(api, 'AuthorizationPolicy') as unknown as AuthorizationPolicyObject[];
  const peers = of(api, 'PeerAuthentication') as unknown as PeerAuthenticationObject[];
  const labels = policies[0]?.spec.selector?.matchLabels ?? {};
  const istioAllows = sidecarAllows(
    policies,
    peers,
    { namespace: 'apps', labels },
    {
      principal: 'cluster.local/ns/apps/sa/web',
      sourceIp: '10.0.0.9',
      port: 8080,
      method: 'GET',
      path,
      mtls: true,
    },
  );

  // The controller's Lattice rules: the first rule (in order) that takes the path.
  const firstRule = (rules: LatticePathMatch[], p: string) => rules.findIndex((r) => latticePathMatches(r, p));
  const httpRoute = of(api, 'HTTPRoute')[0]?.spec.rules as {
    matches?: { path?: { type: 'Exact' | 'PathPrefix'; value: string } }[];
  }[];
  const httpRules = httpRoute.map((r) => controllerHttpRule(r.matches?.[0]?.path));
  const grpcRoute = of(rpc, 'GRPCRoute')[0]?.spec.rules as {
    matches?: { method?: { service?: string; method?: string } }[];
  }[];
  const grpcRules = grpcRoute.map((r) => controllerGrpcRule(r.matches?.[0]?.method));

  // Terraform's listener rules for the ECS service.
  const stack = JSON.parse(files.get('cdktf/team-222222222222-us-west-2/cdk.tf.json') ?? '{}') as {
    resource?: {
      aws_vpclattice_listener_rule?: Record<
        string,
        {
          match: {
            http_match: { path_match: { match: { exact?: string; prefix?: string }; case_sensitive?: boolean } };
          };
        }
      >;
    };
  };
  const tfRules = Object.values(stack.resource?.aws_vpclattice_listener_rule ?? {}).map((r) => ({
    match: r.match.http_match.path_match.match,
    caseSensitive: r.match.http_match.path_match.case_sensitive ?? false,
  }));

  // Lattice authorization: the standalone service policies, judged as IAM would.
  const latticeAllows = (file: string, p: string, account = '111111111111') => {
    const policy = JSON.parse((files.get(file) ?? '{}').split('svc-?????????????????').join(SERVICE_ID)) as IamPolicy;
    return (
      evaluatePolicy(policy, {
        principal: { arn: READER },
        action: 'vpc-lattice-svcs:Invoke',
        resource: `arn:aws:vpc-lattice:us-west-2:${account}:service/${SERVICE_ID}${p}`,
        context: {
          'vpc-lattice-svcs:RequestMethod': 'GET',
          'vpc-lattice-svcs:SourceVpc': 'vpc-0aaa1111',
          'aws:PrincipalType': 'AssumedRole',
        },
      }).decision === 'allow'
    );
  };
  return {
    http: {
      'istio route': virtualServiceRoute(vs, path) !== 'default',
      'istio route (mesh routes)': virtualServiceRoute(meshVs, path) !== 'default',
      'istio authorization': istioAllows,
      'controller route': firstRule(httpRules, path) === 0,
      'terraform route': tfRules.some((r) => latticePathMatches(r, path)),
      'lattice authorization (eks)': latticeAllows('lattice/net/services/apps/api.json', path),
      'lattice authorization (ecs)': latticeAllows('lattice/net/services/pay/ledger.json', path, '222222222222'),
    },
    grpc: {
      'controller route': firstRule(grpcRules, grpcPath) === 0,
      'lattice authorization': latticeAllows('lattice/net/services/apps/rpc.json', grpcPath),
    },
  };
}

// Hostile segments too: dot segments, plain and escaped, and escapes of unreserved characters,
// which the mesh and HTTP clients rewrite before comparing (such patterns must be refused), and
// escapes they keep (`%2F`), which must keep one meaning on every layer.
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'ab', 'A', 'v1', 'v1.2', 'x-y', 'summary', '~u', '..a', 'a%2Fb') },
  { weight: 1, arbitrary: fc.constantFrom('.', '..', '%2e', '%2E%2e', '.%2E', '%41', '%7e', '%5F', 'x%2D') },
);
const httpPattern = fc.oneof(
  fc.constant('/*'),
  fc.constant('/'),
  fc
    .tuple(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([segs, prefix]) => `/${segs.join('/')}${prefix ? '/*' : ''}`),
);
const grpcService = fc.constantFrom('pkg.Svc', 'pkg.Sv', 'Pkg.Svc');
const grpcMethod = fc.constantFrom('Get', 'GetX', 'get');
const grpcPattern = fc.oneof(
  { weight: 3, arbitrary: fc.constant('/*') },
  { weight: 3, arbitrary: grpcService.map((s) => `/${s}/*`) },
  { weight: 3, arbitrary: fc.tuple(grpcService, grpcMethod).map(([s, m]) => `/${s}/${m}`) },
  // Paths no gRPC call has: a service alone, a method and more.
  { weight: 1, arbitrary: grpcService.map((s) => `/${s}`) },
  { weight: 1, arbitrary: fc.tuple(grpcService, grpcMethod).map(([s, m]) => `/${s}/${m}/x`) },
  { weight: 1, arbitrary: fc.tuple(grpcService, grpcMethod).map(([s, m]) => `/${s}/${m}/*`) },
);

// The test's own reading of RFC 3986 and of Istio's normalization, not the compiler's: escapes of
// unreserved characters decoded, then the URL standard's resolution of dot segments (which takes
// `%2e` for a dot too).
const unreservedEscape = /%[0-9A-Fa-f]{2}/g;
function normalized(pattern: string): string {
  const prefix = pattern.endsWith('/*');
  const value = prefix ? pattern.slice(0, -1) : pattern;
  const decoded = value.replace(unreservedEscape, (e) => {
    const c = String.fromCharCode(parseInt(e.slice(1), 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : e;
  });
  const path = new URL(decoded, 'http://host').pathname;
  return prefix ? `${path.endsWith('/') ? path : `${path}/`}*` : path;
}
/** `/*`, `/<service>/*` or `/<service>/<method>`: the shapes a gRPC call's path can match. */
const grpcShaped = (pattern: string) => {
  const parts = pattern.split('/');
  return pattern === '/*' || (parts.length === 3 && parts[1] !== '' && parts[1] !== '*' && parts[2] !== '');
};

/** Requests near the pattern's edges: itself, without its slash, longer, other case, elsewhere. */
function near(pattern: string): string[] {
  const base = pattern.endsWith('/*') ? pattern.slice(0, -1) : pattern;
  const trimmed = base.length > 1 && base.endsWith('/') ? base.slice(0, -1) : base;
  return [
    ...new Set([
      base,
      trimmed,
      `${trimmed}x`,
      `${base}a`,
      `${trimmed}/a/b`,
      base.toUpperCase(),
      base.toLowerCase(),
      '/',
      '/zz',
    ]),
  ];
}

describe('one meaning of every path pattern', () => {
  it('routes and authorizes exactly the requests the pattern matches, on the mesh and on Lattice', () => {
    fc.assert(
      fc.property(httpPattern, grpcPattern, (http, grpc) => {
        const result = estate(http, grpc);
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        // A pattern the mesh would rewrite, or that no gRPC call has, is refused, with nothing
        // else, and nothing is written; every other one compiles.
        const refused = [
          ...(normalized(http) === http ? [] : ['path-not-normal']),
          ...(grpcShaped(grpc) ? [] : ['grpc-path']),
        ].sort();
        expect([...new Set(errors.map((d) => d.code))].sort()).toEqual(refused);
        if (refused.length > 0) {
          expect(result.files).toBeUndefined();
          return;
        }
        const files = new Map((result.files ?? []).map((f) => [f.path, f.content]));
        const httpPaths = near(http);
        const grpcPaths = [...near(grpc), '/pkg.Svc/Get', '/pkg.Svc/GetX', '/pkg.Sv/Get', '/pkg.Svc'];
        for (let i = 0; i < Math.max(httpPaths.length, grpcPaths.length); i++) {
          const path = httpPaths[i % httpPaths.length] ?? '/';
          const grpcPath = grpcPaths[i % grpcPaths.length] ?? '/';
          const v = verdicts(files, path, grpcPath);
          const want = contractMatches(http, path);
          const wantGrpc = contractMatches(grpc, grpcPath);
          expect(v.http, `${http} on ${path}`).toEqual(Object.fromEntries(Object.keys(v.http).map((k) => [k, want])));
          expect(v.grpc, `${grpc} on ${grpcPath}`).toEqual(
            Object.fromEntries(Object.keys(v.grpc).map((k) => [k, wantGrpc])),
          );
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
