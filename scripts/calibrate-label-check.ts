/**
 * @file Calibrates the label check's "may be mislabelled" flag on clean human data (see
 * scripts/bench/label-check.ts): prints each SIB-200 language's figures with the app's rule,
 * and with `--grid` other rules' figures (the rule is chosen on these training splits only).
 * `npm run bench` reports the same figures in BENCHMARKS.md.
 *
 *   npx tsx scripts/calibrate-label-check.ts [--grid]
 */
import { SUSPECT_MIN_MARGIN } from '../src/lib/ml/label-diagnostics';
import { LABEL_CHECK_LANGS, labelCheckRow } from './bench/label-check';

const LABELS = 7;
const GRID = [
  [0.05, 0.3],
  [0.04, SUSPECT_MIN_MARGIN],
  [0.03, 0.4],
  [0.05, 0.4],
  [0.02, 0.3],
].map(([given, margin]) => ({
  name: `pGiven ≤ ${given} (${((given as number) * LABELS).toFixed(2)} / labels), margin ≥ ${margin}`,
  flag: (c: { pGiven: number; score: number }) => c.pGiven <= (given as number) && c.score >= (margin as number),
}));
const grid = process.argv.includes('--grid');
const byRule = new Map<string, { clean: number[]; flips: number[] }>();
const pct = (x: number, of: number) => `${((100 * x) / of).toFixed(1)}%`;
for (const lang of LABEL_CHECK_LANGS) {
  const { row: r, rules } = labelCheckRow(lang, grid ? GRID : []);
  console.log(
    `${lang}: clean flagged ${r.cleanFlagged}/${r.samples} (${pct(r.cleanFlagged, r.samples)}; old rule ${r.oldRuleClean}); ` +
      `flips flagged ${r.flipsFlagged}/${r.flips} among ${r.flaggedWithFlips} flags; flips in the top ${r.flips}: ${r.flipsInTop}`,
  );
  for (const rule of rules) {
    const g = byRule.get(rule.name) ?? { clean: [], flips: [] };
    g.clean.push(rule.clean);
    g.flips.push(rule.flips);
    byRule.set(rule.name, g);
  }
}
for (const [name, g] of byRule)
  console.log(
    `${name}: clean flag rate max ${pct(Math.max(...g.clean), 1)}, flips flagged mean ${pct(
      g.flips.reduce((a, b) => a + b, 0),
      g.flips.length,
    )}`,
  );
