import { describe, expect, it } from 'vitest';
import type { RawRow } from '../domain/import-rows';
import { toCsv, unguardCell } from './csv';
import { parseFile } from './parse-file';

const TEXTS = [
  '=HYPERLINK("http://evil.example","Bonyeza")',
  '+255 712 345 678',
  '-2 digrii leo',
  '@mtumiaji alisema',
  '\tkichupo',
  'kawaida = sawa',
  "'tayari na alama",
];

async function readBack(csv: string): Promise<string[]> {
  const rows: RawRow[] = [];
  await parseFile(new Blob([csv]), 'back.csv', { onRow: (r) => void rows.push(r) });
  return rows.map((r) => String(r.fields.text));
}

describe('CSV for spreadsheets', () => {
  it('guards every cell a spreadsheet would run as a formula, and no other', () => {
    const csv = toCsv(
      ['text', 'n'],
      TEXTS.map((t, i) => [t, -i]),
    );
    const lines = csv.trim().split('\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil.example"",""Bonyeza"")",0`);
    expect(lines[2]).toBe(`"'+255 712 345 678",-1`);
    expect(lines[3]).toBe(`"'-2 digrii leo",-2`);
    expect(lines[4]).toBe(`"'@mtumiaji alisema",-3`);
    expect(lines[6]).toBe('kawaida = sawa,-5');
    expect(lines[7]).toBe("'tayari na alama,-6");
  });

  it('writes raw cells when asked', () => {
    expect(toCsv(['text'], [['=1+1']], { raw: true })).toBe('text\n=1+1\n');
  });

  it('imports its own export back unchanged', async () => {
    expect(
      await readBack(
        toCsv(
          ['text'],
          TEXTS.map((t) => [t]),
        ),
      ),
    ).toEqual(TEXTS);
    expect(
      await readBack(
        toCsv(
          ['text'],
          TEXTS.map((t) => [t]),
          { raw: true },
        ),
      ),
    ).toEqual(TEXTS);
    expect(unguardCell("'=x")).toBe('=x');
    expect(unguardCell("'x")).toBe("'x");
  });
});
