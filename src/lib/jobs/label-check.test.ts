import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { noisyLabelledTexts } from '../../../tests/fixtures/noisy-labels';
import type { Encoder } from '../backends/encoder';
import { CROSS_LABEL_DUPLICATE_FLAG, LABEL_SUSPECT_FLAG, type NewSample } from '../domain/sample';
import { openDatabase } from '../storage/db';
import { getEmbeddings } from '../storage/embeddings-repo';
import { addSamples, listSamples } from '../storage/samples-repo';
import { createTask } from '../storage/tasks-repo';
import { runLabelCheck } from './label-check';

let n = 0;
const freshName = () => `label-check-test-${n++}`;

describe('label check', () => {
  it('finds planted label flips with n-gram features (no download) and records them on the samples', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, NEWS_DRAFT);
    const { rows, flipped } = noisyLabelledTexts(60, 0.1, 7);
    await addSamples(
      db,
      rows.map((r) => ({ ...r, taskId: task.id, language: 'sw', split: 'train', source: 'synthetic' })),
    );
    // Test data is never checked or flagged, even when it looks wrong.
    await addSamples(db, [
      {
        taskId: task.id,
        text: 'timu bao mechi kocha uwanja',
        label: 'health',
        language: 'sw',
        split: 'test',
        source: 'human',
      },
    ]);
    const events: string[] = [];
    const report = await runLabelCheck(db, task.id, null, (e) => events.push(e.stage));
    expect(report.samples).toBe(180);
    expect(events).toContain('folds');
    const stored = await listSamples(db, task.id);
    const byId = new Map(stored.map((s) => [s.id, s]));
    // The rule is strict (at most 5% of clean real data flagged): it flags most of the flips,
    // nothing else, and suggests each flip's true label.
    const found = report.mislabelled.filter((m) => flipped.has(byId.get(m.id)?.text ?? ''));
    expect(found.length / flipped.size).toBeGreaterThanOrEqual(0.6);
    expect(found).toHaveLength(report.mislabelled.length);
    for (const m of found) expect(m.suggested).toBe(flipped.get(byId.get(m.id)?.text ?? ''));
    // Every finding is recorded on its sample, and nothing else is flagged.
    const suspects = stored.filter((s) => s.flags.includes(LABEL_SUSPECT_FLAG)).map((s) => s.id);
    expect(new Set(suspects)).toEqual(new Set(report.mislabelled.map((m) => m.id)));
    expect(stored.find((s) => s.split === 'test')?.flags).toEqual([]);
    expect(report.overlap).toHaveLength(3);
    // Hausa, a language of the task, has no sample at all.
    expect(report.thinLanguages).toMatchObject([{ language: 'ha', count: 0, fewer: true }]);
  });

  it('finds the same text under two labels on encoder embeddings, reuses the cache, and a rerun clears settled flags', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, NEWS_DRAFT);
    // A fake encoder that places texts by their first word: same first word, same vector.
    const centre: Record<string, number[]> = { a: [1, 0, 0], b: [0, 1, 0], c: [0, 0, 1] };
    let embedded = 0;
    const encoder: Encoder = {
      id: 'fake-encoder',
      dim: 3,
      embed: (texts) => {
        embedded += texts.length;
        return Promise.resolve(
          texts.map((t) => {
            const [word, k] = t.split(' ');
            const v = (centre[word as string] as number[]).map((x, d) => x + (d === 0 ? 0.01 * Number(k) : 0.02));
            const norm = Math.hypot(...v);
            return Float32Array.from(v, (x) => x / norm);
          }),
        );
      },
      dispose: () => Promise.resolve(),
    };
    const labels = { a: 'sports', b: 'politics', c: 'health' } as const;
    const rows: NewSample[] = (['a', 'b', 'c'] as const).flatMap((w) =>
      Array.from({ length: 6 }, (_, k) => ({
        taskId: task.id,
        text: `${w} ${k}`,
        label: labels[w],
        language: k < 5 ? 'sw' : 'ha',
        split: 'train' as const,
        source: 'synthetic' as const,
      })),
    );
    // The same sentence (same hash, so the same cached vector) under a second label.
    rows.push({ taskId: task.id, text: 'a 0 ', label: 'health', language: 'sw', split: 'train', source: 'human' });
    const { added } = await addSamples(db, rows, { skipDuplicates: false });
    const report = await runLabelCheck(db, task.id, encoder);
    expect(embedded).toBe(18);
    const twin = added.at(-1)?.id as string;
    expect(report.duplicates.some((d) => d.a === twin || d.b === twin)).toBe(true);
    expect((await listSamples(db, task.id)).find((s) => s.id === twin)?.flags).toContain(CROSS_LABEL_DUPLICATE_FLAG);
    // Hausa has 3 samples against Swahili's 16.
    expect(report.thinLanguages).toMatchObject([{ language: 'ha', count: 3, fewer: true }]);
    expect(
      (
        await getEmbeddings(
          db,
          'fake-encoder',
          added.map((s) => s.textHash),
        )
      ).size,
    ).toBeGreaterThan(0);

    // The twin is relabelled by the user; the next check reuses every vector and clears its flag.
    const { updateSample } = await import('../storage/samples-repo');
    await updateSample(db, twin, { label: 'sports' });
    const again = await runLabelCheck(db, task.id, encoder);
    expect(embedded).toBe(18);
    expect(again.duplicates.some((d) => d.a === twin || d.b === twin)).toBe(false);
    const after = (await listSamples(db, task.id)).find((s) => s.id === twin);
    expect(after?.flags).not.toContain(CROSS_LABEL_DUPLICATE_FLAG);
  });

  it('says why when there is too little to check', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, NEWS_DRAFT);
    await addSamples(db, [
      { taskId: task.id, text: 'Timu ilishinda', label: 'sports', language: 'sw', split: 'train', source: 'human' },
    ]);
    await expect(runLabelCheck(db, task.id, null)).rejects.toThrow(/at least two labels/);
  });
});
