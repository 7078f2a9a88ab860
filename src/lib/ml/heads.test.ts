import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../domain/metrics';
import { createRng } from '../domain/random';
import { denseHeadSteps, predictDense, trainDenseHead } from './dense-head';
import { fromClassifierFile, toClassifierFile } from './classifier-file';
import { featurize, words } from './ngram';
import { ngramScores, ngramSteps, predictNgram, trainNgram } from './ngram-student';
import { runYielding } from './training';

const argmax = (p: Float64Array) => p.indexOf(Math.max(...p));

/** Three Gaussian blobs in 8 dimensions, seeded. */
function blobs(n: number, seed: number) {
  const rng = createRng(seed);
  const centers = [
    [2, 0, 0, 0, 0, 0, 0, 0],
    [0, 2, 0, 0, 0, 0, 0, 0],
    [0, 0, 2, 0, 0, 0, 0, 0],
  ];
  const xs: Float32Array[] = [];
  const ys: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push(Float32Array.from((centers[c] as number[]).map((v) => v + (rng() - 0.5) * 1.5)));
    ys.push(['a', 'b', 'c'][c] as string);
  }
  return { xs, ys };
}

describe('dense heads', () => {
  it.each(['logreg', 'mlp'] as const)('%s learns separable classes and is deterministic for a seed', (kind) => {
    const train = blobs(150, 1);
    const test = blobs(60, 2);
    const epochs: number[] = [];
    const model = trainDenseHead(train.xs, train.ys, ['a', 'b', 'c'], {
      kind,
      hidden: 16,
      onEpoch: (r) => epochs.push(r.valLoss ?? NaN),
    });
    const pred = test.xs.map((x) => ['a', 'b', 'c'][argmax(predictDense(model, x))] as string);
    expect(computeMetrics(['a', 'b', 'c'], test.ys, pred).accuracy).toBeGreaterThan(0.95);
    expect(epochs.length).toBeGreaterThan(1);
    expect(epochs.every(Number.isFinite)).toBe(true);
    const again = trainDenseHead(train.xs, train.ys, ['a', 'b', 'c'], { kind, hidden: 16 });
    expect(Array.from(again.w2)).toEqual(Array.from(model.w2));
  });

  it('weights classes so a rare class is still found', () => {
    const { xs, ys } = blobs(300, 3);
    const keep = ys.map((y, i) => y !== 'c' || i % 10 === 2);
    const model = trainDenseHead(
      xs.filter((_, i) => keep[i]),
      ys.filter((_, i) => keep[i]),
      ['a', 'b', 'c'],
    );
    const test = blobs(90, 4);
    const pred = test.xs.map((x) => ['a', 'b', 'c'][argmax(predictDense(model, x))] as string);
    expect(computeMetrics(['a', 'b', 'c'], test.ys, pred).perClass.c?.recall).toBeGreaterThan(0.8);
  });

  it('refuses a label the model does not have', () => {
    expect(() => trainDenseHead([new Float32Array(2)], ['zzz'], ['a', 'b'])).toThrow('The label “zzz” of sample 1');
  });
});

describe('n-gram student', () => {
  it('splits words in any script and hashes features into a unit vector', () => {
    expect(words('Ціни, на ринку! ሰላም-ዓለም 2024')).toEqual(['ціни', 'на', 'ринку', 'ሰላም', 'ዓለም', '2024']);
    const v = featurize('Habari za leo');
    expect(Math.hypot(...v.val)).toBeCloseTo(1, 5);
    expect(new Set(v.idx).size).toBe(v.idx.length);
  });

  it('learns word and subword cues', () => {
    const sports = [
      'mpira wa miguu leo',
      'timu imeshinda mechi',
      'mchezaji alifunga goli',
      'mechi ya mpira',
      'goli la ushindi',
    ];
    const politics = [
      'rais amehutubia bunge',
      'uchaguzi mkuu ujao',
      'waziri amejiuzulu leo',
      'bunge limepitisha sheria',
      'kura za uchaguzi',
    ];
    const texts = [...sports, ...politics];
    const labels = [...sports.map(() => 'sports'), ...politics.map(() => 'politics')];
    const model = trainNgram(texts, labels, ['sports', 'politics']);
    expect(model.labels[argmax(predictNgram(model, 'timu ilifunga magoli mawili'))]).toBe('sports');
    expect(model.labels[argmax(predictNgram(model, 'wabunge na uchaguzi wa rais'))]).toBe('politics');
  });
});

