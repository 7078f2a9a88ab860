import { describe, expect, it } from 'vitest';
import type { LlmChoice } from './llm-catalog';
import { ENCODER_CATALOGUE } from './model-spec';
import {
  preflightWebLlm,
  recommendEncoder,
  recommendWebLlm,
  roughSpeed,
  storageProblem,
  type PreflightDevice,
  type PreflightIssue,
} from './preflight';
import { describePreflight } from '../ui/reasons';

const GB = 1024 ** 3;
const gpu = (
  over: Partial<Extract<PreflightDevice['webgpu'], { available: true }>> = {},
): PreflightDevice['webgpu'] => ({
  available: true,
  vendor: 'v',
  architecture: 'a',
  description: 'd',
  isFallbackAdapter: false,
  shaderF16: true,
  maxBufferSize: 2 * GB,
  maxStorageBufferBindingSize: GB,
  ...over,
});
const device = (over: Partial<PreflightDevice> = {}): PreflightDevice => ({
  webgpu: gpu(),
  storage: { usage: 1 * GB, quota: 20 * GB, persisted: true },
  deviceMemoryGb: 8,
  ...over,
});
const choice = (id: string, vramMB: number, recommended = true): LlmChoice => ({
  id,
  name: id,
  precision: 'llm.q4',
  context: 4096,
  billions: Number(/(\d+(?:\.\d+)?)B/.exec(id)?.[1] ?? 0) || null,
  vramMB,
  recommended,
  note: recommended ? 'llm.multilingual' : 'llm.english',
});

