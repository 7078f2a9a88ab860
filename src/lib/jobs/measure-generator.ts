/**
 * @file "Measure this device": a short, timed generation like a job's (a few calls, each asking
 * for a few texts of a label in a language) with the chosen model, after it has loaded. Its
 * tokens a second replace the estimate from the model's size in recommendations, ETAs and
 * preflight.
 */
import type { GenOptions, Generator } from '../backends/generator';
import { collect } from '../backends/generator';
import { parseGeneratedTexts } from '../domain/parse';
import { TOKENS_PER_TEXT } from '../domain/preflight';
import { buildGenerationMessages, TEXTS_SCHEMA } from '../domain/prompts';

/** What a measurement found (stored per model in this browser). */
export interface DeviceMeasurement {
  tokensPerSecond: number;
  /** At the tokens a text takes in a job's answers ({@link TOKENS_PER_TEXT}). */
  textsPerMinute: number;
  measuredAt: number;
  /** Calls timed, tokens they wrote, and the texts the parser found in them. */
  calls: number;
  tokens: number;
  texts: number;
}

/** Calls timed: enough to smooth the first call's warm-up, short enough for a minute on a slow device. */
export const MEASURE_CALLS = 3;
const TEXTS_PER_CALL = 3;

const TASK = {
  name: 'News topics',
  description: 'The topic of a short news sentence',
  labels: [
    { name: 'sports', description: 'Games, teams, athletes and competitions' },
    { name: 'health', description: 'Illness, medicine and staying well' },
    { name: 'politics', description: 'Governments, elections and laws' },
  ],
};

/**
 * Times {@link MEASURE_CALLS} generation calls on a loaded generator.
 * @param onCall after each call, with how many are done
 */
export async function measureGenerator(
  generator: Generator,
  options: { signal?: AbortSignal; onCall?: (done: number, total: number) => void; now?: () => number } = {},
): Promise<DeviceMeasurement> {
  const now = options.now ?? (() => performance.now());
  const gen: GenOptions = {
    temperature: 0.8,
    topP: 0.95,
    maxTokens: TOKENS_PER_TEXT * TEXTS_PER_CALL + 40,
    jsonSchema: TEXTS_SCHEMA,
  };
  let tokens = 0;
  let texts = 0;
  let ms = 0;
  for (let i = 0; i < MEASURE_CALLS; i++) {
    const label = TASK.labels[i % TASK.labels.length] as (typeof TASK.labels)[number];
    const messages = buildGenerationMessages({
      task: TASK,
      label,
      language: { code: 'en', name: 'English' },
      count: TEXTS_PER_CALL,
      demonstrations: [],
      hint: null,
    });
    let completion: number | null = null;
    const start = now();
    const raw = await collect(generator.chat(messages, gen, options.signal, (u) => (completion = u.completionTokens)));
    ms += now() - start;
    // Engines that do not count tokens: about four characters a token.
    tokens += completion ?? Math.ceil(raw.length / 4);
    texts += parseGeneratedTexts(raw).texts.length;
    options.onCall?.(i + 1, MEASURE_CALLS);
  }
  const tokensPerSecond = ms > 0 ? tokens / (ms / 1000) : 0;
  return {
    tokensPerSecond,
    textsPerMinute: (tokensPerSecond * 60) / TOKENS_PER_TEXT,
    measuredAt: Date.now(),
    calls: MEASURE_CALLS,
    tokens,
    texts,
  };
}
