import { check } from './check.js';
import { compile } from './compile.js';
import { diff } from './diff.js';
import { explainCommand } from './explain.js';
import { graph } from './graph.js';
import { importCommand } from './import.js';
import { observeCommand } from './observe.js';
import { init } from './init.js';
import type { CliIO } from './io.js';

export interface Command {
  name: string;
  summary: string;
  help: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** Every command, once; the top-level help derives from this list. */
export const commands = [
  init,
  check,
  compile,
  diff,
  explainCommand,
  graph,
  importCommand,
  observeCommand,
] as const satisfies readonly Command[];
