import { describe, expect, it, vi } from 'vitest';
import type { RawRow } from '../domain/import-rows';
import { parseFile, type ParseInfo } from './parse-file';

async function parse(
  content: string | Uint8Array<ArrayBuffer>,
  name: string,
): Promise<{ info: ParseInfo; rows: RawRow[] }> {
  const rows: RawRow[] = [];
  const info = await parseFile(new Blob([content]), name, { onRow: (r) => void rows.push(r) });
  return { info, rows };
}

describe('parseFile', () => {
  it('reads CSV with a BOM, quoted newlines and mixed line endings', async () => {
    const { info, rows } = await parse(
      '\uFEFFtext,label\r\n"Line one\r\nline two",sports\n"He said ""hi""",politics\rlast,health\r\n',
      'a.csv',
    );
    expect(info).toEqual({
      format: 'csv',
      columns: ['text', 'label'],
      delimiter: ',',
      encoding: 'utf-8',
      duplicateColumns: [],
    });
    expect(rows.map((r) => r.fields)).toEqual([
      { text: 'Line one\nline two', label: 'sports' },
      { text: 'He said "hi"', label: 'politics' },
      { text: 'last', label: 'health' },
    ]);
    expect(rows.map((r) => r.index)).toEqual([2, 3, 4]);
  });

  it('detects semicolons and tabs', async () => {
    expect((await parse('text;label\na;b\n', 'x.csv')).info.delimiter).toBe(';');
    const tsv = await parse('text\tlabel\na, with comma\tb\n', 'x.tsv');
    expect(tsv.rows[0]?.fields).toEqual({ text: 'a, with comma', label: 'b' });
  });

  it('keeps characters split across stream chunks whole', async () => {
    const text = 'ሰላም ዓለም '.repeat(20_000); // > 64 kB of 3-byte characters
    const { rows } = await parse(`text,label\n"${text}",x\n`, 'big.csv');
    expect(rows[0]?.fields.text).toBe(text);
  });

  it('turns invalid UTF-8 into U+FFFD for the row check to report', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('text,label\n'),
      0x63,
      0x61,
      0xff,
      0x65,
      ...new TextEncoder().encode(',x\n'),
    ]);
    const { rows } = await parse(bytes, 'bad.csv');
    expect(rows[0]?.fields.text).toBe('ca\uFFFDe');
  });

  it('marks rows whose columns do not match the header', async () => {
    const { rows } = await parse('text,label\nonly text\na,b,c\nok,x\n', 'r.csv');
    expect(rows.map((r) => r.malformed)).toEqual([true, true, false]);
  });

  it('reads JSONL and JSON arrays, numbering lines and items', async () => {
    const jsonl = await parse('{"text":"a","label":"x"}\n\n{"text":"b","label":"y","lang":"sw"}\n', 'd.jsonl');
    expect(jsonl.info.columns).toEqual(['text', 'label', 'lang']);
    expect(jsonl.rows.map((r) => r.index)).toEqual([1, 3]);
    const json = await parse('[{"text":"a","label":1}]', 'd.json');
    expect(json.rows[0]?.fields).toEqual({ text: 'a', label: 1 });
  });

  it('stops early when the row callback says so', async () => {
    const rows: RawRow[] = [];
    await parseFile(new Blob(['text,label\n' + 'a,b\n'.repeat(1000)]), 'p.csv', { onRow: (r) => rows.push(r) < 5 });
    expect(rows).toHaveLength(5);
  });

  it.each([
    ['', 'e.csv', 'The file is empty.'],
    ['\u0000\u0001PNG', 'x.csv', 'This does not look like a text file'],
    ['text,label\n"open quote,x\nb,y\n', 'q.csv', 'Row 2: a quoted field is never closed'],
    ['[{"text": "a",]', 'j.json', 'The file is not valid JSON'],
    ['{"text": "a"}\n{oops}\n', 'j.jsonl', 'Line 2 is not valid JSON'],
    ['{"a": 1}', 'o.json', 'should hold a list of records'],
    ['{"a": 1}\n[2]\n', 'o.jsonl', 'Line 2 is not a record'],
    ['[1, 2]', 'n.json', 'Item 1 of the list is not a record'],
    ['{"text": "a", "__proto__": {"x": 1}}\n', 'p.jsonl', 'Line 1 has a field named “__proto__”'],
    ['text,__proto__\na,b\n', 'p.csv', 'A column is named “__proto__”'],
  ])('explains a bad file: %j', async (content, name, message) => {
    await expect(parse(content, name)).rejects.toMatchObject({
      code: 'invalid-file',
      message: expect.stringContaining(message),
    });
  });

  it('decodes UTF-16 with a byte-order mark, either byte order, and without one when every other byte is zero', async () => {
    const text = 'text\tlabel\nHabari ya leo ñ\tsports\nሰላም\thealth\n';
    const encode = (bigEndian: boolean, bom: boolean) => {
      const units = [...(bom ? [0xfeff] : []), ...Array.from(text, (c) => c.charCodeAt(0))];
      const bytes = new Uint8Array(units.length * 2);
      units.forEach((u, i) => {
        bytes[2 * i + (bigEndian ? 1 : 0)] = u & 0xff;
        bytes[2 * i + (bigEndian ? 0 : 1)] = u >> 8;
      });
      return bytes;
    };
    for (const [bigEndian, bom] of [
      [false, true],
      [true, true],
      [false, false],
    ] as const) {
      const { info, rows } = await parse(encode(bigEndian, bom), 'unicode.txt');
      expect(info.encoding).toBe(bigEndian ? 'utf-16be' : 'utf-16le');
      expect(info.columns).toEqual(['text', 'label']);
      expect(rows.map((r) => r.fields.text)).toEqual(['Habari ya leo ñ', 'ሰላም']);
    }
  });

  it('names columns the header repeats, reading later ones as “name (2)”, without a console warning', async () => {
    const warn = vi.spyOn(console, 'warn');
    const { info, rows } = await parse('text,label,label\nA,sports,health\n', 'twice.csv');
    expect(info.duplicateColumns).toEqual(['label']);
    expect(rows[0]?.fields).toEqual({ text: 'A', label: 'sports', 'label (2)': 'health' });
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('refuses a JSONL record nested deeper than 100 levels, however deep', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    await expect(parse(`{"text": "a", "label": "b"}\n{"text": ${deep}, "label": "b"}\n`, 'deep.jsonl')).rejects.toThrow(
      'Line 2 is nested more than 100 levels deep',
    );
    const ok = await parse(`{"text": "a", "label": "b", "meta": ${'['.repeat(99)}${']'.repeat(99)}}\n`, 'ok.jsonl');
    expect(ok.rows).toHaveLength(1);
  });
});
