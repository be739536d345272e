/** The published schema compiled the strictest way an editor or CI would: ajv, draft-07, strict, ajv-formats. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { repoRoot } from './cli.js';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export const publishedSchema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'drill.schema.json'), 'utf8')) as Record<string, unknown>;
export const publishedPlanSchema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'gameday.schema.json'), 'utf8')) as Record<string, unknown>;

/** A strict draft-07 ajv with ajv-formats, as an editor or CI would set it up. */
export function strictAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

export function strictValidator(schema: Record<string, unknown> = publishedSchema): ValidateFunction {
  return strictAjv().compile(schema);
}
