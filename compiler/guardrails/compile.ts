import { ParseError, type Environment } from '@marcbachmann/cel-js';
import type { Finding, JsonPath } from '../diagnostics/diagnostic.js';
import { catalog } from '../diagnostics/catalog.js';
import type { GuardRail } from '../types/contract.generated.js';
import type { Typed } from '../validate/documents.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { celErrorText } from './cel-errors.js';
import { checkingEnvironment, evaluationEnvironment, guardRailFields, type Scope } from './environment.js';
import { parseFieldPath } from './field-path.js';

/** An expression that passed the checker, ready to run on plain data. */
export interface CompiledExpression {
  text: string;
  run: (context: Record<string, unknown>) => unknown;
}

export interface CompiledRail {
  name: string;
  doc: number;
  scope: Scope;
  severity: 'error' | 'warning';
  matchConditions: CompiledExpression[];
  variables: { name: string; expression: CompiledExpression }[];
  validations: {
    expression: CompiledExpression;
    message?: string;
    messageExpression?: CompiledExpression;
    fieldPath?: JsonPath;
  }[];
}

interface CelError {
  message?: string;
  summary?: string;
  range?: { start: number; end: number };
}

/** Parse and type-check one expression; a failure is a finding inside the expression's own text. */
function checkExpression(
  env: Environment,
  text: string,
  want: 'bool' | 'string' | 'any',
  doc: number,
  path: JsonPath,
  findings: Finding[],
): { type: string } | undefined {
  const fail = (problem: string, range?: { start: number; end: number }) => {
    findings.push({
      code: 'guardrail-expression-invalid',
      doc,
      path,
      data: { problem },
      ...(range ? { offset: { start: range.start, length: Math.max(1, range.end - range.start) } } : {}),
    });
    return undefined;
  };
  let result: { valid: boolean; type?: unknown; error?: CelError };
  try {
    result = env.check(text);
  } catch (e) {
    const err: CelError = e instanceof ParseError ? e : { message: String(e) };
    fail(`the expression does not parse: ${describe(err)}`, err.range);
    return;
  }
  if (!result.valid) {
    fail(
      `the expression does not ${result.error instanceof ParseError ? 'parse' : 'type-check'}: ${describe(result.error ?? {})}`,
      result.error?.range,
    );
    return;
  }
  const type = String(result.type);
  if (want !== 'any' && type !== want && type !== 'dyn') {
    fail(`the expression is of type \`${type}\`; it must be a \`${want}\``, { start: 0, end: text.length });
    return;
  }
  return { type };
}

/** The checker's message, with the field probably meant when it names one that does not exist. */
function describe(err: CelError): string {
  const text = celErrorText(err);
  const missing = /^no such key: (\w+)$/.exec(text)?.[1];
  return text + (missing ? didYouMean(missing, guardRailFields()) : '');
}

/** Compiled for evaluation; the evaluation environment accepts what the checker accepted. */
function compiled(text: string): CompiledExpression {
  const parsed = evaluationEnvironment().parse(text);
  // cel-js returns `any`; what callgate reads of a result it checks (a bool, a string).
  return { text, run: (context) => parsed(context) as unknown };
}

/**
 * Every guard-rail's expressions parsed and type-checked when policies load, against the types of
 * the contract schema, so a misspelled field or a type error is reported at its own position
 * before any contract is looked at. A rail with any such error is not evaluated.
 */
export function compileGuardRails(rails: readonly Typed<GuardRail>[]): { rails: CompiledRail[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const out: CompiledRail[] = [];
  const firstByName = new Map<string, number>();
  for (const { doc, value } of rails) {
    const name = value.metadata.name;
    const earlier = firstByName.get(name);
    if (earlier !== undefined) {
      findings.push({
        code: 'guardrail-duplicate-name',
        doc,
        path: ['metadata', 'name'],
        data: { name },
        related: { doc: earlier, path: ['metadata', 'name'] },
      });
      continue;
    }
    firstByName.set(name, doc);
    if (name in catalog) {
      findings.push({
        code: 'guardrail-name-reserved',
        doc,
        path: ['metadata', 'name'],
        data: { name },
      });
      continue;
    }
    const before = findings.length;
    const scope = value.spec.scope;
    const base = checkingEnvironment(scope);
    const spec = value.spec;
    // Each variable may use the ones before it: check it with `variables` typed so far.
    const variableTypes: Record<string, string> = {};
    let env: Environment = base;
    const withVariables = () => {
      const e = base.clone();
      e.registerType(`callgate.rail.${doc}.Variables${Object.keys(variableTypes).length}`, {
        fields: { ...variableTypes },
      });
      e.registerVariable('variables', `callgate.rail.${doc}.Variables${Object.keys(variableTypes).length}`);
      return e;
    };
    env = withVariables();
    (spec.variables ?? []).forEach((v, i) => {
      const checked = checkExpression(env, v.expression, 'any', doc, ['spec', 'variables', i, 'expression'], findings);
      variableTypes[v.name] = checked?.type ?? 'dyn';
      env = withVariables();
    });
    (spec.matchConditions ?? []).forEach((m, i) =>
      checkExpression(env, m.expression, 'bool', doc, ['spec', 'matchConditions', i, 'expression'], findings),
    );
    const fieldPaths = spec.validations.map((v, i) => {
      checkExpression(env, v.expression, 'bool', doc, ['spec', 'validations', i, 'expression'], findings);
      if (v.messageExpression !== undefined)
        checkExpression(
          env,
          v.messageExpression,
          'string',
          doc,
          ['spec', 'validations', i, 'messageExpression'],
          findings,
        );
      if (v.fieldPath === undefined) return undefined;
      const path = parseFieldPath(v.fieldPath);
      if (!path)
        findings.push({
          code: 'guardrail-field-path-invalid',
          doc,
          path: ['spec', 'validations', i, 'fieldPath'],
          data: { fieldPath: v.fieldPath },
        });
      return path;
    });
    if (findings.length > before) continue;
    out.push({
      name,
      doc,
      scope,
      severity: spec.severity ?? 'error',
      matchConditions: (spec.matchConditions ?? []).map((m) => compiled(m.expression)),
      variables: (spec.variables ?? []).map((v) => ({ name: v.name, expression: compiled(v.expression) })),
      validations: spec.validations.map((v, i) => ({
        expression: compiled(v.expression),
        ...(v.message !== undefined ? { message: v.message } : {}),
        ...(v.messageExpression !== undefined ? { messageExpression: compiled(v.messageExpression) } : {}),
        ...(fieldPaths[i] ? { fieldPath: fieldPaths[i] } : {}),
      })),
    });
  }
  return { rails: out, findings };
}
