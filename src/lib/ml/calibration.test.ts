/**
 * @file Calibration (decision 016): the map keeps the top label on top and the probabilities
 * summing to 1; fitted on held-out texts it brings overconfident probabilities close to how
 * often they are right (on fresh texts, not the ones it was fitted on); students carry it
 * through their file.
 */
import { describe, expect, it } from 'vitest';
import { noisyLabelledTexts } from '../../../tests/fixtures/noisy-labels';
import { calibrationOf } from '../domain/metrics';
import { createRng } from '../domain/random';
import { calibrate, fitCalibration, MIN_CALIBRATION_TEXTS } from './calibration';
import { fromClassifierFile, toClassifierFile } from './classifier-file';
import { trainNgram } from './ngram-student';
import { openStudent } from './student';
import { argmax } from './training';

/**
 * Texts whose true chance of each label is known: the model reports those chances sharpened
 * (cubed and renormalized), i.e. overconfident, and the label is drawn from the true ones.
 */
function overconfident(n: number, k: number, seed: number) {
  const rng = createRng(seed);
  const reported: Float64Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const raw = Array.from({ length: k }, () => Math.exp(2 * rng()));
    const sum = raw.reduce((a, b) => a + b, 0);
    const truth = raw.map((v) => v / sum);
    let u = rng();
    let label = 0;
    while (label < k - 1 && u > (truth[label] as number)) u -= truth[label++] as number;
    y.push(label);
    const sharp = truth.map((v) => v ** 3);
    const s = sharp.reduce((a, b) => a + b, 0);
    reported.push(Float64Array.from(sharp, (v) => v / s));
  }
  return { reported, y };
}

const flat = (rows: readonly Float64Array[]) => {
  const k = rows[0]?.length ?? 0;
  const out = new Float64Array(rows.length * k);
  rows.forEach((r, i) => out.set(r, i * k));
  return out;
};

function ece(rows: readonly Float64Array[], y: readonly number[]) {
  const top = rows.map((p) => argmax(p));
  return calibrationOf(
    rows.map((p, i) => p[top[i] as number] as number),
    top.map((t, i) => t === y[i]),
  ).ece;
}

describe('calibrate', () => {
  it('leaves probabilities alone without a calibration', () => {
    const p = Float64Array.of(0.7, 0.2, 0.1);
    expect(Array.from(calibrate(p.slice(), undefined))).toEqual(Array.from(p));
    expect(Array.from(calibrate(p.slice(), null))).toEqual(Array.from(p));
  });

  it('keeps the top label on top and the sum at 1, whatever the map', () => {
    const rng = createRng(4);
    for (let i = 0; i < 500; i++) {
      const raw = Float64Array.from({ length: 2 + (i % 6) }, () => rng() ** 4);
      const sum = raw.reduce((a, b) => a + b, 0);
      const p = raw.map((v) => v / sum);
      const calibration = {
        temperature: 0.2 + 3 * rng(),
        confidence: { a: 2 * rng(), b: 6 * rng() - 3 },
        fittedOn: 'held-out' as const,
        texts: 50,
      };
      const q = calibrate(p.slice(), calibration);
      expect(argmax(q)).toBe(argmax(p));
      expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      for (const v of q) expect(v).toBeGreaterThanOrEqual(0);
    }
  });

  it('keeps the other labels in their ratios', () => {
    const q = calibrate(Float64Array.of(0.9, 0.06, 0.04), {
      temperature: 1,
      confidence: { a: 1, b: -1 },
      fittedOn: 'validation',
      texts: 40,
    });
    expect((q[1] as number) / (q[2] as number)).toBeCloseTo(1.5, 9);
    expect(q[0]).toBeLessThan(0.9);
  });
});

describe('fitCalibration', () => {
  it('brings overconfident probabilities close to how often they are right, on fresh texts', () => {
    const fit = overconfident(2000, 4, 1);
    const fresh = overconfident(4000, 4, 2);
    const calibration = fitCalibration(flat(fit.reported), fit.y, 4, 'validation');
    expect(calibration).not.toBeNull();
    const before = ece(fresh.reported, fresh.y);
    const after = ece(
      fresh.reported.map((p) => calibrate(p.slice(), calibration)),
      fresh.y,
    );
    expect(before).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(0.03);
    // The label chosen never changes.
    fresh.reported.forEach((p) => expect(argmax(calibrate(p.slice(), calibration))).toBe(argmax(p)));
  });

  it('needs enough texts, and stays finite when every text was right', () => {
    const few = overconfident(MIN_CALIBRATION_TEXTS - 1, 3, 3);
    expect(fitCalibration(flat(few.reported), few.y, 3, 'held-out')).toBeNull();
    const rows = Array.from({ length: 40 }, () => Float64Array.of(0.8, 0.15, 0.05));
    const calibration = fitCalibration(flat(rows), new Array(40).fill(0), 3, 'held-out');
    expect(calibration?.texts).toBe(40);
    const a = calibration?.confidence?.a as number;
    expect(Number.isFinite(a) && a >= 0).toBe(true);
    // Every one right: more confident than before, but not certain.
    const p = calibrate(Float64Array.of(0.8, 0.15, 0.05), calibration);
    expect(p[0]).toBeGreaterThan(0.8);
    expect(p[0]).toBeLessThan(1);
  });
});

describe('students carry their calibration', () => {
  const { rows } = noisyLabelledTexts(30, 0.1, 8);
  const labels = ['sports', 'politics', 'health'];

  it('the n-gram student is calibrated on its leave-one-out estimates, and its file keeps it', async () => {
    const model = trainNgram(
      rows.map((r) => r.text),
      rows.map((r) => r.label),
      labels,
    );
    expect(model.calibration).toMatchObject({ fittedOn: 'leave-one-out', texts: rows.length });
    const meta = { encoder: null, training: { samples: rows.length, seed: 1, languages: ['sw'], createdAt: '' } };
    const file = JSON.parse(JSON.stringify(toClassifierFile(model, meta)));
    expect(fromClassifierFile(file).model.calibration).toEqual(model.calibration);
    const text = 'timu mpira leo bao';
    const [p] = await openStudent(file).probabilities([text]);
    const [raw] = await openStudent({ ...file, calibration: undefined }).probabilities([text]);
    expect(Array.from(p as Float64Array)).toEqual(
      Array.from(calibrate((raw as Float64Array).slice(), model.calibration)),
    );
    expect(p).not.toEqual(raw);
  });
});
