/** An IAM policy document as VPC Lattice auth policies take it. */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

export interface Statement {
  Sid: string;
  Effect: 'Allow';
  Principal: '*' | { AWS: string | string[] };
  Action: string;
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Lattice's limit on the policy string, which cannot be raised. */
export const maxPolicyChars = 10_000;

/** Compact JSON: Lattice rejects newlines, and every character counts against the limit. */
export function policyText(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}
