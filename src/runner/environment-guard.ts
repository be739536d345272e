/** The environment guard: a drill runs only where it says it may, and production needs a deliberate yes. */
import type { Drill } from '../drill/schema.js';
import { FiredrillError } from '../errors.js';

const PRODUCTION = /^(prod|production|live)$/i;

export function isProductionName(env: string): boolean {
  return PRODUCTION.test(env);
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
  if (isProductionName(environment) && !options.allowProduction) {
    throw new FiredrillError('FD_ENV_REFUSED', `"${environment}" is production: pass --allow-production if you really mean it`, { environment });
  }
  return environment;
}
