/**
 * @file How each stored answer set lines up with the task's test texts, as the Evaluate view
 * shows it: worked out once per set and kept while the set, the test texts and the labels stay
 * the same. The view's runs are re-read at every evaluation step (the run cache keeps unchanged
 * records as they were), and matching a file's answers reads every answer, so without this the
 * page would match every set again at each step.
 */
import { matchAnswers, type AnswerMatch } from '../domain/answers';
import type { AnswerRow } from '../domain/evaluation';

type Items = readonly { sampleId: string; text: string }[];

/** A memo of {@link matchAnswers} per answer set (by identity). */
export class AnswerMatches {
  readonly #kept = new WeakMap<object, { items: Items; labels: string; match: AnswerMatch }>();

  /** The set's match against `items`, worked out again only when the set, items or labels changed. */
  of(set: { rows: readonly AnswerRow[] }, items: Items, labels: readonly string[]): AnswerMatch {
    const key = labels.join('\u0000');
    const kept = this.#kept.get(set);
    if (kept && kept.items === items && kept.labels === key) return kept.match;
    const match = matchAnswers(items, set.rows, labels);
    this.#kept.set(set, { items, labels: key, match });
    return match;
  }
}
