// The points row reader (server/http/points-sheet.ts) on its own: headers in English or Vietnamese, levels
// in Vietnamese, ids made from names, parents by id or by name, Excel numbers and booleans, and every row's
// problems listed with its row and field; the REST import's parsePointsCsv still stops at the first.
import writeXlsxFile from 'write-excel-file/node';
import { describe, expect, it } from 'vitest';
import { parsePointsCsv } from '../../server/http/import.ts';
import { csvTable, exportHeader, exportRow, fold, idFromName, readPointRows, xlsxTable } from '../../server/http/points-sheet.ts';

const reasonOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    return (error as { reason?: string }).reason;
  }
  return undefined;
};

describe('names and ids', () => {
  it('folds Vietnamese marks and đ, and makes ids from names', () => {
    expect(fold('  Mã ĐIỂM cầu ')).toBe('ma diem cau');
    expect(idFromName('UBND huyện Vĩnh Cửu')).toBe('ubnd-huyen-vinh-cuu');
    expect(idFromName('Điểm cầu thành phố Biên Hòa')).toBe('diem-cau-thanh-pho-bien-hoa');
    expect(idFromName('!!!')).toBe('');
    expect(idFromName('x'.repeat(100))).toHaveLength(64);
  });
});

describe('readPointRows', () => {
  it('reads the CSV column names', () => {
    const read = readPointRows(csvTable('id,name,level,parentId,centralSide,expectedAttendance\ndn,Đồng Nai,province,,false,80\n'));
    expect(read).toMatchObject({
      rows: 1,
      problems: [],
      points: [{ id: 'dn', name: 'Đồng Nai', level: 'province', expectedAttendance: 80 }],
    });
  });

  it('reads Vietnamese headers and levels, titles above the header, STT, ids from names, parents by name', () => {
    const table = [
      ['DANH SÁCH ĐIỂM CẦU', null, null, null, null, null],
      [null, null, null, null, null, null],
      ['STT', 'Tên', 'CẤP', 'Đơn vị cấp trên', 'Người chủ trì', 'Số người dự (người)'],
      [1, 'Điểm cầu tỉnh Đồng Nai', 'Tỉnh', null, 'Thường trực Ủy ban bầu cử tỉnh', 80],
      [2, 'UBND huyện Vĩnh Cửu', 'Huyện', 'Điểm cầu tỉnh Đồng Nai', null, '1.200'],
      [null, null, null, null, null, null],
      [3, 'UBND huyện Vĩnh Cửu', 'Thị xã', 'diem-cau-tinh-dong-nai', null, 40],
      [4, 'Phường Tân Phong', 'Phường', 'Thành phố Biên Hòa', null, null],
      [5, 'Thành phố Biên Hòa', 'Thành phố thuộc tỉnh', 'Điểm cầu tỉnh Đồng Nai', null, null],
      [6, 'Trung ương', 'Trung tâm', null, null, null],
    ];
    const read = readPointRows(table);
    expect(read.problems).toEqual([]);
    expect(read.rows).toBe(6);
    expect(read.points.map((p) => [p.id, p.level, p.parentId])).toEqual([
      ['diem-cau-tinh-dong-nai', 'province', null],
      ['ubnd-huyen-vinh-cuu', 'district', 'diem-cau-tinh-dong-nai'],
      ['ubnd-huyen-vinh-cuu-2', 'district', 'diem-cau-tinh-dong-nai'],
      ['phuong-tan-phong', 'commune', 'thanh-pho-bien-hoa'],
      ['thanh-pho-bien-hoa', 'district', 'diem-cau-tinh-dong-nai'],
      ['trung-uong', 'central', null],
    ]);
    expect(read.points[0]).toMatchObject({ presiding: 'Thường trực Ủy ban bầu cử tỉnh', expectedAttendance: 80 });
    expect(read.points[1]?.expectedAttendance).toBe(1200);
  });

  it('keeps a parent it cannot find in the file as given (an existing point of the conference may match)', () => {
    const read = readPointRows(csvTable('Mã,Tên điểm cầu,Cấp,Trực thuộc\nbien-hoa,Biên Hòa,Huyện,tinh-dong-nai\n'));
    expect(read.points[0]?.parentId).toBe('tinh-dong-nai');
  });

  it('takes Excel numbers and booleans, and ids in upper case', () => {
    const read = readPointRows([
      ['Mã', 'Tên', 'Cấp', 'Trực thuộc', 'Phía trung tâm', 'Số đại biểu'],
      ['TW', 'Trung ương', 'central', null, false, 60],
      [101, 'Ban phía Nam', 'central', 'tw', true, 12],
    ]);
    expect(read.problems).toEqual([]);
    expect(read.points.map((p) => [p.id, p.parentId, p.centralSide, p.expectedAttendance])).toEqual([
      ['tw', null, false, 60],
      ['101', 'tw', true, 12],
    ]);
  });

  it('lists every problem of every row, with its row and field, and keeps the good rows', () => {
    const csv = [
      'Mã,Tên điểm cầu,Cấp,Phía trung tâm,Số đại biểu,Cột lạ',
      'a,A,Tỉnh,,10,',
      'b,,Huyện,,,',
      'c,C,Làng,,,',
      'a,A again,Huyện,,,',
      'd,D,Xã,maybe,many,',
      'E F,E,Xã,,,',
    ].join('\n');
    const read = readPointRows(csvTable(csv));
    expect(read.points.map((p) => p.id)).toEqual(['a']);
    expect(read.rows).toBe(6);
    expect(read.problems.map(({ row, field, reason }) => [row, field, reason])).toEqual([
      [0, 'Cột lạ', 'csv.unknown_column'],
      [2, 'name', 'csv.row_invalid'],
      [3, 'level', 'csv.row_invalid'],
      [4, 'id', 'spec.duplicate_point'],
      [5, 'centralSide', 'csv.not_boolean'],
      [5, 'expectedAttendance', 'csv.not_number'],
      [6, 'id', 'csv.row_invalid'],
    ]);
    expect(read.problems[1]?.params).toEqual({ row: 2, field: 'name' });
    expect(read.problems[3]?.params).toEqual({ pointId: 'a' });
  });

  it('reports an empty name once (not the id it could not make)', () => {
    const read = readPointRows([
      ['Tên', 'Cấp'],
      ['', 'Xã'],
    ]);
    expect(read.problems.map((p) => p.field)).toEqual(['name']);
  });

  it('refuses files without a name or level column, or without rows', () => {
    expect(reasonOf(() => readPointRows(csvTable('Mã,Cấp\na,Tỉnh\n')))).toBe('csv.missing_column');
    expect(reasonOf(() => readPointRows(csvTable('Tên,Tên điểm cầu,Cấp\na,b,Tỉnh\n')))).toBe('csv.duplicate_column');
    expect(reasonOf(() => readPointRows(csvTable('Tên,Cấp\n\n')))).toBe('csv.no_rows');
    expect(reasonOf(() => readPointRows([]))).toBe('csv.empty');
  });
});

