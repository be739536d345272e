/**
 * A new user's first minutes: `discover` finds a local `python3 -m http.server`, `init` writes a
 * drill for it without asking (no terminal), and that drill validates and runs on the first try.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { missing } from '../support/components.js';
import { closedPort } from '../support/loopback-server.js';

const skip = missing({ commands: ['python3'] });

describe.skipIf(skip)('init and discover for a local python3 -m http.server', () => {
  const work = tempDir('firedrill-init-');
  let server: ResultPromise | undefined;
  let port = 0;
  let url = '';

  beforeAll(async () => {
    port = await closedPort();
    url = `http://127.0.0.1:${port}/`;
    // the temp dir in the command line makes this server ours alone among other suites' servers
    server = execa('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', work.dir], { reject: false, stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await fetch(url).then((r) => r.ok, () => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`python3 -m http.server did not answer on ${url}`);
  }, 20_000);

  afterAll(async () => {
    if (server?.pid) {
      // never leave it stopped, whatever happened
      try {
        process.kill(server.pid, 'SIGCONT');
      } catch {
        // already gone
      }
      server.kill('SIGKILL');
      await server;
    }
    work.cleanup();
  });

  it('discover lists the server with the selector to paste', async () => {
    const r = await runCli(['discover', '--json']);
    expect(r.exitCode).toBe(0);
    const found = JSON.parse(r.stdout) as { processes: Array<{ pid: number; listens: Array<{ address: string; port: number }>; selector: string }> };
    const ours = found.processes.find((p) => p.pid === server?.pid);
    expect(ours?.listens).toEqual([{ address: '127.0.0.1', port }]);
    expect(ours?.selector).toBe(`process: { port: ${port} }`);
    const text = await runCli(['discover']);
    expect(text.stdout).toMatch(new RegExp(`${server?.pid}\\s+127\\.0\\.0\\.1:${port}\\s+python3 -m http\\.server ${port}.*process: \\{ port: ${port} \\}`));
  });

  it('init writes a drill that validates and runs on the first try', async () => {
    const file = join(work.dir, 'first.yaml');
    const init = await runCli(['init', '--from-process', work.dir, '--url', url, '--duration', '2s', '-o', file]);
    expect(init.stderr).toContain(`wrote ${file}: process-pause on the process listening on port ${port}`);
    expect(init.exitCode).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\/.*\/schema\/drill\.schema\.json$/);
    expect(text).toContain(`process: { port: ${port} }`);

    const validate = await runCli(['validate', file]);
    expect(validate.stderr).toContain('1 drill checked: 0 errors, 0 warnings');
    expect(validate.exitCode).toBe(0);

    const run = await runCli(['run', file, '--env', 'dev', '--yes', '--report-dir', join(work.dir, 'reports'), '--log-format', 'json'], { timeoutMs: 90_000 });
    expect(run.stderr).toContain('PASSED (exit 0)');
    expect(run.exitCode).toBe(0);
    const journal = JSON.parse(await readFile(join(work.dir, 'reports', 'python3-' + port + '-pause', 'latest', 'journal.json'), 'utf8')) as { outcome: { verdict: string } };
    expect(journal.outcome.verdict).toBe('passed');
    // resumed: the server answers again
    expect((await fetch(url)).ok).toBe(true);
  }, 120_000);

  it('init puts a fault proxy in front of a URL nothing local serves, and the drill validates', async () => {
    const elsewhere = await closedPort();
    const file = join(work.dir, 'proxied.yaml');
    const init = await runCli(['init', '--url', `http://127.0.0.1:${elsewhere}/health`, '--toxic', 'timeout', '-o', file]);
    expect(init.exitCode).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`proxy: { listen: "127.0.0.1:\${port:proxy}", upstream: "127.0.0.1:${elsewhere}" }`);
    expect(text).toContain('toxic: timeout');
    expect(text).toContain('url: "http://127.0.0.1:${port:proxy}/health"');
    const validate = await runCli(['validate', file]);
    expect(validate.stderr).toContain('0 errors, 0 warnings');
  });

  it('init without a terminal says what to pass, and never overwrites a file', async () => {
    const none = await runCli(['init']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('say what to break: --from-process <pid|name>, --from-container <name> or --url <url>');
    const file = join(work.dir, 'first.yaml');
    const again = await runCli(['init', '--from-process', String(server?.pid), '-o', file]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(`${file} exists; pass --force to overwrite it`);
    const typo = await runCli(['init', '--from-process', String(server?.pid), '--fault', 'proces-pause', '-o', '-']);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain('fault "proces-pause" is not offered here; did you mean process-pause?');
  });
});

describe('unknown commands', () => {
  it('are an error with exit 2 and a did-you-mean, also with --help after them', async () => {
    const r = await runCli(['initt', '--help']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown command "initt"; did you mean "init"?');
    expect(r.stdout).toBe('');
  });

  it('--help lists the exit codes the README documents', async () => {
    const help = await runCli(['--help']);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const codes = [...readme.matchAll(/^\| (\d+) \|/gm)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThanOrEqual(7);
    for (const code of codes) expect(help.stdout).toMatch(new RegExp(`^ {2}${code} +\\S`, 'm'));
  });

  it('run --help shows each default once and has no --out alias', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.stdout).not.toContain('--out');
    expect(help.stdout.match(/default/g)?.length).toBe((help.stdout.match(/\(default: /g) ?? []).length);
    const r = await runCli(['run', 'drills/shop-backend-pause.yaml', '--out', 'x']);
    expect(r.exitCode).toBe(2);
  });
});
