/** A state file's JSON, or undefined when it is missing, unreadable or not JSON (state files race their writers). */
import { readFileSync } from 'node:fs';

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
