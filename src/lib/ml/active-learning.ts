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
  /** At most `ceil(count / labels)` texts the student gives the same likeliest label, while others are left. */
  balance: boolean;
  /** Share of the texts drawn at random from the whole pool instead (exploration). */
  explore: number;
  /** How much unlikeness to every training text counts for a candidate (real texts unlike the synthetic ones). */
  novelty: number;
}

/** Chosen on held-out pool texts of the seed paper's data (never its test texts). */
export const DEFAULT_SELECTION: SelectionOptions = {
  candidates: 5,
  diversity: 0.3,
  balance: false,
  explore: 0.2,
  novelty: 0,
};

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
 * @param rng draws the exploration's random texts
 * @param reference vectors of the training texts (for the novelty term)
 * @returns indices into the unlabelled texts: the student's choice in the order picked, then
 *   the {@link exploredCount} drawn at random
 */
export function chooseToLabel(
  probabilities: readonly ArrayLike<number>[],
  vectors: readonly Float32Array[],
  labelled: readonly Float32Array[],
  count: number,
  options: Partial<SelectionOptions> = {},
  rng: () => number = createRng(1),
  reference: readonly Float32Array[] = [],
): number[] {
  const o = { ...DEFAULT_SELECTION, ...options };
  const n = probabilities.length;
  const want = Math.min(count, n);
  if (want <= 0) return [];
  const explored = exploredCount(want, o);
  const randomPicks: number[] = [];
  const taken = new Set<number>();
  if (explored > 0) {
    const order = shuffledIndices(n, rng);
    for (const i of order.subarray(0, explored)) {
      randomPicks.push(i);
      taken.add(i);
    }
  }
  const chosen: number[] = [];
  const wantChosen = want - explored;
  const uncertainty = probabilities.map((p) => 1 - margin(p));
  const top = probabilities.map((p) => argmax(p));
  const k = probabilities[0]?.length ?? 1;
  const cap = o.balance ? Math.ceil(want / k) : Infinity;
  const perLabel = new Map<number, number>();
  // Ties broken by position, so the choice is deterministic.
  const candidates = [...uncertainty.keys()]
    .filter((i) => !taken.has(i))
    .sort((a, b) => (uncertainty[b] as number) - (uncertainty[a] as number) || a - b)
    .slice(0, Math.min(n, Math.max(wantChosen, wantChosen * o.candidates)));
  // Each candidate's highest similarity to a labelled or chosen text so far.
  const nearest = candidates.map((i) =>
    [...labelled, ...randomPicks.map((c) => vectors[c] as Float32Array)].reduce(
      (m, v) => Math.max(m, dot(vectors[i] as Float32Array, v)),
      0,
    ),
  );
  // How unlike each candidate is to every training text (only when novelty counts).
  const novel = candidates.map((i) =>
    o.novelty > 0 ? 1 - reference.reduce((m, v) => Math.max(m, dot(vectors[i] as Float32Array, v)), 0) : 0,
  );
  const used = new Set<number>();
  while (chosen.length < wantChosen) {
    let best = -1;
    let bestScore = -Infinity;
    let bestCapped = -1;
    let bestCappedScore = -Infinity;
    candidates.forEach((i, j) => {
      if (used.has(j)) return;
      const score =
        (uncertainty[i] as number) - o.diversity * Math.max(0, nearest[j] as number) + o.novelty * (novel[j] as number);
      if ((perLabel.get(top[i] as number) ?? 0) >= cap) {
        if (score > bestCappedScore) {
          bestCappedScore = score;
          bestCapped = j;
        }
      } else if (score > bestScore) {
        bestScore = score;
        best = j;
      }
    });
    // Past the cap only when no other candidate is left.
    if (best < 0) best = bestCapped;
    if (best < 0) break;
    used.add(best);
    const picked = candidates[best] as number;
    chosen.push(picked);
    perLabel.set(top[picked] as number, (perLabel.get(top[picked] as number) ?? 0) + 1);
    const v = vectors[picked] as Float32Array;
    candidates.forEach((i, j) => {
      if (!used.has(j)) nearest[j] = Math.max(nearest[j] as number, dot(vectors[i] as Float32Array, v));
    });
  }
  // The random ones last: the list runs from most to least useful by the student's measure.
  return [...chosen, ...randomPicks];
}

/** How many of `count` texts {@link chooseToLabel} draws at random (the last ones it returns). */
export const exploredCount = (count: number, options: Pick<SelectionOptions, 'explore'>): number =>
  Math.min(count, Math.round(count * options.explore));

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
  /** Each human label's weight in training against a synthetic sample's 1. */
  humanWeight: number;
  selection: Partial<SelectionOptions>;
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
    const rows = [...synthetic, ...human];
    const sampleWeights =
      human.length > 0 && o.humanWeight !== 1
        ? Float32Array.from(rows, (_, i) => (i < synthetic.length ? 1 : o.humanWeight))
        : undefined;
    return trainNgram(
      rows.map((r) => r.text),
      rows.map((r) => r.label),
      labels,
      { seed: o.seed, ...(sampleWeights ? { sampleWeights } : {}) },
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
  const reference = o.selection.novelty ? synthetic.map((r) => foldedNgrams(r.text)) : [];
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
        rng,
        reference,
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
