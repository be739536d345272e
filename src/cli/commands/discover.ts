/** `firedrill discover`: what this machine offers as targets, each with the selector to paste into a drill. */
import { composeServices, discoverContainers } from '../../discover/containers.js';
import { commandText, listeningProcesses, portsOf } from '../../discover/listening-processes.js';
import { composeSelector, containerSelector, processSelector } from '../../discover/selectors.js';
import { ExitCode } from '../exit-codes.js';
import { jsonText, printOut } from '../terminal.js';

export interface DiscoverOptions {
  json?: boolean;
}

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd()).join('\n');
}

function short(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export async function discoverCommand(options: DiscoverOptions): Promise<number> {
  const [processes, found] = await Promise.all([listeningProcesses(), discoverContainers()]);
  const services = composeServices(found.containers);
  if (options.json) {
    printOut(
      jsonText({
        processes: processes.map((p) => ({ ...p, selector: processSelector(portsOf(p)[0] as number) })),
        containers: found.containers.map((c) => ({ ...c, selector: containerSelector(c) })),
        composeServices: services.map((s) => ({ ...s, selector: composeSelector(s.project, s.service) })),
        engine: found.engine,
        ...(found.note ? { note: found.note } : {}),
      }),
    );
    return ExitCode.ok;
  }
  const out: string[] = [];
  out.push('Processes listening on TCP ports (paste the selector under targets.<name>:)');
  if (processes.length === 0) out.push('  none that this user can see (run as root to see every process)');
  else {
    out.push(
      table([
        ['PID', 'LISTENS ON', 'COMMAND', 'SELECTOR'],
        ...processes.map((p) => [
          String(p.pid),
          short([...new Set(p.listens.map((l) => `${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`))].join(','), 28),
          short(commandText(p.cmdline), 44),
          processSelector(portsOf(p)[0] as number),
        ]),
      ]),
    );
  }
  out.push('', `Containers (engine ${found.engine})`);
  if (found.note) out.push(`  ${found.note}`);
  else if (found.containers.length === 0) out.push('  none running');
  else {
    out.push(
      table([
        ['NAME', 'IMAGE', 'PORTS', 'SELECTOR'],
        ...found.containers.map((c) => [
          c.name,
          short(c.image, 30),
          c.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}`).join(',') || '-',
          containerSelector(c),
        ]),
      ]),
    );
  }
  if (services.length > 0) {
    out.push('', 'Compose services (the selector survives a re-create)');
    out.push(table([['PROJECT/SERVICE', 'CONTAINERS', 'SELECTOR'], ...services.map((s) => [`${s.project}/${s.service}`, s.containers.join(','), composeSelector(s.project, s.service)])]));
  }
  out.push('', 'Next: `firedrill init --from-process <pid|name>` or `--from-container <name>` writes a drill around one of them.');
  printOut(`${out.join('\n')}\n`);
  return ExitCode.ok;
}
