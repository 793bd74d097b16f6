import { workerData, type MessagePort } from 'node:worker_threads';
import type { MissingStack } from './cache.js';

// The stacks' synthesis on a thread of its own (see background.ts): the same function, so the
// same bytes. The thread may start before its stacks are known, so that loading cdktf and the
// provider (about half a second) overlaps the reading of the contracts: the job comes as a message.
// Whatever happens, the result or the error is posted and the shared flag raised: a caller that
// cannot await sleeps on that flag and handles nothing else, not even a signal. The CLI awaits
// instead, and so also hears of an end that posts nothing (out of memory).

interface Job {
  missing: MissingStack[];
  cacheDir?: string;
  scratch: string;
}

// What background.ts passes and posts, built in this same program: a thread boundary, not untrusted input.
// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
const { port, done } = workerData as { port: MessagePort; done: Int32Array };

const finish = (message: { files: unknown } | { error: string; cannotLoad?: true }) => {
  port.postMessage(message);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
  port.close();
};

// Loaded at once, and a failure to load kept for the job rather than thrown where no one waits.
const loading = import('./synth.js').catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));

port.once('message', (message: unknown) => {
  void loading.then((loaded) => {
    if (loaded instanceof Error) {
      finish({ error: `cannot load cdktf to synthesize the stacks: ${loaded.message}`, cannotLoad: true });
      return;
    }
    try {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
      const job = message as Job;
      finish({ files: loaded.synthesizeMissing(job.missing, job.cacheDir, job.scratch) });
    } catch (err) {
      finish({ error: err instanceof Error ? err.message : String(err) });
    }
  });
});
