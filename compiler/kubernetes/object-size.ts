import type { ServiceModel } from '../model/types.js';
import type { KubernetesObject, TargetFinding } from '../targets/target.js';

/**
 * etcd's default request limit (1.5 MiB), which every object sent to kube-apiserver must fit in;
 * managed control planes such as EKS do not let it be raised.
 */
export const maxObjectBytes = 1_572_864;
/**
 * Client-side `kubectl apply` copies the whole object into its `last-applied-configuration`
 * annotation, and an object's annotations total at most 256 KiB: larger objects need `--server-side`.
 */
export const maxClientApplyBytes = 262_144;

/** The objects of one service that would not fit, or would not fit a client-side apply. */
export function objectSizeFindings(s: ServiceModel, objects: readonly KubernetesObject[]): TargetFinding[] {
  const findings: TargetFinding[] = [];
  for (const o of objects) {
    const text = JSON.stringify(o);
    // UTF-8 spells a UTF-16 code unit in at most three bytes: most objects are far below the
    // limit by their length alone, and need not be measured byte by byte.
    if (text.length * 3 <= maxClientApplyBytes) continue;
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes <= maxClientApplyBytes) continue;
    const tooLarge = bytes > maxObjectBytes;
    const data = { kind: o.kind, name: o.metadata.name, bytes, limit: tooLarge ? maxObjectBytes : maxClientApplyBytes };
    findings.push({
      code: 'kubernetes-object-too-large',
      ...(tooLarge ? {} : { messageId: 'apply', severity: 'warning' as const }),
      source: { ...s.source, path: ['spec', 'callers'] },
      at: 'key',
      data,
    });
  }
  return findings;
}
