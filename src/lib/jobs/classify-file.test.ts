import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { classifyFile } from './classify-file';
import { studentOf } from '../ml/student';
import { trainNgram } from '../ml/ngram-student';

const LABELS = ['sports', 'politics'];
const student = studentOf(
  trainNgram(
    ['Timu imeshinda mechi', 'Mchezaji amefunga bao', 'Rais amehutubia bunge', 'Waziri amejiuzulu leo'],
    ['sports', 'sports', 'politics', 'politics'],
    LABELS,
    { seed: 1 },
  ),
  null,
);
const csv = (text: string) => new Blob([text], { type: 'text/csv' });

describe('classifying a file', () => {
  it('adds each row’s prediction and every label’s probability, keeping the file’s columns', async () => {
    const progress: number[] = [];
    const out = await classifyFile(student, csv('id,sentence\n1,Timu imeshinda\n2,Rais amehutubia\n'), 'in.csv', null, {
      onProgress: (p) => progress.push(p.done),
    });
    expect(out.rows).toBe(2);
    expect(out.textColumn).toBe('sentence');
    const rows = Papa.parse<Record<string, string>>(new TextDecoder().decode(out.csv), { header: true }).data.filter(
      (r) => r.id,
    );
    expect(rows.map((r) => [r.id, r.prediction])).toEqual([
      ['1', 'sports'],
      ['2', 'politics'],
    ]);
    for (const r of rows) expect(Number(r.p_sports) + Number(r.p_politics)).toBeCloseTo(1, 3);
    expect(progress.at(-1)).toBe(2);
  });

  it('leaves the prediction empty below a "not sure" threshold, with the best guess and its confidence', async () => {
    const file = 'text\nTimu imeshinda mechi bao\nhabari za leo\n';
    const [sure, unsure] = (await student.probabilities(['Timu imeshinda mechi bao', 'habari za leo'])).map((p) =>
      Math.max(...p),
    ) as [number, number];
    expect(sure).toBeGreaterThan(unsure);
    const threshold = (sure + unsure) / 2;
    const out = await classifyFile(student, csv(file), 'in.csv', null, { minConfidence: threshold });
    expect(out.notSure).toBe(1);
    const rows = Papa.parse<Record<string, string>>(new TextDecoder().decode(out.csv), { header: true }).data.filter(
      (r) => r.text,
    );
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'text',
      'prediction',
      'best_guess',
      'confidence',
      'p_sports',
      'p_politics',
    ]);
    expect(rows[0]).toMatchObject({ prediction: 'sports', best_guess: 'sports' });
    expect(rows[1]?.prediction).toBe('');
    expect(Number(rows[1]?.confidence)).toBeCloseTo(unsure, 3);
    expect(LABELS).toContain(rows[1]?.best_guess);
    // No threshold: every row answered, the columns as before.
    const plain = await classifyFile(student, csv(file), 'in.csv', null);
    expect(plain.notSure).toBe(0);
    expect(new TextDecoder().decode(plain.csv).split('\n')[0]).toBe('text,prediction,p_sports,p_politics');
  });

  it('says which column it cannot find, and stops when cancelled', async () => {
    await expect(classifyFile(student, csv('text\nhabari\n'), 'in.csv', 'body')).rejects.toMatchObject({
      code: 'invalid-file',
      message: expect.stringContaining('body'),
    });
    const controller = new AbortController();
    controller.abort();
    await expect(
      classifyFile(student, csv('text\nhabari\n'), 'in.csv', null, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'aborted' });
  });
});
