import { describe, expect, it } from 'vitest';
import { proxyFaultSchema } from '../schema.js';
import { parseRequestHead } from './head.js';
import { compileMatch, pathUnder, targetPath } from './match.js';

const head = (text: string) => parseRequestHead(Buffer.from(`${text}\r\n\r\n`))!;
const matcher = (match: Record<string, unknown>) => {
  const f = proxyFaultSchema.parse({ toxic: 'http-abort', match });
  if (f.toxic !== 'http-abort') throw new Error('unexpected');
  return compileMatch(f.match);
};

describe('HTTP request matching', () => {
  it('takes the path from origin-form and absolute-form targets', () => {
    expect(targetPath('/checkout?id=1')).toBe('/checkout');
    expect(targetPath('http://shop:8080/checkout/pay#x')).toBe('/checkout/pay');
    expect(targetPath('http://shop')).toBe('/');
    expect(targetPath('*')).toBe('*');
  });

  it('matches a path prefix by segments', () => {
    expect(pathUnder('/checkout', '/checkout')).toBe(true);
    expect(pathUnder('/checkout/pay', '/checkout')).toBe(true);
    expect(pathUnder('/checkouts', '/checkout')).toBe(false);
    expect(pathUnder('/api/v1', '/api/')).toBe(true);
    expect(pathUnder('/anything', '/')).toBe(true);
  });

  it('breaks /checkout and leaves /health alone', () => {
    const m = matcher({ pathPrefix: '/checkout', method: ['post', 'PUT'] });
    expect(m(head('POST /checkout HTTP/1.1'))).toBe(true);
    expect(m(head('PUT /checkout/1 HTTP/1.1'))).toBe(true);
    expect(m(head('GET /checkout HTTP/1.1'))).toBe(false);
    expect(m(head('POST /health HTTP/1.1'))).toBe(false);
  });

  it('matches headers by exact value or /regex/, names in any case', () => {
    const m = matcher({ headers: { 'X-User': '/^beta-/i', 'x-tenant': 'acme' } });
    expect(m(head('GET / HTTP/1.1\r\nx-user: Beta-7\r\nX-Tenant: acme'))).toBe(true);
    expect(m(head('GET / HTTP/1.1\r\nx-user: beta-7\r\nX-Tenant: acme2'))).toBe(false);
    expect(m(head('GET / HTTP/1.1\r\nX-Tenant: acme'))).toBe(false);
  });

  it('matches every request when nothing is given', () => {
    expect(matcher({})(head('DELETE /x HTTP/1.0'))).toBe(true);
  });
});
