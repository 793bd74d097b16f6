import type { Severity } from './diagnostic.js';

interface CodeInfo {
  severity: Severity;
  /** What the code means, for docs/diagnostics.md and SARIF rule descriptions. */
  summary: string;
  /**
   * The message templates, by message id (`default` unless a check says otherwise), in the
   * message style of docs/diagnostics.md. `{name}` is filled from the data the check passes;
   * `{fix}` is this entry's fix, so that the fix is written once.
   */
  messages: { default: string } & Record<string, string>;
  /** How to fix it, in one sentence; it may use the messages' placeholders. */
  fix: string;
  /** The label of the related location (the first of two duplicates, say). */
  related?: string;
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
    messages: { default: 'no `.yaml` or `.yml` file under `{root}`; {fix}' },
    fix: 'point callgate at your contracts directory',
  },
  'file-unreadable': {
    severity: 'error',
    summary: 'a file could not be read',
    messages: {
      default: 'cannot read the file ({reason}); {fix}',
      notRegular: 'not a regular file; remove it or the link that points to it',
      directory:
        'cannot list the directory ({reason}), so whatever contracts it holds are unknown; make it readable, or move it out of the contracts directory',
    },
    fix: 'check that the file exists and is readable',
  },
  'link-outside-contracts': {
    severity: 'error',
    summary:
      'a file or folder in the contracts directory is a symbolic link to one outside it; callgate reads nothing of it, since a link can point at anything on the machine that runs it, and the contracts it leads to would be left out',
    messages: {
      default: 'this file is a symbolic link to a file outside the contracts directory; {fix}',
      folder:
        'this folder is a symbolic link to a folder outside the contracts directory, so no contract in it is read; move the folder into the contracts directory and link to it there, or remove the link',
    },
    fix: 'move the file into the contracts directory and link to it there, or remove the link',
  },
  'file-too-large': {
    severity: 'error',
    summary: 'a file is larger than 1 MiB; contracts are small, so this is almost certainly not one',
    messages: { default: 'file is {bytes} bytes, more than the 1 MiB limit for a contract file; {fix}' },
    fix: 'split the file or move it out of the contracts directory',
  },
  'not-utf8': {
    severity: 'error',
    summary: 'a file is not valid UTF-8 text',
    messages: {
      default: 'file is not valid UTF-8{nul}: byte 0x{hex} cannot start or continue a character here; {fix}',
    },
    fix: 'save the file as UTF-8',
  },
  'empty-file': {
    severity: 'error',
    summary: 'a file holds no YAML document',
    messages: { default: 'file holds no YAML document; {fix}' },
    fix: 'add a contract or delete the file',
  },
  // YAML
  'yaml-syntax': {
    severity: 'error',
    summary: 'the YAML does not parse',
    messages: {
      default: '{problem}',
      alias: 'alias `*{name}` refers to no anchor; define `&{name}` before it or write the value out',
    },
    fix: 'fix the syntax at the position shown',
  },
  'yaml-duplicate-key': {
    severity: 'error',
    summary:
      'a mapping has the same key twice, or two keys that read as one name (`1` and `"1"`, `~` and `""`); YAML parsers disagree on which wins',
    messages: { default: 'duplicate key `{key}`; {fix}' },
    fix: 'keep one of the keys',
  },
  'yaml-collection-key': {
    severity: 'error',
    summary:
      'a mapping key is a list or a mapping (`? [a, b]`): data read from YAML has names for keys, and YAML parsers disagree on what such a key becomes',
    messages: { default: 'key `{key}` is a {shape}, not a name; {fix}' },
    fix: 'write the key as a name',
  },
  'yaml-number-form': {
    severity: 'error',
    summary:
      'a number is written other than as the decimal it is read as (`010`, `0o17`, `0x50`, `1e3`, `+80`, `80.0`); YAML readers disagree on some of these (to YAML 1.1, `010` is 8, and `0o17` and `1e3` are text)',
    messages: {
      default: '`{written}` is read here as the number {value}, which other YAML readers may read otherwise; {fix}',
    },
    fix: 'quote it if it is text (an id, a code), or else write `{value}`',
  },
  'yaml-tab-indent': {
    severity: 'error',
    summary: 'YAML does not allow tabs for indentation',
    messages: { default: 'tab used for indentation, which YAML does not allow; {fix}' },
    fix: 'indent with spaces',
  },
  'yaml-too-deep': {
    severity: 'error',
    summary: 'collections are nested deeper than 64 levels',
    messages: {
      default: 'collections nest too deeply to parse; {fix}',
      prescan: 'collections are nested more than 64 levels deep; {fix}',
    },
    fix: 'flatten the document',
  },
  'yaml-alias-limit': {
    severity: 'error',
    summary:
      'aliases expand to too many nodes (an alias bomb), or a document holds more than 1,000 anchors and aliases',
    messages: {
      default: 'aliases expand to more than 100 nodes (an alias bomb); {fix}',
      count: 'document holds more than {limit} anchors and aliases; {fix}',
    },
    fix: 'write the values out instead of through aliases',
  },
  'not-a-mapping': {
    severity: 'error',
    summary: 'a document is not a mapping of fields',
    messages: { default: 'document is {value}, not a mapping; {fix}' },
    fix: 'start the document with `apiVersion:` and `kind:`',
  },
  'unknown-kind': {
    severity: 'error',
    summary: 'a document has a `kind` callgate does not know',
    messages: { default: 'unknown kind {value}{suggestion}', noSuggestion: 'unknown kind {value}; {fix}' },
    fix: 'use `ServiceContract`, `Platform` or `GuardRail`',
  },
  'unknown-api-version': {
    severity: 'error',
    summary: 'a document has an `apiVersion` callgate does not know',
    messages: { default: 'unknown apiVersion {value}; use `{apiVersion}`' },
    fix: 'use `callgate.dev/v1alpha1`',
  },
  // Schema
  'schema-required': {
    severity: 'error',
    summary: 'a required field is missing',
    messages: {
      default: '{where} is missing required field `{field}`',
      kind: 'the document is missing required field `kind`; add `kind: ServiceContract`, `kind: Platform` or `kind: GuardRail`',
      apiVersion: 'the document is missing required field `apiVersion`; add `apiVersion: {apiVersion}`',
    },
    fix: 'add the field',
  },
  'schema-unknown-field': {
    severity: 'error',
    summary: 'a field is not part of the contract language',
    messages: { default: 'unknown field `{field}` in {where}{suggestion}{allowed}' },
    fix: 'remove the field or correct its spelling',
  },
  'schema-type': {
    severity: 'error',
    summary: 'a value has the wrong type',
    messages: { default: '{where} must be {expected}, not {value}{quote}' },
    fix: 'write a value of the type shown (quote numbers that are ids)',
  },
  'schema-enum': {
    severity: 'error',
    summary: 'a value is not one of the allowed values',
    messages: { default: '{where} must be {allowed}, not {value}{suggestion}' },
    fix: 'use one of the listed values',
  },
  'schema-format': {
    severity: 'error',
    summary: 'a string does not have the required form',
    messages: {
      default: '{where} must be {form}, not {value}',
      labelKey: 'key `{key}` in {where} must be a label key such as `app` or `example.com/tier`',
      other: '{where} {problem}',
    },
    fix: 'write the value in the form shown',
  },
  'schema-range': {
    severity: 'error',
    summary: 'a number is out of range',
    messages: { default: '{where} must be {bound} {limit}, not {value}' },
    fix: 'use a number in the range shown',
  },
  'schema-length': {
    severity: 'error',
    summary: 'a string, list or mapping is too short or too long',
    messages: {
      default: '{where} must have {bound} {limit} {unit}, not {actual}',
      entries: '{where} must have {bound} {limit} {unit}',
    },
    fix: 'respect the length shown',
  },
  'schema-unique': {
    severity: 'error',
    summary: 'a list has the same item twice',
    messages: { default: '{where} repeats {earlier}; {fix}' },
    fix: 'remove the repeated item',
  },
  'cidr-not-canonical': {
    severity: 'error',
    summary:
      'an address range is not written in its one canonical form (leading zeros, an uncompressed or uppercase IPv6 address, host bits, a zone id, an IPv4 range written as IPv6), so two spellings could name one range',
    messages: {
      default: '`{value}` is the range `{canonical}` written otherwise; {fix}',
      hostBits:
        '`{value}` has host bits set: the range it names is `{canonical}`; {fix}, or `{address}` for the one address',
      zone: '`{value}` has a zone id, which names an interface on one host and means nothing in a policy; {fix}',
      octal:
        '`{value}` has octets with leading zeros, which some tools read as octal and others as decimal; if decimal was meant, {fix}',
      mapped:
        '`{value}` is the IPv4 range `{canonical}` written as IPv4-mapped IPv6, which security groups and NetworkPolicy compare with IPv6 traffic only (IPv4 callers never match it, though a dual-stack proxy may see them in it); {fix}',
    },
    fix: 'write `{canonical}`',
  },
  'schema-caller-kind': {
    severity: 'error',
    summary: 'a caller must name exactly one of `service`, `principal`, `cidr` or `gateway`',
    messages: {
      default: '{where} must name exactly one of `service`, `principal`, `cidr` or `gateway`, but {detail}; {fix}',
    },
    fix: 'split it into one entry per caller',
  },
  // The Platform document
  'missing-platform': {
    severity: 'error',
    summary: 'no `Platform` document was found',
    messages: { default: 'no Platform document found among the contracts; {fix}' },
    fix: "add the estate's Platform document (clusters, VPCs, service networks)",
  },
  'duplicate-platform': {
    severity: 'error',
    summary: 'more than one `Platform` document was found',
    messages: { default: 'a second Platform document `{name}`; {fix}' },
    fix: 'keep one Platform document per estate',
    related: 'the first Platform document',
  },
  'duplicate-cluster': {
    severity: 'error',
    summary: 'two clusters have the same name',
    messages: { default: 'cluster `{name}` is declared twice; {fix}' },
    fix: 'rename one of them',
    related: 'the first `{name}`',
  },
  'duplicate-service-network': {
    severity: 'error',
    summary: 'two service networks have the same name',
    messages: { default: 'service network `{name}` is declared twice; {fix}' },
    fix: 'rename one of them',
    related: 'the first `{name}`',
  },
  'vpc-in-two-networks': {
    severity: 'error',
    summary: 'a VPC is in the `vpcs` of two service networks, but a VPC associates with one service network only',
    messages: {
      default:
        'VPC `{vpc}` is already associated with service network `{other}`, and a VPC associates with one service network only; {fix}',
    },
    fix: "keep it in one network's `vpcs`; its clients reach the other network through a service-network VPC endpoint",
    related: 'its association with `{other}`',
  },
  'mesh-cluster-invalid': {
    severity: 'error',
    summary:
      'a Platform `meshes` entry names a cluster that cannot join a multi-cluster mesh: unknown, ECS, not in sidecar mode, or already in another mesh',
    messages: {
      default: 'mesh `{mesh}` names cluster `{cluster}`, which the Platform does not declare; {fix}{suggestion}',
      ecs: 'mesh `{mesh}` names cluster `{cluster}`, which is ECS; a multi-cluster mesh is of EKS clusters; {fix}',
      notSidecar:
        "mesh `{mesh}` names cluster `{cluster}`, whose `mesh` is `{mode}`; callgate spans clusters in sidecar mode only (Istio's ambient multi-cluster is alpha); {fix}",
      twice: 'cluster `{cluster}` is already in mesh `{other}`, and a cluster is in one mesh at most; {fix}',
    },
    fix: 'name EKS clusters with `mesh: istio-sidecar` that no other mesh names',
    related: 'its place in mesh `{other}`',
  },
  'udp-across-networks': {
    severity: 'error',
    summary:
      'a caller on another network of the mesh would reach a UDP port, but calls between networks go through the east-west gateway, which carries mTLS over TCP only',
    messages: {
      default:
        '`{caller}` is on another network of the mesh than `{name}`, and its calls go through the east-west gateway, which carries TCP only; UDP port `{port}` cannot be reached that way; {fix}',
    },
    fix: 'name only TCP-carried `ports` for this caller, or export the UDP port another way',
  },
  'gateway-invalid': {
    severity: 'error',
    summary: "a `gateway` caller that the callee's cluster does not have, or that cannot reach the callee",
    messages: {
      default:
        "cluster `{cluster}` declares no ingress gateway `{gateway}` in the Platform's `ingressGateways`; {fix}{suggestion}",
      ecs: '`{name}` runs on ECS, and ingress gateways are pods of an EKS cluster; {fix}',
      notExposed:
        '`{name}` is not exposed in its cluster (`exposure.mesh: false`), so gateway `{gateway}` has no Service to send calls to; {fix}',
    },
    fix: "name a gateway of the callee's cluster, and expose the callee in it",
  },
  'udp-unguarded': {
    severity: 'warning',
    summary:
      'a UDP port of an ECS task in the mesh, which has no security group callgate knows: UDP stays outside the mesh, and tasks have no NetworkPolicy, so nothing holds that port to its declared callers',
    messages: {
      default:
        'UDP port `{port}` of `{name}` stays outside the mesh, and `{name}` runs on ECS with no `securityGroup`, so nothing admits only its declared callers there; {fix}',
    },
    fix: 'give the service a `securityGroup` (`managed`, or an existing one)',
  },
  'ecs-mesh-invalid': {
    severity: 'error',
    summary:
      'an ECS cluster in a mesh must join an ambient mesh through an ambient EKS cluster, and say where ztunnel runs and where its tasks are',
    messages: {
      default: '`{field}` means something only for an ECS cluster in a mesh, and `{cluster}` has none; {fix}',
      eks: '`{field}` is for ECS clusters in a mesh, and `{cluster}` is EKS; remove the field',
      sidecar:
        'ECS cluster `{cluster}` cannot run sidecars under Istio; ECS tasks join an ambient mesh only (`mesh: istio-ambient`); {fix}',
      missing: 'ECS cluster `{cluster}` joins the mesh but has no `{field}`; {fix}',
      controlPlane:
        '`meshControlPlane` of `{cluster}` names `{field}`, which is not an EKS cluster with `mesh: istio-ambient`; {fix}',
      group:
        "ECS cluster `{cluster}` runs ztunnel as a daemon on its container instances, and HBONE reaches them under the cluster's `securityGroup`, which it does not name; {fix}",
    },
    fix: 'give the cluster `mesh: istio-ambient`, `meshControlPlane` (an ambient EKS cluster), `ztunnel` and `taskCidrs` (and, with `ztunnel: daemon`, its `securityGroup`)',
  },
  'mesh-only-field': {
    severity: 'warning',
    summary:
      'a cluster field that only a mesh reads, on an EKS cluster whose mesh does not: it changes nothing, and the cluster may be missing its `mesh`',
    messages: {
      default: '`{field}` of cluster `{cluster}` changes nothing: the cluster has no mesh (`mesh: none`); {fix}',
      ambient:
        "`ambientDryRun` of cluster `{cluster}` changes nothing: only ztunnel reads it, and the cluster's mesh is `{mesh}`; {fix}",
    },
    fix: 'give the cluster the `mesh` it runs, or remove the field',
  },
  'migration-needs-mesh': {
    severity: 'error',
    summary:
      'a mesh migration setting where there is no mesh to migrate to: a `migration` phase on a cluster without a mesh, `inMesh` on a caller that does not take the mesh path, or a plaintext caller on another network of the mesh',
    messages: {
      default: 'cluster `{cluster}` has no mesh (`mesh: none`), so it has no migration phase; {fix}',
      notMeshPath:
        'this caller does not take the mesh path to `{name}`, so whether it has joined the mesh changes nothing; {fix}',
      gateway:
        'this caller is on another network of the mesh than `{name}`, and the east-west gateway between them forwards only mTLS: until it joins the mesh its calls cannot arrive; {fix}',
    },
    fix: 'remove the setting, or move the workload into the mesh first',
  },
  'mesh-network-invalid': {
    severity: 'error',
    summary: "a mesh's `networks` do not put each of its clusters in exactly one network",
    messages: {
      default: 'network `{network}` names cluster `{cluster}`, which is not among the clusters of mesh `{mesh}`; {fix}',
      twice: 'cluster `{cluster}` is already on network `{other}` of mesh `{mesh}`; {fix}',
      missing: 'cluster `{cluster}` of mesh `{mesh}` is on none of its `networks`; {fix}',
    },
    fix: "put each of the mesh's clusters on exactly one of its networks",
    related: 'its place on network `{other}`',
  },
  'pod-cidrs-missing': {
    severity: 'error',
    summary:
      "a cluster shares a flat network with another cluster of its mesh but has no `podCidrs`, so the other cluster's NetworkPolicies and security groups cannot name its pods",
    messages: {
      default:
        'cluster `{cluster}` shares network `{network}` with `{other}`, whose pods reach its pods directly, but it has no `podCidrs`; {fix}',
    },
    fix: 'add the ranges its pods take their addresses from (with the VPC CNI, its pod subnets) as `podCidrs`',
  },
  'duplicate-account': {
    severity: 'error',
    summary: 'two entries of `spec.accounts` have the same id',
    messages: { default: 'account `{account}` is listed twice in `spec.accounts`; {fix}' },
    fix: 'keep one entry, with its `deployRole` and `vpcs`',
    related: 'the first `{account}`',
  },
  'account-undeclared': {
    severity: 'error',
    summary:
      'the estate spans several accounts (or lists its accounts), and an account a cluster or service network names is not in `spec.accounts`, so nothing says how its stacks deploy there',
    messages: {
      default:
        'account `{account}` of {by} is not in `spec.accounts`, so its stacks would deploy into whichever account the pipeline runs in; {fix}',
    },
    fix: 'add account `{account}` to `spec.accounts`, with the `deployRole` its stacks assume',
  },
  'accounts-not-listed': {
    severity: 'info',
    summary:
      "the estate spans several accounts and lists none in `spec.accounts`: each account's stacks deploy with that account's own credentials, one pipeline (or one run) per account",
    messages: {
      default:
        'the estate spans accounts {accounts} and lists none in `spec.accounts`, so each stack deploys with the credentials of the environment it runs in, and stops where those are of another account; {fix}',
    },
    fix: "deploy each account's stacks with its own credentials, or list the accounts with the `deployRole` one pipeline assumes",
  },
  'deploy-role-missing': {
    severity: 'error',
    summary:
      'more than one account of a multi-account estate has no `deployRole`, but one pipeline has the credentials of one account only',
    messages: {
      default:
        "account `{account}` has no `deployRole`, and neither has {others}: only the pipeline's own account can go without one; {fix}",
    },
    fix: "give every account but the pipeline's own the `deployRole` its stacks assume",
  },
  'deploy-role-account-mismatch': {
    severity: 'error',
    summary:
      "an account's `deployRole` or `planRole` is a role of another account, so its stacks would be deployed into (or planned against) that one",
    messages: {
      default: '`{field}` `{role}` is in account `{other}`, not in `{account}`, whose stacks it deploys; {fix}',
      plan: '`{field}` `{role}` is in account `{other}`, not in `{account}`, whose stacks it plans; {fix}',
    },
    fix: 'name a role of account `{account}`',
  },
  'vpc-owner-unknown': {
    severity: 'error',
    summary:
      "a VPC a service network associates is no cluster's and no account's (or is claimed by two accounts), so nothing tells in which account its association is created",
    messages: {
      default:
        'VPC `{vpc}` in the `vpcs` of `{network}` runs no cluster and no account lists it, so callgate cannot tell which account creates its association; {fix}',
      conflict: 'VPC `{vpc}` is listed by account `{account}`, but it belongs to account `{other}`; {fix}',
    },
    fix: 'list it in the `vpcs` of the account that owns it (`spec.accounts[].vpcs`), once',
  },
  'terraform-state-unlocked': {
    severity: 'warning',
    summary:
      'the S3 backend has neither a lock file nor a DynamoDB table, so two pipelines can write one state at once',
    messages: {
      default: "state in bucket `{bucket}` is not locked: two deploys at once can overwrite each other's state; {fix}",
    },
    fix: 'keep `useLockfile: true` (Terraform 1.10 or later), or name a `dynamodbTable`',
  },
  'port-reserved-by-mesh': {
    severity: 'error',
    summary:
      "a port Istio takes in every workload of the service's mesh (Envoy and its agent with sidecars, ztunnel in ambient mode), so callers admitted to it would reach Istio",
    messages: {
      default:
        'port {port} of `{name}` is {what} in every workload of cluster `{cluster}`, which Istio takes, so callers admitted to it would reach Istio, not `{name}`; {fix}',
    },
    fix: 'serve the service on another port',
  },
  'kubernetes-service-name': {
    severity: 'error',
    summary:
      "a service whose name starts with a digit where a Kubernetes Service must be named after it (an EKS service's own, an ECS service's waypoint): Service names start with a letter",
    messages: {
      default:
        "`{name}` runs on EKS, where callgate names its Kubernetes Service `{name}` (in Lattice routes, VirtualServices, DestinationRules and its callers' Sidecars), but a Service's name starts with a letter, so they would name no Service and every call to it would fail; {fix}",
      waypoint:
        "`{name}` needs a waypoint, `{waypoint}`, which Istio runs as a Deployment and a Kubernetes Service of that name, but a Service's name starts with a letter, so the waypoint would not run and every mesh call to `{name}` would be denied; rename the service so that its name starts with a letter",
    },
    fix: 'name the contract after its Kubernetes Service',
  },
  'eks-only-field': {
    severity: 'error',
    summary: 'a field that only means something on EKS is set for ECS',
    messages: {
      default: '`{field}` is for EKS workloads only, and `{name}` runs on ECS; {fix}',
      cluster: '`{field}` is for EKS clusters only, and `{name}` is ECS; {fix}',
    },
    fix: 'remove the field',
  },
  // A contract on its own
  'duplicate-service': {
    severity: 'error',
    summary: 'two contracts describe the same `namespace/name`',
    messages: { default: 'service `{id}` already has a contract; {fix}' },
    fix: 'rename this contract or merge the two',
    related: 'the first contract for `{id}`',
  },
  'duplicate-port': {
    severity: 'error',
    summary: 'two ports of one contract share a name, or a number over one transport',
    messages: {
      default: 'port name `{name}` is also used by ports[{earlier}]; give each port its own name',
      number:
        'port {port} over {transport} is also used by ports[{earlier}]; give each port its own number (one number may serve TCP and UDP once each)',
    },
    fix: 'give each port its own name, and its own number over its transport',
    related: 'the first use',
  },
  'unknown-cluster': {
    severity: 'error',
    summary: 'a contract names a cluster the Platform does not declare',
    messages: { default: 'cluster `{cluster}` is not declared in the Platform{suggestion}' },
    fix: 'use a cluster name from the Platform document',
  },
  'platform-mismatch': {
    severity: 'error',
    summary: "a contract's `workload.platform` differs from its cluster's platform",
    messages: { default: '`{name}` says `{platform}` but cluster `{cluster}` is `{clusterPlatform}`; {fix}' },
    fix: 'make the two agree',
  },
  'namespace-reserved': {
    severity: 'error',
    summary: "a contract's namespace is Istio's root namespace, istiod's, or one of Kubernetes' own (`kube-`)",
    messages: {
      default:
        "namespace `{namespace}` is reserved for Kubernetes' own components (the `kube-` prefix): callgate's default deny for it would cut them off; {fix}",
      root: "namespace `{namespace}` is cluster `{cluster}`'s Istio root namespace (istiod's): a policy written there applies to the workloads its selector matches in every namespace, so `{name}`'s callers would be admitted to those too; {fix}",
      declaredRoot:
        "namespace `{namespace}` is cluster `{cluster}`'s Istio root namespace (the Platform's `istiod.rootNamespace`): a policy written there applies to the workloads its selector matches in every namespace, so `{name}`'s callers would be admitted to those too; {fix}",
      istiod:
        "namespace `{namespace}` is where cluster `{cluster}`'s istiod runs: callgate's default deny for it would cut every sidecar, waypoint and ztunnel off istiod; {fix}",
    },
    fix: 'run `{name}` in a namespace of its own',
  },
  'unknown-service-network': {
    severity: 'error',
    summary: 'a contract names a service network the Platform does not declare',
    messages: { default: 'service network `{network}` is not declared in the Platform{suggestion}' },
    fix: 'use a service network name from the Platform document',
  },
  'target-port-required': {
    severity: 'error',
    summary: 'a service exported over Lattice must say which port Lattice forwards to',
    messages: {
      default: '`{name}` has {count} ports; set `exposure.lattice.targetPort` to the one Lattice forwards to ({ports})',
      noPorts:
        '`{name}` is exported over VPC Lattice but declares no ports; add the port Lattice forwards to under `spec.ports`',
    },
    fix: "set `exposure.lattice.targetPort` to one of the service's ports",
  },
  'unknown-target-port': {
    severity: 'error',
    summary: '`exposure.lattice.targetPort` names a port the contract does not declare',
    messages: { default: 'target port `{port}` is not one of the ports of `{name}`{suggestion}' },
    fix: 'use the name of a declared port',
  },
  'health-check-invalid': {
    severity: 'error',
    summary:
      'a Lattice health check VPC Lattice cannot run: a port that is not declared or is UDP, or a time outside its ranges',
    messages: {
      default: 'the health check of `{name}` names port `{port}`, which is not one of its ports{suggestion}',
      port: 'the health check of `{name}` names port `{port}`, which is not one of its ports{suggestion}',
      udp: 'the health check of `{name}` names port `{port}`, which is UDP; Lattice checks over HTTP or HTTPS{suggestion}',
      seconds: 'health check `{field}` is `{value}`; Lattice takes whole seconds from {min}s to {max}s',
      timeout:
        'the health check timeout `{timeout}` is not shorter than its interval `{interval}`, so a slow answer would overlap the next check',
    },
    fix: 'name a declared TCP-carried port, and give times in whole seconds within the ranges in the schema',
  },
  'listener-protocol-mismatch': {
    severity: 'error',
    summary: "the Lattice listener protocol cannot carry the target port's protocol",
    messages: {
      default:
        'the `{listener}` listener cannot forward to `{protocol}` port `{port}`; use an `http` or `https` listener',
      passthrough:
        'the `{listener}` listener cannot forward to `{protocol}` port `{port}`; use a `tls-passthrough` listener',
      tcp: 'the `{listener}` listener cannot forward to `{protocol}` port `{port}`; use a TLS port (Lattice carries TCP only as TLS passthrough)',
      udp: 'VPC Lattice carries no UDP, so the `{listener}` listener cannot forward to `{protocol}` port `{port}`; export a TCP, TLS or HTTP port, and call the UDP port inside its cluster',
    },
    fix: 'use an `http`/`https` listener for HTTP and gRPC ports, `tls-passthrough` for TLS and TCP ports',
  },
  'udp-not-in-mesh': {
    severity: 'info',
    summary:
      'Istio carries TCP only: calls to a UDP port bypass the mesh (no mTLS, no identity), and NetworkPolicy and security groups admit exactly the declared callers',
    messages: {
      default:
        'Istio carries TCP only, so calls to UDP port `{port}` of `{name}` bypass the mesh, with no mTLS and no mesh identity; NetworkPolicy and security groups admit exactly its declared callers there',
    },
    fix: 'nothing to do if that is enough; otherwise carry the traffic over TCP',
  },
  'tls-passthrough-needs-domain': {
    severity: 'error',
    summary: 'a `tls-passthrough` listener routes by SNI, so it needs a custom domain',
    messages: {
      default: 'a `tls-passthrough` listener routes by SNI and so it needs a custom domain; {fix}',
    },
    fix: 'set `exposure.lattice.customDomain`',
  },
  'certificate-needs-https': {
    severity: 'error',
    summary: 'a certificate is only used by an `https` listener',
    messages: { default: '`certificateArn` is only used by an `https` listener, and this one is `{listener}`; {fix}' },
    fix: 'remove `certificateArn` or use an `https` listener',
  },
  'certificate-needs-domain': {
    severity: 'error',
    summary: 'a certificate is only used for a custom domain',
    messages: { default: '`certificateArn` is only used for a custom domain; {fix}' },
    fix: 'set `customDomain` or remove `certificateArn`',
  },
  'custom-domain-needs-certificate': {
    severity: 'error',
    summary: 'HTTPS on a custom domain needs your own ACM certificate',
    messages: { default: 'HTTPS on custom domain `{domain}` needs your own ACM certificate; {fix}' },
    fix: 'set `exposure.lattice.certificateArn`',
  },
  'routes-need-http': {
    severity: 'error',
    summary:
      'path routes need HTTP: on Lattice an `http` or `https` listener (`tls-passthrough` only has a default rule), on the mesh an HTTP or gRPC port',
    messages: {
      default: 'a `tls-passthrough` listener has only a default rule, so `routes` cannot apply; {fix}',
      mesh: '`{name}` has no HTTP, HTTP/2 or gRPC port, so the mesh cannot route its calls by path; remove `routes`',
    },
    fix: 'remove `routes` or use an `https` listener',
  },
  'duplicate-route': {
    severity: 'error',
    summary: 'two routes have the same path',
    messages: { default: 'route path `{path}` is also routes[{earlier}]; {fix}' },
    fix: 'merge their backends into one route',
    related: 'the first route',
  },
  'zero-weights': {
    severity: 'error',
    summary: 'every backend of a route has weight 0, so the route sends traffic nowhere',
    messages: { default: 'every backend of route `{path}` has weight 0, so it sends traffic nowhere; {fix}' },
    fix: 'give at least one backend a positive weight',
  },
  'retry-exceeds-timeout': {
    severity: 'warning',
    summary: "one retry try may take longer than the whole request's timeout",
    messages: { default: "one try may take `{perTry}`, longer than the whole request's `{timeout}` timeout; {fix}" },
    fix: 'make `perTryTimeout` shorter than `timeout`',
  },
  // Callers and edges
  'unknown-caller-service': {
    severity: 'error',
    summary: 'a caller names a service that has no contract',
    messages: {
      default: 'no contract for service `{id}`{suggestion}',
      noSuggestion: 'no contract for service `{id}`; {fix}',
    },
    fix: 'name an existing contract, or describe the caller as a `principal` or `cidr`',
  },
  'unknown-caller-port': {
    severity: 'error',
    summary: 'a caller names a port the service does not declare',
    messages: { default: '`{name}` has no port `{port}`{suggestion}' },
    fix: 'use the name of a declared port',
  },
  'l7-on-l4-port': {
    severity: 'error',
    summary: '`methods` or `paths` are given for a `tcp` or `tls` port, where no layer can see them',
    messages: {
      default:
        '`{field}` cannot apply to {ports} of `{name}`; remove `{field}` or limit `ports` to HTTP and gRPC ports',
    },
    fix: 'remove `methods`/`paths`, or limit `ports` to HTTP and gRPC ports',
  },
  'grpc-method': {
    severity: 'error',
    summary: 'gRPC requests always use `POST`',
    messages: { default: 'gRPC requests to `{name}` always use `POST`; {fix}' },
    fix: 'remove `methods` or write `[POST]`',
  },
  'grpc-path': {
    severity: 'error',
    summary: 'a path on a gRPC port that no gRPC call has: gRPC paths are `/package.Service/Method`',
    messages: {
      default:
        'gRPC calls to `{name}` have paths of the form `/package.Service/Method`, so `{path}` matches none of them; {fix}',
      route:
        'gRPC calls to `{name}` have paths of the form `/package.Service/Method`, so the route `{path}` takes none of them; {fix}',
    },
    fix: 'write `/package.Service/Method`, `/package.Service/*` (every method of a service) or `/*`',
  },
  'path-not-normal': {
    severity: 'error',
    summary: 'a path the mesh and HTTP clients rewrite before they compare it, so that it matches no request',
    messages: {
      default:
        'Istio normalizes every request path before it compares it (percent-encoded letters, digits and `-._~` decoded, `.` and `..` segments resolved), as HTTP clients do before they send, so `{path}` matches no request; write `{normal}`',
    },
    fix: 'write the path in its normal form',
  },
  'duplicate-caller': {
    severity: 'warning',
    summary: 'the same caller is listed twice; both entries are admitted',
    messages: { default: 'this caller is also callers[{earlier}]; both entries are admitted, so {fix}' },
    fix: 'merge the two entries',
    related: 'the first entry',
  },
  'no-path': {
    severity: 'error',
    summary: 'a caller has no network path to the service',
    messages: {
      default:
        '`{caller}` runs in `{callerCluster}`, `{callee}` in `{calleeCluster}`, and `{callee}` is not exported over VPC Lattice; {fix}',
      ecs: '`{callee}` runs on ECS, where services reach each other only over VPC Lattice, and `{callee}` is not exported over VPC Lattice; {fix}',
      meshOff:
        '`{callee}` has `exposure.mesh: false`, and `{callee}` is not exported over VPC Lattice; {fix} or set `exposure.mesh: true`',
      principal: 'a `principal` caller reaches a service only over VPC Lattice, and `{callee}` is not exported; {fix}',
    },
    fix: 'export the service over VPC Lattice (`exposure.lattice`)',
  },
  'port-not-exported': {
    severity: 'error',
    summary: 'a caller that arrives over VPC Lattice names a port Lattice does not forward to',
    messages: {
      default:
        'this caller reaches `{name}` over VPC Lattice, which forwards only to port `{target}`, not `{port}`; call `{target}` or change `targetPort`',
    },
    fix: 'call the Lattice target port, or export that port',
  },
  'passthrough-hides-identity': {
    severity: 'error',
    summary:
      'a `tls-passthrough` Lattice listener admits only anonymous principals, so no caller identity can be enforced on it',
    messages: {
      default:
        "`{name}` is exported through a `tls-passthrough` listener, where VPC Lattice admits only anonymous principals, so this caller's identity cannot be enforced; use an `https` listener or reach `{name}` over the mesh",
    },
    fix: 'use an `https` listener (and an HTTP or gRPC target port), or reach the service over the mesh',
  },
  'caller-needs-iam-role': {
    severity: 'error',
    summary: 'a service that calls over VPC Lattice needs an IAM role to sign its requests with',
    messages: {
      default:
        '`{caller}` calls `{callee}` over VPC Lattice but has no IAM role to sign requests with; set `spec.workload.iamRole` in the contract of `{callerId}`',
    },
    fix: "set `spec.workload.iamRole` in the caller's contract",
  },
  'network-vpc-mismatch': {
    severity: 'error',
    summary: "a cluster that uses a service network is not in that network's `vpcs`",
    messages: {
      default:
        '`{caller}` calls over VPC Lattice from VPC `{vpc}` (cluster `{cluster}`), which is not associated with service network `{network}`; {fix}',
      cluster:
        'VPC `{vpc}` of cluster `{cluster}` is not associated with service network `{network}`; {fix} in the Platform',
    },
    fix: "add it to the network's `vpcs`",
  },
  'network-region-mismatch': {
    severity: 'error',
    summary: 'a service network is regional; a cluster in another region cannot use it',
    messages: {
      default:
        '`{caller}` runs in `{region}` and cannot use service network `{network}` in `{networkRegion}`; move the caller or use a network in its region',
      cluster:
        'service network `{network}` is in `{networkRegion}` but cluster `{cluster}` is in `{region}`; use a service network in `{region}`',
    },
    fix: "use a service network in the cluster's region",
  },
  'source-vpc-not-associated': {
    severity: 'warning',
    summary: "a principal's `sourceVpc` is not associated with the service network, so its requests cannot arrive",
    messages: {
      default:
        'VPC `{vpc}` is not associated with service network `{network}`, so requests from it cannot arrive; {fix}',
    },
    fix: "add it to the network's `vpcs` or correct `sourceVpc`",
  },
  'egress-host-unenforceable': {
    severity: 'warning',
    summary: 'an egress host has no address ranges, and NetworkPolicy cannot name hosts, so that egress stays blocked',
    messages: {
      default: 'NetworkPolicy cannot name hosts, so egress to `{host}:{port}` from `{name}` stays blocked by it; {fix}',
    },
    fix: "list the host's address ranges in `cidrs`",
  },
  'egress-protocol-conflict': {
    severity: 'error',
    summary:
      "one host and port is needed with two protocols in one namespace (declared egress, Lattice listeners, AWS APIs), and the mesh's entry for a host knows one protocol per port",
    messages: {
      default:
        'egress to `{host}:{port}` is `{protocol}` here but `{otherProtocol}` {other}, in namespace `{namespace}`: the mesh knows one protocol per host and port, so one of the two would be cut off; {fix}',
      lattice:
        "`{caller}` calls Lattice service `{callee}` at `{host}:{port}` with `{protocol}`, but that host and port is `{otherProtocol}` {other}, in namespace `{namespace}`: the mesh knows one protocol per host and port, and every Lattice service of a region shares one name there, so one of the two would be cut off; give the two services' listeners different ports",
      aws: '`{service}` reaches the AWS API `{api}` at `{host}:{port}` with `tls`, but that host and port is `{otherProtocol}` {other}, in namespace `{namespace}`: the mesh knows one protocol per host and port, so one of the two would be cut off; declare the egress as `protocol: tls`',
    },
    fix: 'declare the same `protocol` for both',
  },
  'egress-host-in-cluster': {
    severity: 'warning',
    summary:
      'an egress host is a name inside the cluster: egress makes it a host outside the mesh, and the service behind it admits only the callers its own contract declares',
    messages: {
      default:
        "`{host}` is a name inside the cluster: as egress it becomes a host outside the mesh (in sidecar mode this workload's proxy uses it instead of the Service, without mTLS), and the service behind it still admits only the callers its contract declares; {fix}",
    },
    fix: "declare the call in the callee's contract instead (a `callers` entry naming this service), and remove this egress",
  },
  'egress-host-reserved': {
    severity: 'error',
    summary:
      "an egress host is the name callgate gives the Pod Identity agent or NodeLocal DNSCache in the mesh's registry",
    messages: {
      default:
        '`{host}` is the name callgate gives the Pod Identity agent in the mesh (its ServiceEntry `callgate-pod-identity-agent`); {fix}',
      dnsCache:
        '`{host}` is the name callgate gives NodeLocal DNSCache in the mesh (its ServiceEntry `callgate-node-local-dns`); {fix}',
    },
    fix: 'remove this egress: callgate admits it where the workload needs it, and no other host has this name',
  },
  'l7-needs-mesh': {
    severity: 'error',
    summary:
      'a mesh-path caller is limited by `methods` or `paths` in a cluster with no mesh, where nothing could enforce them',
    messages: {
      default: 'cluster `{cluster}` has no mesh, so nothing can enforce `{field}` for this caller of `{name}`; {fix}',
    },
    fix: 'remove `methods` and `paths`, or run the cluster with Istio',
  },
  'istio-policy-too-large': {
    severity: 'error',
    summary: "a service's Istio AuthorizationPolicy would need more rules than the 512 Istio accepts",
    messages: {
      default:
        'the Istio AuthorizationPolicy of `{name}` would need {rules} rules, more than the {max} Istio accepts; {fix}',
    },
    fix: 'give callers the same ports, methods and paths so that they share rules, or split the service',
  },
  'kubernetes-object-too-large': {
    severity: 'error',
    summary:
      "a generated Kubernetes object would exceed the 1.5 MiB kube-apiserver accepts (etcd's request limit, which EKS does not let you raise), or the 256 KiB a client-side `kubectl apply` can record",
    messages: {
      default:
        "the {kind} `{name}` would be {bytes} bytes, more than the {limit} kube-apiserver accepts (etcd's request limit; not adjustable on EKS); {fix}",
      apply:
        'the {kind} `{name}` would be {bytes} bytes: a client-side `kubectl apply` records it in an annotation, and annotations hold at most {limit}; apply it with `kubectl apply --server-side` (Argo CD: `ServerSideApply=true`; Flux applies server-side)',
    },
    fix: 'give callers shared ranges, selectors or ports so that they share peers and rules, or split the service',
  },
  'lattice-policy-too-large': {
    severity: 'error',
    summary: "a service's VPC Lattice auth policy would exceed the 10,000 characters Lattice accepts",
    messages: {
      default:
        'the VPC Lattice auth policy of `{name}` would be {size} characters, more than the {max} Lattice accepts; {fix}',
    },
    fix: 'give callers the same methods and paths, or split the service',
  },
  'organization-id-required': {
    severity: 'error',
    summary: "a service network with `authPolicy: organization` needs the Platform's `organizationId`",
    messages: {
      default:
        "service network `{network}` admits only the organization's principals, but the Platform has no `organizationId`; {fix}",
    },
    fix: 'set `spec.organizationId` or use `authenticated`',
  },
  // Guard-rails (policies/)
  'guardrail-expression-invalid': {
    severity: 'error',
    summary:
      'a guard-rail expression does not parse or does not type-check against the contract schema (a misspelled field, a wrong type, an unknown function)',
    messages: { default: '{problem}' },
    fix: 'fix the expression at the position shown; fields and their types are those of schema/service-contract.schema.json',
  },
  'guardrail-duplicate-name': {
    severity: 'error',
    summary: 'two guard-rails have the same name, which is the code of their violations',
    messages: {
      default: 'a guard-rail named `{name}` is already defined; its name is the code of its violations, so {fix}',
    },
    fix: 'rename one of them',
    related: 'first defined here',
  },
  'guardrail-name-reserved': {
    severity: 'error',
    summary: "a guard-rail is named like one of callgate's own diagnostic codes",
    messages: { default: '`{name}` is a callgate diagnostic code; {fix}' },
    fix: 'name the guard-rail something else so its violations cannot be mistaken for one',
  },
  'guardrail-field-path-invalid': {
    severity: 'error',
    summary: "a validation's `fieldPath` is not a field path",
    messages: { default: '`{fieldPath}` is not a field path; {fix}' },
    fix: 'write it like `spec.exposure.lattice` or `spec.callers[0].methods`',
  },
  'guardrail-runtime-error': {
    severity: 'error',
    summary:
      'a guard-rail expression failed on a contract (an absent field, say); the rule could not be decided, so it counts as broken',
    messages: { default: '{subject}guard-rail `{rail}` could not be decided: {problem}; {fix}' },
    fix: 'guard optional fields with `has()`',
  },
  'guardrail-violation': {
    severity: 'error',
    summary: "a contract breaks an organisation guard-rail; the diagnostic's code is the guard-rail's name",
    messages: { default: '{subject}{message}' },
    fix: 'change the contract as the message says, or change the guard-rail in policies/',
  },
  'security-group-shared': {
    severity: 'warning',
    summary:
      "two services name the same existing security group, so each admits the other's callers at the security-group layer",
    messages: {
      default:
        "`{service}` and `{other}` both use `{group}`, so the rules for each one's callers admit them to the other as well; {fix}",
    },
    fix: 'give each service its own group',
  },
  'caller-group-shared': {
    severity: 'error',
    summary:
      "two address-range callers of one service name the same load balancer's security group with different ports: security groups know them by that group alone, so each gets the other's ports there",
    messages: {
      default:
        '`{cidr}` and `{other}` call `{name}` through one security group `{group}`, which is all security groups know them by: there `{cidr}` also reaches {ports}, which only `{other}` declares (NetworkPolicy or Istio still tell them apart by range); {fix}',
      unguarded:
        '`{cidr}` and `{other}` call `{name}` through one security group `{group}`, which is all security groups know them by, and `{name}` runs on ECS outside the mesh, where nothing else tells them apart: `{cidr}` would reach {ports}, which only `{other}` declares; {fix}',
    },
    fix: 'declare the same ports on both entries, or give each load balancer its own group',
  },
  'security-group-peer-unknown': {
    severity: 'error',
    summary:
      'a service with its own security group talks to pods whose group callgate does not know, so no rule could admit the traffic',
    messages: {
      default:
        '`{service}` has its own security group, but {peer} runs under none that callgate knows, so no rule can admit {what}: {fix}',
      service:
        '`{service}` has its own security group, but {peer} runs under none that callgate knows, so no rule can admit {what}: give it a group, or {fix}',
    },
    fix: 'declare `securityGroup` for cluster `{cluster}` in the Platform',
  },
  'aws-api-unreachable': {
    severity: 'warning',
    summary:
      'a workload needs an AWS API (credentials, image pulls, logs, secrets, or one its contract lists) that the Platform says no way to reach, so a layer on its way denies it',
    messages: {
      default:
        '`{service}` needs {what}, which {layers} would deny: the Platform names no way from cluster `{cluster}` to them that {layers} can admit; {fix}',
    },
    fix: 'set {fields} on cluster `{cluster}` in the Platform, or list the flow in `spec.workload.awsApi.omit` if the workload does not use it',
  },
  'pod-identity-pod-security-group': {
    severity: 'warning',
    summary:
      "pods with their own security group reach the node's EKS Pod Identity agent only when the VPC CNI enforces pod security groups in `standard` mode",
    messages: {
      default:
        "the pods of `{service}` have their own security group and get their credentials from the EKS Pod Identity agent of cluster `{cluster}`, which listens on the node: with the VPC CNI's `POD_SECURITY_GROUP_ENFORCING_MODE=strict` (its default) they cannot reach it; {fix}",
    },
    fix: 'run the VPC CNI with `POD_SECURITY_GROUP_ENFORCING_MODE=standard`, or use IRSA for this workload',
  },
  'dns-node-local-pod-security-group': {
    severity: 'warning',
    summary:
      "pods with their own security group reach the node's NodeLocal DNSCache only when the VPC CNI enforces pod security groups in `standard` mode",
    messages: {
      default:
        "the pods of `{service}` have their own security group and look names up through NodeLocal DNSCache, which listens on each node of cluster `{cluster}`: with the VPC CNI's `POD_SECURITY_GROUP_ENFORCING_MODE=strict` (its default) they cannot reach it; {fix}",
    },
    fix: 'run the VPC CNI with `POD_SECURITY_GROUP_ENFORCING_MODE=standard`, or keep these pods off the cache (a `dnsConfig` of their own)',
  },
  'security-group-id-unknown': {
    severity: 'warning',
    summary:
      "an EKS service's managed security group has no id until Terraform creates it, so no SecurityGroupPolicy can give it to the pods yet",
    messages: {
      default:
        "the managed security group of `{name}` gets its id only when Terraform creates it, so no SecurityGroupPolicy can name it yet: its pods keep the node's groups until one does; read the id from the stack output `{output}`, or name an existing group here",
    },
    fix: 'deploy, then compile with `--stack-outputs` (the file `cdktf deploy --outputs-file` writes) so the SecurityGroupPolicy names the created group; or name an existing group in `securityGroup`',
  },
  'quota-security-group-rules': {
    severity: 'error',
    summary:
      "a security group would need more inbound or outbound rules of one IP version than the account's quota (AWS's default is 60, adjustable), so the deploy would fail",
    messages: {
      default: '{group} would need {count} {direction} {family} rules, more than the quota of {limit} per group; {fix}',
    },
    fix: 'give callers shared ranges or groups, or raise the quota (Amazon VPC, `Inbound or outbound rules per security group`; adjustable) and set it in the Platform as `spec.quotas.securityGroupRules`',
  },
  'quota-lattice': {
    severity: 'error',
    summary:
      "the estate would need more VPC Lattice service associations, services or target groups than the account's quota (AWS's defaults: 500 per network, 2,000 and 500 per Region, all adjustable), so the deploy would fail",
    messages: {
      default:
        'service network `{network}` would have {count} services associated, more than the quota of {limit}; {fix}',
      services: '`{name}` would take account {account}, {region} past the quota of {limit} VPC Lattice services; {fix}',
      targetGroups:
        "`{name}`'s target groups would take account {account}, {region} past the quota of {limit} VPC Lattice target groups; {fix}",
    },
    fix: 'raise the quota (VPC Lattice, `Service associations per service network`, `Services per Region` or `Target groups per Region`; adjustable) and set it in the Platform under `spec.quotas`, or spread the services over networks or accounts',
  },
  'identity-shared': {
    severity: 'error',
    summary:
      'two contracts run under one identity (a service account, overlapping pod selectors, an IAM role), so each would receive every grant of the other',
    messages: {
      default:
        '`{service}` and {others} share {what} `{identity}`, so each would be admitted wherever the other is; {fix}',
      roleName:
        '`{service}` and {others} share the IAM role `{identity}`, spelled otherwise (IAM tells role names apart by neither case nor path within an account), so each would be admitted wherever the other is; {fix}',
      gateway:
        '`{service}` would run as `{identity}`, the identity of ingress gateway `{gateway}` of cluster `{cluster}` in the same mesh, so it would be admitted wherever that gateway is; give the service its own service account',
      platformPods:
        "`{service}` selects every pod labelled `{identity}`, the Platform's {component} pods in its namespace of cluster `{cluster}`, so NetworkPolicy would take them for one another: its pods left open as the {component}'s are, and admitted wherever the {component} is; give the service a pod selector of its own",
    },
    fix: "give each its own identity, or, if they are one workload on purpose, list each in the other's `spec.workload.sharesIdentityWith`",
  },
  'gateway-identity-shared': {
    severity: 'error',
    summary:
      'two ingress gateways of one mesh run under one service account in one namespace, so a callee that admits one would admit the other',
    messages: {
      default:
        'ingress gateway `{gateway}` of cluster `{cluster}` runs as `{identity}`, as gateway `{other}` of cluster `{otherCluster}` does in the same mesh; Istio knows a gateway by that identity alone, so a callee that names one would admit both; {fix}',
    },
    fix: 'give each gateway its own service account (or namespace)',
  },
  'name-collision': {
    severity: 'error',
    summary:
      'two contracts would generate the same object, identity, AWS resource name or stack, so one would replace the other or admit its callers',
    messages: {
      default: '`{service}` and `{other}` would both claim {what} `{name}` in {where}; {fix}',
      platform: '`{service}` would claim {what} `{name}` in {where}, which the Platform already has; {fix}',
      namespace:
        '`{service}` would claim {what} `{name}` in {where}, which callgate gives to an object of the namespace itself (its default deny, or the policy that leaves a Platform component open); rename the service',
      self: '`{service}` would claim {what} `{name}` in {where} twice, for its default target group and for a version of that name; rename the version',
    },
    fix: 'rename one of them (a service, its namespace or its owner)',
  },
  'lattice-name-collision': {
    severity: 'error',
    summary:
      "two services exported over VPC Lattice in one account and region would have one Lattice service name (an ECS service its own name, an EKS route the controller's cut of its name and namespace), so one would take the other's listeners, rules and auth policy",
    messages: {
      default:
        '`{service}` and `{other}` would both be the VPC Lattice service `{name}` in account {account}, {region}; {fix}',
      controller:
        "`{service}` and `{other}` would both be the VPC Lattice service `{name}` in account {account}, {region}: the AWS Gateway API Controller names an exported route from the first 20 characters of its name and the first 18 of its namespace, so each would take the other's listeners, rules and auth policy in turn; {fix}",
    },
    fix: 'rename one of them',
  },
  'lattice-name-refused': {
    severity: 'warning',
    summary:
      'a VPC Lattice name Lattice refuses: a service name that starts with `svc-`, a target group name that starts with `tg-` (the beginnings of its own ids)',
    messages: {
      default:
        '`{service}` would be the VPC Lattice service `{name}`, and Lattice refuses service names that start with `svc-`, so its deploy would fail; {fix}',
      controller:
        "`{service}` would be the VPC Lattice service `{name}` (the AWS Gateway API Controller names it from the route's name and namespace), and Lattice refuses service names that start with `svc-`, so the controller would never create it; {fix}",
      targetGroup:
        "`{service}`'s VPC Lattice target groups would be named `{name}-…`, and Lattice refuses target group names that start with `tg-`, so its deploy would fail; {fix}",
    },
    fix: 'rename the service',
  },
  'lattice-domain-collision': {
    severity: 'error',
    summary:
      'two services exported into one VPC Lattice service network claim the same custom domain, which Lattice takes once per network',
    messages: {
      default:
        '`{service}` and `{other}` both claim the custom domain `{domain}` in service network `{network}`: Lattice takes a domain once per network, so the second would fail to deploy, and callers of either would reach whichever service DNS points the name at; {fix}',
    },
    fix: 'give each service a domain of its own',
  },
  'lattice-plaintext': {
    severity: 'info',
    summary:
      'VPC Lattice delivers plaintext with no mesh identity; the target port admits it from the Lattice ranges, and the Lattice auth policy checks callers',
    messages: {
      default:
        'traffic from VPC Lattice reaches `{name}` in plaintext, with no mesh identity: port {port} accepts plaintext from the Lattice ranges only, and callers on that path are checked by the Lattice auth policy',
    },
    fix: 'nothing to do; this explains the PERMISSIVE port and the ipBlocks rule',
  },
  'resilience-not-on-lattice': {
    severity: 'warning',
    summary: 'resilience settings apply on mesh paths only; callers over VPC Lattice do not get them',
    messages: {
      default:
        'callers that reach `{name}` over VPC Lattice bypass the mesh, so its timeouts, retries and circuit breaking do not apply to them',
    },
    fix: 'accept it, or move those callers onto the mesh',
  },
  'resilience-needs-http': {
    severity: 'warning',
    summary: '`timeout` and `retries` need an HTTP or gRPC port',
    messages: { default: '`{name}` has no HTTP or gRPC port, so `timeout` and `retries` cannot apply; {fix}' },
    fix: 'remove `timeout` and `retries`',
  },
  'resilience-needs-mesh': {
    severity: 'warning',
    summary: "resilience settings need a mesh; the service's cluster has none",
    messages: {
      default: 'cluster `{cluster}` has no mesh, so the resilience settings of `{name}` apply nowhere; {fix}',
      ecs: '`{name}` runs on ECS cluster `{cluster}` in the ambient mesh, where callgate binds no waypoint to tasks, so its resilience settings apply nowhere; remove them, or run the service on EKS',
    },
    fix: 'remove the resilience settings, or run the service in a mesh cluster',
  },
  'waypoint-binding': {
    severity: 'info',
    summary: 'an ambient service with layer-7 rules is served through a waypoint that its Kubernetes Service must name',
    messages: {
      default:
        '`{name}` needs a waypoint for its layer-7 rules: label its Kubernetes Service with `istio.io/use-waypoint: {waypoint}`; until then mesh calls to it are denied',
      ecs: "`{name}` runs on ECS and needs a waypoint for its callers' methods and paths: label the ServiceEntry of its tasks (`{name}`, in its namespace) with `istio.io/use-waypoint: {waypoint}`; until then mesh calls to it are denied",
      ingress:
        '`{name}` needs a waypoint for its layer-7 rules: label its Kubernetes Service with `istio.io/use-waypoint: {waypoint}`, and, since ingress gateway `{gateway}` calls it and gateways send straight to the pods otherwise, with `istio.io/ingress-use-waypoint: "true"`; until then those calls are denied',
    },
    fix: 'label the Service with `istio.io/use-waypoint` naming its waypoint',
  },
  'cidr-l7-ignored': {
    severity: 'warning',
    summary:
      'an address-range caller of a service that no sidecar proxies is enforced at layers 3 and 4 only; its `methods` and `paths` are not enforced anywhere',
    messages: {
      default:
        'caller `{cidr}` is an address range, and nothing on its way to cluster `{cluster}` sees its requests (ztunnel is layer 4, and calls from outside the mesh pass no waypoint), so its `methods` and `paths` are not enforced; {fix}',
    },
    fix: 'remove `methods` and `paths`, or give the caller an identity',
  },
  'migration-plaintext': {
    severity: 'info',
    summary:
      'a mesh caller may not have joined the mesh yet (`inMesh: false`, or a `migration` phase): Istio admits its plaintext calls without checking an identity, on its ports only; NetworkPolicy and security groups still admit only its pods',
    messages: {
      default:
        'caller `{caller}` may call `{name}` in plaintext during the migration: Istio admits requests without an identity on {ports} ({l7}), and only NetworkPolicy and security groups tell `{caller}` from other workloads; {fix}',
      l7Lost:
        'caller `{caller}` may call `{name}` in plaintext during the migration: Istio admits requests without an identity on {ports}, and its `methods` and `paths` are not enforced, since ztunnel is layer 4 and plaintext from outside the mesh passes no waypoint; only NetworkPolicy and security groups tell `{caller}` from other workloads; {fix}',
      unguarded:
        'caller `{caller}` may call `{name}` in plaintext during the migration: Istio admits requests without an identity on {ports}{l7}, and `{name}` runs on ECS with no security group of its own, where no NetworkPolicy applies either: nothing tells `{caller}` from any other source that reaches its tasks; give `{name}` a `securityGroup`, or {fix}',
      shadowed:
        "caller `{caller}` may call `{name}` in plaintext during the migration, but its cluster's pod ranges overlap the address-range caller `{cidr}`, whose plaintext `{name}` judges by that caller's entry alone: from there it gets only what `{cidr}` may do; {fix}",
    },
    fix: "join the caller to the mesh and remove `inMesh: false` or the cluster's `migration` phase",
  },
  'egress-host-not-by-name': {
    severity: 'info',
    summary:
      'in ambient mode no proxy on the way out sees an egress host name (ztunnel is layer 4): the host has a ServiceEntry, but only its `cidrs` are enforced',
    messages: {
      default:
        'cluster `{cluster}` runs ambient mode, where nothing on the way out of `{name}` sees host names: `{host}` gets a ServiceEntry, and only its `cidrs` are enforced (by NetworkPolicy and security groups); {fix}',
    },
    fix: 'nothing to do; in sidecar mode the Sidecar would admit the host by name',
  },
  'cross-cluster-by-range': {
    severity: 'info',
    summary:
      "a caller in another cluster of the mesh is admitted by NetworkPolicy and security groups by where its traffic comes from (its cluster's pod ranges, or the east-west gateway), not by its pods; Istio enforces its identity",
    messages: {
      default:
        'caller `{caller}` runs in cluster `{cluster}`: NetworkPolicy and security groups can only admit {from} on these ports; its identity is enforced by Istio alone; {fix}',
    },
    fix: "nothing to do; keep `mtls: strict` so that Istio sees every caller's identity",
  },
  'enforcement-audit': {
    severity: 'info',
    summary:
      'a service is in `audit`: each layer says what that means for it, since only Istio has a real audit mode, so that nobody mistakes audit for enforcement',
    messages: {
      default:
        '`{name}` is in audit{inherited}: its Istio AuthorizationPolicy runs as a dry run (`istio.io/dry-run`), so its sidecars log what it would deny and deny nothing; {fix}',
      ambient:
        "`{name}` is in audit{inherited}: its ztunnel{waypoint} AuthorizationPolicies run as dry runs (`istio.io/dry-run`, which cluster `{cluster}`'s `ambientDryRun` says its ztunnel evaluates), so they log what they would deny and deny nothing; {fix}",
      waypointOnly:
        "`{name}` is in audit{inherited}: its waypoint's AuthorizationPolicy runs as a dry run (`istio.io/dry-run`), logging what it would deny and denying nothing; {fix}",
      networkPolicy:
        'NetworkPolicy has no audit mode: while `{name}` is in audit{inherited}, its policy admits every source on its ports, and every workload that could call it on the mesh path may reach it; {fix}',
      securityGroups:
        'security groups have no audit mode: while `{name}` is in audit{inherited}, its group keeps admitting only the declared callers (VPC Flow Logs record what it rejects); {fix}',
      lattice:
        'VPC Lattice auth policies have no audit mode: while `{name}` is in audit{inherited}, its auth policy keeps admitting only the declared principals (its access logs record each denial, which `callgate observe` reads); {fix}',
    },
    fix: 'leave audit (`enforcement: enforce`) once `callgate observe` reports no call the contract would deny',
  },
  'audit-ztunnel-unsupported': {
    severity: 'warning',
    summary:
      "a service in audit runs in an ambient cluster whose ztunnel is not known to evaluate dry-run policies (Istio 1.29 with `AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY`, the Platform's `ambientDryRun`): it gets no ztunnel policy, so ztunnel neither enforces nor reports who calls it",
    messages: {
      default:
        '`{name}` is in audit{inherited}, but cluster `{cluster}` does not say its ztunnel evaluates dry-run policies: before Istio 1.29 istiod sends ztunnel none, and an older ztunnel would enforce them, so `{name}` gets no ztunnel policy and nothing at layer 4 reports or denies its callers{waypoint}; {fix}',
    },
    fix: "set the cluster's `ambientDryRun: true` once istiod runs with `AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY=true` and every ztunnel is 1.29 or later",
  },

  // Importing from App Mesh (`callgate import appmesh`)
  'appmesh-not-a-resource': {
    severity: 'warning',
    summary:
      'a document given to `import appmesh` is not an App Mesh resource in either form the command reads; it is skipped',
    messages: {
      default:
        "not an App Mesh resource: neither an `appmesh.k8s.aws/v1beta2` object nor the App Mesh API's JSON; it is skipped; {fix}",
      version: '`{kind}` of `{apiVersion}` is skipped: only `appmesh.k8s.aws/v1beta2` is read; {fix}',
      kubernetes: 'a Kubernetes `{kind}` (`{apiVersion}`) is not an App Mesh resource; it is skipped; {fix}',
    },
    fix: 'pass only App Mesh configuration (`kubectl get -o yaml` of the App Mesh kinds, or `aws appmesh describe-*` output)',
  },
  'appmesh-malformed': {
    severity: 'warning',
    summary: 'part of an App Mesh resource does not have the shape App Mesh gives it; that part is skipped',
    messages: { default: 'expected {expected} here; this part is not imported; {fix}' },
    fix: 'correct the App Mesh configuration (App Mesh would reject it too)',
  },
  'appmesh-reference-unknown': {
    severity: 'warning',
    summary:
      'an App Mesh resource names another that is not in the input; the calls the reference stands for are not imported',
    messages: {
      default: '`{name}` names a {kind} that is not in the input; the calls through it are not imported; {fix}',
    },
    fix: "import the whole mesh's configuration at once, or add the missing resource",
  },
  'appmesh-duplicate': {
    severity: 'warning',
    summary: 'two App Mesh resources of one kind have the same name; the first is imported',
    messages: { default: 'a second {kind} `{name}`: the first is imported and this one is skipped; {fix}' },
    fix: 'pass each resource once',
    related: 'the first',
  },
  'appmesh-setting-dropped': {
    severity: 'warning',
    summary: 'an App Mesh setting has no equivalent in a contract; it is not imported',
    messages: {
      default: '`{setting}` has no equivalent in a contract and is not imported; {fix}',
      idle: '`{setting}`: contracts have no idle timeout; it is not imported, and the mesh default applies; {fix}',
      healthCheck:
        '`{setting}`: App Mesh health checks are not imported; use Kubernetes probes, or `exposure.lattice.healthCheck` for VPC Lattice; {fix}',
      logging: '`{setting}`: access logging is configured on the mesh (Istio Telemetry), not in contracts; {fix}',
      routeMatch:
        'a route that matches on `{setting}` is not imported: contract routes match paths only, and without its condition the route would take traffic it did not; {fix}',
      regex:
        'a route that matches a path by regular expression is not imported: contract paths are exact or prefixes; {fix}',
      tcpWeights:
        'a TCP route that splits connections by weight is not imported: contract routes split HTTP requests; {fix}',
      selectorExpressions:
        "`{setting}` is not imported: a contract selects pods by labels only, so the contract's selector is wider than App Mesh's; {fix}",
      cloudMapAttributes:
        "`{setting}`: the Cloud Map attributes that chose a subset of the service's instances are not imported; the contract stands for every instance; {fix}",
      singleVersionRoute:
        "route `{setting}` has its own timeout or retries, but its service has one version: a contract's per-route settings go with versions, so they are not imported; {fix}",
      gatewayRoute:
        "the gateway route's `{setting}` (which requests the gateway forwards, and how it rewrites them) stays with the gateway's configuration; the contract admits the gateway as a caller; {fix}",
      gatewayToEcs:
        'a gateway route leads to ECS tasks, but an ingress gateway can be a caller only of services in its own EKS cluster; {fix}',
      duplicateRoute:
        'a route to `{setting}` follows another to the same path, which takes every request first; it is not imported; {fix}',
      otherRouter:
        "router `{setting}` also splits traffic to this service, but a contract holds one set of routes: the other router's are imported; {fix}",
      noHttpPort:
        "router `{setting}`'s routes are not imported: the nodes it sends to have no HTTP, HTTP/2 or gRPC listener, and contract routes split HTTP requests; {fix}",
      versionsOverlap:
        "router `{setting}` splits traffic between nodes that a contract could select together only by labels other nodes' pods carry too: each node becomes a contract of its own, exact for who may call it, and the router's weights, routes and retries are not imported; {fix}",
      ecsRoutes:
        "router `{setting}`'s routes are not imported: they lead to ECS tasks, which no waypoint serves in the ambient mesh, so a contract's mesh routes are for EKS only; {fix}",
      ecsResilience:
        "the timeouts, retries, connection pools and outlier detection of these ECS tasks' `{setting}` are not imported: in the ambient mesh no waypoint serves ECS tasks, so they would apply nowhere; {fix}",
    },
    fix: 'carry the setting over by hand where it matters',
  },
  'appmesh-setting-changed': {
    severity: 'warning',
    summary: 'an App Mesh setting is beyond what a contract can hold; the nearest value is imported',
    messages: { default: '`{setting}` is {from} in App Mesh; a contract holds at most {to}, which is imported; {fix}' },
    fix: 'check that the imported value is enough',
  },
  'appmesh-setting-conflict': {
    severity: 'warning',
    summary:
      'listeners or versions of one service set one of its settings differently; the contract holds one value and keeps the first',
    messages: {
      default:
        '`{setting}` differs between the listeners or versions of this service; the contract keeps `{kept}`; {fix}',
    },
    fix: 'check that the kept value suits every version',
  },
  'appmesh-tls-replaced': {
    severity: 'info',
    summary:
      'App Mesh TLS certificates and their validation are not imported: Istio gives every workload a mesh identity and certificates, and `mtls` says whether they are required',
    messages: {
      default:
        'App Mesh certificates and validation are not imported: the mesh gives each workload an identity and certificates of its own; {fix}',
    },
    fix: 'nothing to do; remove the certificates from AWS Certificate Manager or the pods once App Mesh is gone',
  },
  'appmesh-prefix-narrowed': {
    severity: 'info',
    summary:
      "App Mesh's route prefix matches as a string (`/a` also takes `/ab`); a contract path matches whole segments, so the route is imported as the path and the paths under it",
    messages: {
      default:
        'prefix `{prefix}` is imported as `{prefix}` and `{prefix}/*`: App Mesh also sent paths that merely start with it (`{prefix}x`) this way, which now go to the service as a whole; {fix}',
    },
    fix: 'nothing to do when the prefix ends a path segment; otherwise add the routes you need',
  },
  'appmesh-egress-allow-all': {
    severity: 'warning',
    summary:
      'the mesh let its workloads call any destination outside it (`ALLOW_ALL`); the imported contracts declare no egress, so those calls will be denied',
    messages: {
      default:
        'mesh `{mesh}` lets its workloads call any destination outside it; the imported contracts declare no `egress`, so those calls will be denied once enforced; {fix}',
    },
    fix: "add the hosts your services call as `egress` (the mesh's access logs show them)",
  },
  'appmesh-renamed': {
    severity: 'info',
    summary:
      'an App Mesh name is not a contract name (3 to 40 lowercase letters, digits and hyphens, unique in a namespace); the contract takes the nearest one',
    messages: { default: '`{from}` becomes the contract `{to}`; {fix}' },
    fix: 'rename the contract file if you prefer another name',
  },
  'appmesh-version-label': {
    severity: 'warning',
    summary:
      "a router splits traffic between virtual nodes, which a contract calls versions and selects by the pods' `version` label; the node's pods do not carry that label yet",
    messages: {
      default:
        "the router's weights send traffic to `{node}` as version `{version}`, which the mesh selects by the pods' label `version: {version}`; {fix}",
    },
    fix: 'label those pods (or tasks) with `version: {version}` before the contract is deployed',
  },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof catalog;

