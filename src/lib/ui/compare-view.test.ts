import { describe, expect, it } from 'vitest';
import { EvaluatorChoice } from './compare-view.svelte';

const generator = { kind: 'recorded' as const, url: 'http://localhost/models/recordings/classify.json' };

describe('EvaluatorChoice', () => {
  it('ticks the LLM ways only when the model is here, and with examples only when there are samples', () => {
    const choice = new EvaluatorChoice();
    choice.generator = generator;
    expect([choice.zeroShot, choice.fewShot]).toEqual([false, false]);
    choice.offer(false, true);
    expect([choice.zeroShot, choice.fewShot]).toEqual([false, false]);
    choice.offer(true, false);
    expect([choice.zeroShot, choice.fewShot]).toEqual([true, false]);
    choice.offer(true, true);
    expect([choice.zeroShot, choice.fewShot]).toEqual([true, true]);
    expect(choice.specs([{ id: 'c1' }]).map((s) => s.kind)).toEqual(['student', 'llm', 'llm']);
  });

  it('keeps what the user ticked or unticked, whatever is offered later', () => {
    const choice = new EvaluatorChoice();
    choice.generator = generator;
    choice.zeroShot = true;
    choice.offer(false, false);
    expect(choice.zeroShot).toBe(true);
    choice.fewShot = false;
    choice.offer(true, true);
    expect([choice.zeroShot, choice.fewShot]).toEqual([true, false]);
    expect(choice.specs([])).toHaveLength(1);
  });
});
