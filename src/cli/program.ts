/**
 * The `firedrill` program (started by main.ts). Commands are imported lazily so `--help` and
 * `validate` start fast. This file holds the one top-level catch that turns typed errors into
 * messages and exit codes.
 */
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { addSshOptions } from './ssh-options.js';
import { FORMAT_NAMES } from '../reporters/formats.js';
import { toolVersion } from '../tool-version.js';
import { exitCodeFor, ExitCode, EXIT_CODES_HELP } from './exit-codes.js';
import { unknownCommandMessage } from './unknown-command.js';
import { printOut, printErr, jsonText } from './terminal.js';
import { sizeHeapForLongRun } from './runner-heap.js';

function collectVar(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected NAME=value, got "${value}"`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

const logFormat = () => new Option('--log-format <format>', 'log format (default: pretty on a terminal, json otherwise)').choices(['pretty', 'json']);

/** `--var` collects into an object; its empty default is not worth a line of help. */
const varOption = () => new Option('--var <name=value>', 'set a variable (repeatable; ps shows it: use --var-file or the environment for secrets)').argParser(collectVar);
/** Variables that never touch argv: the way to pass secrets. */
const varFileOption = () => new Option('--var-file <file>', 'NAME=value lines from a file only you can read (mode 0600): the way to pass secrets');

export function buildProgram(): Command {
  const program = new Command('firedrill')
    .description('Chaos drills that are safe, always revert, and end in an honest After-Action Review')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .exitOverride()
    // `--var` starts empty; a default in the options would show as noise in every command's help
    .hook('preAction', (_program, command) => {
      if (command.options.some((o) => o.attributeName() === 'var') && command.getOptionValue('var') === undefined) command.setOptionValue('var', {});
    });

  program
    .command('validate')
    .description('check drill files: schema and semantic rules; every problem as file:line:col')
    .argument('<files...>', 'drill files')
    .addOption(varOption())
    .addOption(varFileOption())
    .option('--json', 'print problems as JSON')
    .action(async (files: string[], opts) => {
      const { validateCommand } = await import('./commands/validate.js');
      process.exitCode = await validateCommand(files, opts);
    });

  addSshOptions(program
    .command('plan'))
    .description('resolve targets now and show exactly what a run would hit; injects nothing')
    .argument('<file>', 'drill file')
    .addOption(varOption())
    .addOption(varFileOption())
    .option('--env <name>', 'environment (or FIREDRILL_ENV)')
    .option('--seed <n>', 'seed for random target selection', parseSeed)
    .action(async (file: string, opts) => {
      const { planCommand } = await import('./commands/plan.js');
      process.exitCode = await planCommand(file, opts);
    });

  addSshOptions(program
    .command('run'))
    .description('run a drill: preflight, baseline, inject, watch, revert, recover, report')
    .argument('<file>', 'drill file')
    .option('--env <name>', 'environment this runs in (or FIREDRILL_ENV); must be listed by the drill')
    .addOption(varOption())
    .addOption(varFileOption())
    .option('--report-dir <dir>', 'report directory: each run goes to <dir>/<drill>/<run>/', 'reports')
    .option('--seed <n>', 'seed for random target selection (recorded in the journal)', parseSeed)
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--allow-production', 'allow a production environment (a name with a prod/prd/production/live token, or one the drill lists; also needs a typed confirmation)')
    .option('--confirm-production <env>', 'the typed confirmation for production without a terminal: the environment name')
    .option('--stop-file <path>', 'extra stop file: the drill reverts and stops when it appears')
    .option('--no-progress', 'no live progress display')
    .option('--near-miss <share>', 'flag expectations that held within this share of their limit', parseShare, 0.1)
    .option('--control-port <port>', 'serve POST /abort and GET /status on 127.0.0.1 with a random token (0 = any free port)', parsePort)
    .option('--metrics-port <port>', "serve the runner's own metrics at http://127.0.0.1:<port>/metrics while the drill runs (0 = any free port)", parsePort)
    .option('--pushgateway <url>', "push the run's result (verdict, durations, expectations) to this Prometheus Pushgateway when it ends", parseHttpUrl)
    .option('--rehearse', 'inject nothing: preflight, steady state and every probe over the planned timeline; report what the kill switch and expectations would have decided')
    .addOption(logFormat())
    .action(async (file: string, opts) => {
      // before the runner's code loads: V8 grows the young generation while it does, and keeps it grown
      sizeHeapForLongRun();
      const { runCommand } = await import('./commands/run.js');
      process.exitCode = await runCommand(file, opts);
    });

  program
    .command('gameday')
    .description('run a game day: a facilitated sequence of drills, manual steps and holds, with one day report')
    .argument('[plan]', 'game-day plan (YAML); optional with --resume')
    .option('--env <name>', "environment (default: the plan's environment, or FIREDRILL_ENV)")
    .option('--var <name=value>', 'set a variable for the plan and every drill (repeatable)', collectVar, {})
    .option('--report-dir <dir>', 'the day goes to <dir>/gamedays/<plan>/<day-id>/', 'reports')
    .option('-y, --yes', 'start without confirmation (required without a terminal)')
    .option('--allow-production', 'allow an environment named prod/production/live (also needs the typed confirmation)')
    .option('--confirm-production <env>', 'the typed confirmation for production without a terminal: the environment name')
    .option('--rehearse', 'inject nothing: every drill runs preflight, steady state and its probes over the planned timeline; report what the kill switches and expectations would have decided')
    .option('--resume <day-id>', 'run the rest of a stopped day (the report covers both parts)')
    .option('--control-port <port>', 'port of the day\'s control endpoint on 127.0.0.1 (default: any free port)', parsePort)
    .option('--near-miss <share>', 'flag expectations that held within this share of their limit', parseShare, 0.1)
    .option('--validate', 'only check the plan and every drill it names (exit 0 or 2)')
    .option('--no-progress', 'no live facilitator screen, plain lines')
    .action(async (plan: string | undefined, opts) => {
      const { gamedayCommand } = await import('./commands/gameday.js');
      process.exitCode = await gamedayCommand(plan, opts);
    });

  program
    .command('note')
    .description("add an observer's note to the running game day's timeline (and the current step's)")
    .argument('<text...>', 'the note')
    .option('--author <name>', 'who wrote it (default: $USER)')
    .option('--day <day-id>', 'which day, when several run')
    .action(async (text: string[], opts) => {
      const { noteCommand } = await import('./commands/note.js');
      process.exitCode = await noteCommand(text.join(' '), opts);
    });

  program
    .command('mark')
    .description("the facilitator's commands to a running game day from another terminal: done, go, continue, stop, skip, abort")
    .addArgument(new Argument('<command>', 'what to tell the day').choices(['done', 'go', 'continue', 'stop', 'skip', 'abort']))
    .option('--day <day-id>', 'which day, when several run')
    .action(async (command: string, opts) => {
      const { markCommand } = await import('./commands/note.js');
      process.exitCode = await markCommand(command, opts);
    });

  program
    .command('report')
    .description('render a report from a journal (with the team\'s notes and earlier runs of the drill, when there are any)')
    .argument('<journal>', 'journal.json of a run, or its folder')
    .addOption(new Option('--format <format>', 'report format').choices(FORMAT_NAMES).default('md'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--notes <file>', 'merge the team\'s findings (Markdown; default: notes.md next to the journal)')
    .action(async (journal: string, opts) => {
      const { reportCommand } = await import('./commands/report.js');
      process.exitCode = await reportCommand(journal, opts);
    });

  program
    .command('recover')
    .description('undo what crashed or killed runs left behind (from their fault ledgers)')
    .option('--dry-run', 'show what would be undone, change nothing')
    .option('--json', 'print the result as JSON')
    .action(async (opts) => {
      const { recoverCommand } = await import('./commands/recover.js');
      process.exitCode = await recoverCommand(opts);
    });

  program
    .command('abort')
    .description('emergency stop: make a running drill (or --all) revert now')
    .argument('[run-id]', 'the run to stop (optional when only one runs)')
    .option('--all', 'every drill running on this machine')
    .option('--hold', 'also keep new drills from starting until --release')
    .option('--release', 'lift a held emergency stop')
    .action(async (runId: string | undefined, opts) => {
      const { abortCommand } = await import('./commands/abort.js');
      process.exitCode = await abortCommand(runId, opts);
    });

  program
    .command('history')
    .description('past runs of each drill in a report directory: verdict, time to recover, kill switch, near misses')
    .argument('[dir]', 'report directory', 'reports')
    .option('--drill <name>', 'only this drill')
    .option('--limit <n>', 'the newest n runs of each drill', parseCount)
    .option('--near-miss <share>', 'flag expectations that held within this share of their limit', parseShare, 0.1)
    .option('--json', 'print JSON')
    .action(async (dir: string, opts) => {
      const { historyCommand } = await import('./commands/history.js');
      process.exitCode = await historyCommand(dir, opts);
    });

  program
    .command('compare')
    .description('compare two runs expectation by expectation; exit 1 on a regression beyond the tolerance')
    .argument('<a>', 'the earlier run: journal.json, its folder, or a drill\'s latest')
    .argument('<b>', 'the later run')
    .option('--tolerance <share>', 'how much worse a value may get before it is a regression', parseShare, 0.1)
    .option('--near-miss <share>', 'flag expectations that held within this share of their limit', parseShare, 0.1)
    .option('--json', 'print JSON')
    .action(async (a: string, b: string, opts) => {
      const { compareCommand } = await import('./commands/compare.js');
      process.exitCode = await compareCommand(a, b, opts);
    });

  program
    .command('init')
    .description('write a first drill (asks on a terminal; or say what to break with the flags below)')
    .option('--from-process <pid|name>', 'break this process: a pid, or part of the command line of a listening process')
    .option('--from-container <name>', 'break this container (a name, or a compose service)')
    .option('--url <url>', 'watch this URL; alone, break what serves it (a local process, else a fault proxy in front of it)')
    .option('--fault <type>', 'the fault (default: the gentlest one for the target: process-pause, container-pause, proxy)')
    .option('--toxic <toxic>', 'proxy faults: latency (default), timeout, reset-peer, http-abort, bandwidth')
    .option('--duration <duration>', 'how long the fault lasts (default: 10s)')
    .option('--name <name>', 'the drill name (default: from the target and the fault)')
    .option('--env <name>', 'the environment the drill may run in', 'dev')
    .option('-o, --output <file>', 'where to write it (default: <name>.yaml; - for stdout)')
    .option('--force', 'overwrite an existing file')
    .option('--no-input', 'never ask, even on a terminal')
    .action(async (opts) => {
      const { initCommand } = await import('./commands/init.js');
      process.exitCode = await initCommand(opts);
    });

  program
    .command('discover')
    .description('list what this machine offers as targets: listening processes, containers, compose services, with the selector to paste')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const { discoverCommand } = await import('./commands/discover.js');
      process.exitCode = await discoverCommand(opts);
    });

  program
    .command('schema')
    .description('print the drill JSON Schema (--gameday: the game-day plan\'s)')
    .option('--gameday', 'the game-day plan schema')
    .action(async (opts: { gameday?: boolean }) => {
      const schema = opts.gameday ? (await import('../gameday/plan-schema.js')).planJsonSchema() : (await import('../drill/schema.js')).drillJsonSchema();
      printOut(jsonText(schema));
    });

  return program;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) throw new InvalidArgumentError('expected a whole number from 0 to 4294967295');
  return n;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}

function parseHttpUrl(value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new InvalidArgumentError('expected an http:// or https:// URL');
  return value;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function parseShare(value: string): number {
  const n = value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : Number(value);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError('expected a share like 0.1 or 10%');
  return n;
}

/** Runs the command line `argv`; sets `process.exitCode`, never throws. */
export async function main(argv: string[]): Promise<void> {
  try {
    const program = buildProgram();
    // commander would print the top-level help for `firedrill initt --help` and exit 0
    const unknown = unknownCommandMessage(program, argv.slice(2));
    if (unknown) {
      printErr(`${unknown}\n`);
      process.exitCode = ExitCode.invalid;
      return;
    }
    await program.parseAsync(argv);
  } catch (e) {
    const { isFiredrillError, errorMessage } = await import('../errors.js');
    if (e instanceof CommanderError) {
      // help and version exit 0; usage errors were already printed by commander
      process.exitCode = e.exitCode === 0 ? 0 : ExitCode.invalid;
      return;
    }
    if (isFiredrillError(e)) {
      printErr(`firedrill: ${e.message} [${e.code}]\n`);
      process.exitCode = exitCodeFor(e.code);
      return;
    }
    printErr(`firedrill: internal error: ${errorMessage(e)}\n`);
    if (process.env.FIREDRILL_DEBUG && e instanceof Error) printErr(`${e.stack ?? ''}\n`);
    process.exitCode = ExitCode.internal;
  }
}
