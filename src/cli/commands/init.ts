/**
 * `firedrill init`: writes a first drill that validates. On a terminal it asks; otherwise (or with
 * --no-input) flags say what to break and how to watch it, and what is missing is an error.
 */
import { writeFile } from 'node:fs/promises';
import { parseDurationMs } from '../../drill/duration.js';
import { validateDrillText } from '../../drill/load.js';
import { FiredrillError, formatProblem } from '../../errors.js';
import { terminalAsker, type Asker } from '../../init/ask.js';
import { fromContainer, fromProcess, fromUrl, type Prefill } from '../../init/prefill.js';
import { renderDrill } from '../../init/render.js';
import { schemaRefFor } from '../../init/schema-ref.js';
import { FAULTS_FOR, TOXICS, type InitProbe, type InitSpec } from '../../init/spec.js';
import { suggest } from '../../text/did-you-mean.js';
import { ExitCode } from '../exit-codes.js';
import { printOut, printErr } from '../terminal.js';

export interface InitOptions {
  fromProcess?: string;
  fromContainer?: string;
  url?: string;
  fault?: string;
  toxic?: string;
  duration?: string;
  name?: string;
  env: string;
  output?: string;
  force?: boolean;
  /** false with --no-input: never ask, even on a terminal */
  input: boolean;
}

function usage(message: string): FiredrillError {
  return new FiredrillError('FD_USAGE', message);
}

function parseUrl(text: string): URL {
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) throw usage(`--url ${JSON.stringify(text)} is not an http:// or https:// URL`);
  return new URL(text);
}

function checkDuration(text: string): string | undefined {
  const ms = parseDurationMs(text);
  return ms === undefined || ms <= 0 ? `"${text}" is not a duration; write it like 10s, 30s or 1m` : undefined;
}

function checkChoice(what: string, value: string, choices: readonly string[]): string | undefined {
  if (choices.includes(value)) return undefined;
  const near = suggest(value, choices);
  return `${what} "${value}" is not offered here${near ? `; did you mean ${near}?` : ''} (choose one of ${choices.join(', ')})`;
}

