/** `firedrill plan <file>`: resolves targets now and shows what a run would hit; injects nothing. */
import { randomInt } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { checkEnvironment } from '../../runner/environment-guard.js';
import { resolveTargets } from '../../runner/prepare-targets.js';
import { ExitCode } from '../exit-codes.js';
import { loadForCommand } from '../load-or-print.js';
import { renderPlan } from '../plan-text.js';
import { sshSettings, type SshFlags } from '../ssh-options.js';
import { Fleet } from '../../fleet/fleet.js';
import { remoteHostsOf } from '../../targets/registry.js';
import { silentLogger } from '../../observability/logger.js';
import { printOut } from '../terminal.js';

export interface PlanOptions extends SshFlags {
  var: Record<string, string>;
  varFile?: string;
  env?: string;
  seed?: number;
}

export async function planCommand(file: string, options: PlanOptions): Promise<number> {
  const loaded = await loadForCommand(file, options.var, options.varFile);
  if (!loaded) return ExitCode.invalid;
  const environment = options.env ?? process.env.FIREDRILL_ENV;
  if (environment !== undefined) checkEnvironment(loaded.drill, environment, { allowProduction: true });
  const seed = options.seed ?? randomInt(2 ** 31);
  const baseDir = dirname(resolve(file));
  const signal = AbortSignal.timeout(30_000);
  // hosts: targets are resolved on the hosts themselves, over the same verified SSH connections a run uses
  const remote = remoteHostsOf(loaded.drill.targets, baseDir);
  const fleet = remote.length ? new Fleet({ ...sshSettings(options), runId: 'plan', deadlineMs: 0, logger: silentLogger() }) : undefined;
  try {
    for (const r of remote) fleet?.add(r.hosts, r.leaseMs);
    await fleet?.connectAll(signal);
    const targets = await resolveTargets(loaded.drill, undefined, { seed, signal, baseDir, ...(fleet ? { fleet } : {}) });
    printOut(`${loaded.redactor.redact(renderPlan({ drill: loaded.redactedDrill, targets: targets.records, environment, seed }))}\n`);
    if (fleet) printOut(`\n${exemptionNote(fleet)}\n`);
  } finally {
    await fleet?.close();
  }
  printOut('\nNothing was injected (plan only).\n');
  return ExitCode.ok;
}

/** What network faults on the hosts leave alone: the runner's own SSH connection, as each host sees it. */
function exemptionNote(fleet: Fleet): string {
  const lines = fleet.hostNames.map((name) => {
    const seen = fleet.connection(name).seenAs;
    return seen ? `  ${name}: ${seen.clientAddress}:${seen.clientPort} -> ${seen.serverAddress}:${seen.serverPort} (tcp)` : `  ${name}: unknown (SSH_CONNECTION not set on the host)`;
  });
  return ['Remote hosts: network faults never cut the runner\'s own SSH connection; exempt on each host:', ...lines].join('\n');
}
