/**
 * @file A generation job: asks the generator for texts of the cell (label × language) that
 * misses most, parses and filters them, and commits each step (accepted and rejected samples
 * plus the job's checkpoint) in one transaction. Counts come from the database, so a job that
 * stopped for any reason resumes exactly where its last committed step left it.
 */
import { message } from '../i18n/messages';
import { collect, type Generator } from '../backends/generator';
import { AppError, serializeError, toAppError } from '../domain/errors';
import {
  checkCandidate,
  readRejection,
  rejectionMeta,
  TextIndex,
  type FilterConfig,
  type LanguageCheck,
  type Rejection,
} from '../domain/filters';
import {
  cellKey,
  cellStates,
  MAX_FRUITLESS_CALLS,
  nextRequest,
  stuckCells,
  type Cell,
  type CellState,
} from '../domain/generation-plan';
import { orderedId } from '../domain/ids';
import { parseGeneratedTexts, type ParseProblem } from '../domain/parse';
import {
  buildGenerationMessages,
  buildRevisionMessages,
  DEMONSTRATIONS_PER_CALL,
  parseRevision,
  pickDemonstrations,
  pickHint,
  PROMPT_TEMPLATE_VERSION,
  REVISION_SCHEMA,
  TEXTS_SCHEMA,
} from '../domain/prompts';
import { createRng } from '../domain/random';
import type { GenerationCheckpoint, GenerationConfig } from '../domain/generation';
import type { GenerationJobRecord } from '../domain/records';
import { REJECTED_FLAG, type Sample } from '../domain/sample';
import type { Task } from '../domain/task';
import { textHash } from '../domain/text-hash';
import type { Database } from '../storage/db';
import { commitJobStep, getJob, samplesOfJob, saveJob } from '../storage/jobs-store';
import { listSamples } from '../storage/samples-repo';
import { getTask } from '../storage/tasks-repo';
import { jobsRepo } from '../storage/task-records-repo';

export interface FeedItem {
  text: string;
  label: string;
  language: string;
  accepted: boolean;
  /** Why it was rejected (null when accepted, or when the sample records no reason). */
  reason: Rejection | null;
}

export interface GenerationProgress {
  cells: (CellState & { rejected: number })[];
  calls: number;
  tokensPerSecond: number;
  samplesPerMinute: number;
  /** Seconds left at the current pace, or null before the pace is known. */
  etaSeconds: number | null;
  /** Newest texts first. */
  feed: FeedItem[];
  /** The answer streaming in now (shown live). */
  streaming: string;
  /** What the parser could not use in the last answer. */
  problems: ParseProblem[];
  /** Names of task languages whose texts are not language-checked (unknown to the identifier). */
  uncheckedLanguages: string[];
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: GenerationProgress) => void;
  /** Language identification; resolves to null when it cannot judge the language. */
  identifyLanguage?: (text: string, languageCode: string) => Promise<LanguageCheck>;
  /** Task languages the identifier does not know (their texts are not checked), for the page to say so. */
  uncheckedLanguages?: string[];
  now?: () => number;
}

/** Creates a queued generation job for a task. */
export async function createGenerationJob(
  db: Database,
  taskId: string,
  config: GenerationConfig,
  now = Date.now(),
): Promise<GenerationJobRecord> {
  const checkpoint: GenerationCheckpoint = {
    config,
    calls: 0,
    callsByCell: {},
    fruitless: {},
    completionTokens: 0,
    activeMs: 0,
  };
  const job: GenerationJobRecord = {
    id: orderedId(now, 0),
    taskId,
    kind: 'generate',
    status: 'queued',
    progress: { done: 0, total: 0 },
    checkpoint,
    error: null,
    createdAt: now,
    updatedAt: now,
  };
  await jobsRepo.put(db, job);
  return job;
}

/** The cells a job fills: every cell of the task, or a targeted job's cells only. */
function jobCells(task: Task, config: GenerationConfig, accepted: Readonly<Record<string, number>>): CellState[] {
  const all = cellStates(task, config.perCell, accepted);
  const { targets } = config;
  return targets ? all.filter((c) => targets.some((t) => t.label === c.label && t.language === c.language)) : all;
}

