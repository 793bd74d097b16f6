// Work that must be undone if the process is interrupted (SIGINT, SIGTERM): a scratch directory,
// a half-swapped output directory. Cleanups run synchronously, newest first, then the signal is
// raised again with the default behaviour, so the exit status still says what stopped the process.

type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
const signals = ['SIGINT', 'SIGTERM'] as const;

function onSignal(signal: (typeof signals)[number]): void {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // Best effort: one failed cleanup must not keep the others from running.
    }
  }
  cleanups.clear();
  for (const s of signals) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

/** Run `cleanup` if the process is interrupted before the returned function is called. */
export function untilDone(cleanup: Cleanup): () => void {
  if (cleanups.size === 0) for (const s of signals) process.on(s, onSignal);
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) for (const s of signals) process.removeListener(s, onSignal);
  };
}
