/**
 * @file Embeddings through the cache (`embedWithCache`): texts still to embed go to the encoder
 * shortest first, a text is embedded once however often it appears, and the vectors come back
 * in the order of the samples asked for.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Encoder } from '../backends/encoder';
import { textHash } from '../domain/text-hash';
import { openDatabase } from '../storage/db';
import { embedWithCache } from './features';

describe('embeddings through the cache', () => {
  it('embeds the missing texts shortest first and answers in the order asked', async () => {
    const db = await openDatabase({}, 'features-shortest-first');
    const calls: string[][] = [];
    // A vector that names its text: [length, first character code].
    const encoder: Encoder = {
      id: 'fake-encoder',
      dim: 2,
      embed: async (texts) => {
        calls.push(texts);
        return texts.map((t) => Float32Array.of(t.length, t.charCodeAt(0)));
      },
      dispose: async () => {},
    };
    // 70 texts: more than one call's worth, lengths falling then rising, one text twice.
    const texts = Array.from({ length: 70 }, (_, i) => `${'abcdefghij'[i % 10]?.repeat(1 + Math.abs(35 - i))} ${i}`);
    texts.push(texts[3] as string);
    const samples = texts.map((text) => ({ text, textHash: textHash(text) }));
    const first = await embedWithCache(db, encoder, samples);
    expect(first.cached).toBe(0);
    expect(first.vectors.map((v) => [...v])).toEqual(texts.map((t) => [t.length, t.charCodeAt(0)]));
    const sent = calls.flat();
    expect(sent).toHaveLength(new Set(texts).size);
    expect(sent.map((t) => t.length)).toEqual([...sent.map((t) => t.length)].sort((a, b) => a - b));
    expect(calls.length).toBeGreaterThan(1);
    // Again: every vector from the cache, in the same order.
    calls.length = 0;
    const again = await embedWithCache(db, encoder, [...samples].reverse());
    expect(calls).toEqual([]);
    expect(again.cached).toBe(texts.length);
    expect(again.vectors.map((v) => [...v])).toEqual([...first.vectors].reverse().map((v) => [...v]));
  });
});
