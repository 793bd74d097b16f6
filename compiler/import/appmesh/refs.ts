import type { Origin, Ref } from './resources.js';

export const apiKey = (kind: string, mesh: string, name: string) => `api/${kind}/${mesh}/${name}`;

/**
 * A reference by ARN (`arn:aws:appmesh:<region>:<account>:mesh/<mesh>/virtualService/<name>`):
 * looked up by mesh and name, as the API names resources.
 */
export function refFromArn(kind: string, arn: string, at: Origin): Ref | undefined {
  const m = /^arn:aws[a-z-]*:appmesh:[^:]*:[^:]*:mesh\/([^/]+)\/([A-Za-z]+)\/([^/]+)$/.exec(arn);
  if (!m) return { key: `arn/${arn}`, shown: arn, at };
  const [, mesh = '', type = '', name = ''] = m;
  const expected = kind.charAt(0).toLowerCase() + kind.slice(1);
  if (type !== expected) return { key: `arn/${arn}`, shown: arn, at };
  return { key: apiKey(kind, mesh, name), shown: arn, at };
}
