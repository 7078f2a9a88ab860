/**
 * @file Seed examples: human-written demonstrations per label and language, stored as samples
 * in the `seed` split so generation, the dataset table and exports see them like any sample.
 */
import { orderedId } from '../domain/ids';
import { textHash } from '../domain/text-hash';
import { publishChange } from './change-feed';
import { STORES, type Database } from './db';
import { byAge, cellRange } from './samples-repo';
import { StatsDelta } from './sample-stats';
import { writeAll } from './transaction';
import type { Sample } from '../domain/sample';
import { guardQuota } from './quota-guard';

export interface SeedInput {
  text: string;
  label: string;
  language: string;
}

/** The task's seed examples. */
export async function listSeeds(db: Database, taskId: string): Promise<Sample[]> {
  return (await db.getAllFromIndex(STORES.samples, 'by-cell', cellRange(taskId, 'seed')))
    .filter((s) => s.deletedAt === null)
    .sort(byAge);
}

/**
 * Makes the task's seeds exactly `seeds` in one transaction: unchanged ones keep their ids
 * and dates, removed ones are deleted, new ones added. Empty and repeated texts are dropped.
 */
export async function replaceSeeds(
  db: Database,
  taskId: string,
  seeds: readonly SeedInput[],
  now = Date.now(),
): Promise<void> {
  await guardQuota('quota.seeds', async () => {
    const tx = db.transaction([STORES.samples, STORES.sampleStats], 'readwrite');
    const store = tx.objectStore(STORES.samples);
    const delta = new StatsDelta();
    const existing = await store.index('by-cell').getAll(cellRange(taskId, 'seed'));
    const key = (s: { text: string; label: string; language: string }) =>
      `${s.label}\u0000${s.language}\u0000${textHash(s.text)}`;
    const wanted = new Map<string, SeedInput>();
    for (const s of seeds) if (s.text.trim()) wanted.set(key(s), { ...s, text: s.text.trim() });
    const kept = new Set<string>();
    const ops: (() => Promise<unknown>)[] = [];
    for (const old of existing) {
      const k = key(old);
      if (wanted.has(k) && !kept.has(k)) kept.add(k);
      else {
        delta.change(old, undefined);
        ops.push(() => store.delete(old.id));
      }
    }
    let order = 0;
    for (const [k, s] of wanted) {
      if (kept.has(k)) continue;
      // Distinct times keep the examples in the order the user wrote them.
      const seq = order++;
      const createdAt = now + seq;
      const sample: Sample = {
        id: orderedId(now, seq),
        taskId,
        text: s.text,
        label: s.label,
        language: s.language,
        split: 'seed',
        source: 'human',
        jobId: null,
        flags: [],
        textHash: textHash(s.text),
        createdAt,
        updatedAt: createdAt,
        deletedAt: null,
      };
      delta.change(undefined, sample);
      ops.push(() => store.add(sample));
    }
    await writeAll(tx, [...ops, ...delta.writes(tx)]);
  });
  publishChange({ store: STORES.samples, taskId, kind: 'put', count: seeds.length });
}
