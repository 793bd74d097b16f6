import type { JsonPath } from '../../diagnostics/diagnostic.js';
import type { LoadedDocument } from '../../load/document.js';
import { apiKindOf, apiWrappers, readApiObject, type ApiKind } from './api-form.js';
import { Findings, isObj, strAt, type Obj } from './fields.js';
import { kubernetesKinds, readKubernetesObject } from './kubernetes-form.js';
import type { Resource } from './resources.js';

const isKubernetesKind = (k: string): k is (typeof kubernetesKinds)[number] =>
  (kubernetesKinds as readonly string[]).includes(k);

const apiKinds = Object.keys(apiWrappers).filter((k): k is ApiKind => Object.hasOwn(apiWrappers, k));
const pluralToKind = new Map<string, ApiKind>(apiKinds.map((k) => [apiWrappers[k], k]));

/**
 * Every App Mesh resource in the loaded documents, in either form: Kubernetes objects (alone or in
 * a `List`), describe-* outputs, and lists of either. Anything else is reported, never skipped
 * in silence.
 */
export function readResources(documents: readonly LoadedDocument[], findings: Findings): Resource[] {
  const out: Resource[] = [];
  for (const d of documents) visit(d.value, d.index, [], out, findings);
  return out;
}

function visit(value: unknown, doc: number, path: JsonPath, out: Resource[], findings: Findings): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      visit(v, doc, [...path, i], out, findings);
    });
    return;
  }
  if (!isObj(value)) {
    findings.add({ code: 'appmesh-not-a-resource', doc, path, data: {} });
    return;
  }
  const apiVersion = strAt(value, 'apiVersion');
  const kind = strAt(value, 'kind') ?? '';
  if (Array.isArray(value.items) && (kind === 'List' || kind.endsWith('List'))) {
    value.items.forEach((v, i) => {
      visit(v, doc, [...path, 'items', i], out, findings);
    });
    return;
  }
  if (apiVersion !== undefined) {
    if (apiVersion !== 'appmesh.k8s.aws/v1beta2' || !isKubernetesKind(kind)) {
      const appMesh = apiVersion.startsWith('appmesh.k8s.aws/');
      // Deployments and Services beside the mesh's objects are expected in a manifest: a note, not a warning.
      findings.add({
        code: 'appmesh-not-a-resource',
        messageId: appMesh ? 'version' : 'kubernetes',
        ...(appMesh ? {} : { severity: 'info' as const }),
        doc,
        path,
        data: { kind: kind.slice(0, 40), apiVersion: apiVersion.slice(0, 60) },
      });
      return;
    }
    const r = readKubernetesObject(value, doc, path, findings);
    if (r) out.push(r);
    return;
  }
  // A describe-* output: one key naming the kind, or a list under the kind's plural.
  const keys = Object.keys(value);
  let matched = false;
  for (const k of keys) {
    const wrapped = apiKinds.find((a) => a === k);
    const plural = pluralToKind.get(k);
    const body = value[k];
    if (wrapped && isObj(body)) {
      matched = true;
      readApi(wrapped, body, doc, [...path, k], out, findings);
    } else if (plural && Array.isArray(body)) {
      matched = true;
      body.forEach((b, i) => {
        if (isObj(b)) readApi(plural, b, doc, [...path, k, i], out, findings);
        else findings.add({ code: 'appmesh-not-a-resource', doc, path: [...path, k, i], data: {} });
      });
    }
  }
  if (matched) return;
  const bare = apiKindOf(value);
  if (bare && isObj(value.spec)) {
    readApi(bare, value, doc, path, out, findings);
    return;
  }
  findings.add({ code: 'appmesh-not-a-resource', doc, path, data: {} });
}

function readApi(kind: ApiKind, body: Obj, doc: number, path: JsonPath, out: Resource[], findings: Findings): void {
  if (apiKindOf(body) !== kind) {
    findings.malformed(doc, path, `a \`${kind}\` with \`meshName\` and its name fields`);
    return;
  }
  const r = readApiObject(kind, body, doc, path, findings);
  if (r) out.push(r);
}
