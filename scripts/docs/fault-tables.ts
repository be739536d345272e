/**
 * The field tables of docs/drill-format.md's fault sections, made from the published JSON Schema
 * (zod → JSON Schema → these tables): one table per fault type and, for `type: proxy`, per toxic,
 * so a field that means different things in two families (`rate`, `direction`) is never one row.
 * `npm run schema` rewrites the blocks; test/docs/fault-tables.test.ts fails when they are stale.
 */

type Node = Record<string, unknown>;

interface Variant {
  /** `process-pause`, or `proxy` with its toxic */
  type: string;
  toxic?: string;
  schema: Node;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const propsOf = (s: Node): Record<string, Node> => (isNode(s.properties) ? (s.properties as Record<string, Node>) : {});
const constOf = (branch: Node, key: string): string => String((propsOf(isNode(branch.if) ? branch.if : {})[key] ?? {}).const);

/** Every fault type (and proxy toxic) with its own schema, in registry order. */
export function faultVariants(published: unknown): Variant[] {
  const faults = propsOf(published as Node).faults as Node;
  const out: Variant[] = [];
  for (const branch of (faults.items as Node).allOf as Node[]) {
    const type = constOf(branch, 'type');
    const then = branch.then as Node;
    if (Array.isArray(then.allOf)) for (const inner of then.allOf as Node[]) out.push({ type, toxic: constOf(inner, 'toxic'), schema: inner.then as Node });
    else out.push({ type, schema: then });
  }
  return out;
}

function text(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return `\`${s.replace(/\|/g, '\\|')}\``;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The values an enum field takes, found in the node or in its anyOf. */
function enumOf(node: Node): unknown[] | undefined {
  if (Array.isArray(node.enum)) return node.enum;
  for (const v of (node.anyOf as Node[] | undefined) ?? []) if (Array.isArray(v.enum)) return v.enum;
  return undefined;
}

function row(key: string, node: Node, required: boolean): string[] {
  const fallback = required ? 'required' : node.default !== undefined ? text(node.default) : '—';
  const values = enumOf(node);
  const meaning = `${cell(String(node.description ?? ''))}${values ? ` (${values.map(text).join(', ')})` : ''}`;
  const examples = Array.isArray(node.examples) ? node.examples.map(text).join(', ') : '';
  const nested = propsOf(node);
  const inner = new Set((node.required as string[] | undefined) ?? []);
  return [
    `| \`faults[].${key}\` | ${fallback} | ${meaning} | ${examples} |`,
    ...Object.entries(nested).flatMap(([k, child]) => row(`${key}.${k}`, child, inner.has(k))),
  ];
}

function table(schema: Node, keys: string[]): string[] {
  if (keys.length === 0) return ['No fields besides the ones above.'];
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const props = propsOf(schema);
  return ['| field | default | meaning | example |', '|---|---|---|---|', ...keys.flatMap((k) => row(k, props[k] as Node, required.has(k)))];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Keys every variant has with the very same schema (the fault envelope), in the first variant's order. */
function sharedKeys(variants: Variant[]): string[] {
  const first = propsOf(variants[0]?.schema ?? {});
  return Object.keys(first).filter((k) => variants.every((v) => same(propsOf(v.schema)[k], first[k])));
}

/** The generated blocks by name: `fault-envelope`, `fault <type>`, `proxy-envelope`, `toxic <name>`. */
export function faultTables(published: unknown): Map<string, string> {
  const variants = faultVariants(published);
  const blocks = new Map<string, string>();
  // the envelope as every fault but the proxy's has it (the proxy's `id` names a toxic instead)
  const envelopeKeys = sharedKeys(variants.filter((v) => v.toxic === undefined));
  const envelopeSchema = variants[0]?.schema ?? {};
  const inEnvelope = (v: Variant, k: string) => envelopeKeys.includes(k) && same(propsOf(v.schema)[k], propsOf(envelopeSchema)[k]);
  const typeNode = (propsOf(published as Node).faults as Node).items as Node;
  const envelope: Node = {
    required: ['type', ...((envelopeSchema.required as string[] | undefined) ?? [])],
    properties: { ...propsOf(envelopeSchema), type: propsOf(typeNode).type },
  };
  blocks.set('fault-envelope', table(envelope, ['type', ...envelopeKeys.filter((k) => k !== 'type')]).join('\n'));
  const own = (v: Variant, skip: string[] = []) =>
    Object.keys(propsOf(v.schema)).filter((k) => k !== 'type' && k !== 'toxic' && !inEnvelope(v, k) && !skip.includes(k));
  const typeDescription = (v: Variant) => String(propsOf(v.schema).type?.description ?? '');

  for (const v of variants.filter((x) => x.toxic === undefined)) {
    blocks.set(`fault ${v.type}`, [`**\`${v.type}\`**: ${typeDescription(v)}.`, '', ...table(v.schema, own(v))].join('\n'));
  }
  const toxics = variants.filter((x) => x.toxic !== undefined);
  if (toxics.length > 0) {
    const first = toxics[0] as Variant;
    const proxyKeys = sharedKeys(toxics).filter((k) => k !== 'type' && k !== 'toxic' && !inEnvelope(first, k));
    const toxicNode = { ...(propsOf(first.schema).toxic ?? {}), enum: toxics.map((t) => t.toxic), description: 'The proxy toxic: what happens to the traffic', examples: [first.toxic] };
    blocks.set(
      'proxy-envelope',
      [`**\`proxy\`**: ${typeDescription(first)}.`, '', ...table({ ...first.schema, properties: { ...propsOf(first.schema), toxic: toxicNode } }, ['toxic', ...proxyKeys])].join('\n'),
    );
    for (const t of toxics) {
      const description = String(propsOf(t.schema).toxic?.description ?? '');
      blocks.set(`toxic ${t.toxic}`, [`**\`toxic: ${t.toxic}\`**: ${description}.`, '', ...table(t.schema, own(t, proxyKeys))].join('\n'));
    }
  }
  return blocks;
}

const BLOCK = /<!-- generated: ([^>]+?) \(npm run schema\) -->\n[\s\S]*?<!-- end generated -->/g;

/** `doc` with every generated block rewritten; throws on a block name the schema does not know. */
export function rewriteBlocks(doc: string, blocks: Map<string, string>): string {
  return doc.replace(BLOCK, (_whole, name: string) => {
    const body = blocks.get(name);
    if (body === undefined) throw new Error(`docs/drill-format.md has a generated block "${name}" the schema does not make`);
    return `<!-- generated: ${name} (npm run schema) -->\n${body}\n\n<!-- end generated -->`;
  });
}

/** The names of the generated blocks `doc` holds, in order. */
export function blockNames(doc: string): string[] {
  return [...doc.matchAll(BLOCK)].map((m) => m[1] as string);
}
