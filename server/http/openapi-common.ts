// Pieces of the OpenAPI document shared by its parts (openapi.ts, openapi-organiser.ts): schemas from zod,
// references, answers and errors, the path parameters, and one operation with the errors every route has.
import { z } from 'zod';

export type Json = Record<string, unknown>;

export function schema(type: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(type, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return rest;
}

export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
export const json = (s: Json): Json => ({ 'application/json': { schema: s } });
export const error = (description: string): Json => ({ description, content: json(ref('Error')) });
export const ok = (description: string, s: Json, status = '200'): Json => ({ [status]: { description, content: json(s) } });
export const list = (key: string, item: string): Json => ({
  type: 'object',
  properties: { [key]: { type: 'array', items: ref(item) } },
  required: [key],
});
export const body = (name: string): Json => ({ requestBody: { required: true, content: json(ref(name)) } });

export const COMMON_ERRORS = {
  '400': error('invalid: the body, query or file failed a check (code "invalid")'),
  '401': error('unauthenticated: no, malformed, expired or revoked credential'),
  '403': error('forbidden: the credential is for another conference or its role may not do this, or the browser Origin is not allowed'),
  '404': error('not_found: no such conference, point or document'),
  '500': error('internal'),
};

export const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'conference id' };
export const pathParam = (name: string, description: string): Json => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});

export function operation(summary: string, who: string, responses: Json, extra: Json = {}): Json {
  return { summary, description: `Allowed: ${who}.`, security: [{ bearer: [] }], ...extra, responses: { ...responses, ...COMMON_ERRORS } };
}

/** The query parameters of a zod object, each optional. */
export function queryParameters(query: z.ZodType): Json[] {
  const s = schema(query, 'input') as { properties: Record<string, Json> };
  return Object.entries(s.properties).map(([name, prop]) => ({ name, in: 'query', required: false, schema: prop }));
}
