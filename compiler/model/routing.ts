import type { PathKind, ServiceModel } from './types.js';

export type Route = { path: PathKind } | { path: null; missing: string };

/**
 * The path of a call from another contract, per the routing table of the contract language:
 * same EKS cluster and mesh exposure → mesh; otherwise VPC Lattice, if the callee is exported.
 */
export function routeServiceCall(caller: ServiceModel, callee: ServiceModel): Route {
  if (caller.cluster === callee.cluster && callee.platform === 'eks' && callee.exposure.mesh) return { path: 'mesh' };
  if (callee.exposure.lattice) return { path: 'lattice' };
  const notExported = `and \`${callee.name}\` is not exported over VPC Lattice; export it (\`exposure.lattice\`)`;
  if (caller.cluster !== callee.cluster) {
    return {
      path: null,
      missing: `\`${caller.name}\` runs in \`${caller.cluster}\`, \`${callee.name}\` in \`${callee.cluster}\`, ${notExported}`,
    };
  }
  if (callee.platform === 'ecs') {
    return {
      path: null,
      missing: `\`${callee.name}\` runs on ECS, where services reach each other only over VPC Lattice, ${notExported}`,
    };
  }
  return {
    path: null,
    missing: `\`${callee.name}\` has \`exposure.mesh: false\`, ${notExported} or set \`exposure.mesh: true\``,
  };
}

/** A `principal` has no workload in the estate: VPC Lattice is its only way in. */
export function routePrincipalCall(callee: ServiceModel): Route {
  if (callee.exposure.lattice) return { path: 'lattice' };
  return {
    path: null,
    missing: `a \`principal\` caller reaches a service only over VPC Lattice, and \`${callee.name}\` is not exported; export it (\`exposure.lattice\`)`,
  };
}
