import { Document, isCollection, isMap, isScalar, visit, type Node } from 'yaml';
import type { JsonPath } from '../../diagnostics/diagnostic.js';
import { compareStrings } from '../../util/compare.js';
import { label } from './names.js';
import type { ImportedContract, Translation } from './translate.js';

// The imported files as YAML text: the layout of the bundled contracts (short lists inline),
// comments that say where a value came from, and every placeholder a `TODO` that `check` rejects
// until it is filled in.

const inlineKeys = new Set(['retries', 'circuitBreaker', 'outlierDetection']);

function yamlText(data: unknown, comments: readonly [JsonPath, string][], header: string[]): string {
  // Shared objects (one retry policy on two paths) are written out twice, never as YAML aliases.
  const doc = new Document(data, { aliasDuplicateObjects: false });
  // The layout of the bundled contracts: lists of scalars and resilience settings inline.
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i))) node.flow = true;
    },
    Pair(_, pair) {
      if (isScalar(pair.key) && inlineKeys.has(String(pair.key.value)) && isMap(pair.value)) pair.value.flow = true;
    },
    Map(_, node) {
      if (node.items.some((p) => isScalar(p.key) && p.key.value === 'version')) node.flow = true;
    },
  });
  for (const [path, text] of comments) {
    const node = doc.getIn(path, true);
    if (isScalar(node) || isCollection(node)) {
      if (isCollection(node) && !(node as { flow?: boolean }).flow) (node as Node).commentBefore = ` ${text}`;
      else (node as Node).comment = ` ${text}`;
    }
  }
  doc.commentBefore = header.map((h) => ` ${h}`).join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export interface ImportedFile {
  /** Relative to the output directory, `/`-separated. */
  path: string;
  text: string;
}

export function contractFile(c: ImportedContract, schemaDir: (file: string) => string): ImportedFile {
  const path = `${c.namespace}/${c.name}.yaml`;
  const from = c.nodes.length === 1 ? `virtual node ${c.nodes[0]}` : `virtual nodes ${c.nodes.join(', ')} (versions)`;
  const header = [
    `yaml-language-server: $schema=${schemaDir(path)}/service-contract.schema.json`,
    `Imported from App Mesh (mesh ${label(c.mesh, 63, 'mesh')}, ${from}) by \`callgate import appmesh\`.`,
  ];
  return { path, text: yamlText(c.data, c.comments, header) };
}

/** The Platform: one cluster per mesh and compute platform, its accounts and networks left to fill in. */
export function platformFile(t: Translation, schemaDir: (file: string) => string): ImportedFile {
  const clusters = new Map<string, { mesh: string; platform: 'eks' | 'ecs' }>();
  for (const c of t.contracts) {
    clusters.set(`${label(c.mesh, 59, 'mesh')}-${c.platform}`, { mesh: c.mesh, platform: c.platform });
    // ECS tasks join an ambient mesh whose control plane runs in an EKS cluster, with or without pods of the mesh.
    if (c.platform === 'ecs') clusters.set(`${label(c.mesh, 59, 'mesh')}-eks`, { mesh: c.mesh, platform: 'eks' });
  }
  const comments: [JsonPath, string][] = [];
  const sorted = [...clusters].sort(([a], [b]) => compareStrings(a, b));
  const list = sorted.map(([name, { mesh, platform }], i) => {
    const eksName = `${label(mesh, 59, 'mesh')}-eks`;
    const withEcs = clusters.has(`${label(mesh, 59, 'mesh')}-ecs`);
    const cluster: Record<string, unknown> = { name, platform, account: 'TODO', region: 'TODO', vpc: 'TODO' };
    comments.push([['spec', 'clusters', i, 'account'], 'TODO: the 12-digit AWS account the cluster runs in']);
    comments.push([['spec', 'clusters', i, 'region'], 'TODO: its region, such as us-west-2']);
    comments.push([
      ['spec', 'clusters', i, 'vpc'],
      `TODO: the VPC of its ${platform === 'eks' ? 'pods' : 'tasks'} (vpc-...)`,
    ]);
    if (platform === 'eks') {
      // ECS tasks join an Istio mesh only in ambient mode; without them, sidecars are what App Mesh ran.
      cluster.mesh = withEcs ? 'istio-ambient' : 'istio-sidecar';
      comments.push([
        ['spec', 'clusters', i, 'mesh'],
        withEcs
          ? t.contracts.some((c) => c.mesh === mesh && c.platform === 'eks')
            ? 'ambient: the ECS tasks of the mesh join it'
            : "TODO: the EKS cluster whose Istio control plane the ECS tasks join (ambient); none of the mesh's nodes runs in it"
          : 'App Mesh ran an Envoy sidecar beside each pod',
      ]);
      const gws = t.gateways.filter((g) => g.mesh === mesh);
      if (gws.length > 0)
        cluster.ingressGateways = gws.map((g, j) => {
          const at = ['spec', 'clusters', i, 'ingressGateways', j];
          if (g.namespace === 'TODO') comments.push([[...at, 'namespace'], "TODO: the gateway pods' namespace"]);
          comments.push([[...at, 'serviceAccount'], "TODO: the gateway pods' service account"]);
          if (!g.podSelector) comments.push([[...at, 'podSelector'], "TODO: the gateway pods' labels"]);
          return {
            name: g.name,
            namespace: g.namespace,
            serviceAccount: 'TODO',
            podSelector: g.podSelector ?? { app: 'TODO' },
          };
        });
    } else if (clusters.has(eksName)) {
      Object.assign(cluster, {
        mesh: 'istio-ambient',
        meshControlPlane: eksName,
        ztunnel: 'task',
        taskCidrs: ['TODO'],
      });
      comments.push([['spec', 'clusters', i, 'taskCidrs'], "TODO: the tasks' subnets"]);
    }
    return cluster;
  });
  const meshNames = t.meshes.map((m) => label(m.name, 63, 'mesh'));
  const data = {
    apiVersion: 'callgate.dev/v1alpha1',
    kind: 'Platform',
    metadata: { name: meshNames.length === 1 ? (meshNames[0] ?? 'appmesh') : 'appmesh' },
    spec: { clusters: list },
  };
  const header = [
    `yaml-language-server: $schema=${schemaDir('platform.yaml')}/platform.schema.json`,
    'Imported from App Mesh by `callgate import appmesh`. Fill in every TODO (`callgate check` points at each),',
    'then add accounts, service networks and AWS API endpoints as your estate has them.',
  ];
  return { path: 'platform.yaml', text: yamlText(data, comments, header) };
}
