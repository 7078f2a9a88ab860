import { describe, expect, it } from 'vitest';
import { answerRows, guessAnswerColumns, matchAnswers } from './answers';
import { EvalRunRecordSchema } from './record-schemas';
import * as v from 'valibot';

const LABELS = ['science/technology', 'travel', 'politics', 'sports'];

describe('imported answers', () => {
  it('guesses the answer, text and id columns', () => {
    // SIB-200's GPT-4 file: row number, id, gold label, text, then the answer.
    expect(guessAnswerColumns(['', 'index_id', 'category', 'text', 'gpt-4'])).toEqual({
      answer: 'gpt-4',
      text: 'text',
      id: null,
    });
    expect(guessAnswerColumns(['id', 'Prediction', 'label', 'language'])).toEqual({
      answer: 'Prediction',
      text: null,
      id: 'id',
    });
    expect(guessAnswerColumns(['sentence', 'output'])).toEqual({ answer: 'output', text: 'sentence', id: null });
    // Nothing to match by, or nothing but gold labels: no guess.
    expect(guessAnswerColumns(['answer', 'label'])).toBeNull();
    expect(guessAnswerColumns(['text', 'label', 'language'])).toBeNull();
  });

  it('reads rows with the chosen columns and leaves out rows with neither text nor id', () => {
    const rows = answerRows(
      [
        { text: ' A text ', gpt: 'Travel' },
        { text: '', gpt: 'Sports' },
        { text: 'Numbers', gpt: 42 },
        { text: 'Missing answer' },
      ],
      { answer: 'gpt', text: 'text', id: null },
    );
    expect(rows).toEqual([
      { id: null, text: 'A text', answer: 'Travel' },
      { id: null, text: 'Numbers', answer: '42' },
      { id: null, text: 'Missing answer', answer: '' },
    ]);
  });

  it('matches by id first, else by text (Unicode and spacing aside), and says what could not be used', () => {
    const items = [
      { sampleId: 's1', text: 'Rais alihutubia bunge.' },
      { sampleId: 's2', text: 'Caf\u00e9 opens  on the moon' },
      { sampleId: 's3', text: 'Timu ilishinda mechi.' },
      { sampleId: 's4', text: 'Nothing answers this one.' },
      { sampleId: 's5', text: 'A vague answer.' },
    ];
    const m = matchAnswers(
      items,
      [
        { id: 's1', text: 'a different text: the id wins', answer: '{"label": "politics"}' },
        // NFD "é" and single spaces still match.
        { id: null, text: 'Cafe\u0301 opens on the moon', answer: 'This piece of news is about "Science/Technology".' },
        { id: null, text: 'Timu ilishinda mechi.', answer: 'sports' },
        { id: null, text: 'Timu ilishinda mechi.', answer: 'travel' },
        { id: null, text: 'A vague answer.', answer: 'It could be travel or sports.' },
        { id: 'nobody', text: 'Not a test text', answer: 'travel' },
      ],
      LABELS,
    );
    expect(m.predictions).toEqual(['politics', 'science/technology', 'sports', null, null]);
    expect(m.missingCount).toBe(1);
    expect(m.invalidCount).toBe(1);
    expect(m.unmatchedCount).toBe(1);
    expect(m.unmatchedExamples).toEqual(['Not a test text']);
    expect(m.invalid).toEqual([
      { index: 3, answer: '', reason: { code: 'not-in-file' } },
      {
        index: 4,
        answer: 'It could be travel or sports.',
        reason: { code: 'several-labels', labels: ['travel', 'sports'] },
      },
    ]);
  });

  it('is a stored record the bundle check accepts, and one with a broken row it refuses', () => {
    const set = {
      id: 'a1',
      taskId: 't1',
      createdAt: 1,
      kind: 'answers',
      name: 'GPT-4 zero-shot',
      fileName: 'gpt4.tsv',
      rows: [{ id: null, text: 'x', answer: 'travel' }],
    };
    expect(v.safeParse(EvalRunRecordSchema, set).success).toBe(true);
    expect(v.safeParse(EvalRunRecordSchema, { ...set, rows: [{ text: 'x' }] }).success).toBe(false);
  });
});
