import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { providerLog, retriedRequests } from './provider-retries.js';

// What every real deploy needs: terraform with the AWS provider from the machine's filesystem
// mirror, and moto_server (with the shim's fixes) on a free loopback port.

export const repo = join(import.meta.dirname, '..', '..');
export const mirror = process.env.CALLGATE_TF_PLUGIN_DIR ?? '/opt/tf-plugins';
export const python = process.env.CALLGATE_PYTHON ?? 'python3';

export function missingTools(): string[] {
  const missing: string[] = [];
  if (spawnSync('terraform', ['version'], { encoding: 'utf8' }).status !== 0) missing.push('terraform on the PATH');
  if (!existsSync(join(mirror, 'registry.terraform.io/hashicorp/aws/5.100.0')))
    missing.push(`the hashicorp/aws 5.100.0 provider mirror at ${mirror} (set CALLGATE_TF_PLUGIN_DIR)`);
  if (spawnSync(python, ['-c', 'import moto, boto3'], { encoding: 'utf8' }).status !== 0)
    missing.push(`moto and boto3 for ${python} (set CALLGATE_PYTHON)`);
  return missing;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

export interface Moto {
  env: NodeJS.ProcessEnv;
  stop(): void;
  run(command: string, args: string[], cwd?: string): SpawnSyncReturns<string>;
  /** test/e2e/aws.py with these arguments, its JSON answer. */
  aws(...args: string[]): unknown;
  /** What a failed command said: Terraform's errors with their context, its last lines, moto's failures. */
  failure(result: { stdout: string; stderr: string }): string;
}

/**
 * moto on a free port, and the environment a deploy against it runs in: endpoints and base
 * credentials only, as a pipeline's environment would give them; the stacks carry neither.
 */
export async function startMoto(work: string, contracts: string): Promise<Moto> {
  const port = await freePort();
  writeFileSync(
    join(work, 'terraform.rc'),
    `provider_installation {\n  filesystem_mirror { path = "${mirror}" }\n  direct { exclude = ["registry.terraform.io/*/*"] }\n}\n`,
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: 'true',
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: join(work, 'terraform.rc'),
    TF_IN_AUTOMATION: '1',
    CALLGATE_CONTRACTS: contracts,
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-west-2',
    AWS_EC2_METADATA_DISABLED: 'true',
    // The provider's requests, with their SDK attempt numbers, for a failure's report (see
    // provider-retries.ts). Every terraform appends to the one file.
    TF_LOG_PROVIDER: 'DEBUG',
    TF_LOG_PATH: join(work, providerLog),
  };
  // moto's own log, kept beside the work so that a failed deploy can be read against it.
  const logPath = join(work, 'moto.log');
  const log = openSync(logPath, 'w');
  const moto = spawn(python, [join(import.meta.dirname, 'moto_shim.py'), '-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', log, log],
  });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/moto-api/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const run = (command: string, args: string[], cwd = repo) =>
    spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 26 });
  return {
    env,
    stop: () => moto.kill(),
    run,
    aws(...args) {
      const r = run(python, [join(import.meta.dirname, 'aws.py'), ...args]);
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout) as unknown;
    },
    failure(result) {
      const lines = `${result.stdout}\n${result.stderr}`.split('\n');
      const errors = lines.flatMap((line, i) => (/Error:/.test(line) ? lines.slice(Math.max(0, i - 2), i + 12) : []));
      const failed = readFileSync(logPath, 'utf8')
        .split('\n')
        .filter((l) => !/" (200|201|204) -$/.test(l));
      return [
        'errors:',
        ...errors.slice(0, 200),
        'last lines:',
        ...lines.slice(-40),
        `moto (${logPath}), all but successes:`,
        ...failed.slice(-60),
        "requests the provider's SDK retried:",
        ...retriedRequests(join(work, providerLog)),
      ].join('\n');
    },
  };
}
