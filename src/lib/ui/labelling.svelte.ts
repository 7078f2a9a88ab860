/**
 * @file The Label view's state (issue 19, human in the loop): the task's pool of unlabelled
 * texts, texts added to it by pasting, and a labelling round: the training worker proposes the
 * texts that would teach the student most, the person labels or skips them one by one (each
 * answer stored at once, so a reload loses nothing), and can undo back to the round's start.
 */
import { t } from './i18n.svelte';
import { WorkerCall } from './worker-call.svelte';
import { TaskFollower } from './task-follower';
import { toAppError } from '../domain/errors';
import { MAX_TEXT_LENGTH, SKIPPED_FLAG, UNLABELLED, type Sample } from '../domain/sample';
import { LABELLING_ROUND, type ChooseEvent, type LabellingProposal } from '../jobs/choose-to-label';
import { STORES, type Database } from '../storage/db';
import { readStats, sumStats } from '../storage/sample-stats';
import { addSamples, labelFromPool, returnToPool, unskipPool, updateSample, withFlag } from '../storage/samples-repo';
import { cancelGently, trainingWorker } from '../workers/training-client';

export { LABELLING_ROUND };

/** One answer of the round, kept to undo it. */
export interface LabellingAnswer {
  sample: Sample;
  /** The label given, or null for a skip. */
  label: string | null;
}

