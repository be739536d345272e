/**
 * The game-day view on a terminal: phase and countdown, each probe's last value and success rate in
 * this phase, the kill-switch state; events scroll above it. Redrawn a few times a second.
 */
import { formatDurationMs } from '../drill/duration.js';
import type { Drill, PhaseName } from '../drill/schema.js';
import type { JournalEvent, Sample } from '../journal/types.js';
import type { RunObserver } from '../journal/observer.js';
import { printable } from '../text/printable.js';

const RESET = '\x1b[0m';
const color = (code: number) => (s: string) => `\x1b[${code}m${s}${RESET}`;
const red = color(31);
const green = color(32);
const yellow = color(33);
const dim = color(2);
const bold = color(1);

interface ProbeView {
  last?: Sample;
  ok: number;
  total: number;
}

export class LiveProgress implements RunObserver {
  readonly #out: NodeJS.WriteStream;
  readonly #probes = new Map<string, ProbeView>();
  #phase?: { name: PhaseName; plannedMs: number; startedAt: number };
  #killSwitch = 'armed';
  #drawn = 0;
  #timer?: NodeJS.Timeout;

  constructor(drill: Drill, out: NodeJS.WriteStream = process.stderr) {
    this.#out = out;
    for (const name of Object.keys(drill.probes)) this.#probes.set(name, { ok: 0, total: 0 });
    this.#timer = setInterval(() => this.#draw(), 250);
    this.#timer.unref();
  }

  onPhaseStart(phase: PhaseName, plannedMs: number): void {
    this.#phase = { name: phase, plannedMs, startedAt: performance.now() };
    for (const view of this.#probes.values()) {
      view.ok = 0;
      view.total = 0;
    }
    this.#draw();
  }

  onSample(sample: Sample): void {
    const view = this.#probes.get(sample.probe);
    if (!view) return;
    view.last = sample;
    view.total++;
    if (sample.ok) view.ok++;
  }

  onEvent(event: JournalEvent): void {
    if (event.type === 'phase-end') return;
    const text = `${dim(`+${formatDurationMs(event.t).padStart(6)}`)} ${this.#paint(event)}`;
    this.#clear();
    this.#out.write(`${text}\n`);
    this.#draw();
  }

  onKillSwitch(record: { kind?: string; condition?: string }): void {
    this.#killSwitch = `TRIPPED: ${printable(record.condition ?? record.kind ?? '').replace(/\n/g, ' ')}`;
  }

  onFinished(): void {
    clearInterval(this.#timer);
    this.#clear();
  }

  #paint(event: JournalEvent): string {
    // the message carries drill text and probe output: spelled out before our own colours go around it
    event = { ...event, message: printable(event.message).replace(/\n/g, ' ') };
    if (event.type === 'revert-failed' || event.type === 'inject-failed') return red(bold(event.message));
    if (event.type === 'kill-switch' || event.type === 'abort') return yellow(bold(event.message));
    if (event.type === 'revert' || event.type === 'recovered') return green(event.message);
    if (event.type === 'phase-start') return bold(event.message);
    return event.message;
  }

  #clear(): void {
    if (this.#drawn === 0) return;
    this.#out.write(`\x1b[${this.#drawn}A\x1b[0J`);
    this.#drawn = 0;
  }

  #draw(): void {
    if (!this.#phase) return;
    this.#clear();
    const p = this.#phase;
    const left = Math.max(0, p.plannedMs - (performance.now() - p.startedAt));
    const lines = [
      `${bold(p.name.toUpperCase())} ${dim(`${formatDurationMs(left)} left of ${formatDurationMs(p.plannedMs)}`)}   kill switch: ${this.#killSwitch.startsWith('TRIPPED') ? red(this.#killSwitch) : green(this.#killSwitch)}`,
    ];
    for (const [name, view] of this.#probes) {
      const s = view.last;
      const last = s ? `${s.ok ? green('ok ') : red('ERR')} ${formatDurationMs(s.latencyMs).padStart(7)}${s.error ? ` ${red(printable(s.error).replace(/\n/g, ' '))}` : ''}` : dim('waiting');
      const rate = view.total ? `${((100 * view.ok) / view.total).toFixed(1)}% of ${view.total}` : '';
      lines.push(`  ${name.padEnd(16)} ${last}  ${dim(rate)}`);
    }
    this.#out.write(`${lines.join('\n')}\n`);
    this.#drawn = lines.length;
  }
}
