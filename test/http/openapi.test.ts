// docs/openapi.json is generated from the zod schemas the routes parse with; it must be current and whole.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { openApiText } from '../../scripts/openapi.ts';
import { buildOpenApi } from '../../server/http/openapi.ts';

it('docs/openapi.json is current (run `node scripts/openapi.ts` after changing the API or its schemas)', () => {
  expect(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')).toBe(openApiText());
});

it('is OpenAPI 3.1 and every $ref resolves', () => {
  const doc = buildOpenApi() as { openapi: string; components: { schemas: Record<string, unknown> }; paths: Record<string, unknown> };
  expect(doc.openapi).toBe('3.1.0');
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] as string);
  expect(refs.length).toBeGreaterThan(10);
  for (const name of refs) expect(doc.components.schemas, name).toHaveProperty(name);
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([
      '/conferences',
      '/conferences/{id}/points',
      '/conferences/{id}/documents/{docId}',
      '/conferences/{id}/report.html',
    ]),
  );
  const spec = doc.components.schemas.ConferenceSpec as { required: string[]; properties: Record<string, unknown> };
  expect(spec.required).toEqual(expect.arrayContaining(['id', 'title', 'startsAt', 'centralPointId', 'points']));
});
