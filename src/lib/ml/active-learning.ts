/**
 * @file Which unlabelled texts a person should label next (issue 19, human in the loop): the
 * ones that would teach the student most. Uncertainty with diversity: the student's most
 * uncertain texts (smallest margin between its two likeliest labels) are the candidates, and
 * from them texts are taken one by one, each the most uncertain after discounting how similar
 * it is to texts already chosen or labelled (cosine of folded n-gram vectors), so a batch does
 * not spend its labels on near-copies of one confusing text. `simulateLabelling` measures it
 * against labelling texts at random (the CLI's `simulate-labelling`, BENCHMARKS.md section 12).
 */
import { computeMetrics } from '../domain/metrics';
import { createRng } from '../domain/random';
import { calibrate } from './calibration';
import { foldedNgrams } from './ngram';
import { predictNgram, trainNgram, type NgramStudentModel } from './ngram-student';
import { argmax, shuffledIndices } from './training';

export interface SelectionOptions {
  /** Candidates per text to choose: the most uncertain `count × candidates` texts. */
  candidates: number;
  /** How much similarity to a chosen or labelled text counts against a candidate (0: uncertainty alone). */
  diversity: number;
}

/** Chosen on held-out pool texts of the seed paper's data (never its test texts). */
export const DEFAULT_SELECTION: SelectionOptions = { candidates: 5, diversity: 0.3 };

