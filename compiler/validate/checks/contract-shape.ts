import type { Finding } from '../../diagnostics/diagnostic.js';
import type { ServiceContract } from '../../types/contract.generated.js';
import { durationMs } from '../../util/duration.js';
import { clusterDomain } from '../../model/defaults.js';
import type { Typed } from '../documents.js';
import { normalPath } from '../../model/http-paths.js';
import { transportOf } from '../../model/protocols.js';

/** The cluster's own DNS names: Services (`<name>.<namespace>.svc[.cluster.local]`) and pods. */
const inClusterName = (host: string) =>
  host === clusterDomain || host.endsWith(`.${clusterDomain}`) || host.endsWith('.svc');

/** Facts about one contract that need no other document: unique ports, paths in normal form, sane retry timing. */
export function checkContractShape({ doc, value: c }: Typed<ServiceContract>): Finding[] {
  const findings: Finding[] = [];
  const names = new Map<string, number>();
  // A number once per transport: DNS, syslog or QUIC listen on one number over both TCP and UDP,
  // which every layer tells apart; two protocols over one transport would be one port.
  const numbers = new Map<string, number>();
  (c.spec.ports ?? []).forEach((p, i) => {
    const byName = names.get(p.name);
    const transport = transportOf(p.protocol);
    const numberKey = `${p.port}/${transport}`;
    const byNumber = numbers.get(numberKey);
    if (byName !== undefined) {
      findings.push({
        code: 'duplicate-port',
        doc,
        path: ['spec', 'ports', i, 'name'],
        data: { name: p.name, earlier: byName },
        related: { doc, path: ['spec', 'ports', byName, 'name'] },
      });
    } else names.set(p.name, i);
    if (byNumber !== undefined) {
      findings.push({
        code: 'duplicate-port',
        doc,
        path: ['spec', 'ports', i, 'port'],
        messageId: 'number',
        data: { port: p.port, transport: transport.toUpperCase(), earlier: byNumber },
        related: { doc, path: ['spec', 'ports', byNumber, 'port'] },
      });
    } else numbers.set(numberKey, i);
  });
  // A Kubernetes Service's name as egress: the mesh gets an outside host of that name (in sidecar
  // mode the workload's proxy then uses it instead of the Service, without mTLS), and the callee's
  // own contract still admits only its declared callers. Said, since it looks like a call.
  (c.spec.egress ?? []).forEach((e, i) => {
    if (!inClusterName(e.host)) return;
    findings.push({ code: 'egress-host-in-cluster', doc, path: ['spec', 'egress', i, 'host'], data: { host: e.host } });
  });
  // Every path a request is matched against, in the form the mesh compares it in.
  const paths: [string, (string | number)[]][] = [];
  (c.spec.callers ?? []).forEach((caller, i) => {
    (caller.paths ?? []).forEach((p, j) => paths.push([p, ['spec', 'callers', i, 'paths', j]]));
  });
  const mesh = c.spec.exposure?.mesh;
  if (typeof mesh === 'object')
    (mesh.routes ?? []).forEach((r, i) => paths.push([r.path, ['spec', 'exposure', 'mesh', 'routes', i, 'path']]));
  (c.spec.exposure?.lattice?.routes ?? []).forEach((r, i) =>
    paths.push([r.path, ['spec', 'exposure', 'lattice', 'routes', i, 'path']]),
  );
  for (const [path, at] of paths) {
    const normal = normalPath(path);
    if (normal !== path) findings.push({ code: 'path-not-normal', doc, path: at, data: { path, normal } });
  }
  const r = c.spec.resilience;
  if (r?.timeout && r.retries?.perTryTimeout && durationMs(r.retries.perTryTimeout) > durationMs(r.timeout)) {
    findings.push({
      code: 'retry-exceeds-timeout',
      doc,
      path: ['spec', 'resilience', 'retries', 'perTryTimeout'],
      data: { perTry: r.retries.perTryTimeout, timeout: r.timeout },
    });
  }
  return findings;
}
