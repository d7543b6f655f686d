// The REST API described as OpenAPI 3.1. Request and response schemas come from the same zod schemas the
// routes parse with (z.toJSONSchema), so the document cannot drift from the checks. scripts/openapi.ts
// writes it to docs/openapi.json; GET /api/openapi.json serves it.
import { z } from 'zod';
import { ConferenceSpec, ConferenceView, PointSpec, PointView } from '../../shared/domain.ts';
import { WireError } from '../../shared/errors.ts';
import { DocumentView, QuestionView } from '../../shared/records.ts';
import { ConferenceReport } from '../report/schema.ts';
import { BulkIssueBody, ConferenceSummary, IssueBody, IssuedCredential } from './conferences.ts';
import { ACCEPTED_KINDS, DOCUMENT_MAX_BYTES } from './document-files.ts';
import { POINT_CSV_COLUMNS, PointList } from './import.ts';
import { QuestionQuery } from './records.ts';

type Json = Record<string, unknown>;

function schema(type: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(type, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return rest;
}

const COMPONENTS: Record<string, [z.ZodType, 'input' | 'output']> = {
  ConferenceSpec: [ConferenceSpec, 'input'],
  ConferenceView: [ConferenceView, 'output'],
  ConferenceSummary: [ConferenceSummary, 'output'],
  PointSpec: [PointSpec, 'input'],
  PointList: [PointList, 'input'],
  PointView: [PointView, 'output'],
  IssueRequest: [IssueBody, 'input'],
  Issued: [z.object({ token: z.string(), code: z.string(), expiresAt: z.number() }), 'output'],
  BulkIssueRequest: [BulkIssueBody, 'input'],
  IssuedCredential: [IssuedCredential, 'output'],
  DocumentView: [DocumentView, 'output'],
  QuestionView: [QuestionView, 'output'],
  ConferenceReport: [ConferenceReport, 'output'],
  Error: [z.object({ error: WireError }), 'output'],
};

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (s: Json): Json => ({ 'application/json': { schema: s } });
const error = (description: string): Json => ({ description, content: json(ref('Error')) });
const ok = (description: string, s: Json, status = '200'): Json => ({ [status]: { description, content: json(s) } });
const list = (key: string, item: string): Json => ({
  type: 'object',
  properties: { [key]: { type: 'array', items: ref(item) } },
  required: [key],
});

const COMMON_ERRORS = {
  '400': error('invalid: the body, query or file failed a check (code "invalid")'),
  '401': error('unauthenticated: no, malformed, expired or revoked credential'),
  '403': error('forbidden: the credential is for another conference or its role may not do this, or the browser Origin is not allowed'),
  '404': error('not_found: no such conference, point or document'),
  '500': error('internal'),
};

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'conference id' };

function operation(summary: string, who: string, responses: Json, extra: Json = {}): Json {
  return { summary, description: `Allowed: ${who}.`, security: [{ bearer: [] }], ...extra, responses: { ...responses, ...COMMON_ERRORS } };
}

function queryParameters(): Json[] {
  const s = schema(QuestionQuery, 'input') as { properties: Record<string, Json> };
  return Object.entries(s.properties).map(([name, prop]) => ({ name, in: 'query', required: false, schema: prop }));
}

