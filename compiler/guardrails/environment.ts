import { Environment } from '@marcbachmann/cel-js';
import { registerAddressFunctions } from './address-functions.js';
import { SchemaTypes } from './cel-types.js';

export type Scope = 'platform' | 'contract' | 'edge';

const limits = { maxAstNodes: 5000, maxDepth: 64, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 };

/** `edge`'s types: the resolved edge as evaluate.ts builds it. */
const edgeTypes: Record<string, Record<string, string>> = {
  'callgate.EdgePort': { name: 'string', port: 'int', protocol: 'string' },
  'callgate.EdgeCaller': {
    kind: 'string',
    service: 'string',
    iamRole: 'string',
    sourceVpc: 'string',
    cidr: 'string',
    account: 'string',
  },
  'callgate.Edge': {
    path: 'string',
    callee: 'string',
    calleeAccount: 'string',
    caller: 'callgate.EdgeCaller',
    ports: 'list<callgate.EdgePort>',
    methods: 'list<string>',
    paths: 'list<string>',
  },
};

interface Checking {
  scopes: Record<Scope, Environment>;
  /** Every field name a guard-rail may read, for "did you mean". */
  fields: ReadonlySet<string>;
}

let checking: Checking | undefined;
let runtime: Environment | undefined;

/**
 * The types are registered once, in one environment, and each scope is a clone of it with its
 * own variables: `contract`, `caller` and `callee` have the contract schema's type, `edge` the
 * resolved edge's. Built once per process.
 */
function build(): Checking {
  if (!checking) {
    const base = registerAddressFunctions(new Environment({ limits, homogeneousAggregateLiterals: false }));
    const types = new SchemaTypes(base, 'callgate');
    const contract = types.root('service-contract.schema.json', 'ServiceContract');
    const platform = types.root('platform.schema.json', 'Platform');
    for (const [name, fields] of Object.entries(edgeTypes)) base.registerType(name, { fields });
    checking = {
      scopes: {
        platform: base.clone().registerVariable('platform', platform),
        contract: base.clone().registerVariable('contract', contract),
        edge: base
          .clone()
          .registerVariable('caller', contract)
          .registerVariable('callee', contract)
          .registerVariable('edge', 'callgate.Edge'),
      },
      fields: new Set([...types.fieldNames, ...Object.values(edgeTypes).flatMap((f) => Object.keys(f))]),
    };
  }
  return checking;
}

export const checkingEnvironment = (scope: Scope): Environment => build().scopes[scope];

export const guardRailFields = (): ReadonlySet<string> => build().fields;

/**
 * Evaluation runs on plain data (maps and lists), as Kubernetes does: a field that is absent is
 * an error unless guarded by `has()`, never a default value. The checking environment has
 * already proved every field name and type, so here the variables are `dyn`.
 */
export function evaluationEnvironment(): Environment {
  if (!runtime) {
    runtime = registerAddressFunctions(new Environment({ limits, homogeneousAggregateLiterals: false }));
    for (const name of ['platform', 'contract', 'caller', 'callee', 'edge', 'variables'])
      runtime.registerVariable(name, 'dyn');
  }
  return runtime;
}