const isCode = (code: string): code is DiagnosticCode => Object.hasOwn(catalog, code);
export const diagnosticCodes: readonly DiagnosticCode[] = Object.keys(catalog).filter(isCode);

export function codeInfo(code: DiagnosticCode): CodeInfo {
  return catalog[code];
}

/** The placeholders of a template. */
type Holes<S> = S extends `${string}{${infer P}}${infer R}` ? P | Holes<R> : never;
type Entry<C extends DiagnosticCode> = (typeof catalog)[C];
type MessageIds<C extends DiagnosticCode> = keyof Entry<C>['messages'] & string;
type RelatedOf<C extends DiagnosticCode> = Entry<C> extends { related: infer R } ? R : '';

/** The data a message needs: every placeholder of its template, of the fix and of the related label. */
export type MessageArgs<C extends DiagnosticCode, M extends MessageIds<C>> = Record<
  Exclude<Holes<Entry<C>['messages'][M]> | Holes<Entry<C>['fix']> | Holes<RelatedOf<C>>, 'fix'>,
  string | number
>;

/**
 * What a check reports instead of prose: a code, a message id where the code has several, and
 * the typed data its template needs. The catalog turns it into text (`renderMessage`).
 */
export type CodedMessage = {
  [C in DiagnosticCode]: {
    [M in MessageIds<C>]: { code: C; data: MessageArgs<C, M> } & (M extends 'default'
      ? { messageId?: 'default' }
      : { messageId: M });
  }[MessageIds<C>];
}[DiagnosticCode];

