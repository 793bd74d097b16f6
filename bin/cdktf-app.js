#!/usr/bin/env node
// The app of cdktf.json: `npx cdktf synth` and `npx cdktf deploy` run this.
import { runCdktfApp } from '../dist/cdktf/cdktf-app.js';
import { boundHeapGrowth } from '../dist/cli/heap.js';

boundHeapGrowth();

process.exitCode = await runCdktfApp(process.cwd(), process.env);
