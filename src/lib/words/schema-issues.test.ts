import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { useLanguage } from '../i18n/messages';
import { ClassifierFileSchema } from '../domain/record-schemas';
import { SampleSchema, TaskSchema } from '../domain/schemas';
import { describeIssues } from './schema-issues';

const task = {
  id: 't',
  name: 'News',
  description: '',
  languages: [{ code: 'sw', name: 'Swahili' }],
  labels: [{ name: 'sports', description: '' }],
  createdAt: 1,
  updatedAt: 1,
};

/** The sentence a value gets from a schema, or null when it passes. */
function said(schema: v.GenericSchema, value: unknown, where = 'Row 3'): string | null {
  const r = v.safeParse(schema, value);
  return r.success ? null : describeIssues(r.issues, where);
}

afterEach(() => useLanguage('en'));

describe('schema issues in words', () => {
  it('says each code with the values its check holds', () => {
    expect(said(TaskSchema, task)).toBeNull();
    expect(said(TaskSchema, { ...task, name: 'x'.repeat(121) })).toBe(
      'Row 3, field “name”: is longer than 120 characters.',
    );
    expect(said(TaskSchema, { ...task, labels: [] })).toBe('Row 3, field “labels”: has no label.');
    const many = Array.from({ length: 51 }, (_, i) => ({ code: `l${i}`, name: `L${i}` }));
    expect(said(TaskSchema, { ...task, languages: many })).toBe('Row 3, field “languages”: has more than 50 entries.');
    expect(said(TaskSchema, { ...task, createdAt: -1 })).toBe('Row 3, field “createdAt”: should be 0 or more.');
    expect(said(TaskSchema, { ...task, createdAt: 1.5 })).toBe('Row 3, field “createdAt”: should be a whole number.');
    const sample = {
      id: 's',
      taskId: 't',
      text: 'Habari',
      label: 'sports',
      language: 'sw',
      split: 'valid',
      source: 'human',
      jobId: null,
      flags: [],
      textHash: 'h',
      createdAt: 1,
      updatedAt: 1,
      deletedAt: null,
    };
    expect(said(SampleSchema, sample)).toBe(
      'Row 3, field “split”: must be one of train, validation, test, seed, pool.',
    );
  });

  it('says a wrong type or a missing field, and a check of the whole record without a field', () => {
    expect(said(TaskSchema, { ...task, name: 5 })).toBe('Row 3, field “name”: should be a string, not a number (5).');
    expect(said(TaskSchema, { ...task, name: undefined })).toBe('Row 3, field “name”: is missing.');
    const file = {
      format: 'polyclass-classifier',
      version: 1,
      labels: ['a', 'a'],
      encoder: null,
      training: { samples: 2, seed: 1, languages: [], createdAt: '' },
      student: 'ngram',
      ngram: { buckets: 8, minChar: 2, maxChar: 4, wordBigrams: false },
      weights: { rows: '', values: '', bias: '' },
    };
    expect(said(ClassifierFileSchema, file, 'The file')).toBe('The file, field “labels”: names the same label twice.');
    expect(said(ClassifierFileSchema, { ...file, labels: ['a', 'b'], version: 1001 }, 'The file')).toBe(
      'The file, field “version”: should be 1,000 or less.',
    );
  });

  it('speaks the UI language of now', async () => {
    await useLanguage('fr');
    expect(said(TaskSchema, { ...task, labels: [] })).toBe('Row 3, champ « labels » : n’a aucune étiquette.');
  });
});