describe('classifier file', () => {
  it('round-trips n-gram and dense students with identical predictions', () => {
    const meta = {
      encoder: null,
      training: { samples: 4, seed: 1, languages: ['sw'], createdAt: '2026-11-24T00:00:00Z' },
    };
    const ngram = trainNgram(['a b c', 'd e f', 'a b', 'e f'], ['x', 'y', 'x', 'y'], ['x', 'y']);
    const back = fromClassifierFile(JSON.parse(JSON.stringify(toClassifierFile(ngram, meta))));
    expect(Array.from(predictNgram(back.model as typeof ngram, 'a b'))).toEqual(Array.from(predictNgram(ngram, 'a b')));
    const { xs, ys } = blobs(30, 5);
    const mlp = trainDenseHead(xs, ys, ['a', 'b', 'c'], { kind: 'mlp', hidden: 4, epochs: 3 });
    const dense = fromClassifierFile(JSON.parse(JSON.stringify(toClassifierFile(mlp, meta))));
    expect(Array.from(predictDense(dense.model as typeof mlp, xs[0] as Float32Array))).toEqual(
      Array.from(predictDense(mlp, xs[0] as Float32Array)),
    );
    expect(dense.meta).toEqual(meta);
  });

  it('refuses a file from a newer version or of another kind, naming the problem', () => {
    expect(() => fromClassifierFile({ format: 'polyclass-classifier', version: 9 })).toThrow(
      'saved by a newer polyclass (format 9)',
    );
    expect(() => fromClassifierFile({ format: 'other' })).toThrow('This is not a polyclass classifier file');
  });
});

describe('training that pauses between epochs', () => {
  it('gives the same model as training at once, and reads a cancel between epochs', async () => {
    const train = blobs(150, 1);
    const labels = ['a', 'b', 'c'];
    const atOnce = trainDenseHead(train.xs, train.ys, labels, { kind: 'mlp', hidden: 8, epochs: 5, patience: 99 });
    const paused = await runYielding(
      denseHeadSteps(train.xs, train.ys, labels, { kind: 'mlp', hidden: 8, epochs: 5, patience: 99 }),
    );
    expect(Array.from(paused.w2)).toEqual(Array.from(atOnce.w2));

    const controller = new AbortController();
    const seen: number[] = [];
    // The abort is sent from another task, as the worker's message handler would: it can only
    // land if the loop gives the event loop a turn.
    const run = runYielding(
      ngramSteps(
        train.ys.map((y, i) => `${y} word${i % 7}`),
        train.ys,
        labels,
        {
          epochs: 40,
          // Never converged: only the cancel can end it early.
          tolerance: 0,
          onEpoch: (r) => {
            seen.push(r.epoch);
            if (r.epoch === 2) setTimeout(() => controller.abort(), 0);
          },
          signal: controller.signal,
        },
      ),
    );
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThan(40);
  });
});

describe('sample weights (people’s labels against synthetic ones)', () => {
  // "mpira timu" is sports three times and politics once; sports' other texts are "kocha uwanja",
  // politics' "rais bunge". Weighing the one politics row 10× makes it outweigh the three.
  const labels = ['sports', 'politics'];
  const rows: [string, string][] = [
    ...Array.from({ length: 3 }, (): [string, string] => ['mpira timu', 'sports']),
    ...Array.from({ length: 3 }, (): [string, string] => ['kocha uwanja', 'sports']),
    ['mpira timu', 'politics'],
    ...Array.from({ length: 5 }, (): [string, string] => ['rais bunge', 'politics']),
  ];
  const weights = (w: number) => Float32Array.from(rows, (_, i) => (i === 6 ? w : 1));
  const top = (p: ArrayLike<number>) => labels[(p[1] as number) > (p[0] as number) ? 1 : 0];

  it('the n-gram student follows a heavier row', () => {
    const fit = (w: number) => {
      const model = trainNgram(
        rows.map((r) => r[0]),
        rows.map((r) => r[1]),
        labels,
        { sampleWeights: weights(w) },
      );
      const out = new Float64Array(2);
      ngramScores(model, 'mpira timu', out);
      return top(out);
    };
    expect(fit(1)).toBe('sports');
    expect(fit(10)).toBe('politics');
    expect(() =>
      trainNgram(['a b', 'c d'], ['sports', 'politics'], labels, { sampleWeights: new Float32Array(3) }),
    ).toThrow(/3 sample weights for 2 rows/);
  });

  it('dense heads follow a heavier row', () => {
    const vec = (t: string) => Float32Array.from(['mpira', 'kocha', 'rais'], (w) => (t.includes(w) ? 1 : 0));
    const fit = (w: number) =>
      top(
        predictDense(
          trainDenseHead(
            rows.map((r) => vec(r[0])),
            rows.map((r) => r[1]),
            labels,
            { kind: 'logreg', sampleWeights: weights(w) },
          ),
          vec('mpira timu'),
        ),
      );
    expect(fit(1)).toBe('sports');
    expect(fit(10)).toBe('politics');
  });
});
