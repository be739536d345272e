import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../docker/containers.js';
import { containerMatcher, describeSelector, hasLabel, requiredLabels } from './selector.js';

const container = (name: string, labels: Record<string, string> = {}, state = 'running'): ContainerSummary => ({
  id: `${name}-id`,
  name,
  image: 'local/redis:test',
  labels,
  state,
});

describe('container selectors', () => {
  it('matches a name exactly unless it is written as a /regex/', () => {
    const exact = containerMatcher({ name: 'redis' });
    expect(exact(container('redis'))).toBe(true);
    expect(exact(container('redis-2'))).toBe(false);
    const pattern = containerMatcher({ name: '/^shop-cart-\\d+$/' });
    expect(['shop-cart-1', 'shop-cart-2', 'shop-cart-x'].map((n) => pattern(container(n)))).toEqual([true, true, false]);
  });

  it('requires every label, by key alone or by key=value', () => {
    expect(hasLabel({ app: 'cart' }, 'app')).toBe(true);
    expect(hasLabel({ app: 'cart' }, 'app=cart')).toBe(true);
    expect(hasLabel({ app: 'cart' }, 'app=carts')).toBe(false);
    expect(hasLabel({ 'tier=x': 'y' }, 'tier')).toBe(false);
    expect(hasLabel({ note: 'a=b' }, 'note=a=b')).toBe(true);
    const both = containerMatcher({ label: ['app=cart', 'env'] });
    expect(both(container('a', { app: 'cart', env: 'staging' }))).toBe(true);
    expect(both(container('b', { app: 'cart' }))).toBe(false);
  });

  it('turns a compose project and service into their labels', () => {
    expect(requiredLabels({ compose: { project: 'shop', service: 'redis' } })).toEqual([
      'com.docker.compose.project=shop',
      'com.docker.compose.service=redis',
    ]);
    const project = containerMatcher({ compose: { project: 'shop' } });
    expect(project(container('shop_redis_1', { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'redis' }))).toBe(true);
    expect(project(container('other_redis_1', { 'com.docker.compose.project': 'other' }))).toBe(false);
  });

  it('narrows down when several selectors are given', () => {
    const m = containerMatcher({ name: '/cart/', label: ['app=cart'] });
    expect(m(container('cart-1', { app: 'cart' }))).toBe(true);
    expect(m(container('cart-1', { app: 'shop' }))).toBe(false);
    expect(m(container('redis', { app: 'cart' }))).toBe(false);
  });

  it('never selects a paused container or a helper firedrill started itself', () => {
    const m = containerMatcher({ label: ['app=cart'] });
    expect(m(container('cart-1', { app: 'cart' }, 'paused'))).toBe(false);
    expect(m(container('stress', { app: 'cart', 'io.firedrill.role': 'stress' }))).toBe(false);
  });

  it('refuses a name pattern that does not compile, saying where', () => {
    expect(() => containerMatcher({ name: '/(/' })).toThrow(/container\.name/);
  });

  it('describes what it looks for in words', () => {
    expect(describeSelector({ label: ['app=cart'], compose: { project: 'shop', service: 'cart' } })).toBe(
      'running containers with label app=cart in compose project shop, service cart',
    );
    expect(describeSelector({ name: 'redis' })).toBe('running containers named "redis"');
  });
});
