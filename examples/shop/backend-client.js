// How the api calls the backend: one fresh connection per call, bounded by a timeout.
import http from 'node:http';

/**
 * GETs `path` from `baseUrl`. Resolves `{ ok: true, status, body }` for a 2xx answer, otherwise
 * `{ ok: false, reason, message }` with reason `timeout`, `connection` or `status`. Never rejects.
 */
export function getFromBackend(baseUrl, path, timeoutMs) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    // agent: false, so a paused backend cannot hide behind a pooled connection
    const request = http.get(new URL(path, baseUrl), { agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', (error) => finish({ ok: false, reason: 'connection', message: error.message }));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) finish({ ok: true, status, body });
        else finish({ ok: false, reason: 'status', message: `status ${status}` });
      });
    });
    request.on('error', (error) => finish({ ok: false, reason: 'connection', message: error.code ?? error.message }));
    // one timer for the whole exchange: a backend that accepts and then says nothing is the case that matters
    const timer = setTimeout(
      () => finish({ ok: false, reason: 'timeout', message: `no answer within ${timeoutMs}ms` }),
      timeoutMs,
    );
  });
}
