import { parseJson, recordAt, type JsonRecord } from '../util/json.js';

/** The resources of a synthesized stack's text, by their Terraform address (`type.name`, `data.type.name`). */
export function resourcesOf(content: string): string[] {
  const json = parseJson(content);
  const of = (prefix: string, block: JsonRecord) =>
    Object.keys(block).flatMap((type) => Object.keys(recordAt(block, type)).map((n) => `${prefix}${type}.${n}`));
  return [...of('', recordAt(json, 'resource')), ...of('data.', recordAt(json, 'data'))];
}
