/**
 * The published JSON Schema (schema/drill.schema.json), made for editors from the zod schema:
 * draft-07 (what yaml-language-server supports best), an `$id` and a title, faults chosen by
 * `type` (and proxy faults by `toxic`) with if/then so a typo in `type` is one clear error, and
 * `${VAR}` accepted wherever a number or a URL goes (variables are substituted before validation).
 */

type Node = Record<string, unknown>;

export const SCHEMA_ID = 'https://firedrill.invalid/schema/drill-v1.json';
/** A whole `${NAME}`, `${NAME:-default}`, `${port:NAME}` or `${secret:NAME}`. */
const WHOLE_VARIABLE = '^\\$\\{(?:(?:secret|port):)?[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\\}$';
const VARIABLE_INSIDE = '\\$\\{(?:(?:secret|port):)?[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\\}';
const STANDARD_FORMATS = new Set(['uri', 'email', 'date-time', 'date', 'time', 'ipv4', 'ipv6', 'hostname', 'regex', 'uuid']);

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const variableNumber = { type: 'string', pattern: WHOLE_VARIABLE, description: 'A ${VAR} that holds a number' };

/** Walks every subschema, rewriting numbers, URLs and non-standard formats for editors and strict validators. */
export function adapt(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adapt);
  if (!isNode(node)) return node;
  const out: Node = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' || k === 'definitions' ? Object.fromEntries(Object.entries(v as Node).map(([pk, pv]) => [pk, adapt(pv)])) : adapt(v);
  if (typeof out.format === 'string' && !STANDARD_FORMATS.has(out.format)) delete out.format;
  // strict validators refuse `type: [a, b]`: say it as anyOf
  if (Array.isArray(out.type)) {
    const { type, description, examples, default: fallback, ...rest } = out;
    return {
      ...(description ? { description } : {}),
      ...(examples ? { examples } : {}),
      ...(fallback !== undefined ? { default: fallback } : {}),
      anyOf: (type as string[]).map((t) => adapt({ type: t, ...rest })),
    };
  }
  if (out.type === 'number' || out.type === 'integer') {
    const { description, examples, default: fallback, ...rest } = out;
    return { ...(description ? { description } : {}), ...(examples ? { examples } : {}), ...(fallback !== undefined ? { default: fallback } : {}), anyOf: [rest, variableNumber] };
  }
  if (out.type === 'string' && out.format === 'uri') {
    const { description, examples, default: fallback, ...rest } = out;
    return {
      ...(description ? { description } : {}),
      ...(examples ? { examples } : {}),
      ...(fallback !== undefined ? { default: fallback } : {}),
      anyOf: [rest, { type: 'string', pattern: VARIABLE_INSIDE, description: 'A URL with ${VAR} in it' }],
    };
  }
  // a tuple needs its length said outright for strict validators
  if (Array.isArray(out.items) && out.additionalItems === undefined) {
    out.additionalItems = false;
    out.minItems ??= out.items.length;
  }
  return out;
}

/** `oneOf` of objects with a `const` discriminator → if/then per value, plus an enum on the discriminator. */
function discriminate(union: Node, key: string, description: string): Node {
  const variants = ((union.oneOf ?? union.anyOf) as Node[] | undefined) ?? [];
  const valueOf = (v: Node) => ((v.properties as Node | undefined)?.[key] as Node | undefined)?.const;
  const values = variants.map(valueOf).filter((v): v is string => typeof v === 'string');
  return {
    type: 'object',
    required: [key],
    properties: { [key]: { type: 'string', enum: values, description, examples: values.slice(0, 1) } },
    allOf: variants.map((v) => ({
      if: { properties: { [key]: { const: valueOf(v) } }, required: [key] },
      then: v,
    })),
  };
}

function proxyVariant(v: Node): Node {
  // the proxy's own union (by toxic) sits inside the `type: proxy` variant
  const inner = ((v.oneOf ?? v.anyOf) as Node[] | undefined) ?? [];
  if (inner.length === 0) return v;
  return discriminate({ oneOf: inner }, 'toxic', 'The proxy toxic: what happens to the traffic (latency, timeout, reset-peer, ...)');
}

/** The editor schema from zod's draft-07 output of the drill schema (input side). */
export function editorSchema(zodDraft7: unknown): Node {
  const root = adapt(zodDraft7) as Node;
  const props = root.properties as Node;
  const faults = props.faults as Node;
  const union = faults.items as Node;
  const constOf = (v: Node | undefined): unknown => ((v?.properties as Node | undefined)?.type as Node | undefined)?.const;
  const variants = (((union.oneOf ?? union.anyOf) as Node[] | undefined) ?? []).map((v) => {
    const inner = (v.oneOf ?? v.anyOf) as Node[] | undefined;
    const type = constOf(v) ?? constOf(inner?.[0]);
    return { type, schema: constOf(v) === undefined && inner ? proxyVariant(v) : v };
  });
  faults.items = {
    type: 'object',
    required: ['type'],
    properties: { type: { type: 'string', enum: variants.map((v) => v.type), description: 'The fault: what is broken, and how it is undone (see docs/drill-format.md)', examples: ['process-pause'] } },
    allOf: variants.map((v) => ({ if: { properties: { type: { const: v.type } }, required: ['type'] }, then: v.schema })),
  };
  const { $schema: _ignored, ...rest } = root;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'firedrill drill (apiVersion firedrill/v1)',
    description: 'A chaos drill: targets, a blast radius, faults, probes, expectations and a kill switch. Reference: docs/drill-format.md',
    ...rest,
  };
}
