#!/usr/bin/env node
// `npm run demo`: runs the shop-backend-pause drill against the bundled example shop and says
// where the After-Action Review is. Exits 0 for any verdict a drill can honestly have; only a
// revert that did not complete (5) or an internal error (70) is passed on, because those mean
// something may still be broken and must never be hidden.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli, root } from './built-cli.mjs';

const out = join(root, 'reports');
const drill = join(root, 'drills', 'shop-backend-pause.yaml');
console.log('firedrill demo: the example shop (api → backend) is started on free loopback ports,');
console.log('its backend is frozen (SIGSTOP) for 6 s, and the api is watched the whole time.\n');
const result = spawnSync(process.execPath, [cli, 'run', drill, '--env', 'staging', '--yes', '--report-dir', out], { stdio: 'inherit', cwd: root });
const code = result.status ?? 70;
// every run lands in reports/<drill>/<run-id>/, with reports/<drill>/latest pointing at the newest
const latest = join('reports', 'shop-backend-pause', 'latest');
const meaning = { 0: 'the hypothesis held', 1: 'the hypothesis was violated (faults reverted)', 2: 'the drill is invalid', 3: 'aborted by the kill switch (faults reverted)', 4: 'preflight refused; nothing was injected', 5: 'REVERT INCOMPLETE: something may still be broken', 70: 'internal error' };
console.log(`\nDemo finished: ${meaning[code] ?? `exit ${code}`}.`);
if (existsSync(join(root, latest, 'report.md'))) {
  console.log(`Read the After-Action Review: ${join(latest, 'report.md')} (or ${join(latest, 'report.html')} in a browser)`);
  console.log(`Re-render it any time:        npx firedrill report ${latest} --format md`);
}
console.log('Other drills: npx firedrill plan drills/shop-backend-kill.yaml, npx firedrill run drills/shop-checkout-stall.yaml --env staging');
process.exit(code === 5 || code === 70 ? code : 0);
