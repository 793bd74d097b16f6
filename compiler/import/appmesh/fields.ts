import type { JsonPath } from '../../diagnostics/diagnostic.js';
import type { Finding } from '../../diagnostics/diagnostic.js';

// Reading untrusted App Mesh documents: every accessor checks the type it expects, and a value
// of the wrong shape becomes a finding at its path rather than an exception.

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const objAt = (o: Obj, k: string): Obj | undefined => (isObj(o[k]) ? o[k] : undefined);

export const strAt = (o: Obj | undefined, k: string): string | undefined =>
  o !== undefined && typeof o[k] === 'string' && o[k] !== '' ? o[k] : undefined;

export const numAt = (o: Obj | undefined, k: string): number | undefined =>
  o !== undefined && typeof o[k] === 'number' && Number.isFinite(o[k]) ? o[k] : undefined;

export const listAt = (o: Obj | undefined, k: string): unknown[] =>
  o !== undefined && Array.isArray(o[k]) ? o[k] : [];

/** Collects findings for one import run; `doc` is filled in by the caller's position. */
export class Findings {
  readonly list: Finding[] = [];
  add(f: Finding): void {
    this.list.push(f);
  }
  malformed(doc: number, path: JsonPath, expected: string): void {
    this.add({ code: 'appmesh-malformed', doc, path, data: { expected } });
  }
}

/** String labels of a Kubernetes selector's `matchLabels`. */
export function labelsAt(o: Obj | undefined): Record<string, string> | undefined {
  const m = o === undefined ? undefined : objAt(o, 'matchLabels');
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'string') out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `serviceDiscovery`: a DNS host name or a Cloud Map service, the same in both forms. */
export function discoveryAt(spec: Obj): { dns?: string; cloudMap?: { namespace: string; service: string } } {
  const sd = objAt(spec, 'serviceDiscovery') ?? {};
  const dns = strAt(objAt(sd, 'dns'), 'hostname');
  const cm = objAt(sd, 'awsCloudMap');
  const namespace = strAt(cm, 'namespaceName');
  const service = strAt(cm, 'serviceName');
  return {
    ...(dns !== undefined ? { dns } : {}),
    ...(namespace !== undefined && service !== undefined ? { cloudMap: { namespace, service } } : {}),
  };
}