/** Texts pasted into the pool: one per line; blank lines dropped, too-long ones refused. */
export function pastedTexts(pasted: string): { texts: string[]; tooLong: number } {
  const lines = pasted
    .split(/\r\n|\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const texts = lines.filter((l) => l.length <= MAX_TEXT_LENGTH);
  return { texts, tooLong: lines.length - texts.length };
}

export class LabellingState {
  /** Pool texts waiting (not skipped), skipped ones, and texts labelled from the pool so far. */
  counts = $state.raw({ left: 0, skipped: 0, labelled: 0 });
  /** The round's texts, the most useful first; empty before a round. */
  queue = $state.raw<Sample[]>([]);
  proposal = $state.raw<LabellingProposal | null>(null);
  /** Index in `queue` of the text shown now. */
  position = $state(0);
  answers = $state.raw<LabellingAnswer[]>([]);
  progress = $state.raw<ChooseEvent | null>(null);
  /** What the last action did, or why it failed. */
  message = $state.raw<{ text: string; error: boolean } | null>(null);
  /** Answers waiting to be written (the view goes on meanwhile). */
  pending = $state(0);
  readonly call = new WorkerCall({ cancelled: () => t('label.cancelled'), cancel: cancelGently });
  readonly #task = new TaskFollower((c) => c.store === 'samples' && void this.refresh());

  constructor(private readonly db: Promise<Database>) {}

  /** The text to label now, null between rounds. */
  get current(): Sample | null {
    return this.queue[this.position] ?? null;
  }

  /** Why the student chose the text shown now (its two likeliest labels, or at random), when it did. */
  get currentReason(): LabellingProposal['reasons'][number] | null {
    return this.proposal?.reasons[this.position] ?? null;
  }

  /** Labels given in this round. */
  get labelledThisRound(): number {
    return this.answers.filter((a) => a.label !== null).length;
  }

  follow(taskId: string | null): void {
    if (this.#task.follow(taskId)) {
      this.queue = [];
      this.answers = [];
      this.position = 0;
      this.proposal = null;
      this.message = null;
    }
    void this.refresh();
  }

  #refreshing: Promise<void> | null = null;
  #again = false;

  /**
   * Reads the counts again. Changes come with every answer: while a read runs, later calls
   * make one more read after it rather than one each (a burst of keys costs two reads).
   */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = this.#readCounts().finally(() => {
      this.#refreshing = null;
      if (this.#again) {
        this.#again = false;
        void this.refresh();
      }
    });
    return this.#refreshing;
  }

  async #readCounts(): Promise<void> {
    const taskId = this.#task.taskId;
    if (!taskId) return;
    const db = await this.db;
    const stats = await readStats(db, taskId);
    if (taskId !== this.#task.taskId) return;
    const pool = sumStats(stats, (s) => s.split === 'pool');
    const skipped = pool.flags[SKIPPED_FLAG] ?? 0;
    this.counts = {
      left: pool.live - skipped,
      skipped,
      labelled: sumStats(stats, (s) => s.split === 'train').fromPool,
    };
  }

  /** Asks the worker for the next round's texts and starts it. */
  async nextRound(taskId: string, count = LABELLING_ROUND): Promise<void> {
    // The choice must see every answer given so far.
    await this.#writes;
    this.message = null;
    this.progress = null;
    const proposal = await this.call.run((signal) =>
      trainingWorker().call('proposeToLabel', { taskId, count }, { signal, onProgress: (e) => (this.progress = e) }),
    );
    if (!proposal) return;
    const tx = (await this.db).transaction(STORES.samples);
    const proposed = await Promise.all(proposal.ids.map((id) => tx.store.get(id)));
    const inPool = (s: Sample | undefined) => (s && s.split === 'pool' && s.deletedAt === null ? s : undefined);
    // A proposed text labelled or deleted in another tab meanwhile is left out.
    const kept = proposed.map((s, i) => ({ sample: inPool(s), reason: proposal.reasons[i] }));
    const queue = kept.flatMap((k) => (k.sample ? [k.sample] : []));
    this.proposal = { ...proposal, reasons: kept.flatMap((k) => (k.sample && k.reason ? [k.reason] : [])) };
    this.queue = queue;
    this.position = 0;
    this.answers = [];
    if (queue.length === 0) this.message = { text: t('label.poolEmpty'), error: false };
  }

  /** Writes of answers, one after another (keys come faster than the database answers). */
  #writes: Promise<void> = Promise.resolve();

  /**
   * Gives the text shown now a label (null: skips it) and moves on at once; the answer is
   * written behind, in order. A text labelled or deleted elsewhere meanwhile is said and dropped
   * from the round's answers.
   */
  answer(label: string | null): Promise<void> {
    const sample = this.current;
    if (!sample) return this.#writes;
    const answer: LabellingAnswer = { sample, label };
    this.answers = [...this.answers, answer];
    this.position += 1;
    this.message = null;
    this.pending += 1;
    this.#writes = this.#writes.then(async () => {
      try {
        const db = await this.db;
        if (label === null) await updateSample(db, sample.id, withFlag(SKIPPED_FLAG, true));
        else await labelFromPool(db, sample.id, label);
      } catch (error) {
        this.answers = this.answers.filter((a) => a !== answer);
        this.message = { text: toAppError(error).message, error: true };
      } finally {
        this.pending -= 1;
      }
    });
    return this.#writes;
  }

  /** Takes back the round's last answer: the text goes back to the pool, unlabelled, and is shown again. */
  undo(): Promise<void> {
    const last = this.answers.at(-1);
    if (!last) return this.#writes;
    this.answers = this.answers.slice(0, -1);
    this.position = Math.max(0, this.queue.indexOf(last.sample));
    this.pending += 1;
    this.#writes = this.#writes.then(async () => {
      try {
        const db = await this.db;
        if (last.label === null) await updateSample(db, last.sample.id, withFlag(SKIPPED_FLAG, false));
        else await returnToPool(db, last.sample.id);
        this.message = {
          text: last.label === null ? t('label.undoneSkip') : t('label.undone', { label: last.label }),
          error: false,
        };
      } catch (error) {
        this.message = { text: toAppError(error).message, error: true };
      } finally {
        this.pending -= 1;
      }
    });
    return this.#writes;
  }

  /** Resolves when every answer given so far is written. */
  settled(): Promise<void> {
    return this.#writes;
  }

  /**
   * Adds pasted texts to the pool, one per line, in one language; texts the task already has
   * (in any split) are left out.
   */
  async addTexts(taskId: string, pasted: string, language: string): Promise<boolean> {
    const { texts, tooLong } = pastedTexts(pasted);
    if (texts.length === 0) {
      this.message = { text: t('label.nothingPasted'), error: true };
      return false;
    }
    try {
      const { added, duplicates } = await addSamples(
        await this.db,
        texts.map((text) => ({ taskId, text, label: UNLABELLED, language, split: 'pool', source: 'human' })),
      );
      this.message = {
        text: t('label.added', { added: added.length, duplicates: duplicates.length, tooLong }),
        error: false,
      };
      return added.length > 0;
    } catch (error) {
      this.message = { text: toAppError(error).message, error: true };
      return false;
    }
  }

  /** Makes skipped texts eligible again. */
  async unskip(taskId: string): Promise<void> {
    try {
      const n = await unskipPool(await this.db, taskId);
      this.message = { text: t('label.unskipped', { count: n }), error: false };
    } catch (error) {
      this.message = { text: toAppError(error).message, error: true };
    }
  }

  dispose(): void {
    this.call.cancel();
    this.#task.dispose();
  }
}
