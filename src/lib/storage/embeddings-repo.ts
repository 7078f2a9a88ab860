/**
 * @file Cached embeddings, keyed by (encoder id, text hash) so no text is embedded twice by
 * the same encoder, whichever task it belongs to.
 */
import type { EmbeddingRecord } from '../domain/records';
import { STORES, type Database } from './db';
import { writeAll } from './transaction';
import { guardQuota } from './quota-guard';

/** The cached vectors for these hashes (missing ones are absent from the map). */
export async function getEmbeddings(
  db: Database,
  encoderId: string,
  hashes: readonly string[],
): Promise<Map<string, Float32Array>> {
  const tx = db.transaction(STORES.embeddings);
  const found = await Promise.all(hashes.map((h) => tx.store.get([encoderId, h])));
  const out = new Map<string, Float32Array>();
  found.forEach((r) => r && out.set(r.textHash, r.vector));
  return out;
}

/** Stores vectors in one transaction. */
export async function putEmbeddings(db: Database, records: readonly EmbeddingRecord[]): Promise<void> {
  await guardQuota('quota.embeddings', async () => {
    const tx = db.transaction(STORES.embeddings, 'readwrite');
    await writeAll(
      tx,
      records.map((r) => () => tx.store.put(r)),
    );
  });
}
