import { kubernetesObject, type AuthorizationPolicySpec, type PeerAuthenticationSpec } from '../kubernetes/kinds.js';
import { latticeArrivalPorts, meshPorts } from '../model/protocols.js';
import type { ModelIndex } from '../model/query.js';
import type { ServiceModel } from '../model/types.js';
import type { KubernetesObject } from '../targets/target.js';
import type { AuthorizationRule } from './rules.js';

interface Meta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

/** Istio's dry-run annotation: the proxy evaluates the policy and logs its verdict, but enforces nothing. */
export const dryRunAnnotation = 'istio.io/dry-run';

/**
 * An ALLOW policy. With no rules it denies everything, which is what a contract with no callers
 * means; it is emitted all the same, since without any ALLOW policy Istio allows everything.
 */
export function allowPolicy(
  meta: Meta,
  attach: { selector: Record<string, string> } | { service: string } | { serviceEntry: string },
  rules: AuthorizationRule[],
  dryRun = false,
): KubernetesObject {
  const target =
    'selector' in attach
      ? { selector: { matchLabels: attach.selector } }
      : 'service' in attach
        ? { targetRefs: [{ group: '', kind: 'Service', name: attach.service }] }
        : { targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: attach.serviceEntry }] };
  const spec: AuthorizationPolicySpec = { ...target, action: 'ALLOW', ...(rules.length > 0 ? { rules } : {}) };
  const metadata = dryRun ? { ...meta, annotations: { [dryRunAnnotation]: 'true' } } : meta;
  return kubernetesObject('security.istio.io/v1', 'AuthorizationPolicy', metadata, spec);
}

/**
 * mTLS for the workload. Ports that receive plaintext by design (the Lattice target port, ports of
 * CIDR callers, of mesh callers that may not have joined the mesh yet) are PERMISSIVE when the workload is STRICT: the AuthorizationPolicy still admits
 * only the declared address ranges there, and principals never match plaintext.
 */
export function peerAuthentication(meta: Meta, index: ModelIndex, s: ServiceModel): KubernetesObject {
  const mode = s.mtls === 'strict' ? 'STRICT' : 'PERMISSIVE';
  const plaintextPorts = new Set<number>();
  if (s.exposure.lattice) for (const p of latticeArrivalPorts(s.exposure.lattice)) plaintextPorts.add(p);
  for (const e of index.into(s.id))
    if (e.caller.kind === 'cidr' || e.plaintext) for (const p of meshPorts(e.ports)) plaintextPorts.add(p);
  const portLevelMtls =
    mode === 'STRICT' && plaintextPorts.size > 0
      ? Object.fromEntries(
          [...plaintextPorts].sort((a, b) => a - b).map((p) => [String(p), { mode: 'PERMISSIVE' as const }]),
        )
      : undefined;
  const spec: PeerAuthenticationSpec = {
    selector: { matchLabels: s.podSelector ?? {} },
    mtls: { mode },
    ...(portLevelMtls ? { portLevelMtls } : {}),
  };
  return kubernetesObject('security.istio.io/v1', 'PeerAuthentication', meta, spec);
}
