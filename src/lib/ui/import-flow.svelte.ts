/**
 * @file The steps of importing a file into a task: choose → preview and map columns → check
 * (what would be skipped, which labels are unknown) → import with progress → summary.
 * The parsing and writing happen in the data worker.
 */
import type { ColumnMapping, SkippedRow } from '../domain/import-rows';
import type { Split } from '../domain/sample';
import type { Task } from '../domain/task';
import type { ImportPreview, Progress, ScanResult } from '../jobs/import-job';
import { dataWorker } from '../workers/data-client';
import { summarizeImport } from './import-text';
import { WorkerCall } from './worker-call.svelte';
import { clearMarker, holdingLock, interruptedImport, writeMarker, type ImportMarker } from './import-marker';

export type ImportPhase =
  'idle' | 'reading' | 'mapping' | 'checking' | 'review' | 'importing' | 'done' | 'failed' | 'cancelled';

export class ImportFlow {
  phase = $state<ImportPhase>('idle');
  file = $state.raw<File | null>(null);
  preview = $state.raw<ImportPreview | null>(null);
  mapping = $state<ColumnMapping | null>(null);
  scan = $state.raw<ScanResult | null>(null);
  /** Unknown label values the user chose to add to the task. */
  addLabels = $state<string[]>([]);
  progress = $state.raw<Progress | null>(null);
  summary = $state<string | null>(null);
  examples = $state.raw<SkippedRow[]>([]);
  error = $state<string | null>(null);
  /** An import of this task that a reload or a closed tab cut short (see `import-marker.ts`). */
  interrupted = $state.raw<ImportMarker | null>(null);
  /** The step's call to the data worker; a cancel's own message says what was kept. */
  readonly call = new WorkerCall({ cancelled: (e) => e.message });
  /** Counts steps, so a step overtaken by reset or by another step does not move the phase. */
  #steps = 0;

  get busy(): boolean {
    return this.call.running;
  }

  /** The mapping leaves rows with no split to go to: the user must choose one first. */
  get needsSplit(): boolean {
    return this.mapping !== null && this.mapping.split === null && this.mapping.defaultSplit === null;
  }

  /** The split the file's name gave, while the user keeps it. */
  get splitFromName(): Split | null {
    const guessed = this.preview?.mapping.defaultSplit ?? null;
    return guessed !== null && this.mapping?.defaultSplit === guessed ? guessed : null;
  }

  /**
   * Runs a step's call; on failure or cancel, moves to that phase with its sentence.
   * @returns the result, or undefined when the step did not finish
   */
  async #step<T>(phase: ImportPhase, work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    const step = ++this.#steps;
    this.phase = phase;
    const result = await this.call.run(work);
    // Reset or a later step took over: this one says nothing.
    if (step !== this.#steps) return undefined;
    if (result !== undefined) return result;
    if (this.call.outcome === 'cancelled') {
      this.phase = 'cancelled';
      this.summary = this.call.error;
    } else if (this.call.outcome === 'failed') {
      this.phase = 'failed';
      this.error = this.call.error;
    }
    return undefined;
  }

  reset(): void {
    this.#steps++;
    this.call.reset();
    this.phase = 'idle';
    this.file = null;
    this.preview = null;
    this.mapping = null;
    this.scan = null;
    this.addLabels = [];
    this.progress = null;
    this.summary = null;
    this.examples = [];
    this.error = null;
  }

  /** Reads the first rows of a file and guesses its columns. */
  async choose(file: File, task: Task): Promise<void> {
    this.reset();
    this.file = file;
    const languages = $state.snapshot(task.languages);
    const preview = await this.#step('reading', () =>
      dataWorker().call('preview', { file, name: file.name, task: { languages } }),
    );
    if (!preview) return;
    this.preview = preview;
    this.mapping = { ...preview.mapping };
    this.phase = 'mapping';
  }

  /** Reads the whole file and reports what an import would do. */
  async check(task: Task): Promise<void> {
    const file = this.file;
    if (!file || !this.mapping || this.needsSplit) return;
    const request = {
      file,
      name: file.name,
      mapping: $state.snapshot(this.mapping),
      task: { labels: $state.snapshot(task.labels), languages: $state.snapshot(task.languages) },
    };
    this.progress = null;
    const scan = await this.#step('checking', (signal) =>
      dataWorker().call('scan', request, { signal, onProgress: (p) => (this.progress = p) }),
    );
    if (!scan) return;
    this.scan = scan;
    this.addLabels = [];
    this.phase = 'review';
  }

  /**
   * Imports the file. Labels chosen for adding must be added to the task before (the caller does).
   */
  async run(taskId: string): Promise<void> {
    const file = this.file;
    if (!file || !this.mapping) return;
    const request = { file, name: file.name, mapping: $state.snapshot(this.mapping), taskId };
    this.progress = null;
    this.interrupted = null;
    const marker: ImportMarker = {
      taskId,
      file: file.name,
      imported: 0,
      lock: `polyclass-import-${taskId}-${Date.now()}`,
      updatedAt: Date.now(),
    };
    writeMarker(marker);
    const result = await holdingLock(marker.lock, () =>
      this.#step('importing', (signal) =>
        dataWorker().call('import', request, {
          signal,
          onProgress: (p) => {
            this.progress = p;
            // Noted about once a second: after a reload, at least this many rows are in.
            if (Date.now() - marker.updatedAt > 1_000) {
              Object.assign(marker, { imported: p.imported, updatedAt: Date.now() });
              writeMarker(marker);
            }
          },
        }),
      ),
    );
    // Finished, failed or cancelled, it says so itself: only a reload or a closed tab leaves the note.
    clearMarker(taskId);
    if (!result) return;
    this.summary = `${summarizeImport(result.tally)}.`;
    this.examples = result.examples;
    this.phase = 'done';
  }

  cancel(): void {
    this.call.cancel();
  }

  /** Looks for an import of this task that a reload or a closed tab cut short. */
  async checkInterrupted(taskId: string): Promise<void> {
    const found = await interruptedImport(taskId);
    if (this.phase !== 'importing') this.interrupted = found;
  }

  /** Forgets the cut-short import (the user read the note). */
  dismissInterrupted(): void {
    if (this.interrupted) clearMarker(this.interrupted.taskId);
    this.interrupted = null;
  }
}
