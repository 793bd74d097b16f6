import type { Severity } from './diagnostic.js';

interface CodeInfo {
  severity: Severity;
  /** What the code means, for docs/diagnostics.md and SARIF rule descriptions. */
  summary: string;
  /** How to fix it, in one sentence. */
  fix: string;
}

/**
 * Every diagnostic callgate can report. Codes are stable: tools and suppressions key on them.
 * docs/diagnostics.md is generated from this list and the examples under test/diagnostics/.
 */
export const catalog = {
  // Reading files
  'no-contracts': {
    severity: 'error',
    summary: 'the contracts directory holds no `.yaml` or `.yml` file',
    fix: 'point callgate at the directory that holds your contracts, or add one',
  },
  'file-unreadable': {
    severity: 'error',
    summary: 'a file could not be read',
    fix: 'check the file exists and is readable',
  },
  'file-too-large': {
    severity: 'error',
    summary: 'a file is larger than 1 MiB; contracts are small, so this is almost certainly not one',
    fix: 'split the file, or move it out of the contracts directory',
  },
  'not-utf8': {
    severity: 'error',
    summary: 'a file is not valid UTF-8 text',
    fix: 'save the file as UTF-8, or move binary files out of the contracts directory',
  },
  'empty-file': {
    severity: 'error',
    summary: 'a file holds no YAML document',
    fix: 'add a document or delete the file',
  },
  // YAML
  'yaml-syntax': { severity: 'error', summary: 'the YAML does not parse', fix: 'fix the syntax at the position shown' },
  'yaml-duplicate-key': {
    severity: 'error',
    summary: 'a mapping has the same key twice; YAML parsers disagree on which wins',
    fix: 'keep one of the keys',
  },
  'yaml-tab-indent': {
    severity: 'error',
    summary: 'YAML does not allow tabs for indentation',
    fix: 'indent with spaces',
  },
  'yaml-too-deep': {
    severity: 'error',
    summary: 'collections are nested deeper than 64 levels',
    fix: 'flatten the document; no contract needs that depth',
  },
  'yaml-alias-limit': {
    severity: 'error',
    summary: 'aliases expand to too many nodes (an alias bomb)',
    fix: 'write the values out instead of through nested aliases',
  },
  'not-a-mapping': {
    severity: 'error',
    summary: 'a document is not a mapping of fields',
    fix: 'start the document with `apiVersion:` and `kind:`',
  },
  'unknown-kind': {
    severity: 'error',
    summary: 'a document has a `kind` callgate does not know',
    fix: 'use `ServiceContract` or `Platform`',
  },
  'unknown-api-version': {
    severity: 'error',
    summary: 'a document has an `apiVersion` callgate does not know',
    fix: 'use `callgate.dev/v1alpha1`',
  },
  // Schema
  'schema-required': { severity: 'error', summary: 'a required field is missing', fix: 'add the field' },
  'schema-unknown-field': {
    severity: 'error',
    summary: 'a field is not part of the contract language',
    fix: 'remove the field or correct its spelling',
  },
  'schema-type': {
    severity: 'error',
    summary: 'a value has the wrong type',
    fix: 'write a value of the type shown (quote numbers that are ids)',
  },
  'schema-enum': {
    severity: 'error',
    summary: 'a value is not one of the allowed values',
    fix: 'use one of the listed values',
  },
  'schema-format': {
    severity: 'error',
    summary: 'a string does not have the required form',
    fix: 'write the value in the form shown',
  },
  'schema-range': { severity: 'error', summary: 'a number is out of range', fix: 'use a number in the range shown' },
  'schema-length': {
    severity: 'error',
    summary: 'a string, list or mapping is too short or too long',
    fix: 'respect the length shown',
  },
  'schema-unique': { severity: 'error', summary: 'a list has the same item twice', fix: 'remove the repeated item' },
  'schema-caller-kind': {
    severity: 'error',
    summary: 'a caller must name exactly one of `service`, `principal` or `cidr`',
    fix: 'keep exactly one of the three, and split the entry if you meant several callers',
  },
  // The Platform document
  'missing-platform': {
    severity: 'error',
    summary: 'no `Platform` document was found',
    fix: "add the estate's Platform document to the contracts directory",
  },
  'duplicate-platform': {
    severity: 'error',
    summary: 'more than one `Platform` document was found',
    fix: 'keep one Platform document per estate',
  },
  'duplicate-cluster': { severity: 'error', summary: 'two clusters have the same name', fix: 'rename one of them' },
  'duplicate-service-network': {
    severity: 'error',
    summary: 'two service networks have the same name',
    fix: 'rename one of them',
  },
  'eks-only-field': {
    severity: 'error',
    summary: 'a field that only means something on EKS is set for ECS',
    fix: 'remove the field',
  },
  // A contract on its own
  'duplicate-service': {
    severity: 'error',
    summary: 'two contracts describe the same `namespace/name`',
    fix: 'rename one, or merge the two contracts',
  },
  'duplicate-port': {
    severity: 'error',
    summary: 'two ports of one contract share a name or a number',
    fix: 'give each port its own name and number',
  },
  'unknown-cluster': {
    severity: 'error',
    summary: 'a contract names a cluster the Platform does not declare',
    fix: 'use a cluster name from the Platform document',
  },
  'platform-mismatch': {
    severity: 'error',
    summary: "a contract's `workload.platform` differs from its cluster's platform",
    fix: 'make the two agree',
  },
  'unknown-service-network': {
    severity: 'error',
    summary: 'a contract names a service network the Platform does not declare',
    fix: 'use a service network name from the Platform document',
  },
  'target-port-required': {
    severity: 'error',
    summary: 'a service exported over Lattice must say which port Lattice forwards to',
    fix: "set `exposure.lattice.targetPort` to one of the service's ports",
  },
  'unknown-target-port': {
    severity: 'error',
    summary: '`exposure.lattice.targetPort` names a port the contract does not declare',
    fix: 'use the name of a declared port',
  },
  'listener-protocol-mismatch': {
    severity: 'error',
    summary: "the Lattice listener protocol cannot carry the target port's protocol",
    fix: 'use an `http`/`https` listener for HTTP and gRPC ports, `tls-passthrough` for TLS and TCP ports',
  },
  'tls-passthrough-needs-domain': {
    severity: 'error',
    summary: 'a `tls-passthrough` listener routes by SNI, so it needs a custom domain',
    fix: 'set `exposure.lattice.customDomain`',
  },
  'certificate-needs-https': {
    severity: 'error',
    summary: 'a certificate is only used by an `https` listener',
    fix: 'remove `certificateArn` or use an `https` listener',
  },
  'certificate-needs-domain': {
    severity: 'error',
    summary: 'a certificate is only used for a custom domain',
    fix: 'set `customDomain` or remove `certificateArn`',
  },
  'custom-domain-needs-certificate': {
    severity: 'error',
    summary: 'HTTPS on a custom domain needs your own ACM certificate',
    fix: 'set `exposure.lattice.certificateArn`',
  },
  'routes-need-http': {
    severity: 'error',
    summary: 'path routes need an `http` or `https` listener; `tls-passthrough` only has a default rule',
    fix: 'remove `routes` or change the listener protocol',
  },
  'duplicate-route': {
    severity: 'error',
    summary: 'two routes have the same path',
    fix: 'merge their backends into one route',
  },
  'zero-weights': {
    severity: 'error',
    summary: 'every backend of a route has weight 0, so the route sends traffic nowhere',
    fix: 'give at least one backend a positive weight',
  },
  'retry-exceeds-timeout': {
    severity: 'warning',
    summary: "one retry try may take longer than the whole request's timeout",
    fix: 'make `perTryTimeout` shorter than `timeout`',
  },
  // Callers and edges
  'unknown-caller-service': {
    severity: 'error',
    summary: 'a caller names a service that has no contract',
    fix: 'use the name of an existing contract (`name` or `namespace/name`), or describe the caller as a `principal` or `cidr`',
  },
  'unknown-caller-port': {
    severity: 'error',
    summary: 'a caller names a port the service does not declare',
    fix: 'use the name of a declared port',
  },
  'l7-on-l4-port': {
    severity: 'error',
    summary: '`methods` or `paths` are given for a `tcp` or `tls` port, where no layer can see them',
    fix: 'remove `methods`/`paths`, or limit `ports` to HTTP and gRPC ports',
  },
  'grpc-method': {
    severity: 'error',
    summary: 'gRPC requests always use `POST`',
    fix: 'remove `methods` or write `[POST]`',
  },
  'duplicate-caller': {
    severity: 'warning',
    summary: 'the same caller is listed twice; both entries are admitted',
    fix: 'merge the two entries',
  },
  'no-path': {
    severity: 'error',
    summary: 'a caller has no network path to the service',
    fix: 'export the service over VPC Lattice, enable `exposure.mesh`, or move the caller',
  },
  'port-not-exported': {
    severity: 'error',
    summary: 'a caller that arrives over VPC Lattice names a port Lattice does not forward to',
    fix: 'call the Lattice target port, or export that port',
  },
  'passthrough-hides-identity': {
    severity: 'error',
    summary:
      'a `tls-passthrough` Lattice listener admits only anonymous principals, so no caller identity can be enforced on it',
    fix: 'use an `https` listener (and an HTTP or gRPC target port), or reach the service over the mesh',
  },
  'caller-needs-iam-role': {
    severity: 'error',
    summary: 'a service that calls over VPC Lattice needs an IAM role to sign its requests with',
    fix: "set `spec.workload.iamRole` in the caller's contract",
  },
  'network-vpc-mismatch': {
    severity: 'error',
    summary: "a cluster that uses a service network is not in that network's `vpcs`",
    fix: "add the cluster's VPC to the service network in the Platform document",
  },
  'network-region-mismatch': {
    severity: 'error',
    summary: 'a service network is regional; a cluster in another region cannot use it',
    fix: "use a service network in the cluster's region",
  },
  'source-vpc-not-associated': {
    severity: 'warning',
    summary: "a principal's `sourceVpc` is not associated with the service network, so its requests cannot arrive",
    fix: 'add the VPC to the service network, or correct `sourceVpc`',
  },
  'egress-host-unenforceable': {
    severity: 'warning',
    summary: 'an egress host has no address ranges, and NetworkPolicy cannot name hosts, so that egress stays blocked',
    fix: "list the host's address ranges in `cidrs`",
  },
  'l7-needs-mesh': {
    severity: 'error',
    summary:
      'a mesh-path caller is limited by `methods` or `paths` in a cluster with no mesh, where nothing could enforce them',
    fix: 'remove `methods`/`paths`, or run the cluster with Istio (`mesh` in the Platform)',
  },
  'istio-policy-too-large': {
    severity: 'error',
    summary: "a service's Istio AuthorizationPolicy would need more rules than the 512 Istio accepts",
    fix: 'give callers the same ports, methods and paths so that they share rules, or split the service',
  },
  'lattice-policy-too-large': {
    severity: 'error',
    summary: "a service's VPC Lattice auth policy would exceed the 10,000 characters Lattice accepts",
    fix: 'give callers the same methods and paths, or split the service',
  },
  'organization-id-required': {
    severity: 'error',
    summary: "a service network with `authPolicy: organization` needs the Platform's `organizationId`",
    fix: 'set `spec.organizationId` in the Platform, or use `authenticated`',
  },
  // Guard-rails (policies/)
  'guardrail-expression-invalid': {
    severity: 'error',
    summary:
      'a guard-rail expression does not parse or does not type-check against the contract schema (a misspelled field, a wrong type, an unknown function)',
    fix: 'fix the expression at the position shown; fields and their types are those of schema/service-contract.schema.json',
  },
  'guardrail-duplicate-name': {
    severity: 'error',
    summary: 'two guard-rails have the same name, which is the code of their violations',
    fix: 'rename one',
  },
  'guardrail-name-reserved': {
    severity: 'error',
    summary: "a guard-rail is named like one of callgate's own diagnostic codes",
    fix: 'rename the guard-rail',
  },
  'guardrail-field-path-invalid': {
    severity: 'error',
    summary: "a validation's `fieldPath` is not a field path",
    fix: 'write it like `spec.exposure.lattice` or `spec.callers[0].methods`',
  },
  'guardrail-runtime-error': {
    severity: 'error',
    summary:
      'a guard-rail expression failed on a contract (an absent field, say); the rule could not be decided, so it counts as broken',
    fix: 'guard optional fields with `has()` in the guard-rail',
  },
  'guardrail-violation': {
    severity: 'error',
    summary: "a contract breaks an organisation guard-rail; the diagnostic's code is the guard-rail's name",
    fix: 'change the contract as the message says, or change the guard-rail in policies/',
  },
  'security-group-shared': {
    severity: 'warning',
    summary:
      "two services name the same existing security group, so each admits the other's callers at the security-group layer",
    fix: 'give each service its own group (`managed`, or a group of its own); NetworkPolicy and Istio still tell the services apart',
  },
  'security-group-peer-unknown': {
    severity: 'error',
    summary:
      'a service with its own security group talks to pods whose group callgate does not know, so no rule could admit the traffic',
    fix: "declare the cluster's `securityGroup` in the Platform (the group of its nodes, CoreDNS, istiod and waypoints), or give the other service a group",
  },
  'security-group-id-unknown': {
    severity: 'warning',
    summary:
      "an EKS service's managed security group has no id until Terraform creates it, so no SecurityGroupPolicy can give it to the pods yet",
    fix: 'deploy, then compile with `--stack-outputs` (the file `cdktf deploy --outputs-file` writes) so the SecurityGroupPolicy names the created group; or name an existing group in `securityGroup`',
  },
  'lattice-name-collision': {
    severity: 'error',
    summary:
      'two ECS services exported over VPC Lattice in one account and region have the same name, which Lattice service names cannot tell apart',
    fix: 'rename one of them',
  },
  'lattice-plaintext': {
    severity: 'info',
    summary:
      'VPC Lattice delivers plaintext with no mesh identity; the target port admits it from the Lattice ranges, and the Lattice auth policy checks callers',
    fix: 'nothing to do; this explains the PERMISSIVE port and the ipBlocks rule',
  },
  'resilience-not-on-lattice': {
    severity: 'warning',
    summary: 'resilience settings apply on mesh paths only; callers over VPC Lattice do not get them',
    fix: 'accept it, or move those callers onto the mesh',
  },
  'resilience-needs-http': {
    severity: 'warning',
    summary: '`timeout` and `retries` need an HTTP or gRPC port',
    fix: "remove them, or declare the port's real protocol",
  },
  'resilience-needs-mesh': {
    severity: 'warning',
    summary: "resilience settings need a mesh; the service's cluster has none",
    fix: 'remove them, or run the cluster with Istio',
  },
  'waypoint-binding': {
    severity: 'info',
    summary: 'an ambient service with layer-7 rules is served through a waypoint that its Kubernetes Service must name',
    fix: 'label the Service with `istio.io/use-waypoint: <service>-waypoint`',
  },
  'cidr-l7-ignored': {
    severity: 'warning',
    summary:
      'an address-range caller is enforced at layers 3 and 4 only; its `methods` and `paths` are not enforced anywhere',
    fix: 'remove `methods`/`paths`, or give the caller an identity (`service` or `principal`)',
  },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof catalog;

export const diagnosticCodes = Object.keys(catalog) as DiagnosticCode[];

export function codeInfo(code: DiagnosticCode): CodeInfo {
  return catalog[code];
}

/** What a diagnostic's code means: the catalog's entry, or for a guard-rail's own code, the guard-rail's. */
export function describeCode(code: string): CodeInfo & { docs: string } {
  if (code in catalog) return { ...catalog[code as DiagnosticCode], docs: `docs/diagnostics.md#${code}` };
  const rail = catalog['guardrail-violation'];
  return {
    severity: rail.severity,
    summary: `guard-rail \`${code}\`: ${rail.summary}`,
    fix: rail.fix,
    docs: `policies/ (the guard-rail named ${code})`,
  };
}
