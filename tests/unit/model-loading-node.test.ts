/**
 * @file The model loading path in Node (onnxruntime-node), on the fixture models: the same
 * adapter code the browser worker runs, reading a model folder from disk.
 */
import { pipeline } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { shortestFirst, TransformersEncoder } from '../../src/lib/backends/transformers-encoder';
import { configureTransformers } from '../../src/lib/backends/transformers-env';
import { AppError } from '../../src/lib/domain/errors';
import { cosine, PROBE_TEXTS } from '../../src/lib/domain/probe-texts';
import type { ModelSource } from '../../src/lib/domain/settings';
import { FIXTURE_MODELS_DIR } from '../fixtures/build';
import { BROKEN_ENCODER_ID, DECODER_ID, ENCODER_DIM, ENCODER_ID } from '../fixtures/models';
import { SCRIPT_SAMPLES } from '../fixtures/tokenizer';

const source: ModelSource = { kind: 'folder', location: FIXTURE_MODELS_DIR };

beforeAll(() => {
  configureTransformers({ source });
});

describe('fixture encoder through TransformersEncoder', () => {
  it('embeds text in Latin, Cyrillic, Arabic and Ethiopic scripts as unit vectors', async () => {
    const encoder = await TransformersEncoder.load({ modelId: ENCODER_ID, device: 'cpu', dtype: 'fp32' }, source);
    expect(encoder.dim).toBe(ENCODER_DIM);
    const texts = Object.values(SCRIPT_SAMPLES);
    const vectors = await encoder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const v of vectors) {
      expect(v).toHaveLength(ENCODER_DIM);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    // Different scripts give different vectors.
    expect(cosine(vectors[0] as Float32Array, vectors[3] as Float32Array)).toBeLessThan(0.999);
    await encoder.dispose();
  });

  it('tokenizes every script without unknown tokens', async () => {
    const encoder = await TransformersEncoder.load({ modelId: ENCODER_ID, device: 'cpu', dtype: 'fp32' }, source);
    const pipe = (encoder as unknown as { pipe: { tokenizer: { tokenize(t: string): string[] } } }).pipe;
    for (const text of [...Object.values(SCRIPT_SAMPLES), ...PROBE_TEXTS.map((p) => p.text)]) {
      expect(pipe.tokenizer.tokenize(text)).not.toContain('[UNK]');
    }
    await encoder.dispose();
  });

  it('gives each text the vector it has alone, in the order given, whatever the lengths batched with it', async () => {
    const encoder = await TransformersEncoder.load({ modelId: ENCODER_ID, device: 'cpu', dtype: 'fp32' }, source);
    // Lengths mixed (1 to 4 probe texts long), so batching shortest first reorders them.
    const texts = Array.from({ length: 40 }, (_, i) =>
      Array.from({ length: 1 + ((i * 7) % 4) }, (_, k) => PROBE_TEXTS[(i + k) % PROBE_TEXTS.length]?.text).join(' '),
    );
    expect(shortestFirst(['ccc', 'a', 'bb', 'd'])).toEqual([1, 3, 2, 0]);
    expect(shortestFirst(texts)).not.toEqual([...texts.keys()]);
    const batched = await encoder.embed(texts);
    for (const [i, text] of texts.entries()) {
      const [alone] = await encoder.embed([text]);
      const inBatch = batched[i] as Float32Array;
      const diff = Math.max(...(alone as Float32Array).map((x, j) => Math.abs(x - (inBatch[j] as number))));
      expect(diff).toBeLessThan(1e-5);
    }
    await encoder.dispose();
  });

  it('stops between batches when cancelled', async () => {
    const encoder = await TransformersEncoder.load({ modelId: ENCODER_ID, device: 'cpu', dtype: 'fp32' }, source);
    const controller = new AbortController();
    controller.abort();
    await expect(encoder.embed(['a', 'b'], controller.signal)).rejects.toMatchObject({ code: 'aborted' });
    await encoder.dispose();
  });

  it('names the missing file when tokenizer.json is absent', async () => {
    const error = await TransformersEncoder.load(
      { modelId: BROKEN_ENCODER_ID, device: 'cpu', dtype: 'fp32' },
      source,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'model-file-missing',
      details: { file: 'tokenizer.json', modelId: BROKEN_ENCODER_ID },
    });
    expect((error as AppError).message).toContain(`The model ${BROKEN_ENCODER_ID} is missing the file tokenizer.json`);
  });

  it('says which file is missing when a model id does not exist in the folder', async () => {
    const error = await TransformersEncoder.load(
      { modelId: 'nobody/no-such-model', device: 'cpu', dtype: 'fp32' },
      source,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'model-file-missing', details: { modelId: 'nobody/no-such-model' } });
  });
});

describe('fixture decoder through transformers.js text generation', () => {
  it('answers a chat through its chat template, using the key/value cache', async () => {
    const generator = await pipeline('text-generation', DECODER_ID, { device: 'cpu', dtype: 'fp32' });
    const session = (generator.model as unknown as { sessions: { model: { inputNames: string[] } } }).sessions.model;
    expect(session.inputNames).toEqual(expect.arrayContaining(['past_key_values.0.key', 'past_key_values.0.value']));
    const prompt = generator.tokenizer.apply_chat_template([{ role: 'user', content: 'hello world' }], {
      tokenize: false,
      add_generation_prompt: true,
    });
    expect(prompt).toBe('<|im_start|>user\nhello world<|im_end|>\n<|im_start|>assistant\n');
    const out = (await generator([{ role: 'user', content: 'hello world' }], {
      max_new_tokens: 6,
      do_sample: false,
    })) as {
      generated_text: { role: string; content: string }[];
    }[];
    const reply = out[0]?.generated_text.at(-1);
    expect(reply?.role).toBe('assistant');
    expect(reply?.content.trim().length).toBeGreaterThan(0);
    // Greedy decoding is deterministic.
    const again = (await generator([{ role: 'user', content: 'hello world' }], {
      max_new_tokens: 6,
      do_sample: false,
    })) as typeof out;
    expect(again[0]?.generated_text.at(-1)?.content).toBe(reply?.content);
    await generator.dispose();
  });
});
