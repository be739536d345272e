/** `npm run schema`: regenerates schema/drill.schema.json and schema/gameday.schema.json from the zod schemas (the single source). */
import { writeFileSync } from 'node:fs';
import { drillJsonSchema } from '../src/drill/schema.js';
import { planJsonSchema } from '../src/gameday/plan-schema.js';

writeFileSync(new URL('../schema/drill.schema.json', import.meta.url), `${JSON.stringify(drillJsonSchema(), null, 2)}\n`);
writeFileSync(new URL('../schema/gameday.schema.json', import.meta.url), `${JSON.stringify(planJsonSchema(), null, 2)}\n`);
console.log('wrote schema/drill.schema.json and schema/gameday.schema.json');
