import { describe, expect, it } from 'vitest';
import { environmentTokens, extraProductionNames, isProductionName, PRODUCTION_ENV_VARIABLE } from './environment-guard.js';

describe('isProductionName', () => {
  it.each(['prod', 'PROD', 'production', 'live', 'prod-eu', 'eu-prod', 'prd', 'live1', 'production-2', 'prod_us_east', 'euProd', 'PRD01', 'pre-prod', 'www.live.example'])(
    'treats %j as production',
    (name) => expect(isProductionName(name)).toBe(true),
  );

  it.each(['dev', 'staging', 'delivery', 'olive', 'product', 'products-dev', 'liveness', 'prodigy', 'test', 'qa-2'])('does not treat %j as production', (name) => {
    expect(isProductionName(name)).toBe(false);
  });

  it('treats names the drill or the machine declares as production', () => {
    expect(isProductionName('blue', ['Blue'])).toBe(true);
    const extra = extraProductionNames({ productionEnvironments: ['eu-main'] }, { [PRODUCTION_ENV_VARIABLE]: 'blue, green' });
    expect(extra).toEqual(['eu-main', 'blue', 'green']);
    expect(isProductionName('green', extra)).toBe(true);
    expect(isProductionName('staging', extra)).toBe(false);
  });

  it('splits names into tokens at separators, digits and camel humps', () => {
    expect(environmentTokens('euProd-2live')).toEqual(['eu', 'prod', '2', 'live']);
  });
});
