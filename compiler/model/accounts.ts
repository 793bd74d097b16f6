import { compareStrings } from '../util/compare.js';

/**
 * Who owns what, by account: the one rule the Platform check and the stacks share. Written over
 * the fields the Platform document and its model have in common, so both read it the same way.
 */
export interface AccountsView {
  clusters: readonly { account: string; vpc: string }[];
  serviceNetworks?: readonly { account: string }[];
  accounts?: readonly { id: string; deployRole?: string; planRole?: string; vpcs?: readonly string[] }[];
}

/** Every account a cluster or service network names, sorted. */
export function estateAccounts(p: AccountsView): string[] {
  return [...new Set([...p.clusters.map((c) => c.account), ...(p.serviceNetworks ?? []).map((n) => n.account)])].sort(
    compareStrings,
  );
}

/**
 * The account that owns a VPC: the account of a cluster that runs in it, else the account that
 * lists it in `accounts[].vpcs`, else, in an estate of one account, that account. Undefined where
 * the Platform does not tell (a VPC association created in the wrong account fails, or worse,
 * lands where nobody looks).
 */
export function vpcOwner(p: AccountsView, vpc: string): string | undefined {
  const cluster = p.clusters.find((c) => c.vpc === vpc);
  if (cluster) return cluster.account;
  const listed = (p.accounts ?? []).find((a) => (a.vpcs ?? []).includes(vpc));
  if (listed) return listed.id;
  const all = estateAccounts(p);
  return all.length === 1 ? all[0] : undefined;
}

/** What the stacks are synthesized for: a deploy, or a read-only plan on a pull request. */
export type RoleUse = 'deploy' | 'plan';

/** The role the stacks of an account assume, if the Platform names one: for a plan its `planRole`, else its `deployRole`. */
export function deployRoleOf(p: AccountsView, account: string, use: RoleUse = 'deploy'): string | undefined {
  const a = (p.accounts ?? []).find((x) => x.id === account);
  return (use === 'plan' ? a?.planRole : undefined) ?? a?.deployRole;
}
