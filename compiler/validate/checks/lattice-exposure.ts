import type { Finding } from '../../diagnostics/diagnostic.js';
import { declaredList, didYouMean } from '../../diagnostics/suggest.js';
import type { ServiceContract } from '../../types/contract.generated.js';
import type { Typed } from '../documents.js';
import { isLayer7 } from '../../model/protocols.js';
import { isGrpcPattern } from '../../model/http-paths.js';
import { durationMs } from '../../util/duration.js';

const base = ['spec', 'exposure', 'lattice'];

/** The Lattice export must be something Lattice can build: target port, listener, domain, certificate, routes. */
export function checkLatticeExposure({ doc, value: c }: Typed<ServiceContract>): Finding[] {
  const lattice = c.spec.exposure?.lattice;
  if (!lattice) return [];
  const findings: Finding[] = [];
  const ports = c.spec.ports ?? [];
  const protocol = lattice.listener?.protocol ?? 'https';
  const listenerPath = lattice.listener ? [...base, 'listener', 'protocol'] : base;
  let target = ports.length === 1 ? ports[0] : undefined;
  if (lattice.targetPort !== undefined) {
    target = ports.find((p) => p.name === lattice.targetPort);
    const names = ports.map((p) => p.name);
    if (!target) {
      findings.push({
        code: 'unknown-target-port',
        doc,
        path: [...base, 'targetPort'],
        data: {
          port: lattice.targetPort,
          name: c.metadata.name,
          suggestion: didYouMean(lattice.targetPort, names) || declaredList(names),
        },
      });
    }
  } else if (ports.length === 0) {
    findings.push({
      code: 'target-port-required',
      doc,
      path: base,
      at: 'key',
      messageId: 'noPorts',
      data: { name: c.metadata.name },
    });
  } else if (ports.length > 1) {
    findings.push({
      code: 'target-port-required',
      doc,
      path: base,
      at: 'key',
      data: { name: c.metadata.name, count: ports.length, ports: ports.map((p) => `\`${p.name}\``).join(', ') },
    });
  }
  if (target) {
    const l7 = isLayer7(target.protocol);
    if (protocol === 'tls-passthrough' ? target.protocol !== 'tls' : !l7) {
      const messageId = l7
        ? 'default'
        : target.protocol === 'tls'
          ? 'passthrough'
          : target.protocol === 'udp'
            ? 'udp'
            : 'tcp';
      const data = { listener: protocol, protocol: target.protocol, port: target.name };
      findings.push({ code: 'listener-protocol-mismatch', messageId, data, doc, path: listenerPath });
    }
  }
  findings.push(
    ...healthCheckFindings(
      doc,
      c,
      ports.map((p) => ({ name: p.name, protocol: p.protocol })),
    ),
  );
  if (protocol === 'tls-passthrough' && !lattice.customDomain) {
    findings.push({
      code: 'tls-passthrough-needs-domain',
      doc,
      path: listenerPath,
      data: {},
    });
  }
  if (lattice.certificateArn !== undefined) {
    if (protocol !== 'https') {
      findings.push({
        code: 'certificate-needs-https',
        doc,
        path: [...base, 'certificateArn'],
        at: 'key',
        data: { listener: protocol },
      });
    } else if (!lattice.customDomain) {
      findings.push({
        code: 'certificate-needs-domain',
        doc,
        path: [...base, 'certificateArn'],
        at: 'key',
        data: {},
      });
    }
  } else if (protocol === 'https' && lattice.customDomain) {
    findings.push({
      code: 'custom-domain-needs-certificate',
      doc,
      path: [...base, 'customDomain'],
      at: 'key',
      data: { domain: lattice.customDomain },
    });
  }
  const routes = lattice.routes ?? [];
  if (routes.length > 0 && protocol === 'tls-passthrough') {
    findings.push({
      code: 'routes-need-http',
      doc,
      path: [...base, 'routes'],
      at: 'key',
      data: {},
    });
  }
  findings.push(...routeListFindings(routes, [...base, 'routes'], doc));
  if (target?.protocol === 'grpc')
    findings.push(...grpcRouteFindings(routes, [...base, 'routes'], doc, c.metadata.name));
  return findings;
}

/** Routes of a gRPC service: each path one that gRPC calls have. */
export function grpcRouteFindings(
  routes: readonly { path: string }[],
  at: (string | number)[],
  doc: number,
  name: string,
): Finding[] {
  return routes.flatMap((r, i) =>
    isGrpcPattern(r.path)
      ? []
      : [{ code: 'grpc-path', messageId: 'route', doc, path: [...at, i, 'path'], data: { name, path: r.path } }],
  );
}

/** Lattice takes whole seconds in fixed ranges, and checks a port the targets listen on over TCP. */
function healthCheckFindings(
  doc: number,
  c: ServiceContract,
  ports: readonly { name: string; protocol: string }[],
): Finding[] {
  const h = c.spec.exposure?.lattice?.healthCheck;
  if (!h) return [];
  const at = [...base, 'healthCheck'];
  const findings: Finding[] = [];
  if (h.port !== undefined) {
    const port = ports.find((p) => p.name === h.port);
    const names = ports.filter((p) => p.protocol !== 'udp').map((p) => p.name);
    if (!port || port.protocol === 'udp')
      findings.push({
        code: 'health-check-invalid',
        messageId: port ? 'udp' : 'port',
        doc,
        path: [...at, 'port'],
        data: { port: h.port, name: c.metadata.name, suggestion: didYouMean(h.port, names) || declaredList(names) },
      });
  }
  const seconds = (field: 'interval' | 'timeout', min: number, max: number) => {
    const value = h[field];
    if (value === undefined) return undefined;
    const ms = durationMs(value);
    if (ms % 1000 !== 0 || ms < min * 1000 || ms > max * 1000)
      findings.push({
        code: 'health-check-invalid',
        messageId: 'seconds',
        doc,
        path: [...at, field],
        data: { field, value, min, max },
      });
    return ms;
  };
  const interval = seconds('interval', 5, 300) ?? 30_000;
  const timeout = seconds('timeout', 1, 120) ?? 5000;
  if ((h.interval !== undefined || h.timeout !== undefined) && timeout >= interval)
    findings.push({
      code: 'health-check-invalid',
      messageId: 'timeout',
      doc,
      path: [...at, h.timeout !== undefined ? 'timeout' : 'interval'],
      data: { timeout: h.timeout ?? '5s', interval: h.interval ?? '30s' },
    });
  return findings;
}

/** Routes of either path: no path twice (the second could never match), no route that sends nowhere. */
export function routeListFindings(
  routes: readonly { path: string; backends: readonly { weight: number }[] }[],
  at: (string | number)[],
  doc: number,
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  routes.forEach((r, i) => {
    const earlier = seen.get(r.path);
    if (earlier !== undefined) {
      findings.push({
        code: 'duplicate-route',
        doc,
        path: [...at, i, 'path'],
        data: { path: r.path, earlier },
        related: { doc, path: [...at, earlier, 'path'] },
      });
    } else seen.set(r.path, i);
    if (r.backends.every((b) => b.weight === 0)) {
      findings.push({
        code: 'zero-weights',
        doc,
        path: [...at, i, 'backends'],
        at: 'key',
        data: { path: r.path },
      });
    }
  });
  return findings;
}
