import { workerData, type MessagePort } from 'node:worker_threads';
import type { MissingStack } from './cache.js';
import { synthesizeMissing } from './synth.js';

// The stacks' synthesis on a thread of its own (see background.ts): the same function, so the
// same bytes. Whatever happens, the result or the error is posted and the waiting thread woken.

interface Job {
  missing: MissingStack[];
  cacheDir?: string;
  scratch: string;
  port: MessagePort;
  done: Int32Array;
}

// What background.ts posted, built in this same program: a thread boundary, not untrusted input.
// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
const job = workerData as Job;
try {
  job.port.postMessage({ files: synthesizeMissing(job.missing, job.cacheDir, job.scratch) });
} catch (err) {
  job.port.postMessage({ error: err instanceof Error ? err.message : String(err) });
} finally {
  Atomics.store(job.done, 0, 1);
  Atomics.notify(job.done, 0);
}
