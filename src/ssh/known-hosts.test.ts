import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkHostKey, fingerprintOf, knownKeyTypes, matchesHost, parseKnownHosts } from './known-hosts.js';

/** A fake ssh-ed25519 key blob (string "ssh-ed25519" then 32 bytes). */
function blob(fill: number): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(type.length);
  const keyLen = Buffer.alloc(4);
  keyLen.writeUInt32BE(32);
  return Buffer.concat([len, type, keyLen, Buffer.alloc(32, fill)]);
}

describe('known_hosts', () => {
  const good = blob(1);
  const other = blob(2);
  const salt = Buffer.alloc(20, 7);
  const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[198.18.0.12]:2222').digest('base64')}`;
  const lines = parseKnownHosts(
    [`# comment`, `198.18.0.11,web-1 ssh-ed25519 ${good.toString('base64')}`, `${hashed} ssh-ed25519 ${good.toString('base64')}`, `*.example,!evil.example ssh-ed25519 ${good.toString('base64')}`, `@revoked * ssh-ed25519 ${other.toString('base64')}`].join('\n'),
  );

  it('accepts exactly the recorded key, by plain, bracketed-port and hashed names', () => {
    expect(checkHostKey(lines, '198.18.0.11', 22, good).ok).toBe(true);
    expect(checkHostKey(lines, 'web-1', 22, good).ok).toBe(true);
    expect(checkHostKey(lines, '198.18.0.12', 2222, good).ok).toBe(true);
    expect(checkHostKey(lines, 'a.example', 22, good).ok).toBe(true);
  });

  it('refuses an unknown host with the SHA256 fingerprint ssh would show', () => {
    const r = checkHostKey(lines, '198.18.0.99', 22, good);
    expect(r).toEqual({ ok: false, reason: 'unknown', fingerprint: fingerprintOf(good), keyType: 'ssh-ed25519' });
    expect(fingerprintOf(good)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    // the port is part of the name: a key known for :22 says nothing about :2222
    expect(checkHostKey(lines, '198.18.0.11', 2222, good).ok).toBe(false);
    expect(checkHostKey(lines, 'evil.example', 22, good).ok).toBe(false);
  });

  it('refuses a changed key and a revoked one', () => {
    expect(checkHostKey(lines, '198.18.0.11', 22, blob(3))).toMatchObject({ ok: false, reason: 'changed', knownAt: 2 });
    expect(checkHostKey(lines, '198.18.0.11', 22, other)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(matchesHost('web-*', 'WEB-1')).toBe(true);
    expect(knownKeyTypes(lines, 'web-1', 22)).toEqual(['ssh-ed25519']);
  });
});
