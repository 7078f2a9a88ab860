/**
 * @file Recordings as the user meets them: the demo's, shipped with the app (a replay of
 * generation for laptops without a capable GPU); reading one to show what it is; whether one
 * answers every label and language of a task; and a finished job saved as one, for later
 * workshops.
 */
import { answersCell, parseRecording } from '../backends/recorded-generator';
import { parseGeneratedTexts } from '../domain/parse';
import type { Recording } from '../domain/model-spec';
import type { Sample } from '../domain/sample';
import type { Task } from '../domain/task';

/** The demo's recording, shipped with the app (`public/recordings/`, written by scripts/build-demo.ts). */
export const SHIPPED_RECORDING = 'recordings/demo-news.json';

/** Texts per recorded answer when a job is saved as a recording (a job asks for a few per call). */
const TEXTS_PER_ANSWER = 3;

export type RecordingRead =
  | { ok: true; recording: Recording }
  | { ok: false; reason: 'missing'; status: number }
  | { ok: false; reason: 'invalid'; message: string };

/** Reads a recording from an address (relative to the page), saying why it cannot be used. */
export async function readRecording(url: string): Promise<RecordingRead> {
  let response: Response;
  try {
    response = await fetch(new URL(url, document.baseURI).href);
  } catch {
    return { ok: false, reason: 'missing', status: 0 };
  }
  if (!response.ok) return { ok: false, reason: 'missing', status: response.status };
  try {
    return { ok: true, recording: parseRecording(await response.json(), url) };
  } catch (e) {
    return { ok: false, reason: 'invalid', message: (e as Error).message };
  }
}

/** The most a recording can give a task's cell, and the cell it can give least. */
export interface RecordingCapacity {
  /** Texts the recording holds for its poorest label × language of the task. */
  fewest: number;
  label: string;
  /** The task's language name. */
  language: string;
}

/**
 * How many texts a recording holds for each label and language of a task (its answers read
 * with the job's own parser), and the cell it holds fewest for: a job asking for more per cell
 * stops there. Null for a task with no cell.
 */
export function recordingCapacity(
  recording: Recording,
  task: Pick<Task, 'labels' | 'languages'>,
): RecordingCapacity | null {
  let least: RecordingCapacity | null = null;
  for (const lang of task.languages)
    for (const l of task.labels) {
      let texts = 0;
      for (const a of recording.answers)
        if (answersCell(a, l.name, lang.name)) texts += parseGeneratedTexts(a.answer).texts.length;
      if (!least || texts < least.fewest) least = { fewest: texts, label: l.name, language: lang.name };
    }
  return least;
}

/** Whether a recording has texts for every label in every language of a task (the demo's has). */
export function recordingCovers(recording: Recording, task: Pick<Task, 'labels' | 'languages'>): boolean {
  return (recordingCapacity(recording, task)?.fewest ?? 0) > 0;
}

/**
 * A finished job's accepted texts as a recording: for each label and language, answers of a
 * few texts in the JSON a job asks for, so a replay of it fills the same cells again.
 */
export function recordingFromSamples(
  samples: readonly Pick<Sample, 'text' | 'label' | 'language'>[],
  task: Pick<Task, 'languages'>,
  model: string,
  note: string,
): Recording {
  const answers: Recording['answers'] = [];
  const cells = new Map<string, string[]>();
  for (const s of samples) {
    const key = `${s.label}\u0000${s.language}`;
    cells.set(key, [...(cells.get(key) ?? []), s.text]);
  }
  for (const [key, texts] of cells) {
    const [label = '', code = ''] = key.split('\u0000');
    const language = task.languages.find((l) => l.code === code)?.name ?? code;
    for (let i = 0; i < texts.length; i += TEXTS_PER_ANSWER)
      answers.push({ label, language, answer: JSON.stringify({ texts: texts.slice(i, i + TEXTS_PER_ANSWER) }) });
  }
  return { model, note, answers };
}
