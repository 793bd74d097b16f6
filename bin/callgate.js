#!/usr/bin/env node
import { main } from '../dist/cli/main.js';
import { boundHeapGrowth } from '../dist/cli/heap.js';

boundHeapGrowth();

// A reader that went away (`callgate check | head`) is not callgate's failure: stop quietly, as
// git and coreutils do on SIGPIPE (exit 141), instead of printing Node's unhandled EPIPE stack.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
});
