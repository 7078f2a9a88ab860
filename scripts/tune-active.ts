/**
 * @file Choosing the human-in-the-loop settings (`ml/active-learning.ts`, decisions 017/018) on
 * the seed paper's data without its test files: each pool (`train_human_parsed`) is split 70/30
 * (seeded); the simulation labels from the 70% and scores on the held-out 30%. Prints, per
 * setting, the mean macro-F1 at 25/50/100 chosen vs random labels and the gain at 50, mean of
 * seeds 1–3 over the 3 tasks × 4 languages.
 *
 *   npx tsx scripts/tune-active.ts [name ...]   (names from SETTINGS below; default: all)
 */
import { createRng } from '../src/lib/domain/random';
import { simulateOverSeeds, type Labelled, type SimulationOptions } from '../src/lib/ml/active-learning';
import { shuffledIndices } from '../src/lib/ml/training';
import { readPaper } from './bench/active-learning';

const SETTINGS: Record<string, Partial<Omit<SimulationOptions, 'seed'>>> = {
  w5: { humanWeight: 5 },
  w10: { humanWeight: 10 },
  w20: { humanWeight: 20 },
  w5balance: { humanWeight: 5, selection: { balance: true } },
  w10balance: { humanWeight: 10, selection: { balance: true } },
  w5explore: { humanWeight: 5, selection: { explore: 0.2 } },
  w5nodiversity: { humanWeight: 5, selection: { diversity: 0 } },
  w5wide: { humanWeight: 5, selection: { candidates: 10, diversity: 0.5 } },
  w10explore: { humanWeight: 10, selection: { explore: 0.2 } },
  w10balanceexplore: { humanWeight: 10, selection: { balance: true, explore: 0.2 } },
  w5novelty: { humanWeight: 5, selection: { novelty: 0.5 } },
  w5explore4: { humanWeight: 5, selection: { explore: 0.4 } },
  w5exploreNodiv: { humanWeight: 5, selection: { explore: 0.2, diversity: 0 } },
  w5explore4Nodiv: { humanWeight: 5, selection: { explore: 0.4, diversity: 0 } },
  w5exploreNovelty: { humanWeight: 5, selection: { explore: 0.2, novelty: 0.5 } },
  w10novelty: { humanWeight: 10, selection: { novelty: 0.5 } },
  w5novelty1: { humanWeight: 5, selection: { novelty: 1 } },
};

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(SETTINGS);
const pairs = (['topic', 'intent', 'sentiment'] as const).flatMap((task) =>
  (['en', 'de', 'sw', 'id'] as const).map((language) => {
    const synthetic = readPaper(task, `${language}-train_full.csv`);
    const pool = readPaper(task, `${language}-train_human_parsed.csv`);
    const order = shuffledIndices(pool.length, createRng(99));
    const cut = Math.round(pool.length * 0.7);
    const pick = (from: number, to: number): Labelled[] =>
      Array.from(order.subarray(from, to), (i) => pool[i] as Labelled);
    const labels = [...new Set(synthetic.map((r) => r.label))].sort();
    return { task, language, synthetic, pool: pick(0, cut), heldOut: pick(cut, pool.length), labels };
  }),
);

for (const name of names) {
  const setting = SETTINGS[name];
  if (!setting) throw new Error(`Unknown setting ${name}: ${Object.keys(SETTINGS).join(', ')}`);
  const t0 = Date.now();
  const runs = pairs.map((p) => simulateOverSeeds(p.synthetic, p.pool, p.heldOut, p.labels, 3, setting).mean);
  const mean = (pick: (r: (typeof runs)[number]) => number) =>
    (100 * runs.reduce((a, r) => a + pick(r), 0)) / runs.length;
  const wins = runs.filter((r) => (r.active[1] as number) > (r.random[1] as number)).length;
  console.log(
    `${name.padEnd(20)} synthetic ${mean((r) => r.synthetic).toFixed(1)} | ` +
      [0, 1, 2]
        .map(
          (i) => `${mean((r) => r.active[i] as number).toFixed(1)} vs ${mean((r) => r.random[i] as number).toFixed(1)}`,
        )
        .join(' | ') +
      ` | gain@50 ${(mean((r) => r.active[1] as number) - mean((r) => r.random[1] as number)).toFixed(2)} (wins ${wins}/12) | ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
}
