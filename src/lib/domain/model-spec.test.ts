import { describe, expect, it } from 'vitest';
import { defaultPrefixFor } from './model-spec';

describe('defaultPrefixFor', () => {
  it('gives e5 models their query prefix and others none', () => {
    expect(defaultPrefixFor('Xenova/multilingual-e5-small')).toBe('query: ');
    expect(defaultPrefixFor('intfloat/e5-base')).toBe('query: ');
    expect(defaultPrefixFor('Xenova/paraphrase-multilingual-MiniLM-L12-v2')).toBe('');
    expect(defaultPrefixFor('Xenova/LaBSE')).toBe('');
  });
});
