// Documents over real HTTP: the host uploads real PDF, PNG, JPEG, DOCX, ODT and legacy Word files (built
// here byte by byte), the type is read from the content, anything else is refused with nothing left on
// disk or in the database, and a download gives back the same bytes with their checksum.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentView } from '../../shared/records.ts';
import { loadConfig, type Config } from '../../config/config.ts';
import { createHub, type Hub } from '../../server/hub.ts';
import { rotateAdminKey } from '../../server/http/admin-key.ts';
import { apiRouter } from '../../server/http/api.ts';
import { attachmentDisposition } from '../../server/http/document-files.ts';
import { RecordStore } from '../../server/store/records.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';

let hub: Hub;
let config: Config;
let base: string;
let admin: string;
let host: string;
let small: Server;
let smallBase: string;

const CONF = 'tai-lieu';

// --- Real files, small -----------------------------------------------------------------------------

function pdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function png(): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]); // 1×1, 8-bit RGB
  const pixels = deflateSync(Buffer.from([0, 0xda, 0x25, 0x1d])); // filter 0, one red pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const jpeg = (): Buffer =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.alloc(9),
    Buffer.from([0xff, 0xd9]),
  ]);

/** A zip with stored (uncompressed) entries, central directory and all. */
function zip(entries: Array<[string, string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text, 'utf8');
    const fileName = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += 30 + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const docx = (): Buffer =>
  zip([
    [
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ' +
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ],
    ['word/document.xml', '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'],
  ]);

const odt = (): Buffer =>
  zip([
    ['mimetype', 'application/vnd.oasis.opendocument.text'],
    ['content.xml', '<office:document-content/>'],
  ]);

/** A Compound File (legacy Office container) whose directory holds `stream`. */
function compound(stream: string): Buffer {
  const file = Buffer.alloc(512 * 3);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(file, 0);
  const entry = (at: number, name: string): void => {
    const encoded = Buffer.from(`${name}\0`, 'utf16le');
    encoded.copy(file, at);
    file.writeUInt16LE(encoded.length, at + 64);
  };
  entry(512, 'Root Entry');
  entry(640, stream);
  return file;
}

const exe = (): Buffer =>
  Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(62), Buffer.from('PE\0\0', 'latin1'), Buffer.alloc(200)]);

// --- HTTP ----------------------------------------------------------------------------------------------

/** Uploads `bytes` as `name`; the body is the stored document, or the error on a refusal. */
type Uploaded = { status: number; body: DocumentView };

