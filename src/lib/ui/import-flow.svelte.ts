/**
 * @file The steps of importing a file into a task: choose → preview and map columns → check
 * (what would be skipped, which labels are unknown) → import with progress → summary.
 * The parsing and writing happen in the data worker.
 */
import type { ColumnMapping, SkippedRow } from '../domain/import-rows';
import type { Task } from '../domain/task';
import type { ImportPreview, Progress, ScanResult } from '../jobs/import-job';
import { dataWorker } from '../workers/data-client';
import { summarizeImport } from './import-text';
import { WorkerCall } from './worker-call.svelte';

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
  /** The step's call to the data worker; a cancel's own message says what was kept. */
  readonly call = new WorkerCall({ cancelled: (e) => e.message });
  /** Counts steps, so a step overtaken by reset or by another step does not move the phase. */
  #steps = 0;

  get busy(): boolean {
    return this.call.running;
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
    if (!file || !this.mapping) return;
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
    const result = await this.#step('importing', (signal) =>
      dataWorker().call('import', request, { signal, onProgress: (p) => (this.progress = p) }),
    );
    if (!result) return;
    this.summary = `${summarizeImport(result.tally)}.`;
    this.examples = result.examples;
    this.phase = 'done';
  }

  cancel(): void {
    this.call.cancel();
  }
}
