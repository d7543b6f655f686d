// Uploaded documents on disk: `<dataDir>/documents/<conferenceId>/<documentId>`. A multer storage engine
// streams the upload to a `.part` file while hashing it (sha256) and counting its bytes; the type is then
// read from the content (file-type), never from the name, and only office documents, PDF and images pass.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { fileTypeFromFile } from 'file-type';
import type { StorageEngine } from 'multer';
import { refuse } from '../errors.ts';

/** Largest document accepted, unless the API is built with another limit. */
export const DOCUMENT_MAX_BYTES = 50 * 1024 * 1024;
/** Longest stored file name, in characters. */
export const DOCUMENT_NAME_MAX = 255;

export interface StoredUpload {
  id: string;
  path: string;
  size: number;
  sha256: string;
}

export const documentDir = (dataDir: string, conferenceId: string): string => join(dataDir, 'documents', conferenceId);

/** Streams each upload to `<dir>/<id>.part`, hashing as it goes; `dirFor` picks the folder per request. */
export function documentStorage(dirFor: (req: Request) => string): StorageEngine {
  return {
    _handleFile(req, file, callback) {
      const id = randomUUID();
      const dir = dirFor(req);
      const path = join(dir, `${id}.part`);
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      mkdir(dir, { recursive: true })
        .then(() => pipeline(file.stream, meter, createWriteStream(path, { flags: 'wx', mode: 0o640 })))
        .then(
          () => callback(null, { path, size, filename: id, destination: dir, sha256: hash.digest('hex') } as Partial<Express.Multer.File>),
          (error: unknown) => rm(path, { force: true }).finally(() => callback(error)),
        );
    },
    _removeFile(_req, file, callback) {
      rm(file.path, { force: true }).then(
        () => callback(null),
        (error: unknown) => callback(error as Error),
      );
    },
  };
}

interface Kind {
  mime: string;
  /** Name endings that fit the content; the first is added to a name that has none of them. */
  extensions: string[];
}

const KINDS: Record<string, Kind> = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'] },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['pptx'] },
  odt: { mime: 'application/vnd.oasis.opendocument.text', extensions: ['odt'] },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'] },
  odp: { mime: 'application/vnd.oasis.opendocument.presentation', extensions: ['odp'] },
  doc: { mime: 'application/msword', extensions: ['doc'] },
  xls: { mime: 'application/vnd.ms-excel', extensions: ['xls'] },
  ppt: { mime: 'application/vnd.ms-powerpoint', extensions: ['ppt'] },
  png: { mime: 'image/png', extensions: ['png'] },
  jpg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  webp: { mime: 'image/webp', extensions: ['webp'] },
  gif: { mime: 'image/gif', extensions: ['gif'] },
};

/** What the API accepts, for its description. */
export const ACCEPTED_KINDS: readonly string[] = Object.keys(KINDS);

/** The legacy Office formats are Compound Files; their main stream's name says which one (an .msi is one too). */
const CFB_STREAMS: Array<[string, string]> = [
  ['WordDocument', 'doc'],
  ['Workbook', 'xls'],
  ['Book', 'xls'],
  ['PowerPoint Document', 'ppt'],
];

/** Looks for a directory entry (128-byte aligned, UTF-16LE name and its length) naming an Office stream. */
async function officeCompoundKind(path: string, maxBytes: number): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(size, maxBytes));
    await handle.read(buffer, 0, buffer.length, 0);
    for (const [name, kind] of CFB_STREAMS) {
      const needle = Buffer.from(`${name}\0`, 'utf16le');
      for (let at = buffer.indexOf(needle, 512); at !== -1; at = buffer.indexOf(needle, at + 2)) {
        if (at % 128 === 0 && at + 66 <= buffer.length && buffer.readUInt16LE(at + 64) === needle.length) return kind;
      }
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/** The document's type from its content; `invalid` for anything not on the list. */
export async function detectDocumentKind(path: string, maxBytes = DOCUMENT_MAX_BYTES): Promise<{ kind: string; mime: string }> {
  const detected = await fileTypeFromFile(path);
  let kind = detected?.ext;
  if (kind === 'cfb') kind = await officeCompoundKind(path, maxBytes);
  const known = kind === undefined ? undefined : KINDS[kind];
  if (!kind || !known) {
    const mime = detected ? detected.mime : 'unknown';
    throw refuse(
      'document.type',
      { mime },
      `file type ${mime} is not accepted (PDF, Office or OpenDocument files and PNG, JPEG, WebP or GIF images only)`,
    );
  }
  return { kind, mime: known.mime };
}

/** A safe display name: no folders, no control characters, NFC; the right ending added when it lacks one. */
export function documentName(original: string, kind: string): string {
  const base = original.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const name = base.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, '').trim();
  if (name === '' || name === '.' || name === '..') throw refuse('document.name_missing', {}, 'the file needs a name');
  if (name.length > DOCUMENT_NAME_MAX) {
    throw refuse('document.name_long', { max: DOCUMENT_NAME_MAX }, `file name longer than ${DOCUMENT_NAME_MAX} characters`);
  }
  const extensions = KINDS[kind]?.extensions ?? [];
  const ending = name.toLowerCase().split('.').slice(1).pop();
  if (ending !== undefined && extensions.includes(ending)) return name;
  return `${name}.${extensions[0] ?? kind}`.slice(-DOCUMENT_NAME_MAX);
}

/** `Content-Disposition: attachment` with an ASCII fallback and the real name per RFC 5987/6266. */
export function attachmentDisposition(name: string): string {
  const fallback = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
