// Writes docs/openapi.json from the API's zod schemas: `node scripts/openapi.ts`. test/http/openapi.test.ts
// fails when the file is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildOpenApi } from '../server/http/openapi.ts';

export const openApiText = (): string => `${JSON.stringify(buildOpenApi(), null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
  writeFileSync(file, openApiText());
  console.log(`wrote ${file}`);
}
