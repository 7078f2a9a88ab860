/**
 * @file The steps of importing a file into a task: choose → preview and map columns → check
 * (what would be skipped, which labels are unknown) → import with progress → summary.
 * The parsing and writing happen in the data worker.
 */
import { toAppError } from '../domain/errors';
import type { ColumnMapping, SkippedRow } from '../domain/import-rows';
import type { Task } from '../domain/task';
import type { ImportPreview, Progress, ScanResult } from '../jobs/import-job';
import { dataWorker } from '../workers/data-client';
import { summarizeImport } from './import-text';

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
  #controller: AbortController | null = null;

  get busy(): boolean {
    return this.phase === 'reading' || this.phase === 'checking' || this.phase === 'importing';
  }

  #fail(error: unknown): void {
    const e = toAppError(error);
    if (e.code === 'aborted') {
      this.phase = 'cancelled';
      this.summary = e.message;
    } else {
      this.phase = 'failed';
      this.error = e.message;
    }
  }

  reset(): void {
    this.cancel();
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
    this.phase = 'reading';
    try {
      this.preview = await dataWorker().call('preview', {
        file,
        name: file.name,
        task: { languages: $state.snapshot(task.languages) },
      });
      this.mapping = { ...this.preview.mapping };
      this.phase = 'mapping';
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Reads the whole file and reports what an import would do. */
  async check(task: Task): Promise<void> {
    if (!this.file || !this.mapping) return;
    this.#controller = new AbortController();
    this.phase = 'checking';
    this.progress = null;
    try {
      this.scan = await dataWorker().call(
        'scan',
        {
          file: this.file,
          name: this.file.name,
          mapping: $state.snapshot(this.mapping),
          task: { labels: $state.snapshot(task.labels), languages: $state.snapshot(task.languages) },
        },
        { signal: this.#controller.signal, onProgress: (p) => (this.progress = p) },
      );
      this.addLabels = [];
      this.phase = 'review';
    } catch (error) {
      this.#fail(error);
    }
  }

  /**
   * Imports the file. Labels chosen for adding must be added to the task before (the caller does).
   */
  async run(taskId: string): Promise<void> {
    if (!this.file || !this.mapping) return;
    this.#controller = new AbortController();
    this.phase = 'importing';
    this.progress = null;
    try {
      const result = await dataWorker().call(
        'import',
        { file: this.file, name: this.file.name, mapping: $state.snapshot(this.mapping), taskId },
        { signal: this.#controller.signal, onProgress: (p) => (this.progress = p) },
      );
      this.summary = `${summarizeImport(result.tally)}.`;
      this.examples = result.examples;
      this.phase = 'done';
    } catch (error) {
      this.#fail(error);
    }
  }

  cancel(): void {
    this.#controller?.abort();
    this.#controller = null;
  }
}
