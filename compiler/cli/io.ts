/** What a command may touch of the outside world; tests pass their own. */
export interface CliIO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdoutIsTTY: boolean;
  /** A terminal shows progress lines; a file or a pipe gets none. */
  stderrIsTTY?: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

export class UsageError extends Error {}

export function wantsColor(io: CliIO): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.stdoutIsTTY;
}
