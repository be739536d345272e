import { describe, expect, it } from 'vitest';
import { journals } from '../../test/fixtures/journals/build.js';
import { longJournal } from '../../test/fixtures/journals/long.js';
import { FiredrillError } from '../errors.js';
import { asJournal } from './read.js';
import { decodeSamples, encodeSamples } from './sample-columns.js';
import type { Sample } from './types.js';
import { serializeJournal } from './write.js';

const byTime = (samples: Sample[]) => [...samples].sort((a, b) => a.t - b.t);

describe('journal samples in columns', () => {
  it.each(Object.entries(journals))('the %s fixture reads back from its file exactly as it was recorded', (_name, build) => {
    const journal = build();
    const read = asJournal(JSON.parse(serializeJournal(journal)) as unknown, 'file');
    expect(read).toEqual({ ...JSON.parse(JSON.stringify(journal)), samples: byTime(journal.samples) });
  });

  it('keeps every field of a sample, the rare ones by index, and times off the 0.1 ms grid as they are', () => {
    const samples: Sample[] = [
      { probe: 'a', t: 0, phase: 'preflight', ok: true, latencyMs: 1.234, status: 200 },
      { probe: 'b', t: 0.05, phase: 'preflight', ok: false, latencyMs: 5, error: 'refused', detail: 'ECONNREFUSED' },
      { probe: 'a', t: 250.1, phase: 'fault', ok: false, latencyMs: 2, status: 503, error: 'status 503' },
      { probe: 'm', t: 260, phase: 'fault', ok: true, latencyMs: 3, value: 0.5, outcome: 'value' },
      { probe: 'm', t: 510, phase: 'fault', ok: false, latencyMs: 3, outcome: 'empty' },
    ];
    expect(decodeSamples(encodeSamples(samples), 'x')).toEqual(samples);
  });

  it('is at most 25 bytes a sample for an hour of 20 probes at 250 ms', () => {
    const journal = longJournal(20, 250);
    const bytes = Buffer.byteLength(serializeJournal(journal)) - Buffer.byteLength(serializeJournal({ ...journal, samples: [] }));
    expect(bytes / journal.samples.length).toBeLessThan(25);
  });

  it('refuses columns whose lengths disagree, naming the probe', () => {
    const file = JSON.parse(serializeJournal(journals.passed!())) as { samples: { columns: { probe: string; latencyMs: number[] }[] } };
    const block = file.samples.columns[0]!;
    block.latencyMs.pop();
    expect(() => asJournal(file, 'run.json')).toThrow(FiredrillError);
    expect(() => asJournal(file, 'run.json')).toThrow(new RegExp(`probe "${block.probe}" have different lengths`));
  });

  it('still reads a version 1 journal, whose samples are one object each', () => {
    const v1 = { ...JSON.parse(JSON.stringify(journals.passed!())), journalVersion: 1 } as Record<string, unknown>;
    expect(asJournal(v1, 'old.json').samples).toEqual(journals.passed!().samples);
  });
});
