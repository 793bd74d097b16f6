import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CallgateConfig } from './config.js';
import { formatNames, isFormatName, type FormatName } from '../format/registry.js';
import { UsageError } from './io.js';

/**
 * The arguments, as `parseArgs` reads them, none of them empty. A pipeline that passes a variable
 * it never set (`--base-dir "$BASE"`) gives an empty one, which as a path is the working
 * directory: `diff` would then compare the contracts with themselves and report no change, and
 * `--cache-location` would scatter the cache over it. An empty argument is a usage error instead.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  const parsed = parseArgs(config);
  for (const [name, value] of Object.entries(parsed.values as Record<string, unknown>))
    if (value === '' || (Array.isArray(value) && value.includes('')))
      throw new UsageError(`--${name} is empty (was a variable not set?); give it a value, or leave it out`);
  if ((parsed.positionals as string[]).includes(''))
    throw new UsageError('an argument is empty (was a variable not set?); give it a value, or leave it out');
  return parsed;
}

export function parseFormat(value: string | undefined): FormatName {
  if (value === undefined) return 'stylish';
  if (!isFormatName(value)) throw new UsageError(`unknown --format \`${value}\`; use one of ${formatNames.join(', ')}`);
  return value;
}

export function parseMaxWarnings(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-warnings takes a whole number, not \`${value}\``);
  return Number(value);
}

/** The contracts directory: the argument, else package.json's `callgate.contracts`, else `contracts`. */
export function singleDir(positionals: string[], command: string, config: CallgateConfig = {}): string {
  if (positionals.length > 1)
    throw new UsageError(`\`callgate ${command}\` takes one directory, got ${positionals.length}`);
  return positionals[0] ?? config.contracts ?? 'contracts';
}

/** `--cache` and `--cache-location`: every command that reads the estate takes them. */
export const cacheOptions = {
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
} as const;

/** Their help lines, for a command whose cache holds only what it parsed. */
export const cacheHelp = `  --cache               reuse what the last run parsed where a contract's text is
                        unchanged (the result is the same)
  --cache-location <d>  where --cache keeps it (default: .callgate-cache)
`;

/** Where `--cache` keeps its work, as given (relative to the working directory); undefined without it. */
export function cacheLocation(values: { cache?: boolean; 'cache-location'?: string }): string | undefined {
  return values.cache || values['cache-location'] !== undefined
    ? (values['cache-location'] ?? '.callgate-cache')
    : undefined;
}
