import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { StackFile } from './cache.js';
import { untilDone } from '../util/interrupt.js';
import type { StackInput } from './stack-plan.js';
import { StacksThreadError } from './stacks-error.js';
import { lookUpStacks } from './cache.js';
import { compareStrings } from '../util/compare.js';

/** Stacks being synthesized on another thread (see `PendingEmit` in targets/target.ts). */
export interface PendingStacks {
  /** Blocks until they are there; never learns of a thread that died without a word. */
  wait(): StackFile[];
  /** Awaits them; fails when the thread ends without a result. */
  settled(): Promise<StackFile[]>;
  /** Stops the thread, not wanted after all; its scratch directory goes once it has stopped. */
  cancel(): void;
}

const workerFile = fileURLToPath(new URL('./synth-worker.js', import.meta.url));
/** A built worker exists (it does not where the sources run directly, as in the tests). */
export const workerAvailable = workerFile.endsWith('.js') && existsSync(workerFile);

/** A started thread that synthesizes the stacks it is sent (synth-worker.ts). */
interface StacksThread {
  worker: Worker;
  port: MessagePort;
  done: Int32Array;
  /** How the thread ended, once it has: it may end before anyone awaits it. */
  ended?: string;
}

function spawn(): StacksThread {
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(workerFile, { workerData: { port: port2, done }, transferList: [port2] });
  // A thread that is never sent its stacks (the run failed, or found them all cached) must not
  // keep the process alive.
  worker.unref();
  const thread: StacksThread = { worker, port: port1, done };
  // Out of memory, the thread is ended by Node with an error event: unheard, that event would end
  // the process with a trace; it is kept for whoever awaits the stacks.
  worker.on('error', (err: unknown) => {
    thread.ended ??=
      err instanceof Error && 'code' in err && err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? outOfMemory
        : err instanceof Error
          ? err.message
          : String(err);
  });
  worker.once('exit', (code: number) => {
    thread.ended ??= `it exited with code ${code}`;
  });
  return thread;
}

const outOfMemory =
  "it ran out of memory (Node's heap limit: raise it with NODE_OPTIONS=--max-old-space-size=<megabytes>)";

type StacksMessage = { files?: StackFile[]; error?: string; cannotLoad?: true } | undefined;

// What synth-worker.ts posts, from this same program: a thread boundary, not untrusted input.
// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- see above
const asStacksMessage = (message: unknown) => message as StacksMessage;

function filesOf(message: StacksMessage): StackFile[] {
  if (message?.cannotLoad) throw new StacksThreadError(message.error ?? 'cannot load cdktf');
  if (!message?.files) throw new Error(message?.error ?? 'the stacks worker ended without a result');
  return message.files;
}

/**
 * The thread's result as it comes, or its end without one. The thread is referenced meanwhile:
 * unreferenced, its end would not keep the process alive to hear of it, and the process would
 * exit mid-compile with nothing said.
 */
function settle(thread: StacksThread): Promise<StackFile[]> {
  return new Promise<StackFile[]>((resolve, reject) => {
    const take = (message: StacksMessage) => {
      thread.port.off('message', onMessage);
      thread.worker.off('exit', ended);
      try {
        resolve(filesOf(message));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    const onMessage = (message: unknown) => {
      take(asStacksMessage(message));
    };
    function ended() {
      // A result posted just before the end is still in the port.
      const left = receiveMessageOnPort(thread.port);
      if (left) take(asStacksMessage(left.message));
      else {
        thread.port.off('message', onMessage);
        const said = `the thread synthesizing the stacks ended without a result: ${thread.ended ?? 'unknown'}`;
        // Out of memory is the machine's limit, not a bug; any other silent end is one.
        reject(thread.ended === outOfMemory ? new StacksThreadError(said) : new Error(said));
      }
    }
    thread.port.on('message', onMessage);
    if (thread.ended !== undefined) ended();
    else {
      thread.worker.once('exit', ended);
      thread.worker.ref();
    }
  });
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
 * emits the other targets. `settled` awaits the worker's message or its end; `wait`, for callers
 * that cannot await, sleeps on a shared flag the worker raises, then takes its message. Undefined
 * where there is no built worker (the sources run directly, as in the tests): the caller
 * synthesizes in this thread, to the same bytes.
 */
export function startStacks(units: readonly StackInput[], cacheDir: string | undefined): PendingStacks | undefined {
  if (!workerAvailable) return undefined;
  // The cache is read here: where it holds every stack, no thread is needed at all.
  const { found, missing } = lookUpStacks(units, cacheDir);
  const sorted = (files: StackFile[]) => files.sort((a, b) => compareStrings(a.path, b.path));
  if (missing.length === 0) {
    release();
    return { wait: () => sorted(found), settled: () => Promise.resolve(sorted(found)), cancel: () => {} };
  }
  // The scratch directory is made here, so that an interrupt of this process removes it.
  const scratch = mkdtempSync(join(tmpdir(), 'callgate-cdktf-'));
  const cleanup = untilDone(() => {
    rmSync(scratch, { recursive: true, force: true });
  });
  const thread = ready ?? spawn();
  ready = undefined;
  thread.port.postMessage({ missing, ...(cacheDir !== undefined ? { cacheDir } : {}), scratch });
  const finish = () => {
    thread.port.close();
    void thread.worker.terminate();
    rmSync(scratch, { recursive: true, force: true });
    cleanup();
  };
  // Stopped mid-synthesis, the thread may still be writing in its scratch directory: that goes
  // once the thread has ended, which the process stays alive for (it is referenced meanwhile).
  const stop = () => {
    thread.port.close();
    const gone = () => {
      rmSync(scratch, { recursive: true, force: true });
      cleanup();
    };
    if (thread.ended !== undefined) gone();
    else {
      thread.worker.ref();
      thread.worker.once('exit', gone);
      void thread.worker.terminate();
    }
  };
  return {
    wait() {
      try {
        Atomics.wait(thread.done, 0, 0);
        return sorted([...found, ...filesOf(asStacksMessage(receiveMessageOnPort(thread.port)?.message))]);
      } finally {
        finish();
      }
    },
    async settled() {
      try {
        return sorted([...found, ...(await settle(thread))]);
      } finally {
        finish();
      }
    },
    cancel: stop,
  };
}
