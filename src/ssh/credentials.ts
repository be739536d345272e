/**
 * Where SSH credentials come from: the ssh-agent (SSH_AUTH_SOCK) and private key files, never a
 * password and never a secret on a command line. Key files are read when a connection is made and
 * handed to the SSH library only; their contents are never logged or written anywhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { AgentAuthMethod, PublicKeyAuthMethod } from 'ssh2';
import { FiredrillError } from '../errors.js';

export interface SshCredentials {
  /** private key files to offer, in order (after the agent's keys) */
  identityFiles: string[];
  /** the agent socket; unset: no agent */
  agent?: string;
  /** files a host key is checked against */
  knownHostsFiles: string[];
  /** set only by the explicit `--accept-new-host-keys` flag: unknown keys are added to this file */
  acceptNewHostKeysInto?: string;
}

/** The defaults `ssh` itself uses: the agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa; ~/.ssh/known_hosts. */
export function defaultCredentials(overrides: Partial<SshCredentials> = {}, env: NodeJS.ProcessEnv = process.env): SshCredentials {
  const ssh = join(homedir(), '.ssh');
  const identityFiles = overrides.identityFiles?.length
    ? overrides.identityFiles
    : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(ssh, f)).filter((f) => existsSync(f));
  const agent = overrides.agent ?? env.SSH_AUTH_SOCK;
  return {
    identityFiles,
    ...(agent ? { agent } : {}),
    knownHostsFiles: overrides.knownHostsFiles?.length ? overrides.knownHostsFiles : [join(ssh, 'known_hosts')],
    ...(overrides.acceptNewHostKeysInto ? { acceptNewHostKeysInto: overrides.acceptNewHostKeysInto } : {}),
  };
}

/** The user to log in as when the inventory names none: the local user, like `ssh`. */
export function defaultUser(): string {
  return userInfo().username;
}

/** ssh2 authentication methods: the agent first, then each key file. */
export function authMethods(creds: SshCredentials, username: string): (AgentAuthMethod | PublicKeyAuthMethod)[] {
  const methods: (AgentAuthMethod | PublicKeyAuthMethod)[] = [];
  if (creds.agent) methods.push({ type: 'agent' as const, username, agent: creds.agent });
  for (const file of creds.identityFiles) {
    let key: Buffer;
    try {
      key = readFileSync(file);
    } catch (e) {
      throw new FiredrillError('FD_PREFLIGHT_FAILED', `cannot read the SSH key file ${file}: ${e instanceof Error ? e.message : String(e)}`, { file });
    }
    if (/ENCRYPTED|Proc-Type: 4,ENCRYPTED/.test(key.toString('latin1', 0, 200)) || isEncryptedOpenSshKey(key)) {
      throw new FiredrillError(
        'FD_PREFLIGHT_FAILED',
        `the SSH key ${file} is protected by a passphrase; load it into ssh-agent (ssh-add ${file}) — firedrill never asks for or takes passphrases`,
        { file },
      );
    }
    methods.push({ type: 'publickey' as const, username, key });
  }
  if (methods.length === 0) {
    throw new FiredrillError('FD_PREFLIGHT_FAILED', 'no SSH credentials: start ssh-agent (SSH_AUTH_SOCK) or name a key file with --identity', {});
  }
  return methods;
}

/** An OpenSSH-format key names its cipher right after the magic; `none` means unencrypted. */
function isEncryptedOpenSshKey(pem: Buffer): boolean {
  const text = pem.toString('latin1');
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END/.exec(text)?.[1];
  if (!body) return false;
  const raw = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (raw.toString('latin1', 0, magic.length) !== magic) return false;
  const len = raw.readUInt32BE(magic.length);
  return raw.toString('latin1', magic.length + 4, magic.length + 4 + len) !== 'none';
}
