import { describe, expect, it } from 'vitest';
import { validateDrillText } from '../drill/load.js';
import { renderDrill } from './render.js';
import { FAULTS_FOR, TOXICS, type InitSpec, type InitTarget } from './spec.js';

const targets: InitTarget[] = [
  { kind: 'process', selector: { port: 8000 }, about: 'a server', foundBy: 'a test' },
  { kind: 'process', selector: { match: 'python3 -m http.server' }, about: 'a server', foundBy: 'a test' },
  { kind: 'container', selector: { name: 'shop-redis' }, about: 'redis', foundBy: 'a test' },
  { kind: 'container', selector: { compose: { project: 'shop', service: 'redis' } }, about: 'redis', foundBy: 'a test' },
  { kind: 'proxy', upstream: { host: '127.0.0.1', port: 9000 }, about: 'a proxy', foundBy: 'a test' },
];

const cases: Array<{ target: InitTarget; faultType: string; toxic?: string }> = targets.flatMap((target) =>
  FAULTS_FOR[target.kind].flatMap((faultType) => (faultType === 'proxy' ? TOXICS.map((toxic) => ({ target, faultType, toxic })) : [{ target, faultType }])),
);

describe('the drill init writes', () => {
  it.each(cases)('validates without warnings: $target.kind $faultType $toxic', async ({ target, faultType, toxic }) => {
    const spec: InitSpec = {
      name: 'first-drill',
      target,
      faultType,
      ...(toxic ? { toxic } : {}),
      duration: '10s',
      probe: target.kind === 'proxy' ? { kind: 'http', url: 'http://127.0.0.1:${port:proxy}/' } : { kind: 'tcp', host: '127.0.0.1', port: 8000 },
      environments: ['dev'],
      schemaRef: '../schema/drill.schema.json',
    };
    const text = renderDrill(spec, { today: '2026-01-01', file: 'first-drill.yaml' });
    expect(text.startsWith('# yaml-language-server: $schema=../schema/drill.schema.json\n')).toBe(true);
    const result = await validateDrillText('first-drill.yaml', text);
    expect(result.problems).toEqual([]);
  });
});
