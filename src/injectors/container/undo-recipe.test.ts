import { describe, expect, it } from 'vitest';
import { containerUndo, describeContainerUndo, undoContainer } from './undo-recipe.js';

const redis = { id: '3f2a1b2c3d4e5f60718293a4b5c6d7e8', name: 'shop_redis_1' };

describe('container undo recipes', () => {
  it('are plain data a ledger can store: action, container id, name and the engine address', () => {
    const recipe = containerUndo('unpause', redis, 'tcp://10.0.0.5:2375');
    expect(JSON.parse(JSON.stringify(recipe))).toEqual({ kind: 'container', action: 'unpause', container: redis.id, name: redis.name, dockerHost: 'tcp://10.0.0.5:2375' });
    expect(containerUndo('start', redis, undefined)).not.toHaveProperty('dockerHost');
  });

  it('say what they will do, for recover --dry-run', () => {
    expect(describeContainerUndo(containerUndo('unpause', redis, undefined))).toBe('unpause container shop_redis_1 (3f2a1b2c3d4e) if it is paused, on unix:///var/run/docker.sock');
    expect(describeContainerUndo(containerUndo('start', redis, 'tcp://10.0.0.5:2375'))).toBe('start container shop_redis_1 (3f2a1b2c3d4e) if it is not running, on tcp://10.0.0.5:2375');
  });

  it('fail as a revert failure naming the engine when it does not answer', async () => {
    // nothing listens on loopback port 1
    const recipe = containerUndo('unpause', redis, 'tcp://127.0.0.1:1');
    await expect(undoContainer(recipe, AbortSignal.timeout(10_000))).rejects.toMatchObject({
      code: 'FD_REVERT_FAILED',
      message: expect.stringMatching(/no Docker engine answers at tcp:\/\/127\.0\.0\.1:1/),
    });
  });
});
