import type { Environment } from '@marcbachmann/cel-js';
import { readSchema } from '../validate/schemas.js';

type Schema = Record<string, unknown>;

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
    for (const seg of pointer.split('/').filter(Boolean)) node = (node as Schema)[seg];
    return { node: node as Schema, file: inFile, name: pointer.split('/').pop() ?? 'Anonymous' };
  }

  private typeOf(node: Schema, name: string, file: string): string {
    if (typeof node.$ref === 'string') {
      const r = this.resolve(node.$ref, file);
      return this.typeOf(r.node, r.name, r.file);
    }
    const branches = (node.oneOf ?? node.anyOf) as Schema[] | undefined;
    const properties = node.properties as Record<string, Schema> | undefined;
    if (properties || (branches && branches.some((b) => b.properties !== undefined || b.$ref !== undefined)))
      return this.message(node, name, file);
    if (branches) {
      const types = [...new Set(branches.map((b, i) => this.typeOf(b, `${name}${i}`, file)))];
      return types.length === 1 ? (types[0] as string) : 'dyn';
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
        return `list<${node.items ? this.typeOf(node.items as Schema, `${name}Item`, file) : 'dyn'}>`;
      case 'object': {
        const values = (node.additionalProperties ??
          Object.values((node.patternProperties ?? {}) as Record<string, Schema>)[0]) as Schema | boolean | undefined;
        return `map<string, ${typeof values === 'object' ? this.typeOf(values, `${name}Value`, file) : 'dyn'}>`;
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
        return collect(r.node, r.file);
      }
      for (const [key, value] of Object.entries((n.properties ?? {}) as Record<string, Schema>)) {
        const t = this.typeOf(value, `${name}.${key}`, f);
        fields[key] = fields[key] === undefined || fields[key] === t ? t : 'dyn';
        this.fieldNames.add(key);
      }
      for (const b of (n.oneOf ?? n.anyOf ?? []) as Schema[]) collect(b, f);
    };
    collect(node, file);
    this.env.registerType(typeName, { fields });
    this.registered.set(typeName, typeName);
    return typeName;
  }
}
