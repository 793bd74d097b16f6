import { inCidr } from './cidr.js';
import { selects, type LabelSelector } from './netpol.js';

// An evaluator of where a sidecar may send a workload's outbound traffic, from the Istio
// reference pages of Sidecar and ServiceEntry: the Sidecar that selects the workload imports the
// services its egress `hosts` name (`<namespace>/<dnsName>`, `.` its own namespace, `*` any, `~`
// none; a `*.` wildcard on the left of the name); a ServiceEntry is visible where its `exportTo`
// says; the proxy matches HTTP by the Host header, TLS by the server name, TCP by the address when
// the entry lists addresses and otherwise by the port alone. Whatever matches nothing goes where
// the outbound traffic policy says. The mesh keeps one service per host and namespace, and how it
// merges two entries of one host has changed between Istio versions (ports merged, or the younger
// entry dropped): the evaluator refuses to judge such a registry rather than pick a version. It
// imports nothing from the targets.

export interface SidecarObject {
  kind: 'Sidecar';
  metadata: { name: string; namespace?: string };
  spec: {
    workloadSelector?: { labels: Record<string, string> };
    egress?: { hosts: string[]; port?: unknown }[];
    outboundTrafficPolicy?: { mode?: 'REGISTRY_ONLY' | 'ALLOW_ANY' };
  };
}

export interface ServiceEntryObject {
  kind: 'ServiceEntry';
  metadata: { name: string; namespace?: string };
  spec: {
    hosts: string[];
    addresses?: string[];
    exportTo?: string[];
    ports: { number: number; protocol: string }[];
  };
}

/** A Kubernetes Service of the mesh: its name and namespace, and its ports. */
export interface MeshService {
  name: string;
  namespace: string;
  ports: number[];
}

export interface OutboundRequest {
  /** The Host header (HTTP) or server name (TLS); absent for plain TCP. */
  host?: string;
  /** The destination address the workload connects to. */
  address: string;
  port: number;
  protocol: 'HTTP' | 'TLS' | 'TCP';
}

const hostMatches = (pattern: string, host: string) =>
  pattern === '*' || pattern === host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)));

/** Whether a Sidecar egress host (`ns/dnsName`) imports a service's host of a namespace. */
function imports(entry: string, own: string, namespace: string, host: string): boolean {
  const [ns = '', name = ''] = entry.split('/');
  if (ns === '~') return false;
  if (ns !== '*' && (ns === '.' ? own : ns) !== namespace) return false;
  // Both sides may be wildcards: `*.example.com` imports the entry `*.example.com` and `a.example.com`.
  return hostMatches(name, host) || (host.startsWith('*.') && name.startsWith('*.') && name.endsWith(host.slice(1)));
}

const visibleFrom = (se: ServiceEntryObject, namespace: string) => {
  const to = se.spec.exportTo ?? ['*'];
  return (
    to.includes('*') || to.includes(namespace === se.metadata.namespace ? '.' : namespace) || to.includes(namespace)
  );
};

/** Where the workload's outbound request goes: to a known service, or by the outbound traffic policy. */
export function sidecarEgressAllows(
  sidecars: readonly SidecarObject[],
  entries: readonly ServiceEntryObject[],
  services: readonly MeshService[],
  workload: { namespace: string; labels: Record<string, string> },
  r: OutboundRequest,
): boolean {
  const sidecar = sidecars.find(
    (s) =>
      s.metadata.namespace === workload.namespace &&
      selects({ matchLabels: s.spec.workloadSelector?.labels ?? {} } satisfies LabelSelector, workload.labels),
  );
  // No Sidecar: the mesh's defaults, which import everything and let unknown traffic out.
  if (!sidecar) return true;
  const named = new Map<string, string>();
  for (const se of entries) {
    for (const host of se.spec.hosts) {
      const key = `${se.metadata.namespace ?? ''}/${host}`;
      const other = named.get(key);
      if (other !== undefined && other !== se.metadata.name)
        throw new Error(
          `ServiceEntries ${other} and ${se.metadata.name} of namespace ${se.metadata.namespace ?? ''} both name ${host}: what the mesh makes of them depends on its version`,
        );
      named.set(key, se.metadata.name);
    }
  }
  const hosts = (sidecar.spec.egress ?? [{ hosts: ['*/*'] }]).flatMap((e) => e.hosts);
  const imported = (namespace: string, host: string) =>
    hosts.some((h) => imports(h, workload.namespace, namespace, host));
  for (const svc of services) {
    const host = `${svc.name}.${svc.namespace}.svc.cluster.local`;
    if (r.host === host && svc.ports.includes(r.port) && imported(svc.namespace, host)) return true;
  }
  for (const se of entries) {
    if (!visibleFrom(se, workload.namespace)) continue;
    for (const port of se.spec.ports) {
      if (port.number !== r.port) continue;
      const known = se.spec.hosts.filter((h) => imported(se.metadata.namespace ?? '', h));
      if (known.length === 0) continue;
      if (port.protocol === 'TCP') {
        // Plain TCP carries no name: by the entry's addresses, or, with none, by the port alone.
        const addresses = se.spec.addresses ?? [];
        if (addresses.length === 0 || addresses.some((c) => inCidr(r.address, c))) return true;
        continue;
      }
      if (port.protocol !== r.protocol || r.host === undefined) continue;
      const name = r.host;
      if (known.some((h) => hostMatches(h, name))) return true;
    }
  }
  return sidecar.spec.outboundTrafficPolicy?.mode !== 'REGISTRY_ONLY';
}
