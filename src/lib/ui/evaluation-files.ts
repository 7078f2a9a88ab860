/**
 * @file An evaluation run saved as files: the Markdown report, scores and predictions as CSV,
 * and the per-language chart as PNG; and the test texts to send to a system outside the app.
 */
import { strToU8 } from 'fflate';
import type { CompareRun, TestItem } from '../domain/evaluation';
import { toCsv } from '../files/csv';
import type { Task } from '../domain/task';
import { safeFileName } from '../files/dataset-files';
import { compareMarkdown, predictionsCsv, scoresCsv } from '../files/evaluation-report';
import { download } from './download';

/**
 * Saves a run as a file: the Markdown report, scores or predictions as CSV, or the
 * per-language chart as PNG.
 * @param canvas the chart's canvas, for `png`
 */
export function saveEvaluation(
  run: CompareRun,
  task: Task,
  kind: 'md' | 'scores' | 'predictions' | 'png',
  canvas?: HTMLCanvasElement | null,
): void {
  const base = safeFileName(`${task.name}-evaluation-${new Date(run.createdAt).toISOString().slice(0, 10)}`);
  if (kind === 'md') download(strToU8(compareMarkdown(run, task)), `${base}.md`, 'text/markdown');
  else if (kind === 'scores') download(strToU8(scoresCsv(run)), `${base}-scores.csv`, 'text/csv');
  else if (kind === 'predictions') download(strToU8(predictionsCsv(run)), `${base}-predictions.csv`, 'text/csv');
  else
    canvas?.toBlob((blob) => {
      if (blob)
        void blob.arrayBuffer().then((b) => download(new Uint8Array(b), `${base}-per-language.png`, 'image/png'));
    });
}

/** The test texts to send to another system, whose answers come back matched by id: ids, texts and languages, never labels. */
export function saveTestTexts(
  items: readonly Pick<TestItem, 'sampleId' | 'text' | 'language'>[],
  taskName: string,
): void {
  const csv = toCsv(
    ['id', 'text', 'language'],
    items.map((it) => [it.sampleId, it.text, it.language]),
  );
  download(strToU8(csv), `${safeFileName(taskName)}-test-texts.csv`, 'text/csv');
}
