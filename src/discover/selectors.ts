/** The YAML a user pastes under `targets.<name>:` for something `discover` found. */
import type { DiscoveredContainer } from './containers.js';

function plain(text: string): string {
  return /^[A-Za-z_/][\w./-]*$/.test(text) ? text : JSON.stringify(text);
}

export function processSelector(port: number): string {
  return `process: { port: ${port} }`;
}

export function containerSelector(c: Pick<DiscoveredContainer, 'name'>): string {
  return `container: { name: ${plain(c.name)} }`;
}

export function composeSelector(project: string, service: string): string {
  return `container: { compose: { project: ${plain(project)}, service: ${plain(service)} } }`;
}
