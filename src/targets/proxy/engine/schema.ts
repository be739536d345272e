/**
 * The fault proxy's fault fields, as a zod fragment the drill schema composes (injectors/proxy
 * adds the fault envelope). Text in YAML (`latency: 100ms`, `toxicity: 25%`) becomes numbers with
 * a unit in the name (`latencyMs`, `toxicity` as a 0..1 share). The engine's `ProxyFault` type
 * comes from this file alone.
 */
import * as z from 'zod';
import { duration, share as shareOf } from '../../../values/schema-values.js';

const durationText = duration;

/** `"25%"` → 0.25. */
const share = shareOf({ allowZero: true, example: '25%' });

/** A toxic's `toxic:` field, described for editor hover and the docs' field tables. */
const toxic = <T extends string>(name: T, description: string) => z.literal(name).meta({ description, examples: [name] });

const direction = (fallback: 'upstream' | 'downstream' | 'both') =>
  z
    .enum(['upstream', 'downstream', 'both'])
    .default(fallback)
    .meta({ description: 'upstream: client → service; downstream: service → client; both', examples: [fallback === 'both' ? 'upstream' : 'both'] });

const envelope = {
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.#-]{0,62}$/, 'ids use letters, digits, "-", "_", "." and "#"')
    .optional()
    .meta({ description: 'Name in the proxy counters and the journal; defaults to toxic#index (give a stable one)', examples: ['checkout-abort'] }),
  toxicity: share
    .prefault('100%')
    .meta({ description: 'TCP toxics: share of connections affected; HTTP faults: share of matching requests', examples: ['25%'] }),
};

/** Byte counts stop at 1 TiB: past that a number is a typo, not a test. */
const byteCount = z.number().int().min(0).max(2 ** 40);

const methodList = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]).map((m) => m.toUpperCase()));

const httpMatch = z
  .strictObject({
    method: methodList.optional().meta({ description: 'A method or a list of methods', examples: ['POST', ['PUT', 'PATCH']] }),
    pathPrefix: z
      .string()
      .startsWith('/')
      .optional()
      .meta({ description: 'This path and everything below it (/checkout matches /checkout/pay and /checkout?x, not /checkouts)', examples: ['/checkout'] }),
    headers: z
      .record(z.string().min(1), z.string())
      .optional()
      .meta({ description: 'Header name → exact value, or /regex/; all must match', examples: [{ 'x-tenant': 'canary' }] }),
  })
  .meta({ description: 'Which requests the fault may touch; omitted: every request', examples: [{ method: 'POST', pathPrefix: '/checkout' }] });