export function buildOpenApi(): Json {
  const schemas = Object.fromEntries(Object.entries(COMPONENTS).map(([name, [type, io]]) => [name, schema(type, io)]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'diemcau REST API',
      version: '1',
      description:
        'Setup and records of multi-point online conferences. Every error answers `{ error: { code, reason, params, message } }` ' +
        'with the reasons of the socket protocol (docs/protocol.md; `message` is English for scripts, clients translate `reason`) ' +
        'and its codes: invalid 400 (413 for a body or file over its limit), unauthenticated 401, forbidden 403, ' +
        'not_found 404, conflict 409, rate_limited 429, internal 500. Authenticate with `Authorization: Bearer <key>`: the ' +
        "operator's admin key (CLI `admin-key`) or a join token issued for one conference, point and role. Browsers may call " +
        "it from the hub's own pages only, unless the hub lists other origins (`http.allowedOrigins`, DIEMCAU_ALLOWED_ORIGINS).",
    },
    servers: [{ url: '/api' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'admin key or join token (JWT)' } },
      schemas,
    },
    paths: {
      '/conferences': {
        post: operation(
          'Create a conference',
          'admin',
          { ...ok('created', ref('ConferenceView'), '201'), '409': error('conflict: the id exists') },
          {
            requestBody: { required: true, content: json(ref('ConferenceSpec')) },
          },
        ),
        get: operation('List conferences', 'admin', ok('stored conferences', list('conferences', 'ConferenceSummary'))),
      },
      '/conferences/{id}': {
        get: operation('The conference as clients see it', 'admin, host, cohost', ok('the conference', ref('ConferenceView')), {
          parameters: [idParam],
        }),
      },
      '/conferences/{id}/points': {
        post: operation(
          'Import points (all or none)',
          'admin, host',
          {
            ...ok('added', list('points', 'PointView'), '201'),
            '409': error('conflict: a point id exists'),
            '413': error('body too large'),
          },
          {
            parameters: [idParam],
            requestBody: {
              required: true,
              description: `A JSON array of points, or CSV with the header \`${POINT_CSV_COLUMNS.join(',')}\` (id, name, level required).`,
              content: { ...json(ref('PointList')), 'text/csv': { schema: { type: 'string' } } },
            },
          },
        ),
      },
      '/conferences/{id}/credentials': {
        post: operation('Issue a join token and code for a point and role', 'admin, host', ok('issued', ref('Issued'), '201'), {
          parameters: [idParam],
          requestBody: { required: true, content: json(ref('IssueRequest')) },
        }),
      },
      '/conferences/{id}/credentials/bulk': {
        post: operation(
          'Issue a fresh code and token per point for each role that belongs there',
          'admin, host',
          ok('issued', list('credentials', 'IssuedCredential'), '201'),
          { parameters: [idParam], requestBody: { required: true, content: json(ref('BulkIssueRequest')) } },
        ),
      },
      '/conferences/{id}/documents': {
        post: operation(
          'Upload a document',
          'admin, host',
          { ...ok('stored', ref('DocumentView'), '201'), '413': error('file too large') },
          {
            parameters: [idParam],
            requestBody: {
              required: true,
              description:
                `One file in the field \`file\`, at most ${DOCUMENT_MAX_BYTES} bytes. ` +
                `The type is read from the content: ${ACCEPTED_KINDS.join(', ')}.`,
              content: {
                'multipart/form-data': {
                  schema: {
                    type: 'object',
                    properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } },
                    required: ['file'],
                  },
                },
              },
            },
          },
        ),
        get: operation('List documents', 'admin, any credential of the conference', ok('documents', list('documents', 'DocumentView')), {
          parameters: [idParam],
        }),
      },
      '/conferences/{id}/documents/{docId}': {
        get: operation(
          'Download a document',
          'admin, any credential of the conference',
          {
            '200': {
              description: 'the file, as an attachment; its sha256 in X-Checksum-SHA256 (hex) and Digest / Repr-Digest (base64)',
              headers: {
                'X-Checksum-SHA256': { schema: { type: 'string' } },
                Digest: { schema: { type: 'string' } },
                'Content-Disposition': { schema: { type: 'string' } },
              },
              content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
            },
          },
          { parameters: [idParam, { name: 'docId', in: 'path', required: true, schema: { type: 'string' } }] },
        ),
      },
      '/conferences/{id}/questions': {
        get: operation(
          'Export questions',
          'admin, host, cohost',
          {
            '200': {
              description: 'the questions; CSV (UTF-8 with BOM, formula-guarded) when format=csv',
              content: { ...json(list('questions', 'QuestionView')), 'text/csv': { schema: { type: 'string' } } },
            },
          },
          { parameters: [idParam, ...queryParameters()] },
        ),
      },
      '/conferences/{id}/report': {
        get: operation('The conference report', 'admin, host, cohost', ok('the report', ref('ConferenceReport')), {
          parameters: [idParam],
        }),
      },
      '/conferences/{id}/report.html': {
        get: operation(
          'The conference report as a printable page (Vietnamese)',
          'admin, host, cohost',
          { '200': { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
          { parameters: [idParam] },
        ),
      },
      '/report.css': {
        get: {
          summary: "The printable report's style sheet (the page loads it, so it also works opened from a blob)",
          security: [],
          responses: { '200': { description: 'CSS', content: { 'text/css': { schema: { type: 'string' } } } } },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
        },
      },
    },
  };
}
