import { readConfig } from './config.js';
import { isIP } from 'node:net';
import { explain as explainRequest, type Explanation, type Who } from '../explain/explain.js';
import { ArtifactIndex } from '../explain/artifact-index.js';
import { locate } from '../load/locate.js';
import type { Model, ServiceModel } from '../model/types.js';
import { UsageError, type CliIO } from './io.js';
import { report } from './report.js';
import { runEstate } from './run-estate.js';
import { cacheLocation, cacheOptions, parseCommandArgs } from './options.js';
import { printable } from '../format/safe-text.js';
import { safeJson } from '../format/safe-text.js';

function findService(model: Model, name: string, role: string): ServiceModel {
  const exact = model.services.find((s) => s.id === name);
  if (exact) return exact;
  const named = model.services.filter((s) => s.name === name);
  const [only, ...others] = named;
  if (only && others.length === 0) return only;
  if (named.length > 1)
    throw new UsageError(
      `${role} \`${name}\` is ambiguous: ${named.map((s) => `\`${s.id}\``).join(', ')}; write namespace/name`,
    );
  throw new UsageError(
    `${role} \`${name}\` is no service in the contracts; name a service (\`namespace/name\`), an IAM role ARN, an IP address or \`gateway:<cluster>/<name>\``,
  );
}

/** `gateway:<cluster>/<name>`, or `gateway:<name>` when one cluster has a gateway of that name. */
function findGateway(model: Model, spec: string): Extract<Who, { kind: 'gateway' }> {
  // Split at the first `/` only: `a/b/c` names gateway `b/c`, which no Platform has, never `b`.
  const slash = spec.indexOf('/');
  const [cluster, name] = slash < 0 ? [undefined, spec] : [spec.slice(0, slash), spec.slice(slash + 1)];
  const found = model.platform.clusters.flatMap((c) =>
    c.ingressGateways
      .filter((g) => g.name === name && (cluster === undefined || c.name === cluster))
      .map((g) => ({ kind: 'gateway' as const, cluster: c.name, ...g })),
  );
  const [only, ...others] = found;
  if (only && others.length === 0) return only;
  if (only)
    throw new UsageError(
      `caller \`gateway:${spec}\` is ambiguous: ${found.map((g) => `\`gateway:${g.cluster}/${g.name}\``).join(', ')}`,
    );
  throw new UsageError(
    `caller \`gateway:${spec}\` is no ingress gateway of the Platform; write gateway:<cluster>/<name>, as listed in a cluster's \`ingressGateways\``,
  );
}

