// The organiser page's part of the OpenAPI document (issue #15): sign-in and accounts, the audit log, the
// conference list, editing and templates, the points preview and export, the directory, the readiness
// overview, codes over REST and the documents' order. Bodies and answers come from shared/organiser.ts.
import { z } from 'zod';
import { ConferenceSpec, ConferenceStatus } from '../../shared/domain.ts';
import {
  ChangePasswordBody,
  ConferenceListItem,
  ConferenceListQuery,
  CreateAccountBody,
  DirectoryPoint,
  DirectoryUpsertBody,
  DocumentOrderBody,
  OrganiserAccount,
  OrganiserSession,
  PointsPreview,
  ReadinessOverview,
  SignInBody,
  TemplateSummary,
  UpdateAccountBody,
  AuditEntry,
} from '../../shared/organiser.ts';
import { requests } from '../../shared/protocol.ts';
import { CredentialRecord } from '../../shared/requests/credentials.ts';
import { body, error, idParam, type Json, list, ok, operation, pathParam, queryParameters, ref } from './openapi-common.ts';
import { AuditQuery } from './organiser.ts';
import { SHEET_HEADERS } from './points-sheet.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const ORGANISER_COMPONENTS: Record<string, [z.ZodType, 'input' | 'output']> = {
  SignInRequest: [SignInBody, 'input'],
  OrganiserSession: [OrganiserSession, 'output'],
  OrganiserAccount: [OrganiserAccount, 'output'],
  CreateAccountRequest: [CreateAccountBody, 'input'],
  UpdateAccountRequest: [UpdateAccountBody, 'input'],
  ChangePasswordRequest: [ChangePasswordBody, 'input'],
  AuditEntry: [AuditEntry, 'output'],
  ConferenceListItem: [ConferenceListItem, 'output'],
  SpecAnswer: [
    z.object({ spec: ConferenceSpec, status: ConferenceStatus, mode: z.enum(['full', 'in_use', 'closed']), connected: z.number().int() }),
    'output',
  ],
  TemplateSummary: [TemplateSummary, 'output'],
  PointsPreview: [PointsPreview, 'output'],
  DirectoryPoint: [DirectoryPoint, 'output'],
  DirectoryUpsertRequest: [DirectoryUpsertBody, 'input'],
  ReadinessOverview: [ReadinessOverview, 'output'],
  CredentialRecord: [CredentialRecord, 'output'],
  ReissueRequest: [requests['credentials.reissue'].params, 'input'],
  Reissued: [requests['credentials.reissue'].result, 'output'],
  RevokeRequest: [requests['credentials.revoke'].params, 'input'],
  Revoked: [requests['credentials.revoke'].result, 'output'],
  DocumentOrderRequest: [DocumentOrderBody, 'input'],
};

const ORGANISERS = 'admin, organisers';
const ADMINS = 'admin, organiser administrators';
const SIGNED_IN = 'a signed-in organiser (its own session token)';
const CODES = 'admin, organisers, host';
const noContent = (description: string): Json => ({ '204': { description } });
const file = (type: string, description: string): Json => ({
  '200': {
    description,
    headers: { 'Content-Disposition': { schema: { type: 'string' } } },
    content: { [type]: { schema: { type: 'string' } } },
  },
});
const usernameParam = pathParam('username', "the account's user name");
const docParam = pathParam('docId', 'document id');

/** Operations on paths that also hold older ones (openapi.ts puts them together). */
export const ORGANISER_OPERATIONS = {
  listConferences: operation(
    'List conferences: newest start first, with phase and connected points; `q` searches title, organiser and id without accents',
    ORGANISERS,
    ok('the conferences', list('conferences', 'ConferenceListItem')),
    { parameters: queryParameters(ConferenceListQuery) },
  ),
  createConference: operation(
    'Create a conference (audited)',
    ORGANISERS,
    { ...ok('created', ref('ConferenceView'), '201'), '409': error('conflict: the id exists') },
    body('ConferenceSpec'),
  ),
  editConference: operation(
    'Save an edit of the whole conference (audited). Before use everything may change; in use (points connected) only ' +
      'what keeps sessions whole (edit.in_use_* reasons); an ended conference is closed (edit.status)',
    ORGANISERS,
    { ...ok('the conference as saved', ref('SpecAnswer')), '409': error('conflict: the edit is not allowed in this state') },
    { parameters: [idParam], ...body('ConferenceSpec') },
  ),
  listCredentials: operation(
    "Every credential's record: issued, expires, first used, revoked (never a code or a token)",
    CODES,
    ok('the records', list('credentials', 'CredentialRecord')),
    { parameters: [idParam] },
  ),
  removeDocument: operation('Remove a document: its row and its file (audited)', CODES, noContent('removed'), {
    parameters: [idParam, docParam],
  }),
};

