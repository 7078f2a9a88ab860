/**
 * @file A generator that replays recorded answers: for demos and workshops without a capable
 * device, and for tests that need sensible multilingual text. Each answer is recorded for a
 * label and a language; the generator streams the next unused answer whose label and language
 * names the prompt mentions, in small chunks like a real model.
 */
import { message } from '../i18n/messages';
import * as v from 'valibot';
import { AppError } from '../domain/errors';
import type { LoadProgress, RecordedAnswer, Recording } from '../domain/model-spec';
import type { ChatMessage } from '../domain/prompts';
import type { GenOptions, GenUsage, Generator } from './generator';

export type { RecordedAnswer, Recording } from '../domain/model-spec';

const RecordingSchema = v.object({
  model: v.pipe(v.string(), v.minLength(1)),
  note: v.optional(v.string()),
  answers: v.array(
    v.union([
      v.object({ label: v.string(), language: v.string(), answer: v.string() }),
      v.object({ match: v.string(), answer: v.string() }),
    ]),
  ),
});

/**
 * Reads a recording (a file a user may have chosen or a server sent): its shape is checked, so
 * a wrong file is refused with the reason instead of failing midway.
 * @throws AppError `invalid-file`
 */
export function parseRecording(json: unknown, where: string): Recording {
  const result = v.safeParse(RecordingSchema, json);
  if (!result.success) throw new AppError('invalid-file', message('err.recordingShape', { url: where }));
  return result.output as Recording;
}

/**
 * Whether a recorded answer was recorded for a label in a task language, named as the prompts
 * name it: the task's "Swahili (macrolanguage)" contains the recorded "Swahili".
 */
export function answersCell(answer: RecordedAnswer, label: string, language: string): boolean {
  return answer.label === label && Boolean(answer.language) && language.includes(answer.language as string);
}

/** Characters per streamed chunk: roughly a token or two. */
const CHUNK = 6;
/** Pause between chunks, so a replay streams like a small model on a laptop GPU (~100 tokens/s). */
const CHUNK_DELAY_MS = 8;

export class RecordedGenerator implements Generator {
  readonly #used = new Set<number>();

  /**
   * @param recording the answers
   * @param used how many answers of each (label, language) earlier runs consumed, so a resumed
   *   job does not replay answers it already got
   */
  constructor(private readonly recording: Recording) {}

  get id(): string {
    return `recorded:${this.recording.model}`;
  }

  /**
   * Marks the first `n` answers of a cell as used (resume).
   * @param language the task's language name, e.g. "Swahili (macrolanguage)", which contains
   *   the recorded one ("Swahili") as the prompts do
   */
  skip(label: string, language: string, n: number): void {
    let left = n;
    this.recording.answers.forEach((a, i) => {
      if (left > 0 && answersCell(a, label, language) && !this.#used.has(i)) {
        this.#used.add(i);
        left--;
      }
    });
  }

  /** Answers not replayed yet for a label in a task language (named as the prompts name it). */
  remaining(label: string, language: string): number {
    let left = 0;
    this.recording.answers.forEach((a, i) => {
      if (answersCell(a, label, language) && !this.#used.has(i)) left++;
    });
    return left;
  }

  async load(onProgress: (p: LoadProgress) => void): Promise<void> {
    onProgress({ file: 'recording', loaded: 1, total: 1, status: 'ready' });
  }

  async *chat(
    messages: ChatMessage[],
    _opts: GenOptions,
    signal?: AbortSignal,
    onUsage?: (u: GenUsage) => void,
  ): AsyncIterable<string> {
    const prompt = messages.map((m) => m.content).join('\n');
    const last = messages.findLast((m) => m.role === 'user')?.content ?? '';
    // A prompt about one text (a check of a written text, a classification) starts "Text:": it
    // never takes an answer recorded for writing texts, which would leave the replay short.
    const asksForTexts = !last.startsWith('Text:');
    const index = this.recording.answers.findIndex((a, i) =>
      a.match !== undefined
        ? last.includes(a.match)
        : asksForTexts &&
          !this.#used.has(i) &&
          prompt.includes(`class “${a.label}”`) &&
          prompt.includes(` ${a.language}`),
    );
    const found = index >= 0 ? this.recording.answers[index] : undefined;
    const answer = found ? found.answer : last.startsWith('Text:') ? 'I do not know.' : '{"texts": []}';
    if (found && found.match === undefined) this.#used.add(index);
    for (let i = 0; i < answer.length; i += CHUNK) {
      if (signal?.aborted) throw new AppError('aborted', message('err.cancelled'));
      yield answer.slice(i, i + CHUNK);
      await new Promise((r) => setTimeout(r, CHUNK_DELAY_MS));
    }
    onUsage?.({ promptTokens: Math.ceil(prompt.length / 4), completionTokens: Math.ceil(answer.length / 4) });
  }

  async unload(): Promise<void> {}
}
