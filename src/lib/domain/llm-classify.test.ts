import { describe, expect, it } from 'vitest';
import {
  buildClassificationMessages,
  classificationSchema,
  parseClassification,
  type InvalidAnswer,
} from './llm-classify';
import { describeInvalidAnswer } from '../ui/reasons';

const labels = ['sports', 'politics', 'health', 'science/technology'];

describe('parseClassification', () => {
  it.each([
    ['{"label": "sports"}', 'sports'],
    ['```json\n{"label": "Politics"}\n```', 'politics'],
    ['{"class": "health"}', 'health'],
    ['{"label": "the sports class"}', 'sports'],
    ['sports', 'sports'],
    ['"Health".', 'health'],
    ['**politics**', 'politics'],
    ['The text is about politics.', 'politics'],
    ['Class: science/technology', 'science/technology'],
    ['Jibu: sports', 'sports'],
    ['  HEALTH\n', 'health'],
  ])('reads %j as %s', (answer, label) => {
    expect(parseClassification(answer, labels)).toEqual({ label });
  });

  it.each([
    ['', 'empty answer'],
    ['I cannot tell.', 'names no label'],
    ['It is either sports or politics.', 'names several labels (politics, sports)'],
    ['{"label": "economy"}', '“economy” is not a label'],
    ['sportsman of the year', 'names no label'],
  ])('counts %j as invalid (%s)', (answer, reason) => {
    const parsed = parseClassification(answer, labels);
    expect(parsed.label).toBeNull();
    // A code is stored; the sentence is made in the UI language when shown.
    expect(typeof parsed.invalid).toBe('object');
    expect(describeInvalidAnswer(parsed.invalid as InvalidAnswer)).toBe(reason);
  });

  it('shows a reason stored as a sentence by an earlier version as it is', () => {
    expect(describeInvalidAnswer('nomme plusieurs étiquettes (sports, politics)')).toBe(
      'nomme plusieurs étiquettes (sports, politics)',
    );
  });

  it('prefers the longer of two labels where one contains the other', () => {
    expect(parseClassification('science/technology', ['science', 'science/technology'])).toEqual({
      label: 'science/technology',
    });
  });
});

describe('buildClassificationMessages', () => {
  const task = {
    name: 'News',
    description: 'News headlines',
    labels: labels.map((name) => ({ name, description: name === 'health' ? 'Illness and medicine' : '' })),
  };
  const language = { code: 'sw', name: 'Swahili' };

  it('asks zero-shot with every label and its description, the text last', () => {
    const m = buildClassificationMessages(task, language, 'Rais amehutubia bunge.');
    expect(m).toHaveLength(2);
    expect(m[0]?.content).toContain('- health: Illness and medicine');
    expect(m[0]?.content).toContain('Swahili');
    expect(m[1]).toEqual({ role: 'user', content: 'Text: Rais amehutubia bunge.\nClass?' });
  });

  it('shows in-context examples as earlier turns with the answer format', () => {
    const m = buildClassificationMessages(task, language, 'X', [
      { text: 'Simba imeshinda.', label: 'sports' },
      { text: 'Wabunge wamepitisha sheria.', label: 'politics' },
    ]);
    expect(m.map((x) => x.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(m[2]?.content).toBe('{"label":"sports"}');
    expect(parseClassification(m[4]?.content ?? '', labels)).toEqual({ label: 'politics' });
  });

  it('constrains answers to the label set', () => {
    expect(classificationSchema(labels)).toEqual({
      type: 'object',
      properties: { label: { type: 'string', enum: labels } },
      required: ['label'],
    });
  });
});
