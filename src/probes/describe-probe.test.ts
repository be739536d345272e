import { describe, expect, it } from 'vitest';
import { probeSchema, type DrillInput } from '../drill/schema.js';
import { describeProbe } from './registry.js';

type ProbeInput = DrillInput['probes'][string];
const described = (input: ProbeInput): string => describeProbe(probeSchema.parse(input));

describe('describeProbe says everything a check asks for', () => {
  it("a command probe's stdoutMatch", () => {
    expect(described({ command: { run: ['redis-cli', 'PING'], stdoutMatch: 'PONG' } })).toBe('run: redis-cli PING; expecting exit 0 and stdout matching /PONG/');
  });

  it("an HTTP probe's headers (names only: values may be secrets), body, status and body pattern", () => {
    const text = described({
      http: { url: 'http://127.0.0.1:8080/cart', method: 'POST', headers: { authorization: 'Bearer s3cret', 'x-scope': 'a' }, body: '{"sku":"é"}', expectStatus: 201, bodyMatch: 'ok' },
    });
    expect(text).toBe('POST http://127.0.0.1:8080/cart with headers authorization, x-scope and a 12-byte body expecting 201 and a body matching /ok/');
    expect(text).not.toContain('s3cret');
  });

  it('a plain HTTP probe stays short', () => {
    expect(described({ http: { url: 'http://127.0.0.1:8080/health' } })).toBe('GET http://127.0.0.1:8080/health expecting 2xx');
  });
});
