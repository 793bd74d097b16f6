import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { OutputFile } from '../targets/target.js';
import { untilDone } from '../util/interrupt.js';
import type { StackInput } from './stack-plan.js';
import { lookUpStacks } from './cache.js';
import { compareStrings } from '../util/compare.js';

/** Stacks being synthesized on another thread; `wait` blocks until they are there. */
export interface PendingStacks {
  wait(): OutputFile[];
}

const workerFile = fileURLToPath(new URL('./synth-worker.js', import.meta.url));
/** A built worker exists (it does not where the sources run directly, as in the tests). */
export const workerAvailable = workerFile.endsWith('.js') && existsSync(workerFile);

/** A started thread that synthesizes the stacks it is sent (synth-worker.ts). */
interface StacksThread {
  worker: Worker;
  port: MessagePort;
  done: Int32Array;
}

function spawn(): StacksThread {
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(workerFile, { workerData: { port: port2, done }, transferList: [port2] });
  // A thread that is never sent its stacks (the run failed, or found them all cached) must not
  // keep the process alive.
  worker.unref();
  return { worker, port: port1, done };
}

/** The thread started ahead (`prepareStacks`), taken by the first run that needs one. */
let ready: StacksThread | undefined;

/**
 * Start the stacks' thread now, before the contracts are read, so that it loads cdktf and the
 * provider meanwhile: in a full compile the stacks are the second core's work and finish last,
 * and their loading (about half a second) was on that path. Not where a cache probably holds
 * the stacks (`compile --cache` after a first run): then no thread may be needed at all.
 */
export function prepareStacks(cacheDir: string | undefined): void {
  if (!workerAvailable || ready) return;
  if (cacheDir !== undefined && hasEntries(join(cacheDir, 'cdktf'))) return;
  ready = spawn();
}

function hasEntries(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** Let go of a thread started ahead and not needed. */
function release(): void {
  if (!ready) return;
  ready.port.close();
  void ready.worker.terminate();
  ready = undefined;
}

/**
 * Synthesize the stacks on a worker thread, so that the second core works on them while this one
 * emits the other targets. The pipeline stays synchronous: `wait` sleeps on a shared flag the
 * worker raises, then takes its message. Undefined where there is no built worker (the sources
 * run directly, as in the tests): the caller synthesizes in this thread, to the same bytes.
 */
export function startStacks(units: readonly StackInput[], cacheDir: string | undefined): PendingStacks | undefined {
  if (!workerAvailable) return undefined;
  // The cache is read here: where it holds every stack, no thread is needed at all.
  const { found, missing } = lookUpStacks(units, cacheDir);
  const sorted = (files: OutputFile[]) => files.sort((a, b) => compareStrings(a.path, b.path));
  if (missing.length === 0) {
    release();
    return { wait: () => sorted(found) };
  }
  // The scratch directory is made here, so that an interrupt of this process removes it.
  const scratch = mkdtempSync(join(tmpdir(), 'callgate-cdktf-'));
  const cleanup = untilDone(() => {
    rmSync(scratch, { recursive: true, force: true });
  });
  const thread = ready ?? spawn();
  ready = undefined;
  thread.port.postMessage({ missing, ...(cacheDir !== undefined ? { cacheDir } : {}), scratch });
  return {
    wait() {
      try {
        Atomics.wait(thread.done, 0, 0);
        // What synth-worker.ts posts, from this same program: a thread boundary, not untrusted input.
        // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
        const message = receiveMessageOnPort(thread.port)?.message as
          { files?: OutputFile[]; error?: string } | undefined;
        if (!message?.files) throw new Error(message?.error ?? 'the stacks worker ended without a result');
        return sorted([...found, ...message.files]);
      } finally {
        thread.port.close();
        void thread.worker.terminate();
        rmSync(scratch, { recursive: true, force: true });
        cleanup();
      }
    },
  };
}
