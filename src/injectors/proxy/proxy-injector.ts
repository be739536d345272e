/**
 * `type: proxy` faults: switch a toxic on the runner's fault proxy at inject and off at revert.
 * The proxy itself runs for the whole drill (a `proxy:` target), so healthy connections stay up.
 */
import { FiredrillError } from '../../errors.js';
import type { FaultAction, Injector, InjectorContext } from '../contract.js';
import { describeProxyFault } from './describe-fault.js';
import { killProcessUndo } from '../undo/kill-process.js';
import { proxyDrillFaultSchema, type ProxyDrillFault, type ProxyFault } from './schema.js';

/** The engine's view of a drill fault: everything but the drill's envelope. */
function engineFault(fault: ProxyDrillFault): ProxyFault {
  const { type: _type, target: _target, startAfter: _startAfter, duration: _duration, ...rest } = fault;
  return rest as ProxyFault;
}

export const proxyInjector: Injector<ProxyDrillFault> = {
  type: 'proxy',
  example: { type: 'proxy', target: 'backend-proxy', duration: '20s', toxic: 'latency', latency: '200ms', jitter: '50ms' },
  schema: proxyDrillFaultSchema,
  targets: ['proxy'],
  describe: (f) => `${describeProxyFault(engineFault(f))}; the fault proxy drops it on revert`,
  undo: [killProcessUndo],
  async preflight(ctx) {
    return ctx.proxies?.get(ctx.fault.target) ? [] : [`target "${ctx.fault.target}" is not a running fault proxy (declare it with proxy: listen/upstream)`];
  },
  plan(ctx: InjectorContext<ProxyDrillFault>): FaultAction[] {
    const proxy = ctx.proxies?.get(ctx.fault.target);
    const instance = proxy?.instance;
    if (!proxy || !instance) throw new FiredrillError('FD_INJECT_FAILED', `target "${ctx.fault.target}" is not a running fault proxy`);
    const fault = engineFault(ctx.fault);
    const id = fault.id ?? fault.toxic;
    return [
      {
        label: `${proxy.name}: ${describeProxyFault(fault)}`,
        instance,
        apply: () => proxy.addFault(fault),
        revert: () => proxy.removeFault(id),
        // the proxy host dies with the runner; from outside, stopping it is the undo
        undoRecipe: { kind: 'kill-process', pid: instance.pid, startTime: instance.startTime },
      },
    ];
  },
};
