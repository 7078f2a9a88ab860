/**
 * @file The playground's state: one text classified by a stored student (every label's
 * probability, most likely first), and a whole file classified in the training worker with
 * progress and cancel, its predictions saved as a CSV.
 */
import { t } from './i18n.svelte';
import { formatDuration } from '../domain/format';
import type { ModelSource } from '../domain/settings';
import { trainingWorker } from '../workers/training-client';
import { WorkerCall } from './worker-call.svelte';
import { download } from './download';

export interface Ranked {
  /** Labels, most probable first. */
  ranked: { label: string; p: number }[];
  ms: number;
}

export class PlaygroundState {
  result = $state.raw<Ranked | null>(null);
  /** Rows of the file classified so far. */
  batchDone = $state(0);
  batchSummary = $state<string | null>(null);
  readonly single = new WorkerCall({ cancelled: () => null });
  readonly batch = new WorkerCall({ cancelled: () => t('play.cancelled') });

  /** Classifies one text with every label's probability. */
  async classify(classifierId: string, text: string, source: ModelSource, device: 'wasm' | 'webgpu'): Promise<void> {
    const r = await this.single.run((signal) =>
      trainingWorker().call('predict', { classifierId, texts: [text], source, device }, { signal }),
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
  async classifyFile(classifierId: string, file: File, source: ModelSource, device: 'wasm' | 'webgpu'): Promise<void> {
    this.batchDone = 0;
    this.batchSummary = null;
    const r = await this.batch.run((signal) =>
      trainingWorker().call(
        'classifyFile',
        { classifierId, file, name: file.name, textColumn: null, source, device },
        { signal, onProgress: (p) => (this.batchDone = p.done) },
      ),
    );
    if (!r) return;
    download(r.csv, `${file.name.replace(/\.[^.]+$/, '')}-predictions.csv`, 'text/csv');
    this.batchDone = r.rows;
    this.batchSummary = t('play.batchDone', { rows: r.rows, column: r.textColumn, time: formatDuration(r.ms) });
  }
}
