// The REST API described as OpenAPI 3.1. Request and response schemas come from the same zod schemas the
// routes parse with (z.toJSONSchema), so the document cannot drift from the checks. scripts/openapi.ts
// writes it to docs/openapi.json; GET /api/openapi.json serves it.
import { z } from 'zod';
import { ConferenceSpec, ConferenceView, PointSpec, PointView } from '../../shared/domain.ts';
import { WireError } from '../../shared/errors.ts';
import { Chapter, ClipRequest, RecordingView } from '../../shared/recording.ts';
import { DocumentView, QuestionView } from '../../shared/records.ts';
import { ConferenceReport } from '../report/schema.ts';
import { BulkIssueBody, IssueBody, IssuedCredential } from './conferences.ts';
import { ACCEPTED_KINDS, DOCUMENT_MAX_BYTES } from './document-files.ts';
import { POINT_CSV_COLUMNS, PointList } from './import.ts';
import { QuestionQuery } from './records.ts';
import { error, idParam, type Json, json, list, ok, operation, pathParam, queryParameters, ref, schema } from './openapi-common.ts';
import { ORGANISER_COMPONENTS, ORGANISER_OPERATIONS, organiserPaths } from './openapi-organiser.ts';

const COMPONENTS: Record<string, [z.ZodType, 'input' | 'output']> = {
  ConferenceSpec: [ConferenceSpec, 'input'],
  ConferenceView: [ConferenceView, 'output'],
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
  RecordingView: [RecordingView, 'output'],
  Chapter: [Chapter, 'output'],
  ClipRequest: [ClipRequest, 'input'],
  Error: [z.object({ error: WireError }), 'output'],
  ...ORGANISER_COMPONENTS,
};

const fileParam = pathParam('fileId', 'recording file id');

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
        "operator's admin key (CLI `admin-key`), an organiser's session token (POST /organiser/session; organisers prepare " +
        'every conference, organiser administrators also manage accounts) or a join token issued for one conference, point ' +
        'and role. Browsers may call ' +
        "it from the hub's own pages only, unless the hub lists other origins (`http.allowedOrigins`, DIEMCAU_ALLOWED_ORIGINS).",
    },
    servers: [{ url: '/api' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'admin key or join token (JWT)' } },
      schemas,
    },
    paths: {
      '/conferences': { post: ORGANISER_OPERATIONS.createConference, get: ORGANISER_OPERATIONS.listConferences },
      '/conferences/{id}': {
        get: operation('The conference as clients see it', 'admin, host, cohost', ok('the conference', ref('ConferenceView')), {
          parameters: [idParam],
        }),
        put: ORGANISER_OPERATIONS.editConference,
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
        get: ORGANISER_OPERATIONS.listCredentials,
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
        delete: ORGANISER_OPERATIONS.removeDocument,
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
          { parameters: [idParam, ...queryParameters(QuestionQuery)] },
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
      ...recordingPaths(),
      ...organiserPaths(),
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

/** The recording: its view and chapters, clips, download tickets and downloads, deleting, the press page's HLS. */
function recordingPaths(): Json {
  const fileOrRange = error('conflict: the file is still being written or measured (recording.file_open)');
  return {
    '/conferences/{id}/recordings': {
      get: operation(
        'The recording: state, live pushes, files (duration, size, SHA-256), disk',
        'admin, host, cohost',
        ok('the recording', ref('RecordingView')),
        { parameters: [idParam] },
      ),
    },
    '/conferences/{id}/recordings/chapters': {
      get: operation(
        'The chapters of every programme file: speaking turns, agenda items, questions answered live (ms within the file)',
        'admin, host, cohost',
        ok('the chapters', list('chapters', 'Chapter')),
        { parameters: [idParam] },
      ),
    },
    '/conferences/{id}/recordings/clips': {
      post: operation(
        'Cut a clip (a chapter, or a range of a programme file) without re-encoding; it starts at the key frame at or ' +
          'before the start (at most 2 s early). Listed at once as open; closed with its duration and SHA-256 once cut',
        'admin, host',
        { ...ok('accepted: the recording with the clip listed', ref('RecordingView'), '202'), '409': fileOrRange },
        {
          parameters: [idParam],
          requestBody: {
            required: true,
            description: 'Refused with `recording.clip_range` (no such chapter, or an empty range) or `recording.file_unknown`.',
            content: json(ref('ClipRequest')),
          },
        },
      ),
    },
    '/conferences/{id}/recordings/{fileId}/ticket': {
      post: operation(
        'A download link for one file, good for 10 minutes (a browser downloads it without the credential)',
        'admin, host, cohost',
        ok('the link', {
          type: 'object',
          properties: { url: { type: 'string' }, expiresAt: { type: 'number' } },
          required: ['url', 'expiresAt'],
        }),
        { parameters: [idParam, fileParam] },
      ),
    },
    '/conferences/{id}/recordings/{fileId}': {
      get: {
        summary: 'Download a file with its ticket (Range requests allowed)',
        description: 'Allowed: whoever holds a ticket from POST .../ticket. A missing, wrong or expired ticket: 401 `auth.ticket`.',
        security: [],
        parameters: [idParam, fileParam, { name: 'ticket', in: 'query', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'the file, as an attachment',
            content: { 'video/mp4': { schema: { type: 'string', contentMediaType: 'video/mp4' } } },
          },
          '206': { description: 'the range asked for' },
          '401': error('auth.ticket'),
        },
      },
      delete: operation(
        'Delete a file that is not being written',
        'admin, host',
        { ...ok('the recording without the file', ref('RecordingView')), '409': fileOrRange },
        { parameters: [idParam, fileParam] },
      ),
    },
    '/conferences/{id}/live/{key}/about': {
      get: {
        summary: "What the press page shows over the picture for a public link: the conference's title and status",
        description: "Allowed: anyone with the public link's key while the host has it on; otherwise 403 `recording.press_off`.",
        security: [{}],
        parameters: [idParam, { name: 'key', in: 'path', required: true, schema: { type: 'string' }, description: "the press link's key" }],
        responses: {
          '200': {
            description: 'title and status',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['title', 'status'],
                  properties: { title: { type: 'string' }, status: { type: 'string' } },
                },
              },
            },
          },
          '403': { description: 'the press link is off or not this one' },
        },
      },
    },
    '/conferences/{id}/live/{key}/{file}': {
      get: {
        summary: "The programme's HLS for the press page: playlist and segments",
        description:
          "Allowed: anyone with the public link's key while the host has it on; with the key `-`, any credential of the conference " +
          '(Bearer). A key that is off or not this one: 403 `recording.press_off`; not streamed yet: 404 `recording.live_not_yet`.',
        security: [{}, { bearer: [] }],
        parameters: [
          idParam,
          {
            name: 'key',
            in: 'path',
            required: true,
            schema: { type: 'string' },
            description: "the press link's key, or - with a credential",
          },
          { name: 'file', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}\\.(m3u8|ts|m4s|mp4)$' } },
        ],
        responses: {
          '200': {
            description: 'the playlist or a segment',
            content: {
              'application/vnd.apple.mpegurl': { schema: { type: 'string' } },
              'video/mp2t': { schema: { type: 'string' } },
              'video/iso.segment': { schema: { type: 'string' } },
              'video/mp4': { schema: { type: 'string' } },
            },
          },
          '403': error('recording.press_off'),
          '404': error('recording.live_not_yet'),
        },
      },
    },
  };
}
