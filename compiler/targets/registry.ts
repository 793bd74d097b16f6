import { cdktfTarget } from '../cdktf/index.js';
import { graphTarget } from '../graph/index.js';
import { istioTarget } from '../istio/index.js';
import { latticeTarget } from '../lattice/index.js';
import { netpolTarget } from '../netpol/index.js';
import { securityGroupsTarget } from '../security-groups/index.js';
import type { Target } from './target.js';

/** Every target, once. Names and the compile order derive from this list. */
export const targets = [
  graphTarget,
  netpolTarget,
  istioTarget,
  latticeTarget,
  securityGroupsTarget,
  cdktfTarget,
] as const satisfies readonly Target[];

export type TargetName = (typeof targets)[number]['name'];