/** The margin between a text's two likeliest labels (0: a tie, 1: certain). */
export function margin(p: ArrayLike<number>): number {
  let first = 0;
  let second = 0;
  for (let c = 0; c < p.length; c++) {
    const v = p[c] as number;
    if (v > first) {
      second = first;
      first = v;
    } else if (v > second) second = v;
  }
  return first - second;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Picks texts to label.
 * @param probabilities the student's probabilities for each unlabelled text
 * @param vectors each unlabelled text's L2-normalized vector (`foldedNgrams`)
 * @param labelled vectors of texts already labelled by a person (chosen texts keep away from them)
 * @param count how many to pick
 * @returns indices into the unlabelled texts, in the order picked
 */
export function chooseToLabel(
  probabilities: readonly ArrayLike<number>[],
  vectors: readonly Float32Array[],
  labelled: readonly Float32Array[],
  count: number,
  options: SelectionOptions = DEFAULT_SELECTION,
): number[] {
  const n = probabilities.length;
  const want = Math.min(count, n);
  if (want <= 0) return [];
  const uncertainty = probabilities.map((p) => 1 - margin(p));
  // Ties broken by position, so the choice is deterministic.
  const candidates = [...uncertainty.keys()]
    .sort((a, b) => (uncertainty[b] as number) - (uncertainty[a] as number) || a - b)
    .slice(0, Math.min(n, Math.max(want, want * options.candidates)));
  // Each candidate's highest similarity to a labelled or chosen text so far.
  const nearest = candidates.map((i) => labelled.reduce((m, v) => Math.max(m, dot(vectors[i] as Float32Array, v)), 0));
  const chosen: number[] = [];
  const taken = new Set<number>();
  while (chosen.length < want) {
    let best = -1;
    let bestScore = -Infinity;
    candidates.forEach((i, j) => {
      if (taken.has(j)) return;
      const score = (uncertainty[i] as number) - options.diversity * Math.max(0, nearest[j] as number);
      if (score > bestScore) {
        bestScore = score;
        best = j;
      }
    });
    if (best < 0) break;
    taken.add(best);
    const picked = candidates[best] as number;
    chosen.push(picked);
    const v = vectors[picked] as Float32Array;
    candidates.forEach((i, j) => {
      if (!taken.has(j)) nearest[j] = Math.max(nearest[j] as number, dot(vectors[i] as Float32Array, v));
    });
  }
  return chosen;
}

/** A human label counts as this many synthetic samples (chosen on held-out pool texts, never test). */
export const HUMAN_WEIGHT = 5;

/** A text with its label. */
export interface Labelled {
  text: string;
  label: string;
}

export interface SimulationOptions {
  /** Labels bought, in increasing order: macro-F1 is measured at each. */
  budgets: number[];
  /** Texts chosen per round before the student is trained again. */
  round: number;
  seed: number;
  /** Each human label counts as this many copies in training. */
  humanWeight: number;
  selection: SelectionOptions;
}

export const DEFAULT_SIMULATION: SimulationOptions = {
  budgets: [25, 50, 100],
  round: 25,
  seed: 1,
  humanWeight: HUMAN_WEIGHT,
  selection: DEFAULT_SELECTION,
};

export interface SimulationResult {
  /** macro-F1 on the test texts of the student trained on the synthetic samples alone. */
  synthetic: number;
  /** macro-F1 at each budget with texts chosen by the student, and with texts chosen at random. */
  active: number[];
  random: number[];
}

/**
 * Simulates a person labelling texts from a pool (whose labels the selection never sees): the
 * n-gram student starts from the synthetic samples; rounds of `round` texts are chosen by
 * {@link chooseToLabel} (each round a seeded 80% of what is left, so seeds differ), labelled
 * (their true label revealed) and the student is trained again on synthetic + human; beside it,
 * the same number of texts drawn at random. Each student is scored on the test texts only.
 */
export function simulateLabelling(
  synthetic: readonly Labelled[],
  pool: readonly Labelled[],
  test: readonly Labelled[],
  labels: readonly string[],
  options: Partial<SimulationOptions> = {},
): SimulationResult {
  const o = { ...DEFAULT_SIMULATION, ...options };
  const rng = createRng(o.seed);
  const fit = (human: readonly Labelled[]) => {
    const rows = [...synthetic, ...human.flatMap((h) => new Array<Labelled>(o.humanWeight).fill(h))];
    return trainNgram(
      rows.map((r) => r.text),
      rows.map((r) => r.label),
      labels,
      { seed: o.seed },
    );
  };
  const truth = test.map((r) => r.label);
  const score = (model: NgramStudentModel) =>
    computeMetrics(
      labels,
      truth,
      test.map((r) => labels[argmax(predictNgram(model, r.text))] as string),
    ).macroF1;
  const start = fit([]);
  const order = shuffledIndices(pool.length, rng);
  const random = o.budgets.map((b) => score(fit(Array.from(order.subarray(0, b), (i) => pool[i] as Labelled))));
  const vectors = pool.map((r) => foldedNgrams(r.text));
  const chosen: number[] = [];
  const taken = new Set<number>();
  let model = start;
  const active = o.budgets.map((budget) => {
    while (chosen.length < Math.min(budget, pool.length)) {
      const left = pool.map((_, i) => i).filter((i) => !taken.has(i) && rng() < 0.8);
      const probabilities = left.map((i) =>
        calibrate(predictNgram(model, (pool[i] as Labelled).text), model.calibration),
      );
      const picked = chooseToLabel(
        probabilities,
        left.map((i) => vectors[i] as Float32Array),
        chosen.map((i) => vectors[i] as Float32Array),
        Math.min(o.round, budget - chosen.length),
        o.selection,
      ).map((j) => left[j] as number);
      if (picked.length === 0) break;
      for (const i of picked) taken.add(i);
      chosen.push(...picked);
      model = fit(chosen.map((i) => pool[i] as Labelled));
    }
    return score(model);
  });
  return { synthetic: score(start), active, random };
}

/** {@link simulateLabelling} with seeds 1..n: each run, and their means. */
export function simulateOverSeeds(
  synthetic: readonly Labelled[],
  pool: readonly Labelled[],
  test: readonly Labelled[],
  labels: readonly string[],
  seeds: number,
  options: Partial<Omit<SimulationOptions, 'seed'>> = {},
  onRun?: (done: number) => void,
): { runs: SimulationResult[]; mean: SimulationResult } {
  const runs = Array.from({ length: seeds }, (_, i) => {
    const r = simulateLabelling(synthetic, pool, test, labels, { ...options, seed: i + 1 });
    onRun?.(i + 1);
    return r;
  });
  const mean = (pick: (r: SimulationResult) => number) => runs.reduce((a, r) => a + pick(r), 0) / runs.length;
  const budgets = runs[0]?.active.length ?? 0;
  return {
    runs,
    mean: {
      synthetic: mean((r) => r.synthetic),
      active: Array.from({ length: budgets }, (_, i) => mean((r) => r.active[i] as number)),
      random: Array.from({ length: budgets }, (_, i) => mean((r) => r.random[i] as number)),
    },
  };
}