async function pickTarget(options: InitOptions, asker: Asker | undefined): Promise<Prefill> {
  if (options.fromProcess) return await fromProcess(options.fromProcess);
  if (options.fromContainer) return await fromContainer(options.fromContainer);
  if (options.url) return await fromUrl(parseUrl(options.url));
  if (!asker) {
    throw usage('say what to break: --from-process <pid|name>, --from-container <name> or --url <url> (`firedrill discover` lists what this machine offers), or run `firedrill init` on a terminal to be asked');
  }
  const { listeningProcesses, portsOf } = await import('../../discover/listening-processes.js');
  const { discoverContainers } = await import('../../discover/containers.js');
  const [processes, containers] = await Promise.all([listeningProcesses(), discoverContainers()]);
  const choices = [
    ...processes.map((p) => `process ${p.pid}: ${p.cmdline.slice(0, 50)} (port ${portsOf(p).join(', ')})`),
    ...containers.containers.map((c) => `container ${c.name} (${c.image})`),
  ];
  printErr('What should the drill break? This machine offers:\n');
  choices.forEach((c, i) => printErr(`  ${i + 1}) ${c}\n`));
  const answer = await asker.ask('A number, or a URL of a service that runs elsewhere', choices.length > 0 ? '1' : '', (a) =>
    (/^\d+$/.test(a) && Number(a) >= 1 && Number(a) <= choices.length) || /^https?:\/\//.test(a) ? undefined : `answer a number from 1 to ${choices.length}, or an http:// URL`,
  );
  if (/^https?:\/\//.test(answer)) return await fromUrl(parseUrl(answer));
  const index = Number(answer) - 1;
  const p = processes[index];
  if (p) return await fromProcess(String(p.pid));
  return await fromContainer((containers.containers[index - processes.length] as { name: string }).name);
}

async function pickProbe(options: InitOptions, prefill: Prefill, asker: Asker | undefined): Promise<InitProbe> {
  if (options.url && prefill.target.kind !== 'proxy') return { kind: 'http', url: parseUrl(options.url).href };
  if (prefill.probe?.kind === 'http') return prefill.probe;
  if (asker) {
    const fallback = prefill.probe ? `tcp ${prefill.probe.host}:${prefill.probe.port}` : '';
    const answer = await asker.ask('Which URL shows the service is healthy? (Enter for a TCP check)', fallback, (a) =>
      a.startsWith('tcp ') || /^https?:\/\//.test(a) ? undefined : 'answer an http:// URL',
    );
    if (!answer.startsWith('tcp ')) return { kind: 'http', url: parseUrl(answer).href };
  }
  if (prefill.probe) return prefill.probe;
  throw usage('nothing to watch: this target publishes no TCP port; pass --url <url> of a page that shows it is healthy');
}

export async function initCommand(options: InitOptions): Promise<number> {
  const interactive = options.input && Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const asker = interactive ? terminalAsker() : undefined;
  try {
    const prefill = await pickTarget(options, asker);
    const probe = await pickProbe(options, prefill, asker);
    const offered = FAULTS_FOR[prefill.target.kind];
    const faultType = options.fault ?? (asker && offered.length > 1 ? await asker.choose('Which fault?', offered, offered[0] as string) : (offered[0] as string));
    const badFault = checkChoice('fault', faultType, offered);
    if (badFault) throw usage(`${badFault}; a ${prefill.target.kind} target takes these`);
    const toxic = faultType === 'proxy' ? (options.toxic ?? (asker ? await asker.choose('Which toxic?', TOXICS, 'latency') : 'latency')) : undefined;
    if (toxic !== undefined) {
      const badToxic = checkChoice('toxic', toxic, TOXICS);
      if (badToxic) throw usage(badToxic);
    }
    const duration = options.duration ?? (asker ? await asker.ask('How long should the fault last?', '10s', checkDuration) : '10s');
    const badDuration = checkDuration(duration);
    if (badDuration) throw usage(`--duration: ${badDuration}`);
    const suggested = `${prefill.suggestedName}-${(toxic ?? faultType).replace(/^(process|container)-/, '')}`;
    const name = options.name ?? (asker ? await asker.ask('Drill name', suggested) : suggested);
    if (!/^[A-Za-z0-9][\w.-]{0,62}$/.test(name)) throw usage(`name "${name}": use letters, digits, "-", "_" and "." (at most 63 characters)`);
    const file = options.output ?? `${name}.yaml`;

    const spec: InitSpec = { name, target: prefill.target, faultType, ...(toxic ? { toxic } : {}), duration, probe, environments: [options.env], schemaRef: schemaRefFor(file === '-' ? 'drill.yaml' : file) };
    const text = renderDrill(spec, { today: new Date().toISOString().slice(0, 10), file: file === '-' ? `${name}.yaml` : file });
    // init never hands out a drill that does not validate
    const check = await validateDrillText(file, text);
    const errors = check.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new FiredrillError('FD_INTERNAL', `init wrote a drill that does not validate:\n${errors.map(formatProblem).join('\n')}`);

    if (file === '-') {
      printOut(text);
      return ExitCode.ok;
    }
    try {
      await writeFile(file, text, { flag: options.force ? 'w' : 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw usage(`${file} exists; pass --force to overwrite it, or -o <file> to write elsewhere`);
      throw e;
    }
    printErr(
      `wrote ${file}: ${faultType}${toxic ? ` (${toxic})` : ''} on ${prefill.target.about}, watched by ${probe.kind === 'http' ? probe.url : `tcp ${probe.host}:${probe.port}`}\n` +
        `next: firedrill validate ${file} && firedrill plan ${file} --env ${options.env} && firedrill run ${file} --env ${options.env}\n`,
    );
    return ExitCode.ok;
  } finally {
    asker?.close();
  }
}
