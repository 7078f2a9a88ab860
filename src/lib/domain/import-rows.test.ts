import { describe, expect, it } from 'vitest';
import {
  guessMapping,
  parseSplit,
  rowToSample,
  splitFromFileName,
  TaskVocabulary,
  type ColumnMapping,
  type RowSkip,
} from './import-rows';
import { rowOrigin } from './import-rows';
import { describeRowSkip, summarizeImport } from '../ui/import-text';

const task = {
  languages: [
    { code: 'sw', name: 'Swahili (macrolanguage)' },
    { code: 'ha', name: 'Hausa' },
  ],
  labels: [
    { name: 'Sports', description: '' },
    { name: 'politics', description: '' },
  ],
};
const vocab = new TaskVocabulary(task);
const mapping: ColumnMapping = {
  text: 'text',
  label: 'label',
  language: 'lang',
  split: null,
  defaultLanguage: null,
  defaultSplit: 'test',
};
const row = (fields: Record<string, unknown>) => rowToSample({ index: 2, fields }, mapping, vocab);

/** Why a row is skipped (the row must be skipped). */
function skipOf(fields: Record<string, unknown>): RowSkip {
  const out = row(fields);
  if (out.ok) throw new Error('the row was not skipped');
  return out.skip;
}

describe('rowToSample', () => {
  it('matches labels and languages loosely and keeps the task’s spelling', () => {
    expect(row({ text: ' Simba ', label: 'sports', lang: 'Swahili' })).toEqual({
      ok: true,
      sample: { text: 'Simba', label: 'Sports', language: 'sw', split: 'test', source: 'human' },
    });
    expect(row({ text: 'a', label: 'POLITICS', lang: 'hau' })).toMatchObject({ ok: true, sample: { language: 'ha' } });
    expect(row({ text: 'a', label: 'politics', lang: 'sw-KE' })).toMatchObject({
      ok: true,
      sample: { language: 'sw' },
    });
  });

  it.each([
    [{ text: '  ', label: 'sports', lang: 'sw' }, 'empty-text'],
    [{ text: 'ca\uFFFDe', label: 'sports', lang: 'sw' }, 'invalid-utf8'],
    [{ text: 'cafe', label: 'sp\uFFFDrts', lang: 'sw' }, 'invalid-utf8'],
    [{ text: 'a\u0000b', label: 'sports', lang: 'sw' }, 'binary'],
    [{ text: 42, label: 'sports', lang: 'sw' }, 'wrong-type'],
    [{ text: 'a', label: { x: 1 }, lang: 'sw' }, 'wrong-type'],
    [{ text: 'a', label: '', lang: 'sw' }, 'missing-label'],
    [{ text: 'a', label: 'weather', lang: 'sw' }, 'unknown-label'],
    [{ text: 'a', label: 'sports', lang: 'French' }, 'unknown-language'],
    [{ text: 'a', label: 'sports', lang: '' }, 'missing-language'],
    [{ text: 'x'.repeat(10_001), label: 'sports', lang: 'sw' }, 'too-long'],
  ])('skips %j as %s', (fields, reason) => {
    expect(row(fields)).toMatchObject({ ok: false, skip: { reason } });
  });

  it('names the column and the type it found', () => {
    expect(describeRowSkip(skipOf({ text: 42, label: 'sports', lang: 'sw' }))).toBe(
      'field “text” should be text, not a number',
    );
    expect(describeRowSkip(skipOf({ text: 'a', label: ['x'], lang: 'sw' }))).toBe(
      'field “label” should be text or a number, not a list',
    );
    expect(describeRowSkip(skipOf({ text: 'a', label: 3, lang: { code: 'sw' } }))).toBe(
      'field “lang” should be text, not an object',
    );
  });

  it('uses the default language and split, and reads split aliases', () => {
    const m = { ...mapping, language: null, split: 'set', defaultLanguage: 'ha' };
    expect(rowToSample({ index: 1, fields: { text: 'a', label: 'sports', set: 'dev' } }, m, vocab)).toMatchObject({
      ok: true,
      sample: { language: 'ha', split: 'validation' },
    });
    expect(parseSplit('Training')).toBe('train');
    expect(parseSplit('holdout')).toBeNull();
  });

  it('accepts labels added during the import', () => {
    const v = new TaskVocabulary(task, ['weather']);
    expect(rowToSample({ index: 1, fields: { text: 'a', label: 'Weather', lang: 'sw' } }, mapping, v)).toMatchObject({
      ok: true,
      sample: { label: 'weather' },
    });
  });
});

