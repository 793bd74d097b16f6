import { latticeHealthCheck } from '../analysis/health-check.js';
import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { VpclatticeAuthPolicy } from '@cdktf/provider-aws/lib/vpclattice-auth-policy/index.js';
import { VpclatticeListener } from '@cdktf/provider-aws/lib/vpclattice-listener/index.js';
import { VpclatticeListenerRule } from '@cdktf/provider-aws/lib/vpclattice-listener-rule/index.js';
import { VpclatticeService } from '@cdktf/provider-aws/lib/vpclattice-service/index.js';
import { VpclatticeServiceNetworkServiceAssociation } from '@cdktf/provider-aws/lib/vpclattice-service-network-service-association/index.js';
import { VpclatticeTargetGroup } from '@cdktf/provider-aws/lib/vpclattice-target-group/index.js';
import { serviceArnPlaceholder, servicePolicyText } from '../analysis/analysis.js';
import type { PolicyDocument } from '../analysis/policy-document.js';
import { routedVersions, targetGroupName, terraformId } from '../analysis/names.js';
import type { LatticeModel } from '../model/types.js';
import type { StackService } from './stack-plan.js';
import { pathMatch } from '../model/http-paths.js';
import { legacyPrefix } from './legacy-ids.js';
import { literal } from './literal.js';
import type { Moves } from './moves.js';

/** An ECS service's VPC Lattice service: target groups per version, listener, path rules, auth policy, association. */
export function latticeService(
  scope: Construct,
  policy: PolicyDocument,
  s: StackService,
  l: LatticeModel,
  networkArn: string,
  moves: Moves,
): void {
  const { names } = s;
  const id = (...suffix: (string | number)[]) => terraformId(names.terraformPrefix, ...suffix);
  const legacy = (suffix: string) => `${legacyPrefix(s.namespace, s.name)}-${suffix}`;
  const passthrough = l.listener.protocol === 'tls-passthrough';
  const protocolVersion =
    l.targetPort.protocol === 'grpc' ? 'GRPC' : l.targetPort.protocol === 'http2' ? 'HTTP2' : 'HTTP1';
  // The default group and one per version: `tg-default` and `tg-version_<version>`, apart even for a version named `default`.
  const targetGroup = (version: string | undefined) => {
    const suffix = version ?? 'default';
    const group = new VpclatticeTargetGroup(
      scope,
      version === undefined ? id('tg-default') : id('tg-version', version),
      {
        name: literal(targetGroupName(s, version)),
        type: 'IP',
        config: {
          port: l.targetPort.port,
          protocol: passthrough ? 'TCP' : 'HTTP',
          vpcIdentifier: literal(s.vpc),
          ...(passthrough ? {} : { protocolVersion }),
          ...(l.healthCheck ? { healthCheck: healthCheckConfig(l) } : {}),
        },
      },
    );
    moves.record(group, legacy(`tg-${suffix}`));
    return group;
  };
  const defaultGroup = targetGroup(undefined);
  new TerraformOutput(scope, id('tg-default-arn'), {
    value: defaultGroup.arn,
    description: `target group of ${s.id} for ECS`,
  });
  const byVersion = new Map(routedVersions(l).map((v) => [v, targetGroup(v)]));
  for (const [v, group] of byVersion)
    new TerraformOutput(scope, id('tg-version-arn', v), {
      value: group.arn,
      description: `target group of ${s.id} version ${v} for ECS`,
    });
  const service = new VpclatticeService(scope, id('service'), {
    name: literal(s.name),
    authType: 'AWS_IAM',
    ...(l.customDomain ? { customDomainName: literal(l.customDomain) } : {}),
    ...(l.certificateArn ? { certificateArn: literal(l.certificateArn) } : {}),
  });
  moves.record(service, legacy('service'));
  const listener = new VpclatticeListener(scope, id('listener'), {
    name: literal(`${l.listener.protocol}-${l.listener.port}`),
    protocol: passthrough ? 'TLS_PASSTHROUGH' : l.listener.protocol.toUpperCase(),
    port: l.listener.port,
    serviceIdentifier: service.id,
    defaultAction: { forward: [{ targetGroups: [{ targetGroupIdentifier: defaultGroup.id, weight: 100 }] }] },
  });
  moves.record(listener, legacy('listener'));
  l.routes.forEach((r, i) => {
    const m = pathMatch(r.path);
    const match = m.kind === 'prefix' ? { prefix: literal(m.value) } : { exact: literal(m.value) };
    const rule = new VpclatticeListenerRule(scope, id('rule', i), {
      name: literal(`route-${i}`),
      serviceIdentifier: service.id,
      listenerIdentifier: listener.listenerId,
      priority: i + 1,
      match: { httpMatch: { pathMatch: { match, caseSensitive: true } } },
      action: {
        forward: {
          targetGroups: r.backends.map((b) => ({
            targetGroupIdentifier: (byVersion.get(b.version) ?? defaultGroup).id,
            weight: b.weight,
          })),
        },
      },
    });
    moves.record(rule, legacy(`rule-${i}`));
  });
  // The policy names the service by its real ARN; only the contract text in it is escaped.
  const text = literal(servicePolicyText(policy, serviceArnPlaceholder));
  const auth = new VpclatticeAuthPolicy(scope, names.latticeAuthPolicyId, {
    resourceIdentifier: service.arn,
    policy: text.split(serviceArnPlaceholder).join(service.arn),
  });
  moves.record(auth, legacy('auth-policy'));
  const association = new VpclatticeServiceNetworkServiceAssociation(scope, id('association'), {
    serviceIdentifier: service.arn,
    serviceNetworkIdentifier: networkArn,
  });
  moves.record(association, legacy('association'));
}

/** Terraform's spelling of the health check (analysis/health-check.ts); its text escaped. */
function healthCheckConfig(l: LatticeModel) {
  const h = latticeHealthCheck(l);
  return {
    enabled: h.enabled,
    port: h.port,
    ...(h.protocol ? { protocol: h.protocol, protocolVersion: h.protocolVersion } : {}),
    ...(h.path !== undefined ? { path: literal(h.path) } : {}),
    ...(h.intervalSeconds !== undefined ? { healthCheckIntervalSeconds: h.intervalSeconds } : {}),
    ...(h.timeoutSeconds !== undefined ? { healthCheckTimeoutSeconds: h.timeoutSeconds } : {}),
    ...(h.healthyThreshold !== undefined ? { healthyThresholdCount: h.healthyThreshold } : {}),
    ...(h.unhealthyThreshold !== undefined ? { unhealthyThresholdCount: h.unhealthyThreshold } : {}),
    ...(h.statusMatch !== undefined ? { matcher: { value: literal(h.statusMatch) } } : {}),
  };
}
