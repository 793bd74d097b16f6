import type { JsonPath } from '../../diagnostics/diagnostic.js';
import { Findings, isObj, listAt, numAt, objAt, strAt, type Obj } from './fields.js';
import type { Listener, Route } from './resources.js';

// App Mesh settings that have a contract equivalent, and a finding for each that has none.

const durationPattern = /^[1-9][0-9]{0,8}(ms|s|m|h)$/;

/** `{unit: ms, value: 500}` as `500ms`; undefined (and a finding) when it cannot be one. */
export function duration(o: Obj | undefined, doc: number, path: JsonPath, findings: Findings): string | undefined {
  if (o === undefined) return undefined;
  const unit = strAt(o, 'unit');
  const value = numAt(o, 'value');
  const text = `${value ?? ''}${unit ?? ''}`;
  if (value === 0) return undefined;
  if (!durationPattern.test(text)) {
    findings.malformed(doc, path, 'a duration with a whole positive `value` and `unit` `ms` or `s`');
    return undefined;
  }
  return text;
}

/** App Mesh retry events and the contract's (Envoy's) names for the same conditions. */
const retryEvents: Record<string, string[]> = {
  'server-error': ['5xx'],
  'gateway-error': ['gateway-error'],
  // App Mesh's client-error is HTTP 409, which is Envoy's retriable-4xx.
  'client-error': ['retriable-4xx'],
  'stream-error': ['refused-stream'],
  'connection-error': ['connect-failure'],
  cancelled: ['cancelled'],
  'deadline-exceeded': ['deadline-exceeded'],
  internal: ['internal'],
  'resource-exhausted': ['resource-exhausted'],
  unavailable: ['unavailable'],
};

export interface Retries {
  attempts: number;
  perTryTimeout?: string;
  on?: string[];
}

export function retries(route: Route, findings: Findings): Retries | undefined {
  const policy = objAt(route.body, 'retryPolicy');
  if (!policy) return undefined;
  const doc = route.at.doc;
  const path = [...route.bodyPath, 'retryPolicy'];
  const max = numAt(policy, 'maxRetries');
  if (max === undefined || !Number.isInteger(max) || max < 0) {
    findings.malformed(doc, [...path, 'maxRetries'], 'a whole number of retries');
    return undefined;
  }
  if (max > 10)
    findings.add({
      code: 'appmesh-setting-changed',
      doc,
      path: [...path, 'maxRetries'],
      data: { setting: 'maxRetries', from: String(max), to: '10' },
    });
  const on: string[] = [];
  for (const field of ['httpRetryEvents', 'tcpRetryEvents', 'grpcRetryEvents']) {
    listAt(policy, field).forEach((e, i) => {
      const mapped = typeof e === 'string' ? retryEvents[e] : undefined;
      if (mapped) on.push(...mapped.filter((m) => !on.includes(m)));
      else findings.malformed(doc, [...path, field, i], 'an App Mesh retry event');
    });
  }
  const perTry = duration(objAt(policy, 'perRetryTimeout'), doc, [...path, 'perRetryTimeout'], findings);
  return {
    attempts: Math.min(max, 10),
    ...(perTry ? { perTryTimeout: perTry } : {}),
    ...(on.length > 0 ? { on } : {}),
  };
}

export interface ListenerSettings {
  timeout?: string;
  circuitBreaker: Record<string, number>;
  outlierDetection: Record<string, number | string>;
  tls?: string;
}

/** What one listener carries over into `resilience` and `mtls`; the rest is reported. */
export function listenerSettings(l: Listener, findings: Findings): ListenerSettings {
  const doc = l.at.doc;
  const at = (...p: (string | number)[]) => [...l.at.path, ...p];
  const out: ListenerSettings = { circuitBreaker: {}, outlierDetection: {} };
  const timeout = objAt(l.raw, 'timeout');
  for (const [proto, t] of Object.entries(timeout ?? {})) {
    if (!isObj(t)) continue;
    const d = duration(objAt(t, 'perRequest'), doc, at('timeout', proto, 'perRequest'), findings);
    if (d && out.timeout === undefined) out.timeout = d;
    if (isObj(t.idle)) dropped(findings, doc, at('timeout', proto, 'idle'), 'idle', 'idleTimeout');
  }
  const pool = objAt(l.raw, 'connectionPool');
  for (const [proto, p] of Object.entries(pool ?? {})) {
    if (!isObj(p)) continue;
    const set = (from: string, to: string) => {
      const v = numAt(p, from);
      if (v !== undefined && Number.isInteger(v) && v >= 1 && out.circuitBreaker[to] === undefined)
        out.circuitBreaker[to] = Math.min(v, 1000000);
    };
    set('maxConnections', 'maxConnections');
    set('maxPendingRequests', 'maxPendingRequests');
    if (proto !== 'tcp' && proto !== 'http') set('maxRequests', 'maxRequests');
  }
  const od = objAt(l.raw, 'outlierDetection');
  if (od) {
    const errors = numAt(od, 'maxServerErrors');
    if (errors !== undefined && Number.isInteger(errors) && errors >= 1)
      out.outlierDetection.consecutive5xxErrors = Math.min(errors, 1000);
    const interval = duration(objAt(od, 'interval'), doc, at('outlierDetection', 'interval'), findings);
    if (interval) out.outlierDetection.interval = interval;
    const base = duration(
      objAt(od, 'baseEjectionDuration'),
      doc,
      at('outlierDetection', 'baseEjectionDuration'),
      findings,
    );
    if (base) out.outlierDetection.baseEjectionTime = base;
    const pct = numAt(od, 'maxEjectionPercent');
    if (pct !== undefined && Number.isInteger(pct) && pct >= 0 && pct <= 100)
      out.outlierDetection.maxEjectionPercent = pct;
  }
  const tls = objAt(l.raw, 'tls');
  if (tls) {
    const mode = strAt(tls, 'mode');
    if (mode === 'STRICT') out.tls = 'strict';
    else if (mode === 'PERMISSIVE') out.tls = 'permissive';
    if (isObj(tls.certificate) || isObj(tls.validation))
      findings.add({ code: 'appmesh-tls-replaced', doc, path: at('tls'), data: {} });
  }
  if (isObj(l.raw.healthCheck)) dropped(findings, doc, at('healthCheck'), 'healthCheck', 'healthCheck');
  return out;
}

/** A setting with no contract equivalent, reported where it is; `reason` is a catalog message id. */
export function dropped(findings: Findings, doc: number, path: JsonPath, reason: DropReason, setting: string): void {
  findings.add({ code: 'appmesh-setting-dropped', messageId: reason, doc, path, at: 'key', data: { setting } });
}

export type DropReason =
  | 'idle'
  | 'healthCheck'
  | 'logging'
  | 'routeMatch'
  | 'regex'
  | 'tcpWeights'
  | 'selectorExpressions'
  | 'cloudMapAttributes'
  | 'singleVersionRoute'
  | 'gatewayRoute'
  | 'gatewayToEcs'
  | 'duplicateRoute'
  | 'otherRouter'
  | 'ecsResilience'
  | 'noHttpPort'
  | 'ecsRoutes'
  | 'versionsOverlap';
