import { describe, expect, it } from 'vitest';
import type { GenUsage, Generator } from '../backends/generator';
import { TOKENS_PER_TEXT } from '../domain/preflight';
import { MEASURE_CALLS, measureGenerator } from './measure-generator';

/** A generator that answers in 500 ms of a fake clock with 60 tokens (3 texts). */
function fake(clock: { now: number }, usage = true): Generator & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    id: 'fake',
    prompts,
    async load() {},
    async unload() {},
    async *chat(messages, _opts, _signal, onUsage?: (u: GenUsage) => void) {
      prompts.push(messages.map((m) => m.content).join('\n'));
      clock.now += 500;
      yield '{"texts": ["One match was won.", "The coach spoke.", "A new record."]}';
      if (usage) onUsage?.({ promptTokens: 100, completionTokens: 60 });
    },
  };
}

describe('measuring this device', () => {
  it('times a few generation calls like a job’s and gives tokens a second and texts a minute', async () => {
    const clock = { now: 0 };
    const generator = fake(clock);
    const done: number[] = [];
    const m = await measureGenerator(generator, { now: () => clock.now, onCall: (d) => done.push(d) });
    expect(done).toEqual(Array.from({ length: MEASURE_CALLS }, (_, i) => i + 1));
    expect(generator.prompts[0]).toContain('Answer with JSON only');
    // 60 tokens per 0.5 s.
    expect(m.tokensPerSecond).toBeCloseTo(120);
    expect(m.textsPerMinute).toBeCloseTo((120 * 60) / TOKENS_PER_TEXT);
    expect(m).toMatchObject({ calls: MEASURE_CALLS, tokens: 60 * MEASURE_CALLS, texts: 3 * MEASURE_CALLS });
  });

  it('counts about four characters a token where the engine does not report tokens', async () => {
    const clock = { now: 0 };
    const m = await measureGenerator(fake(clock, false), { now: () => clock.now });
    const chars = '{"texts": ["One match was won.", "The coach spoke.", "A new record."]}'.length;
    expect(m.tokens).toBe(Math.ceil(chars / 4) * MEASURE_CALLS);
  });
});
