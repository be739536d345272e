/** How a person undoes, by hand, a fault firedrill could not revert — from the fault record and the drill. */
import { faultId } from '../../drill/fault-id.js';
import type { FaultSpec } from '../../drill/schema.js';
import type { FaultRecord, Journal } from '../../journal/types.js';
import { formatDurationMs } from '../../drill/duration.js';
import { commandText } from './plan.js';
import type { ManualFix } from './model.js';

/** The drill's spec for a fault record: by id, else by the runner's `type#index` default. */
export function faultSpecFor(journal: Journal, record: Pick<FaultRecord, 'faultId'>): FaultSpec | undefined {
  const faults = journal.drill.spec.faults;
  return faults.find((f) => f.id === record.faultId) ?? faults.find((f, i) => faultId(f, i) === record.faultId);
}

/** Steps to undo one fault by hand on the host the drill ran on. */
export function manualFix(journal: Journal, record: FaultRecord): ManualFix {
  const spec = faultSpecFor(journal, record);
  const pid = record.instance?.pid;
  const onHost = `on ${journal.host.hostname}`;
  switch (spec?.type ?? record.type) {
    case 'process-pause':
      if (pid === undefined) break;
      return {
        summary: `Resume the paused process ${onHost}: send SIGCONT to pid ${pid}${spec?.type === 'process-pause' && spec.tree ? ' and to its children' : ''}.`,
        commands: spec?.type === 'process-pause' && spec.tree ? [`kill -CONT ${pid}`, `pkill -CONT -P ${pid}`] : [`kill -CONT ${pid}`],
        check: 'the STAT column no longer shows T (stopped)',
        checkCommand: `ps -o pid,stat,cmd -p ${pid}`,
      };
    case 'process-signal':
      if (pid === undefined) break;
      if (spec?.type === 'process-signal' && spec.revertSignal) {
        return {
          summary: `Send the revert signal ${spec.revertSignal} to pid ${pid} ${onHost}.`,
          commands: [`kill -${spec.revertSignal.replace(/^SIG/, '')} ${pid}`],
          check: 'the process is in the state the revert signal puts it in',
          checkCommand: `ps -o pid,stat,cmd -p ${pid}`,
        };
      }
      break;
    case 'process-kill':
      return {
        summary: `The process was killed and was not brought back. Start it again ${onHost} the way it is normally started${record.instance ? ` (it ran as: ${record.instance.command})` : ''}.`,
        commands: record.instance ? [record.instance.command] : [],
        check: 'the service answers its health probe again',
      };
    case 'cpu-stress':
    case 'memory-pressure':
      return {
        summary: `Stop the load workers firedrill started for this fault ${onHost}: find them and end them by pid.`,
        commands: ['pgrep -af "stress-ng|firedrill"', 'kill <pid of each worker of this run>'],
        check: 'CPU and memory use are back to their usual level',
        checkCommand: 'top -b -n 1 | head -15; free -m',
      };
    case 'command':
      if (spec?.type === 'command') {
        const env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
        return {
          summary: `Run the drill's revert command by hand ${onHost} (firedrill gave up after ${record.revertAttempts} attempt${record.revertAttempts === 1 ? '' : 's'}, each bounded by ${formatDurationMs(spec.timeout)}).`,
          commands: [`${env.length > 0 ? `${env.join(' ')} ` : ''}${commandText(spec.revert)}`],
          check: 'the revert command exits 0 and the probes are healthy again',
        };
      }
      break;
  }
  return {
    summary: `Undo "${record.label}" by hand ${onHost}: the journal does not say how for fault type ${record.type}; see the drill's fault ${record.faultId}.`,
    commands: [],
  };
}
