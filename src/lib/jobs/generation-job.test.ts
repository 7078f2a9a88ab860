import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { NEWS_CONFIG, NEWS_DRAFT, recordedGeneratorFor } from '../../../tests/fixtures/news-generation';
import { createGenerationJob, runGenerationJob, type GenerationProgress } from './generation-job';
import { openDatabase } from '../storage/db';
import { samplesOfJob } from '../storage/jobs-store';
import { createTask } from '../storage/tasks-repo';
import { RecordedGenerator } from '../backends/recorded-generator';
import type { Generator } from '../backends/generator';

const SW_WEATHER = [
  'Mvua kubwa inatarajiwa kunyesha katika mikoa ya pwani wiki hii.',
  'Hali ya hewa itakuwa ya jua kali na joto jingi mchana wa leo.',
  'Upepo mkali umevuma usiku kucha na kuangusha miti mingi mjini.',
];
const HA_WEATHER = [
  'Ana sa ran ruwan sama mai yawa a yankunan kudu a wannan makon.',
  'Yanayin zai kasance da zafi sosai da rana a yau a birnin Kano.',
  'Iska mai karfi ta tashi cikin dare ta kuma kada bishiyoyi da yawa.',
];

let n = 0;
const draft = NEWS_DRAFT;
const config = NEWS_CONFIG;
const generatorFor = recordedGeneratorFor;

describe('generation job', () => {
  it('fills every cell exactly, keeping rejects with their reasons', async () => {
    const db = await openDatabase({}, `gen-${n++}`);
    const task = await createTask(db, draft);
    const job = await createGenerationJob(db, task.id, config);
    let last: GenerationProgress | null = null;
    const end = await runGenerationJob(db, job.id, generatorFor(), { onProgress: (p) => (last = p) });
    expect(end.status).toBe('done');
    const samples = await samplesOfJob(db, task.id, job.id);
    const accepted = samples.filter((s) => s.deletedAt === null);
    expect(accepted).toHaveLength(18);
    for (const cell of (last as unknown as GenerationProgress).cells) expect(cell.accepted).toBe(3);
    expect(new Set(accepted.map((s) => s.textHash)).size).toBe(18);
    const reasons = samples.filter((s) => s.deletedAt !== null).map((s) => s.meta?.rejected);
    expect(new Set(reasons)).toEqual(new Set(['duplicate', 'too-short', 'label-leak']));
    expect(accepted[0]?.meta).toMatchObject({ generator: 'recorded:news-demo', template: '1', temperature: '0.4' });
    expect(end.progress).toEqual({ done: 18, total: 18 });
  });

  it('pauses on abort and resumes to exactly the quota, with nothing lost or repeated', async () => {
    const db = await openDatabase({}, `gen-${n++}`);
    const task = await createTask(db, draft);
    const job = await createGenerationJob(db, task.id, config);
    const controller = new AbortController();
    let steps = 0;
    const paused = await runGenerationJob(db, job.id, generatorFor(), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.streaming === '' && ++steps === 5) controller.abort();
      },
    });
    expect(paused.status).toBe('paused');
    const before = (await samplesOfJob(db, task.id, job.id)).filter((s) => s.deletedAt === null);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(18);
    const resumed = await runGenerationJob(db, job.id, generatorFor(paused.checkpoint));
    expect(resumed.status).toBe('done');
    // No step was stored twice: each text has at most one verdict of each kind.
    const verdicts = (await samplesOfJob(db, task.id, job.id)).map(
      (s) => `${s.label}|${s.language}|${s.text}|${s.meta?.rejected ?? 'ok'}`,
    );
    expect(new Set(verdicts).size).toBe(verdicts.length);
    const after = (await samplesOfJob(db, task.id, job.id)).filter((s) => s.deletedAt === null);
    expect(after).toHaveLength(18);
    for (const s of before) expect(after).toContainEqual(s);
  });

  it('stops asking a replay for a cell it has no answers for: done, short of the quota, with no retries', async () => {
    const db = await openDatabase({}, `gen-${n++}`);
    const task = await createTask(db, { ...draft, labels: [...draft.labels, { name: 'weather', description: '' }] });
    const job = await createGenerationJob(db, task.id, config);
    const end = await runGenerationJob(db, job.id, generatorFor());
    expect(end.status).toBe('done');
    expect(end.error).toBeNull();
    expect(end.progress).toEqual({ done: 18, total: 24 });
    expect(Object.keys(end.checkpoint.callsByCell).filter((k) => k.startsWith('weather'))).toEqual([]);
  });

  it('gives up a cell a model cannot fill and says which; a resume tries it again', async () => {
    const db = await openDatabase({}, `gen-${n++}`);
    const task = await createTask(db, { ...draft, labels: [...draft.labels, { name: 'weather', description: '' }] });
    const job = await createGenerationJob(db, task.id, config);
    // A model: it always answers, with nothing usable for a label it knows nothing of.
    const asModel = (replay: RecordedGenerator): Generator => ({
      id: replay.id,
      load: (p) => replay.load(p),
      chat: (...args) => replay.chat(...args),
      unload: () => replay.unload(),
    });
    const end = await runGenerationJob(db, job.id, asModel(generatorFor()));
    expect(end.status).toBe('failed');
    expect(end.error?.message).toContain('no usable text for weather in Swahili, weather in Hausa');
    expect(end.error?.message).toContain('start a new job with another model');
    expect((await samplesOfJob(db, task.id, job.id)).filter((s) => s.deletedAt === null)).toHaveLength(18);

    // The user adds what was missing (here: a model that now knows weather), and resumes: the
    // cells given up are tried again instead of being given up at once.
    const weather = new RecordedGenerator({
      model: 'news-demo',
      answers: [
        { label: 'weather', language: 'Swahili', answer: JSON.stringify({ texts: SW_WEATHER }) },
        { label: 'weather', language: 'Hausa', answer: JSON.stringify({ texts: HA_WEATHER }) },
      ],
    });
    const resumed = await runGenerationJob(db, job.id, asModel(weather));
    expect(resumed.status).toBe('done');
    expect(resumed.progress).toEqual({ done: 24, total: 24 });
  });
});
