/**
 * @file The TF-IDF n-gram student: its features are the ones defined (checked against a plain
 * reference), its solver reaches the SVM's optimum (the gradient of the primal objective
 * vanishes), its temperature is the one that generated the labels, and version 1 files still
 * predict exactly as they did.
 */
import { describe, expect, it } from 'vitest';
import v1 from '../../../tests/fixtures/ngram-v1.json';
import { createRng } from '../domain/random';
import { fromClassifierFile, toClassifierFile } from './classifier-file';
import { DEFAULT_NGRAM, countNgrams, words } from './ngram';
import { fitTemperature } from './calibration';
import { ngramScores, predictNgram, trainNgram, type NgramStudentModel } from './ngram-student';
import { columnsOf, tfidfOfText } from './tfidf';
import { softmaxInPlace } from './training';

/** FNV-1a as the features use it, on a whole string. */
function fnv(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The features written out plainly: substrings of ` word ` in code points, then hashed. */
function referenceTerms(text: string): Map<number, number> {
  const half = DEFAULT_NGRAM.buckets / 2;
  const out = new Map<number, number>();
  const add = (h: number) => out.set(h, (out.get(h) ?? 0) + 1);
  const ws = words(text);
  ws.forEach((w, i) => {
    add((fnv(w, 1) % half) + half);
    if (i > 0) add((fnv(`${ws[i - 1]} ${w}`, 2) % half) + half);
    const chars = [...` ${w} `];
    for (let s = 0; s < chars.length; s++)
      for (let n = 1; n <= 5 && s + n <= chars.length; n++) {
        const gram = chars.slice(s, s + n).join('');
        if (gram !== ' ') add(fnv(gram, 3) % half);
      }
  });
  return out;
}

const SPORTS = [
  'mpira wa miguu leo',
  'timu imeshinda mechi',
  'mchezaji alifunga goli',
  'mechi ya mpira',
  'goli la ushindi',
];
const POLITICS = ['rais amehutubia bunge', 'uchaguzi mkuu ujao', 'waziri amejiuzulu leo', 'bunge limepitisha sheria'];

describe('the student’s features', () => {
  it('are character 1–5-grams of each padded word and word uni- and bigrams, in any script', () => {
    for (const text of [
      'Habari za leo, rafiki!',
      'ሰላም ለዓለም ሁሉ',
      // Code points outside the BMP (surrogate pairs), combining marks and a long word.
      '𐌰𐌱𐌲 नमस्ते दुनिया supercalifragilistic',
      // Words around the size of the scratch buffers (62–64 units, one with a surrogate pair).
      `${'a'.repeat(61)} ${'b'.repeat(62)} ${'c'.repeat(63)} ${'d'.repeat(64)} ${'e'.repeat(60)}𐌰 ${'f'.repeat(200)}`,
      'a I ab',
      '',
    ]) {
      const got = countNgrams(text, DEFAULT_NGRAM);
      expect(Object.fromEntries([...got].sort((a, b) => a[0] - b[0]))).toEqual(
        Object.fromEntries([...referenceTerms(text)].sort((a, b) => a[0] - b[0])),
      );
    }
  });

  it('weigh terms by sublinear TF-IDF, each part of unit length, unknown terms left out', () => {
    const model = trainNgram(
      [...SPORTS, ...POLITICS],
      [...SPORTS.map(() => 's'), ...POLITICS.map(() => 'p')],
      ['p', 's'],
    );
    const x = tfidfOfText('mechi ya mpira leo qxqx', model.config, columnsOf(model), model.idf as Float32Array);
    const half = model.config.buckets / 2;
    let charSq = 0;
    let wordSq = 0;
    for (let e = 0; e < x.n; e++) {
      const v = x.vals[e] as number;
      if ((model.features[x.cols[e] as number] as number) >= half) wordSq += v * v;
      else charSq += v * v;
    }
    expect(charSq).toBeCloseTo(1, 5);
    expect(wordSq).toBeCloseTo(1, 5);
    // No letter of "qxqx" was ever seen: none of its n-grams has a column.
    const known = new Set(model.features);
    const unseen = countNgrams('qxqx', model.config);
    expect([...unseen.keys()].filter((h) => known.has(h))).toEqual([]);
    expect(x.n).toBe([...countNgrams('mechi ya mpira leo', model.config).keys()].filter((h) => known.has(h)).length);
    // A term in every training text has the smallest idf, a rare one a larger idf.
    const idfOf = (h: number) => (model.idf as Float32Array)[columnsOf(model).get(h) as number] as number;
    const space = fnv(' m', 3) % half; // ' m' starts mpira, mechi, miguu, mchezaji, mkuu…
    const rare = (fnv('waziri', 1) % half) + half;
    expect(idfOf(rare)).toBeGreaterThan(idfOf(space));
  });
});

describe('the solver', () => {
  it('reaches the SVM optimum: the squared-hinge objective’s gradient vanishes', () => {
    const rng = createRng(4);
    const vocab = ['mpira', 'goli', 'timu', 'bunge', 'rais', 'kura', 'leo', 'jana', 'hii', 'na', 'sana'];
    const texts: string[] = [];
    const labels: string[] = [];
    for (let i = 0; i < 120; i++) {
      const c = i % 3;
      const pick = () => vocab[Math.floor(rng() * vocab.length)] as string;
      texts.push([vocab[c * 2] as string, pick(), pick(), pick()].join(' '));
      labels.push(['a', 'b', 'c'][c] as string);
    }
    // A label flipped now and then, so the data are not separable and the loss matters.
    for (let i = 0; i < 120; i += 17) labels[i] = 'c';
    const C = 0.7;
    // No naive-Bayes scaling: the weights are then the SVM's own.
    const model = trainNgram(texts, labels, ['a', 'b', 'c'], { C, nbAlpha: 0, tolerance: 1e-6, epochs: 5000 });
    const columns = columnsOf(model);
    const xs = texts.map((t) => tfidfOfText(t, model.config, columns, model.idf as Float32Array));
    const k = 3;
    const nf = model.features.length;
    for (let c = 0; c < k; c++) {
      const pos = labels.filter((l) => l === model.labels[c]).length;
      const n = texts.length;
      const grad = new Float64Array(nf + 1);
      for (let j = 0; j < nf; j++) grad[j] = model.weights[j * k + c] as number;
      grad[nf] = model.bias[c] as number;
      xs.forEach((x, i) => {
        const yi = labels[i] === model.labels[c] ? 1 : -1;
        const Ci = yi > 0 ? (C * n) / (2 * pos) : (C * n) / (2 * (n - pos));
        let score = model.bias[c] as number;
        for (let e = 0; e < x.n; e++)
          score += (x.vals[e] as number) * (model.weights[(x.cols[e] as number) * k + c] as number);
        const slack = Math.max(0, 1 - yi * score);
        for (let e = 0; e < x.n; e++)
          grad[x.cols[e] as number] =
            (grad[x.cols[e] as number] as number) - 2 * Ci * slack * yi * (x.vals[e] as number);
        grad[nf] = (grad[nf] as number) - 2 * Ci * slack * yi;
      });
      const size = Math.hypot(...Array.from({ length: nf }, (_, j) => model.weights[j * k + c] as number));
      expect(size).toBeGreaterThan(0.5);
      expect(Math.hypot(...grad)).toBeLessThan(1e-3 * size);
    }
  });

  it('is deterministic for a seed, and learns word and subword cues', () => {
    const texts = [...SPORTS, ...POLITICS];
    const labels = [...SPORTS.map(() => 'sports'), ...POLITICS.map(() => 'politics')];
    const a = trainNgram(texts, labels, ['politics', 'sports'], { seed: 9 });
    const b = trainNgram(texts, labels, ['politics', 'sports'], { seed: 9 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(a.temperature).toBe(b.temperature);
    expect(predictNgram(a, 'timu ilifunga magoli mawili')[1]).toBeGreaterThan(0.5);
    expect(predictNgram(a, 'wabunge na uchaguzi wa rais')[0]).toBeGreaterThan(0.5);
  });
});

describe('the softmax temperature', () => {
  it('is found again from labels drawn at a known temperature', () => {
    const rng = createRng(11);
    const n = 4000;
    const k = 4;
    const scores = new Float64Array(n * k);
    const y = new Uint16Array(n);
    const p = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) scores[i * k + c] = rng() * 2 - 1;
      for (let c = 0; c < k; c++) p[c] = 2.5 * (scores[i * k + c] as number);
      softmaxInPlace(p);
      let u = rng();
      let c = 0;
      while (c < k - 1 && u > (p[c] as number)) u -= p[c++] as number;
      y[i] = c;
    }
    expect(fitTemperature(scores, y, k)).toBeGreaterThan(2.2);
    expect(fitTemperature(scores, y, k)).toBeLessThan(2.8);
  });
});

describe('classifier files', () => {
  it('round-trip the student with identical predictions', () => {
    const model = trainNgram(
      [...SPORTS, ...POLITICS],
      [...SPORTS.map(() => 's'), ...POLITICS.map(() => 'p')],
      ['p', 's'],
    );
    const meta = {
      encoder: null,
      training: { samples: 9, seed: 1, languages: ['sw'], createdAt: '2026-11-30T00:00:00Z' },
    };
    const file = JSON.parse(JSON.stringify(toClassifierFile(model, meta)));
    expect(file.version).toBe(2);
    const back = fromClassifierFile(file).model as NgramStudentModel;
    expect(Array.from(predictNgram(back, 'goli la timu'))).toEqual(Array.from(predictNgram(model, 'goli la timu')));
    // A TF-IDF file without its idf or temperature is refused by name.
    const { idf: _idf, ...noIdf } = file.weights;
    expect(() => fromClassifierFile({ ...file, weights: noIdf })).toThrow('weights.idf');
    expect(() => fromClassifierFile({ ...file, temperature: undefined })).toThrow('temperature');
  });

  it('of version 1 still load and predict exactly as they did', () => {
    const { model } = fromClassifierFile(v1.file);
    expect(v1.file.version).toBe(1);
    for (const { text, probabilities } of v1.predictions)
      expect(Array.from(predictNgram(model as NgramStudentModel, text))).toEqual(probabilities);
    const out = new Float64Array(2);
    ngramScores(model as NgramStudentModel, 'timu', out);
    expect(out.some((s) => s !== 0)).toBe(true);
  });
});
