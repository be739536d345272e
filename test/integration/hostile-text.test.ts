/**
 * A drill whose every free-text field, variable and probe output carries terminal escapes, NUL,
 * BEL, CR, C1 controls and bidi overrides, run through the real CLI: no output file, no line of
 * stdout or stderr (JSON and pretty logs) holds one of them raw; each shows spelled out.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HIDDEN_CHARS } from '../../src/text/printable.js';
import { text as mdText } from '../../src/reporters/markdown/escape.js';
import { RUN_REPORTS } from '../../src/reporters/formats.js';
import { runCli, tempDir } from '../support/cli.js';
import { startHttpTarget, type HttpTarget } from '../support/http-target.js';

const out = tempDir('firedrill-hostile-');
afterAll(() => out.cleanup());
let target: HttpTarget | undefined;
afterEach(async () => {
  await target?.stop();
  target = undefined;
});

// YAML double-quoted escapes: \e ESC, \0 NUL, \a BEL, \r CR, \N NEL (C1), \x9b CSI (C1), \u202E RLO, \u2066 LRI
const H = String.raw`\e[5;41m\0\a\r\N\x9b\u202E\u2066`;

// the same without `[`: a regex field must stay a valid pattern
const H2 = String.raw`\e\0\a\r\N\x9b\u202E\u2066`;

function hostileDrill(pid: number, port: number, flag: string): string {
  return `apiVersion: firedrill/v1
name: "hostile ${H} drill"
description: "description ${H}"
hypothesis: "hypothesis ${H}"
owner: "owner ${H}"
premortem: ["premortem ${H}"]
environments: [test]
vars:
  MSG: "variable ${H.replace('\\0', '')}"
targets:
  server:
    process: { pid: ${pid} }
blastRadius: { target: server, maxDuration: 1m }
faults:
  - { type: process-pause, target: server, duration: 1s }
  - { id: noisy, type: command, target: server, duration: 1s, inject: ["sh", "-c", "touch '${flag}' && printf %s \\"$1\\"", "sh", "\${MSG}"], revert: ["rm", "-f", "${flag}"] }
probes:
  health:
    http: { url: "http://127.0.0.1:${port}/health", headers: { x-note: "header \\x85\\x9b" } }
    interval: 400ms
    timeout: 3s
  echo:
    command: { run: ["sh", "-c", "printf 'out \\\\033[5;41m \\\\342\\\\200\\\\256 \\\\302\\\\233 \\\\007\\\\r done'; test ! -e '${flag}'"], stdoutMatch: "out|never ${H2}", timeout: 3s }
    interval: 300ms
phases: { preflight: 800ms, baseline: 400ms, recovery: 1s }
expect:
  fault: [ { probe: echo, name: "expectation ${H}", successRate: ">= 99%" } ]
  recovery: [ { probe: echo, successRate: ">= 0%" } ]
killSwitch:
  - { probe: health, name: "kill ${H}", consecutiveFailures: 1000 }
`;
}

function rawHidden(text: string): string[] {
  return [...new Set(text.match(HIDDEN_CHARS) ?? [])].map((c) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

describe('user text with control characters', () => {
  it('is shown escaped in every report, the journal, the metrics and the terminal (run, plan, report)', async () => {
    target = await startHttpTarget();
    const file = join(out.dir, 'hostile.yaml');
    writeFileSync(file, hostileDrill(target.pid, target.port, join(out.dir, 'fault-flag')));

    const plan = await runCli(['plan', file, '--env', 'test']);
    expect(plan.exitCode, plan.stderr).toBe(0);
    // a problem message quotes the bad value: spelled out too
    const bad = join(out.dir, 'hostile-invalid.yaml');
    writeFileSync(bad, hostileDrill(target.pid, target.port, join(out.dir, 'fault-flag')).replace('stdoutMatch: "out|never', 'stdoutMatch: "(out|never'));
    const validate = await runCli(['validate', bad]);
    expect(validate.exitCode, validate.stderr).toBe(2);
    expect(validate.stdout).toContain('(out|never \\x1b\\0');

    const json = await runCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'json']);
    expect(json.exitCode, json.stderr).toBe(1);
    expect(json.stderr).not.toContain('ERR_INVALID_CHAR');
    const pretty = await runCli(['run', file, '--env', 'test', '--yes', '--report-dir', out.dir, '--log-format', 'pretty']);
    expect(pretty.exitCode, pretty.stderr).toBe(1);

    const journalPath = /journal: (.+journal\.json)/.exec(json.stderr)![1]!;
    const dir = join(journalPath, '..');
    const files = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    expect(Object.keys(files)).toEqual(expect.arrayContaining([...RUN_REPORTS.map((r) => r.file), 'journal.json', 'metrics.prom']));
    const reportJson = await runCli(['report', journalPath, '--format', 'json']);
    const reportMd = await runCli(['report', journalPath, '--format', 'md']);

    const outputs: Record<string, string> = {
      ...files,
      'plan stdout': plan.stdout,
      'plan stderr': plan.stderr,
      'validate stdout': validate.stdout,
      'validate stderr': validate.stderr,
      'run stdout (json log)': json.stdout,
      'run stderr (json log)': json.stderr,
      'run stdout (pretty log)': pretty.stdout,
      'run stderr (pretty log)': pretty.stderr,
      'report --format json': reportJson.stdout + reportJson.stderr,
      'report --format md': reportMd.stdout + reportMd.stderr,
    };
    // pino-pretty colours its own output: take its SGR sequences out before looking
    outputs['run stderr (pretty log)'] = outputs['run stderr (pretty log)']!.replace(new RegExp(String.raw`\x1b\[\d{1,2}m`, 'g'), '');
    for (const [name, text] of Object.entries(outputs)) expect(rawHidden(text), name).toEqual([]);

    // what was hidden is shown, spelled out (in Markdown source the backslash is escaped)
    const shown = 'hostile \\x1b[5;41m\\0\\x07\\r\\x85\\x9b\\u202e\\u2066 drill';
    for (const name of ['report.html', 'junit.xml']) expect(files[name], name).toContain(shown);
    expect(files['report.md']).toContain(mdText(shown));
    expect(files['report.md']).toContain(mdText('expectation \\x1b[5;41m'));
    expect(files['metrics.prom']).toContain('drill="hostile \\\\x1b[5;41m');
    expect(plan.stdout).toContain(shown);
    expect(pretty.stderr).toContain(shown);
    // the JSON log keeps the exact value as JSON escapes
    expect(json.stderr).toContain('hostile \\u001b[5;41m\\u0000\\u0007\\r\\u0085\\u009b\\u202e\\u2066 drill');
    // the JSON documents keep the exact value, escaped as JSON
    const journal = JSON.parse(files['journal.json']!) as { drill: { name: string } };
    expect(files['journal.json']).toContain(String.raw`out \u001b[5;41m \u202e \u009b \u0007`);
    expect(journal.drill.name).toBe('hostile \x1b[5;41m\0\x07\r\x85\x9b\u202e\u2066 drill');
    expect(JSON.parse(reportJson.stdout)).toBeTruthy();
    // JUnit stays valid XML 1.0 and keeps what the builder would have dropped
    expect(XMLValidator.validate(files['junit.xml']!)).toBe(true);
    expect(files['junit.xml']).not.toMatch(/&#x?0*(?:[0-8bcefBCEF]|1[0-9a-fA-F]);/);
  });
});