const fill = (template: string, data: Readonly<Record<string, string | number>>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => String(data[name] ?? `{${name}}`));

/** The one line a user reads, from the catalog's template and the check's data. */
export function renderMessage(m: CodedMessage): string {
  const info: CodeInfo = catalog[m.code];
  const data: Readonly<Record<string, string | number>> = m.data;
  const template = info.messages[m.messageId ?? 'default'] ?? info.messages.default;
  return fill(template.replace('{fix}', info.fix), data);
}

/** The related location's label, from the catalog. */
export function renderRelated(m: CodedMessage): string {
  const info: CodeInfo = catalog[m.code];
  const data: Readonly<Record<string, string | number>> = m.data;
  return fill(info.related ?? '', data);
}

/** A template for the docs: its placeholders as `<name>`. */
export const templateForDocs = (template: string) => template.replace(/\{(\w+)\}/g, '<$1>');

/** What a diagnostic's code means: the catalog's entry, or for a guard-rail's own code, the guard-rail's. */
export function describeCode(code: string): CodeInfo & { docs: string } {
  if (isCode(code)) return { ...catalog[code], docs: `docs/diagnostics.md#${code}` };
  const rail = catalog['guardrail-violation'];
  return {
    severity: rail.severity,
    summary: `guard-rail \`${code}\`: ${rail.summary}`,
    messages: rail.messages,
    fix: rail.fix,
    docs: `policies/ (the guard-rail named ${code})`,
  };
}
