#!/usr/bin/env node
/**
 * The `firedrill` command: the bin of the package. `npm run build` bundles it into dist/cli/main.js
 * (scripts/build-cli.mjs). It turns on Node's cache of compiled code before the program loads, so
 * from the second start on Node >= 22.1 skips compiling it (Node 20 has no such cache).
 */
import { enableCompileCache } from './compile-cache.js';

enableCompileCache();
const { main } = await import('./program.js');
await main(process.argv);