describe('parsePointsCsv (the REST import)', () => {
  it('throws the first problem', () => {
    expect(reasonOf(() => parsePointsCsv('id,name,level\na,A,province\nb,B,hamlet\nc,,district'))).toBe('csv.row_invalid');
    expect(reasonOf(() => parsePointsCsv('id,name,level,password\na,A,province,x'))).toBe('csv.unknown_column');
    expect(reasonOf(() => parsePointsCsv('id,name,level\na,A,province,extra'))).toBe('csv.malformed');
    expect(parsePointsCsv('id,name,level\na,A,province\n')).toHaveLength(1);
  });
});

describe('xlsx', () => {
  it('reads the first sheet with data and reads an export back', async () => {
    const points = readPointRows(
      csvTable(
        'id,name,level,parentId,centralSide,venue,presiding,expectedAttendance\n' +
          'tw,Trung ương,central,,false,"Hội trường, A",Chủ tịch,60\nnam,Ban phía Nam,central,tw,true,,,0\n',
      ),
    ).points;
    const buffer = await writeXlsxFile([
      { sheet: 'Trống', data: [[null]] },
      { sheet: 'Điểm cầu', data: [exportHeader(), ...points.map(exportRow)] },
    ]).toBuffer();
    const read = readPointRows(await xlsxTable(buffer));
    expect(read.problems).toEqual([]);
    expect(read.points).toEqual(points);
  });

  it('refuses what is not a workbook, and a workbook without data', async () => {
    await expect(xlsxTable(Buffer.from('not a zip at all'))).rejects.toMatchObject({ reason: 'import.xlsx_unreadable' });
    const empty = await writeXlsxFile([[null]]).toBuffer();
    await expect(xlsxTable(empty)).rejects.toMatchObject({ reason: 'import.xlsx_no_sheet' });
  });
});
