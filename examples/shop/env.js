// Reads the shop's settings from the environment; a bad value stops the process with one clear line.

/** A TCP port from `name`; 0 asks the system for a free one (the ready line says which). */
export function portFromEnv(name) {
  const text = process.env[name];
  const port = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`${name} is required: a TCP port such as 8080 (0 picks a free one)`);
  }
  return port;
}

/** An http:// URL from `name`. */
export function urlFromEnv(name) {
  const text = process.env[name] ?? '';
  if (!URL.canParse(text) || new URL(text).protocol !== 'http:') {
    fail(`${name} is required: an http:// URL such as http://127.0.0.1:8081`);
  }
  return new URL(text);
}

/** A positive number of milliseconds from `name`, or `fallback` when unset. */
export function msFromEnv(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const ms = Number(text);
  if (!(ms > 0)) fail(`${name} must be a positive number of milliseconds, got "${text}"`);
  return ms;
}

function fail(message) {
  console.error(message);
  // configuration is read before anything starts, so there is nothing to clean up
  process.exit(2);
}
