// A conference's documents in the database (the files are on disk, server/http/document-files.ts): listed in
// the organiser's order (position), then by upload time; a new upload goes last; reordered all at once.
import type { DocumentView } from '../../shared/records.ts';
import type { Database } from './db.ts';

interface DocumentRow {
  id: string;
  name: string;
  mime_type: string;
  size: number;
  sha256: string;
  uploaded_at: number;
}

export function listDocuments(db: Database, conferenceId: string): DocumentView[] {
  return db
    .all<DocumentRow>('SELECT * FROM documents WHERE conference_id = ? ORDER BY position, uploaded_at, id', conferenceId)
    .map((d) => ({ id: d.id, name: d.name, mimeType: d.mime_type, size: d.size, sha256: d.sha256, uploadedAt: d.uploaded_at }));
}

/** Stores an uploaded document after the conference's last one. */
export function saveDocument(db: Database, conferenceId: string, d: DocumentView): void {
  const last = db.get<{ last: number | null }>('SELECT MAX(position) AS last FROM documents WHERE conference_id = ?', conferenceId)?.last;
  db.run(
    'INSERT INTO documents (id, conference_id, name, mime_type, size, sha256, uploaded_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    d.id,
    conferenceId,
    d.name,
    d.mimeType,
    d.size,
    d.sha256,
    d.uploadedAt,
    last === null || last === undefined ? 0 : last + 1,
  );
}

/** Gives every document of `ids` its place in that order (the caller checks that they are all of them). */
export function orderDocuments(db: Database, conferenceId: string, ids: readonly string[]): void {
  db.transaction(() => {
    for (const [position, id] of ids.entries()) {
      db.run('UPDATE documents SET position = ? WHERE conference_id = ? AND id = ?', position, conferenceId, id);
    }
  });
}

/** Removes a document's row; false when the conference has none by that id. */
export function removeDocument(db: Database, conferenceId: string, id: string): boolean {
  const known = db.get<{ id: string }>('SELECT id FROM documents WHERE conference_id = ? AND id = ?', conferenceId, id);
  if (!known) return false;
  db.run('DELETE FROM documents WHERE conference_id = ? AND id = ?', conferenceId, id);
  return true;
}
