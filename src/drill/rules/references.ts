/** Rules about names: every target and probe a drill refers to must be declared. */
import { didYouMean } from '../../text/did-you-mean.js';
import { errorMessage } from '../../errors.js';
import { remoteHostsOf } from '../../targets/target-kinds.js';
import type { DrillRule, RuleProblem } from './contract.js';

export const unknownTarget: DrillRule = {
  code: 'unknown-target',
  check(drill) {
    const declared = Object.keys(drill.targets);
    const problems: RuleProblem[] = [];
    drill.blastRadius.target.forEach((t, i) => {
      if (!drill.targets[t]) {
        problems.push({
          path: ['blastRadius', 'target', ...(drill.blastRadius.target.length > 1 ? [i] : [])],
          message: `blast radius names target "${t}", which is not declared under targets${didYouMean(t, declared)} (declared: ${declared.join(', ')})`,
        });
      }
    });
    drill.faults.forEach((f, i) => {
      if (!drill.targets[f.target]) {
        problems.push({ path: ['faults', i, 'target'], message: `fault ${i + 1} targets "${f.target}", which is not declared under targets${didYouMean(f.target, declared)} (declared: ${declared.join(', ')})` });
      }
    });
    return problems;
  },
};

export const faultOutsideBlastRadius: DrillRule = {
  code: 'fault-outside-blast-radius',
  check(drill) {
    return drill.faults.flatMap((f, i) =>
      drill.targets[f.target] && !drill.blastRadius.target.includes(f.target)
        ? [
            {
              path: ['faults', i, 'target'],
              message: `fault ${i + 1} (${f.type}) targets "${f.target}", which is outside the blast radius (${drill.blastRadius.target.join(', ')}); add it to blastRadius.target or pick another target`,
            },
          ]
        : [],
    );
  },
};

export const unknownProbe: DrillRule = {
  code: 'unknown-probe',
  check(drill) {
    const declared = Object.keys(drill.probes);
    const problems: RuleProblem[] = [];
    for (const phase of ['baseline', 'fault', 'recovery'] as const) {
      drill.expect[phase].forEach((e, i) => {
        if (!drill.probes[e.probe]) {
          problems.push({
            path: ['expect', phase, i, 'probe'],
            message: `expect.${phase} expectation ${i + 1} refers to probe "${e.probe}", which is not declared${didYouMean(e.probe, declared)} (declared: ${declared.join(', ')})`,
          });
        }
        if (e.total !== undefined && !drill.probes[e.total]) {
          problems.push({
            path: ['expect', phase, i, 'total'],
            message: `errorRatio reads its total from probe "${e.total}", which is not declared${didYouMean(e.total, declared)} (declared: ${declared.join(', ')})`,
          });
        }
      });
    }
    return problems;
  },
};

export const killSwitchRefersToNothing: DrillRule = {
  code: 'kill-switch-refers-to-nothing',
  check(drill) {
    return drill.killSwitch.flatMap((k, i) => [
      ...(drill.probes[k.probe]
        ? []
        : [{ path: ['killSwitch', i, 'probe'], message: `killSwitch condition ${i + 1} watches probe "${k.probe}", which is not declared${didYouMean(k.probe, Object.keys(drill.probes))}; it would never fire (declared: ${Object.keys(drill.probes).join(', ')})` }]),
      ...(k.total === undefined || drill.probes[k.total]
        ? []
        : [{ path: ['killSwitch', i, 'total'], message: `errorRatioAbove reads its total from probe "${k.total}", which is not declared; it would never fire` }]),
    ]);
  },
};

export const duplicateFaultId: DrillRule = {
  code: 'duplicate-fault-id',
  check(drill) {
    const seen = new Set<string>();
    return drill.faults.flatMap((f, i) => {
      if (!f.id) return [];
      if (seen.has(f.id)) return [{ path: ['faults', i, 'id'], message: `fault id "${f.id}" is used twice` }];
      seen.add(f.id);
      return [];
    });
  },
};

/** A command probe's `on:` names a host one of the drill's `hosts:` targets declares. */
export const unknownProbeHost: DrillRule = {
  code: 'unknown-probe-host',
  check(drill, context) {
    const wanted = Object.entries(drill.probes).flatMap(([name, p]) => (p.command?.on !== undefined ? [{ name, host: p.command.on }] : []));
    if (wanted.length === 0) return [];
    let declared: string[];
    try {
      declared = [...new Set(remoteHostsOf(drill.targets, context?.baseDir ?? process.cwd()).flatMap((r) => r.hosts.map((h) => h.name)))];
    } catch (e) {
      // an inventory that cannot be read is refused when the run connects; here it only keeps `on:` unchecked
      return wanted.map(({ name, host }) => ({ path: ['probes', name, 'command', 'on'], severity: 'warning' as const, message: `probe ${name} runs on host "${host}", which cannot be checked: ${errorMessage(e)}` }));
    }
    return wanted
      .filter(({ host }) => !declared.includes(host))
      .map(({ name, host }) => ({
        path: ['probes', name, 'command', 'on'],
        message:
          declared.length === 0
            ? `probe ${name} runs on host "${host}", but the drill declares no remote hosts; add a \`hosts:\` target that lists it (or drop \`on:\` to run the command here)`
            : `probe ${name} runs on host "${host}", which no \`hosts:\` target declares${didYouMean(host, declared)} (declared hosts: ${declared.join(', ')})`,
      }));
  },
};
