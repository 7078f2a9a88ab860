/**
 * @file The Evaluate view's own state, apart from the stored runs (`evaluation.svelte.ts`):
 * which evaluators the next run compares, and how the compare table is sorted (its files are
 * `evaluation-files.ts`).
 */
import { type CompareRun, type EvaluatorResult, type EvaluatorSpec } from '../domain/evaluation';
import type { ExampleSelection } from '../domain/llm-classify';
import type { GeneratorSpec } from '../domain/model-spec';
import { evaluatorName } from '../words/evaluation';

/**
 * The evaluators of the next run: every student unless left out, and the LLM two ways. The LLM
 * ways are ticked by default only when they can run without a download or a failure (see
 * {@link EvaluatorChoice.offer}); once the user ticks or unticks one, that choice stays.
 */
export class EvaluatorChoice {
  /** Classifier and answer-set ids left out of the next run (all are in by default). */
  excluded = $state<string[]>([]);
  #zeroShot = $state(false);
  #fewShot = $state(false);
  #zeroShotChosen = false;
  #fewShotChosen = false;
  examplesPerLabel = $state(3);
  selection = $state<ExampleSelection>('random');
  generator = $state.raw<GeneratorSpec | null>(null);

  get zeroShot(): boolean {
    return this.#zeroShot;
  }
  /** The user's own tick, kept from then on. */
  set zeroShot(on: boolean) {
    this.#zeroShot = on;
    this.#zeroShotChosen = true;
  }
  get fewShot(): boolean {
    return this.#fewShot;
  }
  set fewShot(on: boolean) {
    this.#fewShot = on;
    this.#fewShotChosen = true;
  }

  /**
   * Ticks the LLM ways the user has not chosen for: zero-shot when the model is available,
   * with examples when it is and there are generated samples to take them from.
   */
  offer(modelAvailable: boolean, hasExamples: boolean): void {
    if (!this.#zeroShotChosen) this.#zeroShot = modelAvailable;
    if (!this.#fewShotChosen) this.#fewShot = modelAvailable && hasExamples;
  }

  /** Puts a student in the next run or leaves it out. */
  toggle(classifierId: string, on: boolean): void {
    this.excluded = on ? this.excluded.filter((id) => id !== classifierId) : [...this.excluded, classifierId];
  }

  /** The specs of the next run, given the task's classifiers and imported answers. */
  specs(classifiers: readonly { id: string }[], answerSets: readonly { id: string }[] = []): EvaluatorSpec[] {
    const { generator } = this;
    return [
      ...classifiers
        .filter((c) => !this.excluded.includes(c.id))
        .map((c) => ({ kind: 'student' as const, classifierId: c.id })),
      ...answerSets
        .filter((s) => !this.excluded.includes(s.id))
        .map((s) => ({ kind: 'answers' as const, answerSetId: s.id })),
      ...(generator && this.zeroShot
        ? [{ kind: 'llm' as const, generator, examplesPerLabel: 0, selection: 'random' as const }]
        : []),
      ...(generator && this.fewShot
        ? [{ kind: 'llm' as const, generator, examplesPerLabel: this.examplesPerLabel, selection: this.selection }]
        : []),
    ];
  }
}

export type SortKey = 'name' | 'macroF1' | 'accuracy' | 'invalid' | 'latency' | 'size';

/** Milliseconds per text an evaluator took, or null before its first answer. */
export const msPerText = (e: EvaluatorResult): number | null =>
  e.done > 0 && e.spec.kind !== 'answers' ? e.latencyMs / e.done : null;

/** The compare table's order: by a column, scores best first, costs smallest first. */
export class CompareTable {
  key = $state<SortKey>('macroF1');
  descending = $state(true);

  /** Sorts by a column; the same column again reverses the order. */
  sortBy(key: SortKey): void {
    if (this.key === key) this.descending = !this.descending;
    else {
      this.key = key;
      this.descending = key === 'macroF1' || key === 'accuracy';
    }
  }

  /** `aria-sort` of a column header. */
  ariaSort(key: SortKey): 'ascending' | 'descending' | 'none' {
    return this.key === key ? (this.descending ? 'descending' : 'ascending') : 'none';
  }

  /** A run's evaluators in this order. */
  rows(run: CompareRun | null): EvaluatorResult[] {
    if (!run) return [];
    const value = (e: EvaluatorResult): number | string => {
      if (this.key === 'name') return evaluatorName(e);
      if (this.key === 'latency') return msPerText(e) ?? Infinity;
      if (this.key === 'size') return e.sizeBytes ?? Infinity;
      if (this.key === 'invalid') return e.scores?.invalid ?? Infinity;
      return e.scores?.[this.key] ?? -Infinity;
    };
    return [...run.evaluators].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const c = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
      return this.descending ? -c : c;
    });
  }
}
