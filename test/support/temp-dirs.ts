import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every directory a test file makes under the system's temporary directory, removed when the file
// is done (test/support/remove-temp-dirs.ts): the suite made thousands per run, and a team that
// runs it on every push filled /tmp with gigabytes. CALLGATE_KEEP_TEST_DIRS=1 keeps them, to look
// at what a failing test left.
const made = new Set<string>();

export async function tempDir(prefix = 'callgate-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Remove the directories made so far, unless asked to keep them. */
export async function removeTempDirs(): Promise<void> {
  if (process.env.CALLGATE_KEEP_TEST_DIRS === '1') return;
  const dirs = [...made];
  made.clear();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true, maxRetries: 3 })));
}
