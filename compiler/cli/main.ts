import { StacksThreadError } from '../cdktf/stacks-error.js';
import { OutputDirError } from '../emit/write-out.js';
import { commands } from './commands.js';
import { printable } from '../format/safe-text.js';
import { takeCacheNotWritten } from '../util/cache-file.js';
import { UsageError, type CliIO } from './io.js';
import { version } from './version.js';

const usage = `Usage: callgate <command> [options]

callgate compiles one service contract per service into every layer that decides
who may call whom.

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Options:
  -h, --help       show help (also: callgate <command> --help)
  -v, --version    show the version
`;

/** The whole CLI as a function: arguments in, exit code out. Never throws. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      io.stdout(usage);
      return first === undefined ? 2 : 0;
    }
    if (first === '-v' || first === '--version') {
      io.stdout(`${version}\n`);
      return 0;
    }
    const command = commands.find((c) => c.name === first);
    if (!command) throw new UsageError(`unknown command \`${first}\`; run \`callgate --help\``);
    takeCacheNotWritten();
    const code = await command.run(rest, io);
    const notWritten = takeCacheNotWritten();
    if (notWritten !== undefined)
      io.stderr(
        `callgate: note: the cache could not be written (${printable(notWritten)}), so the next run cannot reuse this one's work; check --cache-location\n`,
      );
    return code;
  } catch (err) {
    if (
      err instanceof UsageError ||
      err instanceof OutputDirError ||
      err instanceof StacksThreadError ||
      isArgError(err)
    ) {
      // Printable: a message quotes the arguments, which a pipeline may take from a branch name or
      // a variable it does not control; escaping what is escaped already changes nothing.
      io.stderr(`callgate: ${printable(err instanceof Error ? err.message : String(err))}\n`);
      return 2;
    }
    // One line: libraries' messages can carry their own traces, which users should not wade through.
    const message = printable((err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '');
    const stack = err instanceof Error ? (err.stack ?? '').split('\n').map(printable).join('\n') : '';
    const detail = io.env.CALLGATE_DEBUG && err instanceof Error ? `\n${stack}` : ' (set CALLGATE_DEBUG=1 for details)';
    io.stderr(
      `callgate: internal error: ${message}; this is a bug, please report it with the input that caused it${detail}\n`,
    );
    return 2;
  }
}

function isArgError(err: unknown): err is Error {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS');
}