// Each kind is built from `extra` so the drill schema can add its own envelope (type, target,
// duration, ...) to every kind and still get one flat object per fault. Output field names are the
// YAML names (as in src/drill/schema.ts); durations come out in milliseconds.
const kinds = <E extends z.ZodRawShape>(extra: E) =>
  [
    z.strictObject({
      ...extra,
      toxic: toxic('latency', 'Delay each chunk (and the end of the stream) by latency ± jitter; order kept'),
      ...envelope,
      direction: direction('downstream'),
      latency: durationText.meta({ description: 'Added to every chunk', examples: ['200ms'] }),
      jitter: durationText.prefault('0ms').meta({ description: 'Each chunk gets latency ± up to this much, uniformly', examples: ['50ms'] }),
    }),
    z.strictObject({
      ...extra,
      toxic: toxic('bandwidth', 'Pace the traffic at rate KB/s'),
      ...envelope,
      direction: direction('downstream'),
      rate: z.number().positive().max(10_000_000).meta({ description: 'KB/s (1 KB = 1000 bytes), at most 10000000 (10 GB/s)', examples: [100] }),
    }),
    z.strictObject({
      ...extra,
      toxic: toxic('timeout', 'Stall the connection: hold everything until revert (or close it after closeAfter)'),
      ...envelope,
      direction: direction('both'),
      closeAfter: durationText
        .optional()
        .meta({ description: 'Close the stalled connection after this; omitted: stall until the fault is reverted', examples: ['5s'] }),
    }),
    z.strictObject({
      ...extra,
      toxic: toxic('reset-peer', 'Reset the connection (RST to both sides) at the first data'),
      ...envelope,
      direction: direction('both'),
      after: durationText.prefault('0ms').meta({ description: 'Reset this long after the first data seen', examples: ['100ms'] }),
    }),
    z.strictObject({
      ...extra,
      toxic: toxic('slow-close', 'Hold back the end of the stream (FIN) for delay'),
      ...envelope,
      direction: direction('downstream'),
      delay: durationText.meta({ description: 'How long the end of the stream (FIN) is held back', examples: ['2s'] }),
    }),
    z.strictObject({
      ...extra,
      toxic: toxic('slicer', 'Cut chunks into small slices, sent delay apart'),
      ...envelope,
      direction: direction('downstream'),
      averageSize: z.number().int().min(1).max(2 ** 30).meta({ description: 'Average slice size in bytes', examples: [64] }),
      sizeVariation: byteCount.default(0).meta({ description: 'Slices vary by ± this many bytes (less than averageSize)', examples: [16] }),
      delay: durationText.prefault('0ms').meta({ description: 'Pause between slices', examples: ['10ms'] }),
    }),
    z.strictObject({
      ...extra,
      toxic: toxic('limit-data', 'Close the connection after bytes bytes'),
      ...envelope,
      direction: direction('downstream'),
      bytes: byteCount.meta({ description: 'Close the connection after this many bytes', examples: [1024] }),
    }),
    z.strictObject({
      ...extra,
      toxic: toxic('refuse', 'Reset new connections at accept, before the upstream is dialed; open ones are left alone'),
      ...envelope,
    }),
    z.strictObject({
      ...extra,
      toxic: toxic('http-abort', 'Answer matching HTTP requests with status itself; they never reach the upstream'),
      ...envelope,
      status: z.number().int().min(200).max(599).default(503).meta({ description: 'The HTTP status the proxy answers with', examples: [503, 429] }),
      body: z.string().optional().meta({ description: 'Response body; by default a short text naming the fault', examples: ['checkout is down for a drill'] }),
      match: httpMatch.prefault({}),
    }),
    z.strictObject({
      ...extra,
      toxic: toxic('http-delay', 'Hold matching HTTP requests for delay before they go upstream'),
      ...envelope,
      delay: durationText.meta({ description: 'How long a matching request is held before it goes upstream', examples: ['2s'] }),
      match: httpMatch.prefault({}),
    }),
  ] as const;

/** The proxy fault union with `extra` fields on every kind (for the drill schema to compose). */
export function proxyFaultSchemaWith<E extends z.ZodRawShape>(extra: E) {
  return z.discriminatedUnion('toxic', kinds(extra)).superRefine((fault, ctx) => {
    // the one cross-field rule; checked on the union because `extra` keeps each kind generic
    const f = fault as { toxic: string; averageSize?: number; sizeVariation?: number };
    if (f.toxic === 'slicer' && (f.sizeVariation ?? 0) >= (f.averageSize ?? 1)) {
      ctx.addIssue({ code: 'custom', path: ['sizeVariation'], message: 'sizeVariation must be smaller than averageSize' });
    }
  });
}

/** One fault of the built-in proxy; `toxic` names the kind. */
export const proxyFaultSchema = proxyFaultSchemaWith({});

/** Every toxic the proxy knows, for messages ("did you mean"); read off the union, as building its kinds again costs start-up time. */
export const TOXIC_NAMES: readonly string[] = proxyFaultSchema.options.map((k) => k.shape.toxic.value);


export type ProxyFault = z.output<typeof proxyFaultSchema>;
export type ProxyFaultInput = z.input<typeof proxyFaultSchema>;
export type ToxicName = ProxyFault['toxic'];
export type FaultOf<T extends ToxicName> = Extract<ProxyFault, { toxic: T }>;
export type HttpFault = FaultOf<'http-abort' | 'http-delay'>;
export type TcpFault = Exclude<ProxyFault, HttpFault>;
export type HttpMatch = z.output<typeof httpMatch>;
/** upstream: client → service; downstream: service → client. */
export type StreamDirection = 'upstream' | 'downstream';

/** Parses faults written as in YAML (`latency: 100ms`); throws zod's error on a bad one. */
export function parseProxyFaults(input: readonly unknown[]): ProxyFault[] {
  return input.map((f) => proxyFaultSchema.parse(f));
}
