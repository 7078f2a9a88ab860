import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH } from '../domain/sample';
import { pastedTexts } from './labelling.svelte';

describe('pasted texts for the pool', () => {
  it('takes one text per line, trimmed, whatever the line endings, and refuses texts too long to be one', () => {
    const long = 'x'.repeat(MAX_TEXT_LENGTH + 1);
    expect(pastedTexts(' Habari za leo \r\n\r\nMechi imeahirishwa\rBunge\n   \n' + long)).toEqual({
      texts: ['Habari za leo', 'Mechi imeahirishwa', 'Bunge'],
      tooLong: 1,
    });
    expect(pastedTexts('\n \n')).toEqual({ texts: [], tooLong: 0 });
  });
});
