/**
 * known_hosts, as OpenSSH reads it: plain (`host`, `[host]:port`, comma lists, `*`/`?` patterns,
 * `!negation`) and hashed (`|1|salt|hash`) entries, `@revoked` markers. A host key is accepted only
 * when a line for this host names exactly this key; an unknown or changed key is refused with its
 * SHA256 fingerprint, like `ssh` does. Adding a key is a separate, explicit step (`acceptNewKey`).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KnownHostLine {
  patterns: string;
  keyType: string;
  /** base64 of the key blob */
  key: string;
  revoked: boolean;
  /** 1-based, for messages */
  line: number;
}

export type HostKeyCheck =
  | { ok: true; fingerprint: string }
  | { ok: false; reason: 'unknown' | 'changed' | 'revoked'; fingerprint: string; keyType: string; knownAt?: number };

/** `SHA256:...` (base64 without padding), the fingerprint `ssh` and `ssh-keygen -l` show. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name that starts an SSH key blob (`ssh-ed25519`, `ssh-rsa`, ...). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** The name known_hosts uses for a host: `host` on port 22, `[host]:port` otherwise. */
export function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let revoked = false;
    if (fields[0]?.startsWith('@')) {
      const marker = fields.shift();
      if (marker === '@revoked') revoked = true;
      else return; // @cert-authority: host certificates are not supported; such lines never accept a plain key
    }
    const [patterns, keyType, key] = fields;
    if (!patterns || !keyType || !key) return;
    out.push({ patterns, keyType, key, revoked, line: i + 1 });
  });
  return out;
}

/** Does a known_hosts pattern list name this host token? Negations win, like OpenSSH. */
export function matchesHost(patterns: string, token: string): boolean {
  if (patterns.startsWith('|1|')) return hashedMatches(patterns, token);
  let matched = false;
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!');
    const pattern = negated ? p.slice(1) : p;
    if (globMatch(pattern.toLowerCase(), token.toLowerCase())) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function hashedMatches(entry: string, token: string): boolean {
  const [, , salt, hash] = entry.split('|');
  if (!salt || !hash) return false;
  const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64');
  return mac === hash;
}

function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(text);
}

/** Checks `keyBlob` presented by host:port against the known_hosts lines. */
export function checkHostKey(lines: readonly KnownHostLine[], host: string, port: number, keyBlob: Buffer): HostKeyCheck {
  const token = hostToken(host, port);
  const fingerprint = fingerprintOf(keyBlob);
  const keyType = keyTypeOf(keyBlob);
  const presented = keyBlob.toString('base64');
  const forHost = lines.filter((l) => matchesHost(l.patterns, token));
  if (forHost.some((l) => l.revoked && l.key === presented)) return { ok: false, reason: 'revoked', fingerprint, keyType };
  if (forHost.some((l) => !l.revoked && l.key === presented && l.keyType === keyType)) return { ok: true, fingerprint };
  const sameType = forHost.find((l) => !l.revoked && l.keyType === keyType);
  if (sameType) return { ok: false, reason: 'changed', fingerprint, keyType, knownAt: sameType.line };
  // a host known only by another key type is still a stranger for this key: refuse, never guess
  const other = forHost.find((l) => !l.revoked);
  if (other) return { ok: false, reason: 'changed', fingerprint, keyType, knownAt: other.line };
  return { ok: false, reason: 'unknown', fingerprint, keyType };
}

/** The key types known_hosts holds for a host, so the client asks the server for one of them. */
export function knownKeyTypes(lines: readonly KnownHostLine[], host: string, port: number): string[] {
  const token = hostToken(host, port);
  return [...new Set(lines.filter((l) => !l.revoked && matchesHost(l.patterns, token)).map((l) => l.keyType))];
}

export function readKnownHosts(files: readonly string[]): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  for (const file of files) {
    try {
      out.push(...parseKnownHosts(readFileSync(file, 'utf8')));
    } catch {
      // a missing file knows no host
    }
  }
  return out;
}

/** Appends a hashed line for this host and key (what `ssh` does with HashKnownHosts yes). */
export function appendKnownHost(file: string, host: string, port: number, keyBlob: Buffer): void {
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update(hostToken(host, port)).digest('base64');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, `|1|${salt.toString('base64')}|${hash} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`, { mode: 0o600 });
}
