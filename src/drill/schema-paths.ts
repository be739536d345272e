/**
 * Every field path of the published JSON Schema (`blastRadius.select.mode`, `faults[].duration`,
 * `probes.*.http.url`). The docs test checks docs/drill-format.md names each of them.
 */
type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  /** faults are chosen by type with if/then (see editor-schema.ts) */
  allOf?: Array<JsonSchema & { then?: JsonSchema }>;
};

export function schemaPaths(schema: unknown, prefix = ''): string[] {
  const s = schema as JsonSchema;
  const out = new Set<string>();
  const variants = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? []).flatMap((a) => (a.then ? [a.then] : [a]))];
  for (const variant of variants) for (const p of schemaPaths(variant, prefix)) out.add(p);
  for (const [key, child] of Object.entries(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.add(path);
    for (const p of schemaPaths(child, path)) out.add(p);
  }
  if (s.items) for (const p of schemaPaths(s.items, `${prefix}[]`)) out.add(p);
  if (s.additionalProperties && typeof s.additionalProperties === 'object' && s.additionalProperties.properties) {
    for (const p of schemaPaths(s.additionalProperties, `${prefix}.*`)) out.add(p);
  }
  return [...out];
}
