import type { Finding } from '../../diagnostics/diagnostic.js';
import { estateAccounts } from '../../model/accounts.js';
import type { Platform } from '../../types/contract.generated.js';
import type { Typed } from '../documents.js';

type Path = (string | number)[];

/**
 * Every stack deploys in the account that owns its resources, so the Platform must say, for every
 * account it names, how a pipeline gets there, and for every VPC it associates, whose it is.
 */
export function checkAccounts(platform: Typed<Platform>): Finding[] {
  const { doc } = platform;
  const spec = platform.value.spec;
  const findings: Finding[] = [];
  const listed = spec.accounts ?? [];
  const declared = new Map<string, number>();
  listed.forEach((a, i) => {
    const first = declared.get(a.id);
    if (first === undefined) declared.set(a.id, i);
    else
      findings.push({
        code: 'duplicate-account',
        doc,
        path: ['spec', 'accounts', i, 'id'],
        data: { account: a.id },
        related: { doc, path: ['spec', 'accounts', first, 'id'] },
      });
    for (const field of ['deployRole', 'planRole'] as const) {
      const role = a[field];
      const roleAccount = role?.split(':')[4];
      if (role && roleAccount !== a.id)
        findings.push({
          code: 'deploy-role-account-mismatch',
          ...(field === 'planRole' ? { messageId: 'plan' as const } : {}),
          doc,
          path: ['spec', 'accounts', i, field],
          data: { field, account: a.id, role, other: roleAccount ?? '' },
        });
    }
  });

  const accounts = estateAccounts(spec);
  const multi = new Set([...accounts, ...listed.map((a) => a.id)]).size > 1;
  // Where each account is first named, to point at it.
  const namedAt = new Map<string, { path: Path; by: string }>();
  spec.clusters.forEach((c, i) => {
    if (!namedAt.has(c.account))
      namedAt.set(c.account, { path: ['spec', 'clusters', i, 'account'], by: `cluster \`${c.name}\`` });
  });
  (spec.serviceNetworks ?? []).forEach((n, i) => {
    if (!namedAt.has(n.account))
      namedAt.set(n.account, { path: ['spec', 'serviceNetworks', i, 'account'], by: `service network \`${n.name}\`` });
  });
  // Two ways to deploy many accounts: one pipeline assuming each account's role (`accounts`), or
  // one pipeline per account with that account's credentials (no `accounts`: every provider is
  // pinned to its account, so a stack of another account stops instead of landing in the wrong one).
  if (spec.accounts !== undefined) {
    for (const [account, at] of namedAt)
      if (!declared.has(account))
        findings.push({ code: 'account-undeclared', doc, path: at.path, data: { account, by: at.by } });
  } else if (multi) {
    const [, second] = [...namedAt.values()];
    findings.push({
      code: 'accounts-not-listed',
      doc,
      path: second?.path ?? ['spec'],
      data: { accounts: accounts.map((a) => `\`${a}\``).join(', ') },
    });
  }

  // One pipeline has one set of credentials: every other account is reached by assuming its role.
  const roleless = listed.map((a, i) => ({ a, i })).filter(({ a }) => !a.deployRole);
  if (multi && roleless.length > 1)
    for (const { a, i } of roleless)
      findings.push({
        code: 'deploy-role-missing',
        doc,
        path: ['spec', 'accounts', i],
        data: {
          account: a.id,
          others: roleless
            .filter((r) => r.a.id !== a.id)
            .map((r) => `\`${r.a.id}\``)
            .join(', '),
        },
      });

  // A VPC's owner: the cluster running in it, or the account listing it; never both, never two.
  const clusterVpc = new Map(spec.clusters.map((c) => [c.vpc, c.account]));
  const listedVpc = new Map<string, string>();
  listed.forEach((a, i) => {
    (a.vpcs ?? []).forEach((vpc, j) => {
      const other = clusterVpc.get(vpc) ?? listedVpc.get(vpc);
      if (other !== undefined && other !== a.id)
        findings.push({
          code: 'vpc-owner-unknown',
          doc,
          path: ['spec', 'accounts', i, 'vpcs', j],
          messageId: 'conflict',
          data: { vpc, account: a.id, other },
        });
      if (!listedVpc.has(vpc)) listedVpc.set(vpc, a.id);
    });
  });
  if (multi)
    (spec.serviceNetworks ?? []).forEach((n, i) => {
      n.vpcs.forEach((vpc, j) => {
        if (!clusterVpc.has(vpc) && !listedVpc.has(vpc))
          findings.push({
            code: 'vpc-owner-unknown',
            doc,
            path: ['spec', 'serviceNetworks', i, 'vpcs', j],
            data: { vpc, network: n.name },
          });
      });
    });

  const s3 = spec.terraform?.backend?.s3;
  if (s3 && s3.useLockfile === false && !s3.dynamodbTable)
    findings.push({
      code: 'terraform-state-unlocked',
      doc,
      path: ['spec', 'terraform', 'backend', 's3', 'useLockfile'],
      data: { bucket: s3.bucket },
    });
  return findings;
}
