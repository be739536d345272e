import { describe, expect, it } from 'vitest';
import { alertmanagerFilters, alertsSelector } from './alert-selector.js';

describe('alert selectors', () => {
  it('selects the alert\'s ALERTS series with exact and regex label matchers, quoting safely', () => {
    expect(alertsSelector('ShopDown', {})).toBe('ALERTS{alertname="ShopDown"}');
    expect(alertsSelector('Odd"Name\\', { severity: 'page', instance: '/shop-.*/' })).toBe(
      'ALERTS{alertname="Odd\\"Name\\\\",severity="page",instance=~"shop-.*"}',
    );
    expect(alertsSelector('A', { env: '/prod/i' })).toBe('ALERTS{alertname="A",env=~"(?i)prod"}');
  });

  it('builds the same matchers as Alertmanager filters', () => {
    expect(alertmanagerFilters('ShopDown', { severity: '/page|ticket/' })).toEqual(['alertname="ShopDown"', 'severity=~"page|ticket"']);
  });
});
