/**
 * @file The Train view's state while the training worker reports: when the n-gram student's
 * solver threads stop and one thread trains again from the first pass, the live curve drops the
 * solvers' passes, the solving bar goes, and why is kept until the next training. A download
 * of a classifier's files reads its whole record first: one gone or a failed file is said.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { classifierRecordFor } from '../../../tests/fixtures/classifier-record';
import { openDatabase } from '../storage/db';
import { classifiersRepo } from '../storage/task-records-repo';
import { createTask } from '../storage/tasks-repo';
import type { TrainingWorkerEvent } from '../workers/training-protocol';

/** What the mocked worker sends during the next `train` call. */
let script: TrainingWorkerEvent[] = [];
/** The state's curve and note as they were after each event, seen from inside the call. */
const seen: { epochs: number[]; restarted: string | null; solving: boolean }[] = [];
let state: import('./training.svelte').TrainingState;

vi.mock('../workers/training-client', () => ({
  cancelGently: (controller: AbortController) => controller.abort(),
  trainingWorker: () => ({
    call: async (
      _method: string,
      _params: unknown,
      { onProgress }: { onProgress: (e: TrainingWorkerEvent) => void },
    ) => {
      for (const e of script) {
        onProgress(e);
        seen.push({
          epochs: state.curve.map((r) => r.epoch),
          restarted: state.restarted,
          solving: state.solving !== null,
        });
      }
      return { record: { id: 'c1' }, embedded: { cached: 0, computed: 0 }, solvers: 1 };
    },
  }),
}));

const { TrainingState } = await import('./training.svelte');

const epoch = (n: number): TrainingWorkerEvent => ({
  stage: 'epoch',
  report: { epoch: n, trainLoss: 1 / n, valLoss: null, valAccuracy: null },
});
const config = { student: 'ngram' as const, sources: [], languages: [], encoder: null, seed: 1 };

describe('training that falls back to one thread', () => {
  it("shows only the passes of the thread that trained, and says why the solvers' were dropped", async () => {
    state = new TrainingState(new Promise(() => {}));
    script = [
      { stage: 'solving', solved: 0, labels: 3, solvers: 3 },
      epoch(1),
      epoch(2),
      { stage: 'restarted', reason: 'a solver worker failed to start or stopped' },
      epoch(1),
    ];
    await state.train('t1', config, { kind: 'hub' }, 'wasm');
    expect(seen.map((s) => s.epochs)).toEqual([[], [1], [1, 2], [], [1]]);
    expect(seen[0]?.solving).toBe(true);
    expect(seen[3]).toEqual({ epochs: [], restarted: 'a solver worker failed to start or stopped', solving: false });
    expect(state.result).not.toBeNull();
    expect(state.restarted).toBe('a solver worker failed to start or stopped');
    // The next training starts with no note.
    script = [epoch(1)];
    seen.length = 0;
    await state.train('t1', config, { kind: 'hub' }, 'wasm');
    expect(seen).toEqual([{ epochs: [1], restarted: null, solving: false }]);
  });
});

describe("a classifier's files", () => {
  it('reads the whole record once per ask, and says when it is gone or the file fails', async () => {
    const db = await openDatabase({}, 'training-files');
    const task = await createTask(db, NEWS_DRAFT);
    const record = classifierRecordFor(
      task.id,
      task.labels.map((l) => l.name),
    );
    await classifiersRepo.put(db, record);
    const files = new TrainingState(Promise.resolve(db));
    const used: string[] = [];
    const use = async (r: { id: string; file: { weights: unknown } }) => {
      expect(r.file.weights).toBeTruthy();
      used.push(r.id);
    };
    // A double click: the second ask comes while the record is read, and is ignored.
    await Promise.all([files.withRecord('c1', use), files.withRecord('c1', use)]);
    expect(used).toEqual(['c1']);
    expect(files.fileError).toBeNull();
    expect(files.reading).toBe(false);

    await files.withRecord('deleted', use);
    expect(used).toEqual(['c1']);
    expect(files.fileError).toMatch(/no longer saved/);

    await files.withRecord('c1', async () => {
      throw new Error('out of memory');
    });
    expect(files.fileError).toMatch(/could not be made.*out of memory/);
    // Once the view follows another task (here none), it is not shown.
    files.follow(null);
    expect(files.fileError).toBeNull();
    // The next ask starts with no error.
    await files.withRecord('c1', use);
    expect(files.fileError).toBeNull();
    expect(used).toEqual(['c1', 'c1']);
  });
});
