// Access-log records of three kinds, read into one shape. Every field comes from untrusted text:
// each is checked for its type, and a record that carries nothing to judge is not a call.

export type LogSource = 'lattice' | 'ztunnel' | 'envoy';

/** One observed call, as much of it as its log says. */
export interface Observation {
  source: LogSource;
  /** ISO 8601, as the log wrote it. */
  time?: string;
  caller: {
    /** A mesh identity without `spiffe://`: `<trust domain>/ns/<ns>/sa/<sa>`. */
    principal?: string;
    /** The IAM principal that signed a Lattice request (a role, or an assumed-role session). */
    iamPrincipal?: string;
    ip?: string;
    vpc?: string;
    /** Where a log collector says the logging pod runs (Envoy logs of an outbound call). */
    pod?: { namespace: string; labels: Record<string, string> };
  };
  callee: {
    /** A Kubernetes Service host name, `<name>.<namespace>[.svc…]`. */
    host?: string;
    latticeService?: string;
    /** The logging pod itself (Envoy logs of an inbound call). */
    pod?: { namespace: string; labels: Record<string, string> };
    port?: number;
  };
  method?: string;
  path?: string;
  /** The log says a policy refused the call. */
  denied: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string field, with the `"null"` and `"-"` that Lattice and Envoy write for nothing read as nothing. */
function str(o: Obj, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v !== '' && v !== 'null' && v !== '-') return v;
  }
  return undefined;
}

