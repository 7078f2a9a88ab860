/**
 * @file Calibrates the label check's "may be mislabelled" flag on clean human data (see
 * scripts/bench/label-check.ts): prints each SIB-200 language's figures with the app's rule,
 * and with `--grid` other rules' figures (the rule is chosen on these training splits only).
 * `npm run bench` reports the same figures in BENCHMARKS.md.
 *
 *   npx tsx scripts/calibrate-label-check.ts [--grid]
 */
import { SUSPECT_GIVEN_SHARE, SUSPECT_SUGGESTED_SHARE, type MislabelCandidate } from '../src/lib/ml/label-diagnostics';
import { LABEL_CHECK_LANGS, labelCheckRow } from './bench/label-check';

const LABELS = 7;
/** Rules by absolute probabilities … */
const ABSOLUTE = [
  [0.04, 0.35],
  [0.03, 0.3],
  [0.02, 0.3],
].map(([given, margin]) => ({
  name: `pGiven ≤ ${given} (${((given as number) * LABELS).toFixed(2)} / labels), margin ≥ ${margin}`,
  flag: (c: MislabelCandidate) => c.pGiven <= (given as number) && c.score >= (margin as number),
}));
/** … and by the model's usual confidence in each label (the app's rule is the first). */
const RELATIVE = [
  [SUSPECT_GIVEN_SHARE, SUSPECT_SUGGESTED_SHARE],
  [0.15, 1],
  [0.2, 1],
  [0.1, 0.8],
  [0.05, 1],
].map(([a, b]) => ({
  name: `pGiven ≤ ${a} × its usual, pSuggested ≥ ${b} × its usual`,
  flag: (c: MislabelCandidate) =>
    c.pGiven <= (a as number) * c.givenUsual && c.pSuggested >= (b as number) * c.suggestedUsual,
}));
const GRID = [...RELATIVE, ...ABSOLUTE];
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
