import { describe, expect, it } from 'vitest';
import { parseHostPort, tcpCheck } from './tcp.js';

describe('parseHostPort', () => {
  it('reads host:port, [v6]:port and :port', () => {
    expect(parseHostPort('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseHostPort('localhost:80')).toEqual({ host: 'localhost', port: 80 });
    expect(parseHostPort('[::1]:6379')).toEqual({ host: '::1', port: 6379 });
    expect(parseHostPort(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
  });

  it('refuses anything else', () => {
    for (const bad of ['8080', 'host', 'host:', 'host:0', 'host:70000', '::1:80', 'a:b']) expect(parseHostPort(bad)).toBeUndefined();
  });
});

describe('tcpCheck', () => {
  it('refuses a malformed address before anything starts', () => {
    expect(() => tcpCheck('localhost')).toThrow(/not host:port/);
  });
});
