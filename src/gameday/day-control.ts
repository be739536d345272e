/**
 * The day's control endpoint on 127.0.0.1 with a random token: `POST /note` (observers' notes),
 * `POST /done` (a manual step is done), `POST /go` (release a hold), `POST /continue` and
 * `POST /stop` (answer an `onFailure: ask`), `POST /abort` (stop the day now; the current drill
 * reverts), `GET /status`. Without the right `Authorization: Bearer <token>`: 401, nothing changes.
 * Its address and token go into a 0600 file in the state dir so `firedrill note` finds it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { DayCommand } from './command-channel.js';
import type { NoteBus } from './note-bus.js';
import { authorized, send } from '../safety/token-http.js';

export type FacilitatorCommand = DayCommand;
export const FACILITATOR_COMMANDS: readonly FacilitatorCommand[] = ['done', 'go', 'continue', 'stop', 'skip', 'abort'];

export interface DayControl {
  port: number;
  token: string;
  /** the discovery file `firedrill note` reads */
  file: string;
  close(): Promise<void>;
}

export interface DayControlOptions {
  port: number;
  dayId: string;
  stateDir: string;
  notes: NoteBus;
  onCommand: (command: FacilitatorCommand, by: string) => void;
  status: () => unknown;
}

const MAX_BODY_BYTES = 16 * 1024;

/** The folder where running days leave their discovery files. */
export function dayControlDir(stateDir: string): string {
  return join(stateDir, 'gamedays');
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `{ "text": "...", "author": "..." }` or a plain-text body. */
function parseNote(body: string, contentType: string | undefined): { text: string; author?: string } | undefined {
  if (contentType?.includes('json')) {
    try {
      const v: unknown = JSON.parse(body);
      if (!v || typeof v !== 'object') return undefined;
      const text = (v as Record<string, unknown>).text;
      const author = (v as Record<string, unknown>).author;
      if (typeof text !== 'string') return undefined;
      return { text, ...(typeof author === 'string' ? { author } : {}) };
    } catch {
      return undefined;
    }
  }
  return { text: body };
}

export async function startDayControl(options: DayControlOptions): Promise<DayControl> {
  const token = randomBytes(18).toString('base64url');
  const server = createServer((req, res) => {
    if (!authorized(req, token)) {
      send(res, 401, { error: 'missing or wrong token' });
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/status') {
      send(res, 200, options.status());
      return;
    }
    if (req.method === 'POST' && path === '/note') {
      void readBody(req).then((body) => {
        const parsed = body === undefined ? undefined : parseNote(body, req.headers['content-type']);
        if (!parsed) {
          send(res, body === undefined ? 413 : 400, { error: body === undefined ? 'note too large' : 'send {"text": "...", "author": "..."} or a text/plain body' });
          return;
        }
        const author = parsed.author ?? (typeof req.headers['x-firedrill-author'] === 'string' ? req.headers['x-firedrill-author'] : 'http');
        // `firedrill note` says it is the CLI; anything else posting here is an http client
        const source = req.headers['x-firedrill-source'] === 'cli' ? 'cli' : 'http';
        const note = options.notes.publish({ author, source, text: parsed.text });
        send(res, note ? 201 : 400, note ?? { error: 'empty note' });
      });
      return;
    }
    const command = FACILITATOR_COMMANDS.find((c) => path === `/${c}`);
    if (req.method === 'POST' && command) {
      options.onCommand(command, 'control endpoint');
      send(res, 202, { dayId: options.dayId, command });
      return;
    }
    send(res, 404, { error: `GET /status, POST /note, or POST ${FACILITATOR_COMMANDS.map((c) => `/${c}`).join(', ')}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const dir = dayControlDir(options.stateDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${options.dayId}.json`);
  await writeFile(file, `${JSON.stringify({ dayId: options.dayId, pid: process.pid, port, token })}\n`, { mode: 0o600 });
  return {
    port,
    token,
    file,
    close: async () => {
      await rm(file, { force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