function accountPaths(): Json {
  return {
    '/organiser/session': {
      post: {
        summary: 'Sign in: a session token for the organiser page (locked for a while after repeated failures)',
        security: [],
        ...body('SignInRequest'),
        responses: {
          ...ok('the session', ref('OrganiserSession'), '201'),
          '400': error('invalid'),
          '401': error('unauthenticated: wrong user name or password (organiser.signin_failed)'),
          '403': error('forbidden: the account is locked for a while (organiser.locked) or disabled (organiser.disabled)'),
          '429': error('rate_limited: too many sign-ins from this address (rate.signins)'),
        },
      },
      delete: operation('Sign out: ends every session of the account', SIGNED_IN, noContent('signed out')),
    },
    '/organiser/me': {
      get: operation(
        'Who is signed in: the session (its token empty) and its expiry',
        SIGNED_IN,
        ok('the session', ref('OrganiserSession')),
      ),
    },
    '/organiser/password': {
      put: operation(
        'Change its own password: the other sessions end, the answer is a fresh session',
        SIGNED_IN,
        ok('a fresh session', ref('OrganiserSession')),
        body('ChangePasswordRequest'),
      ),
    },
    '/organiser/accounts': {
      get: operation('List the accounts', ADMINS, ok('the accounts', list('accounts', 'OrganiserAccount'))),
      post: operation(
        'Create an account (audited)',
        ADMINS,
        { ...ok('created', ref('OrganiserAccount'), '201'), '409': error('conflict: the user name exists') },
        body('CreateAccountRequest'),
      ),
    },
    '/organiser/accounts/{username}': {
      patch: operation(
        'Change an account: name, password, administrator, disabled (audited; an administrator cannot disable or demote itself)',
        ADMINS,
        { ...ok('the account', ref('OrganiserAccount')), '409': error('conflict: organiser.self') },
        { parameters: [usernameParam], ...body('UpdateAccountRequest') },
      ),
    },
    '/organiser/audit': {
      get: operation(
        'The audit log, newest first (`before`: a sequence number to page back from)',
        ADMINS,
        ok('the entries', list('entries', 'AuditEntry')),
        { parameters: queryParameters(AuditQuery) },
      ),
    },
  };
}

function preparationPaths(): Json {
  const headers = Object.values(SHEET_HEADERS).join(', ');
  return {
    '/conferences/{id}/spec': {
      get: operation(
        'The conference as an organiser edits it, with what may change now (mode)',
        ORGANISERS,
        ok('the spec', ref('SpecAnswer')),
        {
          parameters: [idParam],
        },
      ),
    },
    '/templates': {
      get: operation('The shipped plans to start a conference from', ORGANISERS, ok('the templates', list('templates', 'TemplateSummary'))),
    },
    '/templates/{id}': {
      get: operation(
        "A template's whole conference",
        ORGANISERS,
        ok('the spec', { type: 'object', properties: { spec: ref('ConferenceSpec') }, required: ['spec'] }),
        { parameters: [pathParam('id', 'template id')] },
      ),
    },
    '/points/preview': {
      post: operation(
        'Read a points list and check every row; nothing is saved. Each problem names its row (1 = the first after the header) and field',
        ORGANISERS,
        ok('the good rows and every problem', ref('PointsPreview')),
        {
          requestBody: {
            required: true,
            description:
              `CSV or the first sheet of an Excel workbook with data. Headers: the CSV column names or Vietnamese (${headers}, ` +
              'also Mã, Tên, Trực thuộc, Đơn vị cấp trên, Chủ trì, Số người dự; case and accents ignored). Levels in English or ' +
              'Vietnamese (Trung ương, Tỉnh, Huyện, Quận, Thị xã, Xã, Phường…); a missing id is made from the name; the parent ' +
              'by id or by name. A file that cannot be read: import.xlsx_unreadable, import.xlsx_no_sheet, csv.*.',
            content: { 'text/csv': { schema: { type: 'string' } }, [XLSX]: { schema: { type: 'string', contentMediaType: XLSX } } },
          },
        },
      ),
    },
    '/conferences/{id}/points.csv': {
      get: operation(
        'The points as CSV with Vietnamese headers (formula-guarded), which the preview reads back',
        ORGANISERS,
        file('text/csv', 'CSV'),
        {
          parameters: [idParam],
        },
      ),
    },
    '/conferences/{id}/points.xlsx': {
      get: operation(
        'The points as an Excel workbook with Vietnamese headers, which the preview reads back',
        ORGANISERS,
        file(XLSX, 'workbook'),
        {
          parameters: [idParam],
        },
      ),
    },
    '/directory': {
      get: operation(
        'The directory of points kept between conferences, in order',
        ORGANISERS,
        ok('the points', list('points', 'DirectoryPoint')),
      ),
      put: operation(
        'Add or replace points in the directory: all or none; a known point keeps its place, a new one goes last (audited)',
        ORGANISERS,
        ok('the directory', list('points', 'DirectoryPoint')),
        body('DirectoryUpsertRequest'),
      ),
    },
    '/directory/{pointId}': {
      delete: operation('Remove a point from the directory (audited); unknown: directory.unknown', ORGANISERS, noContent('removed'), {
        parameters: [pathParam('pointId', 'point id')],
      }),
    },
    '/conferences/{id}/readiness': {
      get: operation("Each point's connection and its last connection test", ORGANISERS, ok('the overview', ref('ReadinessOverview')), {
        parameters: [idParam],
      }),
    },
    '/conferences/{id}/credentials/reissue': {
      post: operation(
        'A fresh code for a point and role; its earlier codes and tokens end, and so do its sessions (audited as credentials.revoke)',
        CODES,
        ok('the new code', ref('Reissued'), '201'),
        { parameters: [idParam], ...body('ReissueRequest') },
      ),
    },
    '/conferences/{id}/credentials/revoke': {
      post: operation(
        "End a point and role's codes, tokens and sessions (audited); a host cannot revoke its own (credentials.own)",
        CODES,
        ok('how many ended', ref('Revoked')),
        { parameters: [idParam], ...body('RevokeRequest') },
      ),
    },
    '/conferences/{id}/documents/order': {
      put: operation(
        'Put the documents in order: the ids of all of them, each once, else document.order (audited). Consoles get the new list',
        CODES,
        ok('the documents in order', list('documents', 'DocumentView')),
        { parameters: [idParam], ...body('DocumentOrderRequest') },
      ),
    },
  };
}

export function organiserPaths(): Json {
  return { ...accountPaths(), ...preparationPaths() };
}
