// The REST side of the error mapping: the same codes as the socket protocol (toWireError), an HTTP status
// per code, and one express error handler that answers `{ error: { code, message } }`.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { z } from 'zod';
import type { ErrorCode, WireError } from '../../shared/errors.ts';
import { describeIssue, HubError, issueField, refuse, toWireError, wireError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
};

/** Parses with zod; the first issue becomes an `invalid` naming the field. */
export function parseOr<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw refuse('request.malformed', { request: what, field: issueField(result.error) }, describeIssue(result.error, what));
}

export function sendError(res: Response, status: number, wire: WireError): void {
  res.status(status).type('application/json').json({ error: wire });
}

/** Body parser, multer and our own errors → the wire; anything else is a bug, logged with detail. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      logger.error({ err: error, method: req.method, path: req.originalUrl }, 'api error after the answer started');
      res.destroy();
      return;
    }
    const bodyError = error as { type?: unknown; status?: unknown };
    if (bodyError.type === 'entity.too.large') {
      sendError(res, 413, wireError('request.body_too_large', {}, 'request body too large'));
      return;
    }
    if (typeof bodyError.type === 'string' && typeof bodyError.status === 'number' && bodyError.status < 500) {
      // body-parser: malformed JSON, bad charset, ...
      const json = bodyError.type === 'entity.parse.failed';
      sendError(
        res,
        400,
        json ? wireError('request.json_malformed', {}, 'malformed JSON') : wireError('request.body_unreadable', {}, 'unreadable body'),
      );
      return;
    }
    const routerStatus = error instanceof HubError ? undefined : bodyError.status;
    if (error instanceof URIError || (typeof routerStatus === 'number' && routerStatus >= 400 && routerStatus < 500)) {
      // The router's own refusals, e.g. a path parameter with broken percent-encoding ("%E0%A4%A").
      const message = error instanceof URIError ? 'malformed percent-encoding in the address' : 'malformed request';
      sendError(res, 400, wireError('request.address_malformed', {}, message));
      return;
    }
    if (error instanceof multer.MulterError) {
      const tooLarge = error.code === 'LIMIT_FILE_SIZE';
      const wire = tooLarge
        ? wireError('document.too_large', {}, 'file too large')
        : wireError('document.upload', { detail: error.code }, `upload: ${error.message}`);
      sendError(res, tooLarge ? 413 : 400, wire);
      return;
    }
    const { wire, internal } = toWireError(error);
    if (internal) logger.error({ err: error, method: req.method, path: req.originalUrl }, 'api request failed');
    sendError(res, STATUS[wire.code], wire);
  };
}

export const notFoundHandler: RequestHandler = (req) => {
  throw refuse('request.no_route', { method: req.method, path: req.path }, `no route ${req.method} ${req.path}`);
};
