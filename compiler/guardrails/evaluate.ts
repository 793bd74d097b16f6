import type { Finding, JsonPath } from '../diagnostics/diagnostic.js';
import type { LoadedDocument } from '../load/document.js';
import { callerName } from '../model/query.js';
import type { EdgeModel, Model } from '../model/types.js';
import type { ServiceContract } from '../types/contract.generated.js';
import type { Typed } from '../validate/documents.js';
import { celErrorText } from './cel-errors.js';
import type { CompiledExpression, CompiledRail } from './compile.js';
import { defined } from '../util/defined.js';

/** Plain data as CEL sees it: integers are `int` (BigInt), everything else as it is. */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

/**
 * The edge as `edge`: absent `methods` or `paths` mean any, as in the contract; accounts are the services' (or the
 * role's).
 */
export function edgeValue(e: EdgeModel, accountOf: (serviceId: string) => string): Record<string, unknown> {
  const { kind } = e.caller;
  const caller =
    e.caller.kind === 'service'
      ? {
          kind,
          service: e.caller.service,
          ...(e.caller.iamRole ? { iamRole: e.caller.iamRole } : {}),
          sourceVpc: e.caller.sourceVpc,
          account: accountOf(e.caller.service),
        }
      : e.caller.kind === 'principal'
        ? {
            kind,
            iamRole: e.caller.iamRole,
            ...(e.caller.sourceVpc ? { sourceVpc: e.caller.sourceVpc } : {}),
            account: e.caller.iamRole.split(':')[4] ?? '',
          }
        : e.caller.kind === 'cidr'
          ? { kind, cidr: e.caller.cidr }
          : { kind, gateway: e.caller.gateway, namespace: e.caller.namespace };
  return {
    path: e.path,
    callee: e.callee,
    calleeAccount: accountOf(e.callee),
    caller,
    ports: e.ports.map((p) => ({ name: p.name, port: BigInt(p.port), protocol: p.protocol })),
    ...(e.methods ? { methods: e.methods } : {}),
    ...(e.paths ? { paths: e.paths } : {}),
  };
}

/** A guard-rail expression that failed on a contract: reported, never a crash. */
class RuntimeFailure extends Error {}

function run(expression: CompiledExpression, context: Record<string, unknown>): unknown {
  try {
    return expression.run(context);
  } catch (e) {
    throw new RuntimeFailure(`\`${expression.text}\`: ${celErrorText(e)}`);
  }
}

interface Subject {
  /** Who the rule looked at, for messages. */
  label: string;
  doc: number;
  /** Where a violation points by default. */
  path: JsonPath;
  context: Record<string, unknown>;
}

function judge(rail: CompiledRail, subject: Subject, findings: Finding[]): void {
  try {
    for (const m of rail.matchConditions) if (run(m, subject.context) !== true) return;
    const variables: Record<string, unknown> = {};
    const context = { ...subject.context, variables };
    for (const v of rail.variables) variables[v.name] = run(v.expression, context);
    for (const v of rail.validations) {
      if (run(v.expression, context) === true) continue;
      let message = v.message ?? `failed expression: ${v.expression.text}`;
      if (v.messageExpression) {
        try {
          const m = run(v.messageExpression, context);
          if (typeof m === 'string' && m.trim() !== '') message = m;
        } catch {
          // As in Kubernetes: a message expression that fails falls back to the static message.
        }
      }
      findings.push({
        code: 'guardrail-violation',
        rule: rail.name,
        severity: rail.severity,
        doc: subject.doc,
        path: v.fieldPath ?? subject.path,
        data: { subject: subject.label, message: message.replace(/\s*\n\s*/g, ' ') },
      });
    }
  } catch (e) {
    if (!(e instanceof RuntimeFailure)) throw e;
    findings.push({
      code: 'guardrail-runtime-error',
      severity: rail.severity,
      doc: subject.doc,
      path: subject.path,
      data: { subject: subject.label, rail: rail.name, problem: e.message },
    });
  }
}

/**
 * Every guard-rail over the Platform (scope `platform`), every contract (scope `contract`) or resolved edge (scope `edge`). A
 * violation is reported at the contract (the field the guard-rail names, or the document; for
 * an edge, the caller entry that declared it) with the guard-rail's name as its code.
 */
export function evaluateGuardRails(
  rails: readonly CompiledRail[],
  contracts: readonly Typed<ServiceContract>[],
  model: Model | undefined,
  documents: readonly LoadedDocument[],
  platformDoc?: number,
): Finding[] {
  const findings: Finding[] = [];
  if (rails.length === 0) return findings;
  const values = new Map<number, unknown>();
  const valueOf = (doc: number) => {
    if (!values.has(doc)) values.set(doc, toCel(defined(documents[doc], `document ${doc}`).value));
    return values.get(doc);
  };
  // The Platform, once: what the platform team chose (NAT ranges, endpoints, quotas) is theirs to rule on.
  if (platformDoc !== undefined) {
    const subject = { label: '', doc: platformDoc, path: [], context: { platform: valueOf(platformDoc) } };
    for (const rail of rails.filter((r) => r.scope === 'platform')) judge(rail, subject, findings);
  }
  const whole = contracts.filter((c) => !c.invalidCallers);
  const contractRails = rails.filter((r) => r.scope === 'contract');
  for (const c of whole) {
    const subject = { label: '', doc: c.doc, path: [], context: { contract: valueOf(c.doc) } };
    for (const rail of contractRails) judge(rail, subject, findings);
  }
  const edgeRails = rails.filter((r) => r.scope === 'edge');
  if (edgeRails.length === 0 || !model) return findings;
  const docOf = new Map<string, number>();
  for (const d of documents) docOf.set(`${d.relPath}\u0000${d.indexInFile}`, d.index);
  const accounts = new Map(model.services.map((s) => [s.id, s.account]));
  const accountOf = (id: string) => accounts.get(id) ?? '';
  const serviceDoc = new Map(model.services.map((s) => [s.id, docOf.get(`${s.source.file}\u0000${s.source.doc}`)]));
  for (const e of model.edges) {
    const calleeDoc = serviceDoc.get(e.callee);
    if (calleeDoc === undefined) continue;
    const callerDoc = e.caller.kind === 'service' ? serviceDoc.get(e.caller.service) : undefined;
    const who = callerName(e.caller);
    const subject = {
      label: `\`${who}\` → \`${e.callee}\`: `,
      doc: calleeDoc,
      path: e.source.path,
      context: {
        caller: callerDoc === undefined ? {} : valueOf(callerDoc),
        callee: valueOf(calleeDoc),
        edge: edgeValue(e, accountOf),
      },
    };
    for (const rail of edgeRails) judge(rail, subject, findings);
  }
  return findings;
}