function num(o: Obj, key: string): number | undefined {
  const v = o[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/** `10.1.2.3:8080`, `[fd00::1]:80`: the address and the port. */
export function addressPort(text: string | undefined): { ip?: string; port?: number } {
  if (!text) return {};
  const m = /^\[?([0-9a-fA-F:.]+?)\]?:(\d{1,5})$/.exec(text);
  if (!m) return /^[0-9a-fA-F:.]+$/.test(text) ? { ip: text } : {};
  return { ip: m[1] ?? '', port: Number(m[2]) };
}

const withoutSpiffe = (id: string | undefined) => (id?.startsWith('spiffe://') ? id.slice('spiffe://'.length) : id);
const withoutQuery = (path: string | undefined) => (path === undefined ? undefined : path.split('?')[0]);

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** A VPC Lattice access-log entry (JSON, as delivered to CloudWatch Logs, S3 or Firehose). */
function lattice(o: Obj): Observation {
  const source = addressPort(str(o, 'sourceIpPort'));
  const principal = str(o, 'callerPrincipal');
  return {
    source: 'lattice',
    ...opt('time', str(o, 'eventTimestamp', 'startTime')),
    caller: { ...opt('iamPrincipal', principal), ...opt('ip', source.ip), ...opt('vpc', str(o, 'sourceVpcId')) },
    callee: { ...opt('latticeService', str(o, 'serviceArn')) },
    ...opt('method', str(o, 'requestMethod')),
    ...opt('path', withoutQuery(str(o, 'requestPath'))),
    denied: str(o, 'authDeniedReason') !== undefined,
  };
}

/** An Envoy access-log entry in Istio's JSON encoding, with the pod a log collector adds, if any. */
function envoy(o: Obj): Observation {
  const cluster = str(o, 'upstream_cluster') ?? '';
  // `outbound|8080||api.shop.svc.cluster.local` or `inbound|8080||`.
  const [direction = '', portText = '', , clusterHost = ''] = cluster.split('|');
  const authority = str(o, 'authority');
  const authorityHost = authority?.replace(/:\d+$/, '');
  const authorityPort = authority?.match(/:(\d+)$/)?.[1];
  const k8s = isObj(o.kubernetes) ? o.kubernetes : undefined;
  const pod =
    k8s && typeof k8s.namespace_name === 'string'
      ? { namespace: k8s.namespace_name, labels: labelsOf(k8s.labels) }
      : undefined;
  const inbound = direction === 'inbound';
  const port = /^\d+$/.test(portText) ? Number(portText) : authorityPort ? Number(authorityPort) : undefined;
  const code = num(o, 'response_code');
  const details = str(o, 'response_code_details') ?? '';
  const flags = str(o, 'response_flags') ?? '';
  return {
    source: 'envoy',
    ...opt('time', str(o, 'start_time')),
    caller: {
      ...opt('principal', withoutSpiffe(str(o, 'downstream_peer_uri_san', 'source_principal'))),
      ...opt('ip', inbound ? addressPort(str(o, 'downstream_remote_address')).ip : undefined),
      ...(!inbound && pod ? { pod } : {}),
    },
    callee: {
      ...opt('host', inbound ? authorityHost : clusterHost || authorityHost),
      ...(inbound && pod ? { pod } : {}),
      ...opt('port', port),
    },
    ...opt('method', str(o, 'method')),
    ...opt('path', withoutQuery(str(o, 'path'))),
    denied: code === 403 && (details.startsWith('rbac_access_denied') || flags.includes('RBAC')),
  };
}

/** A ztunnel access-log entry, as JSON or as its `key=value` text. */
function ztunnel(fields: Obj, time: string | undefined): Observation | undefined {
  // Each connection is logged by both ends; the destination's (inbound) line is the one counted.
  const direction = str(fields, 'direction');
  if (direction !== undefined && direction !== 'inbound') return undefined;
  const dst = addressPort(str(fields, 'dst.hbone_addr') ?? str(fields, 'dst.addr'));
  const src = addressPort(str(fields, 'src.addr'));
  const error = str(fields, 'error') ?? '';
  return {
    source: 'ztunnel',
    ...opt('time', time),
    caller: { ...opt('principal', withoutSpiffe(str(fields, 'src.identity'))), ...opt('ip', src.ip) },
    callee: { ...opt('host', str(fields, 'dst.service')), ...opt('port', dst.port) },
    denied: /policy rejection|RBAC/i.test(error),
  };
}

const ztunnelPair = /([A-Za-z_][\w.]*)=("(?:[^"\\]|\\.)*"|\S+)/g;

function ztunnelText(line: string): Observation | undefined {
  if (!line.includes('src.identity=') && !line.includes('dst.service=')) return undefined;
  const fields: Obj = {};
  for (const m of line.matchAll(ztunnelPair)) {
    const raw = m[2] ?? '';
    fields[m[1] ?? ''] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  const time = /^(\d{4}-\d\d-\d\dT[\d:.]+Z?)\s/.exec(line)?.[1];
  return ztunnel(fields, time);
}

/** What kind of record a JSON object is, by the fields only that kind has. */
function fromObject(o: Obj): Observation | undefined {
  if ('serviceArn' in o || 'serviceNetworkArn' in o) return lattice(o);
  if ('upstream_cluster' in o || ('response_code' in o && 'authority' in o)) return envoy(o);
  if ('src.identity' in o || 'dst.service' in o) return ztunnel(o, str(o, 'time', 'timestamp'));
  return undefined;
}

/**
 * The calls one line of input holds: none (a line that is not an access-log entry is reported as
 * unread), one, or several (a CloudWatch Logs subscription record carries `logEvents`).
 */
export function observationsOf(line: string): Observation[] | undefined {
  const text = line.trim();
  if (text === '') return [];
  if (text.startsWith('{')) {
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!isObj(o)) return undefined;
    if (Array.isArray(o.logEvents)) {
      const out: Observation[] = [];
      for (const e of o.logEvents) {
        const inner = isObj(e) && typeof e.message === 'string' ? observationsOf(e.message) : undefined;
        if (inner) out.push(...inner);
      }
      return out;
    }
    // An exported CloudWatch Logs event: the record is its message.
    if (typeof o.message === 'string' && !('serviceArn' in o) && !('upstream_cluster' in o))
      return observationsOf(o.message) ?? undefined;
    const one = fromObject(o);
    return one ? [one] : o.scope === 'access' || o.direction !== undefined ? [] : undefined;
  }
  const z = ztunnelText(text);
  if (z) return [z];
  // ztunnel's outbound lines and its other messages are not calls to count, but they are its own.
  return /\b(info|warn|error|debug)\s+access\b/.test(text) ? [] : undefined;
}

function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  const out: Partial<Record<K, V>> = {};
  if (value !== undefined) out[key] = value;
  return out;
}