async function upload(bytes: Buffer, name: string, token = host, url = base, field = 'file'): Promise<Uploaded> {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(`${url}/api/conferences/${CONF}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as DocumentView };
}

const files = (): string[] => {
  try {
    return readdirSync(join(config.dataDir, 'documents', CONF)).sort();
  } catch {
    return [];
  }
};
const stored = (): string[] =>
  new RecordStore(hub.db)
    .documents(CONF)
    .map((d) => d.id)
    .sort();
const sha256 = (b: Buffer | Uint8Array): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  config = loadConfig({
    DIEMCAU_HOST: '127.0.0.1',
    DIEMCAU_PORT: '0',
    DIEMCAU_LISTEN_IP: '127.0.0.1',
    DIEMCAU_WORKERS: '1',
    DIEMCAU_DEMO: 'false',
    DIEMCAU_DATA_DIR: tempDataDir(),
  });
  hub = await createHub(config, pino({ level: 'silent' }));
  base = `http://127.0.0.1:${(await hub.listen()).port}`;
  admin = rotateAdminKey(hub.db);
  for (const id of [CONF, 'khac'])
    hub.conferences.create({
      id,
      title: 'Hội nghị có tài liệu',
      content: '',
      organiser: '',
      startsAt: '2026-05-01T08:00:00+07:00',
      status: 'scheduled',
      banner: '',
      floorSeconds: 300,
      centralPointId: 'tinh',
      questionCategories: ['Khác'],
      agenda: [],
      points: [
        {
          id: 'tinh',
          name: 'Điểm cầu tỉnh',
          level: 'province',
          parentId: null,
          centralSide: false,
          venue: '',
          presiding: '',
          expectedAttendance: 50,
        },
        {
          id: 'huyen',
          name: 'Điểm cầu huyện',
          level: 'district',
          parentId: 'tinh',
          centralSide: false,
          venue: '',
          presiding: '',
          expectedAttendance: 20,
        },
      ],
    });
  host = (await hub.credentials.issue({ conferenceId: CONF, pointId: 'tinh', role: 'host' }, 600)).token;

  // The same API with a 4 KiB document limit, over the hub's own conferences and database.
  const app = express();
  app.use(
    '/api',
    apiRouter({
      config,
      conferences: hub.conferences,
      credentials: hub.credentials,
      db: hub.db,
      records: new RecordStore(hub.db),
      recording: hub.recording,
      logger: pino({ level: 'silent' }),
      documentMaxBytes: 4096,
    }),
  );
  small = createServer(app);
  await new Promise<void>((resolve) => small.listen(0, '127.0.0.1', resolve));
  smallBase = `http://127.0.0.1:${(small.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => small?.close(resolve));
  await hub?.close('test done');
});

describe('upload', () => {
  it.each([
    ['a PDF', pdf, 'Báo cáo tổng hợp "đợt 1".pdf', 'application/pdf', 'Báo cáo tổng hợp "đợt 1".pdf'],
    ['a PNG', png, 'maket.png', 'image/png', 'maket.png'],
    ['a JPEG', jpeg, 'anh-hoi-truong.jpeg', 'image/jpeg', 'anh-hoi-truong.jpeg'],
    ['a DOCX', docx, 'Kế hoạch.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Kế hoạch.docx'],
    ['an ODT', odt, 'bien-ban.odt', 'application/vnd.oasis.opendocument.text', 'bien-ban.odt'],
    ['a legacy Word file', () => compound('WordDocument'), 'cong-van.doc', 'application/msword', 'cong-van.doc'],
    ['a PDF with a misleading name', pdf, 'huong-dan.png', 'application/pdf', 'huong-dan.png.pdf'],
  ])('stores %s with its checksum, type from the content', async (_what, make, name, mime, storedName) => {
    const bytes = make();
    const answer = await upload(bytes, name);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.any(String),
      name: storedName,
      mimeType: mime,
      size: bytes.length,
      sha256: sha256(bytes),
      uploadedAt: expect.any(Number),
    });
    expect(files()).toContain(answer.body.id);
    expect(stored()).toContain(answer.body.id);
    expect(files().some((f) => f.endsWith('.part'))).toBe(false);
  });

  it.each([
    ['an .exe renamed .pdf', exe, 'bao-cao.pdf', 400, /not accepted/],
    ['a text file named .png', () => Buffer.from('Xin chào, đây là văn bản thường.\n'), 'anh.png', 400, /not accepted/],
    ['a plain zip named .docx', () => zip([['readme.txt', 'hello']]), 'tai-lieu.docx', 400, /not accepted/],
    ['a Compound File that is no Office document (an installer)', () => compound('SummaryInformation'), 'setup.doc', 400, /not accepted/],
    ['HTML named .pdf', () => Buffer.from('<!doctype html><script>alert(1)</script>'), 'x.pdf', 400, /not accepted/],
    ['an empty file', () => Buffer.alloc(0), 'rong.pdf', 400, /empty/],
    ['a name over 255 characters', pdf, `${'a'.repeat(300)}.pdf`, 400, /name/],
  ])('refuses %s and keeps nothing', async (_what, make, name, status, message) => {
    const [filesBefore, storedBefore] = [files(), stored()];
    const answer = await upload(make(), name);
    expect(answer).toMatchObject({ status, body: { error: { code: 'invalid', message: expect.stringMatching(message) } } });
    expect(files()).toEqual(filesBefore);
    expect(stored()).toEqual(storedBefore);
  });

  it('refuses a file over the limit with 413 and keeps nothing', async () => {
    const [filesBefore, storedBefore] = [files(), stored()];
    const big = Buffer.concat([pdf(), Buffer.alloc(8192, 0x20)]);
    const answer = await upload(big, 'lon.pdf', host, smallBase);
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'invalid', message: 'file too large' } } });
    expect(files()).toEqual(filesBefore);
    expect(stored()).toEqual(storedBefore);
    expect((await upload(pdf(), 'nho.pdf', host, smallBase)).status).toBe(201);
  });

  it('refuses a missing file, another field name, and a non-multipart body', async () => {
    expect(await upload(pdf(), 'x.pdf', host, base, 'tep')).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    const json = await fetch(`${base}/api/conferences/${CONF}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect(files().some((f) => f.endsWith('.part'))).toBe(false);
  });

  it('lets only the admin and the host upload', async () => {
    expect((await upload(pdf(), 'admin.pdf', admin)).status).toBe(201);
    for (const [pointId, role] of [
      ['huyen', 'technician'],
      ['huyen', 'viewer'],
      ['huyen', 'secretary'],
    ] as const) {
      const token = (await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600)).token;
      expect(await upload(pdf(), 'x.pdf', token)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
    expect((await upload(pdf(), 'x.pdf', 'garbage-token-123')).status).toBe(401);
  });
});

