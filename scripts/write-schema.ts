/** `npm run schema`: regenerates schema/drill.schema.json from the zod schema (the single source). */
import { writeFileSync } from 'node:fs';
import { drillJsonSchema } from '../src/drill/schema.js';

writeFileSync(new URL('../schema/drill.schema.json', import.meta.url), `${JSON.stringify(drillJsonSchema(), null, 2)}\n`);
console.log('wrote schema/drill.schema.json');
