import type { Finding } from '../../diagnostics/diagnostic.js';
import { isLayer7 } from '../../model/protocols.js';
import type { ServiceContract } from '../../types/contract.generated.js';
import { durationMs } from '../../util/duration.js';
import type { Typed } from '../documents.js';
import { grpcRouteFindings, routeListFindings } from './lattice-exposure.js';

const base = ['spec', 'exposure', 'mesh'];

/** `exposure.mesh.routes` must be routes the mesh can take: on EKS, over HTTP or gRPC, each path once. */
export function checkMeshRoutes({ doc, value: c }: Typed<ServiceContract>): Finding[] {
  const mesh = c.spec.exposure?.mesh;
  if (typeof mesh !== 'object') return [];
  const routes = mesh.routes ?? [];
  const findings: Finding[] = [];
  if (c.spec.workload.platform === 'ecs') {
    findings.push({
      code: 'eks-only-field',
      doc,
      path: base,
      at: 'key',
      data: { field: 'exposure.mesh.routes', name: c.metadata.name },
    });
    return findings;
  }
  if (routes.length > 0 && !(c.spec.ports ?? []).some((p) => isLayer7(p.protocol)))
    findings.push({
      code: 'routes-need-http',
      doc,
      path: [...base, 'routes'],
      at: 'key',
      messageId: 'mesh',
      data: { name: c.metadata.name },
    });
  findings.push(...routeListFindings(routes, [...base, 'routes'], doc));
  // The mesh routes every HTTP and gRPC port of the service alike: where all of them are gRPC,
  // every route's path must be one that gRPC calls have.
  const l7 = (c.spec.ports ?? []).filter((p) => isLayer7(p.protocol));
  if (l7.length > 0 && l7.every((p) => p.protocol === 'grpc'))
    findings.push(...grpcRouteFindings(routes, [...base, 'routes'], doc, c.metadata.name));
  const service = c.spec.resilience;
  routes.forEach((r, i) => {
    const timeout = r.timeout ?? service?.timeout;
    const perTry = (r.retries ?? service?.retries)?.perTryTimeout;
    if (
      timeout &&
      perTry &&
      (r.timeout !== undefined || r.retries !== undefined) &&
      durationMs(perTry) > durationMs(timeout)
    )
      findings.push({
        code: 'retry-exceeds-timeout',
        doc,
        path: r.retries?.perTryTimeout
          ? [...base, 'routes', i, 'retries', 'perTryTimeout']
          : [...base, 'routes', i, 'timeout'],
        data: { perTry, timeout },
      });
  });
  return findings;
}
