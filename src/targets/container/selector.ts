/** Which containers a `container:` target names: by name, labels and compose project/service. Pure. */
import type { ContainerSummary } from '../../docker/containers.js';
import { FIREDRILL_ROLE_LABEL } from '../../docker/containers.js';
import { compileRegex, isRegexLiteral } from '../regex-literal.js';

export type { ContainerSelector } from './schema.js';
import type { ContainerSelector } from './schema.js';

/** The labels docker-compose (v1 and v2) puts on every container it creates. */
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

/** Every label the selector requires, in the engine's filter form (`key` or `key=value`). */
export function requiredLabels(selector: ContainerSelector): string[] {
  const labels = [...(selector.label ?? [])];
  if (selector.compose) {
    labels.push(`${COMPOSE_PROJECT_LABEL}=${selector.compose.project}`);
    if (selector.compose.service !== undefined) labels.push(`${COMPOSE_SERVICE_LABEL}=${selector.compose.service}`);
  }
  return labels;
}

/** Whether `labels` carry `required` (`key` present, or `key=value` exactly). */
export function hasLabel(labels: Readonly<Record<string, string>>, required: string): boolean {
  const eq = required.indexOf('=');
  if (eq === -1) return Object.hasOwn(labels, required);
  const key = required.slice(0, eq);
  return Object.hasOwn(labels, key) && labels[key] === required.slice(eq + 1);
}

/** A matcher for the selector; throws FD_DRILL_INVALID for a name regex that does not compile. */
export function containerMatcher(selector: ContainerSelector): (c: ContainerSummary) => boolean {
  const labels = requiredLabels(selector);
  const name = selector.name;
  const nameMatches =
    name === undefined ? () => true : isRegexLiteral(name) ? ((re: RegExp) => (n: string) => re.test(n))(compileRegex(name, 'container.name')) : (n: string) => n === name;
  // containers firedrill started itself (stress helpers) are never targets
  return (c) => c.state === 'running' && !Object.hasOwn(c.labels, FIREDRILL_ROLE_LABEL) && nameMatches(c.name) && labels.every((l) => hasLabel(c.labels, l));
}

/** `containers named "redis" with label app=cart in compose project shop, service redis`: for plans and reports. */
export function describeSelector(selector: ContainerSelector): string {
  const parts: string[] = [];
  if (selector.name !== undefined) parts.push(isRegexLiteral(selector.name) ? `named like ${selector.name}` : `named "${selector.name}"`);
  if (selector.label) parts.push(`with label${selector.label.length === 1 ? '' : 's'} ${selector.label.join(', ')}`);
  if (selector.compose) {
    parts.push(`in compose project ${selector.compose.project}${selector.compose.service !== undefined ? `, service ${selector.compose.service}` : ''}`);
  }
  return `running containers ${parts.join(' ')}`;
}
