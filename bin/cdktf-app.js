#!/usr/bin/env node
// The app of cdktf.json: `npx cdktf synth` and `npx cdktf deploy` run this.
import { runCdktfApp } from '../dist/cdktf/cdktf-app.js';

process.exitCode = await runCdktfApp(process.cwd(), process.env);
