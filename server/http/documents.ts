// Documents of a conference: the host uploads (multipart field `file`), every credential of the conference
// lists and downloads. Nothing is stored half-way: a refused or failed upload leaves no file and no row.
// An upload by an organiser or the admin key goes to the organisers' audit log. The list is in the
// organiser's order (preparation.ts reorders and removes).
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router, type Request } from 'express';
import multer from 'multer';
import type { DocumentView } from '../../shared/records.ts';
import { CONTROLLERS, DOCUMENT_READERS } from '../../shared/rules.ts';
import { refuse } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { AuditLog } from '../organisers/audit.ts';
import type { RecordStore } from '../store/records.ts';
import { auditActor, type Gate } from './auth.ts';
import {
  attachmentDisposition,
  detectDocumentKind,
  documentDir,
  documentName,
  documentStorage,
  type StoredUpload,
} from './document-files.ts';

export interface DocumentRoutesDeps {
  gate: Gate;
  records: RecordStore;
  dataDir: string;
  maxBytes: number;
  logger: Logger;
  /** The organisers' audit log (uploads by an organiser or the admin key). */
  audit?: AuditLog;
}

export function documentRoutes({ gate, records, dataDir, maxBytes, logger, audit }: DocumentRoutesDeps): Router {
  const router = Router();
  const upload = multer({
    storage: documentStorage((req) => documentDir(dataDir, String(req.params.id))),
    limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1, headerPairs: 50 },
    defParamCharset: 'utf8',
  }).single('file');

  router.post('/conferences/:id/documents', async (req, res) => {
    const { conference, actor, principal } = await gate.conference(req, req.params.id, CONTROLLERS);
    await new Promise<void>((resolve, reject) => upload(req, res, (error: unknown) => (error ? reject(error) : resolve())));
    const file = req.file as (Express.Multer.File & StoredUpload & { sha256: string }) | undefined;
    if (!file) throw refuse('document.no_file', {}, 'send the document as multipart/form-data in the field "file"');
    const final = join(file.destination, file.filename);
    try {
      if (file.size === 0) throw refuse('document.empty', {}, 'the file is empty');
      const { kind, mime } = await detectDocumentKind(file.path, maxBytes);
      const view: DocumentView = {
        id: file.filename,
        name: documentName(file.originalname, kind),
        mimeType: mime,
        size: file.size,
        sha256: file.sha256,
        uploadedAt: Date.now(),
      };
      await rename(file.path, final);
      conference.records.documents.add(actor, view);
      if (principal.kind !== 'point') {
        audit?.record(auditActor(principal), 'document.upload', conference.id, { documentId: view.id, name: view.name, size: view.size });
      }
      logger.info({ conferenceId: conference.id, documentId: view.id, size: view.size, mime }, 'document uploaded');
      res.status(201).json(view);
    } catch (error) {
      await Promise.all([rm(file.path, { force: true }), rm(final, { force: true })]);
      throw error;
    }
  });

  router.get('/conferences/:id/documents', async (req, res) => {
    const { conference } = await gate.conference(req, req.params.id, DOCUMENT_READERS);
    res.json({ documents: records.documents(conference.id) });
  });

  router.get('/conferences/:id/documents/:docId', async (req, res) => {
    const { conference } = await gate.conference(req, req.params.id, DOCUMENT_READERS);
    const doc = findDocument(records, conference.id, req);
    const path = join(documentDir(dataDir, conference.id), doc.id);
    const size = await stat(path).then(
      (s) => s.size,
      () => undefined,
    );
    if (size === undefined) {
      logger.error({ conferenceId: conference.id, documentId: doc.id }, 'document file missing on disk');
      throw refuse('document.file_missing', {}, 'the document file is missing');
    }
    res.set({
      'Content-Type': doc.mimeType,
      'Content-Length': String(size),
      'Content-Disposition': attachmentDisposition(doc.name),
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'X-Checksum-SHA256': doc.sha256,
      Digest: `sha-256=${Buffer.from(doc.sha256, 'hex').toString('base64')}`,
      'Repr-Digest': `sha-256=:${Buffer.from(doc.sha256, 'hex').toString('base64')}:`,
      'Cache-Control': 'private, no-cache',
    });
    await pipeline(createReadStream(path), res);
  });

  return router;
}

function findDocument(records: RecordStore, conferenceId: string, req: Request): DocumentView {
  const doc = records.documents(conferenceId).find((d) => d.id === req.params.docId);
  if (!doc) throw refuse('document.unknown', {}, 'no such document in this conference');
  return doc;
}