function countBy(samples: readonly Sample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) out[cellKey(s)] = (out[cellKey(s)] ?? 0) + 1;
  return out;
}

const FEED_LENGTH = 12;

/**
 * Runs (or resumes) a job until every cell is full, a cell is given up, or the signal aborts
 * (the job is then `paused` and can be resumed).
 * @returns the final job record
 */
export async function runGenerationJob(
  db: Database,
  jobId: string,
  generator: Generator,
  options: RunOptions = {},
): Promise<GenerationJobRecord> {
  const { signal, onProgress, identifyLanguage, uncheckedLanguages = [], now = () => Date.now() } = options;
  let job = await getJob(db, jobId, 'generate');
  if (!job) throw new AppError('internal', message('err.genJobGone'));
  const task = await getTask(db, job.taskId);
  if (!task) throw new AppError('internal', message('err.jobTaskGone'));
  // Each run gives every cell its tries anew: a resume follows a change (seed examples, the
  // filters' inputs), and a cell given up before would otherwise be given up at once again.
  let cp: GenerationCheckpoint = { ...structuredClone(job.checkpoint), fruitless: {} };
  const { config } = cp;
  const languageName = (code: string) => task.languages.find((l) => l.code === code)?.name ?? code;
  /** Cells the generator has no more answers for (a replay that ran out): not asked again this run. */
  const exhausted = new Set<string>();
  const given = (): Record<string, number> => {
    const out = { ...cp.fruitless };
    for (const key of exhausted) out[key] = MAX_FRUITLESS_CALLS;
    return out;
  };

  // What the task has (for duplicates) and what this job already wrote (for quotas).
  const index = new TextIndex(config.filters.nearDuplicate);
  for (const s of await listSamples(db, task.id)) index.add(s.text, s.language);
  const own = await samplesOfJob(db, task.id, job.id);
  // Texts this job rejected count too: the same rejected text is not stored twice.
  for (const s of own) if (s.deletedAt !== null) index.add(s.text, s.language);
  const accepted = countBy(own.filter((s) => s.deletedAt === null));
  const rejected = countBy(own.filter((s) => s.flags.includes(REJECTED_FLAG)));
  const seeds = await listSamples(db, task.id, { split: 'seed' });
  const feed: FeedItem[] = own
    .slice(-FEED_LENGTH)
    .reverse()
    .map((s) => ({
      text: s.text,
      label: s.label,
      language: s.language,
      accepted: s.deletedAt === null,
      reason: readRejection(s.meta, s.label),
    }));
  let streaming = '';
  let problems: ParseProblem[] = [];
  const runStart = now();
  const activeBefore = cp.activeMs;

  const progress = (): GenerationProgress => {
    const cells = jobCells(task, config, accepted).map((c) => ({
      ...c,
      rejected: rejected[cellKey(c)] ?? 0,
    }));
    const activeMs = activeBefore + (now() - runStart);
    const acceptedTotal = cells.reduce((a, c) => a + c.accepted, 0);
    const missing = cells.reduce((a, c) => a + c.missing, 0);
    const perMinute = activeMs > 0 ? (acceptedTotal / activeMs) * 60_000 : 0;
    return {
      cells,
      calls: cp.calls,
      tokensPerSecond: activeMs > 0 ? cp.completionTokens / (activeMs / 1000) : 0,
      samplesPerMinute: perMinute,
      etaSeconds: perMinute > 0 ? (missing / perMinute) * 60 : null,
      feed: [...feed],
      streaming,
      problems,
      uncheckedLanguages,
    };
  };

  job = { ...job, status: 'running', error: null, updatedAt: now() };
  await saveJob(db, job);
  onProgress?.(progress());

  try {
    for (;;) {
      const cells = jobCells(task, config, accepted);
      const request = nextRequest(cells, given(), config.perCall);
      if (!request) break;
      if (signal?.aborted) throw new AppError('aborted', message('err.paused'));
      if (generator.remaining?.(request.cell.label, languageName(request.cell.language)) === 0) {
        exhausted.add(cellKey(request.cell));
        continue;
      }
      const stepStart = now();
      // The step works on a copy: the stored checkpoint moves on only with the step's samples.
      const draft = structuredClone(cp);
      const samples = await generateStep(
        job.id,
        task,
        request.cell,
        request.count,
        cells,
        seeds,
        draft,
        generator,
        index,
        {
          signal,
          identifyLanguage,
          onStream: (text) => {
            streaming = text;
            onProgress?.(progress());
          },
          onProblems: (p) => (problems = p),
          now,
        },
      );
      const key = cellKey(request.cell);
      const good = samples.filter((s) => s.deletedAt === null);
      draft.calls++;
      draft.callsByCell[key] = (draft.callsByCell[key] ?? 0) + 1;
      draft.fruitless[key] = good.length > 0 ? 0 : (draft.fruitless[key] ?? 0) + 1;
      draft.activeMs += now() - stepStart;
      const total = cells.reduce((a, c) => a + c.target, 0);
      const done = cells.reduce((a, c) => a + c.accepted, 0) + good.length;
      const next: GenerationJobRecord = { ...job, checkpoint: draft, progress: { done, total }, updatedAt: now() };
      await commitJobStep(db, next, samples);
      job = next;
      cp = draft;
      // Only now, with the step stored, does it count.
      for (const s of samples) {
        if (s.deletedAt === null) {
          accepted[key] = (accepted[key] ?? 0) + 1;
        } else rejected[key] = (rejected[key] ?? 0) + 1;
        feed.unshift({
          text: s.text,
          label: s.label,
          language: s.language,
          accepted: s.deletedAt === null,
          reason: readRejection(s.meta, s.label),
        });
      }
      feed.splice(FEED_LENGTH);
      streaming = '';
      onProgress?.(progress());
    }
    // A cell the generator ran out for is not stuck: a replay gave all it holds, and no retry
    // or resume can add to it (the job is done, short of its quota; the page says so).
    const stuck = stuckCells(jobCells(task, config, accepted), cp.fruitless).filter((c) => !exhausted.has(cellKey(c)));
    const ranOut = jobCells(task, config, accepted).filter((c) => c.missing > 0 && exhausted.has(cellKey(c)));
    const cellList = (list: readonly Cell[]) =>
      list.map((c) => message('err.cell', { label: c.label, language: languageName(c.language) })).join(', ');
    job = {
      ...job,
      status: stuck.length ? 'failed' : 'done',
      error: stuck.length
        ? serializeError(
            new AppError(
              'internal',
              [
                message('err.stuck', { cells: cellList(stuck) }),
                ...(ranOut.length ? [message('err.ranOut', { cells: cellList(ranOut) })] : []),
              ].join(' '),
            ),
          )
        : null,
      updatedAt: now(),
    };
  } catch (error) {
    const e = toAppError(error);
    job = {
      ...job,
      status: e.code === 'aborted' ? 'paused' : 'failed',
      error: e.code === 'aborted' ? null : serializeError(e),
      updatedAt: now(),
    };
  }
  await saveJob(db, job);
  onProgress?.(progress());
  return job;
}

