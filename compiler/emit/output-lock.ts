import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { untilDone } from '../util/interrupt.js';
import { OutputDirError } from './output-error.js';

// Two compiles writing one out/ at once would interleave their in-place updates file by file and
// could leave a mix of both outputs. A lock file beside out/, made with exclusive create, stops
// the second one instead; a lock whose process has ended is taken over.

const codeOf = (err: unknown) =>
  err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as another user's process.
    return codeOf(err) === 'EPERM';
  }
}

/** Take the lock of the output directory `target` (shown as `shown`); the result releases it. */
export function lockOutput(target: string, shown: string): () => void {
  const lock = `${target}.callgate-lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
    } catch (err) {
      if (codeOf(err) !== 'EEXIST') throw err;
      let text: string;
      try {
        text = readFileSync(lock, 'utf8');
      } catch (readErr) {
        // Released between the two calls: try again.
        if (codeOf(readErr) === 'ENOENT') continue;
        throw readErr;
      }
      const holder = Number(text.trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && running(holder))
        throw new OutputDirError(
          `another callgate (process ${String(holder)}) is writing \`${shown}\`; wait for it to finish, or remove \`${lock}\` if no callgate is running`,
        );
      rmSync(lock, { force: true });
      continue;
    }
    const done = untilDone(() => {
      rmSync(lock, { force: true });
    });
    return () => {
      rmSync(lock, { force: true });
      done();
    };
  }
  throw new OutputDirError(`cannot lock \`${shown}\` for writing: \`${lock}\` keeps coming back`);
}
