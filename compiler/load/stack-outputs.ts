/**
 * The outputs of deployed stacks, as `cdktf deploy --outputs-file` writes them:
 * `{ "<stack>": { "<output id>": <value> } }`. Only the ids of managed security groups are read,
 * because an EKS pod's SecurityGroupPolicy can name a group only once Terraform has created it.
 */
export type StackOutputs = ReadonlyMap<string, string>;

const groupId = /^sg-[0-9a-f]{8,17}$/;

/** Parsed and checked; a problem is a sentence for the user, never a partial map. */
export function parseStackOutputs(text: string): { outputs: StackOutputs } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { problem: `is not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isObject(parsed))
    return { problem: 'is not a JSON object of stacks, as `cdktf deploy --outputs-file` writes it' };
  const outputs = new Map<string, string>();
  for (const [stack, values] of Object.entries(parsed)) {
    if (!isObject(values)) return { problem: `stack \`${stack}\` is not an object of outputs` };
    for (const [id, value] of Object.entries(values)) {
      // `<ns>_<name>_sg-id`, or `<ns>-<name>-sg-id` as outputs were named before.
      if (!id.endsWith('_sg-id') && !id.endsWith('-sg-id')) continue;
      if (typeof value !== 'string' || !groupId.test(value))
        return { problem: `output \`${id}\` of stack \`${stack}\` is not a security group id (sg-…)` };
      const seen = outputs.get(id);
      if (seen !== undefined && seen !== value)
        return { problem: `output \`${id}\` has two values (${seen} and ${value})` };
      outputs.set(id, value);
    }
  }
  return { outputs };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
