/** Builds the journal while the run goes; every record also goes to the live observers. */
import { phaseAt } from '../journal/sample-phase.js';
import { hostname } from 'node:os';
import type { LoadedDrill } from '../drill/load.js';
import type { PhaseName } from '../drill/schema.js';
import { emptyRunRecord } from '../journal/empty-run-record.js';
import {
  type EventType,
  type FaultRecord,
  type Journal,
  type JournalEvent,
  type PhaseRecord,
  type Sample,
  type SampleSet,
} from '../journal/types.js';
import { SampleTable } from '../journal/sample-table.js';
import { toolVersion } from '../tool-version.js';
import type { Clock } from '../clock/clock.js';
import type { RunObserver } from '../journal/observer.js';
import { SampleStream } from '../journal/sample-stream.js';

export class JournalRecorder {
  readonly journal: Journal;
  readonly #clock: Clock;
  readonly #t0: number;
  readonly #observer: Required<RunObserver>;
  /** secrets are masked where records enter the journal, so observers and the file see the same masked text */
  readonly #redactor: LoadedDrill['redactor'];
  /**
   * The samples: with `sampleFile`, appended to it in chunks as they come and read back once at
   * the end (journal/sample-stream.ts), so a long run's memory stays flat; without, in
   * `journal.samples` as they come.
   */
  #stream: SampleStream | undefined;

  constructor(loaded: LoadedDrill, meta: { runId: string; environment: string; seed: number; sampleFile?: string }, clock: Clock, observer: Required<RunObserver>) {
    this.#clock = clock;
    this.#stream = meta.sampleFile === undefined ? undefined : new SampleStream(meta.sampleFile);
    this.#t0 = clock.now();
    this.#observer = observer;
    this.#redactor = loaded.redactor;
    const d = loaded.redactedDrill;
    this.journal = emptyRunRecord({
      runId: meta.runId,
      startedAt: clock.date().toISOString(),
      toolVersion: toolVersion(),
      hostname: hostname(),
      environment: meta.environment,
      seed: meta.seed,
      drill: {
        name: d.name,
        description: d.description,
        hypothesis: d.hypothesis,
        owner: d.owner,
        premortem: d.premortem,
        file: loaded.file,
        sha256: loaded.sha256,
        source: loaded.redactor.redact(loaded.source),
        spec: d,
      },
      vars: loaded.vars,
      outcome: { verdict: 'error', exitCode: 70, reason: 'the run did not finish' },
    });
  }

  /** Milliseconds since the run started. */
  t(): number {
    return Math.round((this.#clock.now() - this.#t0) * 10) / 10;
  }

  /** Converts a clock reading to run time. */
  toRunTime(clockMs: number): number {
    return Math.round((clockMs - this.#t0) * 10) / 10;
  }

  event(type: EventType, message: string, data?: Record<string, unknown>, phase?: PhaseName): JournalEvent {
    const event: JournalEvent = this.#redactor.redactValue({ t: this.t(), type, message, ...(phase ? { phase } : {}), ...(data ? { data } : {}) });
    this.journal.events.push(event);
    this.#observer.onEvent(event);
    return event;
  }

  sample(raw: Sample): void {
    // probe output (a command's stderr, an HTTP body, a server's error text) can echo a secret back
    const redacted = raw.error === undefined && raw.detail === undefined ? raw : this.#redactor.redactValue(raw);
    // the label follows the one rule (journal/sample-phase.ts); between phases it keeps the phase that just ended
    const phase = phaseAt(this.journal.phases, raw.t);
    const labelled = phase === undefined || phase === redacted.phase ? redacted : { ...redacted, phase };
    // to the microsecond: finer digits are noise, and each one costs the journal a byte a sample
    const sample = { ...labelled, latencyMs: Math.round(labelled.latencyMs * 1000) / 1000 };
    const kept = this.journal.samples;
    if (this.#stream) this.#stream.append(sample);
    else if (kept instanceof SampleTable) kept.append(sample);
    // the run record's own array (emptyRunRecord), filled in memory mode
    else (kept as Sample[]).push(sample);
    this.#observer.onSample(sample);
  }

  /** Every sample recorded so far, in time order (read back from the sample file when there is one). */
  samples(): SampleSet {
    return this.#stream ? this.#stream.readAll() : this.journal.samples;
  }

  /** Writes the samples still waiting to the sample file, so a crash from here on loses none of them. */
  flushSamples(): void {
    this.#stream?.flush();
  }

  /**
   * Puts every sample into the journal for the verdict and the reports, and deletes the sample
   * file: from here on the journal holds them (a crash now leaves no fault behind to report on).
   */
  collectSamples(): void {
    if (!this.#stream) return;
    this.journal.samples = this.#stream.readAll();
    this.#stream.remove();
    // a late sample (a check that ends after this) goes where the others now are
    this.#stream = undefined;
  }

  startPhase(name: PhaseName, plannedMs: number): PhaseRecord {
    const record: PhaseRecord = { name, startT: this.t(), plannedMs };
    this.journal.phases.push(record);
    this.flushSamples();
    this.event('phase-start', `${name} phase started`, { plannedMs }, name);
    this.#observer.onPhaseStart(name, plannedMs, record.startT);
    return record;
  }

  endPhase(record: PhaseRecord): void {
    record.endT = this.t();
    this.event('phase-end', `${record.name} phase ended`, undefined, record.name);
  }

  fault(record: FaultRecord): FaultRecord {
    this.journal.faults.push(record);
    return record;
  }

  faultChanged(record: FaultRecord): void {
    this.#observer.onFault(record);
  }

  finish(): Journal {
    this.journal.endedAt = this.#clock.date().toISOString();
    this.journal.durationMs = this.t();
    // the last gate before the file: whatever a fault, target or outcome record picked up is masked too.
    // Samples held as columns keep their texts in one table, masked there (each was masked as it
    // came; a secret learnt later is masked now): a JSON round trip would turn the table into `{}`
    const { samples, ...rest } = this.journal;
    if (samples instanceof SampleTable) {
      samples.mapTexts((text) => this.#redactor.redact(text));
      Object.assign(this.journal, this.#redactor.redactValue(rest));
    } else Object.assign(this.journal, this.#redactor.redactValue({ ...this.journal }));
    return this.journal;
  }
}
