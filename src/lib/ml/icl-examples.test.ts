import { describe, expect, it } from 'vitest';
import { createRng } from '../domain/random';
import { ExamplePicker } from './icl-examples';

const pool = [
  { text: 'Simba imeshinda mechi ya jana.', label: 'sports' },
  { text: 'Yanga imefungwa mabao mawili.', label: 'sports' },
  { text: 'Mchezaji amefunga bao.', label: 'sports' },
  { text: 'Rais amehutubia bunge.', label: 'politics' },
  { text: 'Wabunge wamepitisha sheria mpya.', label: 'politics' },
];

describe('ExamplePicker', () => {
  it('picks k per label at random, interleaved, the same for the same seed', () => {
    const picker = new ExamplePicker(pool, ['sports', 'politics', 'health'], 2, 'random');
    const a = picker.pick('anything', createRng(1));
    expect(a.map((e) => e.label)).toEqual(['sports', 'politics', 'sports', 'politics']);
    expect(new Set(a.map((e) => e.text)).size).toBe(4);
    expect(picker.pick('anything', createRng(1))).toEqual(a);
    expect(picker.missingLabels).toEqual(['health']);
  });

  it('picks the most similar examples by character n-grams', () => {
    const picker = new ExamplePicker(pool, ['sports', 'politics'], 1, 'similar');
    const picked = picker.pick('Simba imeshinda mechi tena', createRng(1));
    expect(picked[0]?.text).toBe('Simba imeshinda mechi ya jana.');
    expect(picker.pick('Bunge limepitisha sheria', createRng(1))[1]?.text).toBe('Wabunge wamepitisha sheria mpya.');
  });
});
