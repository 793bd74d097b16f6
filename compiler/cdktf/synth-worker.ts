import { workerData, type MessagePort } from 'node:worker_threads';
import type { MissingStack } from './cache.js';
import { synthesizeMissing } from './synth.js';

// The stacks' synthesis on a thread of its own (see background.ts): the same function, so the
// same bytes. The thread may start before its stacks are known, so that loading cdktf and the
// provider (about a second) overlaps the reading of the contracts: the job comes as a message.
// Whatever happens, the result or the error is posted and the waiting thread woken.

interface Job {
  missing: MissingStack[];
  cacheDir?: string;
  scratch: string;
}

// What background.ts passes and posts, built in this same program: a thread boundary, not untrusted input.
// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
const { port, done } = workerData as { port: MessagePort; done: Int32Array };
port.once('message', (message: unknown) => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
    const job = message as Job;
    port.postMessage({ files: synthesizeMissing(job.missing, job.cacheDir, job.scratch) });
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  } finally {
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
    port.close();
  }
});