export interface StepDeps {
  signal?: AbortSignal;
  identifyLanguage?: RunOptions['identifyLanguage'];
  onStream: (text: string) => void;
  onProblems: (problems: ParseProblem[]) => void;
  now: () => number;
}

/**
 * One call: prompt, stream, parse, filter (and revise); returns the samples to store, at most as
 * many accepted as the cell misses in `cells`. Also the step of the CLI's parallel runs
 * (jobs/parallel-generation.ts).
 */
export async function generateStep(
  jobId: string,
  task: Task,
  cell: Cell,
  count: number,
  cells: readonly CellState[],
  seeds: readonly Sample[],
  cp: GenerationCheckpoint,
  generator: Generator,
  index: TextIndex,
  deps: StepDeps,
): Promise<Sample[]> {
  const { config } = cp;
  const label = task.labels.find((l) => l.name === cell.label);
  const language = task.languages.find((l) => l.code === cell.language);
  if (!label || !language) throw new AppError('internal', message('err.taskChanged'));
  const rng = createRng(config.seed + cp.calls * 7919);
  const cellSeeds = seeds.filter((s) => s.label === cell.label && s.language === cell.language).map((s) => s.text);
  const demonstrations = config.strategy.demonstrations
    ? pickDemonstrations(cellSeeds, DEMONSTRATIONS_PER_CALL, rng)
    : [];
  const hint = config.strategy.diversity ? pickHint(rng) : null;
  const confusedWith = config.targets?.find(
    (t) => t.label === cell.label && t.language === cell.language,
  )?.confusedWith;
  const contrast = task.labels.find((l) => l.name === confusedWith) ?? null;
  const messages = buildGenerationMessages({ task, label, language, count, demonstrations, hint, contrast });
  const opts = {
    temperature: config.temperature,
    topP: config.topP,
    maxTokens: config.maxTokens,
    repetitionPenalty: config.repetitionPenalty,
    seed: config.seed + cp.calls,
    jsonSchema: TEXTS_SCHEMA,
  };
  let answer = '';
  const raw = await collect(
    generator.chat(messages, opts, deps.signal, (u) => (cp.completionTokens += u.completionTokens)),
    (chunk) => {
      answer += chunk;
      deps.onStream(answer);
    },
  );
  const report = parseGeneratedTexts(raw);
  deps.onProblems(report.problems);

  const missing = cells.find((c) => c.label === cell.label && c.language === cell.language)?.missing ?? 0;
  const at = deps.now();
  const meta: Record<string, string> = {
    generator: generator.id,
    strategy:
      [
        ...Object.entries(config.strategy)
          .filter(([, on]) => on)
          .map(([k]) => k),
        ...(contrast ? ['contrast'] : []),
      ].join('+') || 'zero-shot',
    template: String(PROMPT_TEMPLATE_VERSION),
    temperature: String(config.temperature),
    seed: String(config.seed + cp.calls),
    ...(hint ? { hint: `${hint.register}; ${hint.persona}; ${hint.setting}; ${hint.length}` } : {}),
    ...(demonstrations.length ? { demonstrations: String(demonstrations.length) } : {}),
    // A hard case against this label (a confusion-driven job).
    ...(contrast ? { contrast: contrast.name } : {}),
    // The quality checks every kept text of this call passed.
    filters: passedFilters(config.filters, config.strategy.revision),
  };
  const out: Sample[] = [];
  let kept = 0;
  for (const candidate of report.texts) {
    if (kept >= missing) break; // the quota is met: extra texts are not stored
    let text = candidate;
    const languageCheck =
      config.filters.language && deps.identifyLanguage ? await deps.identifyLanguage(text, cell.language) : null;
    let verdict = checkCandidate(
      text,
      { label: cell.label, language: cell.language, index, languageCheck },
      config.filters,
    );
    let rejection: Rejection | null = verdict.ok ? null : verdict.rejection;
    if (verdict.ok && config.strategy.revision) {
      const revision = parseRevision(
        await collect(
          generator.chat(
            buildRevisionMessages(task, label, language, text),
            { ...opts, temperature: 0, jsonSchema: REVISION_SCHEMA },
            deps.signal,
          ),
        ),
      );
      if (revision.verdict === 'reject') {
        rejection = { reason: 'revision-rejected' };
      } else if (revision.verdict === 'fix') {
        text = revision.text;
        verdict = checkCandidate(text, { label: cell.label, language: cell.language, index }, config.filters);
        rejection = verdict.ok ? null : verdict.rejection;
      }
    }
    const ok = rejection === null;
    if (ok) kept++;
    index.add(text, cell.language);
    out.push({
      id: orderedId(at, out.length),
      taskId: task.id,
      text,
      label: cell.label,
      language: cell.language,
      split: 'train',
      source: 'synthetic',
      jobId,
      flags: ok ? [] : [REJECTED_FLAG],
      textHash: textHash(text),
      createdAt: at,
      updatedAt: at,
      deletedAt: ok ? null : at,
      meta: rejection ? { ...meta, ...rejectionMeta(rejection) } : meta,
    });
  }
  return out;
}

/** The checks a kept text passed, as `meta.filters` records them (`length+duplicate+…`). */
export function passedFilters(filters: FilterConfig, revision: boolean): string {
  return [
    'length',
    'duplicate',
    'near-duplicate',
    ...(filters.labelLeak ? ['label-leak'] : []),
    ...(filters.language ? ['language'] : []),
    ...(revision ? ['revision'] : []),
  ].join('+');
}
