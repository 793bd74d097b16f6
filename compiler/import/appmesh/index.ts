import { compareStrings } from '../../util/compare.js';
import { Findings } from './fields.js';
import { apiKey } from './refs.js';
import type {
  ApiRoute,
  BackendGroup,
  GatewayRoute,
  Mesh,
  Ref,
  Resource,
  VirtualGateway,
  VirtualNode,
  VirtualRouter,
  VirtualService,
} from './resources.js';

/**
 * The resources by the keys references use. A Kubernetes object is also found by its App Mesh
 * name (`awsName`, or the controller's default), since references by ARN use that.
 */
export class ResourceIndex {
  readonly nodes: VirtualNode[] = [];
  readonly services: VirtualService[] = [];
  readonly routers: VirtualRouter[] = [];
  readonly gateways: VirtualGateway[] = [];
  readonly gatewayRoutes: GatewayRoute[] = [];
  readonly meshes: Mesh[] = [];
  private readonly byKey = new Map<string, Resource>();
  private readonly groups = new Map<string, BackendGroup>();

  constructor(resources: readonly Resource[], findings: Findings) {
    const meshes = resources.filter((r): r is Mesh => r.kind === 'Mesh');
    this.meshes.push(...meshes);
    // Objects that name no mesh belong to the only one there is.
    const onlyMesh = meshes.length === 1 ? (meshes[0]?.name ?? 'mesh') : 'mesh';
    const routes = [];
    for (const r of resources) {
      if (r.kind === 'Mesh') continue;
      if (r.kind === 'Route') {
        routes.push(r);
        continue;
      }
      if (r.mesh === '') r.mesh = onlyMesh;
      switch (r.kind) {
        case 'VirtualNode':
          if (this.add(r.key, r, findings)) this.nodes.push(r);
          if (r.form === 'kubernetes')
            this.alias(apiKey('VirtualNode', r.mesh, awsName(r.spec, `${r.name}_${r.namespace}`)), r);
          break;
        case 'VirtualService':
          if (this.add(r.key, r, findings)) this.services.push(r);
          if (r.form === 'kubernetes') this.alias(apiKey('VirtualService', r.mesh, r.host), r);
          break;
        case 'VirtualRouter':
          if (this.add(r.key, r, findings)) this.routers.push(r);
          if (r.form === 'kubernetes') this.alias(apiKey('VirtualRouter', r.mesh, `${r.name}_${r.namespace}`), r);
          break;
        case 'VirtualGateway':
          if (this.add(r.key, r, findings)) this.gateways.push(r);
          break;
        case 'GatewayRoute':
          this.gatewayRoutes.push(r);
          break;
        case 'BackendGroup':
          this.groups.set(r.key, r);
          break;
      }
    }
    // The API's routes are resources of their own; they join their router here.
    for (const r of routes) {
      const router = this.byKey.get(apiKey('VirtualRouter', r.mesh, r.router));
      if (router?.kind === 'VirtualRouter') router.routes.push(r.route);
      else
        findings.add({
          code: 'appmesh-reference-unknown',
          doc: r.route.at.doc,
          path: r.route.at.path,
          data: { kind: 'VirtualRouter', name: r.router },
        });
    }
    for (const list of [this.nodes, this.services, this.routers, this.gateways])
      list.sort((a, b) => compareStrings(a.key, b.key));
  }

  private add(key: string, r: Exclude<Resource, ApiRoute | Mesh>, findings: Findings): boolean {
    const first = this.byKey.get(key);
    if (first && first.kind !== 'Route') {
      findings.add({
        code: 'appmesh-duplicate',
        doc: r.at.doc,
        path: r.at.path,
        data: { kind: r.kind, name: r.name },
        related: first.at,
      });
      return false;
    }
    this.byKey.set(key, r);
    return true;
  }

  private alias(key: string, r: Resource): void {
    if (!this.byKey.has(key)) this.byKey.set(key, r);
  }

  /** The resource a reference names, or undefined with a finding at the reference. */
  resolve<K extends 'VirtualNode' | 'VirtualService' | 'VirtualRouter' | 'VirtualGateway'>(
    kind: K,
    ref: Ref,
    findings: Findings,
  ): Extract<Resource, { kind: K }> | undefined {
    const r = this.byKey.get(ref.key);
    const isKind = (x: Resource): x is Extract<Resource, { kind: K }> => x.kind === kind;
    if (r && isKind(r)) return r;
    findings.add({
      code: 'appmesh-reference-unknown',
      doc: ref.at.doc,
      path: ref.at.path,
      data: { kind, name: ref.shown },
    });
    return undefined;
  }

  /** The resource a reference names, if any, without a finding. */
  lookup(ref: Ref): Resource | undefined {
    return this.byKey.get(ref.key);
  }

  /** The virtual services a backend group lists; `*` is every one in the group's namespace. */
  backendGroup(ref: Ref, findings: Findings): Ref[] {
    const g = this.groups.get(ref.key);
    if (!g) {
      findings.add({
        code: 'appmesh-reference-unknown',
        doc: ref.at.doc,
        path: ref.at.path,
        data: { kind: 'BackendGroup', name: ref.shown },
      });
      return [];
    }
    const out: Ref[] = [];
    for (const s of g.services) {
      if (s.key.endsWith('/*')) {
        const ns = s.key.slice(0, -2);
        for (const vs of this.services)
          if (vs.form === 'kubernetes' && vs.key.startsWith(`${ns}/`) && vs.mesh === g.mesh)
            out.push({ key: vs.key, shown: vs.name, at: s.at });
      } else out.push(s);
    }
    return out;
  }
}

function awsName(spec: Record<string, unknown>, fallback: string): string {
  return typeof spec.awsName === 'string' && spec.awsName !== '' ? spec.awsName : fallback;
}
