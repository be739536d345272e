/**
 * The facilitator's control endpoint: a small HTTP server on 127.0.0.1 with a random token printed
 * at start. `POST /abort` makes the drill revert now; `GET /status` says where it is. A request
 * without the right `Authorization: Bearer <token>` gets 401 and changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { PhaseName } from '../drill/schema.js';
import type { FaultRecord, KillSwitchRecord } from '../journal/types.js';
import type { RunObserver } from '../journal/observer.js';
import { authorized, send } from './token-http.js';

export interface ControlEndpoint extends RunObserver {
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startControlEndpoint(options: { port: number; runId: string; drill: string; onAbort: (reason: string) => void }): Promise<ControlEndpoint> {
  const token = randomBytes(18).toString('base64url');
  let phase: PhaseName | 'starting' | 'finished' = 'starting';
  const active = new Map<string, string>();
  let killSwitch: KillSwitchRecord = { tripped: false };

  const server = createServer((req, res) => {
    if (!authorized(req, token)) {
      send(res, 401, { error: 'missing or wrong token' });
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/status') {
      send(res, 200, { runId: options.runId, drill: options.drill, phase, faultsActive: [...active.values()], killSwitch });
    } else if (req.method === 'POST' && path === '/abort') {
      options.onAbort('aborted through the control endpoint');
      send(res, 202, { runId: options.runId, aborting: true });
    } else {
      send(res, 404, { error: 'GET /status or POST /abort' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    token,
    onPhaseStart: (p) => {
      phase = p;
    },
    onFault: (f: FaultRecord) => {
      if (f.status === 'injected') active.set(f.id, f.label);
      else active.delete(f.id);
    },
    onKillSwitch: (k) => {
      killSwitch = k;
    },
    onFinished: () => {
      phase = 'finished';
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
