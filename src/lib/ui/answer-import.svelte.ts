/**
 * @file Importing a file of answers from a system outside the app (Evaluate view): read the
 * file, guess which columns hold the answer, the text and the id (the user can change them),
 * and preview how its rows line up with the task's test texts before storing them.
 */
import { t } from './i18n.svelte';
import { answerRows, guessAnswerColumns, type AnswerColumns, type AnswerRow } from '../domain/answers';
import { parseFile } from '../files/parse-file';

/** More rows than this and the file is not one task's test answers. */
export const MAX_ANSWER_ROWS = 1_000_000;

export class AnswerImport {
  fileName = $state<string | null>(null);
  /** The file's columns, in file order. */
  columns = $state.raw<string[]>([]);
  answer = $state<string>('');
  text = $state<string>('');
  id = $state<string>('');
  /** What the answers will be called in Evaluate. */
  name = $state('');
  reading = $state(false);
  error = $state<string | null>(null);
  #records = $state.raw<Record<string, unknown>[]>([]);
  /** Files read so far: tells whether the one on screen is still the one a save began with. */
  reads = 0;

  /** The chosen columns, or null while no answer column or nothing to match by is chosen. */
  get chosen(): AnswerColumns | null {
    if (!this.answer || (!this.text && !this.id)) return null;
    return { answer: this.answer, text: this.text || null, id: this.id || null };
  }

  /** The file's rows with the chosen columns. */
  get rows(): AnswerRow[] {
    const chosen = this.chosen;
    return chosen ? answerRows(this.#records, chosen) : [];
  }

  /** Reads a file; a file that cannot be read says why and leaves nothing behind. */
  async read(file: File): Promise<void> {
    this.reset();
    this.reads++;
    this.reading = true;
    const records: Record<string, unknown>[] = [];
    let tooMany = false;
    try {
      const info = await parseFile(file, file.name, {
        onRow: (row) => {
          if (records.length >= MAX_ANSWER_ROWS) {
            tooMany = true;
            return false;
          }
          records.push(row.fields);
        },
      });
      if (tooMany) throw new Error(t('eval.answersTooMany', { max: MAX_ANSWER_ROWS }));
      if (records.length === 0) throw new Error(t('eval.answersEmpty'));
      const columns = info.columns.length ? info.columns : Object.keys(records[0] ?? {});
      const guess = guessAnswerColumns(columns);
      this.fileName = file.name;
      this.columns = columns;
      this.answer = guess?.answer ?? '';
      this.text = guess?.text ?? '';
      this.id = guess?.id ?? '';
      this.name = file.name.replace(/\.[^.]+$/, '');
      this.#records = records;
    } catch (error) {
      this.reset();
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.reading = false;
    }
  }

  reset(): void {
    this.fileName = null;
    this.columns = [];
    this.answer = this.text = this.id = this.name = '';
    this.error = null;
    this.#records = [];
  }
}