function text(x: Explanation): string {
  const req = [
    // `/udp` where the call is UDP: the number alone reads as TCP.
    `port ${x.request.port}${x.request.transport === 'udp' ? '/udp' : ''}`,
    x.request.method ? `method ${x.request.method}` : '',
    x.request.path ? `path ${x.request.path}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    `${x.verdict === 'allowed' ? 'ALLOWED' : 'DENIED'}: ${x.caller} → ${x.callee} (${req})`,
    `  ${x.reason}`,
    ...(x.agreesWithContract
      ? []
      : ['  the generated layers decide otherwise than the contract: this is a callgate bug, please report it']),
    '',
  ];
  for (const l of x.layers) {
    lines.push(`${l.admits ? '✔' : '✘'} ${l.layer}: ${l.note}`);
    for (const w of l.where) lines.push(`    ${w}`);
  }
  // Every line starts with callgate's own text; what follows may quote contracts and file names.
  return `${lines.map(printable).join('\n')}\n`;
}

export const explainCommand = {
  name: 'explain',
  summary: 'say whether a caller may call a service, and which contract lines and generated objects decide it',
  help: `Usage: callgate explain <caller> <callee> [options]

<caller> is a service (namespace/name, or a name that is unique), an IAM role ARN,
an IP address, or an ingress gateway (gateway:<cluster>/<name>, or gateway:<name>
when the name is unique); <callee> is a service. Prints the verdict, then for each layer
that enforces the call (the contract, security groups, NetworkPolicy, Istio, VPC
Lattice) whether it admits it and the contract lines and generated objects that do.

Options:
  --port <n>[/udp]      the port called, /tcp or /udp where the callee has the number over both
                        (default: the first the caller may use)
  --method <m>          the HTTP method (default: not checked)
  --path <p>            the HTTP path (default: not checked)
  --source-vpc <vpc>    for an IAM role: the VPC its request comes from
  --contracts <dir>     the contracts directory (default: contracts)
  --policies <dir>      the guard-rails (default: policies, when it exists)
  --format <name>       text | json (default: text)
  --cache               reuse what the last run parsed and synthesized where its input
                        is unchanged, as \`compile --cache\` does (the answer is the same)
  --cache-location <d>  where --cache keeps it (default: .callgate-cache)
  -h, --help            show this help

Exit codes: 0 allowed, 1 denied (or the contracts have errors), 2 usage or internal error.
`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        method: { type: 'string' },
        path: { type: 'string' },
        'source-vpc': { type: 'string' },
        contracts: { type: 'string' },
        policies: { type: 'string' },
        format: { type: 'string' },
        ...cacheOptions,
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(explainCommand.help);
      return 0;
    }
    if (positionals.length !== 2) throw new UsageError('`callgate explain` takes a caller and a callee');
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json')
      throw new UsageError(`unknown --format \`${format}\`; use text or json`);
    // `53/udp` as written here, `53/UDP` as Kubernetes spells protocols: one port either way.
    const port = values.port === undefined ? undefined : /^(\d{1,5})(?:\/(tcp|udp))?$/.exec(values.port.toLowerCase());
    if (port === null || (port !== undefined && (Number(port[1]) < 1 || Number(port[1]) > 65535)))
      throw new UsageError(
        `--port takes a port number from 1 to 65535, with /tcp or /udp if need be, not \`${values.port ?? ''}\``,
      );
    if (values.method !== undefined && !/^[A-Z]+$/.test(values.method))
      throw new UsageError(`--method takes an HTTP method such as GET, not \`${values.method}\``);
    if (values.path !== undefined && !values.path.startsWith('/'))
      throw new UsageError(`--path takes a path starting with /, not \`${values.path}\``);
    const config = await readConfig(io.cwd);
    const result = await runEstate(values.contracts ?? config.contracts ?? 'contracts', io, 'compile', {
      policiesDir: values.policies ?? config.policies,
      cacheDir: cacheLocation(values),
    });
    if (!result.model || !result.analysis || !result.files) {
      report(result.diagnostics, 'stylish', undefined, io);
      io.stderr('callgate: the contracts have errors; fix them to explain a call\n');
      return 1;
    }
    const model = result.model;
    const [callerArg = '', calleeArg = ''] = positionals;
    const who: Who = callerArg.startsWith('gateway:')
      ? findGateway(model, callerArg.slice('gateway:'.length))
      : callerArg.startsWith('arn:')
        ? {
            kind: 'principal',
            iamRole: callerArg,
            ...(values['source-vpc'] ? { sourceVpc: values['source-vpc'] } : {}),
          }
        : isIP(callerArg)
          ? { kind: 'address', ip: callerArg }
          : { kind: 'service', service: findService(model, callerArg, 'caller') };
    const callee = findService(model, calleeArg, 'callee');
    const docs = new Map(result.documents.map((d) => [`${d.relPath}\u0000${d.indexInFile}`, d]));
    const where = (e: { source: { file: string; doc: number; path: readonly (string | number)[] } }) => {
      const d = docs.get(`${e.source.file}\u0000${e.source.doc}`);
      return d ? `${d.file}:${locate(d, e.source.path).start.line}` : e.source.file;
    };
    const x = explainRequest(
      result.analysis,
      new ArtifactIndex(result.files),
      who,
      callee,
      {
        ...(port ? { port: Number(port[1]) } : {}),
        ...(port?.[2] === 'tcp' || port?.[2] === 'udp' ? { transport: port[2] } : {}),
        ...(values.method ? { method: values.method } : {}),
        ...(values.path ? { path: values.path } : {}),
      },
      where,
    );
    io.stdout(format === 'json' ? `${safeJson(x)}\n` : text(x));
    return x.verdict === 'allowed' ? 0 : 1;
  },
};