describe('rows for the unlabelled pool', () => {
  it('keeps no label in the pool, and still needs one everywhere else', () => {
    const pool = { ...mapping, label: '', defaultSplit: 'pool' as const };
    const out = rowToSample({ index: 2, fields: { text: ' Habari za leo ', lang: 'sw' } }, pool, vocab);
    expect(out).toEqual({
      ok: true,
      sample: { text: 'Habari za leo', label: '', language: 'sw', split: 'pool', source: 'human' },
    });
    // A label in the file is not kept in the pool (nobody chose it there).
    const labelled = rowToSample(
      { index: 3, fields: { text: 'x', label: 'Sports', lang: 'sw', split: 'unlabelled' } },
      { ...mapping, split: 'split' },
      vocab,
    );
    expect(labelled.ok && labelled.sample).toMatchObject({ label: '', split: 'pool' });
    expect(skipOf({ text: 'x', lang: 'sw' })).toEqual({ reason: 'missing-label' });
    expect(parseSplit('Unlabeled')).toBe('pool');
    expect(parseSplit('pool')).toBe('pool');
  });

  it('sends a file without a label column to the pool', () => {
    expect(guessMapping(['text'], task, 'train.csv')).toMatchObject({ text: 'text', label: '', defaultSplit: 'pool' });
    expect(guessMapping(['text', 'language'], task, 'x.csv')).toMatchObject({
      label: '',
      language: 'language',
      defaultSplit: 'pool',
    });
  });
});

describe('guessMapping', () => {
  it('finds common column names', () => {
    expect(guessMapping(['index_id', 'category', 'text'], task)).toMatchObject({
      text: 'text',
      label: 'category',
      language: null,
    });
    expect(
      guessMapping(['sentence', 'intent', 'lang', 'split'], { languages: [{ code: 'sw', name: 'Swahili' }] }),
    ).toEqual({
      text: 'sentence',
      label: 'intent',
      language: 'lang',
      split: 'split',
      defaultLanguage: 'sw',
      defaultSplit: null,
    });
    expect(guessMapping(['text', 'label'], task, 'sw-train_full.csv').defaultSplit).toBe('train');
  });
});

describe('splitFromFileName', () => {
  it('reads train, dev/validation and test from common file names', () => {
    const cases: [string, string | null][] = [
      ['train.tsv', 'train'],
      ['sw-train_full.csv', 'train'],
      ['data/zul_Latn/train2.jsonl', 'train'],
      ['dev.tsv', 'validation'],
      ['validation.csv', 'validation'],
      ['hau_Latn_test.tsv', 'test'],
      ['TEST.CSV', 'test'],
      // Says nothing, or words that only contain a split's name, or two splits at once.
      ['sentences.csv', null],
      ['trainer-notes.csv', null],
      ['testimonials.csv', null],
      ['train-test.csv', null],
      ['', null],
    ];
    for (const [name, split] of cases) expect([name, splitFromFileName(name)]).toEqual([name, split]);
  });

  it('skips a row with no split when none was chosen, instead of putting it anywhere', () => {
    const outcome = rowToSample(
      { index: 1, fields: { text: 'Habari', label: 'sports', lang: 'sw' } },
      { ...mapping, split: null, defaultSplit: null },
      vocab,
    );
    expect(outcome).toEqual({ ok: false, skip: { reason: 'missing-split' } });
  });
});

describe('summarizeImport', () => {
  it('says what was imported and why the rest was skipped, most common reason first', () => {
    expect(summarizeImport({ imported: 1204, skipped: { 'unknown-label': 4, 'empty-text': 9 } })).toBe(
      '1,204 imported, 13 skipped: 9 empty text, 4 unknown label',
    );
    expect(summarizeImport({ imported: 3, skipped: {} })).toBe('3 imported');
  });
});

describe('rowOrigin', () => {
  it('keeps the source and provenance of the app’s own export, and calls other rows human', () => {
    expect(
      rowOrigin({
        text: 'x',
        source: 'synthetic',
        provenance: { generator: 'llama-3-70b', seed: '12', template: '4', note: 7, __proto__: 'x' },
      }),
    ).toEqual({ source: 'synthetic', meta: { generator: 'llama-3-70b', seed: '12', template: '4' } });
    // The CSV export carries the generator only.
    expect(rowOrigin({ source: 'synthetic', generator: ' qwen ' })).toEqual({
      source: 'synthetic',
      meta: { generator: 'qwen' },
    });
    expect(rowOrigin({ source: 'edited' })).toEqual({ source: 'edited' });
    // A column that happens to be called "source" in someone else's file.
    expect(rowOrigin({ source: 'BBC news', provenance: { generator: 'x' } })).toEqual({ source: 'human' });
    expect(rowOrigin({ text: 'x' })).toEqual({ source: 'human' });
  });
});
