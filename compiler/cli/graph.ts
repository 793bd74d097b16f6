import { dotGraph, mermaidGraph, selectEdges } from '../graph/render.js';
import { readConfig } from './config.js';
import { UsageError, type CliIO } from './io.js';
import { report } from './report.js';
import { cacheHelp, cacheLocation, cacheOptions, parseCommandArgs, singleDir } from './options.js';
import { runEstate } from './run-estate.js';

export const graph = {
  name: 'graph',
  summary: 'print the call graph, edges labelled by path (mesh, Lattice, network)',
  help: `Usage: callgate graph [dir] [options]

Print the estate's call graph: one node per service, IAM role or address range, one
edge per caller entry, labelled by the path it takes (mesh, Lattice, network) and
its ports. In Mermaid, mesh edges are plain, Lattice edges thick, network edges dotted.

Options:
  --format <name>       mermaid | dot (default: mermaid)
  --namespace <ns>      only edges from or to services in this namespace
  --owner <team>        only edges from or to services this team owns
  --policies <dir>      the guard-rails (default: policies, when it exists)
${cacheHelp}  -h, --help            show this help

Exit codes: 0 printed, 1 the contracts have errors, 2 usage or internal error.
`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        namespace: { type: 'string' },
        owner: { type: 'string' },
        policies: { type: 'string' },
        ...cacheOptions,
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(graph.help);
      return 0;
    }
    const format = values.format ?? 'mermaid';
    if (format !== 'mermaid' && format !== 'dot')
      throw new UsageError(`unknown --format \`${format}\`; use mermaid or dot`);
    const config = await readConfig(io.cwd);
    // The guard-rails `check` reads, read the same way: a graph is drawn only of an estate `check` passes.
    const result = await runEstate(singleDir(positionals, 'graph', config), io, 'check', {
      policiesDir: values.policies ?? config.policies,
      cacheDir: cacheLocation(values),
    });
    if (!result.model || result.diagnostics.some((d) => d.severity === 'error')) {
      report(result.diagnostics, 'stylish', undefined, io);
      return 1;
    }
    const edges = selectEdges(result.model, {
      ...(values.namespace ? { namespace: values.namespace } : {}),
      ...(values.owner ? { owner: values.owner } : {}),
    });
    io.stdout(format === 'dot' ? dotGraph(edges) : mermaidGraph(edges));
    return 0;
  },
};
