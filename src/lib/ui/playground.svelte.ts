/**
 * @file The playground's state: one text classified by a stored student (every label's
 * probability, most likely first), and a whole file classified in the training worker with
 * progress and cancel, its predictions saved as a CSV; below the "not sure" threshold (a
 * setting) the student says so. What that threshold did on the latest evaluation of the
 * student (the share of test texts it would answer, and how often right) comes from the run's
 * kept confidences.
 */
import { t } from './i18n.svelte';
import { formatDuration } from '../domain/format';
import { coverageAt } from '../domain/metrics';
import type { EvalRunRecord } from '../domain/records';
import type { ModelSource } from '../domain/settings';
import { STORES, type Database } from '../storage/db';
import { trainingWorker } from '../workers/training-client';
import { WorkerCall } from './worker-call.svelte';
import { download } from './download';

export interface Ranked {
  /** Labels, most probable first. */
  ranked: { label: string; p: number }[];
  ms: number;
}

/** A student's confidences and outcomes on the test texts of its latest evaluation. */
export interface Evidence {
  confidences: number[];
  correct: boolean[];
  runAt: number;
}

/** The student's latest finished evaluation with a confidence for every test text, or null. */
export function latestEvidence(runs: readonly EvalRunRecord[], classifierId: string): Evidence | null {
  let best: Evidence | null = null;
  for (const r of runs) {
    if (r.kind !== 'compare') continue;
    const result = r.evaluators.find((e) => e.spec.kind === 'student' && e.spec.classifierId === classifierId);
    const c = result?.confidences;
    if (!result || !c || c.length !== r.items.length || result.done !== r.items.length) continue;
    if (best && best.runAt >= r.createdAt) continue;
    best = { confidences: c, correct: r.items.map((it, i) => result.predictions[i] === it.label), runAt: r.createdAt };
  }
  return best;
}

/** What a threshold did on that evaluation: the share of test texts answered, and how often right. */
export const evidenceAt = (evidence: Evidence, threshold: number) =>
  coverageAt(evidence.confidences, evidence.correct, threshold);

export class PlaygroundState {
  result = $state.raw<Ranked | null>(null);
  /** The chosen student's latest evaluation, for what the "not sure" threshold did there. */
  evidence = $state.raw<Evidence | null>(null);
  /** Rows of the file classified so far. */
  batchDone = $state(0);
  batchSummary = $state<string | null>(null);
  readonly single = new WorkerCall({ cancelled: () => null });
  readonly batch = new WorkerCall({ cancelled: () => t('play.cancelled') });

  /** Classifies one text with every label's probability. */
  async classify(classifierId: string, text: string, source: ModelSource, device: 'wasm' | 'webgpu'): Promise<void> {
    const r = await this.single.run((signal) =>
      trainingWorker(device).call('predict', { classifierId, texts: [text], source, device }, { signal }),
    );
    // A failure leaves no earlier answer on screen beside its error.
    if (!r) {
      this.result = null;
      return;
    }
    const probs = r.probabilities[0] ?? [];
    this.result = {
      ranked: r.labels.map((label, i) => ({ label, p: probs[i] ?? 0 })).sort((a, b) => b.p - a.p),
      ms: r.ms,
    };
  }

  /** Classifies every row of a file and saves `<name>-predictions.csv`. */
  async classifyFile(
    classifierId: string,
    file: File,
    minConfidence: number,
    source: ModelSource,
    device: 'wasm' | 'webgpu',
  ): Promise<void> {
    this.batchDone = 0;
    this.batchSummary = null;
    const r = await this.batch.run((signal) =>
      trainingWorker(device).call(
        'classifyFile',
        { classifierId, file, name: file.name, textColumn: null, minConfidence, source, device },
        { signal, onProgress: (p) => (this.batchDone = p.done) },
      ),
    );
    if (!r) return;
    download(r.csv, `${file.name.replace(/\.[^.]+$/, '')}-predictions.csv`, 'text/csv');
    this.batchDone = r.rows;
    this.batchSummary = t('play.batchDone', { rows: r.rows, column: r.textColumn, time: formatDuration(r.ms) });
    if (minConfidence > 0)
      this.batchSummary += ` ${t('play.batchNotSure', { count: r.notSure, threshold: Math.round(100 * minConfidence) })}`;
  }

  /** Reads the chosen student's latest evaluation (null when it has none with confidences). */
  async loadEvidence(db: Promise<Database>, taskId: string, classifierId: string): Promise<void> {
    const asked = (this.#evidenceFor = `${taskId}/${classifierId}`);
    // Newest first (run ids follow their creation time), stopping at the first run that has the
    // student's confidences: runs hold every prediction, so the task's are not all read.
    let found: Evidence | null = null;
    let cursor = await (await db).transaction(STORES.evalRuns).store.index('by-task').openCursor(taskId, 'prev');
    while (cursor && !found) {
      found = latestEvidence([cursor.value], classifierId);
      if (!found) cursor = await cursor.continue();
    }
    // A later choice of student may have asked again meanwhile.
    if (asked === this.#evidenceFor) this.evidence = found;
  }

  #evidenceFor = '';
}
