/**
 * Finds runs in a report directory: every folder that holds a journal.json, one level down (a
 * single drill's folder, or the old flat `<dir>/<run-id>/` layout) or two (`<dir>/<drill>/<run>/`).
 * The `latest` pointers are skipped, so no run is counted twice.
 */
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, LATEST } from './layout.js';

/** Folders directly under `dir`, by name; none when `dir` cannot be read. */
async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && e.name !== LATEST && !e.name.startsWith('.')).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

async function hasJournal(dir: string): Promise<boolean> {
  try {
    await access(join(dir, ARTIFACTS.journal));
    return true;
  } catch {
    return false;
  }
}

/** Run folders under `dir` (sorted by path, which is by drill, then by time). */
export async function findRunDirs(dir: string, signal?: AbortSignal): Promise<string[]> {
  const found: string[] = [];
  if (await hasJournal(dir)) found.push(dir);
  for (const name of await subfolders(dir)) {
    signal?.throwIfAborted();
    const child = join(dir, name);
    if (await hasJournal(child)) {
      found.push(child);
      continue;
    }
    for (const inner of await subfolders(child)) {
      const run = join(child, inner);
      if (await hasJournal(run)) found.push(run);
    }
  }
  return found;
}

/** The run folders next to `runDir` (its siblings in the drill's folder), oldest first by name. */
export async function siblingRunDirs(runDir: string, drillDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await subfolders(drillDir)) {
    const dir = join(drillDir, name);
    if (dir !== runDir && (await hasJournal(dir))) out.push(dir);
  }
  return out;
}
