/**
 * @file Property-based fuzzing (fast-check) of what reads untrusted input: the import parsers
 * (CSV/TSV/JSONL/JSON files, rows → samples) and the LLM-answer parsers (generated texts,
 * classifications). Properties: no crash but a typed, explained rejection; no silent loss (what
 * a well-formed input holds comes out whole); every rejection says why.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/domain/errors';
import { rowToSample, TaskVocabulary, type RawRow } from '../../src/lib/domain/import-rows';
import { describeRowSkip } from '../../src/lib/ui/import-text';
import { parseClassification } from '../../src/lib/domain/llm-classify';
import { cleanText, parseGeneratedTexts } from '../../src/lib/domain/parse';
import { parseFile } from '../../src/lib/files/parse-file';
import { describeInvalidAnswer } from '../../src/lib/ui/reasons';

const RUNS = Number(process.env.POLYCLASS_FUZZ_RUNS ?? 200);
const params = { numRuns: RUNS, seed: 20261124 };

/** Text as people and models write it: any Unicode, quotes, separators, newlines, markup. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({
    unit: fc.constantFrom(
      'a',
      'é',
      'ß',
      'ع',
      '中',
      ' ',
      ',',
      ';',
      '\t',
      '"',
      "'",
      '\n',
      '\r',
      '{',
      '}',
      '[',
      ']',
      '\\',
      '<',
      '>',
    ),
    maxLength: 40,
  }),
);
const labels = ['sports', 'politics', 'health'];

async function parseAll(content: string | Uint8Array, name: string): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  await parseFile(new Blob([content as BlobPart]), name, { onRow: (r) => void rows.push(r) });
  return rows;
}

describe('import parsers under fuzzing', () => {
  it('read back every row of any CSV a spreadsheet could write, with line endings unified', async () => {
    const row = fc.record({ text: text.filter((t) => t.trim().length > 0), label: fc.constantFrom(...labels) });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), async (rows) => {
        const csv = Papa.unparse(rows, { newline: '\r\n' });
        const read = await parseAll(csv, 'data.csv');
        // Line endings inside texts become \n (files mix \r\n, \r and \n); nothing else changes.
        const lf = (t: string) => t.replace(/\r\n?/g, '\n');
        expect(read.map((r) => r.fields)).toEqual(rows.map((r) => ({ ...r, text: lf(r.text) })));
      }),
      params,
    );
  });

  it('read back every record of any JSONL and JSON array', async () => {
    const record = fc.record({ text, label: fc.constantFrom(...labels), n: fc.integer() });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 20 }), async (records) => {
        const jsonl = records.map((r) => JSON.stringify(r)).join('\n');
        expect((await parseAll(jsonl, 'data.jsonl')).map((r) => r.fields)).toEqual(records);
        expect((await parseAll(JSON.stringify(records), 'data.json')).map((r) => r.fields)).toEqual(records);
      }),
      params,
    );
  });

  it('never crash on arbitrary bytes: rows, or a rejection that says what is wrong', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom('f.csv', 'f.tsv', 'f.jsonl', 'f.json', 'f.txt'),
        async (bytes, name) => {
          try {
            const rows = await parseAll(bytes, name);
            for (const r of rows) expect(r.index).toBeGreaterThan(0);
          } catch (e) {
            expect(e).toBeInstanceOf(AppError);
            expect((e as AppError).code).toBe('invalid-file');
            expect((e as AppError).message.length).toBeGreaterThan(10);
          }
        },
      ),
      params,
    );
  });

  it('turn any row into a sample or a skip with its reason and detail', () => {
    const vocab = new TaskVocabulary({
      labels: labels.map((name) => ({ name, description: '' })),
      languages: [{ code: 'sw', name: 'Swahili' }],
    });
    const mapping = {
      text: 'text',
      label: 'label',
      language: 'lang',
      split: 'split',
      defaultLanguage: 'sw',
      defaultSplit: 'train' as const,
    };
    const value = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object());
    fc.assert(
      fc.property(
        fc.record({ text: value, label: value, lang: value, split: value }, { requiredKeys: [] }),
        (fields) => {
          const out = rowToSample({ index: 2, fields }, mapping, vocab);
          if (out.ok) {
            expect(out.sample.text.trim().length).toBeGreaterThan(0);
            expect(labels).toContain(out.sample.label);
            expect(out.sample.language).toBe('sw');
          } else {
            expect(out.skip.reason.length).toBeGreaterThan(0);
            expect(describeRowSkip(out.skip).length).toBeGreaterThan(0);
          }
        },
      ),
      params,
    );
  });
});

describe('LLM answer parsers under fuzzing', () => {
  it('read generated texts from any answer without crashing, explaining an empty result', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (answer) => {
        const r = parseGeneratedTexts(answer);
        for (const t of r.texts) {
          expect(t.length).toBeGreaterThan(0);
          expect(t).toBe(t.trim());
        }
        if (r.texts.length === 0 && answer.trim()) expect(r.problems.length).toBeGreaterThan(0);
      }),
      params,
    );
  });

  it('lose no text of a well-formed answer, in any of the shapes models use', () => {
    const texts = fc.array(
      text.map(cleanText).filter((t) => t.length > 0 && cleanText(t) === t),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(texts, fc.constantFrom('plain', 'fenced', 'objects', 'chatty'), (list, shape) => {
        const json =
          shape === 'objects'
            ? JSON.stringify({ texts: list.map((t) => ({ text: t })) })
            : JSON.stringify({ texts: list });
        const answer =
          shape === 'fenced' ? `\`\`\`json\n${json}\n\`\`\`` : shape === 'chatty' ? `Here you go:\n${json}` : json;
        expect(parseGeneratedTexts(answer).texts).toEqual(list);
      }),
      params,
    );
  });

  it('read a classification from any answer: one of the labels, or invalid with a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json()), (answer) => {
        const r = parseClassification(answer, labels);
        if (r.label === null) expect(describeInvalidAnswer(r.invalid).length).toBeGreaterThan(0);
        else expect(labels).toContain(r.label);
      }),
      params,
    );
    fc.assert(
      fc.property(fc.constantFrom(...labels), fc.constantFrom('json', 'bare', 'sentence'), (label, shape) => {
        const answer =
          shape === 'json' ? JSON.stringify({ label }) : shape === 'bare' ? label.toUpperCase() : `It is ${label}.`;
        expect(parseClassification(answer, labels)).toEqual({ label });
      }),
      params,
    );
  });
});
