// An evaluator of IAM resource policies as VPC Lattice auth policies use them, from the IAM
// policy-language reference (elements, condition operators, evaluation logic): an explicit Deny
// wins, then any Allow, else the implicit deny. It reads policy documents as generated and imports
// nothing from the targets; the tests hold it to an independent IAM simulator.

export type PolicyValue = string | string[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS: PolicyValue };
  NotPrincipal?: '*' | { AWS: PolicyValue };
  Action?: PolicyValue;
  NotAction?: PolicyValue;
  Resource?: PolicyValue;
  NotResource?: PolicyValue;
  Condition?: Record<string, Record<string, PolicyValue>>;
}

export interface IamPolicy {
  Version?: string;
  Statement: PolicyStatement[];
}

export interface IamRequest {
  /** The caller: a role (or any IAM ARN), or an unsigned request. */
  principal: { arn: string } | 'anonymous';
  action: string;
  resource: string;
  /** The request context: condition keys (matched case-insensitively) to their values. */
  context: Record<string, PolicyValue>;
}

export interface IamDecision {
  decision: 'allow' | 'explicit-deny' | 'implicit-deny';
  /** The statements (by Sid, or `#index` when they have none) that allowed, or that denied. */
  statements: string[];
}

const list = (v: PolicyValue | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM wildcards: `*` any run of characters (`/` included), `?` exactly one. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's').test(value);
}

const accountOf = (arn: string) => arn.split(':')[4] ?? '';

function principalMatches(element: '*' | { AWS: PolicyValue }, p: IamRequest['principal']): boolean {
  if (element === '*') return true;
  if (p === 'anonymous') return list(element.AWS).includes('*');
  return list(element.AWS).some(
    (a) =>
      a === '*' ||
      a === p.arn ||
      // An account id or its root stands for every principal of that account.
      a === accountOf(p.arn) ||
      a === `arn:aws:iam::${accountOf(p.arn)}:root`,
  );
}

function contextValue(context: IamRequest['context'], key: string): string[] | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(context)) if (k.toLowerCase() === wanted) return list(v);
  return undefined;
}

type Compare = (policy: string, request: string) => boolean;

const comparisons: Record<string, { compare: Compare; negated: boolean }> = {
  StringEquals: { compare: (a, b) => a === b, negated: false },
  StringNotEquals: { compare: (a, b) => a === b, negated: true },
  StringEqualsIgnoreCase: { compare: (a, b) => a.toLowerCase() === b.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (a, b) => a.toLowerCase() === b.toLowerCase(), negated: true },
  StringLike: { compare: (a, b) => wildcard(a, b, false), negated: false },
  StringNotLike: { compare: (a, b) => wildcard(a, b, false), negated: true },
  ArnEquals: { compare: (a, b) => a === b, negated: false },
  ArnNotEquals: { compare: (a, b) => a === b, negated: true },
  ArnLike: { compare: (a, b) => wildcard(a, b, false), negated: false },
  ArnNotLike: { compare: (a, b) => wildcard(a, b, false), negated: true },
  NumericEquals: { compare: (a, b) => Number(a) === Number(b), negated: false },
  NumericNotEquals: { compare: (a, b) => Number(a) === Number(b), negated: true },
  NumericLessThan: { compare: (a, b) => Number(b) < Number(a), negated: false },
  NumericLessThanEquals: { compare: (a, b) => Number(b) <= Number(a), negated: false },
  NumericGreaterThan: { compare: (a, b) => Number(b) > Number(a), negated: false },
  NumericGreaterThanEquals: { compare: (a, b) => Number(b) >= Number(a), negated: false },
  Bool: { compare: (a, b) => a.toLowerCase() === b.toLowerCase(), negated: false },
};

/** One operator over one key. An operator callgate does not know fails closed: it never matches. */
function conditionHolds(operator: string, key: string, values: string[], context: IamRequest['context']): boolean {
  const present = contextValue(context, key);
  if (operator === 'Null') return values.some((v) => (v.toLowerCase() === 'true') === (present === undefined));
  const colon = operator.indexOf(':');
  const set = colon < 0 ? '' : operator.slice(0, colon);
  const op = colon < 0 ? operator : operator.slice(colon + 1);
  const ifExists = op.endsWith('IfExists');
  const base = comparisons[ifExists ? op.slice(0, -'IfExists'.length) : op];
  if (!base) return false;
  if (present === undefined) return ifExists || set === 'ForAllValues' || (set === '' && base.negated);
  const matchesAny = (r: string) => values.some((v) => base.compare(v, r));
  const one = (r: string) => (base.negated ? !matchesAny(r) : matchesAny(r));
  if (set === 'ForAllValues') return present.every(one);
  if (set === 'ForAnyValue') return present.some(one);
  return present.length > 0 && one(present[0] ?? '');
}

function statementApplies(st: PolicyStatement, r: IamRequest): boolean {
  if (st.Principal !== undefined && !principalMatches(st.Principal, r.principal)) return false;
  if (st.NotPrincipal !== undefined && principalMatches(st.NotPrincipal, r.principal)) return false;
  if (st.Principal === undefined && st.NotPrincipal === undefined) return false;
  if (st.Action !== undefined && !list(st.Action).some((a) => wildcard(a, r.action, true))) return false;
  if (st.NotAction !== undefined && list(st.NotAction).some((a) => wildcard(a, r.action, true))) return false;
  if (st.Resource !== undefined && !list(st.Resource).some((p) => wildcard(p, r.resource, false))) return false;
  if (st.NotResource !== undefined && list(st.NotResource).some((p) => wildcard(p, r.resource, false))) return false;
  for (const [operator, keys] of Object.entries(st.Condition ?? {}))
    for (const [key, values] of Object.entries(keys))
      if (!conditionHolds(operator, key, list(values), r.context)) return false;
  return true;
}

export function evaluatePolicy(policy: IamPolicy, r: IamRequest): IamDecision {
  const named = policy.Statement.map((st, i) => ({ st, id: st.Sid ?? `#${i}` }));
  const applying = named.filter(({ st }) => statementApplies(st, r));
  const denying = applying.filter(({ st }) => st.Effect === 'Deny').map(({ id }) => id);
  if (denying.length > 0) return { decision: 'explicit-deny', statements: denying };
  const allowing = applying.filter(({ st }) => st.Effect === 'Allow').map(({ id }) => id);
  return allowing.length > 0
    ? { decision: 'allow', statements: allowing }
    : { decision: 'implicit-deny', statements: [] };
}
