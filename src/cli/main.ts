#!/usr/bin/env node
/**
 * The `firedrill` command: the bin of the package. `npm run build` bundles it into dist/cli/main.js
 * and chunks next to it that the commands load lazily (scripts/build-cli.mjs).
 *
 * Node's compile cache (`module.enableCompileCache`, Node >= 22.1) was tried here and left out:
 * on Node 24 `validate` started no faster with it (its cache holds only the code compiled before
 * a module runs, not the functions a start then compiles lazily), and it would write files into
 * the user's home on every start.
 */
import { main } from './program.js';

await main(process.argv);
