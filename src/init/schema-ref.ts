/** Where the editor finds the drill JSON Schema: the copy shipped in this package, relative to the drill when that is short. */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHIPPED_SCHEMA = fileURLToPath(new URL('../../schema/drill.schema.json', import.meta.url));

const PACKAGE_ROOT = dirname(dirname(SHIPPED_SCHEMA));

/** The `$schema=` value for a drill written to `drillFile`: relative inside this package's folder (drills/, examples/), else absolute. */
export function schemaRefFor(drillFile: string): string {
  const dir = dirname(resolve(drillFile));
  const inside = relative(PACKAGE_ROOT, dir);
  if (inside.startsWith('..') || isAbsolute(inside)) return SHIPPED_SCHEMA;
  return relative(dir, SHIPPED_SCHEMA);
}
