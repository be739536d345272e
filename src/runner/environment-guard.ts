/** The environment guard: a drill runs only where it says it may, and production needs a deliberate yes. */
import type { Drill } from '../drill/schema.js';
import { FiredrillError } from '../errors.js';

/**
 * Words that make an environment name production. A name counts when one of its *tokens* is one of
 * these (tokens are split at anything that is not a letter, at letter/digit changes and at
 * camelCase humps): `prod-eu`, `prd`, `live1`, `production-2`, `euProd` are production, while
 * `delivery`, `olive`, `product` and `liveness` are not. `pre-prod` and `non-prod` count too: a
 * false alarm costs one typed confirmation, a miss can cost an outage.
 */
const PRODUCTION_TOKENS = new Set(['prod', 'prd', 'production', 'live']);

/** More production names for this machine or CI (comma-separated), e.g. `FIREDRILL_PRODUCTION_ENVIRONMENTS=blue,green`. */
export const PRODUCTION_ENV_VARIABLE = 'FIREDRILL_PRODUCTION_ENVIRONMENTS';

/** The tokens of an environment name, lower case. */
export function environmentTokens(env: string): string[] {
  return env
    .split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])/)
    .map((t) => t.toLowerCase())
    .filter((t) => t.length > 0);
}

/** Names declared production on top of the built-in tokens: the drill's and the environment variable's. */
export function extraProductionNames(drill: Pick<Drill, 'productionEnvironments'> | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env[PRODUCTION_ENV_VARIABLE] ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return [...(drill?.productionEnvironments ?? []), ...fromEnv];
}

/** True when `env` names production: a production-like token, or a name listed in `extra` (exactly, ignoring case). */
export function isProductionName(env: string, extra: readonly string[] = []): boolean {
  if (extra.some((name) => name.toLowerCase() === env.toLowerCase())) return true;
  return environmentTokens(env).some((t) => PRODUCTION_TOKENS.has(t));
}

/** Throws FD_ENV_REFUSED unless `environment` is allowed by the drill (and production is explicitly allowed). */
export function checkEnvironment(drill: Drill, environment: string | undefined, options: { allowProduction: boolean }): string {
  if (!environment) {
    throw new FiredrillError(
      'FD_ENV_REFUSED',
      `say which environment this is: --env <name> or FIREDRILL_ENV (this drill may run in: ${drill.environments.join(', ')})`,
    );
  }
  if (!drill.environments.includes(environment)) {
    throw new FiredrillError(
      'FD_ENV_REFUSED',
      `environment "${environment}" is not allowed by this drill (environments: ${drill.environments.join(', ')})`,
      { environment },
    );
  }
  if (isProductionName(environment, extraProductionNames(drill)) && !options.allowProduction) {
    throw new FiredrillError('FD_ENV_REFUSED', `"${environment}" is production: pass --allow-production if you really mean it`, { environment });
  }
  return environment;
}
