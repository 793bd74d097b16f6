import type { LatticeModel } from '../model/types.js';

/** A target group's health check in Lattice's own terms, for both delivery paths to spell. */
export interface LatticeHealthCheck {
  enabled: boolean;
  port: number;
  protocol?: 'HTTP' | 'HTTPS';
  protocolVersion?: 'HTTP1' | 'HTTP2';
  path?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  statusMatch?: string;
}

/**
 * The contract's health check over callgate's defaults: the target port, HTTP at the target
 * port's version (gRPC targets are checked over HTTP/2), and no protocol for a TCP
 * (`tls-passthrough`) target group unless the contract asks for one.
 */
export function latticeHealthCheck(l: LatticeModel): LatticeHealthCheck {
  const h = l.healthCheck;
  const tcp = l.listener.protocol === 'tls-passthrough';
  const protocol = h?.protocol ? (h.protocol === 'https' ? 'HTTPS' : 'HTTP') : tcp ? undefined : 'HTTP';
  return {
    enabled: h?.enabled ?? true,
    port: h?.port ?? l.targetPort.port,
    ...(protocol ? { protocol, protocolVersion: l.targetPort.protocol === 'http' ? 'HTTP1' : 'HTTP2' } : {}),
    ...(h?.path !== undefined ? { path: h.path } : {}),
    ...(h?.intervalSeconds !== undefined ? { intervalSeconds: h.intervalSeconds } : {}),
    ...(h?.timeoutSeconds !== undefined ? { timeoutSeconds: h.timeoutSeconds } : {}),
    ...(h?.healthyThreshold !== undefined ? { healthyThreshold: h.healthyThreshold } : {}),
    ...(h?.unhealthyThreshold !== undefined ? { unhealthyThreshold: h.unhealthyThreshold } : {}),
    ...(h?.statusMatch !== undefined ? { statusMatch: h.statusMatch } : {}),
  };
}
