/**
 * A paused container whose engine does not answer: the unpause undo (what the dead-man switch and
 * `recover` run from the ledger) thaws the container's freezer cgroup itself, so a hung or dead
 * dockerd cannot leave it frozen. The hung engine is a socket that takes the connection and never
 * answers; the dead one a socket nobody listens on. The containers, their freezer cgroups and the
 * engine that brings its record in line afterwards are real. Containers carry this run's label and
 * are removed afterwards.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undoContainer, type ContainerUndoRecipe } from '../../src/injectors/container/undo-recipe.js';
import { buildSleeperImage, dockerMissing, IMAGES, removeTestContainers, TEST_LABEL } from '../support/images.js';

const RUN = `frz-${process.pid}-${Date.now().toString(36)}`;
const cgroupRoot = '/sys/fs/cgroup';
const hasFreezer = existsSync(`${cgroupRoot}/freezer`) || existsSync(`${cgroupRoot}/cgroup.controllers`);
const skip = dockerMissing(['busybox', 'pgrep']) ?? (hasFreezer ? undefined : 'no cgroup freezer on this machine');

/** A paused container of this run: its recipe (as the ledger holds it) and its main process. */
async function pausedContainer(name: string): Promise<{ recipe: ContainerUndoRecipe; pid: number }> {
  const { stdout: id } = await execa('docker', ['run', '-d', '--name', `fd-${RUN}-${name}`, '--label', `${TEST_LABEL}=${RUN}`, IMAGES.sleeper, 'exec sleep 600']);
  await execa('docker', ['pause', id]);
  const pid = Number((await execa('docker', ['inspect', '-f', '{{.State.Pid}}', id])).stdout);
  return { recipe: { kind: 'container', action: 'unpause', container: id, name: `fd-${RUN}-${name}` }, pid };
}

/** The container's freezer state as the kernel reports it (v1: freezer.state, v2: cgroup.freeze). */
function freezerState(id: string): string {
  for (const f of [`${cgroupRoot}/freezer/docker/${id}/freezer.state`, `${cgroupRoot}/freezer/system.slice/docker-${id}.scope/freezer.state`]) {
    if (existsSync(f)) return readFileSync(f, 'utf8').trim();
  }
  for (const f of [`${cgroupRoot}/system.slice/docker-${id}.scope/cgroup.freeze`, `${cgroupRoot}/docker/${id}/cgroup.freeze`]) {
    if (existsSync(f)) return readFileSync(f, 'utf8').trim() === '1' ? 'FROZEN' : 'THAWED';
  }
  return 'none';
}

function procState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '?';
}

async function enginePaused(id: string): Promise<string> {
  return (await execa('docker', ['inspect', '-f', '{{.State.Paused}}', id])).stdout;
}

describe.skipIf(skip)('container unpause when the engine does not answer', () => {
  beforeAll(async () => {
    await buildSleeperImage();
  });
  afterAll(async () => {
    await removeTestContainers(RUN);
  });

  it('thaws through the cgroup freezer when no engine answers at the recorded socket', async () => {
    const { recipe } = await pausedContainer('gone');
    expect(freezerState(recipe.container)).toBe('FROZEN');
    // the recorded engine is not there (a dead dockerd's socket): ENOENT, the fallback acts at once
    const message = await undoContainer({ ...recipe, dockerHost: `unix:///tmp/${RUN}-no-engine.sock` }, AbortSignal.timeout(20_000));
    expect(message).toMatch(/thawed container .* through its cgroup freezer/);
    expect(freezerState(recipe.container)).toBe('THAWED');
    // the engine's record is stale: its own unpause is refused (runc sees a running container)
    expect(await enginePaused(recipe.container)).toBe('true');
    expect((await execa('docker', ['unpause', recipe.container], { reject: false })).stderr).toMatch(/not paused/);
    // the same undo, run again with the engine answering, brings the record in line
    expect(await undoContainer(recipe, AbortSignal.timeout(20_000))).toMatch(/was running already .*the engine's record says so again/);
    expect(freezerState(recipe.container)).toBe('THAWED');
    expect(await enginePaused(recipe.container)).toBe('false');
  });

  it('a hung engine (it takes the connection and never answers) does not leave the container paused', async () => {
    const { recipe, pid } = await pausedContainer('hung');
    // what a hung dockerd is to its clients: the socket accepts, no answer ever comes. (Not the
    // real dockerd SIGSTOPped: other suites use that engine at the same time.)
    const socket = join(tmpdir(), `${RUN}-hung.sock`);
    const held: Socket[] = [];
    const hung = createServer((c) => void held.push(c));
    await new Promise<void>((resolve) => hung.listen(socket, resolve));
    let message: string;
    try {
      message = await undoContainer({ ...recipe, dockerHost: `unix://${socket}` }, AbortSignal.timeout(20_000));
    } finally {
      for (const c of held) c.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
    expect(held.length, 'the undo asked the hung engine first').toBeGreaterThan(0);
    expect(message).toMatch(/thawed container .* through its cgroup freezer/);
    expect(freezerState(recipe.container)).toBe('THAWED');
    expect(procState(pid)).not.toMatch(/[TD]/);
    // the real engine answers: its record is brought in line by the same undo
    expect(await undoContainer(recipe, AbortSignal.timeout(20_000))).toMatch(/was running already/);
    expect(freezerState(recipe.container)).toBe('THAWED');
    expect(await enginePaused(recipe.container)).toBe('false');
  });
});
