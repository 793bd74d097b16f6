import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from '../util/json.js';
import { UsageError } from './io.js';

/**
 * A repository's settings, in the `callgate` key of its package.json (where npm-installed tools
 * keep theirs), so that check, compile, diff, explain, graph and the CDKTF app read the same
 * directories. Command-line arguments win over it; the defaults are `contracts` and `policies`.
 */
export interface CallgateConfig {
  contracts?: string;
  policies?: string;
}

const keys = ['contracts', 'policies'] as const;

export async function readConfig(cwd: string): Promise<CallgateConfig> {
  const text = await readFile(join(cwd, 'package.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    // Not callgate's file to judge: npm reports a broken package.json itself.
    return {};
  }
  const value = isRecord(pkg) ? pkg.callgate : undefined;
  if (value === undefined) return {};
  if (!isRecord(value))
    throw new UsageError('package.json: `callgate` must be an object such as {"contracts": "contracts"}');
  const config: CallgateConfig = {};
  for (const [key, v] of Object.entries(value)) {
    const known = keys.find((k) => k === key);
    if (known === undefined)
      throw new UsageError(
        `package.json: unknown setting \`callgate.${key}\`; the settings are ${keys.map((k) => `\`${k}\``).join(', ')}`,
      );
    if (typeof v !== 'string' || v.trim() === '')
      throw new UsageError(`package.json: \`callgate.${key}\` must name a directory`);
    config[known] = v;
  }
  return config;
}
