import type { Finding } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type { ServiceContract } from '../../types/contract.generated.js';
import type { Typed } from '../documents.js';
import { isLayer7 } from '../../model/protocols.js';

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
    if (!target) {
      findings.push({
        code: 'unknown-target-port',
        doc,
        path: [...base, 'targetPort'],
        message: `target port \`${lattice.targetPort}\` is not one of the ports of \`${c.metadata.name}\`${
          didYouMean(
            lattice.targetPort,
            ports.map((p) => p.name),
          ) || `; declared: ${ports.map((p) => `\`${p.name}\``).join(', ') || 'none'}`
        }`,
      });
    }
  } else if (ports.length === 0) {
    findings.push({
      code: 'target-port-required',
      doc,
      path: base,
      at: 'key',
      message: `\`${c.metadata.name}\` is exported over VPC Lattice but declares no ports; add the port Lattice forwards to under \`spec.ports\``,
    });
  } else if (ports.length > 1) {
    findings.push({
      code: 'target-port-required',
      doc,
      path: base,
      at: 'key',
      message: `\`${c.metadata.name}\` has ${ports.length} ports; set \`exposure.lattice.targetPort\` to the one Lattice forwards to (${ports.map((p) => `\`${p.name}\``).join(', ')})`,
    });
  }
  if (target) {
    const l7 = isLayer7(target.protocol);
    if (protocol === 'tls-passthrough' ? target.protocol !== 'tls' : !l7) {
      const want = l7
        ? 'an `http` or `https` listener'
        : target.protocol === 'tls'
          ? 'a `tls-passthrough` listener'
          : 'a TLS port (Lattice carries TCP only as TLS passthrough)';
      findings.push({
        code: 'listener-protocol-mismatch',
        doc,
        path: listenerPath,
        message: `the \`${protocol}\` listener cannot forward to \`${target.protocol}\` port \`${target.name}\`; use ${want}`,
      });
    }
  }
  if (protocol === 'tls-passthrough' && !lattice.customDomain) {
    findings.push({
      code: 'tls-passthrough-needs-domain',
      doc,
      path: listenerPath,
      message: 'a `tls-passthrough` listener routes by SNI and needs `exposure.lattice.customDomain`; set it',
    });
  }
  if (lattice.certificateArn !== undefined) {
    if (protocol !== 'https') {
      findings.push({
        code: 'certificate-needs-https',
        doc,
        path: [...base, 'certificateArn'],
        at: 'key',
        message: `\`certificateArn\` is only used by an \`https\` listener, and this one is \`${protocol}\`; remove it or use \`https\``,
      });
    } else if (!lattice.customDomain) {
      findings.push({
        code: 'certificate-needs-domain',
        doc,
        path: [...base, 'certificateArn'],
        at: 'key',
        message: '`certificateArn` is only used for a custom domain; set `customDomain` or remove it',
      });
    }
  } else if (protocol === 'https' && lattice.customDomain) {
    findings.push({
      code: 'custom-domain-needs-certificate',
      doc,
      path: [...base, 'customDomain'],
      at: 'key',
      message: `HTTPS on custom domain \`${lattice.customDomain}\` needs your own ACM certificate; set \`exposure.lattice.certificateArn\``,
    });
  }
  const routes = lattice.routes ?? [];
  if (routes.length > 0 && protocol === 'tls-passthrough') {
    findings.push({
      code: 'routes-need-http',
      doc,
      path: [...base, 'routes'],
      at: 'key',
      message:
        'a `tls-passthrough` listener has only a default rule, so `routes` cannot apply; remove them or use an `https` listener',
    });
  }
  const seen = new Map<string, number>();
  routes.forEach((r, i) => {
    const earlier = seen.get(r.path);
    if (earlier !== undefined) {
      findings.push({
        code: 'duplicate-route',
        doc,
        path: [...base, 'routes', i, 'path'],
        message: `route path \`${r.path}\` is also routes[${earlier}]; merge their backends into one route`,
        related: { doc, path: [...base, 'routes', earlier, 'path'], message: 'the first route' },
      });
    } else seen.set(r.path, i);
    if (r.backends.every((b) => b.weight === 0)) {
      findings.push({
        code: 'zero-weights',
        doc,
        path: [...base, 'routes', i, 'backends'],
        at: 'key',
        message: `every backend of route \`${r.path}\` has weight 0, so it sends traffic nowhere; give one a positive weight`,
      });
    }
  });
  return findings;
}
