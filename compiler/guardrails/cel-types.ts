import type { Environment } from '@marcbachmann/cel-js';
import { isRecord, recordEntriesAt, recordsAt, type JsonRecord } from '../util/json.js';
import { readSchema } from '../validate/schemas.js';

type Schema = JsonRecord;

/**
 * CEL types derived from a JSON Schema, so that guard-rails are type-checked against the same
 * contract the validator enforces: an object with properties is a message type (a misspelled
 * field is a check error), a map of labels is `map<string, string>`, an array is a list, an
 * integer is `int`. Branches of a `oneOf` share one message type with every branch's fields.
 */
export class SchemaTypes {
  private readonly files = new Map<string, Schema>();
  private readonly registered = new Map<string, string>();
  /** Every field name of every message type, for "did you mean" on a misspelled one. */
  readonly fieldNames = new Set<string>();

  constructor(
    private readonly env: Environment,
    private readonly prefix: string,
  ) {}

  /** The CEL type of the root of a schema file under schema/, registering what it needs. */
  root(file: string, name: string): string {
    return this.typeOf(this.file(file), name, file);
  }

  private file(name: string): Schema {
    let s = this.files.get(name);
    if (!s) {
      s = readSchema(name);
      this.files.set(name, s);
    }
    return s;
  }

  private resolve(ref: string, file: string): { node: Schema; file: string; name: string } {
    const [target = '', pointer = ''] = ref.split('#');
    const inFile = target === '' ? file : target;
    let node: unknown = this.file(inFile);
    for (const seg of pointer.split('/').filter(Boolean)) node = isRecord(node) ? node[seg] : undefined;
    return { node: isRecord(node) ? node : {}, file: inFile, name: pointer.split('/').pop() ?? 'Anonymous' };
  }

  private typeOf(node: Schema, name: string, file: string): string {
    if (typeof node.$ref === 'string') {
      const r = this.resolve(node.$ref, file);
      return this.typeOf(r.node, r.name, r.file);
    }
    const branches = recordsAt(node, 'oneOf') ?? recordsAt(node, 'anyOf');
    if (isRecord(node.properties) || branches?.some((b) => b.properties !== undefined || b.$ref !== undefined))
      return this.message(node, name, file);
    if (branches) {
      const [only, ...more] = [...new Set(branches.map((b, i) => this.typeOf(b, `${name}${i}`, file)))];
      return only !== undefined && more.length === 0 ? only : 'dyn';
    }
    const type =
      node.type ??
      (Array.isArray(node.enum) ? typeof node.enum[0] : node.const !== undefined ? typeof node.const : undefined);
    switch (type) {
      case 'string':
        return 'string';
      case 'integer':
        return 'int';
      case 'number':
        return 'double';
      case 'boolean':
        return 'bool';
      case 'array':
        return `list<${isRecord(node.items) ? this.typeOf(node.items, `${name}Item`, file) : 'dyn'}>`;
      case 'object': {
        const values = isRecord(node.additionalProperties)
          ? node.additionalProperties
          : recordEntriesAt(node, 'patternProperties')[0]?.[1];
        return `map<string, ${values ? this.typeOf(values, `${name}Value`, file) : 'dyn'}>`;
      }
      default:
        return 'dyn';
    }
  }

  /** One message type per definition, its fields the union over the `oneOf` branches. */
  private message(node: Schema, name: string, file: string): string {
    const typeName = `${this.prefix}.${name}`;
    const done = this.registered.get(typeName);
    if (done) return done;
    const fields: Record<string, string> = {};
    const collect = (n: Schema, f: string) => {
      if (typeof n.$ref === 'string') {
        const r = this.resolve(n.$ref, f);
        collect(r.node, r.file);
        return;
      }
      for (const [key, value] of recordEntriesAt(n, 'properties')) {
        const t = this.typeOf(value, `${name}.${key}`, f);
        fields[key] = fields[key] === undefined || fields[key] === t ? t : 'dyn';
        this.fieldNames.add(key);
      }
      for (const b of recordsAt(n, 'oneOf') ?? recordsAt(n, 'anyOf') ?? []) collect(b, f);
    };
    collect(node, file);
    this.env.registerType(typeName, { fields });
    this.registered.set(typeName, typeName);
    return typeName;
  }
}
