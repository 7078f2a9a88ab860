/**
 * @file Runs in the page (imported through Vite): the generation pipeline's own cost per sample
 * (issue 18). A generation job on the real IndexedDB with the app's language check (lid.176 and
 * CLD3, loaded as the generation worker loads them), driven by a generator that answers at once
 * with unused SIB-200 sentences of the cell's language, so every millisecond is the pipeline's:
 * prompting, parsing, the quality filters, language identification, writing each step, progress.
 * Two job sizes give the steady-state cost of one more sample apart from the start-up.
 */
import type { GenOptions, Generator } from '../../src/lib/backends/generator';
import type { ChatMessage } from '../../src/lib/domain/prompts';
import { Cld3 } from '../../src/lib/backends/cld3';
import { LanguageChecker } from '../../src/lib/backends/language-checker';
import { LanguageIdentifier } from '../../src/lib/backends/lid';
import { lidAssets, LID_LANGUAGES } from '../../src/lib/backends/lid-assets';
import { DEFAULT_GENERATION } from '../../src/lib/domain/generation';
import { createGenerationJob, runGenerationJob } from '../../src/lib/jobs/generation-job';
import { openDatabase } from '../../src/lib/storage/db';
import { createTask } from '../../src/lib/storage/tasks-repo';

const LANGUAGES = [
  { code: 'sw', name: 'Swahili' },
  { code: 'ha', name: 'Hausa' },
];

/** Answers each call with the next unused sentences of the cell's language, as a JSON array. */
class InstantGenerator implements Generator {
  readonly id = 'bench:instant';
  readonly #next = new Map<string, number>();
  constructor(readonly texts: Record<string, string[]>) {}
  async load(): Promise<void> {}
  async unload(): Promise<void> {}
  async *chat(messages: ChatMessage[], _opts: GenOptions): AsyncIterable<string> {
    // "Write 5 new, different texts in Hausa of the class …" (domain/prompts.ts).
    const ask = /Write (\d+) new, different texts in (\w+)/.exec(messages.map((m) => m.content).join('\n'));
    if (!ask) throw new Error('The benchmark generator did not recognise the prompt');
    const count = Number(ask[1]);
    const language = ask[2] === 'Hausa' ? 'ha' : 'sw';
    const pool = this.texts[language] as string[];
    const at = this.#next.get(language) ?? 0;
    this.#next.set(language, at + count);
    yield JSON.stringify(Array.from({ length: count }, (_, i) => pool[(at + i) % pool.length]));
  }
}

export interface PipelineRun {
  samples: number;
  ms: number;
  calls: number;
  /** Whether every cell was filled. */
  done: boolean;
}

/**
 * One job of `perCell` samples per label × language (3 labels, 2 languages).
 * @param texts unused sentences per language code
 */
export async function pipelineRun(perCell: number, texts: Record<string, string[]>): Promise<PipelineRun> {
  const db = await openDatabase({}, `polyclass-bench-pipeline-${Date.now()}-${Math.random()}`);
  try {
    const task = await createTask(db, {
      name: 'Pipeline bench',
      description: 'Topic of a news sentence',
      languages: LANGUAGES,
      labels: ['sports', 'politics', 'health'].map((name) => ({ name, description: '' })),
    });
    const job = await createGenerationJob(db, task.id, {
      ...DEFAULT_GENERATION,
      perCell,
      generator: { kind: 'recorded', url: 'bench' },
    });
    const t0 = performance.now();
    const [lid, cld3] = await Promise.all([
      LanguageIdentifier.load(lidAssets(location.href), LID_LANGUAGES),
      Cld3.load(),
    ]);
    const checker = await LanguageChecker.forTask(lid, cld3, task.languages, []);
    const end = await runGenerationJob(db, job.id, new InstantGenerator(texts), {
      identifyLanguage: (text, code) => checker.check(text, code),
    });
    const ms = performance.now() - t0;
    return { samples: end.progress.done, ms, calls: end.checkpoint.calls, done: end.status === 'done' };
  } finally {
    db.close();
  }
}
