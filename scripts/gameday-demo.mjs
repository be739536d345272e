#!/usr/bin/env node
// `npm run gameday-demo`: the example game day (examples/gameday/plan.yaml) against the example
// shop. It starts the shop on free loopback ports, runs the day, plays the participants (during
// the manual step it freezes the backend by hand for 2 s and writes notes from "another
// terminal"), stops the shop and says where the day report is. Exit: the day's exit code, except
// that a day whose steps merely missed their hypotheses (1) is a successful demo (0).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cli, root } from './built-cli.mjs';

const reportDir = process.env.GAMEDAY_DEMO_REPORT_DIR ?? join(root, 'reports');
const children = [];
const killAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && (c.kill('SIGCONT'), c.kill('SIGTERM')));
process.on('exit', killAll);

function startNode(script, env) {
  const child = spawn(process.execPath, [join(root, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 10 s`)), 10_000);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], port: Number(m[2]) });
      }
    });
  });
}

const fd = (...args) => spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let code = 70;
try {
  const backend = await startNode('examples/shop/backend.js', { BACKEND_PORT: '0' });
  const api = await startNode('examples/shop/api.js', { API_PORT: '0', BACKEND_URL: backend.url, BACKEND_TIMEOUT_MS: '300' });
  console.log(`firedrill game-day demo: the shop runs at ${api.url} (backend pid ${backend.child.pid}).\n`);
  const day = spawn(process.execPath, [cli, 'gameday', join(root, 'examples/gameday/plan.yaml'), '--yes', '--report-dir', reportDir, '--var', `API_URL=${api.url}`, '--var', `BACKEND_PORT=${backend.port}`], { stdio: ['ignore', 'inherit', 'pipe'], env: process.env });
  children.push(day);
  createInterface({ input: day.stderr }).on('line', (line) => {
    process.stderr.write(`${line}\n`);
    if (line.startsWith('>>> MANUAL:')) {
      void (async () => {
        fd('note', '--author', 'Sam', 'freezing the backend by hand now');
        process.kill(backend.child.pid, 'SIGSTOP');
        try {
          await sleep(2000);
        } finally {
          process.kill(backend.child.pid, 'SIGCONT');
        }
        fd('note', '--author', 'Alex', 'backend resumed; the product list stayed up from the cache');
        await sleep(500);
        fd('mark', 'done');
      })();
    } else if (line.startsWith('>>> step') && line.includes('/continue')) {
      fd('mark', 'continue');
    }
  });
  code = await new Promise((resolve) => day.once('exit', (c) => resolve(c ?? 70)));
} catch (e) {
  console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  killAll();
}
console.log(`\nThe day report is in ${join(reportDir, 'gamedays', 'shop-gameday')}/<day-id>/day.md (and day.html).`);
process.exit(code === 1 ? 0 : code);
