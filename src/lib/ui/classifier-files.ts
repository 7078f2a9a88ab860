/**
 * @file A trained classifier saved as a file the user keeps: its JSON file (what the CLI and the
 * standalone page read), its head as ONNX (dense students only), or its model card (Markdown).
 */
import { strToU8 } from 'fflate';
import type { ClassifierRecord } from '../domain/records';
import type { Task } from '../domain/task';
import { safeFileName } from '../files/dataset-files';
import { modelCard } from '../ml/model-card';
import { download } from './download';

export type ClassifierFileKind = 'json' | 'onnx' | 'card';

/** Offers a classifier as a download (an n-gram student has no ONNX head: nothing happens). */
export async function saveClassifier(task: Task, c: ClassifierRecord, as: ClassifierFileKind): Promise<void> {
  const base = safeFileName(`${task.name}-${c.student}`);
  if (as === 'json') download(strToU8(JSON.stringify(c.file)), `${base}.json`, 'application/json');
  else if (as === 'card') download(strToU8(modelCard(task, c)), `${base}-model-card.md`, 'text/markdown');
  else {
    // The ONNX writer loads only when asked for.
    const [{ headToOnnx }, { fromClassifierFile }] = await Promise.all([
      import('../ml/onnx-head'),
      import('../ml/classifier-file'),
    ]);
    const { model, meta } = fromClassifierFile(c.file);
    if (model.kind === 'ngram') return;
    download(headToOnnx(model, meta.encoder?.modelId ?? null), `${base}.onnx`, 'application/octet-stream');
  }
}
