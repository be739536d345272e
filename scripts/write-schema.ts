/**
 * `npm run schema`: regenerates schema/drill.schema.json and schema/gameday.schema.json from the
 * zod schemas (the single source), and the fault field tables of docs/drill-format.md from the
 * drill schema.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { drillJsonSchema } from '../src/drill/schema.js';
import { planJsonSchema } from '../src/gameday/plan-schema.js';
import { faultTables, rewriteBlocks } from './docs/fault-tables.js';

const drill = drillJsonSchema();
writeFileSync(new URL('../schema/drill.schema.json', import.meta.url), `${JSON.stringify(drill, null, 2)}\n`);
writeFileSync(new URL('../schema/gameday.schema.json', import.meta.url), `${JSON.stringify(planJsonSchema(), null, 2)}\n`);
const docUrl = new URL('../docs/drill-format.md', import.meta.url);
writeFileSync(docUrl, rewriteBlocks(readFileSync(docUrl, 'utf8'), faultTables(drill)));
console.log('wrote schema/drill.schema.json, schema/gameday.schema.json and the fault tables of docs/drill-format.md');