describe('list and download', () => {
  it('any credential of the conference lists and downloads the same bytes with their checksum', async () => {
    const bytes = pdf();
    const name = 'Tài liệu hội nghị (bản cuối).pdf';
    const { body: doc } = await upload(bytes, name);
    const viewer = (await hub.credentials.issue({ conferenceId: CONF, pointId: 'huyen', role: 'viewer' }, 600)).token;

    const list = await fetch(`${base}/api/conferences/${CONF}/documents`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { documents: unknown[] }).documents).toContainEqual(doc);

    const res = await fetch(`${base}/api/conferences/${CONF}/documents/${doc.id}`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(res.status).toBe(200);
    const got = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(got).equals(bytes)).toBe(true);
    expect(sha256(got)).toBe(doc.sha256);
    expect(res.headers.get('x-checksum-sha256')).toBe(doc.sha256);
    expect(res.headers.get('digest')).toBe(`sha-256=${Buffer.from(doc.sha256, 'hex').toString('base64')}`);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toBe(attachmentDisposition(name));
    expect(disposition).toMatch(/^attachment; filename="Tai lieu hoi nghi \(ban cuoi\)\.pdf"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe(name);
  });

  it('refuses another conference, no token and an unknown document', async () => {
    const { body: doc } = await upload(png(), 'a.png');
    const other = (await hub.credentials.issue({ conferenceId: 'khac', pointId: 'tinh', role: 'host' }, 600)).token;
    expect(
      (await fetch(`${base}/api/conferences/${CONF}/documents/${doc.id}`, { headers: { authorization: `Bearer ${other}` } })).status,
    ).toBe(403);
    expect((await fetch(`${base}/api/conferences/${CONF}/documents/${doc.id}`)).status).toBe(401);
    const missing = await fetch(`${base}/api/conferences/${CONF}/documents/..%2F..%2Fdiemcau.sqlite`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('attachmentDisposition', () => {
  it('gives an ASCII fallback and the exact name per RFC 5987', () => {
    expect(attachmentDisposition('Đề cương "báo cáo" 100%.docx')).toBe(
      `attachment; filename="De cuong _bao cao_ 100_.docx"; filename*=UTF-8''${encodeURIComponent('Đề cương "báo cáo" 100%.docx')}`,
    );
    expect(attachmentDisposition("a'b(c).pdf")).toBe(`attachment; filename="a'b(c).pdf"; filename*=UTF-8''a%27b%28c%29.pdf`);
  });
});
