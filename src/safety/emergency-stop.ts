/**
 * The machine-wide emergency stop: while `<stateDir>/STOP` exists, every running drill stops and
 * reverts, and no new drill starts. `firedrill abort --all --hold` sets it; deleting the file
 * (or `firedrill abort --release`) lifts it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FiredrillError } from '../errors.js';

export function emergencyStopFile(stateDir: string): string {
  return join(stateDir, 'STOP');
}

export function checkEmergencyStop(stateDir: string): void {
  const file = emergencyStopFile(stateDir);
  if (existsSync(file)) {
    throw new FiredrillError('FD_EMERGENCY_STOP', `the emergency stop is engaged (${file} exists); remove it, or run \`firedrill abort --release\`, to allow drills again`, { file });
  }
}
