import type {
  ClusterModel,
  EastWestGatewayModel,
  MeshModel,
  MeshNetworkModel,
  PlatformModel,
  ServiceModel,
} from './types.js';

/** Where a cluster sits in a Platform `meshes` entry. */
export interface MeshPlace {
  mesh: MeshModel;
  network: MeshNetworkModel;
}

/**
 * How a mesh call from one cluster reaches the pods of another: in the same cluster, straight to
 * its pods (`local`); on one flat network, straight to pods that the caller's cluster knows only
 * by the callee cluster's pod ranges (`flat`); across networks, through the callee network's
 * east-west gateway, whose pods then open the connection to the callee (`gateway`).
 */
export type Crossing =
  | { kind: 'local' }
  | { kind: 'flat'; from: string; to: string }
  | { kind: 'gateway'; from: string; to: string; gateway: EastWestGatewayModel };

const places = new WeakMap<PlatformModel, Map<string, MeshPlace>>();

/** The mesh and network of a cluster that a `meshes` entry names; undefined for a mesh of its own or none. */
export function meshPlaceOf(platform: PlatformModel, cluster: string): MeshPlace | undefined {
  let map = places.get(platform);
  if (!map) {
    map = new Map();
    // The first entry wins, as validation reports a cluster named twice.
    for (const mesh of platform.meshes)
      for (const network of mesh.networks)
        for (const c of network.clusters) if (!map.has(c)) map.set(c, { mesh, network });
    places.set(platform, map);
  }
  return map.get(cluster);
}

/**
 * The EKS cluster whose mesh a cluster is in: itself, or for an ECS cluster its `meshControlPlane`.
 * An ECS cluster's tasks and its control plane's pods reach each other directly, by their ranges.
 */
export function meshHome(platform: PlatformModel, cluster: string): string {
  return platform.clusters.find((c) => c.name === cluster)?.meshControlPlane ?? cluster;
}

/**
 * The cluster a service's Kubernetes objects go to: its own EKS cluster, or for an ECS task in the
 * mesh (the only tasks with a service account) its control plane's; none for other ECS services.
 */
export function kubernetesHome(
  platform: PlatformModel,
  s: Pick<ServiceModel, 'platform' | 'cluster' | 'serviceAccount'>,
): string | undefined {
  if (s.platform === 'eks') return s.cluster;
  return s.serviceAccount === undefined ? undefined : meshHome(platform, s.cluster);
}

/** An Istio identity: the SPIFFE path of a service account, `<trustDomain>/ns/<namespace>/sa/<account>`. */
export const meshPrincipal = (trustDomain: string, namespace: string, serviceAccount: string) =>
  `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;

/**
 * The mesh a cluster's workloads belong to, as a key: its `meshes` entry, or its mesh home alone.
 * A principal names no cluster, so two equal principals are one identity within one such mesh.
 */
export function meshScope(platform: PlatformModel, cluster: string): string {
  const home = meshHome(platform, cluster);
  const place = meshPlaceOf(platform, home);
  return place ? `mesh\u0000${place.mesh.name}` : `cluster\u0000${home}`;
}

/** How a mesh call crosses from `from` to `to`; undefined when the two clusters share no mesh. */
export function crossingOf(platform: PlatformModel, from: string, to: string): Crossing | undefined {
  if (from === to) return { kind: 'local' };
  const [homeA, homeB] = [meshHome(platform, from), meshHome(platform, to)];
  if (homeA === homeB) return { kind: 'flat', from, to };
  const a = meshPlaceOf(platform, homeA);
  const b = meshPlaceOf(platform, homeB);
  if (!a || !b || a.mesh !== b.mesh) return undefined;
  if (a.network === b.network || !b.network.eastWestGateway) return { kind: 'flat', from, to };
  return { kind: 'gateway', from, to, gateway: b.network.eastWestGateway };
}

/** The networks of other clusters whose calls arrive through this cluster's east-west gateway. */
export function gatewayOf(platform: PlatformModel, cluster: string): EastWestGatewayModel | undefined {
  return meshPlaceOf(platform, cluster)?.network.eastWestGateway;
}

/**
 * Whether a cluster's `migration` phase covers a namespace (every namespace where it names none):
 * its pods may not have joined the mesh yet, so may have no sidecar and speak plaintext.
 */
export function inMigration(cluster: Pick<ClusterModel, 'migration'> | undefined, namespace: string): boolean {
  const phase = cluster?.migration;
  return phase !== undefined && (!phase.namespaces || phase.namespaces.includes(namespace));
}
