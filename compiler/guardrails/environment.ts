import { Environment } from '@marcbachmann/cel-js';
import { SchemaTypes } from './cel-types.js';

export type Scope = 'contract' | 'edge';

/** The variables each scope sees, by CEL type. */
export const scopeVariables: Record<Scope, string[]> = {
  contract: ['contract'],
  edge: ['caller', 'callee', 'edge'],
};

const limits = { maxAstNodes: 5000, maxDepth: 64, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 };

let typed: Record<Scope, Environment> | undefined;
const knownFields = new Set<string>(['path', 'callee', 'calleeAccount', 'caller', 'ports', 'methods', 'paths', 'kind', 'service', 'iamRole', 'sourceVpc', 'cidr', 'account', 'name', 'port', 'protocol']);

/** Field names a guard-rail may read, for suggestions. */
export const guardRailFields: ReadonlySet<string> = knownFields;
let runtime: Environment | undefined;

/**
 * Checking environments, one per scope: `contract`, `caller` and `callee` have the contract
 * schema's type, `edge` the resolved edge's. Built once per process.
 */
export function checkingEnvironment(scope: Scope): Environment {
  if (!typed) {
    const build = (s: Scope) => {
      const env = new Environment({ limits, homogeneousAggregateLiterals: false });
      const types = new SchemaTypes(env, 'callgate');
      const contract = types.root('service-contract.schema.json', 'ServiceContract');
      for (const f of types.fieldNames) knownFields.add(f);
      env
        .registerType('callgate.EdgePort', { fields: { name: 'string', port: 'int', protocol: 'string' } })
        .registerType('callgate.EdgeCaller', { fields: { kind: 'string', service: 'string', iamRole: 'string', sourceVpc: 'string', cidr: 'string', account: 'string' } })
        .registerType('callgate.Edge', { fields: { path: 'string', callee: 'string', calleeAccount: 'string', caller: 'callgate.EdgeCaller', ports: 'list<callgate.EdgePort>', methods: 'list<string>', paths: 'list<string>' } });
      if (s === 'contract') env.registerVariable('contract', contract);
      else env.registerVariable('caller', contract).registerVariable('callee', contract).registerVariable('edge', 'callgate.Edge');
      return env;
    };
    typed = { contract: build('contract'), edge: build('edge') };
  }
  return typed[scope];
}

/**
 * Evaluation runs on plain data (maps and lists), as Kubernetes does: a field that is absent is
 * an error unless guarded by `has()`, never a default value. The checking environment has
 * already proved every field name and type, so here the variables are `dyn`.
 */
export function evaluationEnvironment(): Environment {
  if (!runtime) {
    runtime = new Environment({ limits, homogeneousAggregateLiterals: false });
    for (const name of ['contract', 'caller', 'callee', 'edge', 'variables']) runtime.registerVariable(name, 'dyn');
  }
  return runtime;
}
