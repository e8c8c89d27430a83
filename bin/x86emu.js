#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, without a build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../emulator/cli/main.ts');
const status = await main(process.argv.slice(2));
process.exitCode = status;