describe('preflight for WebLLM models', () => {
  it('passes a model that fits, and says why one does not', () => {
    expect(preflightWebLlm(choice('Qwen2.5-1.5B-Instruct-q4f16_1-MLC', 1630), device())).toEqual({
      ok: true,
      problems: [],
      warnings: [],
    });
    const noF16 = preflightWebLlm(
      choice('Qwen2.5-1.5B-Instruct-q4f16_1-MLC', 1630),
      device({ webgpu: gpu({ shaderF16: false }) }),
    );
    expect(noF16.ok).toBe(false);
    expect(noF16.problems).toEqual([{ code: 'f16' }]);
    expect(noF16.problems.map(describePreflight)).toEqual([
      'This model needs 16-bit shaders, which this GPU lacks: choose its q4f32 version.',
    ]);
    const small = preflightWebLlm(
      choice('m-q4f32_1-MLC', 1000),
      device({ webgpu: gpu({ maxBufferSize: 128 * 1024 * 1024 }) }),
    );
    expect(small.problems).toEqual([{ code: 'limits' }]);
    expect(describePreflight({ code: 'limits' })).toMatch(/buffer limits are below what WebLLM needs/);
    const full = preflightWebLlm(
      choice('m-q4f32_1-MLC', 2500),
      device({ storage: { usage: 19 * GB, quota: 20 * GB, persisted: false } }),
    );
    expect(full.problems).toEqual([{ code: 'storage', needBytes: 2.5e9, freeBytes: 1 * GB }]);
    expect(describePreflight(full.problems[0] as PreflightIssue)).toMatch(
      /^Not enough browser storage: the download needs about 2\.5 GB, and 1\.1 GB is free\./,
    );
    const none = preflightWebLlm(choice('m', 500), device({ webgpu: { available: false, reason: 'No adapter.' } }));
    expect(none).toMatchObject({
      ok: false,
      problems: [{ code: 'no-gpu', reason: 'No adapter.' }],
    });
    expect(none.problems.map(describePreflight)).toEqual([
      'WebLLM needs WebGPU, which is not available here: No adapter.',
    ]);
  });

  it('warns about a software GPU and a model larger than the memory hint, without refusing', () => {
    const r = preflightWebLlm(
      choice('m-q4f32_1-MLC', 2900),
      device({ webgpu: gpu({ isFallbackAdapter: true }), deviceMemoryGb: 4 }),
    );
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([{ code: 'software' }, { code: 'memory', needBytes: 2.9e9 }]);
    expect(describePreflight({ code: 'memory', needBytes: 2.9e9 })).toMatch(/needs about 2\.9 GB of GPU memory/);
  });

  it('recommends for a usable speed: the smallest good-enough model that runs at a workable pace here', () => {
    const choices = [
      choice('Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 945),
      choice('Qwen2.5-1.5B-Instruct-q4f16_1-MLC', 1630),
      choice('Qwen2.5-3B-Instruct-q4f16_1-MLC', 2505),
      choice('Qwen3.5-9B-q4f16_1-MLC', 6433),
      choice('Phi-3.5-mini-instruct-q4f16_1-MLC', 3672, false),
    ];
    // A laptop's integrated GPU: 1.5B writes at a workable pace, so the 3B and 9B are not pushed.
    const laptop = device({ webgpu: gpu({ vendor: 'intel' }) });
    expect(recommendWebLlm(choices, laptop)?.id).toBe('Qwen2.5-1.5B-Instruct-q4f16_1-MLC');
    // A software GPU: nothing good enough is workable; the fastest suited model, never the 9B.
    const software = device({ webgpu: gpu({ isFallbackAdapter: true }), deviceMemoryGb: 16 });
    expect(recommendWebLlm(choices, software)?.id).toBe('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    // A measured speed replaces the estimate: measured too slow, the 1.5B gives way to the 0.5B.
    const slow = { tokensPerSecond: 3, textsPerMinute: 4, measuredAt: 1 };
    expect(recommendWebLlm(choices, laptop, (id) => (id.includes('1.5B') ? slow : null))?.id).toBe(
      'Qwen2.5-3B-Instruct-q4f16_1-MLC',
    );
    expect(recommendWebLlm(choices, device({ webgpu: gpu({ shaderF16: false }) }))).toBeNull();
  });

  it('recommends the small default embedding model first, and refuses a download that does not fit', () => {
    expect(recommendEncoder(ENCODER_CATALOGUE, device())?.id).toBe('Xenova/multilingual-e5-small');
    const withoutDefault = ENCODER_CATALOGUE.filter((e) => e.id !== 'Xenova/multilingual-e5-small');
    expect(recommendEncoder(withoutDefault, device())?.sizeMB).toBe(118);
    const tight = device({ storage: { usage: 0, quota: 300e6, persisted: null } });
    expect(recommendEncoder(ENCODER_CATALOGUE, tight)?.sizeMB).toBe(118);
    expect(
      recommendEncoder(ENCODER_CATALOGUE, device({ storage: { usage: 0, quota: 50e6, persisted: null } })),
    ).toBeNull();
    expect(storageProblem(472e6, tight)).toEqual({ code: 'storage', needBytes: 472e6, freeBytes: 300e6 });
    expect(storageProblem(118e6, tight)).toBeNull();
    expect(storageProblem(472e6, device({ storage: { usage: null, quota: null, persisted: null } }))).toBeNull();
  });
});

describe('rough generation speed', () => {
  it('grows with the GPU class and shrinks with the model size, in texts a minute', () => {
    const small = choice('Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 945);
    const large = choice('Qwen2.5-3B-Instruct-q4f16_1-MLC', 2505);
    const integrated = roughSpeed(small, device({ webgpu: gpu({ vendor: 'intel' }) }));
    const discrete = roughSpeed(small, device({ webgpu: gpu({ vendor: 'nvidia' }) }));
    const software = roughSpeed(small, device({ webgpu: gpu({ isFallbackAdapter: true }) }));
    expect(integrated).toEqual({ tokensPerSecond: [21, 63], textsPerMinute: [32, 95] });
    expect(discrete?.tokensPerSecond[0]).toBeGreaterThan(integrated?.tokensPerSecond[1] ?? Infinity);
    expect(software?.tokensPerSecond[1]).toBeLessThan(integrated?.tokensPerSecond[0] ?? 0);
    const bigger = roughSpeed(large, device({ webgpu: gpu({ vendor: 'intel' }) }));
    expect(bigger?.tokensPerSecond[1]).toBeLessThan(integrated?.tokensPerSecond[1] ?? 0);
    // Capped: a tiny model on a big GPU is limited by more than memory.
    expect(roughSpeed(choice('x', 100), device({ webgpu: gpu({ vendor: 'nvidia' }) }))?.tokensPerSecond[1]).toBe(150);
  });

  it('gives no estimate without a GPU or a known size', () => {
    expect(roughSpeed(choice('x', 945), device({ webgpu: { available: false, reason: 'none' } }))).toBeNull();
    expect(roughSpeed({ vramMB: null }, device())).toBeNull();
  });
});
