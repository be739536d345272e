/** The SSH flags of `plan` and `run` (for `hosts:` targets): key files, known_hosts, the explicit new-key flag, fan-out. */
import { Option, type Command } from 'commander';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultCredentials, type SshCredentials } from '../ssh/credentials.js';

export interface SshFlags {
  identity?: string[];
  knownHosts?: string[];
  acceptNewHostKeys?: boolean;
  parallel?: number;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function parseParallel(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error('--parallel takes a whole number from 1 to 256');
  return n;
}

/** Adds the SSH flags to a command. Passwords and passphrases have no flag, on purpose. */
export function addSshOptions(command: Command): Command {
  return command
    .option('--identity <file>', 'SSH private key file for hosts: targets (repeatable; without it: ssh-agent, then ~/.ssh/id_*)', collect)
    .option('--known-hosts <file>', 'known_hosts file host keys are checked against (repeatable; without it: ~/.ssh/known_hosts)', collect)
    .option('--accept-new-host-keys', 'trust the key of a host never seen before and add it to the first known_hosts file (a changed key is always refused)')
    .addOption(new Option('--parallel <n>', 'hosts acted on at once (connect, inject, revert)').argParser(parseParallel).default(10));
}

/** The credentials and fan-out the flags (and SSH_AUTH_SOCK) describe. */
export function sshSettings(flags: SshFlags): { credentials: SshCredentials; parallel: number; leaseBaseDir?: string } {
  const knownHosts = flags.knownHosts?.map((f) => resolve(f));
  const credentials = defaultCredentials({
    ...(flags.identity ? { identityFiles: flags.identity.map((f) => resolve(f)) } : {}),
    ...(knownHosts ? { knownHostsFiles: knownHosts } : {}),
    ...(flags.acceptNewHostKeys ? { acceptNewHostKeysInto: knownHosts?.[0] ?? join(homedir(), '.ssh', 'known_hosts') } : {}),
  });
  const leaseBaseDir = process.env.FIREDRILL_REMOTE_LEASE_DIR;
  return { credentials, parallel: flags.parallel ?? 10, ...(leaseBaseDir ? { leaseBaseDir } : {}) };
}
