import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSampleStream, SAMPLE_STREAM_FILE, SampleStream } from './sample-stream.js';
import { allSamples } from './sample-index.js';
import type { Sample } from './types.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fd-stream-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sample = (probe: string, t: number, extra: Partial<Sample> = {}): Sample => ({ probe, t, phase: t < 1000 ? 'baseline' : 'fault', ok: t % 7 !== 0, latencyMs: (t % 13) + 0.125, ...extra });

function fill(stream: SampleStream, n: number): Sample[] {
  const all: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const s = sample(i % 3 === 0 ? 'api' : 'db', i * 10, i === 5 ? { error: 'timeout after 1s', status: 504 } : i % 3 === 0 ? { status: 200 } : {});
    all.push(s);
    stream.append(s);
  }
  return all;
}

describe('the sample stream', () => {
  it('gives back every sample, in time order, from the chunks it wrote and those still waiting', () => {
    const file = join(dir, SAMPLE_STREAM_FILE);
    const stream = new SampleStream(file, { chunkSamples: 16 });
    const written = fill(stream, 200);
    // 200 samples, chunks of 16: 8 waiting
    expect(readSampleStream(file).samples).toHaveLength(192);
    expect(allSamples(stream.readAll())).toEqual(written);
    expect(stream.count).toBe(200);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    stream.remove();
    expect(existsSync(file)).toBe(false);
  });

  it('writes a chunk once the oldest waiting sample is older than the chunk time, so a crash loses only that long', () => {
    const file = join(dir, SAMPLE_STREAM_FILE);
    const stream = new SampleStream(file, { chunkSamples: 10_000, chunkMs: 5000 });
    for (let t = 0; t <= 5000; t += 250) stream.append(sample('api', t));
    expect(readSampleStream(file).samples).toHaveLength(21);
    stream.close();
  });

  it('keeps samples in memory when it has no file', () => {
    const stream = new SampleStream(undefined);
    const written = fill(stream, 50);
    expect(allSamples(stream.readAll())).toEqual(written);
  });

  it('keeps every whole chunk of a file whose last chunk a crash tore, and says what it dropped', () => {
    const file = join(dir, SAMPLE_STREAM_FILE);
    const stream = new SampleStream(file, { chunkSamples: 20 });
    const written = fill(stream, 100);
    stream.close();
    const whole = readSampleStream(file);
    expect(whole.problems).toEqual([]);
    expect(whole.samples.toArray()).toEqual(written);
    // the runner died in the middle of writing one more chunk
    appendFileSync(file, '{"probe":"api","dt":[12000,2500],"phases":[["fau');
    const torn = readSampleStream(file);
    expect(torn.samples.toArray()).toEqual(written);
    expect(torn.problems).toHaveLength(1);
    expect(torn.problems[0]).toMatch(/last chunk .* was cut off/);
    // or the cut fell inside a chunk that was already there
    truncateSync(file, statSync(file).size - 60);
    const cut = readSampleStream(file);
    expect(cut.samples.length).toBeLessThan(written.length);
    expect(cut.samples.length).toBeGreaterThan(0);
    expect(written).toEqual(expect.arrayContaining(cut.samples.toArray()));
    expect(cut.problems[0]).toMatch(/cut off/);
  });

  it('drops a damaged line in the middle and a chunk whose columns disagree, and reads the rest', () => {
    const file = join(dir, SAMPLE_STREAM_FILE);
    const stream = new SampleStream(file, { chunkSamples: 10 });
    fill(stream, 30);
    stream.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = 'garbage';
    const bad = JSON.parse(lines[3] as string) as { latencyMs: number[] };
    bad.latencyMs.pop();
    lines[3] = JSON.stringify(bad);
    writeFileSync(file, lines.join('\n'));
    const read = readSampleStream(file);
    expect(read.problems).toHaveLength(2);
    expect(read.problems.join('\n')).toMatch(/line 3 .* not a sample chunk[\s\S]*line 4/);
    expect(read.samples.length).toBeGreaterThan(0);
    expect(read.samples.length).toBeLessThan(30);
  });

  it('refuses a file of another stream version with a message instead of guessing', () => {
    const file = join(dir, SAMPLE_STREAM_FILE);
    writeFileSync(file, '{"firedrill":"sample-stream","version":99}\n{"probe":"api"}\n');
    const read = readSampleStream(file);
    expect(read.samples.toArray()).toEqual([]);
    expect(read.problems[0]).toMatch(/not a version 1 sample stream/);
  });
});
